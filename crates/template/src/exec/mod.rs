//! The executor: walks a parsed [`Tree`] with a data value, following Go
//! 1.23's `text/template/exec.go` step for step (including which node an
//! error is reported at).

pub mod builtins;
pub mod eval;

use std::cell::{Cell, RefCell};
// Fx: keys are short names looked up on every call; no DoS concern in a CLI.
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::error::{Error, ExecError};
use crate::func::{CallContext, Func, FuncError, ParamType, Signature, TextError};
use crate::gofmt;
use crate::syntax::ast::*;
use crate::template::{MissingKey, Templates};
use crate::value::Value;
pub use eval::EVal;
use eval::eval_truth;

/// A failure while executing.
#[derive(Debug)]
pub(crate) enum Fail {
    /// A Go-shaped execution error.
    Exec(ExecError),
    /// An error to report verbatim ([`FuncError::Nested`]).
    Raw(String),
}

impl From<Fail> for Error {
    fn from(f: Fail) -> Error {
        match f {
            Fail::Exec(e) => Error::Exec(e),
            Fail::Raw(s) => Error::Raw(s),
        }
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::Exec(e) => write!(f, "{e}"),
            Fail::Raw(s) => f.write_str(s),
        }
    }
}

type R<T> = Result<T, Fail>;

/// Control flow out of a walked node.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

/// State shared by one top-level execution and everything it calls
/// (`include`, `tpl`): budgets and the stack guard.
pub(crate) struct Shared {
    steps: Cell<u64>,
    max_steps: u64,
    stack_base: usize,
    stack_limit: usize,
    includes: RefCell<HashMap<String, usize>>,
}

#[inline(never)]
pub(crate) fn stack_addr() -> usize {
    let x = 0u8;
    std::hint::black_box(&x) as *const u8 as usize
}

impl Shared {
    pub(crate) fn new(max_steps: u64, stack_limit: usize) -> Shared {
        Shared {
            steps: Cell::new(0),
            max_steps,
            stack_base: stack_addr(),
            stack_limit,
            includes: RefCell::new(HashMap::default()),
        }
    }
}

/// The node an error is reported at (Go's `state.node`).
#[derive(Clone, Copy)]
enum At<'s> {
    None,
    Node(&'s Node),
    List(&'s List),
    Pipe(&'s Pipe),
    Cmd(&'s Command),
    Arg(&'s Arg),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => n.pos(),
            At::List(l) => l.pos,
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Arg(a) => a.pos(),
        }
    }

    fn describe(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::List(l) => l.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
        }
    }
}

/// Per-template execution state (Go's `state`).
pub(crate) struct State<'s> {
    tree: &'s Tree,
    vars: Vec<(Arc<str>, EVal)>,
    node: At<'s>,
    depth: usize,
}

/// The executor over one template set.
pub(crate) struct Exec<'s> {
    pub(crate) set: &'s Templates,
    pub(crate) shared: &'s Shared,
}

/// Parameter kinds of Go's builtins.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// `reflect.Value`.
    Refl,
    /// `interface{}`.
    Any,
    /// `string`.
    Str,
}

impl<'s> Exec<'s> {
    /// Executes `tree` with `data` into `out` (Go's `Template.execute`).
    pub(crate) fn execute_tree(&self, tree: &'s Tree, data: EVal, out: &mut String) -> R<()> {
        let mut st = State {
            tree,
            vars: vec![(Arc::from("$"), data.clone())],
            node: At::None,
            depth: 0,
        };
        self.walk_list(&mut st, &data, &tree.root, out)?;
        Ok(())
    }

    fn errorf<T>(&self, st: &State<'s>, msg: impl Into<String>) -> R<T> {
        let (location, context) = match st.node {
            At::None => (None, String::new()),
            node => {
                let (line, col) = st.tree.line_col(node.pos());
                (
                    Some(format!("{}:{}:{}", st.tree.parse_name, line, col)),
                    node.describe(),
                )
            }
        };
        Err(Fail::Exec(ExecError {
            name: st.tree.name.to_string(),
            location,
            context,
            message: msg.into(),
        }))
    }

    fn check(&self, st: &State<'s>) -> R<()> {
        let n = self.shared.steps.get() + 1;
        self.shared.steps.set(n);
        if n > self.shared.max_steps {
            return self.errorf(
                st,
                format!(
                    "exceeded maximum execution steps ({})",
                    self.shared.max_steps
                ),
            );
        }
        let here = stack_addr();
        if self.shared.stack_base.abs_diff(here) > self.shared.stack_limit {
            return self.errorf(
                st,
                format!(
                    "exceeded maximum template depth ({})",
                    self.set.options().max_template_depth
                ),
            );
        }
        Ok(())
    }

    // ---- variables ----

    fn var_value(&self, st: &State<'s>, name: &str) -> R<EVal> {
        for (n, v) in st.vars.iter().rev() {
            if &**n == name {
                return Ok(v.clone());
            }
        }
        self.errorf(st, format!("undefined variable: {name}"))
    }

    fn set_var(&self, st: &mut State<'s>, name: &str, value: EVal) -> R<()> {
        for (n, v) in st.vars.iter_mut().rev() {
            if &**n == name {
                *v = value;
                return Ok(());
            }
        }
        self.errorf(st, format!("undefined variable: {name}"))
    }

    fn set_top_var(st: &mut State<'s>, n: usize, value: EVal) {
        let len = st.vars.len();
        st.vars[len - n].1 = value;
    }

    // ---- walking ----

    fn walk_list(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        list: &'s List,
        out: &mut String,
    ) -> R<Flow> {
        st.node = At::List(list);
        for n in &list.nodes {
            let f = self.walk(st, dot, n, out)?;
            if f != Flow::Normal {
                return Ok(f);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&self, st: &mut State<'s>, dot: &EVal, node: &'s Node, out: &mut String) -> R<Flow> {
        st.node = At::Node(node);
        match node {
            Node::Text { text, .. } => {
                out.push_str(text);
                Ok(Flow::Normal)
            }
            Node::Action(a) => {
                self.check(st)?;
                let val = self.eval_pipeline(st, dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    st.node = At::Node(node);
                    print_value(&val, out);
                }
                Ok(Flow::Normal)
            }
            Node::Comment { .. } => Ok(Flow::Normal),
            Node::If(b) => self.walk_if_or_with(st, false, dot, b, out),
            Node::With(b) => self.walk_if_or_with(st, true, dot, b, out),
            Node::Range(b) => self.walk_range(st, dot, node, b, out),
            Node::Template(t) => self.walk_template(st, dot, node, t, out),
            Node::Break { .. } => Ok(Flow::Break),
            Node::Continue { .. } => Ok(Flow::Continue),
        }
    }

    fn walk_if_or_with(
        &self,
        st: &mut State<'s>,
        is_with: bool,
        dot: &EVal,
        b: &'s Branch,
        out: &mut String,
    ) -> R<Flow> {
        self.check(st)?;
        let mark = st.vars.len();
        let val = self.eval_pipeline(st, dot, &b.pipe)?;
        let r = if eval_truth(&val) {
            if is_with {
                self.walk_list(st, &val, &b.list, out)
            } else {
                self.walk_list(st, dot, &b.list, out)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(st, dot, e, out)
        } else {
            Ok(Flow::Normal)
        };
        st.vars.truncate(mark);
        r
    }

    #[allow(clippy::too_many_arguments)]
    fn one_iteration(
        &self,
        st: &mut State<'s>,
        b: &'s Branch,
        mark: usize,
        index: EVal,
        elem: EVal,
        out: &mut String,
    ) -> R<Flow> {
        self.check(st)?;
        let decl = &b.pipe.decl;
        if !decl.is_empty() {
            if b.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(st, &decl[0].ident[0], index.clone())?;
                } else {
                    self.set_var(st, &decl[0].ident[0], elem.clone())?;
                }
            } else {
                Self::set_top_var(st, 1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if b.pipe.is_assign {
                self.set_var(st, &decl[1].ident[0], elem.clone())?;
            } else {
                Self::set_top_var(st, 2, index);
            }
        }
        let f = self.walk_list(st, &elem, &b.list, out);
        st.vars.truncate(mark);
        f
    }

    fn walk_range(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        node: &'s Node,
        b: &'s Branch,
        out: &mut String,
    ) -> R<Flow> {
        st.node = At::Node(node);
        self.check(st)?;
        let outer_mark = st.vars.len();
        let mut val = self.eval_pipeline(st, dot, &b.pipe)?.unwrap_iface();
        if let EVal::Val(Value::Object(o)) = &val
            && let Some(c) = o.collection()
        {
            val = EVal::of(c);
        }
        let mark = st.vars.len();
        let mut ran = false;
        match &val {
            EVal::Invalid => {}
            EVal::Val(Value::List(items)) => {
                for (i, it) in items.iter().enumerate() {
                    ran = true;
                    let f = self.one_iteration(
                        st,
                        b,
                        mark,
                        EVal::Val(Value::Int(i as i64)),
                        EVal::Iface(it.clone()),
                        out,
                    )?;
                    if f == Flow::Break {
                        break;
                    }
                }
            }
            EVal::Val(Value::Bytes(bytes)) => {
                for (i, c) in bytes.iter().enumerate() {
                    ran = true;
                    let f = self.one_iteration(
                        st,
                        b,
                        mark,
                        EVal::Val(Value::Int(i as i64)),
                        EVal::Val(Value::Int(*c as i64)),
                        out,
                    )?;
                    if f == Flow::Break {
                        break;
                    }
                }
            }
            EVal::Val(Value::Map(m)) => {
                // Go sorts the keys up front (a snapshot of the map).
                let entries: Vec<(Arc<str>, Value)> = m
                    .read()
                    .iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), v.clone()))
                    .collect();
                for (k, v) in entries {
                    ran = true;
                    let f = self.one_iteration(
                        st,
                        b,
                        mark,
                        EVal::Val(Value::String(k)),
                        EVal::Iface(v),
                        out,
                    )?;
                    if f == Flow::Break {
                        break;
                    }
                }
            }
            other => {
                let v = other.to_value();
                return self.errorf(
                    st,
                    format!("range can't iterate over {}", gofmt::format_value(&v)),
                );
            }
        }
        let mut flow = Flow::Normal;
        if !ran && let Some(e) = &b.else_list {
            // A {{break}} in the else list ends this range (Go recovers it
            // here); {{continue}} reaches the enclosing range.
            if self.walk_list(st, dot, e, out)? == Flow::Continue {
                flow = Flow::Continue;
            }
        }
        st.vars.truncate(outer_mark);
        Ok(flow)
    }

    fn walk_template(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        node: &'s Node,
        t: &'s TemplateCall,
        out: &mut String,
    ) -> R<Flow> {
        st.node = At::Node(node);
        let Some(tree) = self.set.tree(&t.name) else {
            return self.errorf(
                st,
                format!("template {} not defined", gofmt::quote(&t.name)),
            );
        };
        let max = self.set.options().max_template_depth;
        if st.depth >= max {
            return self.errorf(st, format!("exceeded maximum template depth ({max})"));
        }
        self.check(st)?;
        let new_dot = match &t.pipe {
            Some(p) => self.eval_pipeline(st, dot, p)?,
            None => EVal::Invalid,
        };
        let saved_tree = std::mem::replace(&mut st.tree, tree);
        let saved_vars = std::mem::replace(&mut st.vars, vec![(Arc::from("$"), new_dot.clone())]);
        st.depth += 1;
        let r = self.walk_list(st, &new_dot, &tree.root, out);
        st.depth -= 1;
        st.tree = saved_tree;
        st.vars = saved_vars;
        r?;
        Ok(Flow::Normal)
    }

    // ---- evaluation ----

    fn eval_pipeline(&self, st: &mut State<'s>, dot: &EVal, pipe: &'s Pipe) -> R<EVal> {
        st.node = At::Pipe(pipe);
        let mut value: Option<EVal> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(st, dot, cmd, value.take())?;
            value = Some(v.unwrap_iface());
        }
        let value = value.unwrap_or(EVal::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(st, &var.ident[0], value.clone())?;
            } else {
                st.vars.push((var.ident[0].clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, st: &State<'s>, args: &[Arg], fin: &Option<EVal>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(
                st,
                format!("can't give argument to non-function {}", args[0]),
            );
        }
        Ok(())
    }

    fn eval_command(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        cmd: &'s Command,
        fin: Option<EVal>,
    ) -> R<EVal> {
        self.check(st)?;
        let first = &cmd.args[0];
        match first {
            Arg::Field { ident, .. } => {
                st.node = At::Arg(first);
                return self.eval_field_chain(
                    st,
                    dot,
                    dot.clone(),
                    At::Arg(first),
                    ident,
                    &cmd.args,
                    fin,
                );
            }
            Arg::Chain { .. } => return self.eval_chain_node(st, dot, first, &cmd.args, fin),
            Arg::Identifier { .. } => {
                return self.eval_function(st, dot, first, At::Cmd(cmd), &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(st, &cmd.args, &fin)?;
                return self.eval_pipeline(st, dot, p);
            }
            Arg::Variable(v) => return self.eval_variable_node(st, dot, first, v, &cmd.args, fin),
            _ => {}
        }
        st.node = At::Arg(first);
        self.not_a_function(st, &cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(EVal::Val(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf(st, "nil is not a command"),
            Arg::Number(n) => self.ideal_constant(st, first, n),
            Arg::String { text, .. } => Ok(EVal::Val(Value::String(text.clone()))),
            _ => self.errorf(
                st,
                format!(
                    "can't evaluate command {}",
                    gofmt::quote(&first.to_string())
                ),
            ),
        }
    }

    fn ideal_constant(&self, st: &mut State<'s>, arg: &'s Arg, n: &Number) -> R<EVal> {
        st.node = At::Arg(arg);
        let text = &*n.text;
        let is_hex_int = text.len() > 2
            && text.starts_with('0')
            && matches!(text.as_bytes()[1], b'x' | b'X')
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_complex {
            return self.errorf(st, format!("complex constant {text} is not supported"));
        }
        if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(EVal::Val(Value::Float(n.float)));
        }
        if n.is_int {
            return Ok(EVal::Val(Value::Int(n.int)));
        }
        if n.is_uint {
            return self.errorf(st, format!("{text} overflows int"));
        }
        Ok(EVal::Invalid)
    }

    fn eval_chain_node(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        chain: &'s Arg,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        st.node = At::Arg(chain);
        let Arg::Chain { node, field, .. } = chain else {
            return self.errorf(st, "internal error: not a chain");
        };
        if matches!(**node, Arg::Nil(_)) {
            return self.errorf(st, format!("indirection through explicit nil in {chain}"));
        }
        let pipe = self.eval_arg(st, dot, Param::Refl, node)?;
        self.eval_field_chain(st, dot, pipe, At::Arg(chain), field, args, fin)
    }

    fn eval_variable_node(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        arg: &'s Arg,
        v: &'s Variable,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        st.node = At::Arg(arg);
        let value = self.var_value(st, &v.ident[0])?;
        if v.ident.len() == 1 {
            self.not_a_function(st, args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(st, dot, value, At::Arg(arg), &v.ident[1..], args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        mut receiver: EVal,
        node: At<'s>,
        ident: &'s [Arc<str>],
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        let n = ident.len();
        for id in &ident[..n - 1] {
            receiver = self.eval_field(st, dot, id, node, &[], None, receiver)?;
        }
        self.eval_field(st, dot, &ident[n - 1], node, args, fin, receiver)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        name: &str,
        node: At<'s>,
        args: &'s [Arg],
        fin: Option<EVal>,
        receiver: EVal,
    ) -> R<EVal> {
        let missing = self.set.options().missing_key;
        // The receiver's Go type, for errors only (naming it allocates).
        let is_iface = matches!(receiver, EVal::Iface(_));
        let typ = |v: &Value| {
            if is_iface {
                "interface {}".to_string()
            } else {
                gofmt::type_name(v)
            }
        };
        let inner = match receiver {
            EVal::Invalid => {
                if missing == MissingKey::Error {
                    return self.errorf(
                        st,
                        format!("nil data; no entry for key {}", gofmt::quote(name)),
                    );
                }
                return Ok(EVal::Invalid);
            }
            EVal::Iface(Value::Nil) => {
                return self.errorf(st, format!("nil pointer evaluating interface {{}}.{name}"));
            }
            EVal::Iface(v) | EVal::Val(v) => v,
        };
        let has_args = args.len() > 1 || fin.is_some();
        match &inner {
            Value::Map(m) => {
                if has_args {
                    return self.errorf(st, format!("{name} is not a method but has arguments"));
                }
                match m.get(name) {
                    Some(v) => Ok(EVal::Iface(v)),
                    None => match missing {
                        MissingKey::Invalid => Ok(EVal::Invalid),
                        MissingKey::Zero => Ok(EVal::Iface(Value::Nil)),
                        MissingKey::Error => self.errorf(
                            st,
                            format!("map has no entry for key {}", gofmt::quote(name)),
                        ),
                    },
                }
            }
            Value::Object(o) => {
                if !has_args && let Some(v) = o.field(name) {
                    return Ok(if v.is_nil() {
                        EVal::Iface(Value::Nil)
                    } else {
                        EVal::Val(v)
                    });
                }
                // A method: evaluate the arguments, then call.
                let call_args = if args.is_empty() { &[][..] } else { &args[1..] };
                let mut argv = Vec::with_capacity(call_args.len() + 1);
                for a in call_args {
                    let v = self.eval_arg(st, dot, Param::Any, a)?;
                    argv.push(v.to_value());
                }
                if let Some(f) = &fin {
                    argv.push(f.to_value());
                }
                match o.call_method(name, &argv) {
                    Some(Ok(v)) => Ok(if v.is_nil() {
                        EVal::Iface(Value::Nil)
                    } else {
                        EVal::Val(v)
                    }),
                    Some(Err(e)) => {
                        st.node = node;
                        self.func_error(st, name, e)
                    }
                    None => {
                        if o.field(name).is_some() {
                            self.errorf(
                                st,
                                format!("{name} has arguments but cannot be invoked as function"),
                            )
                        } else {
                            let typ = typ(&inner);
                            self.errorf(st, format!("can't evaluate field {name} in type {typ}"))
                        }
                    }
                }
            }
            _ => {
                let typ = typ(&inner);
                self.errorf(st, format!("can't evaluate field {name} in type {typ}"))
            }
        }
    }

    fn func_error<T>(&self, st: &State<'s>, name: &str, e: FuncError) -> R<T> {
        match e {
            FuncError::Failed(m) => self.errorf(st, format!("error calling {name}: {m}")),
            FuncError::BadArgs(m) => self.errorf(st, m),
            FuncError::Nested(m) => Err(Fail::Raw(m)),
        }
    }

    fn eval_function(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        ident: &'s Arg,
        call_node: At<'s>,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        st.node = At::Arg(ident);
        let Arg::Identifier { name, .. } = ident else {
            return self.errorf(st, "internal error: not a function");
        };
        let call_args: &'s [Arg] = if args.is_empty() { &[] } else { &args[1..] };
        if let Some(f) = self.set.funcs().get(name) {
            if let Some(sig) = self.set.funcs().signature(name) {
                return self.call_typed(st, dot, f, sig, call_node, name, call_args, fin);
            }
            return self.call_user(st, dot, f, At::Arg(ident), call_node, name, call_args, fin);
        }
        if builtins::is_builtin(name) {
            return self.call_builtin(st, dot, call_node, name, call_args, fin);
        }
        self.errorf(
            st,
            format!("{} is not a defined function", gofmt::quote(name)),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn call_user(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        f: &Func,
        ident_node: At<'s>,
        call_node: At<'s>,
        name: &str,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        let mut argv = Vec::with_capacity(args.len() + 1);
        for a in args {
            argv.push(self.eval_arg(st, dot, Param::Any, a)?.to_value());
        }
        if let Some(f) = &fin {
            argv.push(f.to_value());
        }
        let result = {
            let mut ctx = Ctx {
                exec: self,
                current: st.tree,
            };
            f(&mut ctx, &argv)
        };
        match result {
            Ok(v) => Ok(if v.is_nil() {
                EVal::Iface(Value::Nil)
            } else {
                EVal::Val(v)
            }),
            Err(e) => {
                // Go reports argument problems before the call, at the
                // function's name; failures after it at the whole command.
                st.node = match e {
                    FuncError::Failed(_) => call_node,
                    _ => ident_node,
                };
                self.func_error(st, name, e)
            }
        }
    }

    /// Calls a function registered with a Go signature: arity, literal
    /// conversion and type checks as Go's `evalCall`/`evalArg` do them.
    #[allow(clippy::too_many_arguments)]
    fn call_typed(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        f: &Func,
        sig: &Signature,
        call_node: At<'s>,
        name: &str,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        let num_in = args.len() + usize::from(fin.is_some());
        let fixed = sig.params.len();
        if sig.variadic.is_some() {
            if num_in < fixed {
                return self.errorf(
                    st,
                    format!(
                        "wrong number of args for {name}: want at least {fixed} got {}",
                        args.len()
                    ),
                );
            }
        } else if num_in != fixed {
            return self.errorf(
                st,
                format!("wrong number of args for {name}: want {fixed} got {num_in}"),
            );
        }
        let param = |i: usize| -> ParamType {
            sig.params
                .get(i)
                .copied()
                .or(sig.variadic)
                .unwrap_or(ParamType::Any)
        };
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            argv.push(self.eval_typed_arg(st, dot, param(i), a)?);
        }
        if let Some(v) = fin {
            argv.push(self.validate_type(st, v, param(args.len()))?);
        }
        let result = {
            let mut ctx = Ctx {
                exec: self,
                current: st.tree,
            };
            f(&mut ctx, &argv)
        };
        match result {
            Ok(v) => Ok(if v.is_nil() {
                EVal::Iface(Value::Nil)
            } else {
                EVal::Val(v)
            }),
            Err(e) => {
                if matches!(e, FuncError::Failed(_)) {
                    st.node = call_node;
                }
                self.func_error(st, name, e)
            }
        }
    }

    /// Go's `evalArg` for a typed parameter.
    fn eval_typed_arg(&self, st: &mut State<'s>, dot: &EVal, p: ParamType, n: &'s Arg) -> R<Value> {
        st.node = At::Arg(n);
        match n {
            Arg::Nil(_) => {
                if p.can_be_nil() {
                    return Ok(Value::Nil);
                }
                return self.errorf(st, format!("cannot assign nil to {}", p.go_name()));
            }
            Arg::Bool(_, b) => {
                return match p {
                    ParamType::Bool | ParamType::Any => Ok(Value::Bool(*b)),
                    _ => self.literal_mismatch(st, p, n),
                };
            }
            Arg::String { text, .. } => {
                return match p {
                    ParamType::String | ParamType::Any => Ok(Value::String(text.clone())),
                    _ => self.literal_mismatch(st, p, n),
                };
            }
            Arg::Number(num) => {
                return match p {
                    ParamType::Int | ParamType::Int64 if num.is_int && !num.is_complex => {
                        Ok(Value::Int(num.int))
                    }
                    ParamType::Float64 if num.is_float && !num.is_complex => {
                        Ok(Value::Float(num.float))
                    }
                    ParamType::Any => Ok(self.ideal_constant(st, n, num)?.to_value()),
                    _ => self.literal_mismatch(st, p, n),
                };
            }
            _ => {}
        }
        let v = self.eval_arg(st, dot, Param::Refl, n)?;
        self.validate_type(st, v, p)
    }

    fn literal_mismatch<T>(&self, st: &State<'s>, p: ParamType, n: &Arg) -> R<T> {
        let what = match p {
            ParamType::Bool => "bool",
            ParamType::String => "string",
            ParamType::Int | ParamType::Int64 => "integer",
            ParamType::Float64 => "float",
            _ => {
                return self.errorf(
                    st,
                    format!("can't handle {n} for arg of type {}", p.go_name()),
                );
            }
        };
        self.errorf(st, format!("expected {what}; found {n}"))
    }

    /// Go's `validateType` for a typed parameter.
    fn validate_type(&self, st: &State<'s>, v: EVal, p: ParamType) -> R<Value> {
        let inner = match &v {
            EVal::Invalid => {
                if p.can_be_nil() {
                    return Ok(Value::Nil);
                }
                return self.errorf(st, format!("invalid value; expected {}", p.go_name()));
            }
            EVal::Iface(Value::Nil) => {
                if p == ParamType::Any {
                    return Ok(Value::Nil);
                }
                return self.errorf(
                    st,
                    format!(
                        "wrong type for value; expected {}; got interface {{}}",
                        p.go_name()
                    ),
                );
            }
            EVal::Iface(x) | EVal::Val(x) => x,
        };
        let ok = match p {
            ParamType::Any => true,
            ParamType::String => matches!(inner, Value::String(_)),
            ParamType::Int | ParamType::Int64 => matches!(inner, Value::Int(_)),
            ParamType::Float64 => matches!(inner, Value::Float(_)),
            ParamType::Bool => matches!(inner, Value::Bool(_)),
            ParamType::List => matches!(inner, Value::List(_)),
            ParamType::Map => matches!(inner, Value::Map(_)),
        };
        if ok {
            return Ok(inner.clone());
        }
        self.errorf(
            st,
            format!(
                "wrong type for value; expected {}; got {}",
                p.go_name(),
                gofmt::type_name(inner)
            ),
        )
    }

    /// Go's `evalArg` for a parameter kind.
    pub(crate) fn eval_arg(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        param: Param,
        n: &'s Arg,
    ) -> R<EVal> {
        st.node = At::Arg(n);
        let v = match n {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => {
                if param == Param::Str {
                    return self.errorf(st, "cannot assign nil to string");
                }
                EVal::Invalid
            }
            Arg::Field { ident, .. } => self.eval_field_chain(
                st,
                dot,
                dot.clone(),
                At::Arg(n),
                ident,
                std::slice::from_ref(n),
                None,
            )?,
            Arg::Variable(v) => self.eval_variable_node(st, dot, n, v, &[], None)?,
            Arg::Pipe(p) => {
                self.check(st)?;
                self.eval_pipeline(st, dot, p)?
            }
            Arg::Identifier { .. } => self.eval_function(st, dot, n, At::Arg(n), &[], None)?,
            Arg::Chain { .. } => self.eval_chain_node(st, dot, n, &[], None)?,
            Arg::Bool(_, b) => {
                if param == Param::Str {
                    return self.errorf(st, format!("expected string; found {n}"));
                }
                EVal::Val(Value::Bool(*b))
            }
            Arg::Number(num) => {
                if param == Param::Str {
                    return self.errorf(st, format!("expected string; found {n}"));
                }
                self.ideal_constant(st, n, num)?
            }
            Arg::String { text, .. } => EVal::Val(Value::String(text.clone())),
        };
        if param == Param::Str {
            return self.validate_string(st, v);
        }
        Ok(v)
    }

    /// Go's `validateType(value, string)`.
    fn validate_string(&self, st: &State<'s>, v: EVal) -> R<EVal> {
        match &v {
            EVal::Invalid => self.errorf(st, "invalid value; expected string"),
            EVal::Val(Value::String(_)) | EVal::Iface(Value::String(_)) => Ok(v.unwrap_iface()),
            EVal::Iface(Value::Nil) => self.errorf(
                st,
                "wrong type for value; expected string; got interface {}",
            ),
            EVal::Iface(x) | EVal::Val(x) => self.errorf(
                st,
                format!(
                    "wrong type for value; expected string; got {}",
                    gofmt::type_name(x)
                ),
            ),
        }
    }

    fn call_builtin(
        &self,
        st: &mut State<'s>,
        dot: &EVal,
        call_node: At<'s>,
        name: &str,
        args: &'s [Arg],
        fin: Option<EVal>,
    ) -> R<EVal> {
        let (fixed, variadic) = builtins::signature(name);
        let num_in = args.len() + usize::from(fin.is_some());
        if let Some(_v) = variadic {
            if num_in < fixed.len() {
                return self.errorf(
                    st,
                    format!(
                        "wrong number of args for {name}: want at least {} got {}",
                        fixed.len(),
                        args.len()
                    ),
                );
            }
        } else if num_in != fixed.len() {
            return self.errorf(
                st,
                format!(
                    "wrong number of args for {name}: want {} got {num_in}",
                    fixed.len()
                ),
            );
        }
        let param_at = |i: usize| -> Param {
            if i < fixed.len() {
                fixed[i]
            } else {
                variadic.unwrap_or(Param::Any)
            }
        };
        // and/or short-circuit (Go 1.18+), returning the deciding value.
        if name == "and" || name == "or" {
            let want = name == "or";
            let mut v = EVal::Invalid;
            for a in args {
                v = self.eval_arg(st, dot, Param::Refl, a)?;
                if eval_truth(&v) == want {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let mut argv: Vec<EVal> = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            argv.push(self.eval_arg(st, dot, param_at(i), a)?);
        }
        if let Some(f) = fin {
            let p = param_at(args.len());
            let f = if p == Param::Str {
                self.validate_string(st, f)?
            } else {
                f
            };
            argv.push(f);
        }
        let callee = if name == "call" {
            args.first().map(|a| a.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        match builtins::call(name, &argv, &callee) {
            Ok(v) => Ok(v),
            Err(msg) => {
                st.node = call_node;
                self.errorf(st, format!("error calling {name}: {msg}"))
            }
        }
    }
}

/// Prints a pipeline result as `{{ . }}` does.
fn print_value(v: &EVal, out: &mut String) {
    match v {
        EVal::Invalid => out.push_str("<no value>"),
        EVal::Iface(Value::String(s)) | EVal::Val(Value::String(s)) => out.push_str(s),
        EVal::Iface(x) | EVal::Val(x) => out.push_str(&gofmt::format_value(x)),
    }
}

/// The [`CallContext`] handed to functions.
pub(crate) struct Ctx<'a, 's> {
    exec: &'a Exec<'s>,
    current: &'s Tree,
}

impl Ctx<'_, '_> {
    fn run_named(&mut self, name: &str, data: &Value) -> Result<String, FuncError> {
        let Some(tree) = self.exec.set.tree(name) else {
            return Err(FuncError::Failed(
                Error::NoTemplate {
                    name: name.to_string(),
                    set: self.exec.set.name().to_string(),
                }
                .to_string(),
            ));
        };
        let mut out = String::new();
        match self
            .exec
            .execute_tree(tree, EVal::of(data.clone()), &mut out)
        {
            Ok(()) => Ok(out),
            Err(Fail::Exec(e)) => Err(FuncError::Failed(e.to_string())),
            Err(Fail::Raw(s)) => Err(FuncError::Nested(s)),
        }
    }
}

impl CallContext for Ctx<'_, '_> {
    fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, FuncError> {
        let limit = self.exec.set.options().max_include_depth;
        if let Some(limit) = limit {
            let mut inc = self.exec.shared.includes.borrow_mut();
            let c = inc.entry(name.to_string()).or_insert(0);
            if *c > limit {
                return Err(FuncError::Failed(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                )));
            }
            *c += 1;
        }
        let r = self.run_named(name, data);
        if limit.is_some()
            && let Some(c) = self.exec.shared.includes.borrow_mut().get_mut(name)
        {
            *c = c.saturating_sub(1);
        }
        r
    }

    fn execute_text(&mut self, text: &str, data: &Value) -> Result<String, FuncError> {
        // Helm 3's tpl parses into a clone of the set under the set's own
        // name (`t.New(parent.Name()).Parse(text)`).
        let name = self.exec.set.name().to_string();
        self.execute_text_named(&name, text, data)
    }

    fn execute_text_split(&mut self, text: &str, data: &Value) -> Result<String, TextError> {
        let name = self.exec.set.name().to_string();
        self.text_impl(&name, text, data)
    }

    fn execute_text_named(
        &mut self,
        name: &str,
        text: &str,
        data: &Value,
    ) -> Result<String, FuncError> {
        self.text_impl(name, text, data).map_err(|e| match e {
            TextError::Parse(m) => FuncError::Failed(m),
            TextError::Exec(f) => f,
        })
    }

    fn set_name(&self) -> &str {
        self.exec.set.name()
    }

    fn current_template(&self) -> &str {
        &self.current.name
    }
}

impl Ctx<'_, '_> {
    fn text_impl(&mut self, name: &str, text: &str, data: &Value) -> Result<String, TextError> {
        let mut set = self.exec.set.clone();
        let parsed = set
            .parse_main(name, text)
            .map_err(|e| TextError::Parse(e.to_string()))?;
        let Some(tree) = parsed else {
            return Err(TextError::Exec(FuncError::Failed(format!(
                "template: {name}: \"{name}\" is an incomplete or empty template"
            ))));
        };
        let exec = Exec {
            set: &set,
            shared: self.exec.shared,
        };
        let mut out = String::new();
        match exec.execute_tree(&tree, EVal::of(data.clone()), &mut out) {
            Ok(()) => Ok(out),
            Err(Fail::Exec(e)) => Err(TextError::Exec(FuncError::Failed(e.to_string()))),
            Err(Fail::Raw(s)) => Err(TextError::Exec(FuncError::Nested(s))),
        }
    }
}

//! The parser: items → [`Tree`]s, following Go 1.23's `text/template/parse`
//! grammar, variable scoping and error messages.

// Fx: keys are short names looked up on every call; no DoS concern in a CLI.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::ast::*;
use super::lexer::{LexOptions, Lexer};
use super::strconv;
use super::tokens::{Item, ItemType, Pos};
use crate::error::ParseError;

/// Nesting limit for blocks and parentheses, so that hostile input cannot
/// overflow the stack while parsing (Go has no such limit; its stacks grow).
pub const MAX_PARSE_DEPTH: usize = 1000;

type PResult<T> = Result<T, ParseError>;

enum Parsed {
    Node(Node),
    End,
    Else { pos: Pos },
}

impl Parsed {
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End => "{{end}}".into(),
            Parsed::Else { .. } => "{{else}}".into(),
        }
    }
}

struct Parser<'a> {
    lex: Lexer<'a>,
    token: [Item<'a>; 3],
    peek_count: usize,
    parse_name: Arc<str>,
    text: Arc<str>,
    has_func: &'a dyn Fn(&str) -> bool,
    trees: Vec<Tree>,
    index: HashMap<Arc<str>, usize>,
    vars: Vec<Arc<str>>,
    range_depth: usize,
    /// Where the action being parsed starts (for error messages).
    action_pos: Option<Pos>,
    depth: usize,
    /// One shared copy of each function, field and variable name: charts
    /// repeat a few names (`include`, `.Values`) thousands of times.
    names: HashSet<Arc<str>>,
    /// Scratch stacks the lists being built push onto; a finished list
    /// splits its part off the top into a vector of exactly its size (no
    /// regrowth, no spare capacity kept for the whole render).
    node_stack: Vec<Node>,
    cmd_stack: Vec<Command>,
    arg_stack: Vec<Arg>,
}

/// Parses `text` as the template `name`, returning the top-level tree and
/// every `define`/`block` tree it contains (in the order they completed).
/// `has_func` tells whether a function name exists (Go checks function
/// names at parse time).
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Tree>> {
    let eof = Item {
        typ: ItemType::Eof,
        pos: 0,
        val: "".into(),
        line_pos: 0,
    };
    let opts = LexOptions {
        break_ok: !has_func("break"),
        continue_ok: !has_func("continue"),
    };
    let text_arc: Arc<str> = Arc::from(text);
    let mut p = Parser {
        lex: Lexer::new(text, opts),
        token: [eof.clone(), eof.clone(), eof],
        peek_count: 0,
        parse_name: Arc::from(name),
        text: text_arc,
        has_func,
        trees: Vec::new(),
        index: HashMap::default(),
        vars: vec![Arc::from("$")],
        range_depth: 0,
        action_pos: None,
        depth: 0,
        names: HashSet::default(),
        node_stack: Vec::new(),
        cmd_stack: Vec::new(),
        arg_stack: Vec::new(),
    };
    let root = p.parse_top()?;
    let name: Arc<str> = p.parse_name.clone();
    p.add(name, root)?;
    Ok(p.trees)
}

impl<'a> Parser<'a> {
    fn errorf<T>(&self, msg: impl Into<String>) -> PResult<T> {
        Err(ParseError {
            name: self.parse_name.to_string(),
            line: self.lex.line_of(self.token[0].line_pos),
            message: msg.into(),
        })
    }

    fn next(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = self.lex.next_item();
        }
        self.token[self.peek_count].clone()
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.token[1] = t1;
        self.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.token[1] = t1;
        self.token[2] = t2;
        self.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1].clone();
        }
        self.peek_count = 1;
        self.token[0] = self.lex.next_item();
        self.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn expect(&mut self, typ: ItemType, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != typ {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn unexpected<T>(&self, tok: &Item, context: &str) -> PResult<T> {
        if tok.typ == ItemType::Error {
            let mut extra = String::new();
            let action_line = self.action_pos.map(|p| self.lex.line_of(p));
            if let Some(action_line) = action_line
                && action_line != self.lex.line_of(tok.line_pos)
            {
                extra = format!(" in action started at {}:{}", self.parse_name, action_line);
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", tok.val, extra));
        }
        self.errorf(format!("unexpected {} in {}", tok.describe(), context))
    }

    /// Adds a finished tree to the set (Go's `Tree.add`).
    fn add(&mut self, name: Arc<str>, root: List) -> PResult<()> {
        let tree = Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            root: Arc::new(root),
            text: self.text.clone(),
        };
        match self.index.get(&name) {
            None => {
                self.index.insert(name, self.trees.len());
                self.trees.push(tree);
            }
            Some(&i) => {
                if self.trees[i].is_empty() {
                    self.trees[i] = tree;
                } else if !tree.is_empty() {
                    return self.errorf(format!(
                        "template: multiple definition of template {}",
                        crate::gofmt::quote(&name)
                    ));
                }
            }
        }
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<List> {
        let pos = self.peek().pos;
        let mark = self.node_stack.len();
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    let saved = self.enter_tree();
                    let r = self.parse_definition();
                    self.leave_tree(saved);
                    r?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => self.node_stack.push(n),
                other => return self.errorf(format!("unexpected {}", other.describe())),
            }
        }
        Ok(List {
            pos,
            nodes: self.node_stack.split_off(mark),
        })
    }

    fn enter_tree(&mut self) -> (Vec<Arc<str>>, usize) {
        let vars = std::mem::replace(&mut self.vars, vec![Arc::from("$")]);
        let rd = std::mem::replace(&mut self.range_depth, 0);
        (vars, rd)
    }

    fn leave_tree(&mut self, saved: (Vec<Arc<str>>, usize)) {
        self.vars = saved.0;
        self.range_depth = saved.1;
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let tok = self.next_non_space();
        if tok.typ != ItemType::String && tok.typ != ItemType::RawString {
            return self.unexpected(&tok, CONTEXT);
        }
        let name = match strconv::unquote(&tok.val) {
            Ok(n) => n,
            Err(_) => return self.errorf("invalid syntax"),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return self.errorf(format!("unexpected {} in {}", end.describe(), CONTEXT));
        }
        self.add(Arc::from(name), root)
    }

    fn item_list(&mut self) -> PResult<(List, Parsed)> {
        let pos = self.peek_non_space().pos;
        let mark = self.node_stack.len();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => self.node_stack.push(n),
                other => {
                    let nodes = self.node_stack.split_off(mark);
                    return Ok((List { pos, nodes }, other));
                }
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text {
                pos: tok.pos,
                text: tok.val.into_owned().into_boxed_str(),
            })),
            ItemType::LeftDelim => {
                self.action_pos = Some(tok.line_pos);
                self.depth += 1;
                if self.depth > MAX_PARSE_DEPTH {
                    return self.errorf(format!(
                        "exceeded maximum nesting depth ({MAX_PARSE_DEPTH})"
                    ));
                }
                let r = self.action();
                self.depth -= 1;
                self.action_pos = None;
                r
            }
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(tok.pos, true),
            ItemType::Continue => return self.break_control(tok.pos, false),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => return Ok(Parsed::Node(Node::If(Box::new(self.parse_control("if")?)))),
            ItemType::Range => {
                return Ok(Parsed::Node(Node::Range(Box::new(
                    self.parse_control("range")?,
                ))));
            }
            ItemType::Template => return self.template_control(),
            ItemType::With => {
                return Ok(Parsed::Node(Node::With(Box::new(
                    self.parse_control("with")?,
                ))));
            }
            _ => {}
        }
        self.backup();
        let tok = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action(Box::new(Action {
            pos: tok.pos,
            pipe,
        }))))
    }

    fn break_control(&mut self, pos: Pos, is_break: bool) -> PResult<Parsed> {
        let word = if is_break { "break" } else { "continue" };
        let tok = self.next_non_space();
        if tok.typ != ItemType::RightDelim {
            return self.unexpected(&tok, &["{{", word, "}}"].concat());
        }
        if self.range_depth == 0 {
            return self.errorf(["{{", word, "}} outside {{range}}"].concat());
        }
        Ok(Parsed::Node(if is_break {
            Node::Break { pos }
        } else {
            Node::Continue { pos }
        }))
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Parsed::Else { pos: peek.pos });
        }
        let tok = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else { pos: tok.pos })
    }

    fn parse_control(&mut self, context: &str) -> PResult<Branch> {
        let mark = self.vars.len();
        let r = self.parse_control_inner(context);
        self.vars.truncate(mark);
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let is_range = context == "range";
        if is_range {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if is_range {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        match next {
            Parsed::End => {}
            Parsed::Else { pos } => {
                if context == "if" && self.peek().typ == ItemType::If {
                    self.next();
                    let n = Node::If(Box::new(self.parse_control("if")?));
                    else_list = Some(List {
                        pos,
                        nodes: vec![n],
                    });
                } else if context == "with" && self.peek().typ == ItemType::With {
                    self.next();
                    let n = Node::With(Box::new(self.parse_control("with")?));
                    else_list = Some(List {
                        pos,
                        nodes: vec![n],
                    });
                } else {
                    let (el, n2) = self.item_list()?;
                    if !matches!(n2, Parsed::End) {
                        return self.errorf(format!("expected end; found {}", n2.describe()));
                    }
                    else_list = Some(el);
                }
            }
            // item_list only stops at {{end}} or {{else}}.
            Parsed::Node(_) => {}
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn parse_template_name(&mut self, tok: &Item, context: &str) -> PResult<Arc<str>> {
        match tok.typ {
            ItemType::String | ItemType::RawString => match strconv::unquote(&tok.val) {
                Ok(s) => Ok(Arc::from(s)),
                Err(_) => self.errorf("invalid syntax"),
            },
            _ => self.unexpected(tok, context),
        }
    }

    fn template_control(&mut self) -> PResult<Parsed> {
        const CONTEXT: &str = "template clause";
        let tok = self.next_non_space();
        let name = self.parse_template_name(&tok, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Parsed::Node(Node::Template(Box::new(TemplateCall {
            pos: tok.pos,
            name,
            pipe,
        }))))
    }

    fn block_control(&mut self) -> PResult<Parsed> {
        const CONTEXT: &str = "block clause";
        let tok = self.next_non_space();
        let name = self.parse_template_name(&tok, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let saved = self.enter_tree();
        let r = (|| {
            let (root, end) = self.item_list()?;
            if !matches!(end, Parsed::End) {
                return self.errorf(format!("unexpected {} in {}", end.describe(), CONTEXT));
            }
            self.add(name.clone(), root)
        })();
        self.leave_tree(saved);
        r?;
        Ok(Parsed::Node(Node::Template(Box::new(TemplateCall {
            pos: tok.pos,
            name,
            pipe: Some(pipe),
        }))))
    }

    /// The shared copy of a name.
    fn name(&mut self, s: &str) -> Arc<str> {
        if let Some(n) = self.names.get(s) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(s);
        self.names.insert(n.clone());
        n
    }

    fn new_variable(&mut self, pos: Pos, val: &str) -> Variable {
        let mut ident = Vec::with_capacity(1 + val.bytes().filter(|b| *b == b'.').count());
        for s in val.split('.') {
            ident.push(self.name(s));
        }
        Variable { pos, ident }
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let tok = self.peek_non_space();
        let mark = self.cmd_stack.len();
        let mut pipe = Pipe {
            pos: tok.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ == ItemType::Variable {
                self.next();
                let after = self.peek();
                let next = self.peek_non_space();
                if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    pipe.decl.push(self.new_variable(v.pos, &v.val));
                    self.vars.push(Arc::from(&*v.val));
                } else if next.typ == ItemType::Char && next.val == "," {
                    self.next_non_space();
                    pipe.decl.push(self.new_variable(v.pos, &v.val));
                    self.vars.push(Arc::from(&*v.val));
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                } else if after.typ == ItemType::Space {
                    self.backup3(v, after);
                } else {
                    self.backup2(v);
                }
            }
            break;
        }
        loop {
            let tok = self.next_non_space();
            if tok.typ == end {
                pipe.cmds = self.cmd_stack.split_off(mark);
                self.check_pipeline(&pipe, context)?;
                pipe.decl.shrink_to_fit();
                return Ok(pipe);
            }
            match tok.typ {
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    self.cmd_stack.push(c);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String { .. }
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mark = self.arg_stack.len();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                self.arg_stack.push(op);
            }
            let tok = self.next();
            match tok.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        if self.arg_stack.len() == mark {
            return self.errorf("empty command");
        }
        Ok(Command {
            pos,
            args: self.arg_stack.split_off(mark),
        })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<Arc<str>> = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(self.name(&f.val[1..]));
        }
        let joined = |head: Vec<Arc<str>>, fields: Vec<Arc<str>>| {
            let mut all = Vec::with_capacity(head.len() + fields.len());
            all.extend(head);
            all.extend(fields);
            all
        };
        Ok(Some(match node {
            Arg::Field { ident, .. } => Arg::Field {
                pos: chain_pos,
                ident: joined(ident, fields),
            },
            Arg::Variable(mut v) => {
                v.ident = joined(std::mem::take(&mut v.ident), fields);
                v.pos = chain_pos;
                Arg::Variable(v)
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    crate::gofmt::quote(&node.to_string())
                ));
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                field: joined(Vec::new(), fields),
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space();
        Ok(Some(match tok.typ {
            ItemType::Identifier => {
                if !(self.has_func)(&tok.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        crate::gofmt::quote(&tok.val)
                    ));
                }
                Arg::Identifier {
                    pos: tok.pos,
                    name: self.name(&tok.val),
                }
            }
            ItemType::Dot => Arg::Dot(tok.pos),
            ItemType::Nil => Arg::Nil(tok.pos),
            ItemType::Variable => {
                let v = self.new_variable(tok.pos, &tok.val);
                if !self.vars.iter().any(|n| **n == *v.ident[0]) {
                    return self.errorf(format!(
                        "undefined variable {}",
                        crate::gofmt::quote(&v.ident[0])
                    ));
                }
                Arg::Variable(v)
            }
            ItemType::Field => Arg::Field {
                pos: tok.pos,
                ident: vec![self.name(&tok.val[1..])],
            },
            ItemType::Bool => Arg::Bool(tok.pos, tok.val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(tok.pos, &tok.val, tok.typ) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(e) => return self.errorf(e),
                }
            }
            ItemType::LeftParen => {
                self.depth += 1;
                if self.depth > MAX_PARSE_DEPTH {
                    return self.errorf(format!(
                        "exceeded maximum nesting depth ({MAX_PARSE_DEPTH})"
                    ));
                }
                let p = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.depth -= 1;
                Arg::Pipe(Box::new(p?))
            }
            ItemType::String | ItemType::RawString => match strconv::unquote(&tok.val) {
                Ok(s) => Arg::String {
                    pos: tok.pos,
                    quoted: tok.val.to_string().into_boxed_str(),
                    text: Arc::from(s),
                },
                Err(_) => return self.errorf("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `newNumber`: every interpretation of a numeric literal.
pub fn new_number(pos: Pos, text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number {
        pos,
        text: text.into(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        uint: 0,
        float: 0.0,
    };
    if typ == ItemType::CharConstant {
        let inner = &text[1..];
        let (piece, tail) =
            strconv::unquote_char(inner, '\'').map_err(|_| "invalid syntax".to_string())?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        let v = piece.value();
        n.int = v as i64;
        n.uint = v as u64;
        n.float = v as f64;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        return Ok(n);
    }
    if typ == ItemType::Complex || text.ends_with('i') {
        // Complex constants are not supported by this engine; they are
        // recognised so that execution can report them.
        let body = if typ == ItemType::Complex {
            Some(text)
        } else {
            strconv::parse_float(&text[..text.len() - 1]).map(|_| text)
        };
        if body.is_some() {
            n.is_complex = true;
            return Ok(n);
        }
    }
    let u = strconv::parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = strconv::parse_int(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = strconv::parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::gofmt::quote(text)));
        }
        n.is_float = true;
        n.float = f;
        if !n.is_int && (f as i64) as f64 == f && f.fract() == 0.0 && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.8e19 {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gofmt::quote(text)
        ));
    }
    Ok(n)
}

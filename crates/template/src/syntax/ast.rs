//! The parse tree, mirroring Go's `text/template/parse` nodes. Every node
//! keeps its byte position so errors can name `NAME:LINE:COL`, and
//! [`std::fmt::Display`] reproduces Go's `Node.String()` (used in the
//! `executing "x" at <...>` part of errors).

use std::fmt::{self, Write};
use std::sync::Arc;

use super::tokens::Pos;

/// A parsed template: one file's top level or one `define`/`block`.
#[derive(Debug)]
pub struct Tree {
    /// The template's name (`define` name or file name).
    pub name: Arc<str>,
    /// The name of the file (top-level template) it was parsed from; Go
    /// uses it for the location part of errors.
    pub parse_name: Arc<str>,
    /// The body (shared by the copies of a text parsed once for several
    /// files).
    pub root: Arc<List>,
    /// The whole text it was parsed from (for line/column of errors).
    pub text: Arc<str>,
}

impl Tree {
    /// Go's `parse.IsEmptyTree` on the root.
    pub fn is_empty(&self) -> bool {
        self.root.is_empty_tree()
    }

    /// Line (1-based) and column (0-based byte offset in the line) of a
    /// position, as Go's `ErrorContext` computes them.
    pub fn line_col(&self, pos: Pos) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let col = match before.iter().rposition(|b| *b == b'\n') {
            Some(i) => pos - (i + 1),
            None => pos,
        };
        (line, col)
    }
}

/// A sequence of nodes.
#[derive(Debug, Default)]
pub struct List {
    /// Position.
    pub pos: Pos,
    /// The nodes.
    pub nodes: Vec<Node>,
}

impl List {
    /// Whether it holds nothing but whitespace text (Go's IsEmptyTree).
    pub fn is_empty_tree(&self) -> bool {
        self.nodes.iter().all(|n| match n {
            Node::Text { text, .. } => text.trim().is_empty(),
            Node::Comment { .. } => true,
            _ => false,
        })
    }
}

/// A statement-level node. The large variants are boxed so that a node is
/// 32 bytes: most nodes are text and a template's tree lives for the whole
/// render (a large chart has hundreds of thousands of nodes).
#[derive(Debug)]
pub enum Node {
    /// Plain text.
    Text {
        /// Position.
        pos: Pos,
        /// The text.
        text: Box<str>,
    },
    /// `{{pipeline}}`.
    Action(Box<Action>),
    /// `{{/* ... */}}` (kept only for completeness; never printed).
    Comment {
        /// Position.
        pos: Pos,
    },
    /// `{{if}}`.
    If(Box<Branch>),
    /// `{{range}}`.
    Range(Box<Branch>),
    /// `{{with}}`.
    With(Box<Branch>),
    /// `{{template "name" pipeline}}` (also what `{{block}}` leaves behind).
    Template(Box<TemplateCall>),
    /// `{{break}}`.
    Break {
        /// Position.
        pos: Pos,
    },
    /// `{{continue}}`.
    Continue {
        /// Position.
        pos: Pos,
    },
}

impl Node {
    /// Position.
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text { pos, .. }
            | Node::Comment { pos }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::Action(a) => a.pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Template(t) => t.pos,
        }
    }
}

/// `{{pipeline}}`.
#[derive(Debug)]
pub struct Action {
    /// Position.
    pub pos: Pos,
    /// The pipeline.
    pub pipe: Pipe,
}

/// if/range/with.
#[derive(Debug)]
pub struct Branch {
    /// Position.
    pub pos: Pos,
    /// The condition / value.
    pub pipe: Pipe,
    /// The body.
    pub list: List,
    /// The `{{else}}` body.
    pub else_list: Option<List>,
}

/// `{{template "name" pipeline}}`.
#[derive(Debug)]
pub struct TemplateCall {
    /// Position.
    pub pos: Pos,
    /// Template name.
    pub name: Arc<str>,
    /// The data pipeline, if any.
    pub pipe: Option<Pipe>,
}

/// A pipeline with optional variable declarations.
#[derive(Debug)]
pub struct Pipe {
    /// Position.
    pub pos: Pos,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    /// Declared variables.
    pub decl: Vec<Variable>,
    /// The commands, separated by `|`.
    pub cmds: Vec<Command>,
}

/// A `$name` with optional field chain.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Position.
    pub pos: Pos,
    /// `$x`, then field names.
    pub ident: Vec<Arc<str>>,
}

/// One command of a pipeline: an operand and its arguments.
#[derive(Debug)]
pub struct Command {
    /// Position.
    pub pos: Pos,
    /// Arguments; the first one is the operand / function.
    pub args: Vec<Arg>,
}

/// A number literal with every interpretation Go computes for it.
#[derive(Debug, Clone)]
pub struct Number {
    /// Position.
    pub pos: Pos,
    /// Original text.
    pub text: Box<str>,
    /// Representable as int64.
    pub is_int: bool,
    /// Representable as uint64.
    pub is_uint: bool,
    /// Representable as float64.
    pub is_float: bool,
    /// Is a complex (imaginary) literal.
    pub is_complex: bool,
    /// int64 value.
    pub int: i64,
    /// uint64 value.
    pub uint: u64,
    /// float64 value.
    pub float: f64,
}

/// An operand.
#[derive(Debug)]
pub enum Arg {
    /// `.A.B`.
    Field {
        /// Position.
        pos: Pos,
        /// Field names.
        ident: Vec<Arc<str>>,
    },
    /// `(pipe).A.B`.
    Chain {
        /// Position.
        pos: Pos,
        /// The term.
        node: Box<Arg>,
        /// Field names.
        field: Vec<Arc<str>>,
    },
    /// A function name.
    Identifier {
        /// Position.
        pos: Pos,
        /// Name.
        name: Arc<str>,
    },
    /// `$x.A`.
    Variable(Variable),
    /// `.`.
    Dot(Pos),
    /// `nil`.
    Nil(Pos),
    /// `true`/`false`.
    Bool(Pos, bool),
    /// A number.
    Number(Box<Number>),
    /// A string literal.
    String {
        /// Position.
        pos: Pos,
        /// The original quoted text.
        quoted: Box<str>,
        /// The unquoted value.
        text: Arc<str>,
    },
    /// `(pipeline)`.
    Pipe(Box<Pipe>),
}

impl Arg {
    /// Position.
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) => *p,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

// ---- Go's Node.String() ----

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text, .. } => f.write_str(text),
            Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
            Node::Comment { .. } => f.write_str("{{/* */}}"),
            Node::If(b) => fmt_branch(f, "if", b),
            Node::Range(b) => fmt_branch(f, "range", b),
            Node::With(b) => fmt_branch(f, "with", b),
            Node::Template(t) => write!(f, "{t}"),
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

impl fmt::Display for TemplateCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = crate::gofmt::quote(&self.name);
        match &self.pipe {
            None => write!(f, "{{{{template {q}}}}}"),
            Some(p) => write!(f, "{{{{template {q} {p}}}}}"),
        }
    }
}

fn fmt_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.ident.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            f.write_str(id)?;
        }
        Ok(())
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => {
                for id in ident {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Chain { node, field, .. } => {
                if let Arg::Pipe(p) = &**node {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for id in field {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Dot(_) => f.write_char('.'),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_stay_small() {
        // A large chart keeps hundreds of thousands of nodes for the whole
        // render; a new unboxed variant would multiply that memory.
        assert!(
            std::mem::size_of::<Node>() <= 32,
            "{}",
            std::mem::size_of::<Node>()
        );
        assert!(
            std::mem::size_of::<Arg>() <= 48,
            "{}",
            std::mem::size_of::<Arg>()
        );
    }
}

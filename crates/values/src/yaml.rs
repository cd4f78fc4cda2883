//! A small YAML document model and emitter with comments.
//!
//! Generated values files are meant to be read and edited by people, so each
//! key can carry comment lines, and keys keep the order they were inserted in
//! (the callers insert in a fixed order, which makes the output stable).
//! Strings are written plain only when no YAML 1.1 or 1.2 reader could take
//! them for anything else; otherwise they are double-quoted.

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, written with Rust's shortest round-trip form.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping.
    Map(Map),
}

/// An ordered mapping whose keys may carry comments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    entries: Vec<Entry>,
}

/// One key of a [`Map`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Comment lines written above the key (without `# `).
    pub comments: Vec<String>,
    /// The value.
    pub value: Node,
    /// A comment written at the end of the key's line.
    pub trailing: Option<String>,
}

impl Map {
    /// An empty mapping.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the mapping has no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries in order, for changing values or comments in place.
    pub fn entries_mut(&mut self) -> &mut [Entry] {
        &mut self.entries
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    /// Inserts or replaces `key` (a replaced key keeps its place).
    pub fn insert(&mut self, key: &str, value: Node) -> &mut Entry {
        let i = match self.entries.iter().position(|e| e.key == key) {
            Some(i) => {
                self.entries[i].value = value;
                i
            }
            None => {
                self.entries.push(Entry {
                    key: key.to_string(),
                    comments: Vec::new(),
                    value,
                    trailing: None,
                });
                self.entries.len() - 1
            }
        };
        &mut self.entries[i]
    }

    /// Sets the value at a dotted path, creating the mappings on the way
    /// (a non-mapping in the way is replaced). `comment`, when given, is added
    /// above the leaf key.
    pub fn set_path(&mut self, path: &str, value: Node, comment: Option<&str>) {
        let parts: Vec<&str> = path.split('.').collect();
        self.set_parts(&parts, value, comment);
    }

    fn set_parts(&mut self, parts: &[&str], value: Node, comment: Option<&str>) {
        let [first, rest @ ..] = parts else { return };
        if rest.is_empty() {
            let entry = self.insert(first, value);
            if let Some(c) = comment {
                for line in c.lines() {
                    if !entry.comments.iter().any(|x| x == line) {
                        entry.comments.push(line.to_string());
                    }
                }
            }
            return;
        }
        if !matches!(self.get(first), Some(Node::Map(_))) {
            self.insert(first, Node::Map(Map::new()));
        }
        if let Some(Entry {
            value: Node::Map(m),
            ..
        }) = self.entries.iter_mut().find(|e| e.key == *first)
        {
            m.set_parts(rest, value, comment);
        }
    }

    /// The value at a dotted path.
    pub fn get_path(&self, path: &str) -> Option<&Node> {
        let mut cur = self;
        let mut parts = path.split('.').peekable();
        while let Some(p) = parts.next() {
            let v = cur.get(p)?;
            if parts.peek().is_none() {
                return Some(v);
            }
            match v {
                Node::Map(m) => cur = m,
                _ => return None,
            }
        }
        None
    }

    /// Adds comment lines above an existing top-level-or-nested key.
    pub fn comment_path(&mut self, path: &str, comment: &str) {
        let parts: Vec<&str> = path.split('.').collect();
        let mut cur = self;
        for (i, p) in parts.iter().enumerate() {
            let Some(e) = cur.entries.iter_mut().find(|e| e.key == *p) else {
                return;
            };
            if i + 1 == parts.len() {
                for line in comment.lines() {
                    if !e.comments.iter().any(|x| x == line) {
                        e.comments.push(line.to_string());
                    }
                }
                return;
            }
            match &mut e.value {
                Node::Map(m) => cur = m,
                _ => return,
            }
        }
    }
}

/// Converts a parsed YAML value into a [`Node`] (tags are dropped).
pub fn from_yaml(v: &yaml_serde::Value) -> Node {
    use yaml_serde::Value as V;
    match v {
        V::Null => Node::Null,
        V::Bool(b) => Node::Bool(*b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Node::Int(i),
            None => Node::Float(n.as_f64().unwrap_or(0.0)),
        },
        V::String(s) => Node::Str(s.clone()),
        V::Sequence(s) => Node::Seq(s.iter().map(from_yaml).collect()),
        V::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(&key_string(k), from_yaml(v));
            }
            Node::Map(out)
        }
        V::Tagged(t) => from_yaml(&t.value),
    }
}

/// A mapping key as text (non-string keys are written as YAML scalars).
pub fn key_string(k: &yaml_serde::Value) -> String {
    use yaml_serde::Value as V;
    match k {
        V::String(s) => s.clone(),
        V::Bool(b) => b.to_string(),
        V::Number(n) => n.to_string(),
        V::Null => "null".to_string(),
        other => format!("{other:?}"),
    }
}

/// Writes a document: optional header comment lines, then the mapping.
pub fn emit(header: &[String], doc: &Map) -> String {
    let mut out = String::new();
    for line in header {
        push_comment(&mut out, 0, line);
    }
    if doc.is_empty() {
        out.push_str("{}\n");
        return out;
    }
    emit_map(&mut out, doc, 0);
    out
}

fn push_comment(out: &mut String, indent: usize, line: &str) {
    out.push_str(&" ".repeat(indent));
    if line.is_empty() {
        out.push_str("#\n");
    } else {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
}

fn emit_map(out: &mut String, m: &Map, indent: usize) {
    for e in &m.entries {
        for c in &e.comments {
            push_comment(out, indent, c);
        }
        out.push_str(&" ".repeat(indent));
        out.push_str(&scalar_str(&e.key));
        out.push(':');
        emit_value_after_key(out, &e.value, indent, e.trailing.as_deref());
    }
}

/// Writes a value that follows `key:` (or `- `) at `indent`.
fn emit_value_after_key(out: &mut String, v: &Node, indent: usize, trailing: Option<&str>) {
    let end_line = |out: &mut String| {
        if let Some(t) = trailing {
            out.push_str("  # ");
            out.push_str(t);
        }
        out.push('\n');
    };
    match v {
        Node::Map(m) if !m.is_empty() => {
            end_line(out);
            emit_map(out, m, indent + 2);
        }
        Node::Seq(s) if !s.is_empty() => {
            end_line(out);
            emit_seq(out, s, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            end_line(out);
        }
    }
}

fn emit_seq(out: &mut String, s: &[Node], indent: usize) {
    for item in s {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Node::Map(m) if !m.is_empty() => {
                // The first key goes on the dash's line.
                let mut first = String::new();
                emit_map(&mut first, m, indent + 2);
                out.push(' ');
                out.push_str(first.trim_start());
            }
            Node::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_seq(out, inner, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

fn inline(v: &Node) -> String {
    match v {
        Node::Null => "null".to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => {
            if f.is_nan() {
                ".nan".to_string()
            } else if f.is_infinite() {
                if *f > 0.0 { ".inf" } else { "-.inf" }.to_string()
            } else if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.1}")
            } else {
                f.to_string()
            }
        }
        Node::Str(s) => scalar_str(s),
        Node::Seq(_) => "[]".to_string(),
        Node::Map(_) => "{}".to_string(),
    }
}

/// Words YAML 1.1 readers (helm's go-yaml) take for booleans or null.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '/') {
        return false;
    }
    if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '@' | '+'))
}

/// A string as a YAML scalar: plain when unambiguous, else double-quoted.
pub fn scalar_str(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(scalar_str("social.example.com"), "social.example.com");
        assert_eq!(scalar_str("yes"), "\"yes\"");
        assert_eq!(scalar_str("On"), "\"On\"");
        assert_eq!(scalar_str("5432"), "\"5432\"");
        assert_eq!(scalar_str(""), "\"\"");
        assert_eq!(scalar_str("a: b"), "\"a: b\"");
        assert_eq!(scalar_str("x\"y\\\n"), "\"x\\\"y\\\\\\n\"");
        assert_eq!(scalar_str("http://h"), "\"http://h\"");
    }

    #[test]
    fn nested_paths_keep_insertion_order_and_round_trip() {
        let mut m = Map::new();
        m.set_path("b.x", Node::Int(1), Some("first"));
        m.set_path("a", Node::Str("on".into()), None);
        m.set_path("b.y", Node::Seq(vec![Node::Str("p".into())]), None);
        m.set_path(
            "b.z",
            Node::Seq(vec![Node::Map({
                let mut w = Map::new();
                w.insert("name", Node::Str("all".into()));
                w.insert("n", Node::Int(2));
                w
            })]),
            None,
        );
        m.set_path("c", Node::Map(Map::new()), None);
        let text = emit(&["head".into()], &m);
        assert_eq!(
            text,
            "# head\nb:\n  # first\n  x: 1\n  \"y\":\n    - p\n  z:\n    - name: all\n      \"n\": 2\na: \"on\"\nc: {}\n"
        );
        let back: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
        let Node::Map(back) = from_yaml(&back) else {
            panic!("not a map")
        };
        let uncommented: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(emit(&[], &back), uncommented);
    }
}

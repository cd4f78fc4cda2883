//! Reading YAML the way helm does: go-yaml v2 decodes into Go values
//! (`map[interface{}]interface{}`, int, float64, bool, string), then
//! sigs.k8s.io/yaml turns that into JSON and encoding/json reads it back, so
//! every number ends up a float64 and every map key a string.
//!
//! The YAML syntax itself is parsed by `saphyr-parser` (a libyaml-derived
//! YAML 1.2 parser); typing, merge keys and key conversion follow go-yaml v2.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use tusk_template::{Map, Value};

use super::YamlError;
use super::resolve::{Resolved, go_parse_float, resolve};
use crate::gofloat::format_float;

/// A parsed YAML node (aliases already replaced by their anchored node).
#[derive(Debug)]
enum YNode {
    Scalar {
        value: String,
        plain: bool,
        tag: Option<String>,
    },
    Seq(Vec<Rc<YNode>>),
    Map(Vec<(Rc<YNode>, Rc<YNode>)>),
    /// A use of an anchored node (`*name`).
    Alias(Rc<YNode>),
}

/// A Go value as go-yaml v2 produces it when decoding into interface{}.
#[derive(Debug, Clone)]
pub(crate) enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoVal>),
    Map(Vec<(GoVal, GoVal)>),
}

fn tag_string(t: &Tag) -> String {
    if t.handle == "tag:yaml.org,2002:" || t.handle == "!!" {
        format!("tag:yaml.org,2002:{}", t.suffix)
    } else {
        format!("{}{}", t.handle, t.suffix)
    }
}

struct Builder<'a> {
    /// Set when saphyr rejected a tab after `:` that go-yaml accepts as a
    /// separator: the char index of the tab, so the caller can retry.
    tab_retry: Option<usize>,
    /// Byte offset of every char (saphyr's spans count chars), built on
    /// first need.
    char_offsets: Option<Vec<usize>>,
    /// Whether the text contains `\/` anywhere (checked once).
    has_slash_escape: bool,
    text: &'a str,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Rc<YNode>>,
}

/// Turns saphyr's error into go-yaml v2's wording and line rule: go-yaml
/// names the 0-based line of the problem mark, plus one for scanner errors,
/// and omits the line entirely when the mark is on the first line (a
/// go-yaml quirk). saphyr's markers are 1-based.
fn scan_error(e: &ScanError, text: &str) -> YamlError {
    let info = e.info();
    let m = e.marker();
    let parser_error =
        info.starts_with("while parsing") || info.starts_with("invalid trailing content");
    // Drop libyaml's context ("while scanning a quoted scalar, ..."): go-yaml
    // reports only the problem.
    let problem = match info.split_once(", ") {
        Some((ctx, rest)) if ctx.starts_with("while ") => rest,
        _ => info,
    };
    let mut mark0 = m.line().saturating_sub(1);
    let message = if problem.starts_with("expected ") {
        format!("did not find {problem}")
    } else if problem.starts_with("invalid trailing content") {
        "did not find expected key".to_string()
    } else if problem.starts_with("tabs disallowed") {
        "found character that cannot start any token".to_string()
    } else if problem.starts_with("simple key expect ':'") {
        "could not find expected ':'".to_string()
    } else if problem == "found unknown anchor" {
        let name: String = text
            .get(m.index()..)
            .unwrap_or("")
            .trim_start_matches('*')
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect();
        return YamlError::Syntax {
            line: 0,
            column: m.col() + 1,
            message: format!("unknown anchor '{name}' referenced"),
        };
    } else {
        problem.to_string()
    };
    if problem.contains("unexpected end of stream") {
        // go-yaml's mark is at the end of the input.
        mark0 = text.matches('\n').count();
    }
    let line = if mark0 == 0 {
        0
    } else if parser_error {
        mark0
    } else {
        mark0 + 1
    };
    YamlError::Syntax {
        line,
        column: m.col() + 1,
        message,
    }
}

impl<'a> Builder<'a> {
    /// libyaml (YAML 1.1) knows no `\/` escape, which YAML 1.2 added.
    fn check_yaml11_escapes(&mut self, span: &Span) -> Result<(), YamlError> {
        // Only documents containing the sequence at all need the scan
        // (char offsets are computed once, lazily: spans count chars).
        if !self.has_slash_escape {
            return Ok(());
        }
        let text = self.text;
        let offsets = self.char_offsets.get_or_insert_with(|| {
            text.char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect()
        });
        let at = |i: usize| offsets.get(i).copied().unwrap_or(text.len());
        let src = &text[at(span.start.index())..at(span.end.index())];
        let b = src.as_bytes();
        let mut i = 0;
        let mut line = span.start.line();
        while i < b.len() {
            match b[i] {
                b'\n' => line += 1,
                b'\\' => {
                    if b.get(i + 1) == Some(&b'/') {
                        return Err(YamlError::Syntax {
                            line: if line <= 1 { 0 } else { line },
                            column: 0,
                            message: "found unknown escape character".into(),
                        });
                    }
                    i += 1;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }

    fn next(&mut self) -> Result<Option<(Event<'a>, Span)>, YamlError> {
        match self.parser.next() {
            None => Ok(None),
            Some(Ok(ev)) => Ok(Some(ev)),
            Some(Err(e)) => {
                // go-yaml (YAML 1.1) takes a tab as the separator after a
                // mapping colon; saphyr (YAML 1.2) does not.
                if e.info()
                    .contains("must be followed by a valid YAML whitespace")
                {
                    let idx = e.marker().index();
                    // saphyr's mark is just past the tab.
                    if idx > 0 && self.text.chars().nth(idx - 1) == Some('\t') {
                        self.tab_retry = Some(idx - 1);
                    }
                }
                Err(scan_error(&e, self.text))
            }
        }
    }

    fn expect(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        self.next()?.ok_or_else(|| YamlError::Syntax {
            line: 0,
            column: 0,
            message: "unexpected end of stream".into(),
        })
    }

    fn node(&mut self, ev: Event<'a>, span: Span, depth: usize) -> Result<Rc<YNode>, YamlError> {
        // Reading, typing and writing recurse per nesting level; a bound
        // keeps them within an ordinary thread stack (go-yaml's own bound
        // is 10000; real documents stay far below either).
        if depth > MAX_DEPTH {
            return Err(YamlError::Convert(format!(
                "yaml: exceeded max depth of {MAX_DEPTH}"
            )));
        }
        let line = span.start.line();
        let (node, anchor) = match ev {
            Event::Scalar(v, style, anchor, tag) => {
                if style == ScalarStyle::DoubleQuoted {
                    self.check_yaml11_escapes(&span)?;
                }
                (
                    Rc::new(YNode::Scalar {
                        value: v.into_owned(),
                        plain: style == ScalarStyle::Plain,
                        tag: tag.map(|t| tag_string(&t)),
                    }),
                    anchor,
                )
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (ev, sp) = self.expect()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, sp, depth + 1)?);
                }
                (Rc::new(YNode::Seq(items)), anchor)
            }
            Event::MappingStart(anchor, _) => {
                let mut pairs = Vec::new();
                loop {
                    let (ev, sp) = self.expect()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let k = self.node(ev, sp, depth + 1)?;
                    let (ev, sp) = self.expect()?;
                    let v = self.node(ev, sp, depth + 1)?;
                    pairs.push((k, v));
                }
                (Rc::new(YNode::Map(pairs)), anchor)
            }
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .map(|n| Rc::new(YNode::Alias(n)))
                    .ok_or_else(|| YamlError::Syntax {
                        line,
                        column: span.start.col() + 1,
                        message: "unknown anchor referenced".into(),
                    });
            }
            other => {
                return Err(YamlError::Syntax {
                    line,
                    column: span.start.col() + 1,
                    message: format!("unexpected event {other:?}"),
                });
            }
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// Parses the first document of `text` into a node tree; `None` when the
/// stream holds no document.
fn parse_first(text: &str) -> Result<Option<Rc<YNode>>, YamlError> {
    // go-yaml (YAML 1.1) reads NEL (U+0085) as a line break and stores it as
    // "\n"; YAML 1.2 parsers treat it as an ordinary character.
    let nel_free;
    let text = if text.contains('\u{85}') {
        nel_free = text.replace('\u{85}', "\n");
        nel_free.as_str()
    } else {
        text
    };
    let mut owned: Option<String> = None;
    for _ in 0..10_000 {
        let src = owned.as_deref().unwrap_or(text);
        let (r, retry) = parse_first_once(src);
        match (r, retry) {
            (Err(_), Some(idx)) => {
                let mut chars: Vec<char> = src.chars().collect();
                chars[idx] = ' ';
                owned = Some(chars.into_iter().collect());
            }
            (r, _) => return r,
        }
    }
    parse_first_once(owned.as_deref().unwrap_or(text)).0
}

fn parse_first_once(text: &str) -> (Result<Option<Rc<YNode>>, YamlError>, Option<usize>) {
    let mut b = Builder {
        tab_retry: None,
        char_offsets: None,
        has_slash_escape: text.contains("\\/"),
        text,
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
    };
    let r = first_document(&mut b);
    (r, b.tab_retry)
}

fn first_document(b: &mut Builder<'_>) -> Result<Option<Rc<YNode>>, YamlError> {
    loop {
        let Some((ev, span)) = b.next()? else {
            return Ok(None);
        };
        match ev {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => return Ok(None),
            Event::DocumentStart(_) => {
                let (ev, span) = b.expect()?;
                if matches!(ev, Event::DocumentEnd) {
                    return Ok(None);
                }
                return b.node(ev, span, 0).map(Some);
            }
            other => {
                return Err(YamlError::Syntax {
                    line: span.start.line(),
                    column: span.start.col() + 1,
                    message: format!("unexpected event {other:?}"),
                });
            }
        }
    }
}

/// Deepest nesting accepted (see `Builder::node`).
const MAX_DEPTH: usize = 1000;

/// go-yaml v2's defence against alias bombs: counts decoded nodes and
/// those decoded through an alias, and fails when aliases dominate.
#[derive(Default)]
struct Decoder {
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
}

/// go-yaml's `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

const STR_TAG: &str = "tag:yaml.org,2002:str";

impl Decoder {
    fn spend(&mut self) -> Result<(), YamlError> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(YamlError::Convert(
                "yaml: document contains excessive aliasing".into(),
            ));
        }
        Ok(())
    }

    fn scalar(&self, value: &str, plain: bool, tag: Option<&str>) -> Result<GoVal, YamlError> {
        let tag = match tag {
            None if !plain => return Ok(GoVal::Str(value.to_string())),
            None => "",
            Some(t) => t,
        };
        let short = tag.strip_prefix("tag:yaml.org,2002:");
        match (tag, short) {
            ("", _) => {}
            (_, Some("str")) => return Ok(GoVal::Str(value.to_string())),
            (_, Some("binary")) => {
                use base64::Engine;
                let clean: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                return match base64::engine::general_purpose::STANDARD.decode(clean) {
                    Ok(b) => Ok(GoVal::Str(String::from_utf8_lossy(&b).into_owned())),
                    Err(_) => Err(YamlError::Convert(
                        "yaml: !!binary value contains invalid base64 data".into(),
                    )),
                };
            }
            (_, Some("int" | "float" | "bool" | "null" | "timestamp")) => {}
            // Any other tag (custom `!foo`, `!!map` on a scalar, ...) is not
            // resolvable: go-yaml keeps the text as a string.
            _ => return Ok(GoVal::Str(value.to_string())),
        }
        let r = resolve(value);
        let got = match &r {
            Resolved::Null => GoVal::Nil,
            Resolved::Bool(b) => GoVal::Bool(*b),
            Resolved::Int(i) => GoVal::Int(*i),
            Resolved::Uint(u) => GoVal::Uint(*u),
            Resolved::Float(f) => GoVal::Float(*f),
            Resolved::Timestamp | Resolved::Str | Resolved::Merge => GoVal::Str(value.to_string()),
        };
        if let Some(want) = short {
            let rtag = match r {
                Resolved::Null => "null",
                Resolved::Bool(_) => "bool",
                Resolved::Int(_) | Resolved::Uint(_) => "int",
                Resolved::Float(_) => "float",
                Resolved::Timestamp => "timestamp",
                Resolved::Merge => "merge",
                Resolved::Str => "str",
            };
            if want == "float" && rtag == "int" {
                return Ok(match got {
                    GoVal::Int(i) => GoVal::Float(i as f64),
                    GoVal::Uint(u) => GoVal::Float(u as f64),
                    g => g,
                });
            }
            if want == "float" && rtag == "str" {
                // Go tries ParseFloat on explicitly tagged floats too.
                if let Some(f) = go_parse_float(value) {
                    return Ok(GoVal::Float(f));
                }
            }
            if want != rtag {
                return Err(YamlError::Convert(format!(
                    "yaml: cannot decode !!{rtag} `{value}` as a !!{want}"
                )));
            }
        }
        let _ = STR_TAG;
        Ok(got)
    }

    fn decode(&mut self, n: &YNode) -> Result<GoVal, YamlError> {
        self.spend()?;
        match n {
            YNode::Scalar {
                value, plain, tag, ..
            } => self.scalar(value, *plain, tag.as_deref()),
            YNode::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.decode(i)?);
                }
                Ok(GoVal::Seq(out))
            }
            YNode::Map(pairs) => {
                let mut out = MapBuilder::default();
                self.mapping_into(pairs, &mut out)?;
                Ok(GoVal::Map(out.pairs))
            }
            YNode::Alias(inner) => {
                self.alias_depth += 1;
                let r = self.decode(inner);
                self.alias_depth -= 1;
                r
            }
        }
    }

    fn mapping_into(
        &mut self,
        pairs: &[(Rc<YNode>, Rc<YNode>)],
        out: &mut MapBuilder,
    ) -> Result<(), YamlError> {
        for (k, v) in pairs {
            if is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.decode(k)?;
            if matches!(key, GoVal::Seq(_) | GoVal::Map(_)) {
                return Err(YamlError::Convert(format!(
                    "yaml: invalid map key: {}",
                    go_sharp_v(&key)
                )));
            }
            let val = self.decode(v)?;
            out.set(key, val);
        }
        Ok(())
    }

    fn merge(&mut self, v: &YNode, out: &mut MapBuilder) -> Result<(), YamlError> {
        let want_map = || {
            YamlError::Convert(
                "yaml: map merge requires map or sequence of maps as the value".into(),
            )
        };
        match v {
            YNode::Map(pairs) => self.mapping_into(pairs, out),
            YNode::Alias(inner) if matches!(**inner, YNode::Map(_)) => {
                self.alias_depth += 1;
                let r = self.merge(inner, out);
                self.alias_depth -= 1;
                r
            }
            YNode::Seq(items) => {
                // Earlier maps take precedence: apply from the back.
                for item in items.iter().rev() {
                    let (node, aliased) = match &**item {
                        YNode::Alias(inner) => (&**inner, true),
                        other => (other, false),
                    };
                    match node {
                        YNode::Map(pairs) => {
                            self.alias_depth += usize::from(aliased);
                            let r = self.mapping_into(pairs, out);
                            self.alias_depth -= usize::from(aliased);
                            r?
                        }
                        _ => return Err(want_map()),
                    }
                }
                Ok(())
            }
            _ => Err(want_map()),
        }
    }
}

/// A Go map being filled: later keys replace earlier equal ones (Go map
/// assignment). Small mappings are searched linearly; an index, built once
/// a mapping grows past `INDEX_FROM` keys, keeps large ones linear.
#[derive(Default)]
struct MapBuilder {
    pairs: Vec<(GoVal, GoVal)>,
    index: Option<HashMap<KeyId, usize>>,
}

const INDEX_FROM: usize = 16;

/// A hashable identity of a scalar Go map key.
#[derive(Hash, PartialEq, Eq)]
enum KeyId {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

fn key_id(key: &GoVal) -> Option<KeyId> {
    Some(match key {
        GoVal::Nil => KeyId::Nil,
        GoVal::Bool(b) => KeyId::Bool(*b),
        GoVal::Int(i) => KeyId::Int(*i),
        GoVal::Uint(u) => KeyId::Uint(*u),
        // NaN keys never equal each other, as in Go.
        GoVal::Float(f) if f.is_nan() => return None,
        GoVal::Float(f) => KeyId::Float((if *f == 0.0 { 0.0f64 } else { *f }).to_bits()),
        GoVal::Str(s) => KeyId::Str(s.clone()),
        GoVal::Seq(_) | GoVal::Map(_) => return None,
    })
}

/// Go's `==` on two scalar map keys (what `KeyId` equality stands for).
fn same_key(a: &GoVal, b: &GoVal) -> bool {
    match (a, b) {
        (GoVal::Nil, GoVal::Nil) => true,
        (GoVal::Bool(x), GoVal::Bool(y)) => x == y,
        (GoVal::Int(x), GoVal::Int(y)) => x == y,
        (GoVal::Uint(x), GoVal::Uint(y)) => x == y,
        (GoVal::Float(x), GoVal::Float(y)) => x == y,
        (GoVal::Str(x), GoVal::Str(y)) => x == y,
        _ => false,
    }
}

impl MapBuilder {
    fn set(&mut self, key: GoVal, val: GoVal) {
        if matches!(key, GoVal::Seq(_) | GoVal::Map(_))
            || matches!(key, GoVal::Float(f) if f.is_nan())
        {
            self.pairs.push((key, val));
            return;
        }
        if self.index.is_none() {
            if let Some(i) = self.pairs.iter().position(|(k, _)| same_key(k, &key)) {
                self.pairs[i].1 = val;
                return;
            }
            if self.pairs.len() < INDEX_FROM {
                self.pairs.push((key, val));
                return;
            }
            let index = self
                .pairs
                .iter()
                .enumerate()
                .filter_map(|(i, (k, _))| Some((key_id(k)?, i)))
                .collect();
            self.index = Some(index);
        }
        let (Some(index), Some(id)) = (self.index.as_mut(), key_id(&key)) else {
            self.pairs.push((key, val));
            return;
        };
        if let Some(&i) = index.get(&id) {
            self.pairs[i].1 = val;
        } else {
            index.insert(id, self.pairs.len());
            self.pairs.push((key, val));
        }
    }
}

fn is_merge(n: &YNode) -> bool {
    match n {
        YNode::Scalar {
            value, plain, tag, ..
        } => {
            value == "<<"
                && ((*plain && tag.is_none()) || tag.as_deref() == Some("tag:yaml.org,2002:merge"))
        }
        _ => false,
    }
}

/// Go's `%#v` of a decoded value (for "invalid map key" errors).
fn go_sharp_v(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "interface {}(nil)".into(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => format!("0x{u:x}"),
        GoVal::Float(f) => format_float(*f, 'g', false),
        GoVal::Str(s) => crate::gostr::go_quote(s),
        GoVal::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")
        ),
        GoVal::Map(pairs) => {
            // fmt sorts map keys: numbers before strings, each in order.
            let mut entries: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (go_sharp_v(k), go_sharp_v(v)))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            format!(
                "map[interface {{}}]interface {{}}{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// Decodes the first document into go-yaml v2's Go values (`None`: no
/// document, Go's nil).
pub(crate) fn decode_go(text: &str) -> Result<GoVal, YamlError> {
    if super::reader_rejects_any(text) {
        return Err(YamlError::Convert(
            "yaml: control characters are not allowed".into(),
        ));
    }
    match parse_first(text)? {
        None => Ok(GoVal::Nil),
        Some(n) => Decoder::default().decode(&n),
    }
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` followed by JSON
/// marshalling and unmarshalling into interface{}: numbers become float64,
/// keys become strings.
pub(crate) fn go_to_value(v: GoVal) -> Result<Value, YamlError> {
    Ok(match v {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(b),
        GoVal::Int(i) => Value::Float(i as f64),
        GoVal::Uint(u) => Value::Float(u as f64),
        GoVal::Float(f) => {
            if !f.is_finite() {
                return Err(YamlError::Convert(format!(
                    "json: unsupported value: {}",
                    format_float(f, 'g', false)
                )));
            }
            Value::Float(f)
        }
        GoVal::Str(s) => Value::from(s),
        GoVal::Seq(items) => Value::list(
            items
                .into_iter()
                .map(go_to_value)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        GoVal::Map(pairs) => {
            let mut m = BTreeMap::new();
            for (k, v) in pairs {
                let key = match k {
                    GoVal::Str(s) => s,
                    GoVal::Int(i) => i.to_string(),
                    GoVal::Float(f) => {
                        // sigs.k8s.io/yaml formats float keys with 32-bit precision.
                        let s = format_float(f, 'g', true);
                        match s.as_str() {
                            "+Inf" => ".inf".into(),
                            "-Inf" => "-.inf".into(),
                            "NaN" => ".nan".into(),
                            _ => s,
                        }
                    }
                    GoVal::Bool(b) => b.to_string(),
                    GoVal::Nil => {
                        return Err(YamlError::Convert(format!(
                            "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                            go_plus_sharp_v(&v)
                        )));
                    }
                    GoVal::Uint(u) => {
                        return Err(YamlError::Convert(format!(
                            "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                            go_plus_sharp_v(&v)
                        )));
                    }
                    other => {
                        return Err(YamlError::Convert(format!(
                            "yaml: invalid map key: {}",
                            go_sharp_v(&other)
                        )));
                    }
                };
                m.insert(key, go_to_value(v)?);
            }
            Value::Map(Map::from_btree(m))
        }
    })
}

fn go_plus_sharp_v(v: &GoVal) -> String {
    match v {
        GoVal::Str(s) => format!("{s:?}"),
        GoVal::Int(i) => i.to_string(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Nil => "<nil>".into(),
        other => go_sharp_v(other),
    }
}

//! YAML → JSON the way the Kubernetes tools read manifests (sigs.k8s.io/yaml
//! on go-yaml v2): YAML 1.1 resolution of plain scalars (`yes`/`on` are
//! booleans, `0755` is octal, `1_000` is 1000), scalar keys turned into
//! strings, merge keys applied. Quoted and block scalars stay strings. The
//! line of every node is kept so findings can point at it.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use crate::diagnostic::push_pointer;

/// A parsed document: its value and the 1-based line of each node (by JSON pointer).
pub(crate) struct Loaded {
    pub value: Option<Value>,
    pub lines: HashMap<String, usize>,
    /// Keys defined twice in one mapping: (pointer, line).
    pub duplicates: Vec<(String, usize)>,
}

/// A YAML syntax error with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        ptr: String,
    },
    Map {
        map: Map<String, Value>,
        anchor: usize,
        ptr: String,
        key: Option<String>,
        key_line: usize,
        merges: Vec<Value>,
    },
}

/// Most nodes all aliases of one document may copy together.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Nodes in `v` (scalars, sequences, maps and their entries).
fn node_count(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(node_count).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(|v| 1 + node_count(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Loads the first document of `text`.
pub(crate) fn load(text: &str) -> Result<Loaded, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut lines = HashMap::new();
    let mut duplicates = Vec::new();
    let mut result: Option<Value> = None;
    let mut started = false;
    let mut copied = 0usize;
    while let Some(ev) = parser.next_event() {
        let (ev, span): (Event<'_>, Span) = ev.map_err(|e| YamlError {
            line: e.marker().line(),
            col: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        let mut line = span.start.line();
        // A value is reported at its key's line.
        if let Some(Frame::Map {
            key: Some(_),
            key_line,
            ..
        }) = stack.last()
        {
            line = *key_line;
        }
        // The pointer of the node this event starts, and whether it is a map key.
        let (node_ptr, is_key) = match stack.last() {
            Some(Frame::Seq { items, ptr, .. }) => {
                (push_pointer(ptr, &items.len().to_string()), false)
            }
            Some(Frame::Map {
                key: Some(k), ptr, ..
            }) => (push_pointer(ptr, k), false),
            Some(Frame::Map { key: None, .. }) => (String::new(), true),
            None => (String::new(), false),
        };
        let done: Option<(Value, usize)> = match ev {
            Event::StreamStart | Event::Nothing => None,
            Event::DocumentStart(_) => {
                if started {
                    break;
                }
                started = true;
                None
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Alias(id) => {
                // Each alias copies its anchor's node: an alias bomb
                // (`a1: [*a0, *a0, ...]` ten levels deep) would expand
                // exponentially. Cap the nodes copied, like go-yaml.
                copied += anchors.get(&id).map_or(1, node_count);
                if copied > MAX_ALIAS_NODES {
                    return Err(YamlError {
                        line,
                        col: span.start.col() + 1,
                        message: "document contains excessive aliasing".into(),
                    });
                }
                let v = anchors.get(&id).cloned().unwrap_or(Value::Null);
                if is_key {
                    if let Some(Frame::Map {
                        key: k, key_line, ..
                    }) = stack.last_mut()
                    {
                        *key_line = line;
                        *k = Some(match v {
                            Value::String(s) => s,
                            other => other.to_string(),
                        });
                    }
                    continue;
                }
                Some((v, 0))
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| t.suffix.clone());
                let v = scalar(&text, style, tag.as_deref()).map_err(|message| YamlError {
                    line,
                    col: span.start.col() + 1,
                    message,
                })?;
                if is_key {
                    let key = match v {
                        Value::String(s) => s,
                        Value::Null => "null".into(),
                        other => other.to_string(),
                    };
                    if let Some(Frame::Map {
                        key: k, key_line, ..
                    }) = stack.last_mut()
                    {
                        *k = Some(key);
                        *key_line = line;
                    }
                    continue;
                }
                Some((v, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                if is_key {
                    return Err(YamlError {
                        line,
                        col: span.start.col() + 1,
                        message: "a sequence cannot be a mapping key".into(),
                    });
                }
                lines.insert(node_ptr.clone(), line);
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    ptr: node_ptr,
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if is_key {
                    return Err(YamlError {
                        line,
                        col: span.start.col() + 1,
                        message: "a mapping cannot be a mapping key".into(),
                    });
                }
                lines.insert(node_ptr.clone(), line);
                stack.push(Frame::Map {
                    map: Map::new(),
                    anchor,
                    ptr: node_ptr,
                    key: None,
                    key_line: line,
                    merges: Vec::new(),
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor, .. }) => Some((Value::Array(items), anchor)),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    mut map,
                    anchor,
                    merges,
                    ..
                }) => {
                    // Merge keys: explicit keys win over merged ones.
                    for m in merges {
                        let sources = match m {
                            Value::Array(a) => a,
                            other => vec![other],
                        };
                        for s in sources {
                            if let Value::Object(o) = s {
                                for (k, v) in o {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                    Some((Value::Object(map), anchor))
                }
                _ => None,
            },
        };
        let Some((value, anchor)) = done else {
            continue;
        };
        if anchor > 0 {
            anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, ptr, .. }) => {
                lines
                    .entry(push_pointer(ptr, &items.len().to_string()))
                    .or_insert(line);
                items.push(value);
            }
            Some(Frame::Map {
                map,
                key,
                ptr,
                merges,
                ..
            }) => {
                let k = key.take().unwrap_or_default();
                let p = push_pointer(ptr, &k);
                if k == "<<" {
                    merges.push(value);
                    continue;
                }
                lines.entry(p.clone()).or_insert(line);
                if map.insert(k, value).is_some() {
                    duplicates.push((p, line));
                }
            }
            None => {
                result = Some(value);
            }
        }
    }
    Ok(Loaded {
        value: result.filter(|v| !v.is_null()),
        lines,
        duplicates,
    })
}

fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    match tag {
        Some("str") | Some("binary") => return Ok(Value::String(text.to_string())),
        Some("null") => return Ok(Value::Null),
        Some("bool") | Some("int") | Some("float") => {
            return match resolve_plain(text)? {
                Value::String(_) => Err(format!("cannot read {text:?} as !!{}", tag.unwrap_or(""))),
                v => Ok(v),
            };
        }
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    resolve_plain(text)
}

/// go-yaml v2's resolution of an untagged plain scalar.
fn resolve_plain(s: &str) -> Result<Value, String> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Ok(Value::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Ok(Value::Bool(false));
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Err(format!("{s} cannot be represented in JSON")),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Ok(Value::String(s.to_string()));
    }
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Ok(i);
    }
    if is_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Ok(Value::Number(n));
            }
        }
    }
    Ok(Value::String(s.to_string()))
}

/// Go's strconv.ParseInt/ParseUint with base 0 (0x, 0o, 0b prefixes; a
/// leading 0 means octal), as go-yaml v2 uses them.
fn parse_go_int(s: &str) -> Option<Value> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            return Some(Value::Number(((mag as i128).wrapping_neg() as i64).into()));
        }
        return None;
    }
    Some(if mag <= i64::MAX as u64 {
        Value::Number((mag as i64).into())
    } else {
        Value::Number(mag.into())
    })
}

/// go-yaml v2's float syntax: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == fs {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(text: &str) -> Value {
        load(text).unwrap().value.unwrap_or(Value::Null)
    }

    #[test]
    fn yaml_1_1_scalars() {
        assert_eq!(
            v(
                "a: yes\nb: 'yes'\nc: 0755\nd: 1_000\ne: 1e+06\nf: 08\ng: 0x1F\nh: ~\ni: -3\nj: 1.5\nk: 12:30\nl: .5\n"
            ),
            json!({"a": true, "b": "yes", "c": 493, "d": 1000, "e": 1000000.0, "f": 8.0, "g": 31, "h": null,
                   "i": -3, "j": 1.5, "k": "12:30", "l": 0.5})
        );
        assert_eq!(v("1: a\ntrue: b\n"), json!({"1": "a", "true": "b"}));
    }

    #[test]
    fn anchors_merges_lines_and_duplicates() {
        let l = load(
            "base: &b\n  x: 1\n  z: 2\nuse:\n  <<: *b\n  z: 3\nlist:\n  - a\n  - b\nbase: again\n",
        )
        .unwrap();
        let val = l.value.unwrap();
        assert_eq!(val["use"], json!({"z": 3, "x": 1}));
        assert_eq!(l.lines["/list/1"], 9);
        assert_eq!(l.lines["/use/z"], 6);
        // YAML 1.1: the key `y` is the boolean true, as go-yaml v2 reads it.
        assert_eq!(v("y: 1\n"), json!({"true": 1}));
        assert_eq!(l.duplicates, vec![("/base".to_string(), 10)]);
    }

    #[test]
    fn errors_have_positions() {
        let e = load("a: [1, 2\nb: 3\n").err().unwrap();
        assert!(e.line >= 1, "{e:?}");
        assert!(load("# only a comment\n").unwrap().value.is_none());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = load(&text).err().expect("refused");
        assert!(e.message.contains("excessive aliasing"), "{e:?}");
        // Ordinary reuse still loads.
        assert!(load("a: &a {x: 1}\nb: *a\nc: *a\n").is_ok());
    }
}

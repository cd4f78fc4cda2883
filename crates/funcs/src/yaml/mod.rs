//! Helm-exact YAML: reading values (go-yaml v2 through sigs.k8s.io/yaml's
//! JSON round trip) and writing (`toYaml`: encoding/json, then go-yaml v2's
//! encoder).
//!
//! * [`parse_values`] reads the first document the way helm reads values
//!   files and `fromYaml` input: numbers become `Float`, YAML 1.1 booleans
//!   (`yes`, `off`, ...) become bools, map keys become strings, timestamps
//!   stay strings.
//! * [`marshal`] is sigs.k8s.io/yaml's `Marshal`; [`to_yaml`] is helm's
//!   `toYaml` (errors swallowed, trailing newline trimmed).
//! * [`emit_json`] re-emits an order-preserving `serde_json::Value` in
//!   go-yaml v2 style, optionally keeping key order.

mod emit;
mod parse;
pub mod resolve;

use std::cmp::Ordering;

use tusk_template::Value;

pub use emit::{Emitter, Node, Settings, Style, emit};

use crate::gofloat::{format_float, json_float};
use resolve::{Resolved, is_base60_float};

/// An error reading or writing YAML, worded like helm's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum YamlError {
    /// A syntax error in the YAML text (go-yaml: `yaml: line N: MSG`).
    #[error("error converting YAML to JSON: yaml: {}{message}", line_prefix(*line))]
    Syntax {
        /// The line go-yaml would report (see `parse.rs` on its quirks);
        /// 0 when go-yaml names no line.
        line: usize,
        /// 1-based column of the problem (not part of helm's message).
        column: usize,
        /// go-yaml's problem text.
        message: String,
    },
    /// The document parsed but cannot become JSON (e.g. `.inf`, null keys).
    #[error("error converting YAML to JSON: {0}")]
    Convert(String),
    /// The document's top level has the wrong shape for the target type.
    #[error(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go value of type {target}"
    )]
    Type {
        /// JSON kind found (`array`, `string`, `number`, `bool`).
        found: &'static str,
        /// Go type expected (e.g. `map[string]interface {}`).
        target: String,
    },
    /// A value cannot be marshalled (NaN or infinite floats).
    #[error("error marshaling into JSON: json: unsupported value: {0}")]
    Marshal(String),
}

fn line_prefix(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("line {line}: ")
    }
}

/// Parses the first YAML document as helm reads values: go-yaml v2 typing
/// then a JSON round trip. An empty document gives `Value::Nil`.
pub fn parse_values(text: &str) -> Result<Value, YamlError> {
    parse::go_to_value(parse::decode_go(text)?)
}

/// Like [`parse_values`] but decoding into a Go map type, as helm's
/// `ReadValues` (target `chartutil.Values`) and `fromYaml`
/// (`map[string]interface {}`) do: a non-map top level is an error naming
/// `target`; null and empty documents give an empty map.
pub fn parse_map(text: &str, target: &str) -> Result<tusk_template::Map, YamlError> {
    match parse_values(text)? {
        Value::Map(m) => Ok(m),
        Value::Nil => Ok(tusk_template::Map::new()),
        other => Err(YamlError::Type {
            found: json_kind(&other),
            target: target.to_string(),
        }),
    }
}

/// Like [`parse_values`] for `[]interface {}` targets (`fromYamlArray`).
pub fn parse_list(text: &str) -> Result<Vec<Value>, YamlError> {
    match parse_values(text)? {
        Value::List(l) => Ok(l.as_ref().clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(YamlError::Type {
            found: json_kind(&other),
            target: "[]interface {}".into(),
        }),
    }
}

pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Map(_) | Value::Object(_) => "object",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::Bool(_) => "bool",
        Value::Nil => "null",
        Value::Int(_) | Value::Float(_) => "number",
    }
}

/// Converts a template value to JSON as Go's encoding/json would see it:
/// bytes become base64 strings, objects their marshalled form. Fails on
/// NaN/Inf like encoding/json.
pub fn value_to_json(v: &Value) -> Result<serde_json::Value, YamlError> {
    use serde_json::Value as J;
    Ok(match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => J::Number(n),
            None => return Err(YamlError::Marshal(format_float(*f, 'g', false))),
        },
        Value::String(s) => J::String(s.to_string()),
        Value::Bytes(b) => {
            use base64::Engine;
            J::String(base64::engine::general_purpose::STANDARD.encode(b))
        }
        Value::List(items) => J::Array(items.iter().map(value_to_json).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m.read().iter() {
                o.insert(k.clone(), value_to_json(v)?);
            }
            J::Object(o)
        }
        Value::Object(o) => match o.json_form() {
            Some(tusk_template::JsonForm::Null) => J::Null,
            Some(tusk_template::JsonForm::Fields(fields)) => J::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), value_to_json(v)?)))
                    .collect::<Result<_, YamlError>>()?,
            ),
            None => value_to_json(&o.to_value())?,
        },
    })
}

/// sigs.k8s.io/yaml `Marshal`: the full go-yaml document, ending in `\n`.
pub fn marshal(v: &Value) -> Result<String, YamlError> {
    try_emit_json(&value_to_json(v)?, true)
}

/// Helm's `toYaml`: [`marshal`] with the trailing newline trimmed, and the
/// empty string when marshalling fails (helm swallows the error).
pub fn to_yaml(v: &Value) -> String {
    match marshal(v) {
        Ok(s) => s.strip_suffix('\n').map(str::to_string).unwrap_or(s),
        Err(_) => String::new(),
    }
}

/// Emits JSON as go-yaml v2 would after reading it back (sigs.k8s.io/yaml
/// `JSONToYAML`). With `sort_keys`, keys are ordered like go-yaml's sorter
/// (digit runs compared numerically, letters before other characters);
/// without, the map's own order is kept.
///
/// Strings holding characters go-yaml's reader rejects (DEL, C1 controls,
/// U+FFFE/U+FFFF) are emitted escaped; [`try_emit_json`] reports them as
/// the error sigs.k8s.io/yaml would return.
pub fn emit_json(v: &serde_json::Value, sort_keys: bool) -> String {
    emit(&json_to_node(v, sort_keys))
}

/// [`emit_json`], failing like `JSONToYAML` when go-yaml could not read
/// the JSON text back (`yaml: control characters are not allowed`).
pub fn try_emit_json(v: &serde_json::Value, sort_keys: bool) -> Result<String, YamlError> {
    check_readable(v)?;
    Ok(emit_json(v, sort_keys))
}

/// Characters libyaml's reader refuses anywhere in a stream.
pub(crate) fn reader_rejects(c: char) -> bool {
    let u = c as u32;
    !(u == 0x09
        || u == 0x0A
        || u == 0x0D
        || (0x20..=0x7E).contains(&u)
        || u == 0x85
        || (0xA0..=0xD7FF).contains(&u)
        || (0xE000..=0xFFFD).contains(&u)
        || (0x10000..=0x10FFFF).contains(&u))
}

/// Whether `text` holds a character [`reader_rejects`]: bytewise over
/// ASCII (most of every document), per character beyond it.
pub(crate) fn reader_rejects_any(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Whole chunks of allowed ASCII at once: a branch-free OR over a
        // fixed-size block, which the compiler vectorises.
        if let Some(chunk) = b.get(i..i + 32).and_then(|c| <&[u8; 32]>::try_from(c).ok()) {
            let mut odd = 0u8;
            for &c in chunk {
                let control = (c < 0x20) & (c != b'\t') & (c != b'\n') & (c != b'\r');
                odd |= (control | (c >= 0x7F)) as u8;
            }
            if odd == 0 {
                i += 32;
                continue;
            }
        }
        let c = b[i];
        if c.is_ascii() {
            if !((0x20..0x7F).contains(&c) || matches!(c, b'\t' | b'\n' | b'\r')) {
                return true;
            }
            i += 1;
        } else {
            let Some(ch) = text[i..].chars().next() else {
                return false;
            };
            if reader_rejects(ch) {
                return true;
            }
            i += ch.len_utf8();
        }
    }
    false
}

/// Go's JSON leaves these characters raw (the rest of the C0 range is
/// escaped), so go-yaml's reader sees and rejects them.
fn json_raw_rejected(c: char) -> bool {
    (c as u32) >= 0x20 && reader_rejects(c)
}

fn check_readable(v: &serde_json::Value) -> Result<(), YamlError> {
    use serde_json::Value as J;
    let bad = |s: &str| s.chars().any(json_raw_rejected);
    let err = || YamlError::Convert("yaml: control characters are not allowed".into());
    match v {
        J::String(s) if bad(s) => Err(err()),
        J::Array(items) => items.iter().try_for_each(check_readable),
        J::Object(o) => {
            for (k, v) in o {
                if bad(k) {
                    return Err(err());
                }
                check_readable(v)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A JSON string as go-yaml reads it back from Go's JSON text: raw NEL
/// (U+0085, which encoding/json does not escape) is a line break inside a
/// double-quoted scalar and gets folded: spaces around a run of breaks are
/// dropped, one break becomes a space, n breaks become n-1 newlines.
fn json_string_roundtrip(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // Find a run: spaces* NEL (spaces* NEL)* spaces*
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if j < chars.len() && chars[j] == '\u{85}' {
            let mut breaks = 0;
            let mut k = j;
            loop {
                let mut m = k;
                while m < chars.len() && chars[m] == ' ' {
                    m += 1;
                }
                if m < chars.len() && chars[m] == '\u{85}' {
                    breaks += 1;
                    k = m + 1;
                } else {
                    k = m;
                    break;
                }
            }
            if breaks == 1 {
                out.push(' ');
            } else {
                for _ in 1..breaks {
                    out.push('\n');
                }
            }
            i = k;
        } else {
            out.extend(&chars[i..j.max(i + 1)]);
            i = j.max(i + 1);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Builds the emitter tree for a JSON value.
pub fn json_to_node(v: &serde_json::Value, sort_keys: bool) -> Node {
    use serde_json::Value as J;
    match v {
        J::Null => Node::Scalar("null".into(), Style::Plain),
        J::Bool(b) => Node::Scalar(b.to_string(), Style::Plain),
        J::Number(n) => Node::Scalar(yaml_number(n), Style::Plain),
        J::String(s) => string_node(&json_string_roundtrip(s)),
        J::Array(items) => Node::Seq(items.iter().map(|i| json_to_node(i, sort_keys)).collect()),
        J::Object(o) => {
            let mut pairs: Vec<(&String, &serde_json::Value)> = o.iter().collect();
            if sort_keys {
                go_sort_keys(&mut pairs, |p| p.0.as_str());
            }
            Node::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            string_node(&json_string_roundtrip(k)),
                            json_to_node(v, sort_keys),
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// A JSON number re-read by go-yaml and written back: ints stay ints,
/// floats go through Go's JSON text and then `FormatFloat(f, 'g', -1, 64)`
/// (so 1234567.5 becomes `1.2345675e+06`, while 1e6 stays `1000000`).
fn yaml_number(n: &serde_json::Number) -> String {
    let text = if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        json_float(n.as_f64().unwrap_or(0.0)).unwrap_or_else(|| "0".into())
    };
    match resolve::resolve(&text) {
        Resolved::Int(i) => i.to_string(),
        Resolved::Uint(u) => u.to_string(),
        Resolved::Float(f) => yaml_float(f),
        _ => text,
    }
}

/// go-yaml's float formatting.
pub fn yaml_float(f: f64) -> String {
    let s = format_float(f, 'g', false);
    match s.as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        _ => s,
    }
}

/// go-yaml v2's `stringv`: literal style for multi-line text, plain when
/// the text would read back as a string, double quotes otherwise (the
/// emitter may still downgrade plain to single quotes).
pub fn string_node(s: &str) -> Node {
    let style = if s.contains('\n') {
        Style::Literal
    } else if resolve::resolve(s) == Resolved::Str && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    Node::Scalar(s.to_string(), style)
}

/// helm's `toYamlPretty`: go-yaml v3 encoding the Go value directly (no
/// JSON round trip: floats print in %g form, e.g. `1e+06`), sequences
/// indented under their key, no line folding; "" on error, trailing
/// newline trimmed.
pub fn to_yaml_pretty(v: &Value) -> String {
    let Some(node) = value_node_v3(v) else {
        return String::new();
    };
    let out = Emitter::with_settings(Settings::V3).document(&node);
    out.strip_suffix('\n').map(str::to_string).unwrap_or(out)
}

/// go-yaml v3's isOldBool: YAML 1.1 booleans it still quotes.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

fn string_node_v3(s: &str) -> Node {
    let style = if s.contains('\n') {
        Style::Literal
    } else if resolve::resolve(s) == Resolved::Str && !is_base60_float(s) && !is_old_bool(s) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    Node::Scalar(s.to_string(), style)
}

fn value_node_v3(v: &Value) -> Option<Node> {
    Some(match v {
        Value::Nil => Node::Scalar("null".into(), Style::Plain),
        Value::Bool(b) => Node::Scalar(b.to_string(), Style::Plain),
        Value::Int(i) => Node::Scalar(i.to_string(), Style::Plain),
        Value::Float(f) => Node::Scalar(yaml_float(*f), Style::Plain),
        Value::String(s) => string_node_v3(s),
        Value::Bytes(b) => {
            use base64::Engine;
            Node::Scalar(
                base64::engine::general_purpose::STANDARD.encode(b),
                Style::Plain,
            )
        }
        Value::List(l) => Node::Seq(l.iter().map(value_node_v3).collect::<Option<Vec<_>>>()?),
        Value::Map(m) => {
            let mut pairs = m.entries();
            go_sort_keys(&mut pairs, |p| p.0.as_str());
            Node::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| Some((string_node_v3(&k), value_node_v3(&v)?)))
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        Value::Object(o) => value_node_v3(&o.to_value())?,
    })
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// go-yaml v2's `keyList.Less` for string keys.
pub fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i as isize - 1;
            while j >= 0 && is_digit(ar[j as usize]) {
                if ar[j as usize] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Sorts map entries by their keys as go-yaml v2 does (`sort.Sort` with
/// [`key_less`]). `key_less` is not a strict weak order for every pair of
/// strings (digit runs that overflow, mixed runs), and Rust's sorts may
/// panic on such a comparator, so this sort is written out: Go's own
/// insertion sort up to 12 entries (what `sort.Sort` does there, so even
/// inconsistent orders match helm), a merge sort on [`key_cmp`] above.
pub fn go_sort_keys<T>(items: &mut [T], key: impl Fn(&T) -> &str + Copy) {
    if items.len() <= 12 {
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && key_less(key(&items[j]), key(&items[j - 1])) {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mid = items.len() / 2;
    go_sort_keys(&mut items[..mid], key);
    go_sort_keys(&mut items[mid..], key);
    // Merge by index permutation: no comparator result can break it.
    let mut order = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < items.len() {
        if key_cmp(key(&items[j]), key(&items[i])) == Ordering::Less {
            order.push(j);
            j += 1;
        } else {
            order.push(i);
            i += 1;
        }
    }
    order.extend(i..mid);
    order.extend(j..items.len());
    apply_permutation(items, order);
}

/// Reorders `items` so that position k holds the old `items[order[k]]`.
fn apply_permutation<T>(items: &mut [T], mut order: Vec<usize>) {
    for k in 0..order.len() {
        // Follow the chain of already-moved positions.
        let mut src = order[k];
        while src < k {
            src = order[src];
        }
        order[k] = src;
        items.swap(k, src);
    }
}

/// A total order from [`key_less`] for sorting.
pub fn key_cmp(a: &str, b: &str) -> Ordering {
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        a.cmp(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["b", "a10", "a2", "1", "10", "2", "A", "_x", "a"];
        keys.sort_by(|a, b| key_cmp(a, b));
        assert_eq!(keys, vec!["_x", "1", "2", "10", "A", "a", "a2", "a10", "b"]);
    }

    #[test]
    fn go_sort_keys_matches_key_cmp_and_survives_inconsistent_orders() {
        // Consistent keys: the same order as a sort on key_cmp, any length.
        for n in [0, 1, 5, 12, 13, 40, 200] {
            let mut keys: Vec<String> = (0..n)
                .map(|i| format!("{}{}", ["a", "b", "ab"][i % 3], (i * 7919) % 1009))
                .collect();
            let mut want = keys.clone();
            want.sort_by(|a, b| key_cmp(a, b));
            go_sort_keys(&mut keys, |k| k.as_str());
            assert_eq!(keys, want, "n={n}");
        }
        // Digit runs that overflow i64 make key_less inconsistent; the sort
        // must still return a permutation of its input.
        let mut keys: Vec<String> = (0..50)
            .map(|i| format!("{}{}", "9".repeat(19 + i % 5), i % 7))
            .chain((0..20).map(|i| format!("0{i}a")))
            .collect();
        let mut sorted_in = keys.clone();
        go_sort_keys(&mut keys, |k| k.as_str());
        let mut sorted_out = keys.clone();
        sorted_in.sort();
        sorted_out.sort();
        assert_eq!(sorted_in, sorted_out);
    }

    #[test]
    fn parses_helm_typing() {
        let v = parse_values("a: 1\nb: yes\nc: '1'\nd: 2024-01-01\non: x\n").unwrap();
        let m = v.as_map().unwrap();
        assert!(matches!(m.get("a"), Some(Value::Float(f)) if f == 1.0));
        assert!(matches!(m.get("b"), Some(Value::Bool(true))));
        assert_eq!(m.get("c").unwrap().as_str(), Some("1"));
        assert_eq!(m.get("d").unwrap().as_str(), Some("2024-01-01"));
        assert_eq!(m.get("true").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn rejected_characters_found_anywhere() {
        let long = "a: b # é\n".repeat(10);
        for bad in ['\u{0}', '\u{7}', '\u{7f}', '\u{84}', '\u{fffe}', '\u{ffff}'] {
            for at in [0, 1, 31, 32, 33, 40, long.len()] {
                let mut t = long.clone();
                t.insert(at, bad);
                assert!(reader_rejects_any(&t), "{bad:?} at {at}");
                assert!(t.chars().any(reader_rejects));
            }
        }
        for ok in [long.as_str(), "", "\t\r\n ~", "日本語\u{85}\u{10ffff}"] {
            assert!(!reader_rejects_any(ok), "{ok:?}");
            assert!(!ok.chars().any(reader_rejects));
        }
    }

    #[test]
    fn emits_basic_shapes() {
        let v = parse_values("a: [1, 2]\nb: {}\nc: \"x\\ny\"\nd: ''\n").unwrap();
        assert_eq!(
            marshal(&v).unwrap(),
            "a:\n- 1\n- 2\nb: {}\nc: |-\n  x\n  y\nd: \"\"\n"
        );
    }
}

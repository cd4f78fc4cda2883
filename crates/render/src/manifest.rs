//! Splitting rendered files into YAML documents and reading each document's
//! head, mirroring helm's `releaseutil.SplitManifests` and `SimpleHead`.

use std::collections::BTreeMap;
use tusk_template::Value;

/// Splits a rendered file into documents, trimmed, empty ones dropped.
///
/// helm splits on the regex `(?:^|\s*\n)---\s*` (Go's `\s` is
/// `[\t\n\f\r ]`); this scan finds the same matches without compiling it:
/// a run of blanks ending in a newline, then `---`, then blanks (or `---`
/// and blanks at the very start).
pub fn split_manifests(big: &str) -> Vec<String> {
    let t = big.trim();
    let b = t.as_bytes();
    let is_ws = |c: u8| matches!(c, b'\t' | b'\n' | 0x0c | b'\r' | b' ');
    let skip_ws = |mut i: usize| {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        i
    };
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    if t.starts_with("---") {
        pieces.push("");
        start = skip_ws(3);
        i = start;
    }
    while i < b.len() {
        if !is_ws(b[i]) {
            i += 1;
            continue;
        }
        let end = skip_ws(i);
        if b[end - 1] == b'\n' && b[end..].starts_with(b"---") {
            pieces.push(&t[start..i]);
            start = skip_ws(end + 3);
            i = start;
        } else {
            i = end;
        }
    }
    pieces.push(&t[start..]);
    pieces
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| d.trim().to_string())
        .collect()
}

/// What helm reads of each document: apiVersion, kind, metadata.name and
/// metadata.annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleHead {
    /// `apiVersion`
    pub version: String,
    /// `kind`
    pub kind: String,
    /// `metadata.name`
    pub name: String,
    /// `metadata.annotations`, when present.
    pub annotations: BTreeMap<String, String>,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}

/// A scalar as a Go string field receives it through sigs.k8s.io/yaml.
fn scalar_string(v: &Value, field: &str) -> Result<String, String> {
    Ok(match v {
        Value::Nil => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Value::String(s) => s.to_string(),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type string",
                json_kind(other)
            ));
        }
    })
}

const META_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// Reads a document's head. The error is what helm prints after
/// `YAML parse error on FILE: `.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    let v = tusk_chart::values::parse_yaml(doc)?;
    let mut head = SimpleHead::default();
    let m = match v {
        Value::Nil => return Ok(head),
        Value::Map(m) => m,
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type releaseutil.SimpleHead",
                json_kind(&other)
            ));
        }
    };
    if let Some(v) = m.get("apiVersion") {
        head.version = scalar_string(&v, "SimpleHead.apiVersion")?;
    }
    if let Some(v) = m.get("kind") {
        head.kind = scalar_string(&v, "SimpleHead.kind")?;
    }
    match m.get("metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(md)) => {
            if let Some(v) = md.get("name") {
                head.name = scalar_string(&v, ".metadata.name")?;
            }
            match md.get("annotations") {
                None | Some(Value::Nil) => {}
                Some(Value::Map(a)) => {
                    for (k, v) in a.entries() {
                        let s = scalar_string(&v, ".metadata.annotations")?;
                        head.annotations.insert(k, s);
                    }
                }
                Some(other) => {
                    return Err(format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field .metadata.annotations of type map[string]string",
                        json_kind(&other)
                    ));
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.metadata of type {META_TYPE}",
                json_kind(&other)
            ));
        }
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan against helm's regex itself, on generated text.
    #[test]
    fn split_scan_matches_the_regex() {
        let re = regex::Regex::new(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*").unwrap();
        let by_regex = |big: &str| -> Vec<String> {
            re.split(big.trim())
                .filter(|d| !d.is_empty())
                .map(|d| d.trim().to_string())
                .collect()
        };
        const ALPHABET: [&str; 9] = ["-", "---", "\n", " ", "\t", "a", "é", "\r\n", "\x0c"];
        let mut seed: u64 = 0x853c_49e6_748f_ea9b;
        for _ in 0..30_000 {
            let mut s = String::new();
            for _ in 0..(seed >> 60) + 1 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                s.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
            }
            assert_eq!(split_manifests(&s), by_regex(&s), "{s:?}");
        }
    }

    #[test]
    fn release_names() {
        let re =
            regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
                .unwrap();
        for n in [
            "a", "a-b", "a.b", "-a", "a-", "a..b", ".a", "a.", "A", "a_b", "1-2.3", "é", "a.-b",
        ] {
            assert_eq!(
                crate::validate_release_name(n).is_ok(),
                re.is_match(n),
                "{n}"
            );
        }
    }

    #[test]
    fn splits_like_helm() {
        let docs = split_manifests("---\na: 1\n---\n\n---   \nb: 2\n  ---\nc: |\n  ---\n");
        // The second separator's newline was eaten by the first: Go keeps it.
        assert_eq!(docs, vec!["a: 1", "---   \nb: 2\n  ---\nc: |\n  ---"]);
        assert_eq!(split_manifests("a\n---b"), vec!["a", "b"]);
        assert!(split_manifests("  \n---\n").is_empty());
    }

    #[test]
    fn heads() {
        let h =
            parse_head("apiVersion: v1\nkind: 5\nmetadata:\n  name: x\n  annotations:\n    a: 1\n")
                .unwrap();
        assert_eq!(h.kind, "5");
        assert_eq!(h.annotations.get("a").map(String::as_str), Some("1"));
        let e = parse_head("metadata: x\n").unwrap_err();
        assert!(e.contains("SimpleHead.metadata of type struct"));
        let e = parse_head("hello\n").unwrap_err();
        assert!(
            e.ends_with("cannot unmarshal string into Go value of type releaseutil.SimpleHead")
        );
    }
}

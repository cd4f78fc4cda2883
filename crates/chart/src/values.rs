//! Values files and command-line values, like helm's `chartutil.Values` and
//! `pkg/cli/values`.

use std::io::Read;

use tusk_template::{Map, Value};

use crate::{ChartError, Result, strvals};

/// Parses a values document the way helm reads `values.yaml` and `-f` files
/// (sigs.k8s.io/yaml: YAML → JSON → Go maps, so every number is a float64).
/// An empty document gives an empty map. The error text is helm's, e.g.
/// `error converting YAML to JSON: yaml: line 3: ...`.
///
/// helm 4 ([`crate::compat::current`]) reads every `---`-separated document
/// and merges them in order (its `loader.LoadValues`); its errors say which
/// step failed (`cannot unmarshal yaml document: ...`).
pub fn parse_values(data: &[u8]) -> Result<Map, String> {
    let text = crate::load::text_of(data);
    if crate::compat::current().is_v4() {
        let mut out = Map::new();
        for doc in yaml_documents(&text)? {
            let m = tusk_funcs::yaml::parse_map(doc, "map[string]interface {}")
                .map_err(|e| format!("cannot unmarshal yaml document: {e}"))?;
            out = merge_maps(&out, &m);
        }
        return Ok(out);
    }
    tusk_funcs::yaml::parse_map(&text, "map[string]interface {}").map_err(|e| e.to_string())
}

/// The documents of a YAML stream split as Kubernetes' `YAMLReader` splits
/// them (helm 4 reads values with it): at lines starting with `---` followed
/// by nothing but space or a comment; empty documents are skipped.
fn yaml_documents(text: &str) -> Result<Vec<&str>, String> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let Some(rest) = line.strip_prefix("---") else {
            continue;
        };
        let rest = rest.trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Err(format!(
                "error reading yaml document: invalid Yaml document separator: {rest}"
            ));
        }
        if line_start > start {
            docs.push(&text[start..line_start]);
        }
        start = pos;
    }
    if text.len() > start {
        docs.push(&text[start..]);
    }
    Ok(docs)
}

/// Parses the first YAML document of `text` the way sigs.k8s.io/yaml does
/// before decoding JSON (numbers as floats, keys as strings). The error text
/// is helm's (`error converting YAML to JSON: yaml: ...`).
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    tusk_funcs::yaml::parse_values(text).map_err(|e| e.to_string())
}

/// A deep copy of a value: maps are copied, so mutating the copy never
/// shows through the original (Go's `copystructure.Copy`). Lists are
/// immutable, so one holding no map is shared instead of copied.
pub fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(deep_copy_map(m)),
        Value::List(l) if l.iter().any(holds_map) => Value::list(l.iter().map(deep_copy).collect()),
        other => other.clone(),
    }
}

/// Whether a value is or contains a map.
fn holds_map(v: &Value) -> bool {
    match v {
        Value::Map(_) => true,
        Value::List(l) => l.iter().any(holds_map),
        _ => false,
    }
}

/// A deep copy of a map.
pub fn deep_copy_map(m: &Map) -> Map {
    // Collected from the sorted source in one pass: BTreeMap builds that in
    // bulk, without a search per key (coalescing copies every values tree
    // several times).
    Map::from_btree(
        m.read()
            .iter()
            .map(|(k, v)| (k.clone(), deep_copy(v)))
            .collect(),
    )
}

/// Whether a value is a table (Go: `map[string]interface{}`).
pub fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// helm's `Values.Table`: the map at a dotted path, if every step is a map.
pub fn table(v: &Map, path: &str) -> Option<Map> {
    let mut cur = v.clone();
    for part in path.split('.') {
        let next = cur.get(part)?;
        match next {
            Value::Map(m) => cur = m,
            _ => return None,
        }
    }
    Some(cur)
}

/// helm's `Values.PathValue`: a non-table value at a dotted path.
pub fn path_value(v: &Map, path: &str) -> Option<Value> {
    if path.is_empty() {
        return None;
    }
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (table(v, p)?, k),
        None => (v.clone(), path),
    };
    match parent.get(key) {
        Some(Value::Map(_)) | None => None,
        Some(x) => Some(x),
    }
}

/// Go's `mergeMaps` from `pkg/cli/values`: maps merge recursively, anything
/// else is replaced.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = Map::new();
    for (k, v) in a.entries() {
        out.insert(k, v);
    }
    for (k, v) in b.entries() {
        if let Value::Map(bm) = &v
            && let Some(Value::Map(am)) = out.get(&k)
        {
            out.insert(k, Value::Map(merge_maps(&am, bm)));
            continue;
        }
        out.insert(k, v);
    }
    out
}

/// Which `--set*` flag an expression came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetKind {
    /// `--set-json`
    Json,
    /// `--set`
    Set,
    /// `--set-string`
    String,
    /// `--set-file`
    File,
    /// `--set-literal`
    Literal,
}

/// The user-supplied values of a `helm template` run: `-f` files in order,
/// then the `--set*` flags, merged as helm's `values.Options.MergeValues`.
#[derive(Debug, Clone, Default)]
pub struct UserValues {
    /// `-f` files (`-` reads standard input), in order.
    pub files: Vec<String>,
    /// `--set*` expressions.
    pub sets: Vec<(SetKind, String)>,
    /// Standard input, if already read (tests and callers that captured it);
    /// `None` reads the process's standard input when `-` is used.
    pub stdin: Option<Vec<u8>>,
}

impl UserValues {
    /// Merges everything into one values tree. helm applies the kinds in a
    /// fixed order (json, set, string, file, literal) whatever the command
    /// line order; within a kind, in command-line order.
    pub fn merge(&self) -> Result<Map> {
        let mut base = Map::new();
        let mut stdin = self.stdin.clone();
        for f in &self.files {
            let data = read_file(f, &mut stdin)?;
            let cur = parse_values(&data)
                .map_err(|e| ChartError::Values(format!("failed to parse {f}: {e}")))?;
            base = merge_maps(&base, &cur);
        }
        let order = [
            SetKind::Json,
            SetKind::Set,
            SetKind::String,
            SetKind::File,
            SetKind::Literal,
        ];
        for kind in order {
            for (k, expr) in self.sets.iter().filter(|(k, _)| *k == kind) {
                let _ = k;
                match kind {
                    SetKind::Json => strvals::parse_json(expr, &base).map_err(|_| {
                        ChartError::Values(format!("failed parsing --set-json data {expr}"))
                    })?,
                    SetKind::Set => strvals::parse_into(expr, &base).map_err(|e| {
                        ChartError::Values(format!("failed parsing --set data: {e}"))
                    })?,
                    SetKind::String => strvals::parse_into_string(expr, &base).map_err(|e| {
                        ChartError::Values(format!("failed parsing --set-string data: {e}"))
                    })?,
                    SetKind::File => {
                        let mut reader = |path: &str| -> Result<Value, String> {
                            let data = read_file(path, &mut stdin).map_err(|e| e.to_string())?;
                            Ok(Value::from(String::from_utf8_lossy(&data).into_owned()))
                        };
                        strvals::parse_into_file(expr, &base, &mut reader).map_err(|e| {
                            ChartError::Values(format!("failed parsing --set-file data: {e}"))
                        })?
                    }
                    SetKind::Literal => strvals::parse_literal_into(expr, &base).map_err(|e| {
                        ChartError::Values(format!("failed parsing --set-literal data: {e}"))
                    })?,
                }
            }
        }
        Ok(base)
    }
}

/// helm's `readFile`: `-` is standard input, anything else a local file.
fn read_file(path: &str, stdin: &mut Option<Vec<u8>>) -> Result<Vec<u8>> {
    if path.trim() == "-" {
        if let Some(data) = stdin.take() {
            // Standard input can be read once; later reads see it empty.
            *stdin = Some(Vec::new());
            return Ok(data);
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| ChartError::Values(e.to_string()))?;
        *stdin = Some(Vec::new());
        return Ok(buf);
    }
    // Bounded: `-f /dev/zero` (or a runaway file) must not eat all memory.
    let file =
        std::fs::File::open(path).map_err(|e| ChartError::Values(go_open_error(path, &e)))?;
    let mut buf = Vec::new();
    file.take(MAX_VALUES_FILE_SIZE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ChartError::Values(go_open_error(path, &e).replacen("open ", "read ", 1)))?;
    if buf.len() as u64 > MAX_VALUES_FILE_SIZE {
        return Err(ChartError::Values(format!(
            "{path}: larger than the maximum values file size {MAX_VALUES_FILE_SIZE}"
        )));
    }
    Ok(buf)
}

/// Largest `-f`/`--set-file` input read (helm's chart-size limit; helm
/// itself reads without bound).
pub const MAX_VALUES_FILE_SIZE: u64 = crate::directory::MAX_CHART_SIZE;

/// Go's `*PathError` text for a failed open.
pub(crate) fn go_open_error(path: &str, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    };
    format!("open {path}: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_copy_copies_maps_even_inside_lists() {
        let m = parse_values(b"plain: [1, a]\nnested: [[1], {k: v}]\nt: {x: 1}\n").unwrap();
        let c = deep_copy_map(&m);
        let list = |m: &Map, k: &str| match m.get(k) {
            Some(Value::List(l)) => l,
            other => panic!("{other:?}"),
        };
        // A list without maps is shared; one with a map is rebuilt.
        assert!(std::sync::Arc::ptr_eq(
            &list(&m, "plain"),
            &list(&c, "plain")
        ));
        assert!(!std::sync::Arc::ptr_eq(
            &list(&m, "nested"),
            &list(&c, "nested")
        ));
        let (Value::Map(orig), Value::Map(copy)) = (&list(&m, "nested")[1], &list(&c, "nested")[1])
        else {
            panic!("not maps");
        };
        copy.insert("k", Value::from("changed"));
        assert_eq!(orig.get("k").unwrap().as_str(), Some("v"));
        let (Some(Value::Map(t)), Some(Value::Map(tc))) = (m.get("t"), c.get("t")) else {
            panic!("not maps");
        };
        tc.insert("x", Value::Nil);
        assert!(matches!(t.get("x"), Some(Value::Float(f)) if f == 1.0));
    }

    #[test]
    fn numbers_are_floats_and_empty_is_map() {
        let m = parse_values(b"a: 1\nb: x\n").unwrap();
        assert!(matches!(m.get("a"), Some(Value::Float(f)) if f == 1.0));
        assert!(parse_values(b"").unwrap().is_empty());
        assert!(parse_values(b"- 1\n").is_err());
    }

    #[test]
    fn helm4_reads_every_document() {
        let m = crate::compat::scoped(crate::HelmCompat::V4, || {
            parse_values(b"a: {x: 1}\n---\n# c\n--- # note\na: {y: 2}\nb: 3\n")
        })
        .unwrap();
        let a = m.get("a").unwrap();
        assert!(matches!(&a, Value::Map(am) if am.len() == 2));
        assert!(m.get("b").is_some());
        // helm 3 reads the first document only.
        let m = parse_values(b"a: 1\n---\nb: 2\n").unwrap();
        assert!(m.get("b").is_none());
        let e =
            crate::compat::scoped(crate::HelmCompat::V4, || parse_values(b"--- x\n")).unwrap_err();
        assert!(e.contains("invalid Yaml document separator: x"), "{e}");
        let e =
            crate::compat::scoped(crate::HelmCompat::V4, || parse_values(b"a: [\n")).unwrap_err();
        assert!(e.starts_with("cannot unmarshal yaml document: "), "{e}");
    }

    #[test]
    fn merge_maps_recurses() {
        let a = parse_values(b"x: {a: 1, b: 2}\nz: 1\n").unwrap();
        let b = parse_values(b"x: {b: 3}\nz: {q: 1}\n").unwrap();
        let m = merge_maps(&a, &b);
        let x = m.get("x").unwrap();
        let x = x.as_map().unwrap();
        assert_eq!(x.len(), 2);
        assert!(matches!(x.get("b"), Some(Value::Float(f)) if f == 3.0));
        assert!(m.get("z").unwrap().as_map().is_some());
    }

    #[test]
    fn path_value_skips_tables() {
        let m = parse_values(b"a: {b: {c: true}}\n").unwrap();
        assert!(matches!(path_value(&m, "a.b.c"), Some(Value::Bool(true))));
        assert!(path_value(&m, "a.b").is_none());
        assert!(path_value(&m, "a.x.c").is_none());
    }
}

//! A small validator for the OpenAPI v3 / JSON-schema subset Kubernetes uses:
//! the built-in definitions (with `$ref`s between them) and CRDs'
//! structural `openAPIV3Schema`s. It reports every violation with a JSON
//! pointer, instead of stopping at the first.

use std::collections::HashMap;

use regex::Regex;
use serde_json::{Map, Value};

use crate::diagnostic::push_pointer;

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub rule: &'static str,
    pub path: String,
    pub message: String,
}

/// How the schema set treats objects that list properties but say nothing
/// about others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closure {
    /// Kubernetes built-ins: the "strict" definitions say
    /// `additionalProperties: false` where objects are closed; silence means open.
    Explicit,
    /// CRD structural schemas: listed properties close the object (the API
    /// server prunes or, with strict field validation, rejects the rest)
    /// unless `x-kubernetes-preserve-unknown-fields` says otherwise.
    Structural,
}

pub(crate) struct Validator<'a> {
    resolve: &'a dyn Fn(&str) -> Option<&'a Value>,
    closure: Closure,
    regexes: HashMap<String, Option<Regex>>,
    pub out: Vec<Violation>,
}

const MAX_DEPTH: usize = 64;

impl<'a> Validator<'a> {
    pub fn new(resolve: &'a dyn Fn(&str) -> Option<&'a Value>, closure: Closure) -> Self {
        Validator {
            resolve,
            closure,
            regexes: HashMap::new(),
            out: Vec::new(),
        }
    }

    /// Validates `value` (at `path`) against `schema`, collecting violations.
    pub fn check(&mut self, schema: &'a Value, value: &Value, path: &str) {
        self.check_depth(schema, value, path, 0);
    }

    fn push(&mut self, rule: &'static str, path: &str, message: String) {
        self.out.push(Violation {
            rule,
            path: path.to_string(),
            message,
        });
    }

    fn check_depth(&mut self, schema: &'a Value, value: &Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(s) = schema.as_object() else {
            return; // `true`/`{}`-like schemas accept anything
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if let Some(target) = (self.resolve)(r) {
                self.check_depth(target, value, path, depth + 1);
            }
            return;
        }
        // Kubernetes treats an explicit null as "not set".
        if value.is_null() {
            return;
        }
        if s.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
            if !(value.is_string() || is_integer(value)) {
                self.push(
                    "schema/type",
                    path,
                    format!("expected an integer or a string, found {}", describe(value)),
                );
            }
            return;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = s.get(key).and_then(Value::as_array) {
                if !self.any_branch(branches, value, path, depth) {
                    return;
                }
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for b in all {
                self.check_depth(b, value, path, depth + 1);
            }
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(t) => vec![t.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
                self.push(
                    "schema/type",
                    path,
                    format!(
                        "expected {}, found {}",
                        types
                            .iter()
                            .map(|t| article(t))
                            .collect::<Vec<_>>()
                            .join(" or "),
                        describe(value)
                    ),
                );
                return;
            }
        }
        let empty_ok = s.get("x-tusk-empty-is-unset") == Some(&Value::Bool(true)) && value == "";
        if let Some(allowed) = s
            .get("enum")
            .and_then(Value::as_array)
            .filter(|_| !empty_ok)
        {
            if !allowed.iter().any(|a| json_eq(a, value)) {
                let list: Vec<String> = allowed.iter().map(short).collect();
                self.push(
                    "schema/enum",
                    path,
                    format!(
                        "unsupported value {}: must be one of {}",
                        short(value),
                        list.join(", ")
                    ),
                );
            }
        }
        match value {
            Value::Object(m) => self.check_object(s, m, path, depth),
            Value::Array(items) => {
                if let Some(item_schema) = s.get("items") {
                    for (i, it) in items.iter().enumerate() {
                        let p = push_pointer(path, &i.to_string());
                        self.check_depth(item_schema, it, &p, depth + 1);
                    }
                }
                self.bounds(s, "minItems", "maxItems", items.len(), "items", path);
            }
            Value::String(text) => {
                self.check_format(s, text, path);
                self.bounds(
                    s,
                    "minLength",
                    "maxLength",
                    text.chars().count(),
                    "characters",
                    path,
                );
                if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                    let re = self
                        .regexes
                        .entry(p.to_string())
                        .or_insert_with(|| Regex::new(p).ok());
                    if let Some(re) = re {
                        if !re.is_match(text) {
                            let msg = format!("{} does not match the pattern {p:?}", short(value));
                            self.push("schema/constraint", path, msg);
                        }
                    }
                }
            }
            Value::Number(_) => self.check_number(s, value, path),
            _ => {}
        }
    }

    /// True when some branch accepts `value`; otherwise reports and returns false.
    fn any_branch(
        &mut self,
        branches: &'a [Value],
        value: &Value,
        path: &str,
        depth: usize,
    ) -> bool {
        let mut best: Option<Vec<Violation>> = None;
        for b in branches {
            let mut sub = Validator {
                resolve: self.resolve,
                closure: self.closure,
                regexes: std::mem::take(&mut self.regexes),
                out: Vec::new(),
            };
            sub.check_depth(b, value, path, depth + 1);
            self.regexes = std::mem::take(&mut sub.regexes);
            if sub.out.is_empty() {
                return true;
            }
            if best.as_ref().is_none_or(|bv| sub.out.len() < bv.len()) {
                best = Some(sub.out);
            }
        }
        // Branches that differ only by type (IntOrString, Quantity): one clear message.
        let types: Vec<&str> = branches
            .iter()
            .filter_map(|b| b.get("type"))
            .flat_map(|t| match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            })
            .collect();
        if types.len() == branches.len() && !types.is_empty() {
            self.push(
                "schema/type",
                path,
                format!(
                    "expected {}, found {}",
                    types
                        .iter()
                        .map(|t| article(t))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    describe(value)
                ),
            );
        } else if let Some(best) = best {
            self.out.extend(best);
        }
        false
    }

    fn check_object(
        &mut self,
        s: &'a Map<String, Value>,
        m: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if m.get(r).is_none_or(Value::is_null) {
                    self.push(
                        "schema/required",
                        &push_pointer(path, r),
                        format!("missing required field {r:?}"),
                    );
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        let additional = s.get("additionalProperties");
        let preserve = s.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
        let embedded = s.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true));
        let closed = match additional {
            Some(Value::Bool(false)) => true,
            Some(_) => false,
            None => {
                self.closure == Closure::Structural
                    && !preserve
                    && props.is_some_and(|p| !p.is_empty())
            }
        };
        for (k, v) in m {
            let p = push_pointer(path, k);
            if let Some(ps) = props.and_then(|props| props.get(k)) {
                self.check_depth(ps, v, &p, depth + 1);
            } else if let Some(a @ Value::Object(_)) = additional {
                self.check_depth(a, v, &p, depth + 1);
            } else if closed
                && !(embedded && matches!(k.as_str(), "apiVersion" | "kind" | "metadata"))
            {
                let mut msg = format!("unknown field {k:?}");
                if let Some(near) = props.and_then(|props| nearest(k, props.keys())) {
                    msg.push_str(&format!(" (did you mean {near:?}?)"));
                }
                self.push("schema/unknown-field", &p, msg);
            }
        }
        self.bounds(s, "minProperties", "maxProperties", m.len(), "fields", path);
    }

    fn check_format(&mut self, s: &Map<String, Value>, text: &str, path: &str) {
        if s.get("format").and_then(Value::as_str) == Some("byte") && !is_base64(text) {
            self.push(
                "schema/format",
                path,
                "value is not valid base64 (standard alphabet, padded)".to_string(),
            );
        }
    }

    fn check_number(&mut self, s: &Map<String, Value>, value: &Value, path: &str) {
        let Some(x) = value.as_f64() else { return };
        match s.get("format").and_then(Value::as_str) {
            Some("int32") if !(i32::MIN as f64..=i32::MAX as f64).contains(&x) => {
                self.push(
                    "schema/constraint",
                    path,
                    format!("{x} does not fit in a 32-bit integer"),
                );
            }
            _ => {}
        }
        let excl = |k: &str| s.get(k) == Some(&Value::Bool(true));
        if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
            if x < min || (excl("exclusiveMinimum") && x == min) {
                let op = if excl("exclusiveMinimum") { ">" } else { ">=" };
                self.push(
                    "schema/constraint",
                    path,
                    format!("{} must be {op} {min}", short(value)),
                );
            }
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
            if x > max || (excl("exclusiveMaximum") && x == max) {
                let op = if excl("exclusiveMaximum") { "<" } else { "<=" };
                self.push(
                    "schema/constraint",
                    path,
                    format!("{} must be {op} {max}", short(value)),
                );
            }
        }
    }

    fn bounds(
        &mut self,
        s: &Map<String, Value>,
        min_key: &str,
        max_key: &str,
        n: usize,
        what: &str,
        path: &str,
    ) {
        if let Some(min) = s.get(min_key).and_then(Value::as_u64) {
            if (n as u64) < min {
                self.push(
                    "schema/constraint",
                    path,
                    format!("has {n} {what}, at least {min} required"),
                );
            }
        }
        if let Some(max) = s.get(max_key).and_then(Value::as_u64) {
            if (n as u64) > max {
                self.push(
                    "schema/constraint",
                    path,
                    format!("has {n} {what}, at most {max} allowed"),
                );
            }
        }
    }
}

/// JSON integers; floats with no fractional part also pass, as Go's JSON
/// decoder accepts `1e+06` or `3.0` for an integer field after sigs.k8s.io/yaml.
pub(crate) fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => is_integer(v),
        "number" => v.is_number(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "an object".into(),
        "array" => "a list".into(),
        "integer" => "an integer".into(),
        "string" => "a string".into(),
        "boolean" => "a boolean".into(),
        "number" => "a number".into(),
        other => other.to_string(),
    }
}

/// A short description of a value's type and, for scalars, the value.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", short(&Value::String(s.clone()))),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// JSON text of a value, cut to a readable length.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Base64 as Go's encoding/json decodes `[]byte` (StdEncoding, padded;
/// line breaks ignored).
fn is_base64(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| *c != b'\n' && *c != b'\r').collect();
    if b.len() % 4 != 0 {
        return false;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 {
        return false;
    }
    b[..b.len() - pad]
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// The closest known name within a small edit distance, for "did you mean".
pub(crate) fn nearest<'k>(name: &str, known: impl Iterator<Item = &'k String>) -> Option<&'k str> {
    let lname = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(&lname, &k.to_ascii_lowercase());
        let limit = (k.len().max(name.len()) / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k.as_str()));
        }
    }
    best.map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(schema: &Value, v: &Value, closure: Closure) -> Vec<Violation> {
        let none = |_: &str| -> Option<&Value> { None };
        let mut val = Validator::new(&none, closure);
        val.check(schema, v, "");
        val.out
    }

    #[test]
    fn reports_everything_at_once() {
        let s = json!({"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "integer", "minimum": 1},
            "c": {"type": "string", "enum": ["x", "y"]}}});
        let out = run(&s, &json!({"a": 0, "c": "z", "cc": 1}), Closure::Structural);
        let rules: Vec<_> = out.iter().map(|v| (v.rule, v.path.as_str())).collect();
        assert_eq!(
            rules,
            vec![
                ("schema/required", "/b"),
                ("schema/constraint", "/a"),
                ("schema/enum", "/c"),
                ("schema/unknown-field", "/cc"),
            ]
        );
        assert!(
            out[3].message.contains("did you mean \"c\""),
            "{}",
            out[3].message
        );
        // Explicit closure: silence means open.
        assert_eq!(
            run(&s, &json!({"a": 1, "b": 1, "zz": 1}), Closure::Explicit),
            vec![]
        );
    }

    #[test]
    fn integers_and_base64_follow_go() {
        let s = json!({"type": "integer", "format": "int32"});
        assert!(run(&s, &json!(1e6), Closure::Explicit).is_empty());
        assert_eq!(
            run(&s, &json!(1.5), Closure::Explicit)[0].rule,
            "schema/type"
        );
        assert_eq!(
            run(&s, &json!(5_000_000_000i64), Closure::Explicit)[0].rule,
            "schema/constraint"
        );
        let b = json!({"type": "string", "format": "byte"});
        assert!(run(&b, &json!("aGVsbG8="), Closure::Explicit).is_empty());
        assert_eq!(run(&b, &json!("hello"), Closure::Explicit).len(), 1);
    }

    #[test]
    fn int_or_string_branches_give_one_message() {
        let s = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        let out = run(&s, &json!(true), Closure::Explicit);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].message,
            "expected a string or an integer, found the boolean true"
        );
    }
}

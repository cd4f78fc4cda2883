//! Parameters: their declared types, turning what the user gave (command
//! line text or project YAML) into typed values, and the minijinja context
//! the overlay body renders with.
//!
//! Secret parameters never enter the template as text: the context holds
//! an opaque token per secret, and only the apply stage swaps tokens for
//! values, and only inside Secret `data`/`stringData`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::secret::{Secret, SecretSource};

/// A parameter's type.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Text.
    String,
    /// A 64-bit integer.
    Int,
    /// `true`/`false`.
    Bool,
    /// A list (of `items`, default string); `a,b,c` on the command line.
    List,
    /// A map (of `items`, default string); `k=v,k2=v2` or
    /// `--param OVERLAY.KEY.SUBKEY=V` on the command line.
    Map,
    /// A secret: `env:NAME` or `file:PATH`.
    Secret,
}

impl ParamType {
    fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::List => "list",
            ParamType::Map => "map",
            ParamType::Secret => "secret",
        }
    }
}

/// A declared parameter.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParamSpec {
    /// The type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// Whether it must be given.
    #[serde(default)]
    pub required: bool,
    /// The value when not given.
    #[serde(default)]
    pub default: Option<Value>,
    /// Allowed values.
    #[serde(default, rename = "enum")]
    pub allowed: Option<Vec<Value>>,
    /// What it does, for `tusk overlays show`.
    #[serde(default)]
    pub description: Option<String>,
    /// Element type of a list or map (string, int, bool or secret).
    #[serde(default)]
    pub items: Option<ParamType>,
}

/// A parameter value as the user gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    /// Command-line text (`--param otel.endpoint=TEXT`), converted by type.
    Text(String),
    /// A value from the project file.
    Value(Value),
}

/// What the user gave an overlay: parameter name (possibly `map.key`) →
/// raw value, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamInputs(pub Vec<(String, RawParam)>);

impl ParamInputs {
    /// Adds one.
    pub fn push(&mut self, key: impl Into<String>, v: RawParam) {
        self.0.push((key.into(), v));
    }
}

/// Prefix of secret tokens; the rest identifies the secret.
const TOKEN_PREFIX: &str = "tusk-secret-";
const TOKEN_SUFFIX: &str = "-end";

/// Whether text contains a secret token.
pub fn has_token(s: &str) -> bool {
    s.contains(TOKEN_PREFIX)
}

/// Secrets resolved for one plan, addressed by token.
#[derive(Debug, Clone, Default)]
pub struct SecretTable {
    entries: Vec<(String, String, Secret)>,
    salt: String,
}

impl SecretTable {
    fn new(overlay: &str) -> Self {
        // A per-run salt keeps a token from ever matching text a chart or a
        // user wrote on purpose.
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write(overlay.as_bytes());
        SecretTable {
            entries: Vec::new(),
            salt: format!("{:016x}", h.finish()),
        }
    }

    fn add(&mut self, label: String, s: Secret) -> String {
        let token = format!(
            "{TOKEN_PREFIX}{}-{}{TOKEN_SUFFIX}",
            self.salt,
            self.entries.len()
        );
        self.entries.push((token.clone(), label, s));
        token
    }

    /// Replaces every token in `text`; returns the new text and whether any
    /// was replaced.
    pub fn substitute(&self, text: &str) -> (String, bool) {
        let mut out = text.to_string();
        let mut any = false;
        for (tok, _, s) in &self.entries {
            if out.contains(tok.as_str()) {
                out = out.replace(tok.as_str(), s.expose());
                any = true;
            }
        }
        (out, any)
    }

    /// The parameter label (`otel.headers`) of the first token in `text`.
    pub fn label_in(&self, text: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(t, _, _)| text.contains(t.as_str()))
            .map(|(_, l, _)| l.as_str())
    }

    /// The secret values, for redaction.
    pub fn values(&self) -> impl Iterator<Item = &Secret> {
        self.entries.iter().map(|(_, _, s)| s)
    }

    /// Merges another table in.
    pub fn extend(&mut self, other: &SecretTable) {
        self.entries.extend(other.entries.iter().cloned());
    }
}

/// Resolves the raw inputs against the declared parameters: unknown names,
/// missing required ones, types, enums, secrets. Returns the template
/// context's `params` map (secrets as tokens) and the secrets.
pub fn resolve(
    overlay: &str,
    specs: &[(String, ParamSpec)],
    inputs: &ParamInputs,
    base: &Path,
    allow_literal: bool,
) -> Result<(Map<String, Value>, SecretTable)> {
    let mut secrets = SecretTable::new(overlay);
    // Group inputs by parameter; `vars.FOO=x` adds one map entry.
    let mut given: BTreeMap<&str, Vec<(Option<&str>, &RawParam)>> = BTreeMap::new();
    for (key, raw) in &inputs.0 {
        let (name, sub) = match specs.iter().find(|(n, _)| n == key) {
            Some(_) => (key.as_str(), None),
            None => match key.split_once('.') {
                Some((n, s))
                    if specs
                        .iter()
                        .any(|(sn, sp)| sn == n && sp.ty == ParamType::Map) =>
                {
                    (n, Some(s))
                }
                _ => {
                    let names: Vec<&str> = specs.iter().map(|(n, _)| n.as_str()).collect();
                    return Err(Error::new(
                        ErrorKind::UnknownParam,
                        format!(
                            "has no parameter `{key}`; its parameters are: {}",
                            names.join(", ")
                        ),
                    )
                    .overlay(overlay));
                }
            },
        };
        given.entry(name).or_default().push((sub, raw));
    }
    let mut out = Map::new();
    for (name, spec) in specs {
        let label = format!("{overlay}.{name}");
        let err = |kind: ErrorKind, msg: String| {
            let msg = msg
                .strip_prefix("secret: ")
                .map(str::to_string)
                .unwrap_or(msg);
            Error::new(kind, msg)
                .overlay(overlay)
                .item(format!("parameter {name}"))
        };
        let value = match given.get(name.as_str()) {
            Some(list) => {
                let mut acc: Option<Value> = None;
                for (sub, raw) in list {
                    match sub {
                        None => {
                            acc = Some(
                                convert(spec, raw, &label, base, allow_literal, &mut secrets)
                                    .map_err(|m| err(classify(&m), m))?,
                            )
                        }
                        Some(k) => {
                            let item_ty = spec.items.unwrap_or(ParamType::String);
                            let v = convert_scalar(
                                item_ty,
                                raw,
                                &format!("{label}.{k}"),
                                base,
                                allow_literal,
                                &mut secrets,
                            )
                            .map_err(|m| err(classify(&m), m))?;
                            let mut m = match acc.take() {
                                Some(Value::Object(m)) => m,
                                _ => Map::new(),
                            };
                            m.insert((*k).to_string(), v);
                            acc = Some(Value::Object(m));
                        }
                    }
                }
                acc.unwrap_or(Value::Null)
            }
            None => match &spec.default {
                Some(d) => convert(
                    spec,
                    &RawParam::Value(d.clone()),
                    &label,
                    base,
                    allow_literal,
                    &mut secrets,
                )
                .map_err(|m| err(ErrorKind::BadParam, format!("bad default: {m}")))?,
                None if spec.required => {
                    return Err(err(
                        ErrorKind::MissingParam,
                        format!(
                            "is required ({}){}",
                            spec.ty.name(),
                            spec.description
                                .as_deref()
                                .map(|d| format!(": {}", first_line(d)))
                                .unwrap_or_default()
                        ),
                    ));
                }
                None => Value::Null,
            },
        };
        if let (Some(allowed), false) = (&spec.allowed, value.is_null()) {
            let ok = match &value {
                Value::Array(items) => items.iter().all(|i| allowed.contains(i)),
                v => allowed.contains(v),
            };
            if !ok {
                let shown: Vec<String> = allowed.iter().map(show).collect();
                return Err(err(
                    ErrorKind::BadParam,
                    format!("{} is not one of: {}", show(&value), shown.join(", ")),
                ));
            }
        }
        out.insert(name.clone(), value);
    }
    Ok((out, secrets))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("").trim_end_matches('.')
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Conversion messages for secrets start with "secret:" so they map to
/// the Secret error kind.
fn classify(msg: &str) -> ErrorKind {
    if msg.starts_with("secret") {
        ErrorKind::Secret
    } else {
        ErrorKind::BadParam
    }
}

fn convert(
    spec: &ParamSpec,
    raw: &RawParam,
    label: &str,
    base: &Path,
    allow_literal: bool,
    secrets: &mut SecretTable,
) -> Result<Value, String> {
    let item_ty = spec.items.unwrap_or(ParamType::String);
    match spec.ty {
        ParamType::List => {
            let items: Vec<RawParam> = match raw {
                RawParam::Text(t) if t.trim_start().starts_with('[') => {
                    match yaml_serde::from_str::<Value>(t) {
                        Ok(Value::Array(a)) => a.into_iter().map(RawParam::Value).collect(),
                        _ => return Err(format!("expected a list, got {t:?}")),
                    }
                }
                RawParam::Text(t) => t
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| RawParam::Text(s.to_string()))
                    .collect(),
                RawParam::Value(Value::Array(a)) => {
                    a.iter().cloned().map(RawParam::Value).collect()
                }
                RawParam::Value(Value::Null) => Vec::new(),
                RawParam::Value(Value::String(s)) => s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| RawParam::Text(s.to_string()))
                    .collect(),
                RawParam::Value(v) => return Err(format!("expected a list, got {}", kind_of(v))),
            };
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                out.push(convert_scalar(
                    item_ty,
                    it,
                    &format!("{label}[{i}]"),
                    base,
                    allow_literal,
                    secrets,
                )?);
            }
            Ok(Value::Array(out))
        }
        ParamType::Map => {
            let entries: Vec<(String, RawParam)> = match raw {
                RawParam::Text(t) if t.trim_start().starts_with('{') => {
                    match yaml_serde::from_str::<Value>(t) {
                        Ok(Value::Object(m)) => m
                            .into_iter()
                            .map(|(k, v)| (k, RawParam::Value(v)))
                            .collect(),
                        _ => return Err(format!("expected a map, got {t:?}")),
                    }
                }
                RawParam::Text(t) => {
                    let mut v = Vec::new();
                    for part in t.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let (k, val) = part
                            .split_once('=')
                            .ok_or_else(|| format!("expected KEY=VALUE pairs, got {part:?}"))?;
                        v.push((k.to_string(), RawParam::Text(val.to_string())));
                    }
                    v
                }
                RawParam::Value(Value::Object(m)) => m
                    .iter()
                    .map(|(k, v)| (k.clone(), RawParam::Value(v.clone())))
                    .collect(),
                RawParam::Value(Value::Null) => Vec::new(),
                RawParam::Value(v) => return Err(format!("expected a map, got {}", kind_of(v))),
            };
            let mut out = Map::new();
            for (k, it) in entries {
                let v = convert_scalar(
                    item_ty,
                    &it,
                    &format!("{label}.{k}"),
                    base,
                    allow_literal,
                    secrets,
                )?;
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
        ty => convert_scalar(ty, raw, label, base, allow_literal, secrets),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

fn convert_scalar(
    ty: ParamType,
    raw: &RawParam,
    label: &str,
    base: &Path,
    allow_literal: bool,
    secrets: &mut SecretTable,
) -> Result<Value, String> {
    match (ty, raw) {
        (ParamType::String, RawParam::Text(t)) => Ok(Value::String(t.clone())),
        (ParamType::String, RawParam::Value(v)) => match v {
            Value::String(_) => Ok(v.clone()),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            other => Err(format!("expected a string, got {}", kind_of(other))),
        },
        (ParamType::Int, RawParam::Text(t)) => t
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected an int, got {t:?}")),
        (ParamType::Int, RawParam::Value(v)) => match v.as_i64() {
            Some(i) => Ok(Value::from(i)),
            None => match v {
                Value::String(s) => s
                    .trim()
                    .parse::<i64>()
                    .map(Value::from)
                    .map_err(|_| format!("expected an int, got {s:?}")),
                other => Err(format!("expected an int, got {}", kind_of(other))),
            },
        },
        (ParamType::Bool, RawParam::Text(t)) => match t.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Err(format!("expected true or false, got {other:?}")),
        },
        (ParamType::Bool, RawParam::Value(v)) => match v {
            Value::Bool(_) => Ok(v.clone()),
            Value::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            other => Err(format!("expected true or false, got {}", kind_of(other))),
        },
        (ParamType::Secret, raw) => {
            let src = match raw {
                RawParam::Text(t) => SecretSource::parse(t),
                RawParam::Value(Value::String(t)) => SecretSource::parse(t),
                RawParam::Value(Value::Object(m)) => {
                    match (m.get("env"), m.get("file"), m.get("value"), m.len()) {
                        (Some(Value::String(e)), None, None, 1) => SecretSource::Env(e.clone()),
                        (None, Some(Value::String(f)), None, 1) => SecretSource::File(f.clone()),
                        (None, None, Some(Value::String(v)), 1) => {
                            SecretSource::Literal(Secret::new(v.clone()))
                        }
                        _ => {
                            return Err(
                                "secret: expected env:NAME, file:PATH, {env: NAME} or {file: PATH}"
                                    .into(),
                            );
                        }
                    }
                }
                RawParam::Value(v) => {
                    return Err(format!(
                        "secret: expected env:NAME or file:PATH, got {}",
                        kind_of(v)
                    ));
                }
            };
            let s = src
                .resolve(base, allow_literal)
                .map_err(|e| format!("secret: {}", e.detail()))?;
            Ok(Value::String(secrets.add(label.to_string(), s)))
        }
        (ParamType::List | ParamType::Map, _) => {
            Err(format!("a {} cannot hold a {}", "list or map", ty.name()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(ty: ParamType) -> ParamSpec {
        ParamSpec {
            ty,
            required: false,
            default: None,
            allowed: None,
            description: None,
            items: None,
        }
    }

    #[test]
    fn converts_text_by_type() {
        let specs = vec![
            ("n".to_string(), spec(ParamType::Int)),
            ("b".to_string(), spec(ParamType::Bool)),
            ("l".to_string(), spec(ParamType::List)),
            ("m".to_string(), spec(ParamType::Map)),
        ];
        let mut inputs = ParamInputs::default();
        inputs.push("n", RawParam::Text("3".into()));
        inputs.push("b", RawParam::Text("true".into()));
        inputs.push("l", RawParam::Text("web, sidekiq".into()));
        inputs.push("m", RawParam::Text("A=1,B=2".into()));
        inputs.push("m.C", RawParam::Text("3".into()));
        let (v, _) = resolve("t", &specs, &inputs, Path::new("."), false).unwrap();
        assert_eq!(
            Value::Object(v),
            serde_json::json!({"n": 3, "b": true, "l": ["web", "sidekiq"], "m": {"A": "1", "B": "2", "C": "3"}})
        );
    }

    #[test]
    fn secrets_become_tokens() {
        let specs = vec![("s".to_string(), spec(ParamType::Secret))];
        let mut inputs = ParamInputs::default();
        inputs.push("s", RawParam::Text("file:Cargo.toml".into()));
        let (v, table) = resolve(
            "t",
            &specs,
            &inputs,
            Path::new(env!("CARGO_MANIFEST_DIR")),
            false,
        )
        .unwrap();
        let tok = v["s"].as_str().unwrap();
        assert!(has_token(tok));
        assert!(table.substitute(tok).0.contains("tusk-overlay"));
        assert_eq!(table.label_in(tok), Some("t.s"));
    }
}

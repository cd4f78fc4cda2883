//! Helm's own template functions (pkg/engine/funcs.go): toYaml, fromYaml,
//! toJson, fromJson, toToml, required, include, tpl, lookup.

use tusk_template::{Map, Value};

use crate::{json, yaml};

/// `fromYaml`: a map, or a map holding the error under "Error" (helm does
/// not fail the template).
pub fn from_yaml(s: &str) -> Value {
    match yaml::parse_map(s, "map[string]interface {}") {
        Ok(m) => Value::Map(m),
        Err(e) => {
            let m = Map::new();
            m.insert("Error", Value::from(e.to_string()));
            Value::Map(m)
        }
    }
}

/// `fromYamlArray`: a list, or a one-element list holding the error text.
pub fn from_yaml_array(s: &str) -> Value {
    match yaml::parse_list(s) {
        Ok(l) => Value::list(l),
        Err(e) => Value::list(vec![Value::from(e.to_string())]),
    }
}

/// `fromJson`: like fromYaml, errors under "Error".
pub fn from_json(s: &str) -> Value {
    match json::parse_map(s) {
        Ok(m) => Value::Map(m),
        Err(e) => {
            let m = Map::new();
            m.insert("Error", Value::from(e.to_string()));
            Value::Map(m)
        }
    }
}

/// `fromJsonArray`: a list, or a one-element list holding the error text.
pub fn from_json_array(s: &str) -> Value {
    match json::parse_list(s) {
        Ok(l) => Value::list(l),
        Err(e) => Value::list(vec![Value::from(e.to_string())]),
    }
}

// ---- template functions -------------------------------------------------

use tusk_template::func::TextError;
use tusk_template::{CallContext, FuncError};

use crate::Env;
use crate::args::{arity, s, string};
use crate::gostr::go_quote;

type R = Result<Value, FuncError>;

/// `{{ include "name" . }}`: runs a named template and returns its output
/// as a string (helm; the engine enforces the nesting limit of 1000).
pub fn include(_: &Env, ctx: &mut dyn CallContext, a: &[Value]) -> R {
    arity("include", a, 2)?;
    let name = string(&a[0])?;
    ctx.execute_template(name, &a[1]).map(s)
}

/// `{{ tpl .Values.text . }}`: renders a string as a template with the
/// given data; `<no value>` is removed from the result like helm does.
pub fn tpl(_: &Env, ctx: &mut dyn CallContext, a: &[Value]) -> R {
    arity("tpl", a, 2)?;
    let text = string(&a[0])?;
    match ctx.execute_text_split(text, &a[1]) {
        Ok(out) => Ok(s(out.replace("<no value>", ""))),
        Err(TextError::Parse(msg)) => Err(FuncError::Failed(format!(
            "cannot parse template {}: {msg}",
            go_quote(text)
        ))),
        Err(e) => Err(FuncError::Failed(format!(
            "error during tpl function execution for {}: {e}",
            go_quote(text)
        ))),
    }
}

/// `{{ lookup "v1" "Secret" "ns" "name" }}` → an empty map: `helm
/// template` has no cluster connection.
pub fn lookup(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("lookup", a, 4)?;
    for v in a {
        string(v)?;
    }
    Ok(Value::Map(Map::new()))
}

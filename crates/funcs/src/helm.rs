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

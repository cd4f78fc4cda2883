//! Argument handling shared by every function: Go's reflect-based argument
//! checks (wrong count, wrong type) with text/template's wording, and the
//! loose conversions sprig does through spf13/cast.

use std::sync::Arc;

use tusk_template::{FuncError, Map, Value};

use crate::gostr::strval;

/// The Go type name of a value, as `%T` / `typeOf` print it.
///
/// `Value::Int` cannot tell Go's `int` from `int64`; it reports `int`, the
/// type of template integer constants, `len` and `atoi` (sprig arithmetic
/// and `--set` integers are `int64` in Go).
pub fn go_type(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float64".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "[]uint8".into(),
        Value::List(_) => "[]interface {}".into(),
        Value::Map(_) => "map[string]interface {}".into(),
        Value::Object(o) => o.type_name().to_string(),
    }
}

/// Go's reflect kind name (`kindOf`).
pub fn go_kind(v: &Value) -> String {
    match v {
        Value::Nil => "invalid".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float64".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) | Value::List(_) => "slice".into(),
        Value::Map(_) => "map".into(),
        Value::Object(o) => {
            if o.type_name().starts_with('*') {
                "ptr".into()
            } else {
                "struct".into()
            }
        }
    }
}

/// text/template's "wrong number of args for NAME: want N got M".
pub fn arity(name: &str, args: &[Value], want: usize) -> Result<(), FuncError> {
    if args.len() != want {
        return Err(FuncError::BadArgs(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        )));
    }
    Ok(())
}

/// Variadic arity: "want at least N got M".
pub fn arity_min(name: &str, args: &[Value], min: usize) -> Result<(), FuncError> {
    if args.len() < min {
        return Err(FuncError::BadArgs(format!(
            "wrong number of args for {name}: want at least {min} got {}",
            args.len()
        )));
    }
    Ok(())
}

/// text/template's message for an argument of the wrong type. A nil from
/// a map lookup is a nil `interface {}` there (a literal `nil` gets the
/// engine's own "cannot assign nil" message before any function runs).
fn wrong(expected: &str, v: &Value) -> FuncError {
    let got = if v.is_nil() {
        "interface {}".to_string()
    } else {
        go_type(v)
    };
    FuncError::BadArgs(format!(
        "wrong type for value; expected {expected}; got {got}"
    ))
}

/// A `string` parameter.
pub fn string(v: &Value) -> Result<&str, FuncError> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(wrong("string", other)),
    }
}

/// An `int` parameter (Go integers only; floats are refused as in Go).
pub fn int(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(wrong("int", other)),
    }
}

/// A `float64` parameter (untyped integer constants convert).
pub fn float(v: &Value) -> Result<f64, FuncError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        other => Err(wrong("float64", other)),
    }
}

/// A `bool` parameter.
pub fn boolean(v: &Value) -> Result<bool, FuncError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(wrong("bool", other)),
    }
}

/// A `map[string]interface{}` parameter. text/template passes nil as the
/// map type's zero value (a nil map, here a fresh empty one).
pub fn map(v: &Value) -> Result<Map, FuncError> {
    match v {
        Value::Map(m) => Ok(m.clone()),
        Value::Nil => Ok(Map::new()),
        other => Err(wrong("map[string]interface {}", other)),
    }
}

/// A `[]interface{}`-ish list parameter for sprig's reflect-based list
/// functions; `None` when the value is not a slice.
pub fn list(v: &Value) -> Option<Arc<Vec<Value>>> {
    match v {
        Value::List(l) => Some(l.clone()),
        Value::Bytes(b) => Some(Arc::new(
            b.iter().map(|x| Value::Int(i64::from(*x))).collect(),
        )),
        _ => None,
    }
}

/// A failure in the function itself ("error calling NAME: MSG").
pub fn fail(msg: impl Into<String>) -> FuncError {
    FuncError::Failed(msg.into())
}

/// cast's `trimZeroDecimal`: "3.00" → "3".
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    let b = s.as_bytes();
    for i in (0..b.len()).rev() {
        match b[i] {
            b'.' => {
                if found_zero {
                    return &s[..i];
                }
                return s;
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// spf13/cast `ToInt64E` (errors give 0 like sprig's `toInt64`).
pub fn cast_i64(v: &Value) -> Result<i64, String> {
    match v {
        Value::Nil => Ok(0),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Int(i) => Ok(*i),
        Value::Float(f) => Ok(go_f64_to_i64(*f)),
        Value::String(s) => go_parse_int_base0(trim_zero_decimal(s))
            .ok_or_else(|| format!("unable to cast {:?} of type string to int64", s.as_ref())),
        other => Err(format!(
            "unable to cast {} of type {} to int64",
            crate::gostr::format_v(other),
            go_type(other)
        )),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` including its underscore rule:
/// underscores may only separate digits (or follow a base prefix).
pub fn go_parse_int_base0(s: &str) -> Option<i64> {
    if s.contains('_') {
        let body = s.trim_start_matches(['+', '-']);
        let (prefix_len, digits) = match body.get(..2) {
            Some("0x" | "0X" | "0o" | "0O" | "0b" | "0B") => (2, &body[2..]),
            _ => (0, body),
        };
        // Go's underscoreOK: '_' must sit between digits, or right after a
        // base prefix; a leading '0' alone counts as a prefix too.
        let b = digits.as_bytes();
        let mut prev_digit = prefix_len > 0 || body.starts_with('0');
        for (i, &c) in b.iter().enumerate() {
            if c == b'_' {
                if !prev_digit || i + 1 == b.len() || b[i + 1] == b'_' {
                    return None;
                }
                prev_digit = false;
            } else {
                prev_digit = true;
            }
        }
        return crate::yaml::resolve::go_parse_int(&s.replace('_', ""));
    }
    crate::yaml::resolve::go_parse_int(s)
}

/// Go's float64 → int64 conversion (amd64: out of range gives MinInt64).
pub fn go_f64_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// sprig `toInt64`.
pub fn to_i64(v: &Value) -> i64 {
    cast_i64(v).unwrap_or(0)
}

/// spf13/cast `ToFloat64E`.
pub fn cast_f64(v: &Value) -> Result<f64, String> {
    match v {
        Value::Nil => Ok(0.0),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::String(s) => go_parse_float_full(s)
            .ok_or_else(|| format!("unable to cast {s:?} of type string to float64")),
        other => Err(format!(
            "unable to cast {} of type {} to float64",
            crate::gostr::format_v(other),
            go_type(other)
        )),
    }
}

/// `strconv.ParseFloat(s, 64)` including hex floats, inf and nan forms
/// (range errors keep Go's ±Inf result).
pub fn go_parse_float_full(s: &str) -> Option<f64> {
    let t = s.replace('_', "");
    let body = t.trim_start_matches(['+', '-']);
    if t.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return t.to_ascii_lowercase().parse::<f64>().ok();
    }
    if !body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// sprig `toFloat64`.
pub fn to_f64(v: &Value) -> f64 {
    cast_f64(v).unwrap_or(0.0)
}

/// sprig `strval`, re-exported for the families.
pub fn sval(v: &Value) -> String {
    strval(v)
}

/// sprig's `empty`: Go zero values and empty collections.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(_) => false,
    }
}

/// A string result.
pub fn s(v: impl Into<String>) -> Value {
    Value::from(v.into())
}

/// A list of strings result (`[]string`).
pub fn strings(v: impl IntoIterator<Item = String>) -> Value {
    Value::list(v.into_iter().map(Value::from).collect())
}

//! Go's builtin template functions (`and`, `or`, `not`, `len`, `index`,
//! `slice`, `print*`, `html`, `js`, `urlquery`, `call`, comparisons) with
//! Go 1.23's semantics and error texts.

use std::sync::Arc;

use super::Param;
use super::eval::{EVal, eval_truth};
use crate::gofmt;
use crate::value::Value;

/// Names of Go's builtins.
pub const BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Whether `name` is a Go builtin.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// Fixed parameters and the variadic element kind, as Go declares them.
pub(crate) fn signature(name: &str) -> (&'static [Param], Option<Param>) {
    use Param::*;
    match name {
        "and" | "or" | "index" | "slice" | "call" | "eq" => (&[Refl], Some(Refl)),
        "not" | "len" => (&[Refl], None),
        "ne" | "lt" | "le" | "gt" | "ge" => (&[Refl, Refl], None),
        "printf" => (&[Str], Some(Any)),
        _ => (&[], Some(Any)),
    }
}

/// Calls builtin `name` (not and/or, which the executor short-circuits).
pub(crate) fn call(name: &str, a: &[EVal], callee: &str) -> Result<EVal, String> {
    let vals = || a.iter().map(EVal::to_value).collect::<Vec<_>>();
    Ok(match name {
        "not" => EVal::Val(Value::Bool(!eval_truth(&a[0]))),
        "len" => EVal::Val(Value::Int(length(&a[0])?)),
        "index" => index(&a[0], &a[1..])?,
        "slice" => slice(&a[0], &a[1..])?,
        "call" => {
            let f = a[0].indirect_interface();
            return Err(match f {
                EVal::Invalid => "call of nil".to_string(),
                other => format!("non-function {callee} of type {}", other.type_name()),
            });
        }
        "print" => EVal::Val(Value::from(gofmt::sprint(&vals()))),
        "println" => EVal::Val(Value::from(gofmt::sprintln(&vals()))),
        "printf" => {
            let v = vals();
            let f = v[0].as_str().unwrap_or("").to_string();
            EVal::Val(Value::from(gofmt::sprintf(&f, &v[1..])))
        }
        "html" => EVal::Val(Value::from(html_escape(&eval_args(a)))),
        "js" => EVal::Val(Value::from(js_escape(&eval_args(a)))),
        "urlquery" => EVal::Val(Value::from(query_escape(&eval_args(a)))),
        "eq" => EVal::Val(Value::Bool(eq(&a[0], &a[1..])?)),
        "ne" => EVal::Val(Value::Bool(!eq(&a[0], &a[1..2])?)),
        "lt" => EVal::Val(Value::Bool(lt(&a[0], &a[1])?)),
        "le" => EVal::Val(Value::Bool(le(&a[0], &a[1])?)),
        "gt" => EVal::Val(Value::Bool(!le(&a[0], &a[1])?)),
        "ge" => EVal::Val(Value::Bool(!lt(&a[0], &a[1])?)),
        _ => return Err(format!("unknown builtin {name}")),
    })
}

fn length(item: &EVal) -> Result<i64, String> {
    if let Some(Value::Object(o)) = item.inner()
        && let Some(c @ (Value::List(_) | Value::Map(_))) = o.collection()
    {
        return length(&EVal::Val(c));
    }
    match item {
        EVal::Invalid => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        EVal::Iface(Value::Nil) => Err("len of nil pointer".into()),
        EVal::Iface(v) | EVal::Val(v) => match v {
            Value::String(s) => Ok(s.len() as i64),
            Value::Bytes(b) => Ok(b.len() as i64),
            Value::List(l) => Ok(l.len() as i64),
            Value::Map(m) => Ok(m.len() as i64),
            other => Err(format!("len of type {}", gofmt::type_name(other))),
        },
    }
}

fn index_arg(index: &EVal, cap: usize) -> Result<usize, String> {
    let x = match index.indirect_interface() {
        EVal::Invalid => return Err("cannot index slice/array with nil".into()),
        EVal::Val(Value::Int(i)) => i,
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &EVal, indexes: &[EVal]) -> Result<EVal, String> {
    let mut item = item.indirect_interface();
    if matches!(item, EVal::Invalid) {
        return Err("index of untyped nil".into());
    }
    for idx in indexes {
        let v = match &item {
            EVal::Iface(Value::Nil) | EVal::Invalid => return Err("index of nil pointer".into()),
            EVal::Iface(_) | EVal::Val(_) => item.collection().unwrap_or_default(),
        };
        item = match &v {
            Value::List(l) => {
                let x = index_arg(idx, l.len())?;
                if x == l.len() {
                    // Go 1.23 lets reflect panic here.
                    return Err("reflect: slice index out of range".into());
                }
                EVal::Iface(l[x].clone())
            }
            Value::Bytes(b) => {
                let x = index_arg(idx, b.len())?;
                if x == b.len() {
                    return Err("reflect: slice index out of range".into());
                }
                EVal::Val(Value::Int(b[x] as i64))
            }
            Value::String(s) => {
                let x = index_arg(idx, s.len())?;
                if x == s.len() {
                    return Err("reflect: string index out of range".into());
                }
                EVal::Val(Value::Int(s.as_bytes()[x] as i64))
            }
            Value::Map(m) => {
                let key = match idx.indirect_interface() {
                    EVal::Invalid => {
                        return Err("value is nil; should be of type string".into());
                    }
                    EVal::Val(Value::String(s)) => s,
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                EVal::Iface(m.get(&key).unwrap_or(Value::Nil))
            }
            other => {
                return Err(format!(
                    "can't index item of type {}",
                    gofmt::type_name(other)
                ));
            }
        };
    }
    Ok(item)
}

fn slice(item: &EVal, indexes: &[EVal]) -> Result<EVal, String> {
    let item = item.indirect_interface();
    let v = match &item {
        EVal::Invalid => return Err("slice of untyped nil".into()),
        EVal::Iface(v) | EVal::Val(v) => v.clone(),
    };
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &v {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => {
            return Err(format!(
                "can't slice item of type {}",
                gofmt::type_name(other)
            ));
        }
    };
    let mut idx = [0usize, len, len];
    for (i, x) in indexes.iter().enumerate() {
        idx[i] = index_arg(x, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(EVal::Val(match v {
        Value::String(s) => {
            let b = &s.as_bytes()[i..j];
            Value::from(String::from_utf8_lossy(b).into_owned())
        }
        Value::List(l) => Value::List(Arc::new(l[i..j].to_vec())),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[i..j])),
        _ => Value::Nil,
    }))
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: &EVal) -> Kind {
    match v.inner() {
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Int(_)) => Kind::Int,
        Some(Value::Float(_)) => Kind::Float,
        Some(Value::String(_)) => Kind::String,
        _ => Kind::Invalid,
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";

fn eq(arg1: &EVal, rest: &[EVal]) -> Result<bool, String> {
    let arg1 = arg1.indirect_interface();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&arg1);
    for arg in rest {
        let arg = arg.indirect_interface();
        let k2 = basic_kind(&arg);
        let truth = if k1 != k2 {
            let valid1 = !matches!(arg1, EVal::Invalid);
            let valid2 = !matches!(arg, EVal::Invalid);
            if valid1 && valid2 {
                return Err(BAD_COMPARISON.into());
            }
            false
        } else {
            let a = arg1.to_value();
            let b = arg.to_value();
            match (&a, &b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                _ => compare_non_basic(&a, &b)?,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn kind_id(v: &Value) -> u8 {
    match v {
        Value::Nil => 0,
        Value::Bytes(_) | Value::List(_) => 1,
        Value::Map(_) => 2,
        Value::Object(_) => 3,
        _ => 4,
    }
}

fn compare_non_basic(a: &Value, b: &Value) -> Result<bool, String> {
    if a.is_nil() || b.is_nil() {
        return Ok(a.is_nil() == b.is_nil());
    }
    if kind_id(a) != kind_id(b) {
        return Err(format!(
            "non-comparable types {}: {}, {}: {}",
            gofmt::sprintf("%s", std::slice::from_ref(a)),
            gofmt::type_name(a),
            gofmt::type_name(b),
            gofmt::format_value(b)
        ));
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => Ok(Arc::ptr_eq(x, y)),
        _ => Err(format!(
            "non-comparable type {}: {}",
            gofmt::sprintf("%s", std::slice::from_ref(b)),
            gofmt::type_name(b)
        )),
    }
}

fn lt(arg1: &EVal, arg2: &EVal) -> Result<bool, String> {
    let a = arg1.indirect_interface();
    let k1 = basic_kind(&a);
    if k1 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    let b = arg2.indirect_interface();
    let k2 = basic_kind(&b);
    if k2 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.into());
    }
    match (a.to_value(), b.to_value()) {
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x.as_bytes() < y.as_bytes()),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}

fn le(arg1: &EVal, arg2: &EVal) -> Result<bool, String> {
    let l = lt(arg1, arg2)?;
    if l {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

/// Go's `evalArgs`: a lone string is used as-is; otherwise `fmt.Sprint`
/// with nil arguments printed as `<no value>`.
fn eval_args(a: &[EVal]) -> String {
    if a.len() == 1
        && let Some(Value::String(s)) = a[0].inner()
    {
        return s.to_string();
    }
    let vals: Vec<Value> = a
        .iter()
        .map(|v| match v.inner() {
            None => Value::str("<no value>"),
            Some(x) => x.clone(),
        })
        .collect();
    gofmt::sprint(&vals)
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c => {
                if gofmt::is_print(c) {
                    out.push(c);
                } else {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                }
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

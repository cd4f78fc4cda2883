//! Defaults and flow control (sprig defaults.go; helm's `required` and
//! `fail`, which wrap their message in HELM_ERR_START/END so the renderer
//! can cut helm's "execution error at (...)" message out of it).

use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, arity_min, boolean, empty, string};

type R = Result<Value, FuncError>;

/// helm's warnWrap delimiters.
pub const WARN_START: &str = "HELM_ERR_START";
/// See [`WARN_START`].
pub const WARN_END: &str = "HELM_ERR_END";

/// `{{ default "x" .Values.y }}`: the default when the value is empty.
pub fn default(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("default", a, 1)?;
    match a.get(1) {
        Some(v) if !empty(v) => Ok(v.clone()),
        _ => Ok(a[0].clone()),
    }
}

/// `{{ empty "" }}` → `true`.
pub fn empty_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("empty", a, 1)?;
    Ok(Value::Bool(empty(&a[0])))
}

/// `{{ coalesce "" 0 "x" }}` → `x`; nil when all are empty.
pub fn coalesce(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
}

/// `{{ all 1 "a" true }}` → `true`.
pub fn all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(Value::Bool(a.iter().all(|v| !empty(v))))
}

/// `{{ any 0 "" "a" }}` → `true`.
pub fn any(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(Value::Bool(a.iter().any(|v| !empty(v))))
}

/// `{{ ternary "yes" "no" true }}` → `yes`.
pub fn ternary(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("ternary", a, 3)?;
    Ok(if boolean(&a[2])? {
        a[0].clone()
    } else {
        a[1].clone()
    })
}

/// `{{ fail "boom" }}`: always an error (helm's version, wrapped).
pub fn fail(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fail", a, 1)?;
    Err(FuncError::Failed(format!(
        "{WARN_START}{}{WARN_END}",
        string(&a[0])?
    )))
}

/// `{{ required "x is required" .Values.x }}`: errors on nil or "".
pub fn required(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("required", a, 2)?;
    let msg = string(&a[0])?;
    match &a[1] {
        Value::Nil => Err(FuncError::Failed(format!("{WARN_START}{msg}{WARN_END}"))),
        Value::String(s) if s.is_empty() => {
            Err(FuncError::Failed(format!("{WARN_START}{msg}{WARN_END}")))
        }
        v => Ok(v.clone()),
    }
}

//! List functions (sprig list.go). Sprig's must* forms return the error;
//! the plain forms panic, which text/template reports as the same error.

use std::sync::Arc;

use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, arity_min, empty, fail, go_kind, int, list, to_i64};
use crate::reflect::deep_equal;

type R = Result<Value, FuncError>;

/// Go's `reflect.TypeOf(nil).Kind()` panics; other kinds name themselves.
fn kind_err(what: &str, v: &Value) -> FuncError {
    if v.is_nil() {
        return fail("runtime error: invalid memory address or nil pointer dereference");
    }
    fail(format!("{what} {}", go_kind(v)))
}

fn the_list(what: &str, v: &Value) -> Result<Arc<Vec<Value>>, FuncError> {
    list(v).ok_or_else(|| kind_err(what, v))
}

/// `{{ list 1 "a" }}` → `[1 a]` (also `tuple`).
pub fn list_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(Value::list(a.to_vec()))
}

/// `{{ append (list 1) 2 }}` → `[1 2]` (also `push`, `mustAppend`, `mustPush`).
pub fn push(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("append", a, 2)?;
    let mut l = the_list("Cannot push on type", &a[0])?.as_ref().clone();
    l.push(a[1].clone());
    Ok(Value::list(l))
}

/// `{{ prepend (list 2) 1 }}` → `[1 2]`.
pub fn prepend(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("prepend", a, 2)?;
    let l = the_list("Cannot prepend on type", &a[0])?;
    let mut out = vec![a[1].clone()];
    out.extend(l.iter().cloned());
    Ok(Value::list(out))
}

/// `{{ first (list 1 2) }}` → `1`; nil for an empty list.
pub fn first(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("first", a, 1)?;
    Ok(the_list("Cannot find first on type", &a[0])?
        .first()
        .cloned()
        .unwrap_or(Value::Nil))
}

/// `{{ last (list 1 2) }}` → `2`.
pub fn last(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("last", a, 1)?;
    Ok(the_list("Cannot find last on type", &a[0])?
        .last()
        .cloned()
        .unwrap_or(Value::Nil))
}

/// `{{ rest (list 1 2 3) }}` → `[2 3]`.
pub fn rest(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("rest", a, 1)?;
    let l = the_list("Cannot find rest on type", &a[0])?;
    Ok(Value::list(l.iter().skip(1).cloned().collect()))
}

/// `{{ initial (list 1 2 3) }}` → `[1 2]`.
pub fn initial(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("initial", a, 1)?;
    let l = the_list("Cannot find initial on type", &a[0])?;
    let n = l.len().saturating_sub(1);
    Ok(Value::list(l[..n].to_vec()))
}

/// `{{ reverse (list 1 2) }}` → `[2 1]`.
pub fn reverse(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("reverse", a, 1)?;
    let l = the_list("Cannot find reverse on type", &a[0])?;
    Ok(Value::list(l.iter().rev().cloned().collect()))
}

/// `{{ compact (list 1 "" 0 nil "a") }}` → `[1 a]`.
pub fn compact(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("compact", a, 1)?;
    let l = the_list("Cannot compact on type", &a[0])?;
    Ok(Value::list(
        l.iter().filter(|v| !empty(v)).cloned().collect(),
    ))
}

/// `{{ uniq (list 1 1 2) }}` → `[1 2]` (deep equality).
pub fn uniq(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("uniq", a, 1)?;
    let l = the_list("Cannot find uniq on type", &a[0])?;
    let mut out: Vec<Value> = Vec::new();
    for v in l.iter() {
        if !out.iter().any(|o| deep_equal(o, v)) {
            out.push(v.clone());
        }
    }
    Ok(Value::list(out))
}

/// `{{ without (list 1 2 3) 2 }}` → `[1 3]`.
pub fn without(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("without", a, 1)?;
    let l = the_list("Cannot find without on type", &a[0])?;
    let omit = &a[1..];
    Ok(Value::list(
        l.iter()
            .filter(|v| !omit.iter().any(|o| deep_equal(o, v)))
            .cloned()
            .collect(),
    ))
}

/// `{{ has 2 (list 1 2) }}` → `true`; a nil haystack is false.
pub fn has(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("has", a, 2)?;
    if a[1].is_nil() {
        return Ok(Value::Bool(false));
    }
    let l = the_list("Cannot find has on type", &a[1])?;
    Ok(Value::Bool(l.iter().any(|v| deep_equal(&a[0], v))))
}

/// `{{ slice (list 1 2 3) 1 }}` → `[2 3]`; `slice L 0 2` → `[1 2]`.
pub fn slice(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("slice", a, 1)?;
    let l = the_list("list should be type of slice or array but", &a[0])?;
    if l.is_empty() {
        return Ok(Value::Nil);
    }
    let start = if a.len() > 1 { to_i64(&a[1]) } else { 0 };
    let end = if a.len() > 2 {
        to_i64(&a[2])
    } else {
        l.len() as i64
    };
    if start < 0 || end < start || end > l.len() as i64 {
        return Err(fail("reflect: slice index out of range"));
    }
    Ok(Value::list(l[start as usize..end as usize].to_vec()))
}

/// `{{ concat (list 1) (list 2 3) }}` → `[1 2 3]`.
pub fn concat(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    let mut out = Vec::new();
    for v in a {
        match list(v) {
            Some(l) => out.extend(l.iter().cloned()),
            None if v.is_nil() => {
                return Err(fail(
                    "runtime error: invalid memory address or nil pointer dereference",
                ));
            }
            None => return Err(fail(format!("Cannot concat type {} as list", go_kind(v)))),
        }
    }
    if a.is_empty() {
        return Ok(Value::Nil);
    }
    Ok(Value::list(out))
}

/// `{{ chunk 2 (list 1 2 3) }}` → `[[1 2] [3]]`.
pub fn chunk(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("chunk", a, 2)?;
    let size = int(&a[0])?;
    let l = the_list("Cannot chunk type", &a[1])?;
    if size <= 0 {
        return Err(fail("runtime error: makeslice: len out of range"));
    }
    if l.is_empty() {
        return Ok(Value::list(vec![]));
    }
    Ok(Value::list(
        l.chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
    ))
}

fn until_step(start: i64, stop: i64, step: i64) -> Vec<Value> {
    let mut v = Vec::new();
    if stop < start {
        if step >= 0 {
            return v;
        }
        let mut i = start;
        while i > stop {
            v.push(Value::Int(i));
            i += step;
        }
        return v;
    }
    if step <= 0 {
        return v;
    }
    let mut i = start;
    while i < stop {
        v.push(Value::Int(i));
        i += step;
    }
    v
}

/// `{{ until 3 }}` → `[0 1 2]`.
pub fn until(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("until", a, 1)?;
    let n = int(&a[0])?;
    Ok(Value::list(until_step(0, n, if n < 0 { -1 } else { 1 })))
}

/// `{{ untilStep 0 10 3 }}` → `[0 3 6 9]`.
pub fn until_step_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("untilStep", a, 3)?;
    Ok(Value::list(until_step(
        int(&a[0])?,
        int(&a[1])?,
        int(&a[2])?,
    )))
}

/// `{{ seq 3 }}` → `1 2 3`; `seq 2 5`, `seq 0 2 6` (start step end).
pub fn seq(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    let p: Vec<i64> = a.iter().map(int).collect::<Result<_, _>>()?;
    let join = |v: Vec<Value>| {
        Value::from(
            v.iter()
                .map(|x| match x {
                    Value::Int(i) => i.to_string(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    Ok(match p.len() {
        1 => {
            let (start, end) = (1, p[0]);
            let inc = if end < start { -1 } else { 1 };
            join(until_step(start, end + inc, inc))
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let step = if end < start { -1 } else { 1 };
            join(until_step(start, end + step, step))
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(Value::from(""));
                }
            }
            join(until_step(start, end + inc, step))
        }
        _ => Value::from(""),
    })
}

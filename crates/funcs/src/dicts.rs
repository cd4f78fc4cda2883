//! Dictionary functions (sprig dict.go, mergo for merge/mergeOverwrite).
//! Maps are shared by reference like Go maps: `set` and `merge` mutate the
//! map every holder sees.

use std::collections::BTreeMap;

use tusk_template::{CallContext, FuncError, Map, Value};

use crate::Env;
use crate::args::{arity, arity_min, empty, fail, go_type, map, s, string, strings, sval};

type R = Result<Value, FuncError>;

/// `{{ dict "a" 1 "b" 2 }}`; a missing last value is "".
pub fn dict(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    let m = Map::new();
    for pair in a.chunks(2) {
        let v = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
        m.insert(sval(&pair[0]), v);
    }
    Ok(Value::Map(m))
}

/// `{{ get $d "a" }}`; "" when missing.
pub fn get(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("get", a, 2)?;
    Ok(map(&a[0])?
        .get(string(&a[1])?)
        .unwrap_or_else(|| Value::from("")))
}

/// `{{ $_ := set $d "a" 1 }}` mutates and returns the map.
pub fn set(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("set", a, 3)?;
    if a[0].is_nil() {
        return Err(fail("assignment to entry in nil map"));
    }
    let m = map(&a[0])?;
    m.insert(string(&a[1])?, a[2].clone());
    Ok(Value::Map(m))
}

/// `{{ $_ := unset $d "a" }}` removes a key.
pub fn unset(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("unset", a, 2)?;
    let m = map(&a[0])?;
    m.remove(string(&a[1])?);
    Ok(Value::Map(m))
}

/// `{{ hasKey $d "a" }}`.
pub fn has_key(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("hasKey", a, 2)?;
    Ok(Value::Bool(map(&a[0])?.contains_key(string(&a[1])?)))
}

/// `{{ pluck "a" $d1 $d2 }}` → the values of "a" in each map having it.
pub fn pluck(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("pluck", a, 1)?;
    let k = string(&a[0])?;
    let mut out = Vec::new();
    for d in &a[1..] {
        if let Some(v) = map(d)?.get(k) {
            out.push(v);
        }
    }
    Ok(Value::list(out))
}

/// `{{ keys $d }}` → the keys (Go's order is random; ours is sorted).
pub fn keys(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    let mut out = Vec::new();
    for d in a {
        out.extend(map(d)?.keys());
    }
    Ok(strings(out))
}

/// `{{ pick $d "a" "b" }}` → a new map with only those keys.
pub fn pick(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("pick", a, 1)?;
    let src = map(&a[0])?;
    let out = Map::new();
    for k in &a[1..] {
        let k = string(k)?;
        if let Some(v) = src.get(k) {
            out.insert(k, v);
        }
    }
    Ok(Value::Map(out))
}

/// `{{ omit $d "a" }}` → a new map without those keys.
pub fn omit(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("omit", a, 1)?;
    let src = map(&a[0])?;
    let drop: Vec<&str> = a[1..].iter().map(string).collect::<Result<_, _>>()?;
    let out: BTreeMap<String, Value> = src
        .entries()
        .into_iter()
        .filter(|(k, _)| !drop.contains(&k.as_str()))
        .collect();
    Ok(Value::Map(Map::from_btree(out)))
}

/// `{{ values $d }}` → the values (in key order; Go's is random).
pub fn values(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("values", a, 1)?;
    Ok(Value::list(
        map(&a[0])?.entries().into_iter().map(|(_, v)| v).collect(),
    ))
}

/// mergo's `deepMerge` for `map[string]interface{}` (see the module doc
/// of the Go original): fills missing or empty destination values,
/// recursing into maps present on both sides; with `overwrite`, source
/// values replace destination ones (nil included), maps still merge.
pub(crate) fn merge_into(dst: &Map, src: &Map, overwrite: bool) {
    if dst.ptr_eq(src) {
        return;
    }
    for (k, sv) in src.entries() {
        if sv.is_nil() {
            if overwrite {
                dst.insert(k, Value::Nil);
            }
            continue;
        }
        let dv = dst.get(&k);
        if let (Value::Map(sm), Some(Value::Map(dm))) = (&sv, &dv) {
            merge_into(dm, sm, overwrite);
        }
        if let Some(dv) = &dv
            && !empty(dv)
        {
            if matches!(sv, Value::List(_)) {
                if overwrite {
                    dst.insert(k, sv.clone());
                }
                continue;
            }
            if matches!(sv, Value::Map(_)) && matches!(dv, Value::Map(_)) {
                continue;
            }
        }
        if overwrite || dv.as_ref().is_none_or(empty) {
            dst.insert(k, sv);
        }
    }
}

fn merge_all(a: &[Value], overwrite: bool) -> R {
    arity_min(if overwrite { "mergeOverwrite" } else { "merge" }, a, 1)?;
    let dst = map(&a[0])?;
    for s in &a[1..] {
        merge_into(&dst, &map(s)?, overwrite);
    }
    Ok(Value::Map(dst))
}

/// `{{ merge $dst $src1 $src2 }}`: fills what `$dst` lacks (mutates `$dst`).
pub fn merge(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    merge_all(a, false)
}

/// `{{ mergeOverwrite $dst $src }}`: `$src` values win.
pub fn merge_overwrite(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    merge_all(a, true)
}

/// A deep copy with fresh maps and lists.
pub(crate) fn deep_copy_value(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(Map::from_btree(
            m.entries()
                .into_iter()
                .map(|(k, v)| (k, deep_copy_value(&v)))
                .collect(),
        )),
        Value::List(l) => Value::list(l.iter().map(deep_copy_value).collect()),
        other => other.clone(),
    }
}

/// `{{ deepCopy $d }}` (also `mustDeepCopy`).
pub fn deep_copy(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("deepCopy", a, 1)?;
    Ok(deep_copy_value(&a[0]))
}

/// `{{ dig "a" "b" "default" $d }}` walks nested maps.
pub fn dig(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    if a.len() < 3 {
        return Err(fail("dig needs at least three arguments"));
    }
    let assert_map = |v: &Value| match v {
        Value::Map(m) => Ok(m.clone()),
        other => Err(fail(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            if other.is_nil() {
                "nil".to_string()
            } else {
                go_type(other)
            }
        ))),
    };
    let mut d = assert_map(&a[a.len() - 1])?;
    let def = a[a.len() - 2].clone();
    let ks: Vec<&str> = a[..a.len() - 2]
        .iter()
        .map(|k| match k {
            Value::String(s) => Ok(s.as_ref()),
            other => Err(fail(format!(
                "interface conversion: interface {{}} is {}, not string",
                if other.is_nil() {
                    "nil".to_string()
                } else {
                    go_type(other)
                }
            ))),
        })
        .collect::<Result<_, _>>()?;
    for (i, k) in ks.iter().enumerate() {
        let Some(step) = d.get(k) else { return Ok(def) };
        if i == ks.len() - 1 {
            return Ok(step);
        }
        d = assert_map(&step)?;
    }
    Ok(def)
}

#[allow(dead_code)]
fn _touch() -> Value {
    s("")
}

//! Values coalescing, mirroring helm's `chartutil/coalesce.go`: user values
//! over chart defaults, recursively for tables; a user `null` deletes the
//! default (except when merging); `global` copied down into subcharts;
//! subchart values under the subchart's name.

use tusk_template::{Map, Value};

use crate::log::{go_v, log};
use crate::values::{deep_copy, deep_copy_map, is_table};
use crate::{Chart, ChartError, Result};

const GLOBAL_KEY: &str = "global";

/// helm's `CoalesceValues`: `vals` (copied) over the chart's defaults and
/// those of every subchart. A user `null` removes a default.
pub fn coalesce_values(chart: &Chart, vals: &Map) -> Result<Map> {
    let dest = deep_copy_map(vals);
    coalesce(chart, &dest, "", false)?;
    Ok(dest)
}

/// helm's `MergeValues`: like [`coalesce_values`] but `null`s are kept.
pub fn merge_values(chart: &Chart, vals: &Map) -> Result<Map> {
    let dest = deep_copy_map(vals);
    coalesce(chart, &dest, "", true)?;
    Ok(dest)
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce(chart: &Chart, dest: &Map, prefix: &str, merge: bool) -> Result<()> {
    coalesce_chart_values(chart, dest, prefix, merge);
    coalesce_deps(chart, dest, prefix, merge)
}

fn coalesce_deps(chart: &Chart, dest: &Map, prefix: &str, merge: bool) -> Result<()> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let dv = match dest.get(name) {
            None => {
                let m = Map::new();
                dest.insert(name, Value::Map(m.clone()));
                m
            }
            Some(Value::Map(m)) => m,
            Some(other) => {
                return Err(ChartError::Values(format!(
                    "type mismatch on {name}: {}",
                    go_t(&other)
                )));
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&dv, dest, &sub_prefix);
        coalesce(sub, &dv, &sub_prefix, merge)?;
    }
    Ok(())
}

/// Go's `%t` verb applied to a value (what helm's type-mismatch error
/// prints): booleans as such, anything else as `%!t(TYPE=VALUE)`, slices
/// and maps element by element.
fn go_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Nil => "%!t(<nil>)".into(),
        Value::Int(i) => format!("%!t(int64={i})"),
        Value::Float(f) => format!("%!t(float64={})", crate::log::go_float(*f)),
        Value::String(s) => format!("%!t(string={s})"),
        Value::List(l) => format!("[{}]", l.iter().map(go_t).collect::<Vec<_>>().join(" ")),
        Value::Map(m) => format!(
            "map[{}]",
            m.entries()
                .iter()
                .map(|(k, v)| format!("%!t(string={k}):{}", go_t(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => format!("%!t({})", crate::log::go_v(other)),
    }
}

/// Copies the parent's `global` table into the child's: parent values win,
/// tables merge.
fn coalesce_globals(dest: &Map, src: &Map, prefix: &str) {
    let dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m)) => m,
        Some(_) => {
            log(
                "coalesce.go:138",
                "warning: skipping globals because destination global is not a table.",
            );
            return;
        }
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m)) => m,
        Some(_) => {
            log(
                "coalesce.go:145",
                "warning: skipping globals because source global is not a table.",
            );
            return;
        }
    };
    for (key, val) in sg.entries() {
        if let Value::Map(vm) = &val {
            // A shallow copy, as helm's copyMap: nested tables stay shared.
            let vv = Map::new();
            for (k, v) in vm.entries() {
                vv.insert(k, v);
            }
            match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Map(vv));
                }
                Some(Value::Map(destv)) => {
                    coalesce_tables_full(&vv, &destv, &concat_prefix(prefix, &key), true);
                    dg.insert(key, Value::Map(vv));
                }
                Some(_) => log(
                    "coalesce.go:161",
                    format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        crate::strvals::go_quote(&key)
                    ),
                ),
            }
        } else if let Some(dv) = dg.get(&key)
            && is_table(&dv)
        {
            log("coalesce.go:175", format!("key {key} is table. Skipping"));
        } else {
            dg.insert(key, val);
        }
    }
    dest.insert(GLOBAL_KEY, Value::Map(dg));
}

/// Puts the chart's default values under `v` where the user gave none.
fn coalesce_chart_values(chart: &Chart, v: &Map, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    // Defaults are copied where they go into `v`, not those overridden.
    for (key, val) in chart.values.entries() {
        match v.get(&key) {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.remove(&key);
                } else if let Value::Map(dest) = &value {
                    if let Value::Map(src) = &val {
                        // Subchart tables always merge (keep nulls) so that
                        // the subchart's own pass sees them.
                        let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                        let src = deep_copy_map(src);
                        coalesce_tables_full(dest, &src, &concat_prefix(&sub_prefix, &key), merge);
                    } else if !val.is_nil() {
                        log(
                            "coalesce.go:237",
                            format!("warning: skipped value for {sub_prefix}.{key}: Not a table."),
                        );
                    }
                }
            }
            None => {
                v.insert(key, deep_copy(&val));
            }
        }
    }
}

/// helm's `CoalesceTables`: `src` fills in what `dst` lacks; `null` in `dst`
/// deletes the key.
pub fn coalesce_tables(dst: &Map, src: &Map) -> Map {
    coalesce_tables_full(dst, src, "", false);
    dst.clone()
}

/// helm's `MergeTables`: like [`coalesce_tables`] but `null`s are kept.
pub fn merge_tables(dst: &Map, src: &Map) -> Map {
    coalesce_tables_full(dst, src, "", true);
    dst.clone()
}

fn coalesce_tables_full(dst: &Map, src: &Map, prefix: &str, merge: bool) {
    // helm 4 deletes a key the user nulled only when the default it nulls is
    // not null itself, and marks the user's nulls in `src` so they survive.
    let src_non_nil: Option<std::collections::HashSet<String>> =
        crate::compat::current().is_v4().then(|| {
            let keys = src
                .entries()
                .into_iter()
                .filter(|(_, v)| !v.is_nil())
                .map(|(k, _)| k)
                .collect();
            for (k, v) in dst.entries() {
                if v.is_nil() {
                    src.insert(k, Value::Nil);
                }
            }
            keys
        });
    for (key, val) in src.entries() {
        let full_key = concat_prefix(prefix, &key);
        match dst.get(&key) {
            Some(Value::Nil)
                if !merge && src_non_nil.as_ref().is_none_or(|keys| keys.contains(&key)) =>
            {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => {
                if let Value::Map(sv) = &val {
                    if let Value::Map(dm) = &dv {
                        coalesce_tables_full(dm, sv, &full_key, merge);
                    } else {
                        log(
                            "coalesce.go:298",
                            format!(
                                "warning: cannot overwrite table with non table for {full_key} ({})",
                                go_v(&val)
                            ),
                        );
                    }
                } else if is_table(&dv) && !val.is_nil() {
                    log(
                        "coalesce.go:301",
                        format!(
                            "warning: destination for {full_key} is a table. Ignoring non-table value ({})",
                            go_v(&val)
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::parse_values;

    fn chart(name: &str, values: &str, deps: Vec<Chart>) -> Chart {
        let mut c = Chart::new_for_test(name);
        c.values = parse_values(values.as_bytes()).unwrap();
        c.dependencies = deps;
        c
    }

    #[test]
    fn user_over_defaults_and_null_deletes() {
        let c = chart("p", "a: 1\nb: {x: 1, w: 2}\nc: 3\n", vec![]);
        let user = parse_values(b"b: {w: 5}\nc: null\n").unwrap();
        let out = coalesce_values(&c, &user).unwrap();
        assert!(matches!(out.get("a"), Some(Value::Float(f)) if f == 1.0));
        let b = out.get("b").unwrap();
        let b = b.as_map().unwrap();
        assert!(matches!(b.get("w"), Some(Value::Float(f)) if f == 5.0));
        assert!(matches!(b.get("x"), Some(Value::Float(f)) if f == 1.0));
        assert!(!out.contains_key("c"));
        // the user's map is not mutated
        assert!(user.contains_key("c"));
    }

    #[test]
    fn globals_copied_down_parent_wins() {
        let sub = chart("s", "global: {a: sub, b: sub}\nk: 1\n", vec![]);
        let c = chart("p", "global: {a: parent}\n", vec![sub]);
        let out = coalesce_values(&c, &Map::new()).unwrap();
        let s = out.get("s").unwrap();
        let g = s.as_map().unwrap().get("global").unwrap();
        let g = g.as_map().unwrap();
        assert_eq!(g.get("a").unwrap().as_str(), Some("parent"));
        assert_eq!(g.get("b").unwrap().as_str(), Some("sub"));
    }

    #[test]
    fn subchart_type_mismatch() {
        let sub = chart("s", "k: 1\n", vec![]);
        let c = chart("p", "s: 3\n", vec![sub]);
        let err = coalesce_values(&c, &Map::new()).unwrap_err();
        assert!(err.to_string().starts_with("type mismatch on s"));
    }
}

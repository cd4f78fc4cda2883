//! Dependency processing, mirroring helm's `chartutil/dependencies.go` and
//! `action.CheckDependencies`: matching `Chart.yaml` dependencies to the
//! subcharts present (name and version range), `alias`, enabling by `tags`
//! and `condition`, and `import-values` (the `exports.` string form and the
//! `{child, parent}` form).

use tusk_template::{Map, Value};

use crate::coalesce::{coalesce_values, merge_tables, merge_values};
use crate::semver::is_compatible_range;
use crate::values::{deep_copy_map, path_value, table};
use crate::{Chart, ChartError, Result};

/// helm's `CheckDependencies`: every dependency named in `Chart.yaml` must be
/// present in `charts/`. The error is helm's full message for `template`.
pub fn check_dependencies(chart: &Chart) -> Result<()> {
    let Some(reqs) = &chart.metadata.dependencies else {
        return Ok(());
    };
    let missing: Vec<&str> = reqs
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ChartError::Dependency(format!(
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

/// helm's `ProcessDependenciesWithMerge`: resolves aliases, drops disabled
/// subcharts (recursively) and applies `import-values` into each chart's
/// values.
pub fn process_dependencies(chart: &mut Chart, user: &Map) -> Result<()> {
    process_enabled(chart, user, "")?;
    process_import_values_rec(chart)
}

/// helm's `getAliasDependency`: the first subchart matching `dep`'s name
/// and version range.
fn find_alias_dependency(charts: &[Chart], dep: &crate::Dependency) -> Option<usize> {
    charts.iter().position(|c| {
        c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version)
    })
}

fn process_enabled(c: &mut Chart, v: &Map, path: &str) -> Result<()> {
    let Some(reqs) = c.metadata.dependencies.as_mut() else {
        return Ok(());
    };
    // Subcharts move into their new places; only one that several
    // dependencies alias is copied (all but its last use).
    let picks: Vec<Option<usize>> = reqs
        .iter()
        .map(|r| find_alias_dependency(&c.dependencies, r))
        .collect();
    let mut uses = vec![0usize; c.dependencies.len()];
    for &i in picks.iter().flatten() {
        uses[i] += 1;
    }
    let mut old: Vec<Option<Chart>> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .map(Some)
        .collect();
    let mut chart_deps: Vec<Chart> = Vec::new();
    for slot in old.iter_mut() {
        // Kept as is when no dependency names it (one that does but is
        // never picked, a second match of the same name, is dropped).
        let declared = slot.as_ref().is_some_and(|e| {
            reqs.iter()
                .any(|r| e.name() == r.name && is_compatible_range(&r.version, &e.metadata.version))
        });
        if !declared {
            chart_deps.extend(slot.take());
        }
    }
    for (req, pick) in reqs.iter_mut().zip(picks) {
        if let Some(i) = pick {
            uses[i] -= 1;
            let d = if uses[i] == 0 {
                old[i].take()
            } else {
                old[i].clone()
            };
            if let Some(mut d) = d {
                if !req.alias.is_empty() {
                    d.metadata.name = req.alias.clone();
                }
                chart_deps.push(d);
            }
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for r in reqs.iter_mut() {
        r.enabled = true;
    }
    let cvals = coalesce_values(c, v)?;
    let Some(reqs) = c.metadata.dependencies.as_mut() else {
        return Ok(());
    };
    process_tags(reqs, &cvals);
    process_conditions(reqs, &cvals, path);
    let removed: Vec<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    reqs.retain(|r| !removed.contains(&r.name));
    c.dependencies
        .retain(|d| !removed.iter().any(|n| n == d.name()));
    for t in c.dependencies.iter_mut() {
        let sub = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub)?;
    }
    Ok(())
}

fn process_tags(reqs: &mut [crate::Dependency], cvals: &Map) {
    let Some(Value::Map(vt)) = cvals.get("tags") else {
        return;
    };
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match vt.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => crate::log::log(
                    "dependencies.go:94",
                    format!(
                        "Warning: Tag '{k}' for chart {} returned non-bool value",
                        r.name
                    ),
                ),
                None => {}
            }
        }
        // Disabled only when some tag is false and none is true.
        r.enabled = has_true || !has_false;
    }
}

fn process_conditions(reqs: &mut [crate::Dependency], cvals: &Map, path: &str) {
    for r in reqs.iter_mut() {
        let cond = r.condition.trim().to_string();
        for c in cond.split(',') {
            if c.is_empty() {
                continue;
            }
            match path_value(cvals, &format!("{path}{c}")) {
                Some(Value::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Some(_) => crate::log::log(
                    "dependencies.go:63",
                    format!(
                        "Warning: Condition path '{c}' for chart {} returned non-bool value",
                        r.name
                    ),
                ),
                None => {}
            }
        }
    }
}

/// helm's `ErrNoTable` text for the first step of `path` that is not a
/// table.
fn no_table(v: &Map, path: &str) -> String {
    let mut cur = v.clone();
    for part in path.split('.') {
        match cur.get(part) {
            Some(Value::Map(m)) => cur = m,
            _ => return format!("{} is not a table", crate::strvals::go_quote(part)),
        }
    }
    String::new()
}

fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for p in path.split('.').rev() {
        let m = Map::new();
        m.insert(p, Value::Map(cur));
        cur = m;
    }
    cur
}

fn process_import_values_rec(c: &mut Chart) -> Result<()> {
    for d in c.dependencies.iter_mut() {
        process_import_values_rec(d)?;
    }
    process_import_values(c)
}

fn process_import_values(c: &mut Chart) -> Result<()> {
    if c.metadata.dependencies.is_none() {
        return Ok(());
    }
    let cvals = merge_values(c, &Map::new())?;
    let mut b = Map::new();
    let Some(reqs) = c.metadata.dependencies.as_mut() else {
        return Ok(());
    };
    for r in reqs.iter_mut() {
        let mut out = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(iv) => {
                    let child = iv.get("child").and_then(|v| v.as_str().map(str::to_string));
                    let parent = iv
                        .get("parent")
                        .and_then(|v| v.as_str().map(str::to_string));
                    let (Some(child), Some(parent)) = (child, parent) else {
                        return Err(ChartError::Dependency(format!(
                            "import-values of dependency {} needs string child and parent",
                            r.name
                        )));
                    };
                    let o = Map::new();
                    o.insert("child", Value::from(child.as_str()));
                    o.insert("parent", Value::from(parent.as_str()));
                    out.push(Value::Map(o));
                    let path = format!("{}.{child}", r.name);
                    let Some(vv) = table(&cvals, &path) else {
                        crate::log::log(
                            "dependencies.go:269",
                            format!(
                                "Warning: ImportValues missing table from chart {}: {}",
                                r.name,
                                no_table(&cvals, &path)
                            ),
                        );
                        continue;
                    };
                    b = merge_tables(&b, &path_to_map(&parent, vv));
                }
                Value::String(iv) => {
                    let child = format!("exports.{iv}");
                    let o = Map::new();
                    o.insert("child", Value::from(child.as_str()));
                    o.insert("parent", Value::from("."));
                    out.push(Value::Map(o));
                    let path = format!("{}.{child}", r.name);
                    let Some(vm) = table(&cvals, &path) else {
                        crate::log::log(
                            "dependencies.go:286",
                            format!(
                                "Warning: ImportValues missing table: {}",
                                no_table(&cvals, &path)
                            ),
                        );
                        continue;
                    };
                    b = merge_tables(&b, &vm);
                }
                _ => {}
            }
        }
        r.import_values = out;
    }
    // The copy keeps the tables imported into `b`, which are still part of
    // `cvals`, from being shared by two paths; nothing imported, no copy.
    c.values = if b.is_empty() {
        cvals
    } else {
        merge_tables(&deep_copy_map(&cvals), &b)
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{File, load_files};

    fn f(name: &str, data: &str) -> File {
        File::new(name, data.as_bytes())
    }

    fn parent(deps: &str, values: &str) -> Chart {
        load_files(vec![
            f(
                "Chart.yaml",
                &format!("apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n{deps}"),
            ),
            f("values.yaml", values),
            f(
                "charts/s/Chart.yaml",
                "apiVersion: v2\nname: s\nversion: 1.2.0\n",
            ),
            f(
                "charts/s/values.yaml",
                "exports:\n  data:\n    x: 1\nk: v\n",
            ),
        ])
        .unwrap()
    }

    #[test]
    fn condition_disables() {
        let mut c = parent(
            "- name: s\n  version: ^1.0.0\n  condition: s.enabled\n",
            "s:\n  enabled: false\n",
        );
        check_dependencies(&c).unwrap();
        process_dependencies(&mut c, &Map::new()).unwrap();
        assert!(c.dependencies.is_empty());
    }

    #[test]
    fn tags_and_user_values() {
        let mut c = parent(
            "- name: s\n  tags: [a]\n  version: '*'\n",
            "tags:\n  a: false\n",
        );
        let user = crate::values::parse_values(b"tags: {a: true}\n").unwrap();
        process_dependencies(&mut c, &user).unwrap();
        assert_eq!(c.dependencies.len(), 1);
    }

    #[test]
    fn alias_and_import() {
        let mut c = parent(
            "- name: s\n  alias: t\n  version: 1.x\n  import-values: [data]\n",
            "",
        );
        process_dependencies(&mut c, &Map::new()).unwrap();
        assert_eq!(c.dependencies[0].name(), "t");
        assert!(matches!(c.values.get("x"), Some(Value::Float(f)) if f == 1.0));
    }

    #[test]
    fn one_subchart_aliased_twice() {
        let mut c = parent(
            "- name: s\n  alias: a\n  version: '*'\n- name: s\n  alias: b\n  version: '*'\n- name: s\n  version: '*'\n",
            "b:\n  k: w\n",
        );
        process_dependencies(&mut c, &Map::new()).unwrap();
        let names: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
        assert_eq!(names, ["a", "b", "s"]);
        let vals = coalesce_values(&c, &Map::new()).unwrap();
        let k = |n: &str| match vals.get(n) {
            Some(Value::Map(m)) => m.get("k").and_then(|v| v.as_str().map(str::to_string)),
            _ => None,
        };
        assert_eq!(k("a").as_deref(), Some("v"));
        assert_eq!(k("b").as_deref(), Some("w"));
        assert_eq!(k("s").as_deref(), Some("v"));
    }

    #[test]
    fn missing_dependency() {
        let c = load_files(vec![f(
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- name: db\n  version: 1.0.0\n",
        )])
        .unwrap();
        let err = check_dependencies(&c).unwrap_err().to_string();
        assert!(err.ends_with("missing in charts/ directory: db"));
    }
}

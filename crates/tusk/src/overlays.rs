//! Overlays in the facade: finding them (built-in name or file), what they
//! are planned against (the chart's `Chart.yaml` and values), and applying
//! them to a [`Rendered`].

use std::path::Path;

use serde_json::Value;
use tusk_overlay::{Applied, ChartInfo, Doc, Env, Overlay, ParamInputs, Plan};

use crate::build::BuildError;
use crate::{Manifest, Rendered};

/// Loads an overlay: a built-in by name, else a file (relative to `base`).
pub fn load_overlay(name_or_path: &str, base: &Path) -> Result<Overlay, BuildError> {
    if let Some(text) = tusk_overlay::builtin(name_or_path) {
        return Ok(Overlay::parse(&format!("builtin:{name_or_path}"), text)?);
    }
    let looks_like_path = name_or_path.contains(['/', '\\'])
        || name_or_path.ends_with(".yaml")
        || name_or_path.ends_with(".yml");
    let path = base.join(name_or_path);
    if looks_like_path || path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| BuildError::UnknownOverlay {
            name: name_or_path.to_string(),
            detail: format!("cannot read {}: {e}", path.display()),
        })?;
        return Ok(Overlay::parse(&path.display().to_string(), &text)?);
    }
    Err(BuildError::UnknownOverlay {
        name: name_or_path.to_string(),
        detail: format!(
            "not a built-in overlay ({}) nor an overlay file",
            tusk_overlay::builtin_names().join(", ")
        ),
    })
}

/// The chart's name and versions from `Chart.yaml` (directories only; for
/// archives the name and version come from the file name when they can).
pub fn chart_info(chart: &Path) -> ChartInfo {
    let meta = std::fs::read_to_string(chart.join("Chart.yaml"))
        .ok()
        .and_then(|t| yaml_serde::from_str::<Value>(&t).ok());
    match meta {
        Some(m) => ChartInfo {
            name: m["name"].as_str().unwrap_or("").to_string(),
            version: m["version"].as_str().unwrap_or("").to_string(),
            app_version: m["appVersion"].as_str().map(str::to_string),
        },
        None => {
            // `mastodon-6.2.0.tgz`
            let stem = chart
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or("")
                .trim_end_matches(".tgz");
            let (name, version) = match stem.rfind('-') {
                Some(i) if stem[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
                    (&stem[..i], &stem[i + 1..])
                }
                _ => (stem, ""),
            };
            ChartInfo {
                name: name.into(),
                version: version.into(),
                app_version: None,
            }
        }
    }
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    _ if v.is_null() => {
                        b.shift_remove(k);
                    }
                    Some(bv) if bv.is_object() && v.is_object() => merge(bv, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The values overlays see: the chart's `values.yaml` with the values files
/// and inline values merged over it (maps recursively, `null` deletes).
///
/// An approximation of helm's coalescing for `when` and `value()`: no
/// subchart scoping, globals, or `--set`.
pub fn effective_values(
    chart: &Path,
    files: &[std::path::PathBuf],
    inline: Option<&Value>,
) -> Value {
    let mut v = std::fs::read_to_string(chart.join("values.yaml"))
        .ok()
        .and_then(|t| yaml_serde::from_str::<Value>(&t).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    for f in files {
        if let Some(over) = std::fs::read_to_string(f)
            .ok()
            .and_then(|t| yaml_serde::from_str::<Value>(&t).ok())
        {
            merge(&mut v, &over);
        }
    }
    if let Some(i) = inline {
        merge(&mut v, i);
    }
    v
}

/// Plans every overlay against `env`.
pub fn plan_all(overlays: &[(Overlay, ParamInputs)], env: &Env) -> Result<Vec<Plan>, BuildError> {
    overlays
        .iter()
        .map(|(o, p)| o.plan(p, env).map_err(BuildError::from))
        .collect()
}

/// Applies plans to rendered manifests. Expectation failures are in the
/// returned report, not errors (see [`tusk_overlay::Report::check`]).
pub fn apply_plans(rendered: &Rendered, plans: &[Plan]) -> Result<(Rendered, Applied), BuildError> {
    let docs = rendered
        .manifests
        .iter()
        .map(|m| Doc {
            source: m.source.clone(),
            content: m.content.clone(),
        })
        .collect();
    let applied = tusk_overlay::apply(docs, plans)?;
    let out = Rendered {
        manifests: applied
            .manifests
            .iter()
            .map(|d| Manifest {
                source: d.source.clone(),
                content: d.content.clone(),
            })
            .collect(),
        warnings: rendered.warnings.clone(),
    };
    Ok((out, applied))
}

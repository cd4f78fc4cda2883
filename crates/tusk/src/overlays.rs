//! Overlays in the facade: finding them (built-in name or file), what they
//! are planned against (the chart's `Chart.yaml` and values), and applying
//! them to a [`Rendered`].

use std::path::Path;

use serde_json::Value;
use tusk_overlay::{
    Applied, ChartInfo, Doc, Env, EnvFile, Overlay, ParamInputs, ParamType, Plan, RawParam, Secret,
};

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
        let text = crate::input::read_text(&path).map_err(|e| BuildError::UnknownOverlay {
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
        if let Some(over) = crate::input::read_text(f)
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

/// Reads the `envFile` parameters of an overlay (docker-compose `.env`
/// files, paths relative to `base`) with tusk-values' compose-compatible
/// parser and passes their entries on; the overlay engine, a leaf crate,
/// decides which are secrets. Read and syntax errors travel with the file
/// and are reported by the engine under the overlay's and parameter's name;
/// they never contain values.
pub fn read_env_files(overlay: &Overlay, inputs: &ParamInputs, base: &Path) -> ParamInputs {
    let env_params: Vec<&str> = overlay
        .params()
        .into_iter()
        .filter(|p| p.spec.ty == ParamType::EnvFile)
        .map(|p| p.name)
        .collect();
    if env_params.is_empty() {
        return inputs.clone();
    }
    let mut out = ParamInputs::default();
    for (key, raw) in &inputs.0 {
        let path = match raw {
            RawParam::Text(t) => Some(t.clone()),
            RawParam::Value(serde_json::Value::String(t)) => Some(t.clone()),
            _ => None,
        };
        match path {
            Some(path) if env_params.contains(&key.as_str()) => {
                let full = base.join(&path);
                let entries = match crate::input::read_text(&full) {
                    Ok(text) => tusk_values::dotenv::parse(&text, &path)
                        .map(|es| es.into_iter().map(|(k, v)| (k, Secret::new(v))).collect())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(format!("cannot read {}: {e}", full.display())),
                };
                out.push(key.clone(), RawParam::EnvFile(EnvFile { path, entries }));
            }
            _ => out.push(key.clone(), raw.clone()),
        }
    }
    out
}

/// Plans every overlay against `env`, without the rendered manifests (see
/// [`apply_overlays`], which built-in overlays such as `keda` need).
pub fn plan_all(overlays: &[(Overlay, ParamInputs)], env: &Env) -> Result<Vec<Plan>, BuildError> {
    overlays
        .iter()
        .map(|(o, p)| {
            o.plan(&read_env_files(o, p, &env.base_dir), env)
                .map_err(BuildError::from)
        })
        .collect()
}

/// Plans and applies overlays in order, each against the previous one's
/// output (its body can read the manifests it patches). Expectation
/// failures are in the returned report, not errors.
pub fn apply_overlays(
    rendered: &Rendered,
    overlays: &[(Overlay, ParamInputs)],
    env: &Env,
) -> Result<(Rendered, Applied), BuildError> {
    let docs = rendered
        .manifests
        .iter()
        .map(|m| Doc {
            source: m.source.clone(),
            content: m.content.clone(),
        })
        .collect();
    let inputs: Vec<ParamInputs> = overlays
        .iter()
        .map(|(o, p)| read_env_files(o, p, &env.base_dir))
        .collect();
    let pairs: Vec<(&Overlay, &ParamInputs)> =
        overlays.iter().map(|(o, _)| o).zip(inputs.iter()).collect();
    let applied = tusk_overlay::apply_overlays(docs, &pairs, env)?;
    Ok((to_rendered(rendered, &applied), applied))
}

fn to_rendered(rendered: &Rendered, applied: &Applied) -> Rendered {
    Rendered {
        manifests: applied
            .manifests
            .iter()
            .map(|d| Manifest {
                source: d.source.clone(),
                content: d.content.clone(),
            })
            .collect(),
        warnings: rendered.warnings.clone(),
        // helm's empty first line only while the documents are the chart's.
        release_empty: rendered.release_empty
            && applied.manifests.len() == rendered.manifests.len(),
    }
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
    Ok((to_rendered(rendered, &applied), applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_are_read_with_the_compose_parser() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env.production"),
            "LOCAL_DOMAIN=social.example.com\nexport DB_PASS='p@ss word'\nURL=https://${LOCAL_DOMAIN}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("bad.env"),
            "SECRET_KEY_BASE=\"unterminated-value\n",
        )
        .unwrap();
        let overlay = load_overlay("env-from", dir.path()).unwrap();
        let mut inputs = ParamInputs::default();
        inputs.push("file", RawParam::Text(".env.production".into()));
        inputs.push("components", RawParam::Text("web".into()));
        let read = read_env_files(&overlay, &inputs, dir.path());
        let RawParam::EnvFile(f) = &read.0[0].1 else {
            panic!("not read: {:?}", read.0[0].1)
        };
        let entries = f.entries.as_ref().unwrap();
        let shown: Vec<(&str, &str)> = entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.expose()))
            .collect();
        assert_eq!(
            shown,
            [
                ("LOCAL_DOMAIN", "social.example.com"),
                ("DB_PASS", "p@ss word"),
                ("URL", "https://social.example.com")
            ]
        );
        assert_eq!(read.0[1], inputs.0[1]);
        // Syntax errors name file, line and column, never the value.
        let mut bad = ParamInputs::default();
        bad.push("file", RawParam::Value("bad.env".into()));
        let RawParam::EnvFile(f) = &read_env_files(&overlay, &bad, dir.path()).0[0].1 else {
            panic!()
        };
        let msg = f.entries.as_ref().unwrap_err();
        assert!(msg.starts_with("bad.env:1:"), "{msg}");
        assert!(!msg.contains("unterminated-value"), "{msg}");
        // Missing files are reported with their path.
        let mut missing = ParamInputs::default();
        missing.push("file", RawParam::Text("nope.env".into()));
        let RawParam::EnvFile(f) = &read_env_files(&overlay, &missing, dir.path()).0[0].1 else {
            panic!()
        };
        assert!(f.entries.as_ref().unwrap_err().contains("nope.env"));
    }
}

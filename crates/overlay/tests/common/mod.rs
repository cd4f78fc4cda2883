//! Helpers shared by the overlay test files: committed real-helm renders
//! (tests/inputs/*.yaml, made by scripts/oracle.d/overlay-inputs) and the
//! built-in overlays.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use tusk_overlay::{Applied, ChartInfo, Doc, Env, Overlay, ParamInputs, RawParam, builtin};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs")
}

pub fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml_serde::from_str(&text).unwrap()
}

pub fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
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

/// helm's `---\n# Source: X\n` stream into docs.
pub fn split_stream(text: &str) -> Vec<Doc> {
    let rest = text.strip_prefix("---\n# Source: ").expect("helm stream");
    rest.split("\n---\n# Source: ")
        .map(|chunk| {
            let (source, body) = chunk.split_once('\n').unwrap();
            Doc {
                source: source.into(),
                content: body.strip_suffix('\n').unwrap_or(body).into(),
            }
        })
        .collect()
}

/// The docs of input `case` (`classic`, `next-ops`, …) and the Env for it.
pub fn load(case: &str) -> (Vec<Doc>, Env) {
    let chart_dir = if case.starts_with("classic") {
        "mastodon-classic"
    } else {
        "mastodon-next"
    };
    let chart = root().join("fixtures/charts").join(chart_dir);
    let meta = read_yaml(&chart.join("Chart.yaml"));
    let mut values = read_yaml(&chart.join("values.yaml"));
    let user = read_yaml(&inputs().join(format!("{case}.values.yaml")));
    if !user.is_null() {
        merge(&mut values, &user);
    }
    let text = std::fs::read_to_string(inputs().join(format!("{case}.yaml"))).unwrap();
    let env = Env {
        chart: ChartInfo {
            name: meta["name"].as_str().unwrap().into(),
            version: meta["version"].as_str().unwrap().into(),
            app_version: meta["appVersion"].as_str().map(Into::into),
        },
        release: "mastodon".into(),
        namespace: "mastodon".into(),
        values,
        base_dir: inputs(),
        allow_literal_secrets: false,
    };
    (split_stream(&text), env)
}

pub fn params(list: &[(&str, &str)]) -> ParamInputs {
    let mut p = ParamInputs::default();
    for (k, v) in list {
        p.push(*k, RawParam::Text((*v).into()));
    }
    p
}

pub fn overlay(name: &str) -> Overlay {
    Overlay::parse(&format!("builtin:{name}"), builtin(name).unwrap()).unwrap()
}

/// The report and every changed or added manifest, for snapshots.
pub fn summary(case: &str, out: &Applied) -> String {
    let (docs, _) = load(case);
    let mut s = String::new();
    for o in &out.report.overlays {
        s.push_str(&format!("overlay {} (active: {})\n", o.overlay, o.active));
        for t in &o.targets {
            if !t.active {
                s.push_str(&format!("  target {} skipped (when)\n", t.id));
                continue;
            }
            s.push_str(&format!(
                "  target {} expects {}: {:?}{}\n",
                t.id,
                t.expect.describe(),
                t.matched,
                t.failure
                    .as_deref()
                    .map(|f| format!("\n    FAILED: {f}"))
                    .unwrap_or_default()
            ));
        }
        for a in &o.added {
            s.push_str(&format!("  added {a}\n"));
        }
    }
    for (i, d) in out.manifests.iter().enumerate() {
        let same = docs
            .get(i)
            .is_some_and(|o| o.content == d.content && o.source == d.source);
        if !same {
            s.push_str(&format!("---\n# Source: {}\n{}\n", d.source, d.content));
        }
    }
    s
}

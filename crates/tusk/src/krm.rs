//! tusk as a kustomize plugin: the KRM function form (a `ResourceList` on
//! standard input and output, [`process_resource_list`]) and the legacy exec
//! plugin form (the config file's path as argument, a plain YAML stream in
//! and out, [`legacy`]).
//!
//! Both are configured by a `TuskBuild` resource whose `spec` is a project
//! file's content (see [`crate::project`]) or `project: PATH`, a reference
//! to one:
//!
//! ```yaml
//! apiVersion: tusk.dev/v1alpha1
//! kind: TuskBuild
//! metadata:
//!   name: mastodon
//!   annotations:
//!     config.kubernetes.io/function: |
//!       exec:
//!         path: ./tusk-krm
//! spec:
//!   chart: ../charts/mastodon      # with a chart: a generator
//!   renderer: helm
//!   overlays:
//!     - name: image
//!       params: {tag: v4.3.2}
//! ```
//!
//! With a `chart`, tusk renders it, applies the overlays to what it
//! rendered and appends the result to the input items (a generator). Without
//! one, the overlays are applied to the input items (a transformer), with
//! the same expectations as everywhere: a target that matches the wrong
//! number of resources fails the kustomize build. Relative paths are
//! relative to the working directory kustomize runs the plugin in (the
//! kustomization's directory), or to the project file for `project:`.
//!
//! The KRM function reports failures the way the KRM functions
//! specification asks: the input items unchanged, a `results` entry with
//! `severity: error`, and a non-zero exit (see [`Outcome::ok`]).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::build::{BuildError, BuildOptions, build};
use crate::postrender::{Context, ManifestStream, post_render, project_overlays};
use crate::project::{Project, RendererChoice};
use crate::source::{ChartRef, FetchOptions, SourceError, resolve};
use crate::{HelmRenderer, Manifest, NativeRenderer, Rendered, Renderer};

/// The `apiVersion` of tusk's function config.
pub const API_VERSION: &str = "tusk.dev/v1alpha1";
/// The `kind` of tusk's function config.
pub const KIND: &str = "TuskBuild";

/// Why a kustomize plugin run failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KrmError {
    /// The `TuskBuild` config is missing or invalid.
    #[error("functionConfig: {0}")]
    Config(String),
    /// The input is not a ResourceList (or not YAML).
    #[error("input: {0}")]
    Input(String),
    /// Rendering, overlays or reading files failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// A remote chart could not be fetched.
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// Reads a `TuskBuild` resource into a project; `base` resolves relative
/// paths of an inline spec. A spec without `chart` is a transformer (the
/// project's `chart` is then empty).
pub fn project_from_config(config: &Value, base: &Path) -> Result<Project, KrmError> {
    let api = config.get("apiVersion").and_then(Value::as_str);
    let kind = config.get("kind").and_then(Value::as_str);
    if api != Some(API_VERSION) || kind != Some(KIND) {
        return Err(KrmError::Config(format!(
            "expected apiVersion {API_VERSION}, kind {KIND}; got {}, {}",
            api.unwrap_or("none"),
            kind.unwrap_or("none")
        )));
    }
    let spec = match config.get("spec") {
        Some(Value::Object(m)) => m.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(KrmError::Config("spec must be a mapping".into())),
    };
    if let Some(path) = spec.get("project") {
        let Some(path) = path.as_str() else {
            return Err(KrmError::Config("spec.project must be a path".into()));
        };
        if spec.len() > 1 {
            return Err(KrmError::Config(
                "spec.project refers to a project file; give the other settings there".into(),
            ));
        }
        return Ok(Project::load(&base.join(path))?);
    }
    let mut spec = spec;
    spec.entry("chart").or_insert(Value::String(String::new()));
    // JSON is YAML: the project parser reads it as it would the file.
    let text = Value::Object(spec).to_string();
    Project::parse(&text, base).map_err(|m| KrmError::Config(format!("spec: {m}")))
}

/// The renderer a project asks for.
fn renderer(p: &Project) -> Result<Box<dyn Renderer>, KrmError> {
    Ok(match p.renderer {
        RendererChoice::Native => Box::new(NativeRenderer::new()),
        RendererChoice::Helm => Box::new(
            HelmRenderer::locate(p.helm_bin.as_ref().map(|b| p.resolve_path(b))).map_err(
                |error| BuildError::Render {
                    chart: p.chart.clone(),
                    error,
                },
            )?,
        ),
    })
}

/// The project's chart as a local path, fetching remote charts.
fn chart_path(p: &Project) -> Result<PathBuf, KrmError> {
    if p.chart_is_local() {
        return Ok(p.resolve_path(&p.chart));
    }
    let mut opts = FetchOptions::new();
    opts.version = p.version.clone();
    Ok(resolve(
        &ChartRef::parse(&p.chart, p.repo.as_deref()),
        &opts,
    )?)
}

/// Runs a project over `items`: renders and appends the chart (generator)
/// or applies the overlays to the items (transformer).
pub fn run(project: &Project, items: Rendered) -> Result<Rendered, KrmError> {
    if project.chart.is_empty() {
        let overlays = project_overlays(project)?;
        let mut ctx = Context::from_project(project);
        ctx.chart.name.clear();
        let stream = ManifestStream { rendered: items };
        ctx.infer_from(&stream);
        return Ok(post_render(&stream, &overlays, &ctx)?.stream.rendered);
    }
    let chart = chart_path(project)?;
    let r = renderer(project)?;
    let out = build(project, &chart, r.as_ref(), &BuildOptions::default())?;
    let mut all = items;
    all.manifests.extend(out.rendered.manifests);
    Ok(all)
}

/// The result of one KRM function call.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The ResourceList to print on standard output.
    pub output: String,
    /// The failure (also in the output's `results`); the caller exits
    /// non-zero.
    pub error: Option<String>,
}

impl Outcome {
    /// Whether the function succeeded.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// A ResourceList as YAML in go-yaml v2 style (helm's `toYaml`), which
/// quotes every string a YAML 1.1 reader would take for something else
/// (`"yes"`, `"on"`, `"0777"`): kubectl reads manifests as YAML 1.1.
fn to_yaml(v: &Value) -> String {
    match tusk_overlay::normalize(&v.to_string()) {
        Some(text) => text + "\n",
        None => v.to_string(),
    }
}

/// Runs the KRM function on a `ResourceList` (YAML or JSON text). Relative
/// paths in an inline `TuskBuild` spec resolve from `base`. Failures are
/// reported inside the output ResourceList (`results`, severity `error`),
/// with the items passed through unchanged.
pub fn process_resource_list(input: &str, base: &Path) -> Outcome {
    let list: Value = match yaml_serde::from_str(input) {
        Ok(v) => v,
        Err(e) => return failure(Value::Null, Vec::new(), &KrmError::Input(e.to_string())),
    };
    let items: Vec<Value> = match list.get("items") {
        Some(Value::Array(a)) => a.clone(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return failure(
                list.clone(),
                Vec::new(),
                &KrmError::Input("items must be a list".into()),
            );
        }
    };
    if list.get("kind").and_then(Value::as_str) != Some("ResourceList") {
        return failure(
            list.clone(),
            items,
            &KrmError::Input("expected kind ResourceList".into()),
        );
    }
    let result = (|| {
        let config = list
            .get("functionConfig")
            .filter(|c| !c.is_null())
            .ok_or_else(|| KrmError::Config(format!("missing (a {KIND} resource)")))?;
        let project = project_from_config(config, base)?;
        let rendered = Rendered {
            manifests: items
                .iter()
                .enumerate()
                .map(|(i, v)| Manifest {
                    source: format!("items[{i}]"),
                    // JSON is YAML without YAML 1.1's ambiguities.
                    content: v.to_string(),
                })
                .collect(),
            warnings: String::new(),
            release_empty: false,
        };
        let out = run(&project, rendered)?;
        out.manifests
            .iter()
            .map(|m| {
                yaml_serde::from_str::<Value>(&m.content).map_err(|e| {
                    KrmError::Input(format!("{}: not YAML after overlays: {e}", m.source))
                })
            })
            .collect::<Result<Vec<Value>, KrmError>>()
    })();
    match result {
        Ok(out_items) => {
            let mut m = Map::new();
            m.insert(
                "apiVersion".into(),
                list.get("apiVersion")
                    .cloned()
                    .unwrap_or_else(|| json!("config.kubernetes.io/v1")),
            );
            m.insert("kind".into(), json!("ResourceList"));
            m.insert("items".into(), Value::Array(out_items));
            Outcome {
                output: to_yaml(&Value::Object(m)),
                error: None,
            }
        }
        Err(e) => failure(list.clone(), items, &e),
    }
}

fn failure(list: Value, items: Vec<Value>, e: &KrmError) -> Outcome {
    let api = list
        .get("apiVersion")
        .cloned()
        .unwrap_or_else(|| json!("config.kubernetes.io/v1"));
    let message = format!("tusk: {e}");
    let out = json!({
        "apiVersion": api,
        "kind": "ResourceList",
        "items": items,
        "results": [{"message": message, "severity": "error"}],
    });
    Outcome {
        output: to_yaml(&out),
        error: Some(e.to_string()),
    }
}

/// The legacy exec plugin: `config` is the plugin's config file (a
/// `TuskBuild` resource), `input` the resources kustomize pipes in (empty
/// for a generator). Returns the YAML stream to print. Relative paths of an
/// inline spec resolve from `base` (kustomize runs the plugin in the
/// kustomization's directory).
pub fn legacy(config: &Path, input: &str, base: &Path) -> Result<String, KrmError> {
    let text = crate::input::read_text(config).map_err(|source| BuildError::Io {
        path: config.display().to_string(),
        source,
    })?;
    let v: Value = yaml_serde::from_str(&text)
        .map_err(|e| KrmError::Config(format!("{}: {e}", config.display())))?;
    let project = project_from_config(&v, base)?;
    let stream = ManifestStream::parse(input);
    let out = run(&project, stream.rendered)?;
    Ok(ManifestStream { rendered: out }.to_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";

    fn list(spec: &str) -> String {
        format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}\nfunctionConfig:\n  apiVersion: tusk.dev/v1alpha1\n  kind: TuskBuild\n  metadata: {{name: x}}\n  spec: {spec}\n",
            CM.trim_end().replace('\n', "\n  ")
        )
    }

    #[test]
    fn transformer_applies_overlay_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("o.yaml"),
            "name: o\n---\ntargets:\n  - id: cm\n    select: {kind: ConfigMap}\n    count: 1\n    patches:\n      - addLabels: {x: z}\n",
        )
        .unwrap();
        let out = process_resource_list(&list("{overlays: [{path: o.yaml}]}"), dir.path());
        assert!(out.ok(), "{}", out.output);
        let v: Value = yaml_serde::from_str(&out.output).unwrap();
        assert_eq!(v["items"][0]["metadata"]["labels"]["x"], "z");
        assert!(v.get("results").is_none());
    }

    #[test]
    fn strings_stay_strings_for_yaml_1_1_readers() {
        let dir = tempfile::tempdir().unwrap();
        let input = "kind: ResourceList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: 'yes', b: 'on', c: '0777', d: 'null'}}\nfunctionConfig: {apiVersion: tusk.dev/v1alpha1, kind: TuskBuild}\n";
        let out = process_resource_list(input, dir.path());
        assert!(out.ok(), "{}", out.output);
        for want in [r#"a: "yes""#, r#"b: "on""#, r#"c: "0777""#, r#"d: "null""#] {
            assert!(out.output.contains(want), "{want}: {}", out.output);
        }
    }

    #[test]
    fn failures_are_results_with_items_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("o.yaml"),
            "name: o\n---\ntargets:\n  - id: s\n    select: {kind: Secret}\n    count: 1\n    patches:\n      - addLabels: {x: z}\n",
        )
        .unwrap();
        let out = process_resource_list(&list("{overlays: [{path: o.yaml}]}"), dir.path());
        assert!(!out.ok());
        let v: Value = yaml_serde::from_str(&out.output).unwrap();
        assert_eq!(v["results"][0]["severity"], "error");
        let msg = v["results"][0]["message"].as_str().unwrap();
        assert!(msg.contains("matched 0 Secrets"), "{msg}");
        assert_eq!(v["items"][0]["metadata"]["name"], "a");

        for (input, want) in [
            ("[1", "input:"),
            ("kind: Other\n", "expected kind ResourceList"),
            ("kind: ResourceList\nitems: []\n", "functionConfig: missing"),
            (
                "kind: ResourceList\nfunctionConfig: {apiVersion: v1, kind: ConfigMap}\n",
                "expected apiVersion tusk.dev/v1alpha1",
            ),
        ] {
            let out = process_resource_list(input, dir.path());
            assert!(!out.ok());
            assert!(out.output.contains(want), "{input}: {}", out.output);
        }
        let out = process_resource_list(&list("{chrat: x}"), dir.path());
        assert!(out.output.contains("unknown field"), "{}", out.output);
    }

    #[test]
    fn legacy_reads_a_config_file_and_a_plain_stream() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("cfg.yaml"),
            "apiVersion: tusk.dev/v1alpha1\nkind: TuskBuild\nmetadata: {name: x}\nspec:\n  overlays:\n    - path: o.yaml\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("o.yaml"),
            "name: o\n---\ntargets:\n  - id: cm\n    select: {kind: ConfigMap}\n    patches:\n      - addLabels: {x: z}\n",
        )
        .unwrap();
        let out = legacy(&dir.path().join("cfg.yaml"), CM, dir.path()).unwrap();
        assert!(out.contains("    x: z\n"), "{out}");
        assert!(!out.contains("# Source"), "{out}");
    }
}

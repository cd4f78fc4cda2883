//! `tusk build`: project file → render → overlays → validate → output.

use std::path::{Path, PathBuf};

use tusk_overlay::{Applied, Env, ParamInputs, RawParam};

use crate::overlays::{apply_overlays, chart_info, effective_values, load_overlay};
use crate::project::{Output, Project};
use crate::{RenderError, RenderRequest, Rendered, Renderer};

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The project file is unreadable or invalid.
    #[error("{path}: {message}")]
    Project {
        /// The project file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An overlay name that is neither built in nor a file.
    #[error("unknown overlay {name:?}: {detail}")]
    UnknownOverlay {
        /// What was asked for.
        name: String,
        /// Why it was not found.
        detail: String,
    },
    /// Rendering failed; the error names the chart (helm's own messages,
    /// e.g. about a bad archive entry, do not).
    #[error("chart {chart}: {error}")]
    Render {
        /// The chart as the project names it (resolved path or reference).
        chart: String,
        /// The renderer's error (in the message, so not also a source).
        error: RenderError,
    },
    /// An overlay failed (bad parameter, patch error, or expectations).
    #[error(transparent)]
    Overlay(#[from] tusk_overlay::Error),
    /// Validation reported errors.
    #[error("validation failed:\n{0}")]
    Validate(String),
    /// Reading inputs or writing output failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// The validation hook: gets the final manifests, returns every problem as
/// text. Issue #10 (tusk-validate) plugs in here; builds pass `None` until
/// then, or when `--no-validate` is given.
pub type Validator<'a> = &'a dyn Fn(&Rendered) -> Result<(), String>;

/// What a build produced.
#[derive(Debug)]
pub struct BuildOutput {
    /// The chart's manifests as rendered, before overlays.
    pub raw: Rendered,
    /// The manifests after overlays.
    pub rendered: Rendered,
    /// What the overlays matched and did (and what to redact).
    pub applied: Applied,
}

/// Per-build switches.
#[derive(Default)]
pub struct BuildOptions<'a> {
    /// Use this chart path instead of the project's (for `tusk diff`).
    pub chart_override: Option<PathBuf>,
    /// Skip overlays (the "before" side of `tusk diff`).
    pub skip_overlays: bool,
    /// Do not fail on expectation mismatches (for `tusk diff`, which shows them).
    pub keep_going: bool,
    /// Run this validator on the result.
    pub validator: Option<Validator<'a>>,
    /// Seed for the random template functions (overrides the project's `seed`).
    pub seed: Option<u64>,
    /// Render limits (`--max-*`).
    pub limits: crate::Limits,
}

/// Converts project parameters into overlay inputs.
fn param_inputs(params: &serde_json::Map<String, serde_json::Value>) -> ParamInputs {
    let mut p = ParamInputs::default();
    for (k, v) in params {
        p.push(k.clone(), RawParam::Value(v.clone()));
    }
    p
}

/// Builds a project: renders with `renderer`, applies the overlays, checks
/// their expectations, validates.
pub fn build(
    project: &Project,
    chart: &Path,
    renderer: &dyn Renderer,
    opts: &BuildOptions<'_>,
) -> Result<BuildOutput, BuildError> {
    let chart = opts.chart_override.as_deref().unwrap_or(chart);
    let mut req = RenderRequest::new(project.release.clone(), chart.to_path_buf());
    req.namespace = project.namespace.clone();
    let files: Vec<PathBuf> = project
        .values_files
        .iter()
        .map(|f| project.resolve_path(f))
        .collect();
    req.values_files = files.iter().map(|f| f.display().to_string()).collect();
    // Inline values go last, through a temporary values file.
    let inline_file = match &project.values {
        Some(v) if !v.is_null() => {
            let mut f = tempfile::Builder::new()
                .prefix(".tusk-values-")
                .suffix(".yaml")
                .tempfile()
                .map_err(|source| BuildError::Io {
                    path: "temporary values file".into(),
                    source,
                })?;
            use std::io::Write;
            let text = serde_json::to_string(v).unwrap_or_default();
            f.write_all(text.as_bytes())
                .map_err(|source| BuildError::Io {
                    path: f.path().display().to_string(),
                    source,
                })?;
            req.values_files.push(f.path().display().to_string());
            Some(f)
        }
        _ => None,
    };
    req.kube_version = project.kube_version.clone();
    req.api_versions = project.api_versions.clone();
    req.seed = opts.seed.or(project.seed);
    req.limits = opts.limits.clone();
    req.helm_compat = project.helm_compat;
    let raw = renderer.render(&req).map_err(|error| BuildError::Render {
        chart: req.chart.display().to_string(),
        error,
    })?;
    drop(inline_file);

    let mut overlays = Vec::new();
    if !opts.skip_overlays {
        for o in &project.overlays {
            let spec = o.name.as_deref().or(o.path.as_deref()).unwrap_or_default();
            let overlay = load_overlay(spec, &project.base_dir)?;
            overlays.push((overlay, param_inputs(&o.params)));
        }
    }
    let env = Env {
        chart: chart_info(chart),
        release: project.release.clone(),
        namespace: project
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        values: effective_values(chart, &files, project.values.as_ref()),
        base_dir: project.base_dir.clone(),
        allow_literal_secrets: project.allow_literal_secrets,
    };
    let (rendered, applied) = apply_overlays(&raw, &overlays, &env)?;
    if !opts.keep_going {
        applied.report.check()?;
    }
    // Validation hook (issue #10): runs on exactly what will be written.
    if let Some(validate) = opts.validator {
        validate(&rendered).map_err(BuildError::Validate)?;
    }
    Ok(BuildOutput {
        raw,
        rendered,
        applied,
    })
}

/// Writes `text` to `path` atomically: a temporary sibling, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), BuildError> {
    let io = |source| BuildError::Io {
        path: path.display().to_string(),
        source,
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tusk-")
        .tempfile_in(&parent)
        .map_err(io)?;
    use std::io::Write;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Where output goes after command-line overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A directory (helm's `--output-dir` layout).
    Dir(PathBuf),
    /// One file.
    File(PathBuf),
}

impl Destination {
    /// The project's output setting, paths resolved against it.
    pub fn from_project(p: &Project) -> Destination {
        match &p.output {
            Output::Stdout | Output::Named(_) => Destination::Stdout,
            Output::Dir { dir } => Destination::Dir(p.resolve_path(dir)),
            Output::File { file } => Destination::File(p.resolve_path(file)),
        }
    }

    /// Writes the manifests; returns the paths written (none for stdout,
    /// where the caller prints the stream).
    pub fn write(&self, rendered: &Rendered) -> Result<Vec<String>, BuildError> {
        match self {
            Destination::Stdout => Ok(Vec::new()),
            Destination::Dir(d) => rendered
                .write_output_dir(d)
                .map_err(|source| BuildError::Io {
                    path: d.display().to_string(),
                    source,
                }),
            Destination::File(f) => {
                write_atomic(f, &rendered.to_stream())?;
                Ok(vec![f.display().to_string()])
            }
        }
    }
}

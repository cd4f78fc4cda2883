//! Renders a loaded chart into manifests exactly as `helm template` (helm
//! v3.17.2) does, mirroring helm's `pkg/engine`, `pkg/releaseutil` and the
//! `template` command's output assembly.
//!
//! The pipeline, as [`template`] runs it:
//! 1. user values ([`tusk_chart::UserValues`]) and the chart
//!    ([`tusk_chart::load`]) are read; dependencies are checked and
//!    processed (conditions, tags, aliases, import-values);
//! 2. values are coalesced and checked against `values.schema.json`;
//! 3. [`engine`] parses every template of the chart and its subcharts into
//!    one shared namespace (deepest paths first, so a parent's `define`
//!    overrides a subchart's) and executes the non-partial ones with
//!    `.Values` (scoped per subchart), `.Release`, `.Chart`,
//!    `.Capabilities` ([`capabilities`]), `.Files` (`tusk_funcs::files`), `.Template`
//!    and `.Subcharts`; `<no value>` is stripped from every result;
//! 4. [`manifest`] splits each file into documents and reads their heads,
//!    [`sort`] sets hooks apart and orders both lists by kind;
//! 5. [`output`] adds CRDs, drops what `--no-hooks`/`--skip-tests` exclude
//!    and applies `--show-only`.
//!
//! Public API: [`template`] (path + [`tusk_chart::UserValues`] +
//! [`RenderOptions`] → `Vec<`[`OutputManifest`]`>`), [`render_chart`] for an
//! already loaded chart, [`take_log`] for the warnings helm would have
//! logged, [`validate_release_name`], and the building blocks in the modules
//! ([`manifest::split_manifests`], [`sort::sort_manifests`],
//! [`sort::INSTALL_ORDER`], [`capabilities::DEFAULT_API_VERSIONS`], ...).
//! Every error's text ([`RenderError`]) is what helm prints after `Error: `.
//!
//! [`RenderOptions::helm_compat`] selects helm 4.1.4 instead: [`compat`]
//! rewrites log lines and errors into helm 4's wording, [`capabilities`]
//! has helm 4's defaults, and the chart code branches through
//! [`tusk_chart::compat`] (set for the duration of [`template`] and
//! [`render_chart`]).

pub mod capabilities;
pub mod compat;
pub mod engine;
pub mod manifest;
pub mod output;

pub mod release;
pub mod sort;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub use capabilities::{Capabilities, KubeVersion};
pub use output::OutputOptions;
pub use release::ReleaseOptions;
pub use tusk_chart::HelmCompat;
use tusk_chart::{Chart, Map, UserValues};

/// One printed document: `---\n# Source: {source}\n{content}\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputManifest {
    /// Template path (or CRD file path) as helm prints it.
    pub source: String,
    /// The document text.
    pub content: String,
}

/// What `helm template` prints: the documents, and whether the release
/// manifest (resources and CRDs, before the hooks) was empty, in which case
/// helm's output starts with an empty line (it prints
/// `TrimSpace(manifest) + "\n"` before the hooks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The documents in output order.
    pub manifests: Vec<OutputManifest>,
    /// No resource or CRD was printed (nothing, or hooks only), and no
    /// `--show-only` filter applied.
    pub release_empty: bool,
}

/// Why rendering failed; the text is helm's message after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    message: String,
}

impl RenderError {
    /// An error with helm's message.
    pub fn new(message: impl Into<String>) -> RenderError {
        RenderError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// helm adds a hint to errors raised while rendering a release.
    fn during_render(message: impl std::fmt::Display) -> RenderError {
        RenderError::new(format!(
            "{message}\n\nUse --debug flag to render out invalid YAML"
        ))
    }
}

impl From<tusk_chart::ChartError> for RenderError {
    fn from(e: tusk_chart::ChartError) -> Self {
        RenderError::new(e.to_string())
    }
}

/// Everything `helm template` takes besides the chart and the values.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Release name, namespace, upgrade flag.
    pub release: ReleaseOptions,
    /// `--kube-version` as given.
    pub kube_version: Option<String>,
    /// `--api-versions`.
    pub api_versions: Vec<String>,
    /// Output switches.
    pub output: OutputOptions,
    /// Template engine settings and limits (default: helm's,
    /// [`tusk_template::Options::helm`]); tusk's `--max-steps` and
    /// `--max-template-depth` land here.
    pub engine: tusk_template::Options,
    /// Function settings: `seed` makes the random functions repeatable
    /// (tusk's `--seed`; helm's output is unrepeatable).
    pub funcs: tusk_funcs::Options,
    /// The helm reproduced: 3.17.2 (default) or 4.1.4 ([`compat`]).
    pub helm_compat: HelmCompat,
    /// Size limits of chart loading (default: helm's).
    pub load_limits: tusk_chart::LoadLimits,
}

impl RenderOptions {
    /// helm's defaults for a release name.
    pub fn new(release_name: impl Into<String>) -> RenderOptions {
        RenderOptions {
            release: ReleaseOptions {
                name: release_name.into(),
                namespace: "default".into(),
                revision: 1,
                is_upgrade: false,
            },
            kube_version: None,
            api_versions: Vec::new(),
            output: OutputOptions::default(),
            engine: tusk_template::Options::helm(),
            funcs: tusk_funcs::Options::default(),
            helm_compat: HelmCompat::V3,
            load_limits: tusk_chart::LoadLimits::default(),
        }
    }
}

/// The log lines helm would have printed to standard error during the
/// last render on this thread (warnings, `info:` lines), in order.
pub fn take_log() -> Vec<String> {
    tusk_chart::log::take()
}

/// `helm template`: loads the chart at `chart_path`, merges `user` values and
/// renders. Errors come in helm's order (kube version, values, chart, ...).
pub fn template(
    chart_path: &Path,
    user: &UserValues,
    opts: &RenderOptions,
) -> Result<Output, RenderError> {
    tusk_chart::log::take();
    let run = || {
        let kube = match &opts.kube_version {
            Some(v) => Some(KubeVersion::parse_for(v, opts.helm_compat).map_err(RenderError::new)?),
            None => None,
        };
        let vals = user.merge()?;
        let chart = tusk_chart::load_with(chart_path, &opts.load_limits)?;
        // helm 4 picks a loader by apiVersion and knows only v1, v2 and v3.
        if opts.helm_compat.is_v4()
            && !matches!(chart.metadata.api_version.as_str(), "v1" | "v2" | "v3" | "")
        {
            return Err(RenderError::new("unsupported chart version"));
        }
        render_chart_inner(chart, &vals, kube, opts)
    };
    for_compat(
        tusk_chart::compat::scoped(opts.helm_compat, run),
        opts.helm_compat,
    )
}

/// Rewrites the log lines and the error of a render into the wording of
/// the helm being reproduced ([`compat`]).
fn for_compat<T>(result: Result<T, RenderError>, compat: HelmCompat) -> Result<T, RenderError> {
    if !compat.is_v4() {
        return result;
    }
    for line in tusk_chart::log::take() {
        tusk_chart::log::log_raw(compat::log_line_v4(&line));
    }
    result.map_err(|e| {
        let (e, logs) = compat::error_v4(e);
        logs.into_iter().for_each(tusk_chart::log::log_raw);
        e
    })
}

/// helm's `ValidateReleaseName`: DNS-label-like, at most 53 characters.
pub fn validate_release_name(name: &str) -> Result<(), RenderError> {
    // helm's pattern, printed in the error; matched by `is_dns_name`.
    const NAME: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    let q = tusk_chart::strvals::go_quote(name);
    if name.is_empty() {
        return Err(RenderError::new(format!(
            "release name {q}: no name provided"
        )));
    }
    if name.len() > 53 || !is_dns_name(name) {
        return Err(RenderError::new(format!(
            "release name {q}: invalid release name, must match regex {} and the length must not be longer than 53",
            NAME
        )));
    }
    Ok(())
}

/// Dot-separated labels of `[-a-z0-9]`, none empty, none starting or
/// ending with `-` (helm's release-name regex, without compiling it).
fn is_dns_name(name: &str) -> bool {
    name.split('.').all(|label| {
        let b = label.as_bytes();
        let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        b.first().is_some_and(ok)
            && b.last().is_some_and(ok)
            && b.iter().all(|c| ok(c) || *c == b'-')
    })
}

/// Renders an already loaded chart with merged user values.
pub fn render_chart(
    chart: Chart,
    vals: &Map,
    kube: Option<KubeVersion>,
    opts: &RenderOptions,
) -> Result<Output, RenderError> {
    for_compat(
        render_chart_inner(chart, vals, kube, opts),
        opts.helm_compat,
    )
}

fn render_chart_inner(
    mut chart: Chart,
    vals: &Map,
    kube: Option<KubeVersion>,
    opts: &RenderOptions,
) -> Result<Output, RenderError> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        t => return Err(RenderError::new(format!("{t} charts are not installable"))),
    }
    if chart.metadata.deprecated {
        tusk_chart::log::log_raw("WARNING: This chart is deprecated");
    }
    tusk_chart::check_dependencies(&chart)?;
    // helm 4.1.4 loads apiVersion v3 charts but cannot install them.
    if opts.helm_compat.is_v4() && chart.metadata.api_version == "v3" {
        return Err(RenderError::new("invalid chart apiVersion"));
    }
    validate_release_name(&opts.release.name)?;
    tusk_chart::process_dependencies(&mut chart, vals)?;
    let caps = Capabilities::for_compat(kube, &opts.api_versions, opts.helm_compat);
    let values = tusk_chart::coalesce_values(&chart, vals)?;
    tusk_chart::validate_against_schema(&chart, &values).map_err(|e| {
        RenderError::new(format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{e}"
        ))
    })?;

    if !chart.metadata.kube_version.is_empty()
        && !tusk_chart::semver::is_compatible_range(
            &chart.metadata.kube_version,
            caps.kube_version.constraint_version(),
        )
    {
        return Err(RenderError::during_render(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
            chart.metadata.kube_version, caps.kube_version.version
        )));
    }

    // CRDs are printed as is, and only on request.
    let crds: Vec<(String, Arc<[u8]>)> = if opts.output.include_crds {
        chart
            .crd_objects(chart.name())
            .into_iter()
            .map(|(name, f)| (name, f.data.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let rendered = engine::render_with(
        chart,
        &values,
        &opts.release,
        &caps,
        &opts.engine,
        &opts.funcs,
    )
    .map_err(RenderError::during_render)?;
    let files: BTreeMap<String, String> = rendered
        .into_iter()
        .filter(|(k, _)| !k.ends_with("NOTES.txt"))
        .collect();
    let (hooks, manifests) = sort::sort_manifests(&files).map_err(RenderError::during_render)?;
    let crds = crds
        .into_iter()
        .map(|(name, data)| (name, String::from_utf8_lossy(&data).into_owned()))
        .collect();
    output::assemble(crds, manifests, hooks, &opts.output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        assert!(validate_release_name("my-app.v1").is_ok());
        assert!(
            validate_release_name("")
                .unwrap_err()
                .message()
                .ends_with("no name provided")
        );
        assert!(validate_release_name("Bad_Name").is_err());
        assert!(validate_release_name(&"a".repeat(54)).is_err());
    }

    #[test]
    fn renders_a_chart_end_to_end() {
        let files = vec![
            tusk_chart::File {
                name: "Chart.yaml".into(),
                data: b"apiVersion: v2\nname: c\nversion: 1.0.0\n"[..].into(),
            },
            tusk_chart::File {
                name: "values.yaml".into(),
                data: b"num: 3\n"[..].into(),
            },
            tusk_chart::File {
                name: "templates/a.yaml".into(),
                data: b"kind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.num }}{{ .Values.missing }}\n---\nkind: ConfigMap\n"[..].into(),
            },
            tusk_chart::File {
                name: "templates/NOTES.txt".into(),
                data: b"notes"[..].into(),
            },
        ];
        let chart = tusk_chart::load_files(files).unwrap();
        let out = render_chart(chart, &Map::new(), None, &RenderOptions::new("rel"))
            .unwrap()
            .manifests;
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].content, "kind: ConfigMap");
        assert_eq!(out[1].content, "kind: Service\nmetadata:\n  name: rel-3");
        assert_eq!(out[1].source, "c/templates/a.yaml");
    }

    #[test]
    fn fail_and_required_read_like_helm() {
        let files = vec![
            tusk_chart::File {
                name: "Chart.yaml".into(),
                data: b"apiVersion: v2\nname: c\nversion: 1.0.0\n"[..].into(),
            },
            tusk_chart::File {
                name: "templates/a.yaml".into(),
                data: b"x: {{ required \"need x\" .Values.x }}"[..].into(),
            },
        ];
        let chart = tusk_chart::load_files(files).unwrap();
        let err = render_chart(chart, &Map::new(), None, &RenderOptions::new("rel")).unwrap_err();
        assert_eq!(
            err.message(),
            "execution error at (c/templates/a.yaml:1:6): need x\n\nUse --debug flag to render out invalid YAML"
        );
    }
}

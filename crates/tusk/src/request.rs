//! The inputs of a render: what `helm template` takes on its command line.

use std::path::PathBuf;

pub use tusk_render::HelmCompat;

/// Which `--set*` flag a value came from; helm applies them in this order
/// after the values files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `--set-json`
    Json,
    /// `--set`
    Set,
    /// `--set-string`
    String,
    /// `--set-file`
    File,
    /// `--set-literal`
    Literal,
}

impl SetKind {
    /// The helm flag for this kind.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Json => "--set-json",
            SetKind::Set => "--set",
            SetKind::String => "--set-string",
            SetKind::File => "--set-file",
            SetKind::Literal => "--set-literal",
        }
    }
}

/// One `--set*` argument as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetArg {
    /// The flag it came from.
    pub kind: SetKind,
    /// The raw expression, e.g. `image.tag=v4.3.0,replicas=2`.
    pub expr: String,
}

/// Everything `helm template RELEASE CHART [flags]` takes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RenderRequest {
    /// Release name.
    pub release: String,
    /// Chart directory or `.tgz`.
    pub chart: PathBuf,
    /// `-n/--namespace` (helm's default is `default`).
    pub namespace: Option<String>,
    /// `-f/--values`, in order; `-` reads standard input.
    pub values_files: Vec<String>,
    /// `--set*` arguments in command-line order.
    pub sets: Vec<SetArg>,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `-a/--api-versions`.
    pub api_versions: Vec<String>,
    /// `-s/--show-only`.
    pub show_only: Vec<String>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-tests`.
    pub skip_tests: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
    /// `--seed`: seeds the random functions (`randAlphaNum`, `uuidv4`,
    /// `genCA`, ...) so output repeats; `None` is helm's unrepeatable
    /// behaviour. Native renderer only.
    pub seed: Option<u64>,
    /// Resource limits beyond helm's built-in ones.
    pub limits: Limits,
    /// Which helm to reproduce (`--helm-compat 3|4`): helm 3.17.2 by
    /// default, helm 4.1.4 with [`HelmCompat::V4`]. The helm renderer runs
    /// whatever helm binary it finds and ignores this.
    pub helm_compat: HelmCompat,
}

/// Limits on one render, for charts from untrusted sources (tusk's
/// `--max-*` flags). `None` keeps the default. The chart loader's own
/// limits (helm's 100 MiB per chart, 5 MiB per file, 65536 `--set` list
/// index) are fixed, as in helm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Template evaluation steps per template file (default 50 000 000).
    pub max_steps: Option<u64>,
    /// Nesting of `template`/`include` calls (default 100 000, bounded by
    /// the stack).
    pub max_template_depth: Option<usize>,
    /// Total bytes of rendered manifests (default: unlimited).
    pub max_output_size: Option<u64>,
    /// Largest decompressed chart, all files (default: helm's 100 MiB).
    pub max_chart_size: Option<u64>,
    /// Largest single chart file (default: helm's 5 MiB).
    pub max_file_size: Option<u64>,
}

impl RenderRequest {
    /// A request with helm's defaults for everything but release and chart.
    pub fn new(release: impl Into<String>, chart: impl Into<PathBuf>) -> Self {
        RenderRequest {
            release: release.into(),
            chart: chart.into(),
            ..Default::default()
        }
    }

    /// The flags helm itself would be given for this request (without the
    /// `template RELEASE CHART` prefix).
    pub fn helm_flags(&self) -> Vec<String> {
        let mut a = Vec::new();
        if let Some(ns) = &self.namespace {
            a.extend(["--namespace".into(), ns.clone()]);
        }
        for f in &self.values_files {
            a.extend(["--values".into(), f.clone()]);
        }
        for s in &self.sets {
            a.extend([s.kind.flag().to_string(), s.expr.clone()]);
        }
        if let Some(v) = &self.kube_version {
            a.extend(["--kube-version".into(), v.clone()]);
        }
        for v in &self.api_versions {
            a.extend(["--api-versions".into(), v.clone()]);
        }
        for s in &self.show_only {
            a.extend(["--show-only".into(), s.clone()]);
        }
        for (on, flag) in [
            (self.include_crds, "--include-crds"),
            (self.skip_tests, "--skip-tests"),
            (self.no_hooks, "--no-hooks"),
            (self.is_upgrade, "--is-upgrade"),
        ] {
            if on {
                a.push(flag.into());
            }
        }
        a
    }
}

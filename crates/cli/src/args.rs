//! The command line, kept close to what the user typed (validated only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Render Mastodon's Helm charts natively, overlay and validate them.
#[derive(Debug, Parser)]
#[command(name = "tusk", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run; boxing the big variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a chart like `helm template RELEASE CHART`.
    Template(TemplateArgs),
    /// Build a project file: render, apply overlays, validate, write.
    Build(BuildArgs),
    /// Show how the manifests change between two charts (or without/with overlays).
    Diff(DiffArgs),
    /// List or show the built-in overlays.
    #[command(subcommand)]
    Overlays(OverlaysCommand),
    /// Check manifests offline: Kubernetes schemas, CRDs, Mastodon rules.
    Validate(ValidateArgs),
    /// Generate and check values files for the Mastodon charts.
    Values(crate::commands::values::ValuesArgs),
    /// Helm post-renderer: manifests on stdin, overlays applied, manifests on stdout.
    PostRender(PostRenderArgs),
    /// Kustomize plugin: a KRM function (ResourceList on stdin), or with
    /// CONFIG a legacy exec plugin.
    Krm(KrmArgs),
}

/// `tusk post-render`.
#[derive(Debug, Args)]
pub struct PostRenderArgs {
    /// A project file: its overlays, release, namespace and values apply
    /// (its chart is not rendered).
    #[arg(short = 'f', long = "file")]
    pub file: Option<PathBuf>,
    /// Release name the overlays see (default: the project's, else the
    /// manifests' app.kubernetes.io/instance label).
    #[arg(long = "release")]
    pub release: Option<String>,
    /// Release namespace the overlays see (default: the project's, else `default`).
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,
    /// The chart directory, for the overlays' chart conditions and values
    /// (default: the project's chart, else the helm.sh/chart label).
    #[arg(long = "chart")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub overlays: OverlayArgs,
}

/// `tusk krm`.
#[derive(Debug, Args)]
pub struct KrmArgs {
    /// Legacy exec plugin mode: the plugin's config file (a TuskBuild
    /// resource); resources are read from stdin as a YAML stream.
    pub config: Option<PathBuf>,
}

/// Which renderer produces the manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RendererKind {
    /// tusk's own Rust renderer.
    Native,
    /// A `helm` binary (`--helm-bin`, `$HELM_BIN` or `PATH`).
    Helm,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Release name.
    pub release: String,
    /// Chart: a directory, a .tgz, NAME with --repo, REPO_URL/NAME, or oci://...
    pub chart: String,
    #[command(flatten)]
    pub value_flags: ValueFlags,
    /// Namespace of the release.
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,
    /// Kubernetes version for .Capabilities.KubeVersion.
    #[arg(long = "kube-version")]
    pub kube_version: Option<String>,
    /// Extra API versions for .Capabilities.APIVersions; commas separate several.
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Only print manifests rendered from these templates; commas separate several.
    #[arg(short = 's', long = "show-only", value_delimiter = ',')]
    pub show_only: Vec<String>,
    /// Write each template's manifests below this directory instead of stdout.
    #[arg(long = "output-dir")]
    pub output_dir: Option<PathBuf>,
    /// Include CRDs from the chart's crds/ directory.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// Skip test hooks.
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Leave out hooks.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// Which helm the native renderer reproduces: 3 (helm 3.17.2) or 4 (helm 4.1.4).
    #[arg(long = "helm-compat", default_value = "3", value_name = "3|4")]
    pub helm_compat: tusk::HelmCompat,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Which renderer to use.
    #[arg(long = "renderer", value_enum, default_value = "native")]
    pub renderer: RendererKind,
    /// The helm binary for `--renderer helm`.
    #[arg(long = "helm-bin", env = "HELM_BIN")]
    pub helm_bin: Option<PathBuf>,
    #[command(flatten)]
    pub overlays: OverlayArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Repeatability and resource limits for charts from untrusted sources.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Seed the random template functions (randAlphaNum, uuidv4, genCA, ...)
    /// so the output repeats; native renderer only (helm's is unrepeatable).
    #[arg(long = "seed", value_name = "N")]
    pub seed: Option<u64>,
    /// Stop a template after this many evaluation steps (default 50000000;
    /// native renderer).
    #[arg(long = "max-steps", value_name = "N")]
    pub max_steps: Option<u64>,
    /// Maximum nesting of template/include calls (default 100000; native renderer).
    #[arg(long = "max-template-depth", value_name = "N")]
    pub max_template_depth: Option<usize>,
    /// Refuse rendered manifests larger than this many bytes (default: no
    /// limit; native renderer).
    #[arg(long = "max-output-size", value_name = "BYTES")]
    pub max_output_size: Option<u64>,
    /// Refuse charts whose files (subcharts included, decompressed) exceed
    /// this many bytes (default 104857600, helm's; native renderer).
    #[arg(long = "max-chart-size", value_name = "BYTES")]
    pub max_chart_size: Option<u64>,
    /// Refuse charts holding a file larger than this many bytes (default
    /// 5242880, helm's; native renderer).
    #[arg(long = "max-file-size", value_name = "BYTES")]
    pub max_file_size: Option<u64>,
}

impl LimitArgs {
    /// Copies the flags into a render request.
    pub fn apply(&self, req: &mut tusk::RenderRequest) {
        if self.seed.is_some() {
            req.seed = self.seed;
        }
        if self.max_steps.is_some() {
            req.limits.max_steps = self.max_steps;
        }
        if self.max_template_depth.is_some() {
            req.limits.max_template_depth = self.max_template_depth;
        }
        if self.max_output_size.is_some() {
            req.limits.max_output_size = self.max_output_size;
        }
        if self.max_chart_size.is_some() {
            req.limits.max_chart_size = self.max_chart_size;
        }
        if self.max_file_size.is_some() {
            req.limits.max_file_size = self.max_file_size;
        }
    }
}

/// Ad-hoc overlays on the command line.
#[derive(Debug, Args)]
pub struct OverlayArgs {
    /// Apply an overlay: a built-in name or an overlay file (repeatable, in order).
    #[arg(long = "overlay", value_name = "NAME|PATH")]
    pub overlay: Vec<String>,
    /// Overlay parameter `OVERLAY.KEY=VALUE` (secrets: `env:NAME` or `file:PATH`).
    #[arg(long = "param", value_name = "OVERLAY.KEY=VALUE")]
    pub param: Vec<String>,
    /// Accept literal values for secret parameters.
    #[arg(long = "allow-literal-secrets")]
    pub allow_literal_secrets: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The project file.
    #[arg(short = 'f', long = "file", default_value = "tusk.yaml")]
    pub file: PathBuf,
    /// Write one file per template below this directory (overrides the project's output).
    #[arg(long = "output-dir")]
    pub output_dir: Option<PathBuf>,
    /// Skip validation.
    #[arg(long = "no-validate")]
    pub no_validate: bool,
    /// Fail on validation warnings too.
    #[arg(long = "warnings-as-errors")]
    pub warnings_as_errors: bool,
    /// Override the project's renderer.
    #[arg(long = "renderer", value_enum)]
    pub renderer: Option<RendererKind>,
    /// Override the project's `helmCompat`: 3 (helm 3.17.2) or 4 (helm 4.1.4).
    #[arg(long = "helm-compat", value_name = "3|4")]
    pub helm_compat: Option<tusk::HelmCompat>,
    /// The helm binary for the helm renderer.
    #[arg(long = "helm-bin", env = "HELM_BIN")]
    pub helm_bin: Option<PathBuf>,
    /// Print what each overlay target matched to standard error.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// When to color output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project file.
    #[arg(short = 'f', long = "file", default_value = "tusk.yaml")]
    pub file: PathBuf,
    /// Old side: a chart path, a chart version (for repository/OCI charts), or
    /// `@raw` (the project's chart without overlays).
    #[arg(long = "from", default_value = "@raw")]
    pub from: String,
    /// New side: a chart path, a chart version, or `@project` (the project as is).
    #[arg(long = "to", default_value = "@project")]
    pub to: String,
    /// Lines of context.
    #[arg(short = 'U', long = "context", default_value_t = 3)]
    pub context: usize,
    /// Color the diff.
    #[arg(long = "color", value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Exit with 1 when there are differences.
    #[arg(long = "exit-code")]
    pub exit_code: bool,
    /// Print secret values instead of `<secret>` (the only way to see them).
    #[arg(long = "show-secrets")]
    pub show_secrets: bool,
    /// Override the project's renderer.
    #[arg(long = "renderer", value_enum)]
    pub renderer: Option<RendererKind>,
    /// The helm binary for the helm renderer.
    #[arg(long = "helm-bin", env = "HELM_BIN")]
    pub helm_bin: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum OverlaysCommand {
    /// List the built-in overlays.
    List,
    /// Show a built-in overlay's documentation and parameters (or its file with --raw).
    Show {
        /// Overlay name (or path to an overlay file).
        name: String,
        /// Print the overlay file itself.
        #[arg(long = "raw")]
        raw: bool,
    },
}

/// Where remote charts come from (helm's `--repo`, `--version`, ...).
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Chart repository URL holding index.yaml.
    #[arg(long = "repo")]
    pub repo: Option<String>,
    /// Chart version or constraint (e.g. 6.2.0, ^6.2, ">=6 <7").
    #[arg(long = "version")]
    pub version: Option<String>,
    /// Repository/registry user name.
    #[arg(long = "username", env = "TUSK_REGISTRY_USERNAME")]
    pub username: Option<String>,
    /// Repository/registry password (prefer the environment variable).
    #[arg(
        long = "password",
        env = "TUSK_REGISTRY_PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// Use only the download cache, never the network.
    #[arg(long = "offline")]
    pub offline: bool,
    /// Download cache directory (default: $TUSK_CACHE_DIR or ~/.cache/tusk).
    #[arg(long = "cache-dir")]
    pub cache_dir: Option<PathBuf>,
}

/// Output format of `tusk validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Compiler-style text.
    Human,
    /// JSON report.
    Json,
    /// SARIF 2.1.0, for CI code-scanning annotations.
    Sarif,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A manifest file, a directory (all *.yaml/*.yml/*.json below it), or `-` for stdin.
    pub input: PathBuf,
    /// Target Kubernetes version (e.g. 1.32).
    #[arg(long = "kube-version", default_value = "1.32")]
    pub kube_version: String,
    /// Output format.
    #[arg(long = "format", value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long = "warnings-as-errors")]
    pub warnings_as_errors: bool,
    /// The chart values used for the render (YAML), for value-level rules.
    #[arg(long = "values")]
    pub values: Option<PathBuf>,
}

/// helm's values flags (`-f`, `--set*`), shared by every command that takes them.
#[derive(Debug, Args)]
pub struct ValueFlags {
    /// Values files, in order (`-` reads standard input); commas separate several.
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    pub values: Vec<String>,
    /// Set values (`a.b=c,d=e`).
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// Set values, always as strings.
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    /// Set values as JSON (`a.b={"c":1}`).
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    /// Set values from files (`key=path`).
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    /// Set one value as a literal string, no parsing.
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,
}

impl ValueFlags {
    /// The `--set*` arguments in the order helm applies them: by kind, then
    /// as given.
    pub fn sets(&self) -> Vec<tusk::SetArg> {
        use tusk::SetKind;
        let mut out = Vec::new();
        for (kind, list) in [
            (SetKind::Json, &self.set_json),
            (SetKind::Set, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Literal, &self.set_literal),
        ] {
            out.extend(list.iter().map(|expr| tusk::SetArg {
                kind,
                expr: expr.clone(),
            }));
        }
        out
    }
}

//! Chart loading (directories and `.tgz` archives), `Chart.yaml`,
//! dependencies and values coalescing, mirroring helm's `pkg/chart`,
//! `pkg/chart/loader`, `pkg/chartutil`, `pkg/ignore` and `pkg/strvals`
//! (helm v3.17.2).
//!
//! The main types:
//! * [`Chart`]: a loaded chart — [`Metadata`] from `Chart.yaml`, its
//!   templates, default values, other files and its subcharts. [`load`] reads
//!   a directory (honouring `.helmignore`) or a `.tgz` archive, entirely in
//!   memory and refusing unsafe paths.
//! * [`UserValues`] collects what `helm template` takes on its command line
//!   (`-f` files and the `--set*` flags) into one values tree, in helm's
//!   order; [`strvals`] holds the `--set` parsers with helm's typing.
//! * [`process_dependencies`] applies `condition`, `tags`, `alias` and
//!   `import-values` to the chart tree; [`coalesce_values`] merges user values
//!   over chart defaults exactly like helm (globals copied down, `null`
//!   deleting defaults); [`validate_against_schema`] checks every chart's
//!   `values.schema.json`.
//!
//! [`compat`] selects helm 4.1.4's behaviour where it differs (several
//! documents per values file, `null` handling while coalescing, semver
//! pre-releases); helm 3.17.2 is the default.
//!
//! Values use the template engine's [`Value`] model, so the result can be
//! handed straight to the renderer. Every error's text is helm's, so the CLI
//! can print it after `Error: ` like helm does.

pub mod archive;
pub mod coalesce;
pub mod compat;
pub mod dependency;
pub mod directory;
pub mod ignore;
pub mod load;
pub mod log;
pub mod metadata;
pub mod par;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;

pub use coalesce::{coalesce_tables, coalesce_values, merge_tables, merge_values};
pub use compat::HelmCompat;
pub use dependency::{check_dependencies, process_dependencies};
pub use load::{Chart, File, LoadLimits, load, load_archive_bytes, load_files, load_with, text_of};
pub use metadata::{Dependency, Maintainer, Metadata};
pub use schema::validate_against_schema;
pub use values::{UserValues, deep_copy, parse_values};

pub use tusk_template::{Map, Value};

/// Why a chart or its values could not be loaded. The `Display` text is
/// helm's message (what helm prints after `Error: `).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The chart could not be loaded (missing or malformed files, unsafe
    /// archive paths, invalid `Chart.yaml`).
    #[error("{0}")]
    Load(String),
    /// A values file or `--set*` expression could not be read or parsed.
    #[error("{0}")]
    Values(String),
    /// Dependencies are missing or inconsistent.
    #[error("{0}")]
    Dependency(String),
    /// Values do not satisfy a `values.schema.json`.
    #[error("{0}")]
    Schema(String),
}

impl ChartError {
    /// Prefixes the message like Go's `errors.Wrap(err, ctx)`.
    pub fn wrap(self, ctx: impl std::fmt::Display) -> ChartError {
        match self {
            ChartError::Load(m) => ChartError::Load(format!("{ctx}: {m}")),
            ChartError::Values(m) => ChartError::Values(format!("{ctx}: {m}")),
            ChartError::Dependency(m) => ChartError::Dependency(format!("{ctx}: {m}")),
            ChartError::Schema(m) => ChartError::Schema(format!("{ctx}: {m}")),
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = ChartError> = std::result::Result<T, E>;

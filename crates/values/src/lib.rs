//! tusk-values: values files for the Mastodon Helm charts.
//!
//! People move Mastodon from docker compose (one `.env.production`) to
//! Kubernetes, or from the deprecated classic chart (mastodon/chart) to its
//! successor (mastodon/helm-charts). This crate writes the values files for
//! those moves:
//!
//! * [`dotenv`] parses `.env` files with docker compose's rules (quoting,
//!   escapes, `${VAR:-default}` interpolation); the `env-from` overlay uses
//!   it too.
//! * [`mapping`] holds, per [`mapping::Chart`], the table from Mastodon
//!   environment variables to the chart's value paths, read off the charts'
//!   templates; `docs/values.md` is generated from it.
//! * [`from_env`] turns `.env` entries into a values file, with secrets in a
//!   second file or referenced from an existing Secret.
//! * [`init`] writes a starter values file with fresh secrets in Mastodon's
//!   formats (hex `SECRET_KEY_BASE`, a P-256 VAPID pair, Active Record
//!   encryption keys).
//! * [`migrate`] converts classic values to next values, reporting what it
//!   cannot carry over.
//! * [`check`] finds user keys a chart never declares or reads (with
//!   did-you-mean suggestions), and [`effective`] annotates coalesced values
//!   with each leaf's origin; the `tusk` facade feeds both from `tusk-chart`.
//! * [`yaml`] is the small commented YAML emitter they share (output order
//!   is fixed, so generated files are stable).
//!
//! Nothing here renders charts: helm's side of the story (coalescing,
//! templates) lives in `tusk-chart` and `tusk-render`.
pub mod check;
pub mod dotenv;
pub mod effective;
pub mod from_env;
pub mod init;
pub mod mapping;
pub mod migrate;
pub mod yaml;

/// Why a values operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValuesError {
    /// A `.env` file did not parse.
    #[error(transparent)]
    Dotenv(#[from] dotenv::DotenvError),
    /// A values file did not parse.
    #[error("{origin}: {message}")]
    Yaml {
        /// The file.
        origin: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A values file is not a mapping at the top.
    #[error("{0}: the top level is not a mapping")]
    NotAMapping(String),
    /// The chart or the user's values could not be loaded (helm's message).
    #[error("{0}")]
    Chart(String),
    /// The operating system's random source failed.
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
}

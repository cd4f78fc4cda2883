//! tusk-values: values files for the Mastodon Helm charts.
pub mod dotenv;
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
    /// The operating system's random source failed.
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
}

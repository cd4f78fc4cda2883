//! Chart sources: a local directory or `.tgz`, an HTTP chart repository
//! (`index.yaml`, version constraint, digest check, cache) or an OCI
//! registry (`oci://`). Mirrors helm's `pkg/downloader` and `pkg/registry`
//! for the pull side only.
//!
//! [`resolve`] turns a [`ChartRef`] into a local path the renderers load;
//! remote charts land in a cache directory first, verified, and
//! `offline` resolution uses only that cache.

mod http;
mod oci;
mod repo;
mod version;

use std::path::{Path, PathBuf};

pub use version::VersionConstraint;

/// Where a chart comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartRef {
    /// A chart directory or archive on disk.
    Path(PathBuf),
    /// A chart named in an HTTP chart repository.
    Repo {
        /// The repository URL (the directory holding `index.yaml`).
        url: String,
        /// The chart's name in the index.
        name: String,
    },
    /// A chart in an OCI registry, `oci://HOST[:PORT]/PATH/NAME[:TAG]`.
    Oci(String),
}

impl ChartRef {
    /// Reads a CHART argument as helm does: `oci://...`, a chart name with
    /// `--repo URL`, `https://repo.example/charts/NAME` (the last path
    /// segment is the chart name), or a local path.
    pub fn parse(chart: &str, repo: Option<&str>) -> ChartRef {
        if chart.starts_with("oci://") {
            return ChartRef::Oci(chart.to_string());
        }
        if let Some(url) = repo {
            return ChartRef::Repo {
                url: url.trim_end_matches('/').to_string(),
                name: chart.to_string(),
            };
        }
        if (chart.starts_with("http://") || chart.starts_with("https://"))
            && !chart.ends_with(".tgz")
        {
            if let Some((url, name)) = chart.trim_end_matches('/').rsplit_once('/') {
                if !name.is_empty() && url.contains("://") && !url.ends_with(':') {
                    return ChartRef::Repo {
                        url: url.to_string(),
                        name: name.to_string(),
                    };
                }
            }
        }
        ChartRef::Path(PathBuf::from(chart))
    }
}

/// How remote charts are fetched.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FetchOptions {
    /// `--version`: an exact version or a constraint (`^6.2`, `>=6 <7`, `6.x || 7.x`).
    /// Without it the newest stable version wins.
    pub version: Option<String>,
    /// Where downloads and repository indexes are kept.
    pub cache_dir: PathBuf,
    /// Use only the cache; never touch the network.
    pub offline: bool,
    /// Draw a progress bar on standard error while downloading.
    pub progress: bool,
    /// Basic-auth credentials for repositories and registries.
    pub username: Option<String>,
    /// Basic-auth password (never printed).
    pub password: Option<String>,
}

impl FetchOptions {
    /// Defaults: the user cache directory (`$TUSK_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/tusk`, else `~/.cache/tusk`), online, no progress bar.
    pub fn new() -> Self {
        let cache_dir = std::env::var_os("TUSK_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("tusk")))
            .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/tusk")))
            .unwrap_or_else(|| PathBuf::from(".tusk-cache"));
        FetchOptions {
            version: None,
            cache_dir,
            offline: false,
            progress: false,
            username: None,
            password: None,
        }
    }
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a chart could not be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The server refused our credentials (or wants some).
    #[error(
        "{url}: authentication required or refused (HTTP {status}); pass --username/--password"
    )]
    Auth {
        /// What was requested.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// The server has no such file.
    #[error("{url}: not found (HTTP 404)")]
    NotFound {
        /// What was requested.
        url: String,
    },
    /// Any other HTTP failure.
    #[error("{url}: HTTP {status}")]
    Status {
        /// What was requested.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The connection failed.
    #[error("{url}: {message}")]
    Transport {
        /// What was requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The downloaded archive is not what the index or manifest promised.
    #[error("{what}: digest mismatch: expected sha256:{expected}, downloaded sha256:{actual}")]
    Digest {
        /// The chart or blob.
        what: String,
        /// The digest promised.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// No version of the chart satisfies the constraint.
    #[error("chart {name} in {repo}: no version matches {constraint:?} (available: {available})")]
    NoVersion {
        /// The chart.
        name: String,
        /// The repository.
        repo: String,
        /// The constraint.
        constraint: String,
        /// The versions the index has.
        available: String,
    },
    /// The repository index has no such chart.
    #[error("chart {name} not found in repository {repo} (it has: {available})")]
    NoChart {
        /// The chart.
        name: String,
        /// The repository.
        repo: String,
        /// The charts the index has.
        available: String,
    },
    /// `--offline` and the cache lacks what is needed.
    #[error("--offline: {what} is not in the cache {cache}")]
    NotCached {
        /// What was looked for.
        what: String,
        /// The cache directory.
        cache: String,
    },
    /// A malformed index, manifest or reference.
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing the cache failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Makes `chart` available locally and returns its path: local paths as they
/// are, remote charts downloaded (or taken from the cache) and verified.
pub fn resolve(chart: &ChartRef, opts: &FetchOptions) -> Result<PathBuf, SourceError> {
    match chart {
        ChartRef::Path(p) => Ok(p.clone()),
        ChartRef::Repo { url, name } => repo::fetch(url, name, opts),
        ChartRef::Oci(reference) => oci::fetch(reference, opts),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SourceError + '_ {
    move |source| SourceError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `bytes` to `path` atomically (temporary sibling, then rename).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SourceError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_err(dir))?;
    tmp.write_all(bytes).map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| SourceError::Io {
        path: path.display().to_string(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chart_arguments_like_helm() {
        assert_eq!(
            ChartRef::parse("oci://reg.example/charts/mastodon", None),
            ChartRef::Oci("oci://reg.example/charts/mastodon".into())
        );
        assert_eq!(
            ChartRef::parse("mastodon", Some("https://charts.example/")),
            ChartRef::Repo {
                url: "https://charts.example".into(),
                name: "mastodon".into()
            }
        );
        assert_eq!(
            ChartRef::parse("https://charts.example/stable/mastodon", None),
            ChartRef::Repo {
                url: "https://charts.example/stable".into(),
                name: "mastodon".into()
            }
        );
        assert_eq!(
            ChartRef::parse("./charts/mastodon", None),
            ChartRef::Path("./charts/mastodon".into())
        );
    }
}

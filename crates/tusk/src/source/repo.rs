//! HTTP chart repositories: `index.yaml`, version selection, digest check,
//! cache.

use std::path::PathBuf;

use serde::Deserialize;

use super::version::{VersionConstraint, newest};
use super::{FetchOptions, SourceError, http, io_err, sha256_hex, write_atomic};

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(default)]
    entries: std::collections::BTreeMap<String, Vec<Entry>>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    version: String,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    digest: Option<String>,
}

/// Cache file name for a repository's index: one per URL.
fn index_cache(url: &str, opts: &FetchOptions) -> PathBuf {
    opts.cache_dir
        .join("repository")
        .join(format!("{}-index.yaml", &sha256_hex(url.as_bytes())[..16]))
}

fn load_index(url: &str, opts: &FetchOptions) -> Result<Index, SourceError> {
    let cached = index_cache(url, opts);
    let bytes = if opts.offline {
        std::fs::read(&cached).map_err(|_| SourceError::NotCached {
            what: format!("the index of {url}"),
            cache: opts.cache_dir.display().to_string(),
        })?
    } else {
        let index_url = format!("{url}/index.yaml");
        let resp = http::check(
            &index_url,
            http::get(&index_url, http::basic_auth(opts).as_deref(), None, opts)?,
        )?;
        write_atomic(&cached, &resp.body)?;
        resp.body
    };
    let text = String::from_utf8_lossy(&bytes);
    yaml_serde::from_str(&text).map_err(|e| SourceError::Invalid(format!("{url}/index.yaml: {e}")))
}

/// Picks the newest version of `name` that satisfies the constraint (the
/// newest stable one without a constraint).
fn select<'a>(
    index: &'a Index,
    url: &str,
    name: &str,
    opts: &FetchOptions,
) -> Result<&'a Entry, SourceError> {
    let entries = index
        .entries
        .get(name)
        .ok_or_else(|| SourceError::NoChart {
            name: name.to_string(),
            repo: url.to_string(),
            available: index.entries.keys().cloned().collect::<Vec<_>>().join(", "),
        })?;
    let constraint = opts
        .version
        .as_deref()
        .map(VersionConstraint::parse)
        .transpose()?;
    newest(
        entries.iter().map(|e| (e.version.as_str(), e)),
        constraint.as_ref(),
    )
    .map(|(_, e)| e)
    .ok_or_else(|| SourceError::NoVersion {
        name: name.to_string(),
        repo: url.to_string(),
        constraint: opts
            .version
            .clone()
            .unwrap_or_else(|| "(newest stable)".into()),
        available: entries
            .iter()
            .map(|e| e.version.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Resolves `name` in the repository at `url` to a verified archive in the cache.
pub fn fetch(url: &str, name: &str, opts: &FetchOptions) -> Result<PathBuf, SourceError> {
    let index = load_index(url, opts)?;
    let entry = select(&index, url, name, opts)?;
    let target = opts
        .cache_dir
        .join("charts")
        .join(format!("{name}-{}.tgz", entry.version));
    let expected = entry
        .digest
        .as_deref()
        .map(|d| d.trim_start_matches("sha256:").to_ascii_lowercase());
    if let Ok(bytes) = std::fs::read(&target) {
        // A cached archive is reused only while it still matches the index.
        if expected.as_deref().is_none_or(|d| d == sha256_hex(&bytes)) {
            return Ok(target);
        }
    }
    if opts.offline {
        return Err(SourceError::NotCached {
            what: format!("chart {name} {}", entry.version),
            cache: opts.cache_dir.display().to_string(),
        });
    }
    let first = entry.urls.first().ok_or_else(|| {
        SourceError::Invalid(format!(
            "{url}/index.yaml: {name} {} has no urls",
            entry.version
        ))
    })?;
    // Relative URLs are relative to the repository.
    let chart_url = if first.contains("://") {
        first.clone()
    } else {
        format!("{url}/{}", first.trim_start_matches("./"))
    };
    let resp = http::check(
        &chart_url,
        http::get(&chart_url, http::basic_auth(opts).as_deref(), None, opts)?,
    )?;
    let actual = sha256_hex(&resp.body);
    if let Some(expected) = expected {
        if expected != actual {
            return Err(SourceError::Digest {
                what: format!("{name}-{}.tgz from {chart_url}", entry.version),
                expected,
                actual,
            });
        }
    }
    write_atomic(&target, &resp.body)?;
    std::fs::metadata(&target).map_err(io_err(&target))?;
    Ok(target)
}

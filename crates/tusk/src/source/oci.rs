//! OCI registries (`oci://`): helm's chart media type pulled through the
//! distribution API, with anonymous or basic-auth bearer tokens.

use std::path::PathBuf;

use super::version::{VersionConstraint, newest, parse_version};
use super::{FetchOptions, SourceError, http, sha256_hex, write_atomic};

const CHART_LAYER: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

struct Reference {
    base: String,
    repository: String,
    tag: Option<String>,
}

fn parse_reference(reference: &str) -> Result<Reference, SourceError> {
    let rest = reference
        .strip_prefix("oci://")
        .ok_or_else(|| SourceError::Invalid(format!("{reference}: not an oci:// reference")))?;
    let (host, path) = rest
        .split_once('/')
        .ok_or_else(|| SourceError::Invalid(format!("{reference}: no repository path")))?;
    // A tag follows the last ':' of the last path segment (a port has none after it).
    let (repository, tag) = match path.rsplit_once('/') {
        Some((dir, last)) => match last.split_once(':') {
            Some((name, tag)) => (format!("{dir}/{name}"), Some(tag.to_string())),
            None => (path.to_string(), None),
        },
        None => match path.split_once(':') {
            Some((name, tag)) => (name.to_string(), Some(tag.to_string())),
            None => (path.to_string(), None),
        },
    };
    let hostname = host.rsplit_once(':').map_or(host, |(h, _)| h);
    // Registries on this machine speak plain HTTP (helm's --plain-http).
    let scheme = if matches!(hostname, "localhost" | "127.0.0.1" | "[::1]") {
        "http"
    } else {
        "https"
    };
    Ok(Reference {
        base: format!("{scheme}://{host}"),
        repository,
        tag,
    })
}

/// A token from the registry's auth service, answering a 401 challenge.
fn bearer_token(challenge: &str, opts: &FetchOptions) -> Result<String, SourceError> {
    let params = challenge.trim_start_matches("Bearer ").trim();
    let mut realm = None;
    let mut query = Vec::new();
    for part in params.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            let v = v.trim_matches('"');
            if k == "realm" {
                realm = Some(v.to_string());
            } else {
                query.push(format!("{k}={}", v.replace(' ', "%20")));
            }
        }
    }
    let realm = realm.ok_or_else(|| {
        SourceError::Invalid(format!(
            "registry auth challenge without realm: {challenge}"
        ))
    })?;
    let url = if query.is_empty() {
        realm
    } else {
        format!("{realm}?{}", query.join("&"))
    };
    let resp = http::check(
        &url,
        http::get(&url, http::basic_auth(opts).as_deref(), None, opts)?,
    )?;
    let json: serde_json::Value = serde_json::from_slice(&resp.body)
        .map_err(|e| SourceError::Invalid(format!("{url}: token response: {e}")))?;
    json.get("token")
        .or_else(|| json.get("access_token"))
        .and_then(|t| t.as_str())
        .map(|t| format!("Bearer {t}"))
        .ok_or_else(|| SourceError::Invalid(format!("{url}: token response has no token")))
}

/// GET with the registry's auth dance: try, answer a challenge once, retry.
fn registry_get(
    url: &str,
    accept: Option<&str>,
    auth: &mut Option<String>,
    opts: &FetchOptions,
) -> Result<http::Response, SourceError> {
    let resp = http::get(url, auth.as_deref(), accept, opts)?;
    if resp.status == 401 && auth.is_none() {
        let challenge = resp.header("www-authenticate").unwrap_or("").to_string();
        *auth = if challenge.starts_with("Bearer") {
            Some(bearer_token(&challenge, opts)?)
        } else {
            http::basic_auth(opts)
        };
        if auth.is_some() {
            return http::check(url, http::get(url, auth.as_deref(), accept, opts)?);
        }
    }
    http::check(url, resp)
}

fn pick_tag(
    r: &Reference,
    auth: &mut Option<String>,
    opts: &FetchOptions,
) -> Result<String, SourceError> {
    let url = format!("{}/v2/{}/tags/list", r.base, r.repository);
    let resp = registry_get(&url, None, auth, opts)?;
    let json: serde_json::Value = serde_json::from_slice(&resp.body)
        .map_err(|e| SourceError::Invalid(format!("{url}: {e}")))?;
    let tags: Vec<String> = json["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let constraint = opts
        .version
        .as_deref()
        .map(VersionConstraint::parse)
        .transpose()?;
    // helm stores '+' of a version as '_' in tags.
    let versions: Vec<String> = tags.iter().map(|t| t.replace('_', "+")).collect();
    newest(
        versions.iter().map(String::as_str).zip(tags.iter()),
        constraint.as_ref(),
    )
    .map(|(_, t)| t.clone())
    .ok_or_else(|| SourceError::NoVersion {
        name: r.repository.clone(),
        repo: r.base.clone(),
        constraint: opts
            .version
            .clone()
            .unwrap_or_else(|| "(newest stable)".into()),
        available: tags.join(", "),
    })
}

/// Pulls the chart at `reference` into the cache and returns its path.
pub fn fetch(reference: &str, opts: &FetchOptions) -> Result<PathBuf, SourceError> {
    let r = parse_reference(reference)?;
    let exact = r.tag.clone().or_else(|| {
        opts.version
            .as_deref()
            .filter(|v| {
                parse_version(v).is_some() && !v.contains(['^', '~', '<', '>', '*', ' ', '|'])
            })
            .map(|v| v.replace('+', "_"))
    });
    let key = |tag: &str| {
        opts.cache_dir.join("oci").join(format!(
            "{}.tgz",
            &sha256_hex(format!("{}/{}:{tag}", r.base, r.repository).as_bytes())[..24]
        ))
    };
    if opts.offline {
        let tag = exact.ok_or_else(|| SourceError::NotCached {
            what: format!("{reference} without an exact --version"),
            cache: opts.cache_dir.display().to_string(),
        })?;
        let path = key(&tag);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(SourceError::NotCached {
                what: format!("{reference}:{tag}"),
                cache: opts.cache_dir.display().to_string(),
            })
        };
    }
    let mut auth = None;
    let tag = match exact {
        Some(t) => t,
        None => pick_tag(&r, &mut auth, opts)?,
    };
    let manifest_url = format!("{}/v2/{}/manifests/{tag}", r.base, r.repository);
    let resp = registry_get(&manifest_url, Some(MANIFEST_ACCEPT), &mut auth, opts)?;
    let manifest: serde_json::Value = serde_json::from_slice(&resp.body)
        .map_err(|e| SourceError::Invalid(format!("{manifest_url}: {e}")))?;
    let digest = manifest["layers"]
        .as_array()
        .and_then(|layers| {
            layers
                .iter()
                .find(|l| l["mediaType"].as_str() == Some(CHART_LAYER))
        })
        .and_then(|l| l["digest"].as_str())
        .ok_or_else(|| {
            SourceError::Invalid(format!(
                "{reference}:{tag}: the manifest has no helm chart layer"
            ))
        })?
        .to_string();
    let blob_url = format!("{}/v2/{}/blobs/{digest}", r.base, r.repository);
    let blob = registry_get(&blob_url, None, &mut auth, opts)?;
    let expected = digest.trim_start_matches("sha256:").to_string();
    let actual = sha256_hex(&blob.body);
    if expected != actual {
        return Err(SourceError::Digest {
            what: format!("{reference}:{tag}"),
            expected,
            actual,
        });
    }
    let path = key(&tag);
    write_atomic(&path, &blob.body)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = parse_reference("oci://localhost:5000/charts/mastodon:6.2.0").unwrap();
        assert_eq!(r.base, "http://localhost:5000");
        assert_eq!(r.repository, "charts/mastodon");
        assert_eq!(r.tag.as_deref(), Some("6.2.0"));
        let r = parse_reference("oci://ghcr.io/mastodon/charts/mastodon").unwrap();
        assert_eq!(r.base, "https://ghcr.io");
        assert_eq!(r.repository, "mastodon/charts/mastodon");
        assert_eq!(r.tag, None);
        assert!(parse_reference("oci://hostonly").is_err());
    }
}

//! Chart repositories against a real HTTP server on loopback (started by the
//! test, serving a repository built from our fixture chart).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tusk::source::{ChartRef, FetchOptions, SourceError, resolve};

#[path = "../../../tests/support/http_server.rs"]
mod http_server;

/// The test server, with its base URL.
struct Server {
    base: String,
    hits: Arc<Mutex<Vec<String>>>,
}

fn serve(files: HashMap<String, Vec<u8>>, auth: Option<String>) -> Server {
    let s = http_server::serve(files, auth);
    Server {
        base: format!("http://{}", s.addr),
        hits: s.hits,
    }
}

/// Packages a chart directory as helm does: `NAME/...` entries in a gzip tar.
fn package(dir: &Path, name: &str) -> Vec<u8> {
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    tar.append_dir_all(name, dir).unwrap();
    tar.into_inner().unwrap().finish().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn repo_files(digest_override: Option<&str>) -> (HashMap<String, Vec<u8>>, Vec<u8>) {
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/charts/mastodon-next");
    let tgz = package(&chart, "mastodon");
    let digest = digest_override.map_or_else(|| sha256(&tgz), str::to_string);
    let index = format!(
        "apiVersion: v1\nentries:\n  mastodon:\n  - version: 0.5.0-rc.1\n    urls: [charts/mastodon-0.5.0-rc.1.tgz]\n  - version: 0.4.1\n    digest: {digest}\n    urls: [charts/mastodon-0.4.1.tgz]\n  - version: 0.3.0\n    urls: [charts/mastodon-0.3.0.tgz]\n"
    );
    let mut files = HashMap::new();
    files.insert("/index.yaml".to_string(), index.into_bytes());
    files.insert("/charts/mastodon-0.4.1.tgz".to_string(), tgz.clone());
    files.insert("/charts/mastodon-0.3.0.tgz".to_string(), b"old".to_vec());
    (files, tgz)
}

fn opts(cache: &Path, version: Option<&str>) -> FetchOptions {
    let mut o = FetchOptions::new();
    o.cache_dir = cache.to_path_buf();
    o.version = version.map(str::to_string);
    o
}

#[test]
fn newest_stable_version_is_downloaded_verified_and_cached() {
    let (files, tgz) = repo_files(None);
    let server = serve(files, None);
    let cache = tempfile::tempdir().unwrap();
    let chart = ChartRef::parse("mastodon", Some(&server.base));
    let path = resolve(&chart, &opts(cache.path(), None)).unwrap();
    assert!(path.ends_with("charts/mastodon-0.4.1.tgz"), "{path:?}");
    assert_eq!(std::fs::read(&path).unwrap(), tgz);

    // Offline, the cached index and archive are enough.
    let mut offline = opts(cache.path(), Some("^0.4"));
    offline.offline = true;
    let hits_before = server.hits.lock().unwrap().len();
    assert_eq!(resolve(&chart, &offline).unwrap(), path);
    assert_eq!(server.hits.lock().unwrap().len(), hits_before);
}

#[test]
fn constraint_selects_and_reports_what_exists() {
    let (files, _) = repo_files(None);
    let server = serve(files, None);
    let cache = tempfile::tempdir().unwrap();
    let chart = ChartRef::parse(&format!("{}/mastodon", server.base), None);
    let err = resolve(&chart, &opts(cache.path(), Some(">=1.0"))).unwrap_err();
    assert!(matches!(err, SourceError::NoVersion { .. }));
    assert!(err.to_string().contains("0.4.1, 0.3.0"), "{err}");

    let missing = ChartRef::parse("pixelfed", Some(&server.base));
    let err = resolve(&missing, &opts(cache.path(), None)).unwrap_err();
    assert!(err.to_string().contains("it has: mastodon"), "{err}");
}

#[test]
fn digest_mismatch_is_refused_and_nothing_is_cached() {
    let (files, _) = repo_files(Some(&"0".repeat(64)));
    let server = serve(files, None);
    let cache = tempfile::tempdir().unwrap();
    let chart = ChartRef::parse("mastodon", Some(&server.base));
    let err = resolve(&chart, &opts(cache.path(), Some("0.4.1"))).unwrap_err();
    assert!(matches!(err, SourceError::Digest { .. }), "{err}");
    assert!(!cache.path().join("charts/mastodon-0.4.1.tgz").exists());
}

#[test]
fn not_found_and_auth_errors_are_distinct() {
    let (mut files, _) = repo_files(None);
    files.remove("/charts/mastodon-0.4.1.tgz");
    let server = serve(files, None);
    let cache = tempfile::tempdir().unwrap();
    let chart = ChartRef::parse("mastodon", Some(&server.base));
    let err = resolve(&chart, &opts(cache.path(), None)).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }), "{err}");

    let (files, _) = repo_files(None);
    let server = serve(files, Some("Basic dXNlcjpwYXNz".into()));
    let chart = ChartRef::parse("mastodon", Some(&server.base));
    let err = resolve(&chart, &opts(cache.path(), None)).unwrap_err();
    assert!(
        matches!(err, SourceError::Auth { status: 401, .. }),
        "{err}"
    );
    let mut with_creds = opts(cache.path(), None);
    with_creds.username = Some("user".into());
    with_creds.password = Some("pass".into());
    assert!(resolve(&chart, &with_creds).is_ok());
}

#[test]
fn offline_without_cache_says_so() {
    let cache = tempfile::tempdir().unwrap();
    let chart = ChartRef::parse("mastodon", Some("http://127.0.0.1:9"));
    let mut o = opts(cache.path(), None);
    o.offline = true;
    let err = resolve(&chart, &o).unwrap_err();
    assert!(matches!(err, SourceError::NotCached { .. }), "{err}");
}

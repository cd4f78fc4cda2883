//! `tusk values` end to end: exit codes, messages, files written.

use std::process::Command;

#[path = "../../../tests/support/http_server.rs"]
mod http_server;

fn tusk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tusk"))
}

const ENV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../values/tests/data/env.production"
);

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn from_env_writes_values_and_a_private_secrets_file() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets.yaml");
    let (code, stdout, stderr) = run(tusk()
        .args([
            "values",
            "from-env",
            ENV,
            "--chart",
            "next",
            "--secrets-out",
        ])
        .arg(&secrets));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: example.social"), "{stdout}");
    assert!(!stdout.contains("mail-secret"));
    let written = std::fs::read_to_string(&secrets).unwrap();
    assert!(written.contains("password: mail-secret"), "{written}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "secrets file is readable by others: {mode:o}"
        );
    }
    assert!(
        stderr.contains("warning: 5 variable(s) have no next chart value"),
        "{stderr}"
    );
    assert!(stderr.contains("mapped 47 of 52 variables"), "{stderr}");
}

#[test]
fn from_env_needs_a_place_for_secrets() {
    let (code, stdout, stderr) =
        run(tusk().args(["values", "from-env", ENV, "--chart", "classic"]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("pass --secrets-out FILE or --existing-secret NAME"),
        "{stderr}"
    );
}

#[test]
fn from_env_existing_secret_lists_keys() {
    let (code, stdout, stderr) = run(tusk().args([
        "values",
        "from-env",
        ENV,
        "--chart",
        "classic",
        "--existing-secret",
        "mastodon-env",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("existingSecret: mastodon-env-postgresql"),
        "{stdout}"
    );
    assert!(
        stderr.contains("  Secret mastodon-env-smtp:\n    login (the value of SMTP_LOGIN)"),
        "{stderr}"
    );
}

#[test]
fn bad_env_file_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("bad.env");
    std::fs::write(&env, "A=1\nB=\"unterminated\n").unwrap();
    let (code, _, stderr) = run(tusk()
        .args(["values", "from-env"])
        .arg(&env)
        .args(["--chart", "classic"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("bad.env:2:3: unterminated quoted value"),
        "{stderr}"
    );
}

#[test]
fn init_is_repeatable_with_a_seed() {
    let (c1, a, _) = run(tusk().args(["values", "init", "--chart", "classic", "--seed", "9"]));
    let (c2, b, _) = run(tusk().args(["values", "init", "--chart", "classic", "--seed", "9"]));
    let (c3, c, _) = run(tusk().args(["values", "init", "--chart", "classic"]));
    assert_eq!((c1, c2, c3), (0, 0, 0));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.contains("otp_secret:"));
}

#[test]
fn migrate_reports_on_stderr() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../values/tests/data/classic-values.yaml"
    );
    let (code, stdout, stderr) = run(tusk().args(["values", "migrate", file]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: example.social"));
    assert!(stderr.contains("not migrated: mastodon.cron:"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = run(tusk().args(["values", "init", "--chart", "modern"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(tusk().args([
        "values",
        "from-env",
        ENV,
        "--chart",
        "next",
        "--secrets-out",
        "x",
        "--existing-secret",
        "y",
    ]));
    assert_eq!(code, 2);
}

const CLASSIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/charts/mastodon-classic"
);

#[test]
fn check_reports_unknown_keys_with_their_origin_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  localDomain: typo.example\n  local_domain: ok.example\n  otel:\n    endpointUri: http://x\npodAnnotations:\n  a.example/b: c\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "check", "m", CLASSIC, "-f"])
        .arg(&f)
        .args(["--set", "postgresql.primery.x=1,redis.port=7000"]));
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(
            "mastodon.localDomain: the chart never declares or reads this key (set by -f "
        ),
        "{stdout}"
    );
    assert!(
        lines[0].ends_with("did you mean mastodon.local_domain?"),
        "{stdout}"
    );
    assert_eq!(
        lines[1],
        "postgresql.primery: the chart never declares or reads this key (set by --set postgresql.primery.x=1,redis.port=7000); did you mean postgresql.primary?"
    );
    assert!(
        stderr.contains("2 key(s) the chart never declares or reads"),
        "{stderr}"
    );
}

#[test]
fn check_passes_clean_values() {
    let (code, stdout, stderr) = run(tusk().args([
        "values",
        "check",
        "m",
        CLASSIC,
        "--set",
        "mastodon.local_domain=a.example",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
}

#[test]
fn effective_names_each_leafs_origin() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  local_domain: from-file.example\nredis:\n  port: 6390\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "effective", "m", CLASSIC, "-f"])
        .arg(&f)
        .args([
            "--set",
            "redis.port=7000",
            "--set-string",
            "postgresql.auth.password=abc",
        ]));
    assert_eq!(code, 0, "{stderr}");
    let file = format!("-f {}", f.display());
    for want in [
        format!("  local_domain: from-file.example  # {file}"),
        "  port: 7000  # --set redis.port=7000".to_string(),
        "    password: abc  # --set-string postgresql.auth.password=abc".to_string(),
        "  locale: en  # chart default".to_string(),
        // A subchart's default, coalesced under its name.
        "    password: fixture-redis-password  # chart default".to_string(),
    ] {
        assert!(
            stdout.lines().any(|l| l == want),
            "missing {want:?} in\n{stdout}"
        );
    }
}

#[test]
fn effective_on_a_missing_chart_fails_with_helms_message() {
    let (code, _, stderr) = run(tusk().args(["values", "effective", "m", "/nonexistent/chart"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Error: path \"/nonexistent/chart\" not found"),
        "{stderr}"
    );
}

#[test]
fn migrate_reads_yaml_like_helm() {
    // helm accepts duplicate keys (the last wins); so does migrate.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("dup.yaml");
    std::fs::write(
        &f,
        "mastodon:\n  local_domain: first.example\n  local_domain: second.example\nredis:\n  sidekiq:\n    enabled: true\n    auth:\n      password: p\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tusk().args(["values", "migrate"]).arg(&f));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("localDomain: second.example"), "{stdout}");
    // helm's reader sorts keys, so the output follows key order.
    assert!(
        stdout.contains("  sidekiq:\n    password: p\n    enabled: true\n"),
        "{stdout}"
    );
}

// ---- chart sources: effective and check resolve charts like `tusk template` ----

/// The classic fixture packaged as helm does (`mastodon/...` entries).
fn classic_tgz() -> Vec<u8> {
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    tar.append_dir_all("mastodon", CLASSIC).unwrap();
    tar.into_inner().unwrap().finish().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A loopback HTTP server holding a chart repository (`/index.yaml`) and an
/// OCI registry (`/v2/charts/mastodon/...`) for the classic fixture at 6.2.0.
/// Returns the base URL and the request log.
fn serve_chart() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::collections::HashMap;
    let tgz = classic_tgz();
    let digest = sha256(&tgz);
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    files.insert(
        "/index.yaml".into(),
        format!(
            "apiVersion: v1\nentries:\n  mastodon:\n  - version: 6.2.0\n    digest: {digest}\n    urls: [charts/mastodon-6.2.0.tgz]\n"
        )
        .into_bytes(),
    );
    files.insert("/charts/mastodon-6.2.0.tgz".into(), tgz.clone());
    files.insert(
        "/v2/charts/mastodon/tags/list".into(),
        br#"{"name":"charts/mastodon","tags":["6.2.0"]}"#.to_vec(),
    );
    files.insert(
        "/v2/charts/mastodon/manifests/6.2.0".into(),
        format!(
            r#"{{"schemaVersion":2,"layers":[{{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:{digest}","size":{}}}]}}"#,
            tgz.len()
        )
        .into_bytes(),
    );
    files.insert(format!("/v2/charts/mastodon/blobs/sha256:{digest}"), tgz);
    let server = http_server::serve(files, None);
    (server.addr, server.hits)
}

/// `effective` output of the classic fixture with one `--set`, from `chart`
/// and extra flags; the leaf set on the command line and a chart default
/// must both be there.
fn effective_from(chart: &str, extra: &[&str], cache: &std::path::Path) -> String {
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "effective", "m", chart])
        .args(extra)
        .args(["--set", "redis.port=7000", "--cache-dir"])
        .arg(cache));
    assert_eq!(code, 0, "{chart}: {stderr}");
    for want in [
        "  port: 7000  # --set redis.port=7000",
        "  locale: en  # chart default",
    ] {
        assert!(
            stdout.lines().any(|l| l == want),
            "{chart}: missing {want:?} in\n{stdout}"
        );
    }
    stdout
}

#[test]
fn effective_and_check_read_a_local_archive() {
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("mastodon-6.2.0.tgz");
    std::fs::write(&tgz, classic_tgz()).unwrap();
    let from_dir = effective_from(CLASSIC, &[], dir.path());
    let from_tgz = effective_from(tgz.to_str().unwrap(), &[], dir.path());
    assert_eq!(from_dir, from_tgz);

    let (code, stdout, _) = run(tusk()
        .args(["values", "check", "m"])
        .arg(&tgz)
        .args(["--set", "mastodon.localDomain=x"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("mastodon.localDomain: the chart never declares or reads this key")
            && stdout.contains("did you mean mastodon.local_domain?"),
        "{stdout}"
    );
}

#[test]
fn effective_and_check_fetch_from_a_repository_then_work_offline() {
    let (base, hits) = serve_chart();
    let cache = tempfile::tempdir().unwrap();
    let repo = format!("http://{base}");
    let local = effective_from(CLASSIC, &[], cache.path());
    let fetched = effective_from("mastodon", &["--repo", &repo], cache.path());
    assert_eq!(local, fetched);
    assert!(
        hits.lock()
            .unwrap()
            .contains(&"/charts/mastodon-6.2.0.tgz".to_string())
    );

    // The cache alone serves it now, with no request to the server.
    let before = hits.lock().unwrap().len();
    let offline = effective_from(
        "mastodon",
        &["--repo", &repo, "--version", "6.2.0", "--offline"],
        cache.path(),
    );
    assert_eq!(offline, local);
    let (code, stdout, stderr) = run(tusk()
        .args(["values", "check", "m", "mastodon", "--repo", &repo])
        .args(["--version", "^6", "--offline", "--cache-dir"])
        .arg(cache.path())
        .args(["--set", "redis.prot=1"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("did you mean redis.port?"), "{stdout}");
    assert_eq!(hits.lock().unwrap().len(), before);

    // Offline with an empty cache fails and says why.
    let empty = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(tusk()
        .args(["values", "effective", "m", "mastodon", "--repo", &repo])
        .args(["--offline", "--cache-dir"])
        .arg(empty.path()));
    assert_eq!(code, 1);
    assert!(stderr.contains("Error:"), "{stderr}");
}

#[test]
fn effective_pulls_from_an_oci_registry() {
    let (base, hits) = serve_chart();
    let cache = tempfile::tempdir().unwrap();
    let oci = format!("oci://{base}/charts/mastodon");
    let local = effective_from(CLASSIC, &[], cache.path());
    assert_eq!(effective_from(&oci, &[], cache.path()), local);
    assert_eq!(
        effective_from(&format!("{oci}:6.2.0"), &[], cache.path()),
        local
    );
    let log = hits.lock().unwrap().clone();
    assert!(
        log.iter().any(|p| p == "/v2/charts/mastodon/tags/list"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|p| p.starts_with("/v2/charts/mastodon/blobs/sha256:")),
        "{log:?}"
    );
}

const NEXT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/charts/mastodon-next"
);

/// Values `init` and `from-env` write render on the matching fixture chart;
/// on the next fixture (laid out like the real chart) they set no key the
/// chart ignores. (The classic fixture has no Elasticsearch block.)
#[test]
fn generated_values_render_and_check_clean_on_both_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, chart) in [("classic", CLASSIC), ("next", NEXT)] {
        let init = dir.path().join(format!("{flag}-init.yaml"));
        let (code, stdout, stderr) =
            run(tusk().args(["values", "init", "--chart", flag, "--seed", "7"]));
        assert_eq!(code, 0, "{stderr}");
        std::fs::write(&init, stdout).unwrap();
        let values = dir.path().join(format!("{flag}-values.yaml"));
        let secrets = dir.path().join(format!("{flag}-secrets.yaml"));
        let (code, stdout, stderr) = run(tusk()
            .args(["values", "from-env", ENV, "--chart", flag, "--secrets-out"])
            .arg(&secrets));
        assert_eq!(code, 0, "{stderr}");
        std::fs::write(&values, stdout).unwrap();
        for files in [vec![&init], vec![&values, &secrets]] {
            let commands: &[&str] = if flag == "next" {
                &["check", "template"]
            } else {
                &["template"]
            };
            for &command in commands {
                let mut cmd = tusk();
                cmd.args(if command == "check" {
                    vec!["values", "check", "m", chart]
                } else {
                    vec!["template", "m", chart]
                });
                for f in &files {
                    cmd.arg("-f").arg(f);
                }
                let (code, stdout, stderr) = run(&mut cmd);
                assert_eq!(code, 0, "{flag} {command} {files:?}: {stdout}{stderr}");
            }
        }
    }
}

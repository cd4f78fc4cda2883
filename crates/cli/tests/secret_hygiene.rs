//! Secret hygiene: a canary secret given to overlays through `env:` and
//! `file:` (the `otel` overlay's `headers`, the `env` overlay's
//! `secretVars`) never shows up in plain text — not on stdout or stderr
//! of `tusk template --overlay`, `tusk build` (also `-v` and with
//! validation as errors), `tusk diff`, nor in the files written, nor in
//! error messages (a literal secret refused, a bad parameter next to a
//! secret). The only place it may live is base64-encoded inside its
//! Secret's `data`, which the tests check is really there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A unique, random-looking secret (no real key looks like it).
fn canary() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("cnry7Qz9xK2mWv{}{nanos:09}Lp", std::process::id())
}

fn base64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

struct Run {
    dir: tempfile::TempDir,
    canary: String,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().expect("tempdir");
        let canary = canary();
        fs::write(dir.path().join("secret.txt"), format!("{canary}\n")).expect("secret file");
        Run { dir, canary }
    }

    fn tusk(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tusk"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HELM_BIN")
            .env("CANARY_SECRET", &self.canary)
            .env("TUSK_CACHE_DIR", self.dir.path().join("cache"))
            .output()
            .expect("run tusk")
    }

    /// The canary is not in `out`'s streams; returns stdout.
    fn clean(&self, what: &str, out: &Output) -> String {
        assert_ne!(out.status.code(), Some(101), "{what} panicked");
        let (o, e) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(!o.contains(&self.canary), "{what}: canary on stdout");
        assert!(!e.contains(&self.canary), "{what}: canary on stderr:\n{e}");
        o.into_owned()
    }

    /// No file below the temp dir (but the secret input files) holds the canary.
    fn files_clean(&self) {
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).expect("read dir") {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .file_name()
                    .is_some_and(|n| n != "secret.txt" && n != "bad.txt")
                {
                    let text = String::from_utf8_lossy(&fs::read(&p).expect("read")).into_owned();
                    assert!(!text.contains(&self.canary), "canary in {}", p.display());
                }
            }
        }
    }

    fn chart(&self) -> String {
        root()
            .join("fixtures/charts/mastodon-classic")
            .display()
            .to_string()
    }

    fn project(&self, extra: &str) -> String {
        let p = self.dir.path().join("tusk.yaml");
        fs::write(
            &p,
            format!(
                "chart: {}\nrelease: mastodon\nnamespace: mastodon\noverlays:\n  \
                 - name: otel\n    params:\n      endpoint: http://alloy:4318\n      \
                 headers: env:CANARY_SECRET\n  - name: env\n    params:\n      \
                 secretVars: {{API_KEY: file:secret.txt}}\n{extra}",
                self.chart()
            ),
        )
        .expect("write project");
        p.display().to_string()
    }
}

const OVERLAY_ARGS: [&str; 8] = [
    "--overlay",
    "otel",
    "--param",
    "otel.endpoint=http://alloy:4318",
    "--param",
    "otel.headers=env:CANARY_SECRET",
    "--overlay",
    "env",
];

#[test]
fn template_with_overlays_keeps_the_secret_in_secret_data() {
    let r = Run::new();
    let chart = r.chart();
    let mut args = vec!["template", "mastodon", &chart];
    args.extend(OVERLAY_ARGS);
    args.extend(["--param", "env.secretVars.API_KEY=file:secret.txt"]);
    let out = r.tusk(&args);
    let stdout = r.clean("template --overlay", &out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Both routes put the canary into a Secret, base64-encoded (env: as
    // given, file: without its trailing newline).
    let b64 = base64(r.canary.as_bytes());
    assert!(
        stdout.matches(&b64).count() >= 2,
        "canary not base64-encoded in the Secrets' data:\n{stdout}"
    );
    // And the other way round: headers from a file, secretVars from env.
    let mut args = vec!["template", "mastodon", &chart];
    args.extend(&OVERLAY_ARGS[..4]);
    args.extend([
        "--param",
        "otel.headers=file:secret.txt",
        "--overlay",
        "env",
    ]);
    args.extend(["--param", "env.secretVars.API_KEY=env:CANARY_SECRET"]);
    let out = r.tusk(&args);
    let stdout = r.clean("template --overlay (file/env swapped)", &out);
    assert!(stdout.contains(&b64));
    // --output-dir files.
    let mut args = vec!["template", "mastodon", &chart, "--output-dir", "out"];
    args.extend(OVERLAY_ARGS);
    args.extend(["--param", "env.secretVars.API_KEY=file:secret.txt"]);
    let out = r.tusk(&args);
    r.clean("template --output-dir", &out);
    assert_eq!(out.status.code(), Some(0));
    r.files_clean();
}

#[test]
fn build_verbose_diff_and_validation_never_print_the_secret() {
    let r = Run::new();
    let project = r.project("output: {dir: out}\n");
    let out = r.tusk(&["build", "-f", &project, "-v", "--renderer", "native"]);
    r.clean("build -v", &out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Validation as errors: whatever it finds, it does not quote the secret.
    let out = r.tusk(&["build", "-f", &project, "--warnings-as-errors"]);
    r.clean("build --warnings-as-errors", &out);
    // diff: raw chart vs overlays, which adds the Secrets.
    let out = r.tusk(&["diff", "-f", &project, "--color", "never"]);
    let diff = r.clean("diff", &out);
    assert!(diff.contains("Secret"), "diff shows no Secret:\n{diff}");
    assert!(diff.contains("<secret>"), "diff redacts nothing:\n{diff}");
    // --show-secrets is the one way to see them.
    let out = r.tusk(&["diff", "-f", &project, "--color", "never", "--show-secrets"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains("<secret>"), "--show-secrets still redacts");
    assert!(
        shown.contains(&r.canary) || shown.contains(&base64(r.canary.as_bytes())),
        "--show-secrets hides the secret"
    );
    r.files_clean();
    let written = fs::read_dir(r.dir.path().join("out")).map(|d| d.count());
    assert!(written.is_ok_and(|n| n > 0), "build wrote nothing");
}

#[test]
fn failures_never_echo_the_secret() {
    let r = Run::new();
    let chart = r.chart();
    // A literal secret is refused, without quoting it.
    let literal = format!("otel.headers={}", r.canary);
    let out = r.tusk(&[
        "template",
        "mastodon",
        &chart,
        "--overlay",
        "otel",
        "--param",
        "otel.endpoint=http://alloy:4318",
        "--param",
        &literal,
    ]);
    r.clean("literal secret", &out);
    assert_eq!(out.status.code(), Some(1));
    // A bad parameter next to a resolved secret.
    let mut args = vec!["template", "mastodon", &chart];
    args.extend(OVERLAY_ARGS);
    args.extend(["--param", "env.secretVars.API_KEY=file:secret.txt"]);
    args.extend(["--param", "otel.protocol=grpc"]);
    let out = r.tusk(&args);
    r.clean("bad parameter", &out);
    assert_eq!(out.status.code(), Some(1));
    // A failing build of a project holding secrets (bad kube version).
    let project = r.project("values: {x: 1}\nkubeVersion: banana\n");
    let out = r.tusk(&["build", "-f", &project]);
    r.clean("failing build", &out);
    assert_eq!(out.status.code(), Some(1));
    // A secret file whose content is malformed for the key still is not quoted.
    fs::write(
        r.dir.path().join("bad.txt"),
        format!("{}\nsecond line\n", r.canary),
    )
    .expect("write");
    let mut args = vec!["template", "mastodon", &chart];
    args.extend(&OVERLAY_ARGS[..4]);
    args.extend(["--param", "otel.headers=file:bad.txt"]);
    let out = r.tusk(&args);
    r.clean("multi-line secret file", &out);
    r.files_clean();

    // Failing overlay expectations and failing validation, with both
    // secrets already read: a small chart of our own.
    let chart = r.dir.path().join("chart");
    fs::create_dir_all(chart.join("templates")).expect("chart dir");
    fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: mastodon\nversion: 6.0.0\n",
    )
    .expect("Chart.yaml");
    let deployment = |c: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: m-{c}\n  labels:\n    \
             app.kubernetes.io/name: mastodon\n    app.kubernetes.io/component: {c}\nspec:\n  \
             selector:\n    matchLabels:\n      app.kubernetes.io/component: {c}\n  template:\n    \
             metadata:\n      labels:\n        app.kubernetes.io/name: mastodon\n        \
             app.kubernetes.io/component: {c}\n    spec:\n      containers:\n        - name: {c}\n          \
             image: ghcr.io/mastodon/mastodon:v4.3.0\n"
        )
    };
    fs::write(chart.join("templates/web.yaml"), deployment("web")).expect("web");
    let project = |name: &str| {
        let p = r.dir.path().join(name);
        fs::write(
            &p,
            "chart: chart\noverlays:\n  - name: otel\n    params: {endpoint: \"http://a:4318\", \
             headers: \"env:CANARY_SECRET\"}\n  - name: env\n    params:\n      \
             secretVars: {API_KEY: file:secret.txt}\n",
        )
        .expect("project");
        p.display().to_string()
    };
    // No sidekiq Deployment: the overlays' sidekiq targets match nothing.
    let p = project("expect.yaml");
    let out = r.tusk(&["build", "-f", &p, "-v"]);
    r.clean("failing expectations", &out);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sidekiq"));
    // With sidekiq, plus an API Kubernetes removed: validation fails.
    fs::write(chart.join("templates/sidekiq.yaml"), deployment("sidekiq")).expect("sidekiq");
    fs::write(
        chart.join("templates/ingress.yaml"),
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec: {}\n",
    )
    .expect("ingress");
    let p = project("invalid.yaml");
    let out = r.tusk(&["build", "-f", &p, "-v"]);
    r.clean("failing validation", &out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("validation failed"));
    // And the same build without validation succeeds, secrets in base64 only.
    let out = r.tusk(&["build", "-f", &p, "-v", "--no-validate"]);
    let stdout = r.clean("build --no-validate", &out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains(&base64(r.canary.as_bytes())));
    r.files_clean();
}

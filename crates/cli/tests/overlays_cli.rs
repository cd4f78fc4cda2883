//! End-to-end runs of `tusk build`, `tusk diff`, `tusk template --overlay`
//! and `tusk overlays`, offline: the helm backend runs a stand-in `helm`
//! that replays real helm output committed by scripts/oracle.d/overlay-inputs
//! (crates/overlay/tests/inputs/{classic,next}.yaml) and logs its arguments.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    fn new() -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let inputs = root().join("crates/overlay/tests/inputs");
        let script = format!(
            "#!/bin/sh\n# args: template RELEASE CHART FLAGS...\necho \"$@\" >> '{log}'\n\
             case \"$3\" in *mastodon-next*) f=next.yaml;; *) f=classic.yaml;; esac\n\
             cat '{inputs}'/\"$f\"\n",
            log = dir.path().join("helm.log").display(),
            inputs = inputs.display()
        );
        let helm = dir.path().join("helm");
        std::fs::write(&helm, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Fake { dir }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("helm.log")).unwrap_or_default()
    }

    fn tusk(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tusk"))
            .args(args)
            .current_dir(root())
            .env("HELM_BIN", self.dir.path().join("helm"))
            .env("TUSK_TEST_HEADERS", "x-api-key=FROM-ENV-FAKE")
            .env_remove("NO_COLOR")
            .output()
            .unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A project file in a temp dir pointing at the fixture chart.
fn project(dir: &Path, chart: &str, overlays: &str) -> PathBuf {
    let p = dir.join("tusk.yaml");
    std::fs::write(
        &p,
        format!(
            "chart: {}\nrelease: mastodon\nnamespace: mastodon\nrenderer: helm\noverlays:\n{overlays}",
            root().join("fixtures/charts").join(chart).display()
        ),
    )
    .unwrap();
    p
}

#[test]
fn build_example_project() {
    // The README's main command: the native renderer, no helm anywhere.
    let f = Fake::new();
    let out = f.tusk(&["build", "-f", "examples/mastodon/tusk.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(f.log(), "", "the native renderer must not run helm");
    insta::assert_snapshot!(text(&out.stdout));

    // The helm backend is handed the same inputs and gives the same result.
    let via_helm = f.tusk(&[
        "build",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--renderer",
        "helm",
    ]);
    assert!(via_helm.status.success(), "{}", text(&via_helm.stderr));
    let log = f.log();
    assert!(log.contains("template mastodon"), "{log}");
    assert!(log.contains("--namespace mastodon"), "{log}");
    assert!(log.contains("examples/mastodon/values.yaml"), "{log}");
    assert_eq!(text(&via_helm.stdout), text(&out.stdout));
}

#[test]
fn build_to_output_dir_and_verbose_report() {
    let f = Fake::new();
    let out_dir = f.dir.path().join("out");
    let out = f.tusk(&[
        "build",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--output-dir",
        out_dir.to_str().unwrap(),
        "-v",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout).replace(&out_dir.display().to_string(), "[out]");
    assert!(stdout.contains("wrote [out]/mastodon/templates/secrets.yaml"));
    let secret = std::fs::read_to_string(out_dir.join("mastodon/templates/secrets.yaml")).unwrap();
    assert!(secret.contains("OTEL_EXPORTER_OTLP_HEADERS: "));
    insta::assert_snapshot!(text(&out.stderr));
}

#[test]
fn build_fails_when_a_target_stops_matching() {
    let f = Fake::new();
    let overlay = f.dir.path().join("web-only.yaml");
    std::fs::write(
        &overlay,
        "name: web-only\n---\ntargets:\n  - id: sidekiq-container\n    select: {kind: Deployment, containers: mastodon}\n    patches:\n      - setEnv: [{name: X, value: \"1\"}]\n",
    )
    .unwrap();
    // The next chart names its sidekiq container `mastodon`; the classic one
    // `mastodon-sidekiq`.
    let ok = project(f.dir.path(), "mastodon-next", "  - path: web-only.yaml\n");
    let out = f.tusk(&["build", "-f", ok.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bad = project(
        f.dir.path(),
        "mastodon-classic",
        "  - path: web-only.yaml\n",
    );
    let out = f.tusk(&["build", "-f", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    insta::assert_snapshot!(text(&out.stderr));
}

#[test]
fn build_rejects_bad_project_and_params() {
    let f = Fake::new();
    let p = project(
        f.dir.path(),
        "mastodon-classic",
        "  - name: otel\n    params: {endpoint: x, protocol: grpc}\n",
    );
    let out = f.tusk(&["build", "-f", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let bad_param = text(&out.stderr);
    let p2 = f.dir.path().join("typo.yaml");
    std::fs::write(&p2, "chart: x\noverlays: [{name: otel}]\nrendrer: helm\n").unwrap();
    let out = f.tusk(&["build", "-f", p2.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let typo = text(&out.stderr).replace(&f.dir.path().display().to_string(), "[tmp]");
    let p3 = project(f.dir.path(), "mastodon-classic", "  - name: otle\n");
    let out = f.tusk(&["build", "-f", p3.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let unknown = text(&out.stderr);
    insta::assert_snapshot!(format!("{bad_param}{typo}{unknown}"));
}

#[test]
fn template_with_overlays_and_params() {
    let f = Fake::new();
    let out = f.tusk(&[
        "template",
        "mastodon",
        "fixtures/charts/mastodon-next",
        "--renderer",
        "helm",
        "-n",
        "mastodon",
        "--overlay",
        "otel",
        "--param",
        "otel.endpoint=http://alloy.monitoring.svc:4318",
        "--param",
        "otel.headers=env:TUSK_TEST_HEADERS",
        "--param",
        "otel.components=web,streaming",
        "--overlay",
        "env",
        "--param",
        "env.vars.RAILS_LOG_LEVEL=debug",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("FROM-ENV-FAKE"), "secret in plain text");
    // base64("x-api-key=FROM-ENV-FAKE")
    assert!(stdout.contains("eC1hcGkta2V5PUZST00tRU5WLUZBS0U="));
    insta::assert_snapshot!(stdout);
}

#[test]
fn template_overlay_errors() {
    let f = Fake::new();
    let base = [
        "template",
        "mastodon",
        "fixtures/charts/mastodon-classic",
        "--renderer",
        "helm",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        let out = f.tusk(&args);
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        assert_eq!(text(&out.stdout), "");
        text(&out.stderr)
    };
    let all = [
        run(&["--overlay", "nope"]),
        run(&["--param", "otel.endpoint=x"]),
        run(&["--overlay", "otel"]),
        run(&["--overlay", "otel", "--param", "image.tag=x"]),
        run(&[
            "--overlay",
            "otel",
            "--param",
            "otel.endpoint=x",
            "--param",
            "otel.headers=env:TUSK_UNSET_FOR_TEST",
        ]),
        run(&[
            "--overlay",
            "otel",
            "--param",
            "otel.endpoint=x",
            "--param",
            "otel.headers=key=LITERAL-VALUE",
        ]),
    ]
    .concat();
    assert!(!all.contains("LITERAL-VALUE"));
    insta::assert_snapshot!(all);
}

#[test]
fn overlays_list_and_show() {
    let f = Fake::new();
    let list = f.tusk(&["overlays", "list"]);
    assert!(list.status.success());
    let show = f.tusk(&["overlays", "show", "otel"]);
    assert!(show.status.success());
    let raw = f.tusk(&["overlays", "show", "image", "--raw"]);
    assert_eq!(
        text(&raw.stdout),
        std::fs::read_to_string(root().join("overlays/image.yaml")).unwrap()
    );
    insta::assert_snapshot!(format!("{}\n{}", text(&list.stdout), text(&show.stdout)));
}

#[test]
fn diff_raw_to_project_redacts_secrets() {
    let f = Fake::new();
    let out = f.tusk(&[
        "diff",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--color",
        "never",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("+  OTEL_EXPORTER_OTLP_HEADERS: <secret>"));
    assert!(!stdout.contains("eC1ob25leWNvbWItdGVhbT1GQUtF"));
    insta::assert_snapshot!(stdout);
    let colored = f.tusk(&[
        "diff",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--color",
        "always",
        "--exit-code",
    ]);
    assert_eq!(colored.status.code(), Some(1));
    assert!(text(&colored.stdout).contains("\x1b[32m+"));
}

#[test]
fn diff_between_charts_shows_match_changes() {
    let f = Fake::new();
    let out = f.tusk(&[
        "diff",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--from",
        "@project",
        "--to",
        "fixtures/charts/mastodon-next",
        "--color",
        "never",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let tail = &stdout[stdout
        .find("overlay matches changed:")
        .expect("match section")..];
    insta::assert_snapshot!(tail);
}

#[test]
fn build_next_example_project() {
    let f = Fake::new();
    let out = f.tusk(&["build", "-f", "examples/mastodon-next/tusk.yaml", "-v"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("value: mastodon-prod").count(), 2);
    assert_eq!(stdout.matches("name: RAILS_LOG_LEVEL").count(), 3);
    insta::assert_snapshot!(text(&out.stderr));
}

#[test]
fn diff_rejects_versions_for_local_charts_and_missing_paths() {
    let f = Fake::new();
    let v = f.tusk(&["diff", "-f", "examples/mastodon/tusk.yaml", "--to", "6.3.0"]);
    assert_eq!(v.status.code(), Some(1));
    let p = f.tusk(&[
        "diff",
        "-f",
        "examples/mastodon/tusk.yaml",
        "--to",
        "no/such/chart",
    ]);
    assert_eq!(p.status.code(), Some(1));
    insta::assert_snapshot!(format!("{}{}", text(&v.stderr), text(&p.stderr)));
}

#[test]
fn build_validates_by_default() {
    let f = Fake::new();
    let dir = tempfile::tempdir().unwrap();
    let p = project(
        dir.path(),
        "mastodon-classic",
        "  - name: image\n    params:\n      tag: latest\n      pullPolicy: IfNotPresent\n",
    );
    let p = p.to_str().unwrap();
    let out = f.tusk(&["build", "-f", p]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("image/latest-if-not-present"),
        "{}",
        text(&out.stderr)
    );

    let out = f.tusk(&["build", "-f", p, "--warnings-as-errors"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("Error: validation failed"), "{err}");
    assert!(err.contains("image/latest-if-not-present"), "{err}");
    assert!(out.stdout.is_empty(), "nothing is written on failure");

    let out = f.tusk(&["build", "-f", p, "--no-validate", "--warnings-as-errors"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn show_only_applies_after_overlays_like_helm_post_renderers() {
    // The image overlay expects web, sidekiq and streaming; --show-only must
    // not hide them from it (helm post-renders before --show-only).
    let f = Fake::new();
    let out = f.tusk(&[
        "template",
        "mastodon",
        "fixtures/charts/mastodon-classic",
        "--show-only",
        "templates/deployment-web.yaml",
        "--overlay",
        "image",
        "--param",
        "image.tag=v9.9.9",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    assert_eq!(got.matches("# Source:").count(), 1, "{got}");
    assert!(got.contains("# Source: mastodon/templates/deployment-web.yaml"));
    assert!(
        got.contains("image: ghcr.io/mastodon/mastodon:v9.9.9"),
        "{got}"
    );

    let out = f.tusk(&[
        "template",
        "mastodon",
        "fixtures/charts/mastodon-classic",
        "--show-only",
        "templates/nope.yaml",
        "--overlay",
        "image",
        "--param",
        "image.tag=v9.9.9",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error: could not find template templates/nope.yaml in chart\n"
    );
}

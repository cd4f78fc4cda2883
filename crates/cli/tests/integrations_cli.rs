//! `tusk post-render`, `tusk krm` and `tusk build` under Argo CD's build
//! environment, run as processes, offline: the input is real helm output
//! committed by scripts/oracle.d/overlay-inputs
//! (crates/overlay/tests/inputs/classic.yaml), and the helm backend is a
//! stand-in that replays it and logs its arguments. The same commands run
//! against the real helm, kustomize and Argo CD steps in
//! tests/integration/{helm-post-renderer,kustomize,argocd}.sh.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn classic() -> String {
    std::fs::read_to_string(root().join("crates/overlay/tests/inputs/classic.yaml")).unwrap()
}

fn run(args: &[&str], stdin: &str, env: &[(&str, &str)], dir: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tusk"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for v in ["ARGOCD_APP_NAME", "ARGOCD_APP_NAMESPACE", "KUBE_VERSION"] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A stand-in helm that prints classic.yaml and logs its arguments.
fn fake_helm(dir: &Path) -> PathBuf {
    let helm = dir.join("helm");
    std::fs::write(
        &helm,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\ncat '{}'\n",
            dir.join("helm.log").display(),
            root()
                .join("crates/overlay/tests/inputs/classic.yaml")
                .display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    helm
}

#[test]
fn post_render_without_overlays_is_the_identity() {
    let input = classic();
    let out = run(&["post-render"], &input, &[], &root());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), input);
}

#[test]
fn post_render_equals_template_with_the_same_overlays() {
    let dir = tempfile::tempdir().unwrap();
    let helm = fake_helm(dir.path());
    let overlay = [
        "--overlay",
        "image",
        "--param",
        "image.tag=v9.9.9",
        "--overlay",
        "env",
        "--param",
        "env.vars.RAILS_LOG_LEVEL=debug",
    ];
    let mut args = vec!["post-render"];
    args.extend(overlay);
    let post = run(&args, &classic(), &[], &root());
    assert!(post.status.success(), "{}", text(&post.stderr));
    let mut args = vec![
        "template",
        "mastodon",
        "fixtures/charts/mastodon-classic",
        "--renderer",
        "helm",
        "--helm-bin",
        helm.to_str().unwrap(),
    ];
    args.extend(overlay);
    let tmpl = run(&args, "", &[], &root());
    assert!(tmpl.status.success(), "{}", text(&tmpl.stderr));
    let got = text(&post.stdout);
    assert_eq!(got, text(&tmpl.stdout));
    assert!(got.contains("image: ghcr.io/mastodon/mastodon:v9.9.9"));
    assert!(got.contains("RAILS_LOG_LEVEL"));
}

#[test]
fn post_render_keeps_a_stream_without_source_comments_that_way() {
    // helm 4 hands post-renderers documents with a filename annotation and
    // no `# Source:` comments.
    let input = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: m-web\n  annotations:\n    postrenderer.helm.sh/postrender-filename: mastodon/templates/web.yaml\n  labels:\n    app.kubernetes.io/component: web\n    app.kubernetes.io/instance: m\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: web\n    spec:\n      containers:\n      - name: web\n        image: ghcr.io/mastodon/mastodon:v4.3.1\n";
    let out = run(
        &[
            "post-render",
            "--overlay",
            "image",
            "--param",
            "image.tag=v4.3.2",
            "--param",
            "image.components=web",
        ],
        input,
        &[],
        &root(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    assert!(!got.contains("# Source"), "{got}");
    assert!(
        got.contains("postrenderer.helm.sh/postrender-filename: mastodon/templates/web.yaml"),
        "{got}"
    );
    assert!(got.contains("mastodon:v4.3.2"), "{got}");
}

#[test]
fn post_render_failures_exit_1_with_one_message() {
    let out = run(
        &["post-render", "--overlay", "otel"],
        &classic(),
        &[],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).is_empty());
    let err = text(&out.stderr);
    assert!(
        err.starts_with("Error: overlay otel, parameter endpoint: is required"),
        "{err}"
    );
    let out = run(&["post-render", "--param", "a.b=c"], "", &[], &root());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--param needs --overlay"));
}

#[test]
fn post_render_with_a_project_uses_its_overlays_and_release() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tusk.yaml"),
        format!(
            "chart: {}\nrelease: mastodon\nallowLiteralSecrets: true\noverlays:\n  - name: env\n    params: {{secretVars: {{API_KEY: not-a-real-key}}, components: [web]}}\n",
            root().join("fixtures/charts/mastodon-classic").display()
        ),
    )
    .unwrap();
    let out = run(
        &["post-render", "-f", "tusk.yaml"],
        &classic(),
        &[],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    // The overlay's Secret is named after the project's release.
    assert!(
        got.contains("# Source: tusk-overlay/env/secret.yaml")
            || got.contains("name: mastodon-env-overlay"),
        "{got}"
    );
}

#[test]
fn krm_function_and_legacy_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let list = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: m-web\n    labels: {app.kubernetes.io/component: web}\n  spec:\n    template:\n      metadata:\n        labels: {app.kubernetes.io/component: web}\n      spec:\n        containers:\n        - {name: web, image: 'ghcr.io/mastodon/mastodon:v4.3.1'}\nfunctionConfig:\n  apiVersion: tusk.dev/v1alpha1\n  kind: TuskBuild\n  metadata: {name: t}\n  spec:\n    overlays:\n    - name: image\n      params: {tag: v4.3.2, components: [web]}\n";
    let out = run(&["krm"], list, &[], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    assert!(got.starts_with("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"));
    assert!(got.contains("ghcr.io/mastodon/mastodon:v4.3.2"), "{got}");

    let bad = list.replace("components: [web]", "components: [web, sidekiq]");
    let out = run(&["krm"], &bad, &[], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let got = text(&out.stdout);
    assert!(got.contains("severity: error"), "{got}");
    assert!(
        got.contains("v4.3.1"),
        "items pass through unchanged: {got}"
    );
    assert!(text(&out.stderr).contains("target \"sidekiq\": matched 0"));

    std::fs::write(
        dir.path().join("cfg.yaml"),
        "apiVersion: tusk.dev/v1alpha1\nkind: TuskBuild\nmetadata: {name: t}\nspec:\n  overlays:\n  - name: image\n    params: {tag: v4.3.2, components: [web]}\n",
    )
    .unwrap();
    let stream = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: m-web\n  labels: {app.kubernetes.io/component: web}\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: web\n    spec:\n      containers:\n      - {name: web, image: 'ghcr.io/mastodon/mastodon:v4.3.1'}\n";
    let out = run(&["krm", "cfg.yaml"], stream, &[], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("mastodon:v4.3.2"));
}

#[test]
fn build_under_argo_takes_release_and_namespace_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let helm = fake_helm(dir.path());
    let project = |extra: &str| {
        std::fs::write(
            dir.path().join("tusk.yaml"),
            format!(
                "{extra}chart: {}\nrenderer: helm\nhelmBin: {}\noutput: {{dir: out}}\n",
                root().join("fixtures/charts/mastodon-classic").display(),
                helm.display()
            ),
        )
        .unwrap();
    };
    let argo = [
        ("ARGOCD_APP_NAME", "social"),
        ("ARGOCD_APP_NAMESPACE", "fedi"),
        ("KUBE_VERSION", "1.31.0"),
        ("KUBE_API_VERSIONS", "v1,apps/v1,monitoring.coreos.com/v1"),
    ];
    project("");
    let out = run(&["build", "--no-validate"], "", &argo, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Under Argo the manifests go to stdout, whatever `output:` says.
    assert!(text(&out.stdout).starts_with("---\n# Source: "));
    assert!(!dir.path().join("out").exists());
    let log = std::fs::read_to_string(dir.path().join("helm.log")).unwrap();
    assert!(log.starts_with("template social "), "{log}");
    assert!(log.contains("--namespace fedi"), "{log}");
    assert!(log.contains("--kube-version 1.31.0"), "{log}");
    assert!(
        log.contains("--api-versions apps/v1 --api-versions monitoring.coreos.com/v1"),
        "{log}"
    );

    project("release: mastodon\nnamespace: social\n");
    std::fs::remove_file(dir.path().join("helm.log")).unwrap();
    let out = run(&["build", "--no-validate"], "", &argo, dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = std::fs::read_to_string(dir.path().join("helm.log")).unwrap();
    assert!(log.starts_with("template mastodon "), "{log}");
    assert!(log.contains("--namespace social"), "{log}");

    // Without Argo's variables nothing changes: output goes to the directory.
    let out = run(&["build", "--no-validate"], "", &[], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("out").is_dir());
}

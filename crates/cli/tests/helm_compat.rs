//! `--helm-compat` and `helmCompat:` reach the native renderer: the project
//! setting, the command-line override, and refusal of unknown versions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/charts/feature-helm4-values")
}

fn tusk(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tusk"))
        .args(args)
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .output()
        .expect("run tusk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn template_flag_selects_helm_4() {
    let dir = tempfile::tempdir().unwrap();
    let c = chart().display().to_string();
    let v3 = tusk(&["template", "r", &c], dir.path());
    assert!(v3.status.success());
    assert!(stdout(&v3).contains("helm: \"v3.17.2\""));
    let v4 = tusk(&["template", "r", &c, "--helm-compat", "4"], dir.path());
    assert!(v4.status.success());
    assert!(stdout(&v4).contains("helm: \"v4.1.4\""));
    assert!(stdout(&v4).contains("kube: \"v1.35.0\""));
    let bad = tusk(&["template", "r", &c, "--helm-compat", "5"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn project_setting_and_override() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("tusk.yaml");
    std::fs::write(
        &project,
        format!("chart: {}\nrelease: r\nhelmCompat: 4\n", chart().display()),
    )
    .unwrap();
    let build = |extra: &[&str]| {
        let mut a = vec!["build", "-f", "tusk.yaml", "--no-validate"];
        a.extend_from_slice(extra);
        tusk(&a, dir.path())
    };
    let v4 = build(&[]);
    assert!(
        v4.status.success(),
        "{}",
        String::from_utf8_lossy(&v4.stderr)
    );
    assert!(stdout(&v4).contains("helm: \"v4.1.4\""));
    let v3 = build(&["--helm-compat", "3"]);
    assert!(v3.status.success());
    assert!(stdout(&v3).contains("helm: \"v3.17.2\""));
}

//! Determinism: the same input gives byte-identical output, run after run
//! (CI diffs rendered manifests; any wobble is a false alarm).
//!
//! - every fixture chart under fixtures/charts/ rendered twice by
//!   `tusk template` (with `--seed`, so charts calling random functions
//!   are covered too): same exit code, stdout and stderr;
//! - every example project (examples/*/tusk.yaml) built twice with the
//!   native renderer: same exit code, stdout and stderr;
//! - tests/determinism/random (randAlphaNum, uuidv4, genCA's key): the same
//!   `--seed` repeats, another seed differs, and so does the project
//!   file's `seed` field.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tusk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tusk"))
        .args(args)
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .env("TUSK_CACHE_DIR", root().join("target/determinism-cache"))
        .output()
        .expect("run tusk")
}

fn same(what: &str, a: &Output, b: &Output) -> Option<String> {
    if a.status.code() != b.status.code() {
        return Some(format!("{what}: exit codes differ"));
    }
    if a.stdout != b.stdout {
        return Some(format!("{what}: stdout differs"));
    }
    if a.stderr != b.stderr {
        return Some(format!("{what}: stderr differs"));
    }
    None
}

#[test]
fn fixture_charts_render_identically_twice() {
    let charts = root().join("fixtures/charts");
    let mut entries: Vec<PathBuf> = fs::read_dir(&charts)
        .expect("fixtures/charts")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("Chart.yaml").is_file() || p.extension().is_some_and(|e| e == "tgz"))
        .collect();
    entries.sort();
    assert!(
        entries.len() > 20,
        "too few fixture charts: {}",
        entries.len()
    );
    let mut problems = Vec::new();
    let mut succeeded = 0;
    for chart in &entries {
        let c = chart.display().to_string();
        let args = ["template", "rel", &c, "--seed", "7", "--include-crds"];
        let (a, b) = (tusk(&root(), &args), tusk(&root(), &args));
        if a.status.code() == Some(0) {
            succeeded += 1;
        }
        assert_ne!(a.status.code(), Some(101), "{c} panicked");
        problems.extend(same(&c, &a, &b));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Most fixtures render; a run where everything fails proves nothing.
    assert!(succeeded > entries.len() / 2, "only {succeeded} rendered");
}

#[test]
fn example_projects_build_identically_twice() {
    let mut projects: Vec<PathBuf> = fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path().join("tusk.yaml"))
        .filter(|p| p.is_file())
        .collect();
    projects.sort();
    assert!(!projects.is_empty());
    let mut problems = Vec::new();
    for p in &projects {
        let f = p.display().to_string();
        let args = ["build", "-f", &f, "--renderer", "native", "--no-validate"];
        let (a, b) = (tusk(&root(), &args), tusk(&root(), &args));
        assert_ne!(a.status.code(), Some(101), "{f} panicked");
        problems.extend(same(&f, &a, &b));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn seed_repeats_random_functions() {
    let dir = root().join("tests/determinism");
    let run = |seed: &str| {
        let out = tusk(&dir, &["template", "rel", "random", "--seed", seed]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let (a, b, c) = (run("42"), run("42"), run("43"));
    assert!(a.contains("password: \"") && a.contains("BEGIN RSA PRIVATE KEY"));
    assert_eq!(a, b, "the same seed must repeat");
    for key in ["password:", "id:", "ca.key:"] {
        let line = |s: &str| {
            s.lines()
                .find(|l| l.trim_start().starts_with(key))
                .map(str::to_string)
        };
        assert_ne!(line(&a), line(&c), "{key} must change with the seed");
    }

    // The project file's `seed` field, and --seed overriding it.
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("tusk.yaml");
    fs::write(
        &project,
        format!(
            "chart: {}\nrelease: rel\nseed: 42\n",
            dir.join("random").display()
        ),
    )
    .expect("write project");
    let build = |extra: &[&str]| {
        let f = project.display().to_string();
        let mut args = vec!["build", "-f", &f, "--no-validate"];
        args.extend_from_slice(extra);
        let out = tusk(tmp.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert_eq!(build(&[]), a, "project seed 42 = --seed 42");
    assert_eq!(
        build(&["--seed", "43"]),
        c,
        "--seed overrides the project's"
    );
}

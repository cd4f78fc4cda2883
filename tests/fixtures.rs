//! The fidelity harness: every case under fixtures/cases/ is rendered by the
//! native renderer (`tusk template ... --renderer native`) and compared byte
//! for byte with the goldens the oracle (`scripts/oracle`) took from the real
//! helm 3.17.2: standard output, standard error and exit code.
//!
//! Cases the native renderer cannot do yet are listed in
//! tests/expected-failures.txt, the one visible place; a listed case that
//! starts passing fails this test until it is removed from the list, so the
//! list can only shrink.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Outcome {
    name: String,
    /// `None` when the native output matches the golden.
    mismatch: Option<String>,
}

/// Replaces every line matching one of the case's declared mask patterns.
fn mask(text: &str, patterns: &[regex::Regex]) -> String {
    if patterns.is_empty() {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            if patterns.iter().any(|p| p.is_match(line)) {
                if line.ends_with('\n') {
                    "<masked>\n"
                } else {
                    "<masked>"
                }
            } else {
                line
            }
        })
        .collect()
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}: expected {e:?}, got {a:?}", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {} lines",
        expected.lines().count(),
        actual.lines().count()
    )
}

/// The tree a `--output-dir out` case wrote, in the oracle's dump format,
/// removed afterwards so the case directory stays clean.
fn dump_output_dir(out: &Path) -> Option<String> {
    fn walk(base: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).expect("read output dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(base, &p, files);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                files.push((rel, fs::read(&p).expect("read output file")));
            }
        }
    }
    if !out.is_dir() {
        return None;
    }
    let mut files = Vec::new();
    walk(out, out, &mut files);
    files.sort();
    fs::remove_dir_all(out).expect("remove output dir");
    let mut text = String::new();
    for (rel, bytes) in files {
        text.push_str(&format!("==> {rel} <==\n"));
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    Some(text)
}

fn run_case(dir: &Path) -> Outcome {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let args: Vec<String> = fs::read_to_string(dir.join("args"))
        .expect("args file")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let patterns: Vec<regex::Regex> = fs::read_to_string(dir.join("mask"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| regex::Regex::new(l).expect("mask pattern"))
        .collect();
    let stdin = match fs::File::open(dir.join("stdin")) {
        Ok(f) => Stdio::from(f),
        Err(_) => Stdio::null(),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_tusk"))
        .arg("template")
        .args(&args)
        .args(["--renderer", "native"])
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .stdin(stdin)
        .output()
        .expect("run tusk");
    let golden = |ext: &str| {
        fs::read_to_string(dir.join(format!("helm3.{ext}"))).unwrap_or_else(|e| {
            panic!("{name}: golden helm3.{ext}: {e}; run scripts/oracle {name}")
        })
    };
    let files = dump_output_dir(&dir.join("out"));
    let code = out.status.code().unwrap_or(-1).to_string();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut mismatch = None;
    if golden("code").trim() != code {
        mismatch = Some(format!(
            "exit code {code}, helm {}; stderr: {}",
            golden("code").trim(),
            stderr.lines().next().unwrap_or("")
        ));
    } else {
        let mut parts = vec![
            ("stdout", stdout.to_string()),
            ("stderr", stderr.to_string()),
        ];
        if dir.join("helm3.files").exists() {
            parts.push(("files", files.unwrap_or_default()));
        }
        for (ext, actual) in &parts {
            let want = mask(&golden(ext), &patterns);
            let got = mask(actual, &patterns);
            if want != got {
                mismatch = Some(format!("{ext}: {}", first_difference(&want, &got)));
                break;
            }
        }
    }
    Outcome { name, mismatch }
}

#[test]
fn native_renderer_matches_helm_goldens() {
    let root = repo_root();
    let listed: BTreeSet<String> = fs::read_to_string(root.join("tests/expected-failures.txt"))
        .expect("tests/expected-failures.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with("bad_inputs/"))
        .map(str::to_string)
        .collect();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("fixtures/cases"))
        .expect("fixtures/cases")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("args").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixture cases found");

    let outcomes: Vec<Outcome> = dirs.iter().map(|d| run_case(d)).collect();
    let names: BTreeSet<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
    let passed = outcomes.iter().filter(|o| o.mismatch.is_none()).count();
    println!(
        "native renderer: {passed}/{} fixture cases match helm 3.17.2 byte for byte",
        outcomes.len()
    );

    let mut problems = Vec::new();
    for o in &outcomes {
        match (&o.mismatch, listed.contains(&o.name)) {
            (Some(why), false) => problems.push(format!("{}: differs from helm: {why}", o.name)),
            (None, true) => problems.push(format!(
                "{}: now matches helm; remove it from tests/expected-failures.txt",
                o.name
            )),
            (Some(why), true) => println!("expected failure {}: {why}", o.name),
            (None, false) => {}
        }
    }
    for l in &listed {
        if !names.contains(l.as_str()) {
            problems.push(format!(
                "{l}: listed in tests/expected-failures.txt but no such case"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! The fidelity harness: every case under fixtures/cases/ is rendered by the
//! native renderer (`tusk template ... --renderer native`) and compared byte
//! for byte with the goldens the oracle (`scripts/oracle`) took from the real
//! helm 3.17.2: standard output, standard error and exit code. A second pass
//! renders every case with `--helm-compat 4` and compares it with the
//! `helm4.*` goldens the oracle took from helm 4.1.4.
//!
//! Cases the native renderer cannot do yet are listed in
//! tests/expected-failures.txt (helm 3) and tests/expected-failures-helm4.txt
//! (helm 4), the visible places; a listed case that starts passing fails
//! this test until it is removed from the list, so the lists can only
//! shrink.

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

/// Which helm's goldens a pass compares with.
#[derive(Clone, Copy)]
struct Pass {
    /// Golden file prefix: `helm3` or `helm4`.
    prefix: &'static str,
    /// Extra `tusk template` arguments.
    args: &'static [&'static str],
    /// The expected-failures list, relative to the repository.
    list: &'static str,
    /// For the summary line.
    helm: &'static str,
}

const HELM3: Pass = Pass {
    prefix: "helm3",
    args: &[],
    list: "tests/expected-failures.txt",
    helm: "helm 3.17.2",
};

const HELM4: Pass = Pass {
    prefix: "helm4",
    args: &["--helm-compat", "4"],
    list: "tests/expected-failures-helm4.txt",
    helm: "helm 4.1.4",
};

/// The passes run as parallel tests but share each case's directory (an
/// `--output-dir out` case writes there), so one case runs at a time.
static CASE_DIR: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run_case(dir: &Path, pass: Pass) -> Outcome {
    let _guard = CASE_DIR.lock().unwrap_or_else(|e| e.into_inner());
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
        .args(pass.args)
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .stdin(stdin)
        .output()
        .expect("run tusk");
    let prefix = pass.prefix;
    let golden = |ext: &str| {
        fs::read_to_string(dir.join(format!("{prefix}.{ext}"))).unwrap_or_else(|e| {
            panic!("{name}: golden {prefix}.{ext}: {e}; run scripts/oracle {name}")
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
        if dir.join(format!("{prefix}.files")).exists() {
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
    check_pass(HELM3);
}

#[test]
fn native_renderer_matches_helm4_goldens() {
    check_pass(HELM4);
}

fn check_pass(pass: Pass) {
    let root = repo_root();
    let listed: BTreeSet<String> = fs::read_to_string(root.join(pass.list))
        .expect(pass.list)
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

    let outcomes: Vec<Outcome> = dirs.iter().map(|d| run_case(d, pass)).collect();
    let names: BTreeSet<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
    let passed = outcomes.iter().filter(|o| o.mismatch.is_none()).count();
    println!(
        "native renderer: {passed}/{} fixture cases match {} byte for byte",
        outcomes.len(),
        pass.helm
    );

    let mut problems = Vec::new();
    for o in &outcomes {
        match (&o.mismatch, listed.contains(&o.name)) {
            (Some(why), false) => {
                problems.push(format!("{}: differs from {}: {why}", o.name, pass.helm))
            }
            (None, true) => problems.push(format!(
                "{}: now matches {}; remove it from {}",
                o.name, pass.helm, pass.list
            )),
            (Some(why), true) => println!("expected failure {}: {why}", o.name),
            (None, false) => {}
        }
    }
    for l in &listed {
        if !names.contains(l.as_str()) {
            problems.push(format!("{l}: listed in {} but no such case", pass.list));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

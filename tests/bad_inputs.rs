//! The bad-input catalog: every case under tests/bad_inputs/ runs `tusk`
//! with input that must be refused, and must end with exit code 1, one
//! `Error: ` message naming the input (each line of the case's `expect`
//! file must appear in standard error), no panic, and nothing created.
//!
//! A case is a directory with `cmd` (one `tusk` argument per line, run in the
//! case directory) and `expect`. Cases the code cannot satisfy yet are listed
//! as `bad_inputs/NAME` in tests/expected-failures.txt.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn listing(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read case dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p);
        }
    }
    out
}

fn check(dir: &Path) -> Result<(), String> {
    let lines = |f: &str| -> Vec<String> {
        fs::read_to_string(dir.join(f))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let before = listing(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_tusk"))
        .args(lines("cmd"))
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .env("TUSK_CACHE_DIR", dir.join("cache"))
        .output()
        .map_err(|e| e.to_string())?;
    let after = listing(dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut why = Vec::new();
    if out.status.code() != Some(1) {
        why.push(format!("exit code {:?}, want 1", out.status.code()));
    }
    if !stderr.starts_with("Error: ") {
        why.push("stderr does not start with `Error: `".to_string());
    }
    if stderr.contains("panicked") {
        why.push("panicked".to_string());
    }
    for e in lines("expect") {
        if !stderr.contains(&e) {
            why.push(format!("stderr lacks {e:?}"));
        }
    }
    let created: Vec<_> = after.difference(&before).collect();
    if !created.is_empty() {
        why.push(format!("created {created:?}"));
        for p in created {
            let _ = fs::remove_dir_all(p).or_else(|_| fs::remove_file(p));
        }
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(format!("{}; stderr: {}", why.join(", "), stderr.trim_end()))
    }
}

#[test]
fn bad_inputs_fail_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let listed: BTreeSet<String> = fs::read_to_string(root.join("tests/expected-failures.txt"))
        .expect("tests/expected-failures.txt")
        .lines()
        .filter_map(|l| l.split('#').next()?.trim().strip_prefix("bad_inputs/"))
        .map(str::to_string)
        .collect();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("tests/bad_inputs"))
        .expect("tests/bad_inputs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("cmd").is_file())
        .collect();
    dirs.sort();
    let mut problems = Vec::new();
    let mut passed = 0;
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        match (check(d), listed.contains(&name)) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => problems.push(format!(
                "{name}: now passes; remove bad_inputs/{name} from tests/expected-failures.txt"
            )),
            (Err(why), false) => problems.push(format!("{name}: {why}")),
            (Err(why), true) => println!("expected failure bad_inputs/{name}: {why}"),
        }
    }
    println!("bad inputs: {passed}/{} cases refused cleanly", dirs.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

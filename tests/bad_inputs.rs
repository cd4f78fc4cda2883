//! The bad-input catalog: every case under tests/bad_inputs/ runs `tusk`
//! with input that must be refused, and must end with exit code 1, one
//! `Error: ` message naming the input (each line of the case's `expect`
//! file must appear in standard error; only helm's own log lines, such as
//! its symlink notice, may come before it), no panic, and nothing created.
//!
//! A case is a directory with:
//! - `cmd`: one `tusk` argument per line, run in the case directory;
//! - `expect`: lines standard error must contain;
//! - `env` (optional): `KEY=VALUE` lines added to the environment;
//! - `stdin` (optional): standard input (empty otherwise);
//! - `forbid` (optional): lines that must appear in neither output stream
//!   (secrets that must not be echoed);
//! - `setup` (optional): generator lines run by this harness before the
//!   command (see [`setup`]), for inputs too big or too odd to commit
//!   (decompression bombs, archives with `..` entries or links, deep
//!   nesting, oversized files, symlinks).
//!
//! The whole catalog is copied to `target/bad_inputs/` first (same depth
//! below the repository root, so `../../../fixtures` still resolves) and
//! each case runs in its copy: setup output never lands in the source
//! tree, and "nothing created" compares the copy after setup with the copy
//! after the run. Cases the code cannot satisfy yet are listed as
//! `bad_inputs/NAME` in tests/expected-failures.txt.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn listing(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read case dir") {
            let p = e.expect("entry").path();
            let meta = fs::symlink_metadata(&p).expect("metadata");
            if meta.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p);
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create copy");
    for e in fs::read_dir(from).expect("read catalog") {
        let e = e.expect("entry");
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().expect("type").is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).expect("copy case file");
        }
    }
}

/// A minimal valid chart, `c/...`, for the archive generators.
fn chart_entries() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "c/Chart.yaml".into(),
            b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec(),
        ),
        (
            "c/templates/cm.yaml".into(),
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n".to_vec(),
        ),
    ]
}

fn header(path: &str, size: u64, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    // set_path refuses `..` and absolute paths; write the raw name instead.
    let name = path.as_bytes();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(kind);
    h.set_cksum();
    h
}

/// Writes a gzipped tar of `entries` (plus `extra` raw headers) to `out`.
fn write_tgz(out: &Path, entries: &[(String, Vec<u8>)], extra: &[tar::Header]) {
    let f = fs::File::create(out).expect("create archive");
    let gz = flate2::write::GzEncoder::new(f, flate2::Compression::best());
    let mut b = tar::Builder::new(gz);
    for (path, data) in entries {
        b.append(
            &header(path, data.len() as u64, tar::EntryType::Regular),
            &data[..],
        )
        .expect("append");
    }
    for h in extra {
        b.append(h, std::io::empty()).expect("append link");
    }
    b.into_inner()
        .expect("finish tar")
        .finish()
        .expect("finish gzip");
}

/// Runs one `setup` line in the case copy `dir`:
/// - `bomb OUT`: a chart archive whose files expand past the 100 MiB chart limit;
/// - `bigentry OUT`: a chart archive with one 6 MiB file (file limit 5 MiB);
/// - `entry OUT RAWPATH`: a valid chart archive plus an entry named RAWPATH;
/// - `link-entry OUT symlink|hardlink`: a chart archive whose Chart.yaml is
///   a link to a valid copy inside the archive;
/// - `truncate PATH BYTES`: cuts a file short;
/// - `zeros PATH BYTES`: a file of BYTES `#` characters (a YAML comment);
/// - `deep-values PATH LEVELS`: `a: {a: {a: ... 1}}` nested LEVELS deep;
/// - `deep-template PATH LEVELS`: a template with LEVELS nested `{{if}}`s;
/// - `symlink PATH TARGET`: a symbolic link.
fn setup(dir: &Path, line: &str) {
    let w: Vec<&str> = line.split_whitespace().collect();
    // git keeps no empty directories: create the parent of what is written.
    let p = |i: usize| {
        let path = dir.join(w[i]);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent directory");
        }
        path
    };
    let n = |i: usize| -> usize { w[i].parse().expect("setup number") };
    match w[0] {
        "bomb" => {
            let mut e = chart_entries();
            let chunk = vec![b'#'; 5 * 1024 * 1024 - 1];
            for i in 0..21 {
                e.push((format!("c/files/z{i}"), chunk.clone()));
            }
            write_tgz(&p(1), &e, &[]);
        }
        "bigentry" => {
            let mut e = chart_entries();
            e.push(("c/files/big".into(), vec![b'#'; 6 * 1024 * 1024]));
            write_tgz(&p(1), &e, &[]);
        }
        "entry" => {
            let mut e = chart_entries();
            e.push((w[2].to_string(), b"kind: ConfigMap\n".to_vec()));
            write_tgz(&p(1), &e, &[]);
        }
        "link-entry" => {
            // Chart.yaml is a link to a valid copy: followed, the chart
            // would load; links carry no content, so it must not.
            let kind = match w[2] {
                "symlink" => tar::EntryType::Symlink,
                _ => tar::EntryType::Link,
            };
            let mut e = chart_entries();
            e[0].0 = "c/real.yaml".into();
            let mut h = header("c/Chart.yaml", 0, kind);
            h.set_link_name("real.yaml").expect("link name");
            h.set_cksum();
            write_tgz(&p(1), &e, &[h]);
        }
        "truncate" => {
            let f = fs::OpenOptions::new().write(true).open(p(1)).expect("open");
            f.set_len(n(2) as u64).expect("truncate");
        }
        "zeros" => fs::write(p(1), vec![b'#'; n(2)]).expect("write"),
        "deep-values" => {
            let levels = n(2);
            let mut s = "a: ".to_string();
            s.push_str(&"{a: ".repeat(levels));
            s.push('1');
            s.push_str(&"}".repeat(levels));
            s.push('\n');
            fs::write(p(1), s).expect("write");
        }
        "deep-template" => {
            let levels = n(2);
            let mut f = fs::File::create(p(1)).expect("create");
            write!(
                f,
                "{}x{}",
                "{{if true}}".repeat(levels),
                "{{end}}".repeat(levels)
            )
            .expect("write");
        }
        "symlink" => {
            #[cfg(unix)]
            std::os::unix::fs::symlink(w[2], p(1)).expect("symlink");
        }
        other => panic!("unknown setup step {other:?}"),
    }
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
    for l in lines("setup") {
        setup(dir, &l);
    }
    let before = listing(dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tusk"));
    cmd.args(lines("cmd"))
        .current_dir(dir)
        .env_remove("HELM_BIN")
        .env("TUSK_CACHE_DIR", dir.join("cache"));
    for l in lines("env") {
        let (k, v) = l.split_once('=').expect("env line KEY=VALUE");
        cmd.env(k, v);
    }
    let stdin = fs::read(dir.join("stdin")).unwrap_or_default();
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    if let Some(mut w) = child.stdin.take() {
        // A command that fails before reading closes the pipe early.
        let _ = w.write_all(&stdin);
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let after = listing(dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut why = Vec::new();
    if out.status.code() != Some(1) {
        why.push(format!("exit code {:?}, want 1", out.status.code()));
    }
    // One `Error: ` message; before it only the log lines helm itself
    // prints (symlink notices, warnings).
    let first_error = stderr.lines().position(|l| l.starts_with("Error: "));
    let helm_log =
        |l: &str| l.starts_with("walk.go:") || l.starts_with("WARNING") || l.contains("warning");
    match first_error {
        None => why.push("stderr has no `Error: ` line".to_string()),
        Some(i) if !stderr.lines().take(i).all(helm_log) => {
            why.push("stderr does not start with `Error: `".to_string())
        }
        Some(_) => {}
    }
    if stderr.lines().filter(|l| l.starts_with("Error: ")).count() > 1 {
        why.push("more than one `Error: ` line".to_string());
    }
    if stderr.contains("panicked") {
        why.push("panicked".to_string());
    }
    for e in lines("expect") {
        if !stderr.contains(&e) {
            why.push(format!("stderr lacks {e:?}"));
        }
    }
    for f in lines("forbid") {
        if stderr.contains(&f) || String::from_utf8_lossy(&out.stdout).contains(&f) {
            why.push(format!("output shows {f:?}"));
        }
    }
    let created: Vec<_> = after.difference(&before).collect();
    if !created.is_empty() {
        why.push(format!("created {created:?}"));
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
    // Same depth below the root as tests/bad_inputs.
    let copy = root.join("target/bad_inputs");
    let _ = fs::remove_dir_all(&copy);
    copy_tree(&root.join("tests/bad_inputs"), &copy);
    let only = std::env::var("BAD_INPUT").ok();
    let mut dirs: Vec<PathBuf> = fs::read_dir(&copy)
        .expect("target/bad_inputs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("cmd").is_file())
        .filter(|p| only.as_deref().is_none_or(|o| p.ends_with(o)))
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
    // The catalog only grows (issue #13 asks for at least 60 cases).
    if only.is_none() {
        assert!(dirs.len() >= 60, "only {} bad-input cases", dirs.len());
    }
    let _ = fs::remove_dir_all(&copy);
}

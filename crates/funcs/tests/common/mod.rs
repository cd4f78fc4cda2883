//! Helpers shared by the golden tests: locating fixtures and reading the
//! `NAME: base64` lines the funcs oracle writes.
#![allow(dead_code)]

pub mod eval;

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/funcs")
}

/// Reads a golden of `NAME: BASE64` lines (helm's output), decoding values.
pub fn read_golden(rel: &str) -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(
        !text.contains("=== exit"),
        "{rel}: helm failed while generating goldens:\n{text}"
    );
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with("---") || line.trim().is_empty() {
            continue;
        }
        let (k, v) = line.split_once(": ").unwrap_or_else(|| {
            line.split_once(':')
                .map(|(k, v)| (k, v.trim()))
                .unwrap_or((line, ""))
        });
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.trim())
            .unwrap_or_else(|e| panic!("{rel}: {k}: bad base64: {e}"));
        // Go strings may hold invalid UTF-8 (byte-sliced text): compare
        // lossily, as tusk's strings repair split sequences with U+FFFD.
        out.insert(k.to_string(), String::from_utf8_lossy(&bytes).into_owned());
    }
    out
}

/// Reads a `NAME<TAB>EXPR` cases file.
pub fn read_cases(rel: &str) -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (n, e) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{rel}: no tab in {l:?}"));
            (n.to_string(), e.to_string())
        })
        .collect()
}

/// Collects mismatches and fails with all of them at once.
#[derive(Default)]
pub struct Report {
    pub checked: usize,
    pub failures: Vec<String>,
    /// Case names expected to differ from helm.
    pub known: Vec<String>,
}

impl Report {
    pub fn check(&mut self, name: &str, got: &str, want: &str) {
        self.checked += 1;
        if let Some(known) = self
            .known
            .iter()
            .find(|k| name.contains(&format!("/{}:", k)))
        {
            if got == want {
                self.failures.push(format!(
                    "{name}: listed as a known divergence ({known}) but now matches helm"
                ));
            }
            return;
        }
        if got != want {
            self.failures
                .push(format!("{name}:\n  got:  {got:?}\n  want: {want:?}"));
        }
    }
    pub fn finish(self, min: usize) {
        assert!(
            self.checked >= min,
            "only {} cases checked, expected at least {min}",
            self.checked
        );
        assert!(
            self.failures.is_empty(),
            "{} of {} cases differ from helm:\n{}",
            self.failures.len(),
            self.checked,
            self.failures.join("\n")
        );
    }
}

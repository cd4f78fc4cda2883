//! The catalog of invalid manifests: every file in `catalog/` declares the
//! rules it must trigger (`# expect: a, b`) and optionally a target version
//! (`# kube-version: 1.29`) and chart values (`NAME.values`). The test checks
//! that exactly the declared rules fire, and snapshots the full report so
//! messages, paths and lines are reviewed too.

use std::collections::BTreeSet;
use std::path::Path;

use tusk_validate::{Format, KubeVersion, Options, format_report, parse_values, validate_stream};

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| {
            l.strip_prefix('#')
                .map(str::trim)
                .and_then(|l| l.strip_prefix(key))
        })
        .map(str::trim)
}

fn run(path: &Path) -> (BTreeSet<String>, BTreeSet<String>, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let expected: BTreeSet<String> = header(&text, "expect:")
        .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()))
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let mut opts = Options::default();
    if let Some(v) = header(&text, "kube-version:") {
        opts.kube_version = KubeVersion::parse(v).unwrap();
    }
    let values = path.with_extension("values");
    if values.exists() {
        opts.values = Some(parse_values(&std::fs::read_to_string(values).unwrap()).unwrap());
    }
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let report = validate_stream(&text, Some(&name), &opts);
    for f in &report.findings {
        let r = tusk_validate::rules::lookup(f.rule);
        assert_eq!(r.id, f.rule, "rule {} is not in the catalog", f.rule);
        assert_eq!(r.severity, f.severity, "{}", f.rule);
    }
    let got: BTreeSet<String> = report.findings.iter().map(|f| f.rule.to_string()).collect();
    (expected, got, format_report(&report, Format::Human))
}

#[test]
fn catalog_findings_match_expectations() {
    insta::glob!("catalog/*.yaml", |path| {
        let (expected, got, human) = run(path);
        assert_eq!(got, expected, "{}:\n{human}", path.display());
        insta::assert_snapshot!(human);
    });
}

#[test]
fn catalog_is_large_enough() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalog");
    let n = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "yaml")
        })
        .count();
    assert!(n >= 40, "only {n} catalog entries");
}

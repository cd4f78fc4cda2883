//! Every function family against helm 3.17.2: fixtures/funcs/cases/*.cases
//! hold `NAME<TAB>PIPELINE` lines; scripts/oracle.d/funcs renders each as
//! `{{ PIPELINE | toString | b64enc }}` with helm, and here the same
//! pipeline runs through our functions (a small pipeline evaluator stands
//! in for the template engine). `*.errors` cases must fail with helm's
//! message.

mod common;

/// Cases where tusk knowingly differs from helm (see COMPATIBILITY.md):
/// they must still differ, so a fix is noticed.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[
    (
        "duration_int",
        "Value::Int cannot tell Go's int from int64; duration treats it as int64",
    ),
    (
        "aes_len",
        "Go strings hold arbitrary bytes; b64dec of binary data is lossily made UTF-8 here",
    ),
    (
        "fromToml_err",
        "TOML parse errors are worded by the toml crate, not BurntSushi/toml",
    ),
];

use base64::Engine;
use common::eval::Eval;
use common::{Report, fixtures, read_cases, read_golden};
use tusk_funcs::{Options, gostr, register_with, yaml};
use tusk_template::{FuncError, FuncMap};

fn setup() -> (FuncMap, tusk_template::Value) {
    let mut fm = FuncMap::new();
    register_with(
        &mut fm,
        Options {
            seed: Some(1),
            ..Options::default()
        },
    );
    let text = std::fs::read_to_string(fixtures().join("cases/values.yaml")).unwrap();
    let values = yaml::parse_values(&text).unwrap();
    let root = tusk_template::Map::new();
    root.insert("Values", values);
    (fm, tusk_template::Value::Map(root))
}

fn families(ext: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(fixtures().join("cases"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .map(|n| n.trim_end_matches(ext).to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn functions_match_helm() {
    let (fm, root) = setup();
    let ev = Eval {
        funcs: &fm,
        dot: root,
    };
    let mut r = Report {
        known: KNOWN_DIVERGENCES.iter().map(|k| k.0.to_string()).collect(),
        ..Report::default()
    };
    // engine-* families use methods (`.Files.Get`) only the real engine
    // evaluates; tests/engine.rs covers them.
    for fam in families(".cases")
        .into_iter()
        .filter(|f| !f.starts_with("engine-"))
    {
        let golden = read_golden(&format!("cases/{fam}.golden"));
        for (name, expr) in read_cases(&format!("cases/{fam}.cases")) {
            let want = golden
                .get(&name)
                .unwrap_or_else(|| panic!("{fam}: no golden for {name}"));
            let got = match ev.eval(&expr) {
                Ok(v) => gostr::strval(&v),
                Err(e) => format!("ERROR: {e}"),
            };
            r.check(&format!("{fam}/{name}: {expr}"), &got, want);
        }
    }
    r.finish(100);
}

/// The message helm printed, reduced to the function's own error text.
fn helm_message(stderr: &str) -> String {
    let line = stderr.trim_end_matches('\n');
    let line = line
        .strip_suffix("\n\nUse --debug flag to render out invalid YAML")
        .unwrap_or(line);
    let line = line.strip_prefix("Error: ").unwrap_or(line);
    line.to_string()
}

#[test]
fn errors_match_helm() {
    let (fm, root) = setup();
    let ev = Eval {
        funcs: &fm,
        dot: root,
    };
    let mut r = Report::default();
    for fam in families(".errors")
        .into_iter()
        .filter(|f| !f.starts_with("engine-"))
    {
        let text =
            std::fs::read_to_string(fixtures().join(format!("cases/{fam}.errors.golden"))).unwrap();
        let golden: std::collections::BTreeMap<String, String> = text
            .lines()
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| {
                let b = base64::engine::general_purpose::STANDARD.decode(v).unwrap();
                (k.to_string(), String::from_utf8(b).unwrap())
            })
            .collect();
        for (name, expr) in read_cases(&format!("cases/{fam}.errors")) {
            let want = helm_message(&golden[&name]);
            let got = match ev.eval(&expr) {
                Ok(v) => format!("no error, got {:?}", gostr::strval(&v)),
                Err(e) => {
                    let msg = e.to_string();
                    // required/fail: helm cuts the wrapped message out.
                    if let Some(inner) = msg
                        .strip_prefix("HELM_ERR_START")
                        .and_then(|m| m.strip_suffix("HELM_ERR_END"))
                    {
                        format!("execution error at (t/templates/cases.yaml:1:3): {inner}")
                    } else {
                        match e {
                            FuncError::BadArgs(m) => m,
                            _ => format!(
                                "error calling {}: {msg}",
                                expr.split_whitespace().next().unwrap_or("")
                            ),
                        }
                    }
                }
            };
            // helm's message carries the template location first; ours is
            // the function's part, which must end helm's message.
            r.checked += 1;
            if !want.ends_with(&got) {
                r.failures.push(format!(
                    "{fam}/{name}: {expr}\n  got:  {got:?}\n  want: {want:?}"
                ));
            }
        }
    }
    r.finish(10);
}

//! End to end through the real template engine (tusk-template): the same
//! templates the oracle rendered with helm 3.17.2 are rendered here and
//! compared with helm's output, including error messages.

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

use std::collections::BTreeMap;

use base64::Engine;
use common::{Report, fixtures, read_cases, read_golden};
use tusk_funcs::{Options, register_with, yaml};
use tusk_template::{FuncMap, Map, Templates, Value};

const NAME: &str = "t/templates/cases.yaml";

fn funcs() -> FuncMap {
    let mut fm = FuncMap::new();
    register_with(
        &mut fm,
        Options {
            seed: Some(1),
            ..Options::default()
        },
    );
    fm
}

/// `.Files` as helm builds it for the oracle chart (fixtures/funcs/cases/files
/// copied to `files/`).
fn chart_files() -> tusk_funcs::files::Files {
    fn walk(dir: &std::path::Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let name = format!("{rel}/{}", e.file_name().to_string_lossy());
            if e.path().is_dir() {
                walk(&e.path(), &name, out);
            } else {
                out.push((name, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut v = Vec::new();
    walk(&fixtures().join("cases/files"), "files", &mut v);
    tusk_funcs::files::Files::new(v)
}

fn root(values: Value) -> Value {
    let root = Map::new();
    root.insert("Values", values);
    root.insert("Files", chart_files().into_value());
    let t = Map::new();
    t.insert("Name", Value::from(NAME));
    t.insert("BasePath", Value::from("t/templates"));
    root.insert("Template", Value::Map(t));
    Value::Map(root)
}

fn render(text: &str, data: &Value) -> Result<String, String> {
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(tusk_template::Options::helm());
    let helpers = std::fs::read_to_string(fixtures().join("cases/_helpers.tpl")).unwrap();
    set.parse("t/templates/_helpers.tpl", &helpers)
        .map_err(|e| e.to_string())?;
    set.parse(NAME, text).map_err(|e| e.to_string())?;
    set.execute(NAME, data)
        .map(|s| s.replace("<no value>", ""))
        .map_err(|e| e.to_string())
}

/// helm's cleanupExecError for messages wrapped by `fail`/`required`.
fn cleanup(err: &str) -> String {
    if let (Some(a), Some(b)) = (err.find("HELM_ERR_START"), err.rfind("HELM_ERR_END")) {
        let loc = err.split(": ").nth(1).unwrap_or("");
        return format!(
            "execution error at ({loc}): {}",
            &err[a + "HELM_ERR_START".len()..b]
        );
    }
    err.to_string()
}

fn lines_to_map(out: &str) -> BTreeMap<String, String> {
    out.lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| {
            let b = base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .unwrap_or_default();
            (k.to_string(), String::from_utf8_lossy(&b).into_owned())
        })
        .collect()
}

fn case_values() -> Value {
    yaml::parse_values(&std::fs::read_to_string(fixtures().join("cases/values.yaml")).unwrap())
        .unwrap()
}

#[test]
fn case_files_render_like_helm() {
    let data = root(case_values());
    let mut r = Report {
        known: KNOWN_DIVERGENCES.iter().map(|k| k.0.to_string()).collect(),
        ..Report::default()
    };
    let dir = std::fs::read_dir(fixtures().join("cases")).unwrap();
    let mut fams: Vec<String> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cases"))
        .collect();
    fams.sort();
    for f in fams {
        let fam = f.trim_end_matches(".cases");
        let cases = read_cases(&format!("cases/{f}"));
        let text: String = cases
            .iter()
            .map(|(n, e)| format!("{n}: {{{{ {e} | toString | b64enc }}}}\n"))
            .collect();
        let golden = read_golden(&format!("cases/{fam}.golden"));
        match render(&text, &data) {
            Ok(out) => {
                let got = lines_to_map(&out);
                for (n, e) in &cases {
                    r.check(
                        &format!("{fam}/{n}: {e}"),
                        got.get(n).map(String::as_str).unwrap_or("<missing>"),
                        &golden[n],
                    );
                }
            }
            Err(e) => r.failures.push(format!("{fam}: render failed: {e}")),
        }
    }
    r.finish(380);
}

/// Error cases whose message matches but whose reported node differs
/// (see the comment at the use site).
const ARG_NODE_DIFFS: &[&str] = &["repeat_float", "trim_args", "get_notmap", "tpl_notstr"];

#[test]
fn error_cases_fail_like_helm() {
    let data = root(case_values());
    let mut r = Report::default();
    let mut cases = Vec::new();
    for fam in ["all", "engine-tpl"] {
        for (n, e) in read_cases(&format!("cases/{fam}.errors")) {
            cases.push((fam, n, e));
        }
    }
    for (fam, n, e) in cases {
        let text =
            std::fs::read_to_string(fixtures().join(format!("cases/{fam}.errors.golden"))).unwrap();
        let want = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{n}: ")))
            .map(|b| {
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap())
                    .unwrap()
            })
            .unwrap();
        let want = want.trim_end().trim_start_matches("Error: ");
        let want = want
            .strip_suffix("\n\nUse --debug flag to render out invalid YAML")
            .unwrap_or(want);
        let got = match render(&format!("{{{{ {e} }}}}\n"), &data) {
            Ok(out) => format!("no error: {out:?}"),
            Err(err) => cleanup(&err),
        };
        if ARG_NODE_DIFFS.contains(&n.as_str()) {
            // Known engine gap: FuncError::BadArgs carries no argument
            // index, so the engine cannot point at the offending node the
            // way Go does. The message after the node must still match,
            // and the location must still differ (so a fix is noticed).
            let tail = |m: &str| {
                m.split_once(">: ")
                    .map(|x| x.1.to_string())
                    .unwrap_or_default()
            };
            r.check(&format!("{n} (message)"), &tail(&got), &tail(want));
            r.checked += 1;
            if got == want {
                r.failures.push(format!(
                    "{n}: now matches helm exactly; remove it from ARG_NODE_DIFFS"
                ));
            }
            continue;
        }
        r.check(&format!("{n}: {e}"), &got, want);
    }
    r.finish(20);
}

#[test]
fn chart_suites_render_like_helm() {
    let mut r = Report::default();
    for suite in [
        "toyaml",
        "fromyaml",
        "toyamlpretty",
        "fuzzyaml",
        "fuzzparse",
        "fuzzstrings",
        "fuzzmath",
        "fuzzdates",
        "fuzzsemver",
        "fuzzdicts",
    ] {
        let dir = fixtures().join(suite);
        let values =
            yaml::parse_values(&std::fs::read_to_string(dir.join("values.yaml")).unwrap()).unwrap();
        let text = std::fs::read_to_string(dir.join("templates/cases.yaml")).unwrap();
        let out = render(&text, &root(values)).unwrap_or_else(|e| panic!("{suite}: {e}"));
        let golden = read_golden(&format!("{suite}.golden"));
        let got = lines_to_map(&out);
        assert_eq!(got.len(), golden.len(), "{suite}: line count");
        for (k, want) in &golden {
            r.check(
                &format!("{suite}/{k}"),
                got.get(k).map(String::as_str).unwrap_or("<missing>"),
                want,
            );
        }
    }
    r.finish(13400);
}

#[test]
fn include_and_tpl() {
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(tusk_template::Options::helm());
    set.parse(
        "t/templates/_h.tpl",
        r#"{{ define "h" }}[{{ . }}]{{ end }}"#,
    )
    .unwrap();
    set.parse(
        NAME,
        r#"{{ include "h" "x" | upper }} {{ tpl "{{ .a }}-{{ .missing }}" (dict "a" 1) }}"#,
    )
    .unwrap();
    assert_eq!(set.execute(NAME, &Value::Nil).unwrap(), "[X] 1-");
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(tusk_template::Options::helm());
    set.parse(NAME, r#"{{ tpl "{{ fail \"x\" }}" . }}"#)
        .unwrap();
    let err = set.execute(NAME, &Value::Nil).unwrap_err().to_string();
    assert!(err.contains("error calling tpl: error during tpl function execution for \"{{ fail \\\"x\\\" }}\": template: gotpl:1:3"), "{err}");
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(tusk_template::Options::helm());
    set.parse(NAME, r#"{{ tpl "{{ nope }}" . }}"#).unwrap();
    let err = set.execute(NAME, &Value::Nil).unwrap_err().to_string();
    assert!(err.contains("error calling tpl: cannot parse template \"{{ nope }}\": template: gotpl:1: function \"nope\" not defined"), "{err}");
}

/// A whole chart using `.Files` the way charts do (range over Glob, Lines,
/// AsConfig, AsSecrets, GetBytes) plus printed semver and time objects,
/// compared with `helm template` (fixtures/funcs/filesrange.golden).
#[test]
fn files_chart_renders_like_helm() {
    let dir = fixtures().join("filesrange");
    let mut files = Vec::new();
    for sub in ["conf", "data"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap().flatten() {
            files.push((
                format!("{sub}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    let root = Map::new();
    root.insert(
        "Values",
        yaml::parse_values(&std::fs::read_to_string(dir.join("values.yaml")).unwrap()).unwrap(),
    );
    root.insert("Files", tusk_funcs::files::Files::new(files).into_value());
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(tusk_template::Options::helm());
    let text = std::fs::read_to_string(dir.join("templates/cases.yaml")).unwrap();
    set.parse("filesrange/templates/cases.yaml", &text).unwrap();
    let out = set
        .execute("filesrange/templates/cases.yaml", &Value::Map(root))
        .unwrap();
    let golden = std::fs::read_to_string(fixtures().join("filesrange.golden")).unwrap();
    let body = golden.splitn(3, '\n').nth(2).unwrap();
    assert_eq!(out.trim_end(), body.trim_end());
}

//! Differential tests: every case in fixtures/template/cases/*.txt runs
//! through this engine and must reproduce, byte for byte, what the real
//! helm 3.17.2 produced (fixtures/template/golden/*.json, written by
//! scripts/oracle.d/template).

use std::collections::BTreeMap;
use std::path::PathBuf;

use tusk_template::gofmt::quote;
use tusk_template::{
    Error, FuncError, FuncMap, Map, Options, ParamType, Signature, Templates, TextError, Value,
};

struct Case {
    name: String,
    values: String,
    template: String,
}

fn parse_cases(text: &str) -> Vec<Case> {
    struct Raw {
        name: String,
        values: Vec<String>,
        template: Vec<String>,
    }
    let mut raw: Vec<Raw> = Vec::new();
    let mut section: Option<&str> = None;
    for line in text.split('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            raw.push(Raw {
                name: name.trim().to_string(),
                values: vec![],
                template: vec![],
            });
            section = None;
        } else if line == "--- values" || line == "--- template" {
            section = Some(if line.ends_with("values") {
                "values"
            } else {
                "template"
            });
        } else if let (Some(cur), Some(sec)) = (raw.last_mut(), section) {
            if sec == "values" {
                cur.values.push(line.to_string());
            } else {
                cur.template.push(line.to_string());
            }
        }
    }
    let mut defaults = "{}".to_string();
    let mut out = Vec::new();
    for r in raw {
        let values = r.values.join("\n").trim().to_string();
        if r.name == "@defaults" {
            defaults = if values.is_empty() {
                "{}".into()
            } else {
                values
            };
            continue;
        }
        let mut t = r.template.join("\n");
        if t.ends_with('\n') {
            t.pop();
        }
        out.push(Case {
            name: r.name,
            values: if values.is_empty() {
                defaults.clone()
            } else {
                values
            },
            template: t,
        });
    }
    out
}

/// YAML → Value with helm's typing: every number is a float64.
fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k.clone(), to_value(v));
            }
            Value::Map(m)
        }
    }
}

const FILE: &str = "c/templates/_case.tpl";

/// helm 3.17.2's `include` and `tpl`, written against the CallContext the
/// way tusk-funcs is expected to (only the behaviour the cases need).
fn helm_funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.register("include", |ctx, args| {
        let [name, data] = args else {
            return Err(FuncError::BadArgs(format!(
                "wrong number of args for include: want 2 got {}",
                args.len()
            )));
        };
        let name = name.as_str().unwrap_or_default().to_string();
        ctx.execute_template(&name, data).map(Value::from)
    });
    // A few sprig functions with typed Go parameters, to check the
    // executor's Go argument conversion against helm (typedargs.txt).
    let s1 = |v: &Value| v.as_str().unwrap_or_default().to_string();
    f.register_typed(
        "upper",
        Signature::fixed(&[ParamType::String]),
        move |_c, a| Ok(Value::from(s1(&a[0]).to_uppercase())),
    );
    f.register_typed(
        "repeat",
        Signature::fixed(&[ParamType::Int, ParamType::String]),
        move |_c, a| {
            let n = if let Value::Int(n) = a[0] {
                n.max(0) as usize
            } else {
                0
            };
            Ok(Value::from(s1(&a[1]).repeat(n)))
        },
    );
    f.register_typed(
        "indent",
        Signature::fixed(&[ParamType::Int, ParamType::String]),
        move |_c, a| {
            let n = if let Value::Int(n) = a[0] {
                n.max(0) as usize
            } else {
                0
            };
            let pad = " ".repeat(n);
            Ok(Value::from(format!(
                "{pad}{}",
                s1(&a[1]).replace('\n', &format!("\n{pad}"))
            )))
        },
    );
    f.register("tpl", |ctx, args| {
        let [text, vals] = args else {
            return Err(FuncError::BadArgs(format!(
                "wrong number of args for tpl: want 2 got {}",
                args.len()
            )));
        };
        let text = text.as_str().unwrap_or_default().to_string();
        match ctx.execute_text_split(&text, vals) {
            Ok(s) => Ok(Value::from(s.replace("<no value>", ""))),
            Err(TextError::Parse(m)) => Err(FuncError::Failed(format!(
                "cannot parse template {}: {m}",
                quote(&text)
            ))),
            Err(TextError::Exec(FuncError::Failed(m))) => Err(FuncError::Failed(format!(
                "error during tpl function execution for {}: {m}",
                quote(&text)
            ))),
            Err(TextError::Exec(other)) => Err(other),
            Err(other) => Err(FuncError::Failed(other.to_string())),
        }
    });
    f
}

/// helm's cleanupParseError.
fn clean_parse_error(msg: &str) -> String {
    let tokens: Vec<&str> = msg.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({FILE}): {msg}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

fn run_case(case: &Case) -> (String, String) {
    let yaml: serde_json::Value = yaml_serde::from_str(&case.values).expect("case values");
    let values = to_value(&yaml);
    let root = Map::new();
    root.insert("Values", values);
    let tmpl = Map::new();
    tmpl.insert("Name", Value::str("c/templates/out.yaml"));
    tmpl.insert("BasePath", Value::str("c/templates"));
    root.insert("Template", Value::Map(tmpl));
    let mut set = Templates::new(helm_funcs())
        .with_name("gotpl")
        .with_options(Options::helm());
    if let Err(e) = set.parse(FILE, &case.template) {
        return ("parse".into(), clean_parse_error(&e.to_string()));
    }
    match set.execute(FILE, &Value::Map(root)) {
        Ok(s) => ("ok".into(), s),
        Err(e @ Error::Exec(_)) => ("exec".into(), e.to_string()),
        Err(e) => ("error".into(), e.to_string()),
    }
}

#[test]
fn goldens_match_helm() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/template");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("cases dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut total = 0;
    let mut failures = Vec::new();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let cases = parse_cases(&std::fs::read_to_string(&f).unwrap());
        let golden: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(root.join("golden").join(format!("{stem}.json")))
                .expect("golden file; run scripts/oracle.d/template"),
        )
        .unwrap();
        for case in &cases {
            total += 1;
            let Some(g) = golden.get(&case.name) else {
                failures.push(format!("{stem}/{}: no golden", case.name));
                continue;
            };
            let want_kind = g["kind"].as_str().unwrap_or_default();
            let want_out = g["out"].as_str().unwrap_or_default();
            let (kind, out) = run_case(case);
            if kind != want_kind || out != want_out {
                failures.push(format!(
                    "{stem}/{}:\n  template: {:?}\n  helm: [{want_kind}] {want_out:?}\n  tusk: [{kind}] {out:?}",
                    case.name, case.template
                ));
            }
        }
    }
    assert!(total >= 300, "only {total} cases");
    if !failures.is_empty() {
        panic!(
            "{} of {total} cases differ from helm:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

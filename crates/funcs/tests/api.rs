//! The public API other crates use: the JSON-to-YAML emitter in both key
//! orders, helm's values reading, and the fixed clock and seed options.

use std::time::{Duration, UNIX_EPOCH};

use tusk_funcs::{Options, register_with, yaml};
use tusk_template::{FuncMap, Templates, Value};

#[test]
fn emit_json_keeps_or_sorts_key_order() {
    let v: serde_json::Value =
        serde_json::from_str(r#"{"kind":"Deployment","apiVersion":"apps/v1","spec":{"replicas":2,"b10":1,"b9":2},"list":["yes",1.5,null]}"#)
            .unwrap();
    assert_eq!(
        yaml::emit_json(&v, false),
        "kind: Deployment\napiVersion: apps/v1\nspec:\n  replicas: 2\n  b10: 1\n  b9: 2\nlist:\n- \"yes\"\n- 1.5\n- null\n"
    );
    assert_eq!(
        yaml::emit_json(&v, true),
        "apiVersion: apps/v1\nkind: Deployment\nlist:\n- \"yes\"\n- 1.5\n- null\nspec:\n  b9: 2\n  b10: 1\n  replicas: 2\n"
    );
}

#[test]
fn try_emit_json_fails_where_go_yaml_cannot_read_back() {
    let v = serde_json::json!({ "a": "x\u{7f}y" });
    let err = yaml::try_emit_json(&v, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error converting YAML to JSON: yaml: control characters are not allowed"
    );
}

#[test]
fn values_files_read_like_helm() {
    let m = yaml::parse_map(
        "replicaCount: 1\nimage:\n  tag: 1.25\non: yes\n",
        "map[string]interface {}",
    )
    .unwrap();
    assert!(matches!(m.get("replicaCount"), Some(Value::Float(f)) if f == 1.0));
    assert!(matches!(m.get("true"), Some(Value::Bool(true))));
    let err = yaml::parse_map("- a\n", "map[string]interface {}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert!(yaml::parse_map("", "x").unwrap().is_empty());
    let err = yaml::parse_values("a: b: c\n").unwrap_err();
    assert!(matches!(err, yaml::YamlError::Syntax { .. }));
}

fn render(opts: Options, text: &str) -> String {
    let mut fm = FuncMap::new();
    register_with(&mut fm, opts);
    let mut set = Templates::new(fm).with_options(tusk_template::Options::helm());
    set.parse("t", text).unwrap();
    set.execute("t", &Value::Nil).unwrap()
}

#[test]
fn fixed_clock_and_zone() {
    let opts = Options {
        now: Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
        local_zone: Some("Europe/Berlin".into()),
        ..Options::default()
    };
    assert_eq!(
        render(
            opts.clone(),
            r#"{{ now | date "2006-01-02 15:04 MST" }} {{ now | unixEpoch }} {{ toDate "2006-01-02" "2023-11-13" | ago }}"#
        ),
        "2023-11-14 23:13 CET 1700000000 47h13m20s"
    );
}

#[test]
fn seeds_differ_and_repeat() {
    let t = "{{ randAlphaNum 20 }}";
    let a = render(
        Options {
            seed: Some(1),
            ..Options::default()
        },
        t,
    );
    let b = render(
        Options {
            seed: Some(2),
            ..Options::default()
        },
        t,
    );
    assert_eq!(
        a,
        render(
            Options {
                seed: Some(1),
                ..Options::default()
            },
            t
        )
    );
    assert_ne!(a, b);
    assert_eq!(a.len(), 20);
}

//! Clones of a template set share what was parsed before and keep what is
//! parsed after to themselves (helm's `tpl` clones the set at every call).

use tusk_template::{FuncMap, Templates, Value};

fn run(set: &Templates, name: &str) -> String {
    set.execute(name, &Value::Nil)
        .unwrap_or_else(|e| format!("error: {e}"))
}

#[test]
fn clones_are_independent() {
    let mut base = Templates::new(FuncMap::new());
    base.parse("a", r#"{{ define "x" }}base-x{{ end }}A{{ template "x" }}"#)
        .unwrap();
    let mut fork = base.clone();
    fork.parse("b", r#"{{ define "x" }}fork-x{{ end }}B{{ template "x" }}"#)
        .unwrap();
    // The fork sees its own definition, also from the shared template.
    assert_eq!(run(&fork, "a"), "Afork-x");
    assert_eq!(run(&fork, "b"), "Bfork-x");
    // The original is untouched.
    assert_eq!(run(&base, "a"), "Abase-x");
    assert!(!base.contains("b"));
    assert_eq!(base.names(), vec!["a", "x"]);
    assert_eq!(fork.names(), vec!["a", "b", "x"]);
    // Parsing into the original after the clone does not reach the fork.
    base.parse("c", "C").unwrap();
    assert!(base.contains("c") && !fork.contains("c"));
    assert_eq!(run(&base, "c"), "C");
}

#[test]
fn empty_definitions_never_replace_shared_ones() {
    let mut base = Templates::new(FuncMap::new());
    base.parse("h", r#"{{ define "x" }}full{{ end }}"#).unwrap();
    let mut fork = base.clone();
    fork.parse("t", r#"{{ define "x" }} {{ end }}{{ template "x" }}"#)
        .unwrap();
    assert_eq!(run(&fork, "t"), "full");
}

#[test]
fn removal_in_a_clone() {
    let mut base = Templates::new(FuncMap::new());
    base.parse("a", "A").unwrap();
    let mut fork = base.clone();
    fork.parse("a", "local A").unwrap();
    assert_eq!(run(&fork, "a"), "local A");
    assert!(fork.remove("a"));
    assert!(!fork.contains("a"));
    assert!(!fork.remove("a"));
    assert_eq!(run(&base, "a"), "A");
}

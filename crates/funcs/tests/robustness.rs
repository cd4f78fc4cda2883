//! No function panics on any argument list: every registered function is
//! called with many combinations of awkward values (wrong types, nil,
//! NaN, negative and large numbers, empty and non-ASCII strings, nested
//! collections, objects). Results and errors are both fine; a panic fails.

mod common;

use common::eval::NoEngine;
use tusk_funcs::{FUNCS, Options, register_with};
use tusk_template::{FuncMap, Map, Value};

/// Functions whose cost makes a combinatorial run slow (key generation,
/// scrypt, bcrypt); they get a few calls only.
const SLOW: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "derivePassword",
    "bcrypt",
    "htpasswd",
];

fn pool() -> Vec<Value> {
    let m = Map::new();
    m.insert("a", Value::Int(1));
    m.insert("b", Value::list(vec![Value::from("x"), Value::Nil]));
    let nested = Map::new();
    nested.insert("m", Value::Map(m.clone()));
    vec![
        Value::Nil,
        Value::Bool(true),
        Value::Int(0),
        Value::Int(-3),
        Value::Int(7),
        Value::Int(100_000),
        Value::Float(f64::NAN),
        Value::Float(-0.5),
        Value::Float(1e300),
        Value::from(""),
        Value::from("héllo wörld 日本 😀"),
        Value::from("a,b,,c"),
        Value::from("2006-01-02"),
        Value::from("(["),
        Value::from(">=1.2.3 || <1"),
        Value::from("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
        Value::Bytes(std::sync::Arc::from(&b"\xff\x00bytes"[..])),
        Value::list(vec![]),
        Value::list(vec![
            Value::Int(1),
            Value::from("two"),
            Value::Nil,
            Value::Map(m.clone()),
        ]),
        Value::Map(Map::new()),
        Value::Map(nested),
        tusk_funcs::files::Files::new(vec![("a/b.txt", b"x\n".to_vec())]).into_value(),
    ]
}

#[test]
fn no_function_panics() {
    let mut fm = FuncMap::new();
    register_with(
        &mut fm,
        Options {
            seed: Some(3),
            ..Options::default()
        },
    );
    let pool = pool();
    let mut calls = 0usize;
    for (name, _, _) in FUNCS {
        let f = fm.get(name).expect("registered");
        let slow = SLOW.contains(name);
        let mut arg_lists: Vec<Vec<Value>> = vec![vec![]];
        for a in &pool {
            arg_lists.push(vec![a.clone()]);
        }
        if !slow {
            for a in &pool {
                for b in &pool {
                    arg_lists.push(vec![a.clone(), b.clone()]);
                }
            }
            for (i, a) in pool.iter().enumerate() {
                for b in pool.iter().skip(i % 5).step_by(5) {
                    for c in pool.iter().skip(i % 3).step_by(4) {
                        arg_lists.push(vec![a.clone(), b.clone(), c.clone()]);
                        arg_lists.push(vec![
                            a.clone(),
                            b.clone(),
                            c.clone(),
                            Value::Int(2),
                            Value::Map(Map::new()),
                        ]);
                    }
                }
            }
        } else {
            arg_lists.truncate(4);
            arg_lists.push(vec![Value::from("x"), Value::Int(1)]);
        }
        for args in arg_lists {
            let r =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut NoEngine, &args)));
            assert!(r.is_ok(), "{name} panicked with {args:?}");
            calls += 1;
        }
    }
    assert!(calls > 100_000, "{calls} calls");
}

#[test]
fn huge_sizes_are_refused_not_allocated() {
    let mut fm = FuncMap::new();
    register_with(
        &mut fm,
        Options {
            seed: Some(3),
            ..Options::default()
        },
    );
    for (name, args) in [
        ("until", vec![Value::Int(i64::MAX)]),
        (
            "untilStep",
            vec![Value::Int(i64::MIN), Value::Int(i64::MAX), Value::Int(1)],
        ),
        ("seq", vec![Value::Int(1), Value::Int(1 << 40)]),
        ("randAlphaNum", vec![Value::Int(1 << 40)]),
        ("randAscii", vec![Value::Int(1 << 40)]),
        ("randBytes", vec![Value::Int(1 << 40)]),
        ("indent", vec![Value::Int(1 << 40), Value::from("a\nb")]),
        ("repeat", vec![Value::Int(1 << 40), Value::from("ab")]),
    ] {
        let f = fm.get(name).unwrap();
        let err = f(&mut NoEngine, &args).unwrap_err().to_string();
        assert!(!err.is_empty(), "{name}");
    }
    // Ordinary sizes still work.
    let f = fm.get("until").unwrap();
    assert!(matches!(f(&mut NoEngine, &[Value::Int(5)]), Ok(Value::List(l)) if l.len() == 5));
}

#[test]
fn hostile_yaml_is_an_error_not_a_crash() {
    // Run on a main-thread-sized stack (8 MiB), as a CLI would.
    let h = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let deep = tusk_funcs::yaml::parse_values(&"[".repeat(50_000)).unwrap_err().to_string();
            let deep_block: String = (0..3_000).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
            let deep_block = tusk_funcs::yaml::parse_values(&deep_block).unwrap_err().to_string();
            assert!(deep_block.contains("exceeded max depth"), "{deep_block}");
            let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..12 {
                let prev = (b'a' + i - 1) as char;
                let cur = (b'a' + i) as char;
                laughs.push_str(&format!("{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            }
            let laughs = tusk_funcs::yaml::parse_values(&laughs).unwrap_err().to_string();
            (deep, laughs)
        })
        .unwrap();
    let (deep, laughs) = h.join().expect("no stack overflow");
    assert!(!deep.is_empty());
    assert!(laughs.contains("excessive aliasing"), "{laughs}");
}

/// Found by the `yaml` fuzz target: a NEL (U+0085) is a line break to
/// go-yaml, so it may not survive into a key, and toYaml's output must read
/// back to itself.
#[test]
fn nel_is_a_line_break_and_to_yaml_round_trips() {
    let text = ")# Masn t: 0\n\n\u{85}imaessClasNnotatinns: {}\n  ";
    let v = tusk_funcs::yaml::parse_values(text).unwrap();
    let once = tusk_funcs::yaml::to_yaml(&v);
    assert_eq!(once, ")# Masn t: 0\nimaessClasNnotatinns: {}");
    let again = tusk_funcs::yaml::parse_values(&once).unwrap();
    assert_eq!(tusk_funcs::yaml::to_yaml(&again), once);
}

/// Found by the `yaml` fuzz target: keys whose go-yaml order is not a
/// total order (long digit runs) made Rust's sort panic in toYaml.
#[test]
fn inconsistent_key_order_does_not_panic() {
    let text = include_str!("data/fuzz-yaml-inconsistent-key-order.yaml");
    let v = tusk_funcs::yaml::parse_values(text).unwrap();
    let once = tusk_funcs::yaml::to_yaml(&v);
    assert!(tusk_funcs::yaml::parse_values(&once).is_ok());
}

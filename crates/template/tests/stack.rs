//! `with_stack`: executions share one large-stack worker thread and keep
//! the no-overflow guarantee there.

use std::sync::{Arc, Mutex};

use tusk_template::{FuncMap, Options, Templates, Value, with_stack};

fn recording_set(seen: Arc<Mutex<Vec<std::thread::ThreadId>>>) -> Templates {
    let mut f = FuncMap::new();
    f.register("whereami", move |_c, _a| {
        seen.lock()
            .map(|mut v| v.push(std::thread::current().id()))
            .ok();
        Ok(Value::str("here"))
    });
    let mut set = Templates::new(f).with_options(Options::helm());
    set.parse("a", "{{ whereami }}").unwrap();
    set.parse("b", "{{ whereami }}").unwrap();
    set
}

#[test]
fn executions_inside_share_one_thread() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let set = recording_set(seen.clone());
    let caller = std::thread::current().id();
    let outs = with_stack(set.options().stack_size, || {
        (0..5)
            .map(|i| {
                set.execute(if i % 2 == 0 { "a" } else { "b" }, &Value::Nil)
                    .unwrap()
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(outs, vec!["here"; 5]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|t| *t == seen[0]), "{seen:?}");
    assert_ne!(seen[0], caller);
}

#[test]
fn executions_outside_get_their_own_thread() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let set = recording_set(seen.clone());
    set.execute("a", &Value::Nil).unwrap();
    set.execute("b", &Value::Nil).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_ne!(seen[0], seen[1]);
}

#[test]
fn a_smaller_worker_is_not_used() {
    // A worker far smaller than the set's stack size would weaken the
    // depth guard: executions spawn their own thread instead.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let set = recording_set(seen.clone());
    let worker = with_stack(4 << 20, || {
        set.execute("a", &Value::Nil).unwrap();
        std::thread::current().id()
    });
    assert_ne!(seen.lock().unwrap()[0], worker);
}

#[test]
fn recursion_inside_a_worker_stops_with_an_error() {
    let mut set = Templates::new(FuncMap::new()).with_options(Options::helm());
    set.parse(
        "t",
        r#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#,
    )
    .unwrap();
    let e = with_stack(set.options().stack_size, || {
        // Part of the stack is used up before executing.
        fn deeper(n: usize, set: &Templates) -> String {
            let pad = [n as u8; 4096];
            if n == 0 {
                return set.execute("t", &Value::Nil).unwrap_err().to_string();
            }
            let r = deeper(n - 1, set);
            std::hint::black_box(&pad);
            r
        }
        deeper(64, &set)
    });
    assert!(e.contains("exceeded maximum template depth"), "{e}");
    // Deep parser nesting is refused there too.
    let deep = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    let e = with_stack(256 << 20, || set.parse("d", &deep).unwrap_err().to_string());
    assert!(e.contains("exceeded maximum nesting depth"), "{e}");
}

#[test]
fn panics_reach_the_caller() {
    let r = std::panic::catch_unwind(|| with_stack(1 << 20, || panic!("boom")));
    assert!(r.is_err());
}

#[test]
fn nested_workers_reuse_the_outer_one() {
    let outer = with_stack(64 << 20, || {
        let me = std::thread::current().id();
        let inner = with_stack(64 << 20, || std::thread::current().id());
        (me, inner)
    });
    assert_eq!(outer.0, outer.1);
}

//! Template parse + execute with every sprig/helm function: any input must
//! end in output or an error, never a panic, hang or stack overflow.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tusk_template::{FuncMap, Map, Templates, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut funcs = FuncMap::new();
    tusk_funcs::register(&mut funcs);
    let mut set = Templates::new(funcs);
    if set.parse("fuzz/templates/t.yaml", text).is_err() {
        return;
    }
    let values = Map::new();
    values.insert("name", Value::str("mastodon"));
    values.insert("n", Value::Float(3.0));
    values.insert("list", Value::list(vec![Value::Int(1), Value::str("a")]));
    let root = Map::new();
    root.insert("Values", Value::Map(values));
    let _ = set.execute("fuzz/templates/t.yaml", &Value::Map(root));
});

//! Values YAML → Value → toYaml must not panic, and toYaml's output must
//! read back to the same document (toYaml is a fixed point after one trip).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tusk_funcs::yaml::{parse_values, to_yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = parse_values(text) else { return };
    let once = to_yaml(&v);
    let again = parse_values(&once).unwrap_or_else(|e| panic!("toYaml output does not parse: {e}\n{once}"));
    assert_eq!(to_yaml(&again), once, "toYaml round trip changed the document");
});

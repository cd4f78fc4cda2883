//! Values YAML → Value → toYaml must not panic, toYaml's output must parse,
//! and read back it must give the same document (toYaml is a fixed point
//! after one trip) — except with keep-chomped block scalars (`|+`, `|2+`): there
//! go-yaml itself drops a trailing line break on the second trip (helm's
//! `toYaml | fromYaml | toYaml` does too), and tusk reproduces helm.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tusk_funcs::yaml::{parse_values, to_yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = parse_values(text) else { return };
    let once = to_yaml(&v);
    let again = parse_values(&once).unwrap_or_else(|e| panic!("toYaml output does not parse: {e}\n{once}"));
    let keep_chomped = once.lines().any(|l| l.contains('|') && l.trim_end().ends_with('+'));
    if !keep_chomped {
        assert_eq!(to_yaml(&again), once, "toYaml round trip changed the document");
    }
});

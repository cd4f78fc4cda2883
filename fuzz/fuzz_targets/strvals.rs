//! helm's --set parser on arbitrary expressions: a map or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    let _ = tusk_chart::strvals::parse(expr);
    let dest = tusk_template::Map::new();
    let _ = tusk_chart::strvals::parse_json(expr, &dest);
    let _ = tusk_chart::strvals::parse_into_string(expr, &dest);
});

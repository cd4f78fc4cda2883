//! docker-compose .env parsing: pairs or an error with a location.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = tusk_values::dotenv::parse(text, "fuzz.env");
});

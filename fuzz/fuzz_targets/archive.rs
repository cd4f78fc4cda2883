//! Chart archives (.tgz) from untrusted bytes: a chart or an error, within
//! the size limits, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tusk_chart::load::load_archive_bytes(data);
});

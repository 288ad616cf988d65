//! Header detection on any grid of text (rows split on newlines, cells on tabs).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        tipaudit::fuzzing::header(text);
    }
});

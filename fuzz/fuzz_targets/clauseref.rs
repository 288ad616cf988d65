//! Clause references in free text: any text, never a panic; every cite is well-formed.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        tipaudit::fuzzing::clauseref(text);
    }
});

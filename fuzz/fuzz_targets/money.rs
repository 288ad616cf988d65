//! The money cell parser on any text and any number: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tipaudit::fuzzing::money(data);
});

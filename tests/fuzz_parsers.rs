//! A short, bounded property run of the fuzz harnesses (src/fuzzing.rs) inside `cargo test`,
//! plus every input the fuzzers ever crashed on (tests/data/fuzz-regressions/<target>/*).
//! Longer runs: `cargo +nightly fuzz run <target>` (docs/hardening.md).

mod common;

use common::config;
use proptest::prelude::*;
use tipaudit::fuzzing;

/// Text that looks like what these cells hold, mixed with anything at all.
fn cellish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9$,.()KMB eE+-]{0,24}",
        "[0-9/ -]{0,12}(JAN|FEB|MAR|Alt|ALT|I|II|DEVIATION| ){0,6}",
        "(FAR |DFARS )?2?52[.-][0-9]{2,3}[-.][0-9]{1,5}( ?\\(?[A-Z]{3} [0-9]{4}\\)?)?( ALT ?I{1,3})?[,;/ ]{0,3}",
        "[A-Za-z ,:;()]{0,40}",
    ]
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn clauseref_never_panics(s in cellish()) { fuzzing::clauseref(&s); }

    #[test]
    fn clauseref_long_lists(parts in proptest::collection::vec(cellish(), 0..40)) {
        fuzzing::clauseref(&parts.join(", "));
    }

    #[test]
    fn money_never_panics(s in cellish(), n in any::<[u8; 8]>()) {
        fuzzing::money(s.as_bytes());
        fuzzing::money(&n);
    }

    #[test]
    fn date_never_panics(s in cellish(), n in any::<[u8; 8]>()) {
        fuzzing::date(s.as_bytes());
        fuzzing::date(&n);
    }

    #[test]
    fn country_never_panics(s in cellish(), n in any::<[u8; 8]>()) {
        fuzzing::country(s.as_bytes());
        fuzzing::country(&n);
    }

}

proptest! {
    // Grids are costly to generate: fewer cases, each a whole sheet top.
    #![proptest_config(config(32))]

    #[test]
    fn header_never_panics(
        rows in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    cellish(),
                    Just("Contract Number".to_string()),
                    Just("PIID".to_string()),
                    Just("Clauses".to_string()),
                    Just("Vendor Name".to_string()),
                    Just("52.222-50".to_string()),
                ],
                0..12,
            ),
            0..35,
        )
    ) {
        let text = rows.iter().map(|r| r.join("\t")).collect::<Vec<_>>().join("\n");
        fuzzing::header(&text);
    }
}

#[test]
fn fuzz_regressions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut n = 0;
    for target in std::fs::read_dir(&root).unwrap().flatten() {
        let name = target.file_name().to_string_lossy().into_owned();
        for case in std::fs::read_dir(target.path()).unwrap().flatten() {
            let data = std::fs::read(case.path()).unwrap();
            let text = String::from_utf8_lossy(&data);
            match name.as_str() {
                "clauseref" => fuzzing::clauseref(&text),
                "money" => fuzzing::money(&data),
                "date" => fuzzing::date(&data),
                "country" => fuzzing::country(&data),
                "header" => fuzzing::header(&text),
                other => panic!("unknown fuzz target directory {other}"),
            }
            n += 1;
        }
    }
    assert!(n > 0, "no regression inputs found under {}", root.display());
}

//! Harnesses shared by the `cargo fuzz` targets (`fuzz/`) and the bounded proptest run in
//! `cargo test` (`tests/fuzz_parsers.rs`), so both check the same properties. Each one
//! panics on a violated property; a panic is what the fuzzer reports.

use std::sync::OnceLock;

use crate::audit::Engine;
use crate::cell::{Cell, Row, Value};
use crate::ingest::fields::Synonyms;
use crate::parse::{self, Parsed};
use crate::rules::DataFiles;

struct Fixture {
    engine: Engine,
    synonyms: Synonyms,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let data = DataFiles::builtin();
        let engine = Engine::load(&data).expect("built-in rules load");
        let synonyms = Synonyms::load(
            data.get("fields.toml").expect("fields.toml is built in"),
            &engine.evidence_fields(),
        )
        .expect("built-in synonyms load");
        Fixture { engine, synonyms }
    })
}

/// The cell values a spreadsheet could hand a parser for these bytes: the text, and when
/// there are 8 bytes, the number they encode (NaN, infinities and subnormals included).
pub fn values(data: &[u8]) -> Vec<Value> {
    let mut v = vec![Value::Text(String::from_utf8_lossy(data).into_owned())];
    if let Ok(b) = <[u8; 8]>::try_from(data) {
        v.push(Value::Float(f64::from_le_bytes(b)));
        v.push(Value::Int(i64::from_le_bytes(b)));
    }
    v
}

/// Clause references: no panic, stable output, canonical numbers.
pub fn clauseref(text: &str) {
    let parser = &fixture().engine.clause_parser;
    let cites = parser.extract(text);
    assert_eq!(cites, parser.extract(text), "extract is not deterministic");
    for c in &cites {
        let n = &c.number;
        assert!(
            n.starts_with("52.") || n.starts_with("252."),
            "not a canonical clause number: {n:?} from {text:?}"
        );
        assert!(n.is_ascii() && n.len() <= 16, "odd clause number {n:?}");
        if let Some(d) = c.date {
            assert!((1..=12).contains(&d.month), "month {} in {text:?}", d.month);
        }
    }
    let _ = parser.parse_header(text);
}

/// Money: an amount read is always a finite number.
pub fn money(data: &[u8]) {
    for v in values(data) {
        if let Parsed::Ok(x) = parse::money::parse(&v) {
            assert!(x.is_finite(), "{v:?} read as {x}");
        }
    }
}

/// Dates: no panic on any text or serial.
pub fn date(data: &[u8]) {
    for v in values(data) {
        let _ = parse::date::parse(&v);
    }
}

/// Countries, places of manufacture, and the code and yes/no cells: no panic.
pub fn country(data: &[u8]) {
    for v in values(data) {
        let _ = parse::country::parse(&v);
        let _ = parse::country::parse_manufacture(&v);
        let _ = parse::codes::psc(&v);
        let _ = parse::codes::naics(&v);
        let _ = parse::yesno::parse(&v);
        let _ = parse::yesno::evidence(&v);
    }
}

/// Header detection on a grid: rows split on newlines, cells on tabs.
pub fn header(text: &str) {
    let rows: Vec<Row> = text
        .split('\n')
        .take(64)
        .enumerate()
        .map(|(r, line)| Row {
            index: r as u32,
            cells: line
                .split('\t')
                .take(256)
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(c, t)| Cell {
                    col: c as u32,
                    value: Value::Text(t.to_string()),
                    formula: None,
                })
                .collect(),
        })
        .collect();
    let f = fixture();
    if let Some(h) = crate::ingest::header::detect(&rows, &f.synonyms, &f.engine.clause_parser) {
        assert!(
            rows.iter().any(|r| r.index == h.row),
            "header row not among the rows"
        );
        for col in h.fields.values() {
            assert!(
                h.names.contains_key(col),
                "field mapped to a column with no name"
            );
        }
    }
}

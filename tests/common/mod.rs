//! Helpers for integration tests: build real input files, run the binary, read its outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The real data directory `../shared/data/real` beside the clone (see `real_file`).
pub fn real_data() -> Option<PathBuf> {
    real_file("")
}

/// A file or directory below `../shared/data/real`: `None` (with one "skipped" line) when it
/// is absent locally; under CI (`CI` set) its absence fails the test, naming the path, so a
/// test never passes there without testing.
pub fn real_file(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI needs ../shared/data/real beside the clone",
        p.display()
    );
    eprintln!("skipped: {} not found", p.display());
    None
}

/// One cell of a test workbook.
#[derive(Debug, Clone)]
pub enum C {
    E,
    S(&'static str),
    T(String),
    N(f64),
    D(u16, u8, u8),
    B(bool),
    /// Formula and its cached result.
    F(&'static str, &'static str),
}

pub use C::*;

/// A sheet: name, rows of cells, and merged ranges (first_row, first_col, last_row, last_col, text).
pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<Vec<C>>,
    pub merges: Vec<(u32, u16, u32, u16, &'static str)>,
}

pub fn sheet(name: &'static str, rows: Vec<Vec<C>>) -> Sheet {
    Sheet {
        name,
        rows,
        merges: Vec::new(),
    }
}

pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let plain = Format::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).unwrap();
        for &(r0, c0, r1, c1, text) in &s.merges {
            ws.merge_range(r0, c0, r1, c1, text, &plain).unwrap();
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                if s.merges
                    .iter()
                    .any(|&(r0, c0, r1, c1, _)| r >= r0 && r <= r1 && c >= c0 && c <= c1)
                {
                    continue;
                }
                match cell {
                    E => {}
                    S(t) => {
                        ws.write_string(r, c, *t).unwrap();
                    }
                    T(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    D(y, m, d) => {
                        ws.write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &day,
                        )
                        .unwrap();
                    }
                    B(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                    F(f, v) => {
                        ws.write_formula(r, c, *f).unwrap();
                        ws.set_formula_result(r, c, *v);
                    }
                }
            }
        }
    }
    wb.save(path).unwrap();
}

pub fn tipaudit() -> Command {
    Command::cargo_bin("tipaudit").unwrap()
}

/// Run `tipaudit audit <inputs> -o <out> --as-of 2026-11-23 -q` and return (exit code, stdout, stderr).
pub fn audit(inputs: &[&Path], out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = tipaudit();
    cmd.arg("audit");
    for i in inputs {
        cmd.arg(i);
    }
    cmd.arg("-o").arg(out).args(["--as-of", "2026-11-23", "-q"]);
    cmd.args(extra);
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

pub fn jsonl(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("findings.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Rule ids of a record's findings.
pub fn rules_of(rec: &serde_json::Value) -> Vec<String> {
    rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The record with this contract id.
pub fn record<'a>(recs: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    recs.iter()
        .find(|r| r["contract_id"] == id)
        .unwrap_or_else(|| panic!("no record {id} in {recs:#?}"))
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Write a minimal OpenDocument spreadsheet (one sheet of text and number cells).
pub fn write_ods(path: &Path, sheet_name: &str, rows: &[Vec<C>]) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", stored).unwrap();
    z.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    xml.push_str(&format!(
        r#"<table:table table:name="{}">"#,
        esc(sheet_name)
    ));
    for row in rows {
        xml.push_str("<table:table-row>");
        for cell in row {
            match cell {
                S(t) => xml.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(t)
                )),
                T(t) => xml.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(t)
                )),
                N(n) => xml.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                )),
                D(y, m, d) => xml.push_str(&format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}"><text:p>{y:04}-{m:02}-{d:02}</text:p></table:table-cell>"#
                )),
                _ => xml.push_str("<table:table-cell/>"),
            }
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let deflated = SimpleFileOptions::default();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
}

/// A built-in rule-data file (`clauses/NAME`), to copy or alter into a `--rules` folder.
pub fn builtin_rule_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("clauses")
            .join(name),
    )
    .unwrap()
}

/// An empty `rules` folder in `dir`, for `--rules` and `check-rules`.
pub fn rules_dir(dir: &tempfile::TempDir) -> PathBuf {
    let rules = path(dir, "rules");
    std::fs::create_dir(&rules).unwrap();
    rules
}

/// `tipaudit check-rules DIR`.
pub fn check_rules(dir: &Path) -> std::process::Output {
    tipaudit().arg("check-rules").arg(dir).output().unwrap()
}

/// A bounded proptest run of `cases` cases that leaves no regression files behind (the fuzz
/// regressions live in tests/data/fuzz-regressions).
pub fn config(cases: u32) -> proptest::prelude::ProptestConfig {
    proptest::prelude::ProptestConfig {
        cases,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    }
}

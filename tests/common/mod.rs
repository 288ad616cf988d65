//! Helpers for integration tests: build real input files, run the binary, read its outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

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

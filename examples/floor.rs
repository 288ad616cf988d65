//! The performance floor for `tipaudit audit` (DESIGN.md section 6): a bare calamine
//! streaming read of every cell of every sheet, plus (unless `--read-only`) a bare
//! rust_xlsxwriter constant-memory write of the same output shape as the annotated copy
//! (every cell carried, four added columns, a Findings sheet of 13 columns with one row per
//! input row), deflated at the level tipaudit uses (`report::ZIP_LEVEL`). No header
//! detection, no records, no rules.
//!
//! `cargo run --release --example floor -- [--read-only] [-j N] -o DIR INPUT.xlsx...`
//! Files run in parallel on `-j` threads (default: all cores), as `tipaudit audit` does.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use calamine::{DataRef, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;

fn main() {
    let mut read_only = false;
    let mut out = PathBuf::from("floor-out");
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--read-only" => read_only = true,
            "-o" => out = PathBuf::from(args.next().expect("-o DIR")),
            "-j" => jobs = args.next().and_then(|n| n.parse().ok()).expect("-j N"),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let mut files = Vec::new();
    for i in inputs {
        if i.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&i)
                .expect("read dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(i);
        }
    }
    std::fs::create_dir_all(&out).expect("create out dir");
    let next = AtomicUsize::new(0);
    let cells = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let n = copy(f, &out, read_only).unwrap_or_else(|e| {
                        panic!("{}: {e}", f.display());
                    });
                    cells.fetch_add(n, Ordering::Relaxed);
                }
            });
        }
    });
    println!("{} cells", cells.load(Ordering::Relaxed));
}

fn copy(input: &Path, out: &Path, read_only: bool) -> anyhow::Result<usize> {
    let mut xlsx: Xlsx<_> = open_workbook(input)?;
    let names = xlsx.sheet_names();
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(tipaudit::report::ZIP_LEVEL);
    let mut cells = 0;
    let mut findings = wb.new_worksheet_with_constant_memory()?;
    let mut listed = 0u32;
    for name in &names {
        let mut ws = wb.new_worksheet_with_constant_memory()?;
        let ws = &mut ws;
        ws.set_name(name)?;
        let mut reader = xlsx.worksheet_cells_reader(name)?;
        let mut last_row = None;
        let mut last_col = 0u16;
        while let Some(cell) = reader.next_cell()? {
            let (r, c) = cell.get_position();
            cells += 1;
            if read_only {
                // Touch the value so the read is not optimised away.
                std::hint::black_box(cell.get_value());
                continue;
            }
            if let Some(lr) = last_row.filter(|lr| *lr != r) {
                add_columns(ws, lr, last_col)?;
                listed += 1;
                list_finding(&mut findings, listed, name, lr)?;
            }
            last_row = Some(r);
            last_col = last_col.max(c as u16);
            let c = c as u16;
            match cell.get_value() {
                DataRef::String(s) => {
                    ws.write_string(r, c, s)?;
                }
                DataRef::SharedString(s) => {
                    ws.write_string(r, c, *s)?;
                }
                DataRef::Float(x) => {
                    ws.write_number(r, c, *x)?;
                }
                DataRef::Int(i) => {
                    ws.write_number(r, c, *i as f64)?;
                }
                DataRef::Bool(b) => {
                    ws.write_boolean(r, c, *b)?;
                }
                DataRef::DateTime(d) => {
                    ws.write_number(r, c, d.as_f64())?;
                }
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    ws.write_string(r, c, s)?;
                }
                DataRef::Error(e) => {
                    ws.write_string(r, c, e.to_string())?;
                }
                DataRef::Empty => {}
            }
        }
        if let Some(r) = last_row {
            add_columns(ws, r, last_col)?;
            listed += 1;
            list_finding(&mut findings, listed, name, r)?;
        }
        wb.push_worksheet(std::mem::take(ws));
    }
    findings.set_name("Findings (floor)")?;
    wb.push_worksheet(findings);
    if !read_only {
        let name = input.file_stem().unwrap_or_default().to_string_lossy();
        wb.save(out.join(format!("{name}.floor.xlsx")))?;
    }
    Ok(cells)
}

/// One row of the Findings sheet, shaped like tipaudit's (13 columns).
fn list_finding(
    ws: &mut rust_xlsxwriter::Worksheet,
    at: u32,
    sheet: &str,
    row: u32,
) -> anyhow::Result<()> {
    if at >= 1_048_575 {
        return Ok(());
    }
    ws.write_string(at, 0, sheet)?;
    ws.write_number(at, 1, f64::from(row + 1))?;
    ws.write_string(at, 2, format!("T{}", row + 1))?;
    ws.write_string(at, 3, format!("W912QY-25-C-{:06}", row))?;
    ws.write_string(at, 4, "gaps")?;
    ws.write_string(at, 5, "none")?;
    ws.write_string(at, 6, "TIP001")?;
    ws.write_string(at, 7, "high")?;
    ws.write_string(at, 8, "missing_clause")?;
    ws.write_string(at, 9, "Clauses")?;
    ws.write_string(
        at,
        10,
        "52.222-50 Combating Trafficking in Persons is not cited",
    )?;
    ws.write_string(at, 11, "Insert 52.222-50 (NOV 2021)")?;
    ws.write_string(at, 12, "FAR 22.1705(a)(1)")?;
    Ok(())
}

/// The four added columns of the annotated copy (status, risk, findings, rule ids).
fn add_columns(ws: &mut rust_xlsxwriter::Worksheet, row: u32, last_col: u16) -> anyhow::Result<()> {
    ws.write_string(row, last_col + 1, "gaps")?;
    ws.write_string(row, last_col + 2, "none")?;
    ws.write_string(
        row,
        last_col + 3,
        "TIP001: 52.222-50 Combating Trafficking in Persons is not cited",
    )?;
    ws.write_string(row, last_col + 4, "TIP001")?;
    Ok(())
}

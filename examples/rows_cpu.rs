//! CPU time of the per-row audit path alone (build the record, judge it, write its
//! `findings.jsonl` line) on one thread, with the workbook already read into memory, so a
//! change to that path can be measured on a busy machine.
//!
//! `cargo run --release --example rows_cpu -- INPUT.xlsx [ROUNDS]`

use std::path::PathBuf;

use tipaudit::audit::{self, Ctx, Engine};
use tipaudit::cell::Row;
use tipaudit::ingest::fields::Synonyms;
use tipaudit::ingest::{Workbook, build, header};

fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("INPUT.xlsx"));
    let rounds: usize = args.next().map_or(3, |n| n.parse().expect("ROUNDS"));
    let data = tipaudit::rules::DataFiles::builtin();
    let engine = Engine::load(&data)?;
    let synonyms = Synonyms::load(
        data.get("fields.toml").expect("fields.toml"),
        &engine.evidence_fields(),
    )?;
    let parser = &engine.clause_parser;
    let mut wb = Workbook::open(&path)?;
    let sheet = wb.sheet_names()[0].clone();
    let mut rows: Vec<Row> = Vec::new();
    wb.rows(&sheet, &mut |row| {
        rows.push(row);
        Ok(true)
    })?;
    let top = &rows[..rows.len().min(header::HEADER_SCAN_ROWS)];
    let map = header::detect(top, &synonyms, parser).expect("a header");
    let column_name = |c: u32| map.names.get(&c).map(tipaudit::model::Text::from);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let display = path.display().to_string();
    for _ in 0..rounds {
        let mut out = std::io::sink();
        let t0 = thread_cpu_seconds();
        let mut built = 0.0;
        let mut judged = 0.0;
        let mut n = 0usize;
        for row in rows.iter().filter(|r| r.index > map.row) {
            let a = thread_cpu_seconds();
            let Some(rec) = build::record(row, &map, parser, None) else {
                continue;
            };
            let b = thread_cpu_seconds();
            let ctx = Ctx {
                engine: &engine,
                as_of,
                column_name: &column_name,
            };
            let (findings, cats) = audit::check(&rec, &ctx);
            let r = audit::verdict(&rec, findings, cats, &display, &sheet);
            let c = thread_cpu_seconds();
            tipaudit::report::jsonl::write_record(&mut out, &r)?;
            built += b - a;
            judged += c - b;
            n += 1;
        }
        let total = thread_cpu_seconds() - t0;
        println!(
            "{n} records: {total:.3} s CPU (build {built:.3}, judge {judged:.3}, write+drop {:.3})",
            total - built - judged
        );
    }
    Ok(())
}

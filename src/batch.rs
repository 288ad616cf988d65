//! The batch: find the inputs, audit each file (in parallel, each isolated), and gather
//! the outcomes in input order.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::audit::{self, Ctx, Engine};
use crate::cell::Row;
use crate::ingest::build::{self, ClauseIndex};
use crate::ingest::fields::Synonyms;
use crate::ingest::header::{self, HeaderMap, SheetKind};
use crate::ingest::{Format, Workbook};
use crate::model::{BatchOutcome, FileOutcome, RecordResult, SheetOutcome, status_of};

/// One input to audit: the path to open and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path as given (or the walked directory as given joined with the rest).
    pub display: String,
}

/// The inputs found from the command line, plus what could not be used.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<Input>,
    /// Named paths that are missing or of another type, and walk errors: (path, message).
    pub errors: Vec<(String, String)>,
    /// Files in walked directories that are not spreadsheets.
    pub skipped: usize,
}

/// Expand files and directories (recursively, sorted by path for a stable order).
pub fn find_inputs(paths: &[PathBuf]) -> Inputs {
    let mut out = Inputs::default();
    let mut seen = HashSet::new();
    for p in paths {
        let display = p.display().to_string();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_string()
                } else {
                    format!("cannot read: {e}")
                };
                out.errors.push((display, msg));
                continue;
            }
        };
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let is_lock = e.file_name().to_string_lossy().starts_with("~$");
                        if Format::of(e.path()).is_none() || is_lock {
                            out.skipped += 1;
                            continue;
                        }
                        let path = e.path().to_path_buf();
                        let rel = path.strip_prefix(p).unwrap_or(&path);
                        let display = p.join(rel).display().to_string();
                        if seen.insert(canonical(&path)) {
                            out.files.push(Input { path, display });
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let where_ = e
                            .path()
                            .map(|x| x.display().to_string())
                            .unwrap_or_else(|| display.clone());
                        let msg = if e.loop_ancestor().is_some() {
                            "symbolic link loop; not followed".to_string()
                        } else {
                            format!(
                                "cannot read: {}",
                                e.io_error()
                                    .map(|x| x.to_string())
                                    .unwrap_or_else(|| e.to_string())
                            )
                        };
                        out.errors.push((where_, msg));
                    }
                }
            }
        } else if Format::of(p).is_none() {
            out.errors.push((
                display,
                "not a supported type (.xlsx .xlsm .xlsb .xls .ods .csv)".into(),
            ));
        } else if seen.insert(canonical(p)) {
            out.files.push(Input {
                path: p.clone(),
                display,
            });
        }
    }
    out
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Keep only the inputs of shard `k` of `n` (1-based), by a stable hash of the reported path.
pub fn shard(files: Vec<Input>, k: u32, n: u32) -> Vec<Input> {
    files
        .into_iter()
        .filter(|f| fnv1a(f.display.as_bytes()) % u64::from(n) == u64::from(k - 1))
        .collect()
}

/// FNV-1a: a fixed, documented hash so shards are the same on every machine and release.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Annotated output names: `<stem>.audited.xlsx`, made unique in input order.
pub fn output_names(files: &[Input]) -> Vec<String> {
    let mut used = HashSet::new();
    files
        .iter()
        .map(|f| {
            let stem = f
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "input".into());
            let full = f
                .path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "input".into());
            let mut candidates = vec![stem.clone(), full.clone()];
            candidates.extend((2..).take(10_000).map(|i| format!("{full}-{i}")));
            let pick = candidates
                .into_iter()
                .find(|c| used.insert(c.to_ascii_lowercase()))
                .expect("a free name exists");
            format!("{pick}.audited.xlsx")
        })
        .collect()
}

/// Everything one file's audit needs that is the same for the whole run.
pub struct RunCtx<'a> {
    pub engine: &'a Engine,
    pub synonyms: &'a Synonyms,
    pub as_of: NaiveDate,
}

/// Receives the sheets and rows of one file, in order, for the annotated copy.
pub trait Sink {
    fn start_sheet(
        &mut self,
        name: &str,
        header: Option<&HeaderMap>,
        merges: &[crate::cell::Merge],
        note: Option<&str>,
    ) -> anyhow::Result<()>;
    fn write_row(&mut self, row: &Row, result: Option<&RecordResult>) -> anyhow::Result<()>;
    fn end_sheet(&mut self) -> anyhow::Result<()>;
}

/// Audit one file, catching any panic inside a parser so one bad file never stops the batch.
pub fn audit_file(input: &Input, run: &RunCtx, sink: Option<&mut dyn Sink>) -> FileOutcome {
    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| audit_file_inner(input, run, sink)));
    let mut outcome = FileOutcome {
        file: input.display.clone(),
        error: None,
        sheets: Vec::new(),
        results: Vec::new(),
        annotated: None,
    };
    match caught {
        Ok(Ok((sheets, results))) => {
            outcome.sheets = sheets;
            outcome.results = results;
        }
        Ok(Err(e)) => outcome.error = Some(format!("{e:#}")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            outcome.error = Some(format!("internal error while reading this file ({msg})"));
        }
    }
    outcome
}

type Audited = (Vec<SheetOutcome>, Vec<RecordResult>);

fn audit_file_inner(
    input: &Input,
    run: &RunCtx,
    mut sink: Option<&mut dyn Sink>,
) -> anyhow::Result<Audited> {
    let mut wb = Workbook::open(&input.path)?;
    let parser = &run.engine.clause_parser;
    let sheet_names = wb.sheet_names().to_vec();

    // Pass 1: find each sheet's header from its first rows.
    let mut headers: Vec<Option<HeaderMap>> = Vec::with_capacity(sheet_names.len());
    for name in &sheet_names {
        let mut top: Vec<Row> = Vec::new();
        wb.rows(name, &mut |row| {
            let more = (row.index as usize) < header::HEADER_SCAN_ROWS;
            if more {
                top.push(row);
            }
            Ok(more)
        })?;
        headers.push(header::detect(&top, run.synonyms, parser));
    }

    // A sheet of only contract ids and clauses is a long-form clause list when another
    // sheet of the workbook holds the records; on its own it is a (minimal) record sheet.
    let has_record_sheet = headers
        .iter()
        .flatten()
        .any(|h| h.kind() == SheetKind::Records);
    if !has_record_sheet {
        for h in headers.iter_mut().flatten() {
            h.force_records = true;
        }
    }

    // Long-form clause sheets are read in full before any record is audited.
    let mut clause_index = ClauseIndex::new();
    let mut clause_sheet: Option<String> = None;
    for (name, h) in sheet_names.iter().zip(&headers) {
        let Some(h) = h.as_ref().filter(|h| h.kind() == SheetKind::ClauseList) else {
            continue;
        };
        clause_sheet.get_or_insert_with(|| name.clone());
        wb.rows(name, &mut |row| {
            if row.index > h.row {
                build::index_clause_row(&row, h, parser, &mut clause_index);
            }
            Ok(true)
        })?;
    }
    let long_form = clause_sheet.as_deref().map(|s| (s, &clause_index));

    // Pass 2: audit record sheets and copy every sheet.
    let mut sheets = Vec::new();
    let mut results: Vec<RecordResult> = Vec::new();
    type Key = (String, Option<String>, Option<String>, Option<String>);
    let mut first_seen: HashMap<Key, (String, u32)> = HashMap::new();
    for (name, h) in sheet_names.iter().zip(&headers) {
        let merges = wb.merges(name);
        let (audit_map, note) = match h {
            Some(h) if h.kind() == SheetKind::Records => (Some(h), None),
            Some(_) => (
                None,
                Some("long-form clause list, joined to the records by contract id".to_string()),
            ),
            None => (
                None,
                Some("no header with a contract id column in the first 30 rows".to_string()),
            ),
        };
        if let Some(s) = sink.as_deref_mut() {
            s.start_sheet(name, audit_map, &merges, note.as_deref())?;
        }
        let mut count = 0usize;
        let column_name = |c: u32| audit_map.and_then(|h| h.names.get(&c).cloned());
        let ctx = Ctx {
            engine: run.engine,
            as_of: run.as_of,
            column_name: &column_name,
        };
        wb.rows(name, &mut |row| {
            let mut result = None;
            if let Some(h) = audit_map.filter(|h| row.index > h.row)
                && let Some(rec) = build::record(&row, h, parser, long_form)
            {
                let (findings, cats) = audit::check(&rec, &ctx);
                let mut r = audit::verdict(&rec, findings, cats, &input.display, name);
                if !rec.contract_id.is_empty() {
                    match first_seen.get(&r.identity()) {
                        Some((sheet, first_row)) => {
                            r.findings.push(duplicate_finding(
                                run.engine,
                                &rec.contract_id,
                                &format!("sheet '{sheet}' row {first_row}"),
                                rec.contract_id_col,
                                &column_name,
                            ));
                            r.status = status_of(&r.findings);
                        }
                        None => {
                            first_seen.insert(r.identity(), (name.clone(), rec.row));
                        }
                    }
                }
                result = Some(r);
                count += 1;
            }
            if let Some(s) = sink.as_deref_mut() {
                s.write_row(&row, result.as_ref())?;
            }
            if let Some(r) = result {
                results.push(r);
            }
            Ok(true)
        })?;
        if let Some(s) = sink.as_deref_mut() {
            s.end_sheet()?;
        }
        sheets.push(SheetOutcome {
            name: name.clone(),
            audited: audit_map.is_some(),
            header_row: audit_map.map(|h| h.row),
            records: count,
            note,
        });
    }
    Ok((sheets, results))
}

fn duplicate_finding(
    engine: &Engine,
    id: &str,
    first: &str,
    col: u32,
    column_name: &dyn Fn(u32) -> Option<String>,
) -> crate::model::Finding {
    let mut f = engine.rules.finding(
        "DATA003",
        &[
            ("contract_id", id.to_string()),
            ("first", first.to_string()),
        ],
        Some(col),
    );
    f.column = column_name(col);
    f
}

/// Mark contract ids that repeat across files (repeats within a file are marked while the
/// file is audited), against the first occurrence in input order. Status is recomputed with
/// the one status function.
pub fn mark_cross_file_duplicates(engine: &Engine, files: &mut [FileOutcome]) {
    type Key = (String, Option<String>, Option<String>, Option<String>);
    let mut first: HashMap<Key, (String, String, u32)> = HashMap::new();
    for f in files.iter_mut() {
        let mut local: HashSet<Key> = HashSet::new();
        for r in f.results.iter_mut() {
            if r.contract_id.is_empty() {
                continue;
            }
            let key = r.identity();
            if !local.insert(key.clone()) {
                continue;
            }
            match first.get(&key) {
                Some((file, sheet, row)) => {
                    let finding = engine.rules.finding(
                        "DATA003",
                        &[
                            ("contract_id", r.contract_id.clone()),
                            ("first", format!("{file}, sheet '{sheet}' row {row}")),
                        ],
                        None,
                    );
                    r.findings.push(finding);
                    r.status = status_of(&r.findings);
                }
                None => {
                    first.insert(key, (f.file.clone(), r.sheet.clone(), r.row));
                }
            }
        }
    }
}

/// Audit every input with `jobs` threads; outcomes come back in input order.
pub fn run_files(
    inputs: &[Input],
    run: &RunCtx,
    jobs: usize,
    make_sink: &(dyn Fn(usize) -> Option<Box<dyn FileSink>> + Sync),
    progress: &(dyn Fn(&FileOutcome) + Sync),
) -> Vec<FileOutcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .expect("thread pool");
    pool.install(|| {
        inputs
            .par_iter()
            .enumerate()
            .map(|(i, input)| {
                let mut sink = make_sink(i);
                let mut outcome =
                    audit_file(input, run, sink.as_deref_mut().map(|s| s as &mut dyn Sink));
                if let Some(s) = sink
                    && outcome.error.is_none()
                {
                    match s.finish(&outcome) {
                        Ok(path) => outcome.annotated = Some(path),
                        Err(e) => {
                            outcome.error = Some(format!("cannot write the annotated copy: {e:#}"))
                        }
                    }
                }
                progress(&outcome);
                outcome
            })
            .collect()
    })
}

/// A sink that produces a file when the input's audit is complete.
pub trait FileSink: Sink + Send {
    fn finish(self: Box<Self>, outcome: &FileOutcome) -> anyhow::Result<PathBuf>;
}

/// Assemble the batch outcome: audited files plus the inputs that could not be used.
pub fn outcome(
    mut files: Vec<FileOutcome>,
    input_errors: Vec<(String, String)>,
    skipped: usize,
    as_of: NaiveDate,
    rules_origin: &str,
    engine: &Engine,
) -> BatchOutcome {
    mark_cross_file_duplicates(engine, &mut files);
    for (file, error) in input_errors {
        files.push(FileOutcome {
            file,
            error: Some(error),
            sheets: Vec::new(),
            results: Vec::new(),
            annotated: None,
        });
    }
    BatchOutcome {
        files,
        skipped_files: skipped,
        as_of: as_of.format("%Y-%m-%d").to_string(),
        rules_origin: rules_origin.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_unique() {
        let mk = |p: &str| Input {
            path: PathBuf::from(p),
            display: p.into(),
        };
        let names = output_names(&[mk("a/x.xlsx"), mk("b/x.xlsx"), mk("x.csv"), mk("b/X.xlsx")]);
        assert_eq!(
            names,
            vec![
                "x.audited.xlsx",
                "x.xlsx.audited.xlsx",
                "x.csv.audited.xlsx",
                "X.xlsx-2.audited.xlsx"
            ]
        );
    }

    #[test]
    fn shards_partition_the_inputs() {
        let files: Vec<Input> = (0..50)
            .map(|i| Input {
                path: PathBuf::from(format!("f{i}.xlsx")),
                display: format!("f{i}.xlsx"),
            })
            .collect();
        let mut all: Vec<String> = (1..=4)
            .flat_map(|k| shard(files.clone(), k, 4))
            .map(|f| f.display)
            .collect();
        all.sort();
        let mut want: Vec<String> = files.iter().map(|f| f.display.clone()).collect();
        want.sort();
        assert_eq!(all, want);
    }
}

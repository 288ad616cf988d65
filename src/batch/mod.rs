//! The batch: find the inputs, audit each file (in parallel, each isolated), and gather
//! the outcomes in input order.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::audit::Engine;
use crate::ingest::fields::Synonyms;
use crate::model::{BatchOutcome, FileOutcome, RecordResult, Tally};
use crate::output::write_atomic;
use crate::report::aggregate::Aggregate;
use crate::sink::{FileSink, Sink};

mod crossfile;
mod file;
mod inputs;
mod sheet;
mod spool;

pub use crossfile::{CrossFile, cross_file_finding};
use crossfile::{Done, InOrder};
pub use file::audit_file;
pub use inputs::*;
pub use spool::{FileSpool, Spool};

/// Everything one file's audit needs that is the same for the whole run.
pub struct RunCtx<'a> {
    pub engine: &'a Engine,
    pub synonyms: &'a Synonyms,
    pub as_of: NaiveDate,
    /// Told how many rows were just read, from any worker thread (progress display).
    pub on_rows: &'a (dyn Fn(u64) + Sync),
    /// Size, zip and sheet limits checked before each file is parsed.
    pub limits: crate::ingest::Limits,
    /// Clause evidence from `--clauses`, joined to every record (empty without it).
    pub evidence: &'a crate::evidence::EvidenceIndex,
}

/// The first occurrence of a record identity within one file: all the cross-file
/// duplicate check (DATA003) needs to keep per record.
#[derive(Debug, Clone)]
pub struct FirstSeen {
    pub key: Box<str>,
    /// Position among the file's records (its line among the file's findings lines).
    pub ordinal: usize,
    /// Index into the file's sheets.
    pub sheet: u32,
    pub row: u32,
}

/// One file's audit. Its record lines went to the spool writer given to `audit_file`.
pub struct FileRun {
    pub outcome: FileOutcome,
    pub tally: Tally,
    /// Identities seen first in this file, in record order.
    pub firsts: Vec<FirstSeen>,
    /// The file's records as the portfolio reports count them.
    pub part: Aggregate,
    /// Records (by ordinal) that repeat an identity of an earlier file: their spooled lines
    /// already carry the DATA003 finding (see [`run_files`]).
    pub marked: Vec<usize>,
}

/// A record's identity (`RecordResult::identity`) as one compact string; `None` without a
/// contract id. The parts are length-prefixed, so distinct identities never share a key.
pub fn identity_key(
    contract_id: &str,
    parent: Option<&str>,
    modification: Option<&str>,
    transaction: Option<&str>,
) -> Option<Box<str>> {
    use std::fmt::Write as _;
    if contract_id.is_empty() {
        return None;
    }
    let id = contract_id.trim().to_ascii_uppercase();
    let mut k = String::with_capacity(id.len() + 8);
    let _ = write!(k, "{}:{id}", id.len());
    for part in [parent, modification, transaction] {
        match part {
            None => k.push('-'),
            Some(p) => {
                let _ = write!(k, "{}:{p}", p.len());
            }
        }
    }
    Some(k.into_boxed_str())
}

fn record_key(r: &RecordResult) -> Option<Box<str>> {
    identity_key(
        &r.contract_id,
        r.parent_id.as_deref(),
        r.modification.as_deref(),
        r.transaction.as_deref(),
    )
}

/// An annotated copy whose rows are all written, still to be saved. The last files of a
/// batch are saved while `findings.jsonl` and the portfolio reports are written (saving is
/// mostly single-threaded compression), instead of before them.
pub struct PendingSave {
    /// Index of the input (and of its `FileRun`).
    pub index: usize,
    sink: Box<dyn FileSink>,
    /// The file's outcome without its records, for the copy's Summary sheet.
    outcome: FileOutcome,
}

impl PendingSave {
    /// Save the copy: its path, or the error for the input's outcome.
    pub fn save(self) -> (usize, Result<PathBuf, String>) {
        (self.index, finish_sink(self.sink, &self.outcome))
    }
}

/// Finish a sink (save the annotated copy), a panic inside it becoming the input's error
/// like any other.
fn finish_sink(sink: Box<dyn FileSink>, outcome: &FileOutcome) -> Result<PathBuf, String> {
    crate::isolate::catch(|| sink.finish(outcome))
        .map_err(|panic| anyhow::anyhow!("internal error ({panic})"))
        .and_then(|r| r)
        .map_err(|e| format!("cannot write the annotated copy: {e:#}"))
}

/// The audited files, in input order, and the annotated copies still to be saved. A
/// pending copy's input already names its path in `outcome.annotated`: whoever saves it
/// must correct the outcome when the save fails.
pub struct FilesRun {
    pub runs: Vec<FileRun>,
    pub pending: Vec<PendingSave>,
    /// The records of every file, as the portfolio reports count them.
    pub aggregate: anyhow::Result<Aggregate>,
}

/// Audit every input on `pool`; results come back in input order, each file's
/// record lines in `spool.path(i)` (with the cross-file DATA003 findings), and the
/// aggregate of them all. Annotated copies are saved as their files finish, except those
/// finishing after the last input has started: they come back pending.
pub fn run_files(
    inputs: &[Input],
    run: &RunCtx,
    pool: &rayon::ThreadPool,
    spool: &Spool,
    make_sink: &(dyn Fn(usize) -> Option<Box<dyn FileSink>> + Sync),
    progress: &(dyn Fn(&FileOutcome) + Sync),
) -> FilesRun {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = AtomicUsize::new(0);
    let pending = std::sync::Mutex::new(Vec::new());
    let in_order = std::sync::Mutex::new(InOrder {
        engine: run.engine,
        spool,
        next: 0,
        waiting: BTreeMap::new(),
        cross: CrossFile::default(),
        aggregate: Aggregate::spooled(),
        marked: Vec::new(),
        error: None,
    });
    // Files start in input order (not split in halves, as an indexed parallel iterator
    // would), so few finished parts wait for an earlier file before they are merged.
    let mut runs: Vec<(usize, FileRun)> = pool.install(|| {
        inputs
            .iter()
            .enumerate()
            .par_bridge()
            .map(|(i, input)| {
                started.fetch_add(1, Ordering::SeqCst);
                let all_started = || started.load(Ordering::SeqCst) == inputs.len();
                let mut file_run =
                    run_file(i, input, run, spool, make_sink, &all_started, &pending);
                // Records live in the spool from here on.
                file_run.outcome.results = Vec::new();
                if file_run.outcome.records == 0 {
                    file_run.tally = Tally::default();
                    file_run.firsts.clear();
                    file_run.part = Aggregate::part();
                }
                let done = Done {
                    file: file_run.outcome.file.clone(),
                    sheets: file_run
                        .outcome
                        .sheets
                        .iter()
                        .map(|s| s.name.clone())
                        .collect(),
                    firsts: std::mem::take(&mut file_run.firsts),
                    tally: file_run.tally.clone(),
                    part: std::mem::take(&mut file_run.part).finish_part(),
                };
                in_order
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .done(i, done);
                progress(&file_run.outcome);
                (i, file_run)
            })
            .collect()
    });
    runs.sort_unstable_by_key(|(i, _)| *i);
    let mut runs: Vec<FileRun> = runs.into_iter().map(|(_, r)| r).collect();
    let in_order = in_order.into_inner().unwrap_or_else(|e| e.into_inner());
    for (i, ordinals, tally) in in_order.marked {
        runs[i].marked = ordinals;
        runs[i].tally = tally;
    }
    let mut pending = pending.into_inner().unwrap_or_else(|e| e.into_inner());
    pending.sort_by_key(|p| p.index);
    FilesRun {
        runs,
        pending,
        aggregate: match in_order.error {
            Some(e) => Err(e),
            None => Ok(in_order.aggregate),
        },
    }
}

/// Audit input `i` into its spool file, then save its annotated copy, or leave the copy in
/// `pending` when every input has started by the time its rows are all written.
fn run_file(
    i: usize,
    input: &Input,
    run: &RunCtx,
    spool: &Spool,
    make_sink: &(dyn Fn(usize) -> Option<Box<dyn FileSink>> + Sync),
    all_started: &dyn Fn() -> bool,
    pending: &std::sync::Mutex<Vec<PendingSave>>,
) -> FileRun {
    let path = spool.path(i);
    let mut w = match FileSpool::create(&path, &spool.rows_path(i)) {
        Ok(w) => w,
        Err(e) => {
            let error = format!("cannot create temporary findings {}: {e}", path.display());
            return FileRun {
                outcome: FileOutcome {
                    file: input.display.clone(),
                    error: Some(error),
                    sheets: Vec::new(),
                    results: Vec::new(),
                    records: 0,
                    annotated: None,
                },
                tally: Tally::default(),
                firsts: Vec::new(),
                part: Aggregate::part(),
                marked: Vec::new(),
            };
        }
    };
    let mut sink = make_sink(i);
    let keep = sink.as_ref().is_some_and(|s| s.wants_results());
    let mut r = audit_file(
        input,
        run,
        sink.as_deref_mut().map(|s| s as &mut (dyn Sink + Send)),
        &mut w,
        keep,
    );
    if let Err(e) = w.flush() {
        r.outcome.error = Some(format!(
            "cannot write temporary findings {}: {e}",
            path.display()
        ));
        r.outcome.records = 0;
    }
    r.part.set_rows(spool.rows_path(i));
    // An input with no audited sheet gets no annotated copy: the reports list it as not
    // audited, with the reason.
    if let Some(s) = sink
        && r.outcome.error.is_none()
        && r.outcome.sheets.iter().any(|sh| sh.audited)
    {
        let last = all_started();
        match s.target() {
            Some(target) if last && !keep => {
                let outcome = FileOutcome {
                    results: Vec::new(),
                    ..r.outcome.clone()
                };
                r.outcome.annotated = Some(target);
                let p = PendingSave {
                    index: i,
                    sink: s,
                    outcome,
                };
                pending.lock().unwrap_or_else(|e| e.into_inner()).push(p);
            }
            _ => match finish_sink(s, &r.outcome) {
                Ok(path) => r.outcome.annotated = Some(path),
                Err(e) => r.outcome.error = Some(e),
            },
        }
    }
    r
}

/// Save the pending copies on `pool`, side by side: each input's index with the path
/// saved or the error for its outcome.
pub fn save_pending(
    pool: &rayon::ThreadPool,
    pending: Vec<PendingSave>,
) -> Vec<(usize, Result<PathBuf, String>)> {
    pool.install(|| pending.into_par_iter().map(PendingSave::save).collect())
}

/// Write `findings.jsonl` from the spooled lines (input order, cross-file DATA003 findings
/// in them), then assemble the batch outcome: audited files, then inputs that could not
/// be used. Also returns the records marked across files, per file, and the byte length
/// of the record lines (the error lines follow; see [`rewrite_error_lines`]).
pub fn finish_batch(
    out: &Path,
    spool: &Spool,
    runs: Vec<FileRun>,
    input_errors: Vec<(String, String)>,
    skipped: usize,
    as_of: NaiveDate,
    rules_origin: &str,
) -> anyhow::Result<(BatchOutcome, Vec<Vec<usize>>, u64)> {
    use std::io::Seek;
    let mut records_len = 0;
    let findings = out.join("findings.jsonl");
    let mut tally = Tally::default();
    let mut files = Vec::with_capacity(runs.len() + input_errors.len());
    let mut marked = Vec::with_capacity(runs.len());
    write_atomic(&findings, |w| {
        for (i, run) in runs.iter().enumerate() {
            if run.outcome.records == 0 {
                continue;
            }
            tally.absorb(&run.tally);
            let mut src = std::fs::File::open(spool.path(i))?;
            // File to file, so the kernel copies (copy_file_range): a million records are
            // over a gigabyte.
            w.flush()?;
            std::io::copy(&mut src, w.get_mut())?;
        }
        records_len = w.stream_position()?;
        for run in runs {
            marked.push(run.marked);
            files.push(run.outcome);
        }
        files.extend(
            input_errors
                .into_iter()
                .map(|(file, error)| FileOutcome::failed(file, error)),
        );
        crate::report::jsonl::write_errors(&mut *w, &files)
    })?;
    Ok((
        BatchOutcome {
            files,
            skipped_files: skipped,
            as_of: as_of.format("%Y-%m-%d").to_string(),
            rules_origin: rules_origin.to_string(),
            tally,
            findings,
            practices_unchecked: Vec::new(),
            evidence: Default::default(),
        },
        marked,
        records_len,
    ))
}

/// Replace the error lines at the end of `findings.jsonl` (after its first `records_len`
/// bytes) with those of `files`: for inputs whose annotated copy failed after the file
/// was written.
pub fn rewrite_error_lines(
    findings: &Path,
    records_len: u64,
    files: &[FileOutcome],
) -> anyhow::Result<()> {
    use std::io::Read;
    let old = std::fs::File::open(findings)
        .with_context(|| format!("cannot read {}", findings.display()))?;
    write_atomic(findings, |w| {
        std::io::copy(&mut old.take(records_len), w)?;
        crate::report::jsonl::write_errors(&mut *w, files)
    })
}

/// Practices that no audited sheet could show evidence for, with a column that would.
pub fn unchecked_practices(engine: &Engine, batch: &BatchOutcome) -> Vec<String> {
    crate::risk::practices::unchecked(&engine.risk.practices, batch)
}

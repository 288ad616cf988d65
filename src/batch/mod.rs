//! The batch: find the inputs, audit each file (in parallel, each isolated), and gather
//! the outcomes in input order.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use anyhow::Context;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::audit::{self, Ctx, Engine};
use crate::cell::Row;
use crate::ingest::Workbook;
use crate::ingest::build::{self, ClauseIndex};
use crate::ingest::fields::Synonyms;
use crate::ingest::header::{self, HeaderMap, SheetKind};
use crate::model::{
    BatchOutcome, FileOutcome, Finding, RecordResult, SheetOutcome, Tally, status_of,
};
use crate::output::write_atomic;
use crate::report::aggregate::Aggregate;
use crate::sink::{FileSink, Sink};

mod inputs;
pub use inputs::*;

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

/// Audit one file, catching any panic inside a parser so one bad file never stops the batch.
/// Each record is written to `spool` as its `findings.jsonl` line as soon as it is judged;
/// records are kept in memory only with `keep_results` (for a sink that asks for them).
pub fn audit_file(
    input: &Input,
    run: &RunCtx,
    sink: Option<&mut (dyn Sink + Send)>,
    spool: &mut FileSpool,
    keep_results: bool,
) -> FileRun {
    let caught = crate::isolate::catch(|| audit_file_inner(input, run, sink, spool, keep_results));
    let mut outcome = FileOutcome {
        file: input.display.clone(),
        error: None,
        sheets: Vec::new(),
        results: Vec::new(),
        records: 0,
        annotated: None,
    };
    let error = match caught {
        Ok(Ok(a)) => {
            outcome.sheets = a.sheets;
            outcome.results = a.results;
            outcome.records = a.tally.records;
            return FileRun {
                outcome,
                tally: a.tally,
                firsts: a.firsts,
                part: a.part,
                marked: Vec::new(),
            };
        }
        Ok(Err(e)) => format!("{e:#}"),
        Err(panic) => {
            format!("internal error while reading this file ({panic})")
        }
    };
    // A file that fails part-way contributes no records (its spooled lines are ignored).
    outcome.error = Some(error);
    FileRun {
        outcome,
        tally: Tally::default(),
        firsts: Vec::new(),
        part: Aggregate::part(),
        marked: Vec::new(),
    }
}

struct Audited {
    sheets: Vec<SheetOutcome>,
    results: Vec<RecordResult>,
    tally: Tally,
    firsts: Vec<FirstSeen>,
    part: Aggregate,
}

fn audit_file_inner(
    input: &Input,
    run: &RunCtx,
    sink: Option<&mut (dyn Sink + Send)>,
    spool: &mut FileSpool,
    keep_results: bool,
) -> anyhow::Result<Audited> {
    // Test-only switch (docs/hardening.md): panic for one named file, so that isolation is
    // tested through the binary (tests/hostile.rs).
    if let Ok(name) = std::env::var("TIPAUDIT_TEST_PANIC_ON")
        && input.path.file_name().is_some_and(|n| *n == *name)
    {
        panic!("test panic requested for {name}");
    }
    if crate::evidence::document::is_document(&input.path) {
        return audit_document(input, run, spool, keep_results);
    }
    let mut wb = Workbook::open_with(&input.path, &run.limits)?;
    let sheet_names = wb.sheet_names().to_vec();
    let headers = detect_headers(&mut wb, &sheet_names, run)?;
    let (clause_index, clause_sheet) = read_clause_lists(&mut wb, &sheet_names, &headers, run)?;
    let long_form = clause_sheet.as_deref().map(|s| (s, &clause_index));
    let sheets = Sheets {
        names: &sheet_names,
        headers: &headers,
        long_form,
    };
    audit_and_copy(input, run, &mut wb, &sheets, sink, spool, keep_results)
}

/// The sheets of a workbook as pass 2 reads them.
struct Sheets<'a> {
    names: &'a [String],
    headers: &'a [Option<HeaderMap>],
    /// The first long-form clause sheet and the clauses read from all of them.
    long_form: Option<(&'a str, &'a ClauseIndex)>,
}

/// Pass 1: each sheet's header, found from its first rows.
fn detect_headers(
    wb: &mut Workbook,
    sheet_names: &[String],
    run: &RunCtx,
) -> anyhow::Result<Vec<Option<HeaderMap>>> {
    let parser = &run.engine.clause_parser;
    let mut headers: Vec<Option<HeaderMap>> = Vec::with_capacity(sheet_names.len());
    for name in sheet_names {
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
    Ok(headers)
}

/// Long-form clause sheets, read in full before any record is audited: their clauses and
/// the name of the first of them.
fn read_clause_lists(
    wb: &mut Workbook,
    sheet_names: &[String],
    headers: &[Option<HeaderMap>],
    run: &RunCtx,
) -> anyhow::Result<(ClauseIndex, Option<String>)> {
    let parser = &run.engine.clause_parser;
    let mut clause_index = ClauseIndex::new();
    let mut clause_sheet: Option<String> = None;
    for (name, h) in sheet_names.iter().zip(headers) {
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
    Ok((clause_index, clause_sheet))
}

/// Pass 2: audit record sheets and copy every sheet. Three stages overlap: a reader
/// thread parses the XML, this thread judges rows (on every core) and writes their
/// findings lines, and a writer thread writes the annotated copy. Writing the copy is
/// the longest stage, so it gets a thread of its own and never waits for judging while
/// judged rows are queued for it.
fn audit_and_copy(
    input: &Input,
    run: &RunCtx,
    wb: &mut Workbook,
    sheets: &Sheets,
    sink: Option<&mut (dyn Sink + Send)>,
    spool: &mut FileSpool,
    keep_results: bool,
) -> anyhow::Result<Audited> {
    std::thread::scope(|scope| {
        let (tx, writer) = match sink {
            Some(s) => {
                let (tx, rx) = std::sync::mpsc::sync_channel::<ToWriter>(BATCHES_IN_FLIGHT);
                // Guarded like the reader: a panic in the writer becomes this file's error.
                let writer = scope
                    .spawn(move || crate::isolate::rethrow_silently(move || write_copy(s, rx)));
                (Some(tx), Some(writer))
            }
            None => (None, None),
        };
        let audited = audit_sheets(input, run, wb, sheets, tx.as_ref(), spool, keep_results);
        // Let the writer finish what it was sent before joining it.
        drop(tx);
        let written = writer.map(|w| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        // The writer only ever fails on rows this thread has already passed, so its error
        // is the earlier one.
        match written {
            Some(Err(e)) => Err(e),
            _ => audited,
        }
    })
}

/// A contract document given as an input: one record (`row` null), its findings on the
/// page or line of their evidence, joined to `--clauses` evidence like any record.
fn audit_document(
    input: &Input,
    run: &RunCtx,
    spool: &mut FileSpool,
    keep_results: bool,
) -> anyhow::Result<Audited> {
    use crate::evidence::{document, record as docrec};
    let doc = document::read(&input.path, &run.engine.clause_parser)?;
    let mut rec = docrec::document_record(&doc, &input.display);
    if !run.evidence.is_empty() {
        run.evidence.join(&mut rec);
    }
    let ctx = Ctx {
        engine: run.engine,
        as_of: run.as_of,
        column_name: &|_| None,
    };
    let (mut findings, cats) = audit::check(&rec, &ctx);
    docrec::locate(&mut findings, &doc);
    let r = audit::verdict(&rec, findings, cats, &input.display, DOCUMENT_SHEET);
    (run.on_rows)(1);
    spool.record(&r)?;
    let mut tally = Tally::default();
    tally.add(&r);
    let mut part = Aggregate::part();
    part.add(&r);
    let firsts = record_key(&r)
        .map(|key| FirstSeen {
            key,
            ordinal: 0,
            sheet: 0,
            row: 0,
        })
        .into_iter()
        .collect();
    let note = crate::evidence::load::named_by_file(&doc);
    Ok(Audited {
        sheets: vec![SheetOutcome {
            name: DOCUMENT_SHEET.to_string(),
            audited: true,
            header_row: None,
            records: 1,
            note,
            evidence: Vec::new(),
            no_clause_data: usize::from(clauses_unchecked(&rec, &r)),
        }],
        results: if keep_results { vec![r] } else { Vec::new() },
        tally,
        firsts,
        part,
    })
}

/// The record has no clause data at all and a clause determination needed it (DATA001 on
/// the clauses field): clause compliance was not checked. A record no clause rule applies
/// to (dated before the clauses existed) needed none.
fn clauses_unchecked(rec: &crate::record::Record, r: &RecordResult) -> bool {
    rec.clauses_source.is_none()
        && r.findings
            .iter()
            .any(|f| f.rule == "DATA001" && f.message.starts_with("clauses "))
}

/// The sheet name a document's record is reported under.
pub const DOCUMENT_SHEET: &str = "Document";

/// What the judging thread hands the annotated-copy writer, in sheet and row order.
enum ToWriter<'a> {
    Start {
        name: &'a str,
        header: Option<&'a HeaderMap>,
        merges: Vec<crate::cell::Merge>,
        note: Option<String>,
    },
    /// Rows with their records (`None` for rows that are not records), index for index.
    Rows(Vec<Row>, Vec<Option<RecordResult>>),
    End,
}

/// The writer thread: feed the sink until the judging thread hangs up.
fn write_copy(sink: &mut (dyn Sink + Send), rx: Receiver<ToWriter>) -> anyhow::Result<()> {
    for msg in rx {
        match msg {
            ToWriter::Start {
                name,
                header,
                merges,
                note,
            } => sink.start_sheet(name, header, &merges, note.as_deref())?,
            ToWriter::Rows(rows, results) => sink.write_rows(&rows, results)?,
            ToWriter::End => sink.end_sheet()?,
        }
    }
    Ok(())
}

/// Send to the writer, if there is one. A closed channel means the writer failed; its own
/// error is the one reported (see `audit_file_inner`).
fn to_writer<'a>(tx: Option<&SyncSender<ToWriter<'a>>>, msg: ToWriter<'a>) -> anyhow::Result<()> {
    match tx {
        Some(tx) => tx
            .send(msg)
            .map_err(|_| anyhow::anyhow!("the annotated copy stopped")),
        None => Ok(()),
    }
}

/// Pass 2 on the judging thread: every sheet in order, record sheets audited.
fn audit_sheets<'a>(
    input: &Input,
    run: &RunCtx,
    wb: &mut Workbook,
    sheets: &Sheets<'a>,
    tx: Option<&SyncSender<ToWriter<'a>>>,
    spool: &mut FileSpool,
    keep_results: bool,
) -> anyhow::Result<Audited> {
    let mut file = FileJudging {
        out: Audited {
            sheets: Vec::new(),
            results: Vec::new(),
            tally: Tally::default(),
            firsts: Vec::new(),
            part: Aggregate::part(),
        },
        first_seen: HashMap::new(),
        spool,
        keep_results,
    };
    for si in 0..sheets.names.len() {
        let sheet = audit_sheet(input, run, wb, sheets, si, tx, &mut file)?;
        file.out.sheets.push(sheet);
    }
    Ok(file.finish())
}

/// A record as judged on a worker: its result, its contract id column, and whether it had
/// no clause data.
type Judged = (RecordResult, u32, bool);

/// What judging a row of one sheet needs; shared by the worker threads.
struct SheetPass<'s> {
    run: &'s RunCtx<'s>,
    input: &'s Input,
    names: &'s [String],
    /// Index of this sheet in `names`.
    index: usize,
    /// The record header, for a sheet that is audited.
    header: Option<&'s HeaderMap>,
    long_form: Option<(&'s str, &'s ClauseIndex)>,
    column_name: &'s (dyn Fn(u32) -> Option<crate::model::Text> + Sync),
}

/// Pass 2 state carried across the sheets of one file.
struct FileJudging<'w> {
    out: Audited,
    /// First (sheet, row, ordinal) of each identity in this file.
    first_seen: HashMap<Box<str>, (u32, u32, usize)>,
    spool: &'w mut FileSpool,
    keep_results: bool,
}

/// Counts for one sheet as its rows pass.
#[derive(Default)]
struct SheetCounts {
    records: usize,
    /// Rows below the header with content that are not records (no contract id and too
    /// little else): counted and named so no row disappears without a word.
    not_read: (usize, Vec<u32>),
    no_clause_data: usize,
}

/// One sheet of pass 2: announced to the writer, its rows judged, written and sent on.
fn audit_sheet<'a>(
    input: &Input,
    run: &RunCtx,
    wb: &mut Workbook,
    sheets: &Sheets<'a>,
    si: usize,
    tx: Option<&SyncSender<ToWriter<'a>>>,
    file: &mut FileJudging,
) -> anyhow::Result<SheetOutcome> {
    let names: &'a [String] = sheets.names;
    let headers: &'a [Option<HeaderMap>] = sheets.headers;
    let name = &names[si];
    // Only the annotated copy uses merged ranges; for xlsx they are found by a byte
    // scan of the sheet part rather than a second XML parse (ingest/xlsx_merges.rs).
    let merges = if tx.is_some() {
        wb.merges(name)
    } else {
        Vec::new()
    };
    let (audit_map, note) = sheet_role(headers[si].as_ref());
    to_writer(
        tx,
        ToWriter::Start {
            name,
            header: audit_map,
            merges,
            note: note.clone(),
        },
    )?;
    let mut counts = SheetCounts::default();
    // Made once per sheet: every finding on a column shares its header text.
    let headers: HashMap<u32, crate::model::Text> = audit_map
        .map(|h| h.names.iter().map(|(c, n)| (*c, n.into())).collect())
        .unwrap_or_default();
    let column_name = |c: u32| headers.get(&c).cloned();
    let sheet = SheetPass {
        run,
        input,
        names,
        index: si,
        header: audit_map,
        long_form: sheets.long_form,
        column_name: &column_name,
    };
    // Building and judging a record depends on that row alone, so a batch of rows is
    // judged on every core (rayon keeps their order); the duplicate check and the
    // writes that follow need input order and stay on this thread.
    let mut handle = |rows: Vec<Row>| -> anyhow::Result<()> {
        let judged: Vec<Option<Judged>> = if audit_map.is_some() {
            rows.par_iter()
                .with_min_len(16)
                .map(|row| judge_row(row, &sheet))
                .collect()
        } else {
            Vec::new()
        };
        let for_copy = file.take_rows(&rows, judged, &sheet, &mut counts, tx.is_some())?;
        to_writer(tx, ToWriter::Rows(rows, for_copy))
    };
    read_pipelined(wb, name, run.on_rows, &mut handle)?;
    to_writer(tx, ToWriter::End)?;
    Ok(counts.outcome(name, audit_map, note))
}

/// How a sheet is used: its header when its records are audited, and the note on it.
fn sheet_role(h: Option<&HeaderMap>) -> (Option<&HeaderMap>, Option<String>) {
    match h {
        Some(h) if h.kind() == SheetKind::Records => (Some(h), duplicate_note(h)),
        Some(_) => (
            None,
            Some("long-form clause list, joined to the records by contract id".to_string()),
        ),
        None => (
            None,
            Some("no header with a contract id column in the first 30 rows".to_string()),
        ),
    }
}

/// Build and judge the record on `row`, if the row holds one.
fn judge_row(row: &Row, sheet: &SheetPass) -> Option<Judged> {
    let h = sheet.header.filter(|h| row.index > h.row)?;
    let run = sheet.run;
    let mut rec = build::record(row, h, &run.engine.clause_parser, sheet.long_form)?;
    if !run.evidence.is_empty() {
        run.evidence.join(&mut rec);
    }
    let ctx = Ctx {
        engine: run.engine,
        as_of: run.as_of,
        column_name: sheet.column_name,
    };
    let (findings, cats) = audit::check(&rec, &ctx);
    let r = audit::verdict(
        &rec,
        findings,
        cats,
        &sheet.input.display,
        &sheet.names[sheet.index],
    );
    let unchecked = clauses_unchecked(&rec, &r);
    Some((r, rec.contract_id_col, unchecked))
}

impl FileJudging<'_> {
    /// Take a batch of rows with their judged records, in order; returns the records for
    /// the annotated copy, row for row (nothing without a copy).
    fn take_rows(
        &mut self,
        rows: &[Row],
        judged: Vec<Option<Judged>>,
        sheet: &SheetPass,
        counts: &mut SheetCounts,
        copy: bool,
    ) -> anyhow::Result<Vec<Option<RecordResult>>> {
        let mut judged = judged.into_iter();
        let mut for_copy = Vec::with_capacity(if copy { rows.len() } else { 0 });
        for row in rows {
            let mut result = None;
            let next = judged.next().flatten();
            if next.is_none()
                && sheet.header.is_some_and(|h| row.index > h.row)
                && row.cells.iter().any(|c| !c.value.is_empty())
            {
                counts.not_read.0 += 1;
                if counts.not_read.1.len() < crate::coverage::SHOWN {
                    counts.not_read.1.push(row.index + 1);
                }
            }
            if let Some((r, id_col, no_clauses)) = next {
                counts.no_clause_data += usize::from(no_clauses);
                counts.records += 1;
                result = Some(self.take_record(r, id_col, sheet)?);
            }
            if copy {
                for_copy.push(result);
            }
        }
        Ok(for_copy)
    }

    /// A record in input order: marked when its identity came earlier in the file,
    /// written to the spool and counted.
    fn take_record(
        &mut self,
        mut r: RecordResult,
        id_col: u32,
        sheet: &SheetPass,
    ) -> anyhow::Result<RecordResult> {
        if let Some(key) = record_key(&r) {
            match self.first_seen.entry(key) {
                Entry::Occupied(e) => {
                    let (first_sheet, first_row, _) = *e.get();
                    r.findings.push(duplicate_finding(
                        sheet.run.engine,
                        &r.contract_id,
                        &format!(
                            "sheet '{}' row {first_row}",
                            sheet.names[first_sheet as usize]
                        ),
                        id_col,
                        sheet.column_name,
                    ));
                    r.status = status_of(&r.findings);
                }
                Entry::Vacant(e) => {
                    e.insert((sheet.index as u32, r.row, self.out.tally.records));
                }
            }
        }
        self.spool.record(&r)?;
        self.out.tally.add(&r);
        self.out.part.add(&r);
        if self.keep_results {
            self.out.results.push(r.clone());
        }
        Ok(r)
    }

    /// The file's outcome, with its first identities in record order.
    fn finish(mut self) -> Audited {
        self.out.firsts = self
            .first_seen
            .into_iter()
            .map(|(key, (sheet, row, ordinal))| FirstSeen {
                key,
                ordinal,
                sheet,
                row,
            })
            .collect();
        self.out.firsts.sort_unstable_by_key(|f| f.ordinal);
        self.out
    }
}

impl SheetCounts {
    fn outcome(
        self,
        name: &str,
        audit_map: Option<&HeaderMap>,
        note: Option<String>,
    ) -> SheetOutcome {
        let note = match (
            note,
            crate::coverage::rows_not_read_note(self.not_read.0, &self.not_read.1),
        ) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        };
        SheetOutcome {
            name: name.to_string(),
            audited: audit_map.is_some(),
            header_row: audit_map.map(|h| h.row),
            records: self.records,
            note,
            evidence: audit_map
                .map(|h| h.evidence.keys().cloned().collect())
                .unwrap_or_default(),
            no_clause_data: self.no_clause_data,
        }
    }
}

/// Rows per message from the reader thread: enough that the channel costs nothing per row.
const ROWS_PER_BATCH: usize = 256;
/// Batches in flight: how far the reader may run ahead of the auditor (bounds memory).
const BATCHES_IN_FLIGHT: usize = 8;

/// Read `sheet` on a second thread and hand its rows, in order and in batches, to
/// `consume` on this one,
/// through a bounded channel. An error on either side stops both; a panic in the reader
/// is re-raised here with its own message (for `audit_file`'s `catch_unwind`).
fn read_pipelined(
    wb: &mut Workbook,
    sheet: &str,
    on_rows: &(dyn Fn(u64) + Sync),
    consume: &mut dyn FnMut(Vec<Row>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Row>>(BATCHES_IN_FLIGHT);
    std::thread::scope(|s| {
        // Guarded on this thread too, so a parser panic here is reported as this file's
        // error, with its location, and never printed (isolate.rs).
        let reader = s.spawn(move || {
            crate::isolate::rethrow_silently(move || {
                let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
                let read = wb.rows(sheet, &mut |row| {
                    batch.push(row);
                    if batch.len() == ROWS_PER_BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH));
                        // A closed channel means the auditor failed: stop reading.
                        return Ok(tx.send(full).is_ok());
                    }
                    Ok(true)
                });
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                read
            })
        });
        let mut consumed = Ok(());
        for rows in rx.iter() {
            on_rows(rows.len() as u64);
            if let Err(e) = consume(rows) {
                consumed = Err(e);
                break;
            }
        }
        // Unblock a reader waiting on a full channel before joining it.
        drop(rx);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        consumed?;
        read.map_err(Into::into)
    })
}

/// Say which header names repeat; the first column of each name is the one audited.
fn duplicate_note(h: &HeaderMap) -> Option<String> {
    if h.duplicate_names.is_empty() {
        return None;
    }
    let mut names = h.duplicate_names.clone();
    names.dedup();
    Some(format!(
        "duplicate column names in header row {}: {}; the first column of each name is used",
        h.row + 1,
        names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn duplicate_finding(
    engine: &Engine,
    id: &str,
    first: &str,
    col: u32,
    column_name: &dyn Fn(u32) -> Option<crate::model::Text>,
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

/// The DATA003 finding for a record whose identity was first seen in an earlier file.
pub fn cross_file_finding(engine: &Engine, contract_id: &str, first: &str) -> Finding {
    engine.rules.finding(
        "DATA003",
        &[
            ("contract_id", contract_id.to_string()),
            ("first", first.to_string()),
        ],
        None,
    )
}

/// Contract ids that repeat across files, against the first occurrence in input order
/// (repeats within a file are marked while the file is audited). Fed each file's first
/// occurrences in input order; only one compact key per distinct identity is kept.
#[derive(Default)]
pub struct CrossFile {
    /// key -> (file, sheet name, row) of the first occurrence, as indices into `names`.
    first: HashMap<Box<str>, (u32, u32, u32)>,
    names: Vec<Box<str>>,
    name_ids: HashMap<Box<str>, u32>,
    file: u32,
    /// Keys of this file already marked (only a file's first occurrence is marked).
    marked: HashSet<Box<str>>,
}

impl CrossFile {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.name_ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.name_ids.insert(s.into(), id);
        id
    }

    /// Start the next file in input order.
    pub fn start_file(&mut self, file: &str) {
        self.file = self.intern(file);
        self.marked.clear();
    }

    /// One record of the current file; `Some(first)` ("file, sheet 'S' row N") when it
    /// repeats an identity first seen in an earlier file and must get a DATA003 finding.
    pub fn record(&mut self, key: Box<str>, sheet: &str, row: u32) -> Option<String> {
        match self.first.get(&key) {
            Some((f, _, _)) if *f == self.file => None,
            Some(&(f, s, r)) => self.marked.insert(key).then(|| {
                format!(
                    "{}, sheet '{}' row {r}",
                    self.names[f as usize], self.names[s as usize]
                )
            }),
            None => {
                let s = self.intern(sheet);
                self.first.insert(key, (self.file, s, row));
                None
            }
        }
    }
}

/// A file's audit as the batch's aggregate takes it, in input order.
struct Done {
    file: String,
    sheets: Vec<String>,
    firsts: Vec<FirstSeen>,
    tally: Tally,
    part: Aggregate,
}

/// Takes each file's part into the batch's aggregate in input order as the files finish,
/// and marks the records that repeat an identity of an earlier file (DATA003): their
/// spooled lines and listing rows are rewritten with the finding once, and those records
/// counted again in their file's part and tally.
struct InOrder<'a> {
    engine: &'a Engine,
    spool: &'a Spool,
    next: usize,
    waiting: BTreeMap<usize, Done>,
    cross: CrossFile,
    aggregate: Aggregate,
    /// (file, ordinals marked, its tally with the marks) for each file with marks.
    marked: Vec<(usize, Vec<usize>, Tally)>,
    error: Option<anyhow::Error>,
}

impl InOrder<'_> {
    fn done(&mut self, i: usize, done: Done) {
        self.waiting.insert(i, done);
        while let Some(d) = self.waiting.remove(&self.next) {
            let i = self.next;
            self.next += 1;
            self.cross.start_file(&d.file);
            let marks: Vec<(usize, String)> = d
                .firsts
                .into_iter()
                .filter_map(|f| {
                    let sheet = &d.sheets[f.sheet as usize];
                    self.cross
                        .record(f.key, sheet, f.row)
                        .map(|t| (f.ordinal, t))
                })
                .collect();
            if marks.is_empty() {
                self.aggregate.merge(d.part);
                continue;
            }
            let (mut part, mut tally) = (d.part, d.tally);
            match self.mark(i, &marks, &mut part, &mut tally) {
                Ok(()) => {
                    self.aggregate.merge(part);
                    let ordinals = marks.into_iter().map(|(o, _)| o).collect();
                    self.marked.push((i, ordinals, tally));
                }
                Err(e) => {
                    self.error.get_or_insert(e);
                }
            }
        }
    }

    /// Add the DATA003 findings of `marks` (ordinal, first occurrence) to file `i`'s
    /// spooled lines and listing rows, and count those records again in its part and
    /// tally. Only the marked lines are parsed; the others are copied as bytes.
    fn mark(
        &self,
        i: usize,
        marks: &[(usize, String)],
        part: &mut Aggregate,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        let path = self.spool.path(i);
        let mut src = BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
        let tmp = self.spool.dir.path().join(format!("{i}.marked"));
        let rows_path = self.spool.rows_path(i);
        let rows_tmp = self.spool.dir.path().join(format!("{i}.rows.marked"));
        let mut w = FileSpool::create(&tmp, &rows_tmp)?;
        let mut changed = Vec::with_capacity(marks.len());
        let mut line = Vec::new();
        let mut next = 0;
        for (at, first) in marks {
            copy_lines(&mut src, &mut w.lines, at - next)?;
            line.clear();
            src.read_until(b'\n', &mut line)?;
            let old: RecordResult = serde_json::from_slice(&line)?;
            let mut r = old.clone();
            r.findings
                .push(cross_file_finding(self.engine, &r.contract_id, first));
            r.status = status_of(&r.findings);
            crate::report::jsonl::write_record(&mut w.lines, &r)?;
            tally.remove(&old);
            tally.add(&r);
            part.patch(*at, &old, &r);
            changed.push((*at, r));
            next = at + 1;
        }
        std::io::copy(&mut src, &mut w.lines)?;
        let mut rows = BufReader::with_capacity(1 << 16, std::fs::File::open(&rows_path)?);
        crate::report::listings::patch(&mut rows, &mut w.rows, &changed)?;
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, &path)?;
        std::fs::rename(&rows_tmp, &rows_path)?;
        Ok(())
    }
}

/// Where one file's records go as they are judged: their `findings.jsonl` lines and their
/// rows in the gap report's listings, framed by record.
pub struct FileSpool {
    lines: BufWriter<std::fs::File>,
    rows: BufWriter<std::fs::File>,
    /// The next record's ordinal.
    next: usize,
    buf: Vec<u8>,
}

impl FileSpool {
    fn create(lines: &Path, rows: &Path) -> std::io::Result<FileSpool> {
        Ok(FileSpool {
            lines: BufWriter::with_capacity(1 << 16, std::fs::File::create(lines)?),
            rows: BufWriter::with_capacity(1 << 16, std::fs::File::create(rows)?),
            next: 0,
            buf: Vec::new(),
        })
    }

    fn record(&mut self, r: &RecordResult) -> anyhow::Result<()> {
        crate::report::jsonl::write_record(&mut self.lines, r)?;
        crate::report::listings::write_framed(&mut self.rows, &mut self.buf, self.next, r)?;
        self.next += 1;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.lines.flush()?;
        self.rows.flush()
    }
}

/// Copy `n` lines from `src` to `dst`.
fn copy_lines(src: &mut impl BufRead, dst: &mut impl Write, mut n: usize) -> std::io::Result<()> {
    while n > 0 {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let (mut end, mut seen) = (buf.len(), 0);
        for at in memchr::memchr_iter(b'\n', buf) {
            seen += 1;
            if seen == n {
                end = at + 1;
                break;
            }
        }
        dst.write_all(&buf[..end])?;
        src.consume(end);
        n -= seen;
    }
    Ok(())
}

/// Per-file spooled findings lines, in a hidden directory of the output directory (same
/// file system as `findings.jsonl`); removed when dropped.
pub struct Spool {
    dir: tempfile::TempDir,
}

impl Spool {
    pub fn new_in(out: &Path) -> anyhow::Result<Spool> {
        let dir = tempfile::Builder::new()
            .prefix(".tipaudit-spool-")
            .suffix(".tmp")
            .tempdir_in(out)
            .with_context(|| format!("cannot create a temporary directory in {}", out.display()))?;
        Ok(Spool { dir })
    }

    pub fn path(&self, i: usize) -> PathBuf {
        self.dir.path().join(format!("{i}.jsonl"))
    }

    /// Input `i`'s rows for the gap report's listings.
    pub fn rows_path(&self, i: usize) -> PathBuf {
        self.dir.path().join(format!("{i}.rows"))
    }
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

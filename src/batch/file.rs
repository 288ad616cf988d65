//! One input file's audit: its sheets (or its document) read, judged and streamed into its
//! annotated copy, which is written on a thread of its own.

use std::sync::mpsc::{Receiver, SyncSender};

use super::sheet::{BATCHES_IN_FLIGHT, audit_sheets};
use super::spool::FileSpool;
use super::{FileRun, FirstSeen, Input, RunCtx, record_key};
use crate::audit::{self, Ctx};
use crate::cell::Row;
use crate::ingest::Workbook;
use crate::ingest::build::{self, ClauseIndex};
use crate::ingest::header::{self, HeaderMap, SheetKind};
use crate::model::{FileOutcome, RecordResult, SheetOutcome, Tally};
use crate::report::aggregate::Aggregate;
use crate::sink::Sink;

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

pub(super) struct Audited {
    pub(super) sheets: Vec<SheetOutcome>,
    pub(super) results: Vec<RecordResult>,
    pub(super) tally: Tally,
    pub(super) firsts: Vec<FirstSeen>,
    pub(super) part: Aggregate,
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
pub(super) struct Sheets<'a> {
    pub(super) names: &'a [String],
    pub(super) headers: &'a [Option<HeaderMap>],
    /// The first long-form clause sheet and the clauses read from all of them.
    pub(super) long_form: Option<(&'a str, &'a ClauseIndex)>,
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
pub(super) fn clauses_unchecked(rec: &crate::record::Record, r: &RecordResult) -> bool {
    rec.clauses_source.is_none()
        && r.findings
            .iter()
            .any(|f| f.rule == "DATA001" && f.message.starts_with("clauses "))
}

/// The sheet name a document's record is reported under.
pub const DOCUMENT_SHEET: &str = "Document";

/// What the judging thread hands the annotated-copy writer, in sheet and row order.
pub(super) enum ToWriter<'a> {
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
pub(super) fn to_writer<'a>(
    tx: Option<&SyncSender<ToWriter<'a>>>,
    msg: ToWriter<'a>,
) -> anyhow::Result<()> {
    match tx {
        Some(tx) => tx
            .send(msg)
            .map_err(|_| anyhow::anyhow!("the annotated copy stopped")),
        None => Ok(()),
    }
}

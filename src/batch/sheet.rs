//! Judging a record sheet: rows read in batches, each batch judged on every core, then the
//! duplicate check, the spool and the annotated copy in row order.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::mpsc::SyncSender;

use rayon::prelude::*;

use super::file::{Audited, Sheets, ToWriter, clauses_unchecked, to_writer};
use super::spool::FileSpool;
use super::{FirstSeen, Input, RunCtx, record_key};
use crate::audit::{self, Ctx, Engine};
use crate::cell::Row;
use crate::ingest::Workbook;
use crate::ingest::build::{self, ClauseIndex};
use crate::ingest::header::{HeaderMap, SheetKind};
use crate::model::{RecordResult, SheetOutcome, Tally, status_of};
use crate::report::aggregate::Aggregate;

/// Pass 2 on the judging thread: every sheet in order, record sheets audited.
pub(super) fn audit_sheets<'a>(
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
pub(super) const BATCHES_IN_FLIGHT: usize = 8;

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

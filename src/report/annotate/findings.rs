//! The Findings sheet: one row per finding, linked to the cell it points to, written on a
//! thread of its own.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Url, Workbook, Worksheet};

use super::formats::{FILL_HDR, FILL_NONE, Formats, KIND_PLAIN};
use super::tallies::Tallies;
use super::{MAX_COLS, MAX_ROWS};
use crate::model::{RecordResult, Tally};
use crate::report::text::write_text_with;

/// Excel refuses more hyperlinks than this on one sheet; later rows keep the cell reference
/// as plain text.
const MAX_LINKS: usize = 65_530;

const FINDINGS_HEADERS: [&str; 13] = [
    "Sheet",
    "Row",
    "Cell",
    "Contract ID",
    "Status",
    "Risk",
    "Rule",
    "Severity",
    "Kind",
    "Column",
    "Message",
    "Fix",
    "Cite",
];

/// Records of a sheet, in order, for the Findings sheet.
pub(super) struct ToFindings {
    pub(super) sheet: String,
    pub(super) added_start: Option<u32>,
    pub(super) records: Vec<RecordResult>,
}

/// The Findings sheet is written on a thread of its own while the sheets are copied: it
/// lists every finding, so it is about a third of the copy's writing, and copying is the
/// slowest stage of a big workbook (docs/scale.md).
pub(super) struct FindingsSheet {
    tx: Option<std::sync::mpsc::SyncSender<ToFindings>>,
    thread: Option<std::thread::JoinHandle<Result<anyhow::Result<Tallies>, String>>>,
}

impl FindingsSheet {
    pub(super) fn start(mut tally: Tallies) -> FindingsSheet {
        // Bounded like the batch's other stages: at most this many batches of records wait.
        let (tx, rx) = std::sync::mpsc::sync_channel::<ToFindings>(8);
        let thread = std::thread::spawn(move || {
            crate::isolate::catch(move || -> anyhow::Result<Tallies> {
                let fmt = Formats::new();
                for batch in rx {
                    for r in &batch.records {
                        tally.add(&batch.sheet, batch.added_start, r, &fmt)?;
                    }
                }
                Ok(tally)
            })
        });
        FindingsSheet {
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    pub(super) fn send(&mut self, batch: ToFindings) -> anyhow::Result<()> {
        let sent = self.tx.as_ref().map(|tx| tx.send(batch).is_ok());
        if sent == Some(true) {
            return Ok(());
        }
        // The thread stopped on an error: that error is the one to report.
        self.finish().map(|_| ())?;
        bail!("the Findings sheet stopped")
    }

    /// Wait for every record sent to be listed; the sheet and the counts.
    pub(super) fn finish(&mut self) -> anyhow::Result<Tallies> {
        self.tx = None;
        let thread = self
            .thread
            .take()
            .context("the Findings sheet was already closed")?;
        match thread.join() {
            Ok(Ok(listed)) => listed,
            Ok(Err(panic)) => bail!("internal error while listing findings ({panic})"),
            Err(_) => bail!("internal error while listing findings"),
        }
    }
}

impl Tallies {
    pub(super) fn new(workbook: &mut Workbook, fmt: &Formats) -> anyhow::Result<Tallies> {
        // Streamed with inline strings (constant memory). The shared-string table would
        // make the file smaller (rule, kind, fix and cite repeat on most rows) but it is
        // held in memory, and messages and contract ids are distinct per record: at 1M
        // records it took peak memory to 920 MB.
        let mut ws = workbook.new_worksheet_with_constant_memory()?;
        let widths = [16u16, 7, 9, 22, 11, 8, 9, 9, 18, 20, 70, 50, 24];
        for (c, (h, w)) in FINDINGS_HEADERS.iter().zip(widths).enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &fmt.cell[FILL_HDR][KIND_PLAIN])?;
            ws.set_column_width(c as u16, w)?;
        }
        Ok(Tallies {
            ws,
            row: 0,
            links: 0,
            left_out: 0,
            counts: Tally::default(),
            findings: 0,
            by_rule: BTreeMap::new(),
        })
    }

    /// Count one record and list its findings, linked to the cells they point to.
    fn add(
        &mut self,
        sheet_name: &str,
        added_start: Option<u32>,
        r: &RecordResult,
        fmt: &Formats,
    ) -> anyhow::Result<()> {
        self.count(r);
        let q = &fmt.quoted[FILL_NONE];
        let ws = &mut self.ws;
        for f in &r.findings {
            if self.row + 1 >= MAX_ROWS - 1 {
                self.left_out += 1;
                continue;
            }
            self.row += 1;
            let row = self.row;
            write_text_with(ws, row, 0, sheet_name, None, q)?;
            ws.write_number(row, 1, r.row)?;
            let col = match (f.col_index, added_start) {
                (Some(c), Some(a)) if c < a => Some(c),
                (_, Some(a)) => Some(a + 2),
                (c, None) => c,
            };
            if let Some(c) = col
                && r.row >= 1
                && r.row <= MAX_ROWS
                && c < MAX_COLS
            {
                let cell_ref = row_col_to_cell(r.row - 1, c as u16);
                if self.links < MAX_LINKS {
                    let url = Url::new(format!(
                        "internal:'{}'!{cell_ref}",
                        sheet_name.replace('\'', "''")
                    ));
                    ws.write_url_with_options(row, 2, url, cell_ref, "", Some(&fmt.link))?;
                    self.links += 1;
                } else {
                    ws.write_string(row, 2, cell_ref)?;
                }
            }
            write_text_with(ws, row, 3, &r.contract_id, None, q)?;
            ws.write_string(row, 4, r.status.as_str())?;
            ws.write_string(row, 5, r.risk.as_str())?;
            write_text_with(ws, row, 6, &f.rule, None, q)?;
            ws.write_string(row, 7, f.severity.as_str())?;
            write_text_with(ws, row, 8, &f.kind, None, q)?;
            if let Some(c) = &f.column {
                write_text_with(ws, row, 9, c, None, q)?;
            }
            write_text_with(ws, row, 10, &f.message, None, q)?;
            write_text_with(ws, row, 11, &f.fix, None, q)?;
            write_text_with(ws, row, 12, &f.cite, None, q)?;
        }
        Ok(())
    }

    /// Close the Findings sheet under its final name.
    pub(super) fn finish_sheet(&mut self, name: &str, fmt: &Formats) -> anyhow::Result<Worksheet> {
        let mut ws = std::mem::replace(&mut self.ws, Worksheet::new());
        ws.set_name(name)?;
        let mut row = self.row;
        if self.left_out > 0 {
            row += 1;
            let msg = format!(
                "{} more findings not listed: Excel's row limit (see findings.jsonl)",
                self.left_out
            );
            ws.write_string_with_format(row, 0, msg, &fmt.bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, row.max(1), (FINDINGS_HEADERS.len() - 1) as u16)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
        Ok(ws)
    }
}

//! One sheet of the copy: what is remembered about it, its row copy, and its finishing
//! (panes, print setup, filter, widths, the Summary's remarks).

use anyhow::bail;
use rust_xlsxwriter::Worksheet;

use super::cells::write_cell;
use super::columns::ADDED_COLUMNS;
use super::formats::{FILL_HDR, FILL_NONE, Formats};
use super::notes::MAX_NOTES_PER_SHEET;
use super::{AnnotatedWriter, MAX_COLS, MAX_ROWS, SheetLayout};
use crate::cell::{Merge, Row};
use crate::model::RecordResult;

/// Column widths are estimated from this many rows (header included).
const WIDTH_SAMPLE_ROWS: u32 = 500;

/// What the writer remembers about each sheet it wrote, for links and the Summary.
#[derive(Debug, Clone)]
pub(super) struct SheetInfo {
    pub(super) input_name: String,
    pub(super) name: String,
    /// First added column, on audited sheets.
    pub(super) added_start: Option<u32>,
    pub(super) note: Option<String>,
    /// Limits hit while copying, said in the Summary.
    pub(super) remarks: Vec<String>,
}

pub(super) struct OpenSheet {
    pub(super) ws: Worksheet,
    pub(super) info: usize,
    pub(super) layout: Option<SheetLayout>,
    pub(super) added_start: u32,
    /// Accepted merges sorted by first row; `next_merge` is the first not yet applied.
    pub(super) merges: Vec<Merge>,
    pub(super) next_merge: usize,
    pub(super) header_done: bool,
    pub(super) last_row: Option<u32>,
    /// Estimated width of each column in characters.
    pub(super) widths: Vec<u16>,
    /// First and last record rows: the range the status fill rules cover.
    pub(super) first_record: Option<u32>,
    pub(super) last_record: Option<u32>,
    pub(super) notes: usize,
    pub(super) notes_skipped: usize,
    pub(super) rows_dropped: usize,
    pub(super) cells_dropped: usize,
    pub(super) cells_overwritten: usize,
    /// Reused per record row: (column, note text).
    pub(super) note_buf: Vec<(u32, String)>,
    /// The sheet has the Clause Source column.
    pub(super) clause_source: bool,
}

impl AnnotatedWriter {
    pub(super) fn copy_row(
        &mut self,
        row: &Row,
        result: Option<&RecordResult>,
    ) -> anyhow::Result<()> {
        let fmt = &self.fmt;
        let Some(s) = self.open.as_mut() else {
            bail!("write_row called outside a sheet");
        };
        if row.index >= MAX_ROWS {
            s.rows_dropped += 1;
            return Ok(());
        }
        if let Some(last) = s.last_row
            && row.index <= last
        {
            bail!(
                "rows out of order on sheet {:?}: row {} after row {}",
                s.ws.name(),
                row.index + 1,
                last + 1
            );
        }
        // The header goes out before any later row: constant-memory sheets cannot go back.
        if let Some(l) = s.layout
            && !s.header_done
            && row.index > l.header_row
        {
            s.apply_merges_through(l.header_row, fmt)?;
            s.write_added_header(l.header_row, fmt)?;
        }
        s.apply_merges_through(row.index, fmt)?;

        let is_header = s.layout.is_some_and(|l| l.header_row == row.index);
        // Record rows take their status fill from the sheet's conditional formats
        // (`end_sheet`), not from a format per cell.
        let fill = if is_header { FILL_HDR } else { FILL_NONE };
        // Title rows above the header would make the first column as wide as the title.
        let first = s.layout.map_or(0, |l| l.header_row);
        let sample = row.index >= first && row.index < first + WIDTH_SAMPLE_ROWS;
        let added_start = s.added_start;
        let audited = s.layout.is_some();

        for cell in &row.cells {
            if cell.col >= MAX_COLS {
                s.cells_dropped += 1;
                continue;
            }
            if audited && result.is_some() && cell.col >= added_start {
                s.cells_overwritten += 1;
            }
            let width = write_cell(&mut s.ws, row.index, cell, fill, fmt)?;
            if sample {
                s.note_width(cell.col, width);
            }
        }

        if let Some(r) = result
            && audited
        {
            s.write_result(row.index, r, fmt)?;
            s.first_record.get_or_insert(row.index);
            s.last_record = Some(row.index);
        }
        if is_header {
            s.write_added_header(row.index, fmt)?;
        }
        s.last_row = Some(row.index);
        Ok(())
    }

    /// An audited sheet's panes, risk colours, print setup, filter, widths and status fills.
    pub(super) fn finish_audited_sheet(
        s: &mut OpenSheet,
        l: SheetLayout,
        as_of: Option<&str>,
        fmt: &Formats,
    ) -> anyhow::Result<()> {
        let last = s.last_row.unwrap_or(l.header_row).max(l.header_row);
        let end_col =
            (s.added_start + ADDED_COLUMNS.len() as u32 - 1 + u32::from(s.clause_source)) as u16;
        // The header and the columns through the contract id stay in view, so the added
        // columns far to the right still read against their contract.
        let freeze_cols = l.id_col.map_or(0, |c| (c + 1).min(20)) as u16;
        s.ws.set_freeze_panes(l.header_row + 1, freeze_cols)?;
        s.add_risk_colours(l.header_row + 1, last.max(l.header_row + 1))?;
        // Printable as is: the full width on one page, the header on every page.
        s.ws.set_landscape();
        s.ws.set_print_fit_to_pages(1, 0);
        s.ws.set_repeat_rows(l.header_row, l.header_row)?;
        if let Some(as_of) = as_of {
            s.ws.set_footer(format!(
                "&LAudited as of {}&C&A&RPage &P of &N",
                as_of.replace('&', "&&")
            ));
        }
        s.ws.autofilter(l.header_row, 0, last, end_col)?;
        for (i, w) in [12u16, 8, 60, 18, 40].into_iter().enumerate() {
            s.ws.set_column_width(s.added_start as u16 + i as u16, w)?;
        }
        if let (Some(first), Some(last)) = (s.first_record, s.last_record) {
            s.add_status_fills(first, last, end_col, fmt)?;
        }
        Ok(())
    }

    /// What the copy of the sheet left out, for the Summary sheet.
    pub(super) fn sheet_remarks(s: &OpenSheet, info: &mut SheetInfo) {
        if s.notes_skipped > 0 {
            info.remarks.push(format!(
                "{} cell notes beyond the first {MAX_NOTES_PER_SHEET} on this sheet left out (every finding is on the Findings sheet)",
                s.notes_skipped
            ));
        }
        if s.rows_dropped > 0 {
            info.remarks.push(format!(
                "{} rows beyond Excel's {MAX_ROWS}-row limit not carried",
                s.rows_dropped
            ));
        }
        if s.cells_dropped > 0 {
            info.remarks.push(format!(
                "{} cells beyond Excel's {MAX_COLS}-column limit not carried",
                s.cells_dropped
            ));
        }
        if s.cells_overwritten > 0 {
            info.remarks.push(format!(
                "{} cells right of the header's last column were covered by the audit columns",
                s.cells_overwritten
            ));
        }
    }
}

impl OpenSheet {
    fn note_width(&mut self, col: u32, width: u16) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(width);
    }
}

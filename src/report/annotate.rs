//! The annotated copy of one input workbook (`<stem>.audited.xlsx`).
//!
//! Rows stream in from the reader and go straight out through rust_xlsxwriter's
//! constant-memory worksheets, so a million-row input never sits in memory twice. Values,
//! formulas with their cached results, dates and merged ranges are carried; formats calamine
//! cannot read (fonts, widths, validation, conditional formats) are not.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::utility::{column_number_to_name, row_col_to_cell};
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, Format, FormatAlign, FormatBorder, Formula, IntoExcelDateTime,
    Note, Url, Workbook, Worksheet,
};

use super::text::{fit, write_text_with};
use crate::cell::{Cell, Merge, Row, Value};
use crate::model::{FileOutcome, RISKS, RecordResult, Severity, Status, Tally};

/// Where the header sits on an audited sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLayout {
    /// 0-based header row.
    pub header_row: u32,
    /// Last column used anywhere on the sheet, 0-based: the audit columns go after it.
    pub last_col: u32,
    /// The contract id column, 0-based: frozen with the columns before it.
    pub id_col: Option<u32>,
}

/// Names of the added columns, in order.
pub const ADDED_COLUMNS: [&str; 4] = ["Audit Status", "Risk", "Findings", "Rule IDs"];
/// Added after the others when the run has clause evidence from elsewhere (`--clauses`).
pub const CLAUSE_SOURCE_COLUMN: &str = "Clause Source";

/// Excel's grid: 1,048,576 rows by 16,384 columns.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;
/// Excel refuses more hyperlinks than this on one sheet; later rows keep the cell reference
/// as plain text.
const MAX_LINKS: usize = 65_530;
/// Notes cost far more than cells: rust_xlsxwriter keeps every note (and a clone at save)
/// in memory and writes about 1.5 KB of VML and XML for each; measured at about 12 KB of
/// peak memory and 70 µs per note. Past this many on one sheet the rest are left out and the
/// Summary says so; every finding is still in the Findings column, the Findings sheet and
/// findings.jsonl.
pub const MAX_NOTES_PER_SHEET: usize = 10_000;
/// A merged range is padded cell by cell; ranges larger than this are not carried.
const MAX_MERGE_CELLS: u64 = 1_000_000;
/// Column widths are estimated from this many rows (header included).
const WIDTH_SAMPLE_ROWS: u32 = 500;

const FILL_GAPS: u32 = 0xF8CBAD;
const FILL_INCOMPLETE: u32 = 0xFFE699;
const FILL_REVIEW: u32 = 0xDDEBF7;
const FILL_COMPLIANT: u32 = 0xC6EFCE;
const FILL_HEADER: u32 = 0xD9D9D9;
const FILL_ADDED_HEADER: u32 = 0x1F4E79;

/// Fill colour and meaning of each status, for legends here and in the gap report.
pub const STATUS_LEGEND: [(Status, u32, &str); 4] = [
    (
        Status::Gaps,
        FILL_GAPS,
        "a required clause, provision or evidence is missing, or a medium/high risk finding",
    ),
    (
        Status::Incomplete,
        FILL_INCOMPLETE,
        "a field needed for a determination is blank or unreadable (DATA001)",
    ),
    (
        Status::Review,
        FILL_REVIEW,
        "only low-severity findings: confirm by hand",
    ),
    (Status::Compliant, FILL_COMPLIANT, "no finding above info"),
];

// Style slots: which fill a cell gets, and what kind of value it holds.
const FILL_NONE: usize = 0;
const FILL_HDR: usize = 5;
const KIND_PLAIN: usize = 0;
const KIND_DATE: usize = 1;
const KIND_DATETIME: usize = 2;

/// The fill slot of a status: the slots after `FILL_NONE` follow the status order.
fn fill_slot(status: Status) -> usize {
    status.index() + 1
}

/// Every format the copy uses, created once per workbook (rust_xlsxwriter deduplicates by
/// value, but building a `Format` per cell would still allocate per cell).
struct Formats {
    /// `[fill][kind]`
    cell: Vec<[Format; 3]>,
    /// Quote-prefix variants of `cell[fill][KIND_PLAIN]`, for risky text.
    quoted: Vec<Format>,
    /// `[fill]` (plain, quote-prefixed) that wrap at the top: the Findings cell.
    wrapped: Vec<[Format; 2]>,
    added_header: Format,
    merge: Format,
    plain: Format,
    bold: Format,
    title: Format,
    wrap: Format,
    link: Format,
    /// Conditional-format fills, indexed like `STATUS_LEGEND`.
    status_fill: [Format; 4],
}

impl Formats {
    fn new() -> Formats {
        let fills: [Option<u32>; 6] = [
            None,
            Some(FILL_GAPS),
            Some(FILL_INCOMPLETE),
            Some(FILL_REVIEW),
            Some(FILL_COMPLIANT),
            Some(FILL_HEADER),
        ];
        let mut cell = Vec::new();
        let mut quoted = Vec::new();
        let mut wrapped = Vec::new();
        for (i, fill) in fills.iter().enumerate() {
            let mut base = Format::new();
            if let Some(c) = fill {
                base = base.set_background_color(Color::RGB(*c));
            }
            if i == FILL_HDR {
                base = base.set_bold().set_border_bottom(FormatBorder::Thin);
            }
            quoted.push(base.clone().set_quote_prefix());
            let w = base.clone().set_text_wrap().set_align(FormatAlign::Top);
            wrapped.push([w.clone(), w.set_quote_prefix()]);
            cell.push([
                base.clone(),
                base.clone().set_num_format("yyyy-mm-dd"),
                base.set_num_format("yyyy-mm-dd hh:mm:ss"),
            ]);
        }
        Formats {
            cell,
            quoted,
            wrapped,
            added_header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(FILL_ADDED_HEADER))
                .set_border_bottom(FormatBorder::Thin),
            merge: Format::new().set_align(FormatAlign::Top),
            plain: Format::new(),
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            status_fill: STATUS_LEGEND
                .map(|(_, c, _)| Format::new().set_background_color(Color::RGB(c))),
        }
    }
}

/// What the writer remembers about each sheet it wrote, for links and the Summary.
#[derive(Debug, Clone)]
struct SheetInfo {
    input_name: String,
    name: String,
    /// First added column, on audited sheets.
    added_start: Option<u32>,
    note: Option<String>,
    /// Limits hit while copying, said in the Summary.
    remarks: Vec<String>,
}

struct OpenSheet {
    ws: Worksheet,
    info: usize,
    layout: Option<SheetLayout>,
    added_start: u32,
    /// Accepted merges sorted by first row; `next_merge` is the first not yet applied.
    merges: Vec<Merge>,
    next_merge: usize,
    header_done: bool,
    last_row: Option<u32>,
    /// Estimated width of each column in characters.
    widths: Vec<u16>,
    /// First and last record rows: the range the status fill rules cover.
    first_record: Option<u32>,
    last_record: Option<u32>,
    notes: usize,
    notes_skipped: usize,
    rows_dropped: usize,
    cells_dropped: usize,
    cells_overwritten: usize,
    /// Reused per record row: (column, note text).
    note_buf: Vec<(u32, String)>,
    /// The sheet has the Clause Source column.
    clause_source: bool,
}

/// Writes one annotated copy. Nothing appears at the output path until [`finish`] succeeds.
///
/// [`finish`]: AnnotatedWriter::finish
pub struct AnnotatedWriter {
    out_path: PathBuf,
    workbook: Workbook,
    fmt: Formats,
    sheets: Vec<SheetInfo>,
    used_names: HashSet<String>,
    open: Option<OpenSheet>,
    findings: FindingsSheet,
    /// Audited sheets get the Clause Source column (the run has `--clauses` evidence).
    clause_source: bool,
    /// The batch's as-of date, printed in the footer of audited sheets.
    as_of: Option<String>,
}

impl AnnotatedWriter {
    /// Print the batch's as-of date in the footer of each audited sheet.
    pub fn set_as_of(&mut self, as_of: &str) {
        self.as_of = Some(as_of.to_string());
    }

    /// `out_path` is the final path. Rows go to rust_xlsxwriter's constant-memory temporary
    /// files (unnamed, removed by the OS on drop); `finish` writes `out_path` atomically
    /// through `output::write_atomic` (temporary file in the same directory, swept on
    /// interrupt, then renamed). Nothing appears at `out_path` on error or drop.
    pub fn create(out_path: &Path) -> anyhow::Result<AnnotatedWriter> {
        let dir = match out_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            bail!("output directory {} does not exist", dir.display());
        }
        let mut workbook = Workbook::new();
        workbook.set_zip_compression_level(super::ZIP_LEVEL);
        let fmt = Formats::new();
        let tally = Tallies::new(&mut workbook, &fmt)?;
        // Formats take their numbers in the order first used. Use the Findings sheet's
        // formats here first, so its thread does not race the copy for them and the styles
        // come out the same on every run.
        let mut scratch = workbook.new_worksheet_with_constant_memory()?;
        for (col, f) in [&fmt.quoted[FILL_NONE], &fmt.link].into_iter().enumerate() {
            scratch.write_blank(0, col as u16, f)?;
        }
        drop(scratch);
        let findings = FindingsSheet::start(tally);
        Ok(AnnotatedWriter {
            out_path: out_path.to_path_buf(),
            workbook,
            fmt,
            sheets: Vec::new(),
            used_names: HashSet::new(),
            open: None,
            findings,
            clause_source: false,
            as_of: None,
        })
    }

    /// Add the Clause Source column to audited sheets: where each record's clauses came
    /// from when clause evidence from elsewhere reached it.
    pub fn set_clause_source(&mut self, on: bool) {
        self.clause_source = on;
    }

    /// Begin a sheet copy. `layout` is Some for audited sheets (adds the Audit Status / Risk /
    /// Findings / Rule IDs columns after last_col, in the header row), None for sheets copied
    /// as-is. `merges` are the sheet's merged ranges. `note` e.g. "not audited: no contract
    /// id column".
    pub fn start_sheet(
        &mut self,
        name: &str,
        layout: Option<&SheetLayout>,
        merges: &[Merge],
        note: Option<&str>,
    ) -> anyhow::Result<()> {
        if self.open.is_some() {
            self.end_sheet()?;
        }
        let out_name = unique_sheet_name(name, &mut self.used_names);
        let mut ws = self
            .workbook
            .new_worksheet_with_constant_memory()
            .context("cannot create a worksheet temporary file")?;
        ws.set_name(&out_name)?;

        let mut remarks = Vec::new();
        let (accepted, rejected) = accept_merges(merges);
        if rejected.overlapping > 0 {
            remarks.push(format!(
                "{} merged range(s) overlapping an earlier one not carried (Excel forbids overlaps)",
                rejected.overlapping
            ));
        }
        if rejected.too_large > 0 {
            remarks.push(format!(
                "{} merged range(s) larger than {MAX_MERGE_CELLS} cells not carried",
                rejected.too_large
            ));
        }

        let mut added_start = 0;
        if let Some(l) = layout {
            // Merges may reach past the header's last column; the audit columns go after both.
            let merge_end = accepted.iter().map(|m| m.last_col).max().unwrap_or(0);
            added_start = l.last_col.max(merge_end) + 1;
            if added_start + ADDED_COLUMNS.len() as u32 + u32::from(self.clause_source) > MAX_COLS {
                bail!(
                    "sheet {name:?} has {} columns: no room for the audit columns within Excel's {MAX_COLS}",
                    l.last_col + 1
                );
            }
        }

        if let Some(n) = note {
            // A note on A1 says why without touching any value.
            ws.insert_note(0, 0, &self.note(n))?;
        }

        self.sheets.push(SheetInfo {
            input_name: name.to_string(),
            name: out_name,
            added_start: layout.map(|_| added_start),
            note: note.map(str::to_string),
            remarks,
        });
        self.open = Some(OpenSheet {
            ws,
            info: self.sheets.len() - 1,
            layout: layout.copied(),
            added_start,
            merges: accepted,
            next_merge: 0,
            header_done: false,
            last_row: None,
            widths: Vec::new(),
            first_record: None,
            last_record: None,
            notes: 0,
            notes_skipped: 0,
            rows_dropped: 0,
            cells_dropped: 0,
            cells_overwritten: 0,
            note_buf: Vec::new(),
            clause_source: self.clause_source && layout.is_some(),
        });
        Ok(())
    }

    /// Rows arrive in ascending order; `result` is Some for audited record rows.
    pub fn write_row(&mut self, row: &Row, result: Option<&RecordResult>) -> anyhow::Result<()> {
        self.copy_row(row, result)?;
        if let Some(r) = result {
            self.list_findings(vec![r.clone()])?;
        }
        Ok(())
    }

    /// [`write_row`](Self::write_row) for a batch of rows with their records, index for
    /// index; the records go on to the Findings sheet's thread without a copy.
    pub fn write_rows(
        &mut self,
        rows: &[Row],
        results: Vec<Option<RecordResult>>,
    ) -> anyhow::Result<()> {
        for (row, result) in rows.iter().zip(&results) {
            self.copy_row(row, result.as_ref())?;
        }
        self.list_findings(results.into_iter().flatten().collect())
    }

    /// Hand records of the open sheet, in order, to the Findings sheet (audited sheets only).
    fn list_findings(&mut self, records: Vec<RecordResult>) -> anyhow::Result<()> {
        let Some(s) = self.open.as_ref().filter(|s| s.layout.is_some()) else {
            return Ok(());
        };
        if records.is_empty() {
            return Ok(());
        }
        let info = &self.sheets[s.info];
        self.findings.send(ToFindings {
            sheet: info.name.clone(),
            added_start: info.added_start,
            records,
        })
    }

    fn copy_row(&mut self, row: &Row, result: Option<&RecordResult>) -> anyhow::Result<()> {
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

    pub fn end_sheet(&mut self) -> anyhow::Result<()> {
        let Some(mut s) = self.open.take() else {
            bail!("end_sheet called outside a sheet");
        };
        let fmt = &self.fmt;
        if let Some(l) = s.layout
            && !s.header_done
        {
            s.apply_merges_through(l.header_row, fmt)?;
            s.write_added_header(l.header_row, fmt)?;
        }
        // Merges below the last row still need their padding cells written.
        s.apply_merges_through(MAX_ROWS - 1, fmt)?;

        let info = &mut self.sheets[s.info];
        if let Some(l) = s.layout {
            Self::finish_audited_sheet(&mut s, l, self.as_of.as_deref(), fmt)?;
        }
        for (c, w) in s.widths.iter().enumerate() {
            if *w > 0 && (s.layout.is_none() || (c as u32) < s.added_start) {
                s.ws.set_column_width(c as u16, f64::from((*w + 2).clamp(6, 60)))?;
            }
        }
        Self::sheet_remarks(&s, info);
        self.workbook.push_worksheet(s.ws);
        Ok(())
    }

    /// An audited sheet's panes, risk colours, print setup, filter, widths and status fills.
    fn finish_audited_sheet(
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
        // Risk in colour: one rule per level, keyed on the cell like the status fill.
        let risk_col = s.added_start as u16 + 1;
        for (level, color) in [("high", 0xC00000), ("medium", 0xC55A11), ("low", 0x7F6000)] {
            let rule = rust_xlsxwriter::ConditionalFormatCell::new()
                .set_rule(rust_xlsxwriter::ConditionalFormatCellRule::EqualTo(
                    format!("\"{level}\""),
                ))
                .set_format(Format::new().set_bold().set_font_color(color));
            s.ws.add_conditional_format(
                l.header_row + 1,
                risk_col,
                last.max(l.header_row + 1),
                risk_col,
                &rule,
            )?;
        }
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
    fn sheet_remarks(s: &OpenSheet, info: &mut SheetInfo) {
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

    /// Adds the Findings sheet (one row per finding, hyperlink to its cell) and Summary sheet,
    /// then saves atomically.
    pub fn finish(mut self, outcome: &FileOutcome) -> anyhow::Result<()> {
        if self.open.is_some() {
            self.end_sheet()?;
        }
        let summary_name = unique_sheet_name("Summary", &mut self.used_names);
        let findings_name = unique_sheet_name("Findings", &mut self.used_names);
        let mut tally = self.findings.finish()?;
        let summary = self.summary_sheet(&summary_name, &findings_name, outcome, &tally)?;
        let findings = tally.finish_sheet(&findings_name, &self.fmt)?;
        // The copy opens on its Summary: what was audited and what was found.
        let mut summary = summary;
        summary.set_active(true);
        self.workbook.push_worksheet(summary);
        self.workbook.push_worksheet(findings);

        let AnnotatedWriter {
            out_path,
            mut workbook,
            ..
        } = self;
        super::save_atomic(&out_path, |w| {
            workbook
                .save_to_writer(w)
                .with_context(|| format!("cannot write {}", out_path.display()))
        })
    }

    /// The final path given to [`create`](AnnotatedWriter::create).
    pub fn out_path(&self) -> &Path {
        &self.out_path
    }

    fn note(&self, text: &str) -> Note {
        note_for(text)
    }

    fn summary_sheet(
        &mut self,
        name: &str,
        findings_name: &str,
        outcome: &FileOutcome,
        t: &Tallies,
    ) -> anyhow::Result<Worksheet> {
        let fmt = &self.fmt;
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        ws.set_column_width(0, 34)?;
        ws.set_column_width(1, 14)?;
        ws.set_column_width(2, 14)?;
        ws.set_column_width(3, 14)?;
        ws.set_column_width(4, 80)?;
        let q = &fmt.quoted[FILL_NONE];
        let bold = Some(&fmt.bold);

        ws.write_string_with_format(0, 0, "tipaudit: audit summary", &fmt.title)?;
        ws.write_string(1, 0, "Input file")?;
        write_text_with(&mut ws, 1, 1, &outcome.file, bold, q)?;
        ws.write_string(2, 0, "Records audited")?;
        ws.write_number(2, 1, t.counts.records as f64)?;
        ws.write_string(3, 0, "Findings")?;
        ws.write_number(3, 1, t.findings as f64)?;
        ws.write_url_with_text(
            3,
            2,
            Url::new(format!(
                "internal:'{}'!A1",
                findings_name.replace('\'', "''")
            )),
            "list all",
        )?;
        if let Some(e) = &outcome.error {
            ws.write_string(4, 0, "Error")?;
            write_text_with(&mut ws, 4, 1, e, None, q)?;
        }

        let mut row = Self::summary_status_rows(&mut ws, fmt, t)?;

        row += 1;
        row = Self::summary_risk_rows(&mut ws, fmt, t, row)?;

        row += 1;
        row = Self::summary_rule_rows(&mut ws, fmt, t, row)?;

        row += 1;
        row = self.summary_sheet_rows(&mut ws, outcome, row)?;

        row += 1;
        ws.write_string_with_format(row, 0, "Not carried over from the input", &fmt.bold)?;
        row += 1;
        ws.merge_range(
            row,
            0,
            row,
            4,
            "Cell styles, fonts, colours, column widths, number formats other than dates, data validation, \
             conditional formats, charts, images, comments and macros of the input are not copied. \
             Values, formulas with their last calculated results, dates and merged ranges are.",
            &fmt.wrap,
        )?;
        ws.set_row_height(row, 48)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(ws)
    }

    /// The status legend with the file's counts, from row 6; the row after it.
    fn summary_status_rows(ws: &mut Worksheet, fmt: &Formats, t: &Tallies) -> anyhow::Result<u32> {
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        let mut row = 6;
        ws.write_string_with_format(row, 0, "Row colours (Audit Status)", &fmt.bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, "Status", hdr)?;
        ws.write_string_with_format(row, 1, "Records", hdr)?;
        ws.merge_range(row, 2, row, 4, "What it means", hdr)?;
        row += 1;
        for (i, (status, _, meaning)) in STATUS_LEGEND.into_iter().enumerate() {
            let cnt = t.counts.status[i];
            ws.write_string_with_format(
                row,
                0,
                status.as_str(),
                &fmt.cell[fill_slot(status)][KIND_PLAIN],
            )?;
            ws.write_number(row, 1, cnt as f64)?;
            ws.merge_range(row, 2, row, 4, meaning, &fmt.plain)?;
            row += 1;
        }
        Ok(row)
    }

    /// Records by risk from `row`; the row after them.
    fn summary_risk_rows(
        ws: &mut Worksheet,
        fmt: &Formats,
        t: &Tallies,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Risk (forced-labor exposure)", &fmt.bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, "Risk", hdr)?;
        ws.write_string_with_format(row, 1, "Records", hdr)?;
        row += 1;
        for (i, risk) in RISKS.into_iter().enumerate() {
            let cnt = t.counts.risk[i];
            ws.write_string(row, 0, risk.as_str())?;
            ws.write_number(row, 1, cnt as f64)?;
            row += 1;
        }
        Ok(row)
    }

    /// Findings by rule from `row`; the row after them.
    fn summary_rule_rows(
        ws: &mut Worksheet,
        fmt: &Formats,
        t: &Tallies,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let q = &fmt.quoted[FILL_NONE];
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Findings by rule", &fmt.bold)?;
        row += 1;
        header_row(
            ws,
            row,
            &["Rule", "Severity", "Findings", "Records", "Example message"],
            hdr,
        )?;
        row += 1;
        let by_rule = &t.by_rule;
        if by_rule.is_empty() {
            ws.write_string(row, 0, "no findings")?;
            row += 1;
        }
        for (rule, (sev, n, recs, msg)) in by_rule {
            write_text_with(ws, row, 0, rule, None, q)?;
            ws.write_string(row, 1, sev.as_str())?;
            ws.write_number(row, 2, *n as f64)?;
            ws.write_number(row, 3, *recs as f64)?;
            write_text_with(ws, row, 4, msg, None, q)?;
            row += 1;
        }
        Ok(row)
    }

    /// What happened to each sheet, from `row`; the row after them.
    fn summary_sheet_rows(
        &self,
        ws: &mut Worksheet,
        outcome: &FileOutcome,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let fmt = &self.fmt;
        let q = &fmt.quoted[FILL_NONE];
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Sheets", &fmt.bold)?;
        row += 1;
        header_row(
            ws,
            row,
            &["Sheet", "Audited", "Header row", "Records", "Notes"],
            hdr,
        )?;
        row += 1;
        for info in &self.sheets {
            let so = outcome.sheets.iter().find(|s| s.name == info.input_name);
            write_text_with(ws, row, 0, &info.name, None, q)?;
            let audited = so.map_or(info.added_start.is_some(), |s| s.audited);
            ws.write_string(row, 1, if audited { "yes" } else { "no" })?;
            if let Some(h) = so.and_then(|s| s.header_row) {
                ws.write_number(row, 2, h + 1)?;
            }
            if let Some(s) = so {
                ws.write_number(row, 3, s.records as f64)?;
            }
            let mut notes: Vec<String> = Vec::new();
            if let Some(n) = info.note.as_ref().or(so.and_then(|s| s.note.as_ref())) {
                notes.push(n.clone());
            }
            if info.name != info.input_name {
                notes.push(format!(
                    "renamed from {:?} (Excel sheet-name rules)",
                    info.input_name
                ));
            }
            notes.extend(info.remarks.iter().cloned());
            if !notes.is_empty() {
                write_text_with(ws, row, 4, &notes.join("; "), Some(&fmt.wrap), q)?;
            }
            row += 1;
        }
        Ok(row)
    }
}

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
struct ToFindings {
    sheet: String,
    added_start: Option<u32>,
    records: Vec<RecordResult>,
}

/// The Findings sheet is written on a thread of its own while the sheets are copied: it
/// lists every finding, so it is about a third of the copy's writing, and copying is the
/// slowest stage of a big workbook (docs/scale.md).
struct FindingsSheet {
    tx: Option<std::sync::mpsc::SyncSender<ToFindings>>,
    thread: Option<std::thread::JoinHandle<Result<anyhow::Result<Tallies>, String>>>,
}

impl FindingsSheet {
    fn start(mut tally: Tallies) -> FindingsSheet {
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

    fn send(&mut self, batch: ToFindings) -> anyhow::Result<()> {
        let sent = self.tx.as_ref().map(|tx| tx.send(batch).is_ok());
        if sent == Some(true) {
            return Ok(());
        }
        // The thread stopped on an error: that error is the one to report.
        self.finish().map(|_| ())?;
        bail!("the Findings sheet stopped")
    }

    /// Wait for every record sent to be listed; the sheet and the counts.
    fn finish(&mut self) -> anyhow::Result<Tallies> {
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

/// The Findings sheet and the Summary's counts, filled while record rows stream past, so
/// `finish` never needs the file's records (`FileSink::wants_results` is false: memory does
/// not grow with the file).
struct Tallies {
    ws: Worksheet,
    row: u32,
    links: usize,
    left_out: usize,
    /// Records by status and risk.
    counts: Tally,
    findings: usize,
    /// rule -> (highest severity, findings, records, first message)
    by_rule: BTreeMap<String, (Severity, usize, usize, String)>,
}

impl Tallies {
    fn new(workbook: &mut Workbook, fmt: &Formats) -> anyhow::Result<Tallies> {
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
        self.counts.count(r.status, r.risk);
        self.findings += r.findings.len();
        let q = &fmt.quoted[FILL_NONE];
        let ws = &mut self.ws;
        for (i, f) in r.findings.iter().enumerate() {
            let e = self
                .by_rule
                .entry(f.rule.clone())
                .or_insert_with(|| (f.severity, 0, 0, f.message.clone()));
            e.0 = e.0.max(f.severity);
            e.1 += 1;
            if !r.findings[..i].iter().any(|g| g.rule == f.rule) {
                e.2 += 1;
            }
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
    fn finish_sheet(&mut self, name: &str, fmt: &Formats) -> anyhow::Result<Worksheet> {
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

impl OpenSheet {
    fn note_width(&mut self, col: u32, width: u16) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(width);
    }

    /// Apply every merge starting at or above `row`, in order: a constant-memory sheet only
    /// moves forward, so a merge must be laid down before any later row is written.
    fn apply_merges_through(&mut self, row: u32, fmt: &Formats) -> anyhow::Result<()> {
        while let Some(m) = self.merges.get(self.next_merge) {
            if m.first_row > row {
                break;
            }
            // The top-left value, if any, arrives with its row and overwrites this blank.
            self.ws.merge_range(
                m.first_row,
                m.first_col as u16,
                m.last_row,
                m.last_col as u16,
                "",
                &fmt.merge,
            )?;
            self.next_merge += 1;
        }
        Ok(())
    }

    fn write_added_header(&mut self, row: u32, fmt: &Formats) -> anyhow::Result<()> {
        if self.header_done {
            return Ok(());
        }
        const HELP: [&str; 4] = [
            "gaps, incomplete, review or compliant. The row colour follows it, also when you change it; the legend is on the Summary sheet.",
            "Forced-labor risk: the highest severity among the RISK and ENT findings (high, medium, low), or none.",
            "Each finding of this record as RULE: message. A note on the cell a high or medium finding points to gives the cite and the fix; every finding, with its cite and fix, is on the Findings sheet.",
            "Rule IDs of the findings; `tipaudit explain RULE` tells what each checks and how to fix it.",
        ];
        for (i, (h, help)) in ADDED_COLUMNS.iter().zip(HELP).enumerate() {
            let c = (self.added_start + i as u32) as u16;
            self.ws
                .write_string_with_format(row, c, *h, &fmt.added_header)?;
            self.ws.insert_note(row, c, &note_for(help))?;
        }
        if self.clause_source {
            let c = (self.added_start + ADDED_COLUMNS.len() as u32) as u16;
            self.ws
                .write_string_with_format(row, c, CLAUSE_SOURCE_COLUMN, &fmt.added_header)?;
            self.ws.insert_note(
                row,
                c,
                &note_for("Where this record's clauses came from when a clause report or contract document given with --clauses supplied them (file, sheet, page or line)."),
            )?;
        }
        self.header_done = true;
        Ok(())
    }

    /// The status fill: one conditional format per status over the sheet's record rows,
    /// keyed on each row's `Audit Status` cell, so the fill follows a reviewer who edits
    /// the status and no cell carries a fill format of its own.
    fn add_status_fills(
        &mut self,
        first: u32,
        last: u32,
        end_col: u16,
        fmt: &Formats,
    ) -> anyhow::Result<()> {
        let status_col = column_number_to_name(self.added_start as u16);
        for (status, _, _) in STATUS_LEGEND {
            let rule = ConditionalFormatFormula::new()
                .set_rule(format!("=${status_col}{}=\"{}\"", first + 1, status.as_str()).as_str())
                .set_format(&fmt.status_fill[status.index()]);
            self.ws
                .add_conditional_format(first, 0, last, end_col, &rule)?;
        }
        Ok(())
    }

    fn write_result(&mut self, row: u32, r: &RecordResult, fmt: &Formats) -> anyhow::Result<()> {
        let q = &fmt.quoted[FILL_NONE];
        let c0 = self.added_start as u16;
        self.ws.write_string(row, c0, r.status.as_str())?;
        self.ws.write_string(row, c0 + 1, r.risk.as_str())?;
        if self.clause_source && !r.clause_sources.is_empty() {
            let text: Vec<String> = r.clause_sources.iter().map(|x| x.to_string()).collect();
            write_text_with(&mut self.ws, row, c0 + 4, &text.join("; "), None, q)?;
        }
        if r.findings.is_empty() {
            return Ok(());
        }
        let (short, ids) = Self::findings_text(r);
        let [wrap, wrap_q] = &fmt.wrapped[FILL_NONE];
        write_text_with(&mut self.ws, row, c0 + 2, &short, Some(wrap), wrap_q)?;
        write_text_with(&mut self.ws, row, c0 + 3, &ids, None, q)?;

        self.write_notes(row, r)
    }

    /// The Findings cell (each rule with its message) and the Rules cell (each rule id once).
    fn findings_text(r: &RecordResult) -> (String, String) {
        let mut short = String::new();
        let mut ids = String::new();
        for (i, finding) in r.findings.iter().enumerate() {
            if i > 0 {
                short.push_str("; ");
            }
            short.push_str(&finding.rule);
            short.push_str(": ");
            short.push_str(&finding.message);
            if !ids.split(", ").any(|x| x == finding.rule) {
                if !ids.is_empty() {
                    ids.push_str(", ");
                }
                ids.push_str(&finding.rule);
            }
        }
        (short, ids)
    }

    /// The cell notes of a record's high and medium findings, within the sheet's note cap.
    fn write_notes(&mut self, row: u32, r: &RecordResult) -> anyhow::Result<()> {
        // One note per cell a high or medium finding points to, holding those findings;
        // low and info findings are in the Findings column and sheet only.
        let noted = |f: &&crate::model::Finding| f.severity >= Severity::Medium;
        let added_start = self.added_start;
        let findings_col = added_start + 2;
        let note_col = |c: Option<u32>| match c {
            Some(c) if c < added_start => c,
            _ => findings_col,
        };
        self.note_buf.clear();
        if self.notes >= MAX_NOTES_PER_SHEET {
            // Past the cap only the count is needed: building each note's text (about 1 KB)
            // for every later record cost more than writing the record's cells.
            let mut cols: Vec<u32> = r
                .findings
                .iter()
                .filter(noted)
                .map(|f| note_col(f.col_index))
                .collect();
            cols.sort_unstable();
            cols.dedup();
            self.notes_skipped += cols.len();
            return Ok(());
        }
        for finding in r.findings.iter().filter(noted) {
            let col = note_col(finding.col_index);
            let text = format!(
                "{} ({}): {}\nFix: {}\nCite: {}",
                finding.rule,
                finding.severity.as_str(),
                finding.message,
                finding.fix,
                finding.cite
            );
            match self.note_buf.iter_mut().find(|(c, _)| *c == col) {
                Some((_, t)) => {
                    t.push_str("\n\n");
                    t.push_str(&text);
                }
                None => self.note_buf.push((col, text)),
            }
        }
        for (col, text) in std::mem::take(&mut self.note_buf) {
            if self.notes >= MAX_NOTES_PER_SHEET {
                self.notes_skipped += 1;
                continue;
            }
            self.ws.insert_note(row, col as u16, &note_for(&text))?;
            self.notes += 1;
        }
        Ok(())
    }
}

/// A note sized to its text. Notes have their own limit (the cell limit less the author
/// prefix), so long text is cut the same way as cell text.
fn note_for(text: &str) -> Note {
    let text = fit(text, super::text::CELL_LIMIT - 60);
    let mut lines = 0u32;
    for l in text.split('\n') {
        lines += 1 + l.chars().count() as u32 / 60;
    }
    Note::new(text)
        .set_author("tipaudit")
        .set_width(420)
        .set_height((24 + lines * 15).clamp(60, 480))
}

/// Write one input cell; returns its display width estimate in characters.
///
/// Only header cells carry a fill format (Excel applies a row format only to the cells a
/// row leaves out); record rows are filled by the sheet's conditional formats.
/// rust_xlsxwriter hashes the `Format` on every formatted write (about 6% of a run), so
/// other cells are written without one unless they need it (dates, quote-prefixed text).
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    cell: &Cell,
    fill: usize,
    fmt: &Formats,
) -> anyhow::Result<u16> {
    let col = cell.col as u16;
    let plain = (fill != FILL_NONE).then(|| &fmt.cell[fill][KIND_PLAIN]);
    if let Some(formula) = &cell.formula {
        let (result, kind) = formula_result(&cell.value);
        let f = Formula::new(formula).set_result(result);
        if kind == KIND_PLAIN && plain.is_none() {
            ws.write_formula(row, col, f)?;
        } else {
            ws.write_formula_with_format(row, col, f, &fmt.cell[fill][kind])?;
        }
        return Ok(12);
    }
    let width = match &cell.value {
        Value::Empty => 0,
        Value::Text(s) | Value::Error(s) => {
            write_text_with(ws, row, col, s, plain, &fmt.quoted[fill])?;
            s.len().min(80) as u16
        }
        Value::Int(i) => {
            write_number(ws, row, col, *i as f64, plain)?;
            12
        }
        Value::Float(x) if x.is_finite() => {
            write_number(ws, row, col, *x, plain)?;
            12
        }
        Value::Float(x) => {
            // Excel has no NaN or infinity; keep what the input said, as text.
            write_text_with(ws, row, col, &x.to_string(), plain, &fmt.quoted[fill])?;
            8
        }
        Value::Bool(b) => {
            match plain {
                Some(f) => ws.write_boolean_with_format(row, col, *b, f)?,
                None => ws.write_boolean(row, col, *b)?,
            };
            5
        }
        Value::DateTime(d) => {
            if excel_date_ok(d) {
                let (kind, w) = if d.time() == NaiveTime::MIN {
                    (KIND_DATE, 10)
                } else {
                    (KIND_DATETIME, 19)
                };
                ws.write_datetime_with_format(row, col, d, &fmt.cell[fill][kind])?;
                w
            } else {
                // Before 1900 Excel has no serial date: keep the date as ISO text.
                write_text_with(
                    ws,
                    row,
                    col,
                    &cell.value.to_text(),
                    plain,
                    &fmt.quoted[fill],
                )?;
                10
            }
        }
    };
    Ok(width)
}

fn write_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    n: f64,
    format: Option<&Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match format {
        Some(f) => ws.write_number_with_format(row, col, n, f)?,
        None => ws.write_number(row, col, n)?,
    };
    Ok(())
}

fn excel_date_ok(d: &NaiveDateTime) -> bool {
    (1900..=9999).contains(&d.year())
        && d.date() >= NaiveDate::from_ymd_opt(1900, 3, 1).expect("valid")
}

/// A formula's cached result as rust_xlsxwriter wants it (text), and the format kind that
/// displays it (a date result needs a date format to show as a date).
fn formula_result(v: &Value) -> (String, usize) {
    match v {
        Value::Empty => (String::new(), KIND_PLAIN),
        Value::Text(s) | Value::Error(s) => (s.clone(), KIND_PLAIN),
        Value::Int(i) => (i.to_string(), KIND_PLAIN),
        Value::Float(f) => (f.to_string(), KIND_PLAIN),
        Value::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), KIND_PLAIN),
        Value::DateTime(d) if excel_date_ok(d) => {
            let serial = d.to_excel_serial_date();
            let kind = if d.time() == NaiveTime::MIN {
                KIND_DATE
            } else {
                KIND_DATETIME
            };
            (serial.to_string(), kind)
        }
        Value::DateTime(_) => (v.to_text(), KIND_PLAIN),
    }
}

#[derive(Default)]
struct Rejected {
    overlapping: usize,
    too_large: usize,
}

/// Merges Excel will accept, sorted by first row: no single cells, nothing past the grid,
/// no overlaps (the first one listed wins, as Excel keeps it when repairing a file).
fn accept_merges(merges: &[Merge]) -> (Vec<Merge>, Rejected) {
    let mut rejected = Rejected::default();
    let mut accepted: Vec<Merge> = Vec::with_capacity(merges.len());
    for m in merges {
        let m = Merge {
            first_row: m.first_row.min(m.last_row),
            last_row: m.first_row.max(m.last_row),
            first_col: m.first_col.min(m.last_col),
            last_col: m.first_col.max(m.last_col),
        };
        if m.last_row >= MAX_ROWS || m.last_col >= MAX_COLS {
            rejected.too_large += 1;
            continue;
        }
        if m.first_row == m.last_row && m.first_col == m.last_col {
            continue;
        }
        let cells =
            u64::from(m.last_row - m.first_row + 1) * u64::from(m.last_col - m.first_col + 1);
        if cells > MAX_MERGE_CELLS {
            rejected.too_large += 1;
            continue;
        }
        let overlaps = accepted.iter().any(|a| {
            a.first_row <= m.last_row
                && m.first_row <= a.last_row
                && a.first_col <= m.last_col
                && m.first_col <= a.last_col
        });
        if overlaps {
            rejected.overlapping += 1;
            continue;
        }
        accepted.push(m);
    }
    accepted.sort_by_key(|m| (m.first_row, m.first_col));
    (accepted, rejected)
}

/// A sheet name Excel accepts (≤ 31 UTF-16 units, none of `[]:*?/\`, no leading or trailing
/// apostrophe) that no earlier sheet uses, case-insensitively.
pub fn unique_sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    base = base.trim_matches('\'').to_string();
    if base.trim().is_empty() {
        base = "Sheet".to_string();
    }
    let truncate = |s: &str, max: usize| -> String {
        let mut out = String::new();
        let mut n = 0;
        for ch in s.chars() {
            if n + ch.len_utf16() > max {
                break;
            }
            n += ch.len_utf16();
            out.push(ch);
        }
        out.trim_end_matches('\'').to_string()
    };
    let mut candidate = truncate(&base, 31);
    let mut k = 2;
    // "History" is reserved by Excel.
    while used.contains(&candidate.to_lowercase()) || candidate.eq_ignore_ascii_case("history") {
        let suffix = format!(" ({k})");
        candidate = format!("{}{suffix}", truncate(&base, 31 - suffix.len()));
        k += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

/// A row of bold table headings starting at column A.
fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    headings: &[&str],
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, format)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_date_results_are_excel_serials() {
        let at = |h| {
            Value::DateTime(
                NaiveDate::from_ymd_opt(2024, 3, 16)
                    .expect("valid")
                    .and_hms_opt(h, 0, 0)
                    .expect("valid"),
            )
        };
        assert_eq!(formula_result(&at(0)), ("45367".to_string(), KIND_DATE));
        assert_eq!(
            formula_result(&at(12)),
            ("45367.5".to_string(), KIND_DATETIME)
        );
        let early = Value::DateTime(
            NaiveDate::from_ymd_opt(1899, 1, 1)
                .expect("valid")
                .and_time(NaiveTime::MIN),
        );
        assert_eq!(formula_result(&early).1, KIND_PLAIN);
    }

    #[test]
    fn legend_follows_the_status_order() {
        let legend: Vec<Status> = STATUS_LEGEND.iter().map(|(s, _, _)| *s).collect();
        assert_eq!(legend, crate::model::STATUSES);
        for s in crate::model::STATUSES {
            assert_eq!(STATUS_LEGEND[fill_slot(s) - 1].0, s);
        }
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique_sheet_name("Contracts", &mut used), "Contracts");
        assert_eq!(unique_sheet_name("contracts", &mut used), "contracts (2)");
        let long = "A very long sheet name that Excel refuses";
        let n = unique_sheet_name(long, &mut used);
        assert!(n.encode_utf16().count() <= 31);
        let n2 = unique_sheet_name(long, &mut used);
        assert!(n2.encode_utf16().count() <= 31 && n2 != n);
        assert_eq!(unique_sheet_name("a/b:c", &mut used), "a_b_c");
        assert_eq!(unique_sheet_name("'x'", &mut used), "x");
        assert_eq!(unique_sheet_name("", &mut used), "Sheet");
    }

    #[test]
    fn merges_overlap_and_size() {
        let m = |a, b, c, d| Merge {
            first_row: a,
            first_col: b,
            last_row: c,
            last_col: d,
        };
        let (ok, rej) = accept_merges(&[
            m(5, 0, 6, 1),
            m(0, 0, 0, 3),
            m(0, 2, 1, 2),
            m(3, 3, 3, 3),
            m(0, 0, 2_000_000, 1),
        ]);
        assert_eq!(ok, vec![m(0, 0, 0, 3), m(5, 0, 6, 1)]);
        assert_eq!(rej.overlapping, 1);
        assert_eq!(rej.too_large, 1);
    }
}

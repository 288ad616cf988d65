//! The annotated copy of one input workbook (`<stem>.audited.xlsx`).
//!
//! Rows stream in from the reader and go straight out through rust_xlsxwriter's
//! constant-memory worksheets, so a million-row input never sits in memory twice. Values,
//! formulas with their cached results, dates and merged ranges are carried; formats calamine
//! cannot read (fonts, widths, validation, conditional formats) are not.

mod cells;
mod columns;
mod conditional;
mod findings;
mod formats;
mod merges;
mod names;
mod notes;
mod sheet;
mod summary;
mod tallies;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rust_xlsxwriter::{Note, Workbook};

pub use columns::{ADDED_COLUMNS, CLAUSE_SOURCE_COLUMN};
use findings::{FindingsSheet, ToFindings};
pub use formats::STATUS_LEGEND;
use formats::{FILL_NONE, Formats};
use merges::accept_merges;
pub use names::unique_sheet_name;
pub use notes::MAX_NOTES_PER_SHEET;
use notes::note_for;
use sheet::{OpenSheet, SheetInfo};
use tallies::Tallies;

use crate::cell::{Merge, Row};
use crate::model::{FileOutcome, RecordResult};

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

/// Excel's grid: 1,048,576 rows by 16,384 columns.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;

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

        let (accepted, rejected) = accept_merges(merges);
        let remarks = rejected.remarks();

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
}

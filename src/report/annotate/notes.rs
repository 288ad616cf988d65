//! Cell notes on the cells high and medium findings point to, and their cap per sheet.

use rust_xlsxwriter::Note;

use super::sheet::OpenSheet;
use crate::model::{RecordResult, Severity};
use crate::report::text::{CELL_LIMIT, fit};

/// Notes cost far more than cells: rust_xlsxwriter keeps every note (and a clone at save)
/// in memory and writes about 1.5 KB of VML and XML for each; measured at about 12 KB of
/// peak memory and 70 µs per note. Past this many on one sheet the rest are left out and the
/// Summary says so; every finding is still in the Findings column, the Findings sheet and
/// findings.jsonl.
pub const MAX_NOTES_PER_SHEET: usize = 10_000;

impl OpenSheet {
    /// The cell notes of a record's high and medium findings, within the sheet's note cap.
    pub(super) fn write_notes(&mut self, row: u32, r: &RecordResult) -> anyhow::Result<()> {
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
pub(super) fn note_for(text: &str) -> Note {
    let text = fit(text, CELL_LIMIT - 60);
    let mut lines = 0u32;
    for l in text.split('\n') {
        lines += 1 + l.chars().count() as u32 / 60;
    }
    Note::new(text)
        .set_author("tipaudit")
        .set_width(420)
        .set_height((24 + lines * 15).clamp(60, 480))
}

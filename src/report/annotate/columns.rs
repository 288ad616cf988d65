//! The audit columns added after an audited sheet's last column: their headers and each
//! record's status, risk, findings, rule ids and clause source.

use super::formats::{FILL_NONE, Formats};
use super::notes::note_for;
use super::sheet::OpenSheet;
use crate::model::RecordResult;
use crate::report::text::write_text_with;

/// Names of the added columns, in order.
pub const ADDED_COLUMNS: [&str; 4] = ["Audit Status", "Risk", "Findings", "Rule IDs"];
/// Added after the others when the run has clause evidence from elsewhere (`--clauses`).
pub const CLAUSE_SOURCE_COLUMN: &str = "Clause Source";

impl OpenSheet {
    pub(super) fn write_added_header(&mut self, row: u32, fmt: &Formats) -> anyhow::Result<()> {
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

    pub(super) fn write_result(
        &mut self,
        row: u32,
        r: &RecordResult,
        fmt: &Formats,
    ) -> anyhow::Result<()> {
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
}

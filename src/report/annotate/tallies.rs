//! The per-file counts for the Summary sheet, kept with the Findings sheet they are
//! counted alongside.

use std::collections::BTreeMap;

use rust_xlsxwriter::Worksheet;

use crate::model::{RecordResult, Severity, Tally, Text};

/// The Findings sheet and the Summary's counts, filled while record rows stream past, so
/// `finish` never needs the file's records (`FileSink::wants_results` is false: memory does
/// not grow with the file).
pub(super) struct Tallies {
    pub(super) ws: Worksheet,
    pub(super) row: u32,
    pub(super) links: usize,
    pub(super) left_out: usize,
    /// Records by status and risk.
    pub(super) counts: Tally,
    pub(super) findings: usize,
    /// rule -> (highest severity, findings, records, first message)
    pub(super) by_rule: BTreeMap<Text, (Severity, usize, usize, String)>,
}

impl Tallies {
    /// Count one record by status, risk and rule.
    pub(super) fn count(&mut self, r: &RecordResult) {
        self.counts.count(r.status, r.risk);
        self.findings += r.findings.len();
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
        }
    }
}

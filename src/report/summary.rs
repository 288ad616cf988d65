//! The run summary printed on stdout: a short table, or one JSON object with `--format json`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::model::{BatchOutcome, RISKS, STATUSES};

#[derive(Debug, Serialize)]
pub struct Summary {
    pub files_audited: usize,
    pub files_failed: usize,
    pub files_skipped: usize,
    pub records: usize,
    pub as_of: String,
    pub status: BTreeMap<&'static str, usize>,
    pub risk: BTreeMap<&'static str, usize>,
    /// Records with at least one finding of the rule, by rule id.
    pub rules: BTreeMap<String, usize>,
    pub failed: Vec<FailedInput>,
    /// Sheets that were copied but not audited, with the reason.
    pub sheets_not_audited: Vec<SheetNote>,
    /// M-20-01 practices no sheet had an evidence column for, and the column to add.
    pub practices_unchecked: Vec<String>,
    /// Records with no clause data (no clause column, clause sheet or `--clauses` evidence)
    /// that a clause determination needed.
    pub clauses_not_checked: usize,
    #[serde(skip)]
    clauses_sentence: Option<String>,
    /// `--clauses` evidence read, and the evidence that matched no record.
    pub clause_evidence: crate::model::EvidenceOutcome,
    pub out_dir: String,
    pub exit_code: i32,
    /// Files skipped in walked directories, counted by reason (all of them are listed in
    /// `run.json`).
    pub skipped_by_reason: BTreeMap<String, usize>,
    /// Why the run exits 2 although every input was read (nothing audited, a named file
    /// with no records); also on stderr.
    pub errors: Vec<String>,
    /// The first few skipped files, for the human summary.
    #[serde(skip)]
    pub skipped_shown: Vec<String>,
    /// Rule titles by id, for the human summary.
    #[serde(skip)]
    pub rule_titles: BTreeMap<String, String>,
    /// `-v`: list the column for each unchecked practice.
    #[serde(skip)]
    pub verbose: bool,
}

#[derive(Debug, Serialize)]
pub struct SheetNote {
    pub file: String,
    pub sheet: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct FailedInput {
    pub file: String,
    pub error: String,
}

impl Summary {
    pub fn of(batch: &BatchOutcome, out_dir: &str, exit_code: i32) -> Summary {
        let t = &batch.tally;
        let status: BTreeMap<&'static str, usize> = STATUSES
            .iter()
            .map(|s| (s.as_str(), t.status[s.index()]))
            .collect();
        let risk: BTreeMap<&'static str, usize> = RISKS
            .iter()
            .map(|r| (r.as_str(), t.risk[r.index()]))
            .collect();
        let rules: BTreeMap<String, usize> = t
            .rules
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        let records = t.records;
        let failed: Vec<FailedInput> = batch
            .files
            .iter()
            .filter_map(|f| {
                f.error.as_ref().map(|e| FailedInput {
                    file: f.file.clone(),
                    error: e.clone(),
                })
            })
            .collect();
        let sheets_not_audited = batch
            .files
            .iter()
            .flat_map(|f| {
                f.sheets.iter().filter(|s| !s.audited).map(|s| SheetNote {
                    file: f.file.clone(),
                    sheet: s.name.clone(),
                    note: s.note.clone().unwrap_or_default(),
                })
            })
            .collect();
        Summary {
            clauses_not_checked: crate::model::no_clause_data(&batch.files),
            clauses_sentence: crate::model::clauses_not_checked(&batch.files),
            clause_evidence: batch.evidence.clone(),
            sheets_not_audited,
            practices_unchecked: batch.practices_unchecked.clone(),
            files_audited: batch.files.len() - failed.len(),
            files_failed: failed.len(),
            files_skipped: batch.skipped_files,
            records,
            as_of: batch.as_of.clone(),
            status,
            risk,
            rules,
            failed,
            out_dir: out_dir.to_string(),
            exit_code,
            skipped_by_reason: BTreeMap::new(),
            errors: Vec::new(),
            skipped_shown: Vec::new(),
            rule_titles: BTreeMap::new(),
            verbose: false,
        }
    }

    /// Say which files were skipped and why.
    pub fn add_skipped(&mut self, skipped: &[crate::model::Skipped]) {
        self.skipped_by_reason = crate::coverage::skipped_by_reason(skipped)
            .into_iter()
            .collect();
        self.skipped_shown = crate::coverage::skipped_lines(skipped, crate::coverage::SHOWN, true);
    }

    pub fn human(&self) -> String {
        let mut s = String::new();
        self.headline(&mut s);
        self.skipped_files(&mut s);
        self.status_and_risk(&mut s);
        self.rules_table(&mut s);
        if let Some(sentence) = &self.clauses_sentence {
            let _ = writeln!(s);
            let _ = writeln!(s, "Note: {sentence}.");
        }
        self.clause_evidence_lines(&mut s);
        self.not_covered(&mut s);
        let _ = writeln!(s);
        let _ = writeln!(s, "Outputs in {}", self.out_dir);
        s
    }

    /// What was audited, in one line.
    fn headline(&self, s: &mut String) {
        let n = super::text::count;
        if self.records == 0 {
            let _ = writeln!(
                s,
                "Nothing was audited: 0 records in {} file(s) (as of {}); {} failed.",
                n(self.files_audited),
                self.as_of,
                n(self.files_failed)
            );
        } else {
            let _ = writeln!(
                s,
                "Audited {} file(s), {} record(s) (as of {}); {} failed.",
                n(self.files_audited),
                n(self.records),
                self.as_of,
                n(self.files_failed)
            );
        }
    }

    /// Files skipped in walked folders, by reason, and the first few of them.
    fn skipped_files(&self, s: &mut String) {
        let n = super::text::count;
        if self.files_skipped > 0 {
            let reasons: Vec<String> = self
                .skipped_by_reason
                .iter()
                .map(|(r, k)| format!("{r}: {}", n(*k)))
                .collect();
            let why = if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.join("; "))
            };
            let _ = writeln!(
                s,
                "Files skipped in the folders: {}{why}{}",
                n(self.files_skipped),
                if self.skipped_shown.is_empty() {
                    "."
                } else {
                    ":"
                }
            );
            for line in &self.skipped_shown {
                let _ = writeln!(s, "  {line}");
            }
        }
    }

    /// Records by status and by risk.
    fn status_and_risk(&self, s: &mut String) {
        let n = super::text::count;
        if self.records > 0 {
            let _ = writeln!(s);
            let _ = writeln!(s, "  {:<12} {:>9}", "Status", "Records");
            for st in STATUSES {
                let _ = writeln!(
                    s,
                    "  {:<12} {:>9}",
                    st.as_str(),
                    n(self.status[st.as_str()])
                );
            }
            let _ = writeln!(s);
            let _ = writeln!(s, "  {:<12} {:>9}", "Risk", "Records");
            for r in RISKS {
                let _ = writeln!(s, "  {:<12} {:>9}", r.as_str(), n(self.risk[r.as_str()]));
            }
        }
    }

    /// Records by rule, with the rule titles.
    fn rules_table(&self, s: &mut String) {
        let n = super::text::count;
        if !self.rules.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "  {:<12} {:>9}  Title", "Rule", "Records");
            for (id, k) in &self.rules {
                let title = self.rule_titles.get(id).map(String::as_str).unwrap_or("");
                let _ = writeln!(s, "  {id:<12} {:>9}  {title}", n(*k));
            }
        }
    }

    /// The `--clauses` evidence read and what matched no record.
    fn clause_evidence_lines(&self, s: &mut String) {
        let ev = &self.clause_evidence;
        if ev.files > 0 {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "Clause evidence: {} file(s), {} contract(s); {} matched no record{}",
                ev.files,
                ev.contracts,
                ev.unmatched.len(),
                if ev.unmatched.is_empty() { "." } else { ":" }
            );
            // The full list is in run.json and both reports; the terminal gets the first ones.
            const SHOWN: usize = 20;
            for u in ev.unmatched.iter().take(SHOWN) {
                let sources: Vec<String> = u.sources.iter().map(|x| x.to_string()).collect();
                let _ = writeln!(
                    s,
                    "  {} ({} clause reference{}): {}",
                    u.contract_id,
                    u.clauses,
                    if u.clauses == 1 { "" } else { "s" },
                    sources.join("; ")
                );
            }
            if ev.unmatched.len() > SHOWN {
                let _ = writeln!(
                    s,
                    "  ... and {} more (all of them are in gap-report.xlsx, report.html and run.json)",
                    ev.unmatched.len() - SHOWN
                );
            }
        }
    }

    /// What the audit could not cover: sheets, practices and inputs.
    fn not_covered(&self, s: &mut String) {
        let n = super::text::count;
        if !self.sheets_not_audited.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "Sheets not audited (copied as they are):");
            for n in &self.sheets_not_audited {
                let _ = writeln!(s, "  {} / {}: {}", n.file, n.sheet, n.note);
            }
        }
        if !self.practices_unchecked.is_empty() && self.records > 0 {
            let _ = writeln!(s);
            if self.verbose {
                let _ = writeln!(
                    s,
                    "{} best practices not checked: add the evidence column named to check one:",
                    self.practices_unchecked.len()
                );
                for chunk in self.practices_unchecked.chunks(4) {
                    let _ = writeln!(s, "  {}", chunk.join("; "));
                }
            } else {
                let _ = writeln!(
                    s,
                    "{} best practices not checked (no evidence column; -v lists the columns).",
                    self.practices_unchecked.len()
                );
            }
        }
        if !self.failed.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{} input(s) could not be audited (the errors are on stderr).",
                n(self.failed.len())
            );
        }
    }
}

//! What a run covered, said plainly: a run that audited nothing, a named file that yielded no
//! records, a `--mapping` entry that matched no column, files skipped and rows not read. A
//! scheduled job must never mistake an audit of nothing for a clean audit, so these are
//! errors (exit 2) or warnings on stderr, never silent.
//!
//! The checks count audited records and files, not spreadsheets: any input type that yields
//! records counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::{BatchOutcome, FileOutcome, Inputs, Skipped};

/// How many skipped files (or rows) a message lists before "and N more".
pub const SHOWN: usize = 5;

/// What the run should say after the summary: errors make the exit code 2.
#[derive(Debug, Default)]
pub struct Coverage {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Skipped files counted by reason, most frequent first: `not a supported input type: 12`.
pub fn skipped_by_reason(skipped: &[Skipped]) -> Vec<(String, usize)> {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for s in skipped {
        *by.entry(s.reason.as_str()).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = by.into_iter().map(|(r, n)| (r.to_string(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The first few skipped files, one line each, with "and N more" when there are more.
pub fn skipped_lines(skipped: &[Skipped], shown: usize, in_run_json: bool) -> Vec<String> {
    let mut lines: Vec<String> = skipped
        .iter()
        .take(shown)
        .map(|s| format!("{} ({})", s.file, s.reason))
        .collect();
    if skipped.len() > shown {
        let where_ = if in_run_json {
            " (all are listed in run.json)"
        } else {
            ""
        };
        lines.push(format!("... and {} more{where_}", skipped.len() - shown));
    }
    lines
}

/// The error for a command line that names no file tipaudit can audit (nothing is written).
pub fn nothing_to_audit(found: &Inputs) -> String {
    let mut s = String::from("nothing to audit");
    if !found.skipped.is_empty() || found.errors.is_empty() {
        s.push_str(&format!(
            ": no file of a supported input type ({}) in the inputs",
            crate::ingest::SUPPORTED
        ));
    }
    for (file, error) in &found.errors {
        s.push_str(&format!("\n  {file}: {error}"));
    }
    if !found.skipped.is_empty() {
        let reasons: Vec<String> = skipped_by_reason(&found.skipped)
            .into_iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .collect();
        s.push_str(&format!(
            "\n  {} file(s) skipped ({}):",
            found.skipped.len(),
            reasons.join("; ")
        ));
        for line in skipped_lines(&found.skipped, SHOWN, false) {
            s.push_str(&format!("\n    {line}"));
        }
    } else if found.errors.is_empty() {
        s.push_str("\n  the folders given hold no files");
    }
    s
}

/// Why a file that was read yielded no records.
fn why_no_records(f: &FileOutcome) -> String {
    if f.sheets.is_empty() {
        return "it has no sheets".to_string();
    }
    if f.sheets.iter().all(|s| !s.audited) {
        return format!(
            "no sheet has a header row with a contract id column in its first {} rows",
            crate::ingest::header::HEADER_SCAN_ROWS
        );
    }
    "its sheets have a header row but no rows with a contract id below it".to_string()
}

/// Check a finished run. `named` are the inputs as given on the command line; `unused`
/// the `--mapping` entries `(field, column)` that matched no column; `shard_without_files`
/// is true for a `--shard` that holds none of a non-empty input list (not an error: the
/// other shards audit the inputs).
pub fn check(
    batch: &BatchOutcome,
    named: &[PathBuf],
    mapping: Option<&Path>,
    unused: &[(String, String)],
    shard_without_files: bool,
) -> Coverage {
    let mut c = Coverage::default();
    let mapping_note = |field: &str| -> Option<String> {
        let m = mapping?;
        let (_, col) = unused.iter().find(|(f, _)| f == field)?;
        Some(format!(
            " (--mapping {} maps {field} to \"{col}\", which matched no column)",
            m.display()
        ))
    };
    if let Some(m) = mapping {
        for (field, col) in unused {
            c.warnings.push(format!(
                "--mapping {}: {field} = \"{col}\" matched no column header in any sheet",
                m.display()
            ));
        }
    }
    let read: Vec<&FileOutcome> = batch.files.iter().filter(|f| f.error.is_none()).collect();
    let named_files: Vec<String> = named
        .iter()
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    for f in read.iter().filter(|f| f.records == 0) {
        if named_files.contains(&f.file) {
            c.errors.push(format!(
                "{}: no records were read: {}{}",
                f.file,
                why_no_records(f),
                mapping_note("contract_id").unwrap_or_default()
            ));
        }
    }
    if batch.tally.records == 0 && !shard_without_files && c.errors.is_empty() {
        let failed = batch.files.len() - read.len();
        let mut s = format!(
            "nothing was audited: 0 records in {} file(s) read",
            read.len()
        );
        if failed > 0 {
            s.push_str(&format!(", {failed} input(s) could not be read"));
        }
        for f in read.iter().take(SHOWN) {
            s.push_str(&format!("\n  {}: {}", f.file, why_no_records(f)));
        }
        if let Some(note) = mapping_note("contract_id") {
            s.push_str(&format!("\n {note}"));
        }
        c.errors.push(s);
    }
    c
}

/// The note on an audited sheet for rows below its header that are not records.
pub fn rows_not_read_note(count: usize, first: &[u32]) -> Option<String> {
    if count == 0 {
        return None;
    }
    let rows: Vec<String> = first.iter().map(u32::to_string).collect();
    let more = if count > first.len() { ", ..." } else { "" };
    Some(format!(
        "{count} row(s) below the header not read as records (no contract id): row {}{more}",
        rows.join(", ")
    ))
}

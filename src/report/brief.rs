//! The words at the top of both portfolio reports: the executive summary and the scope and
//! limits (what was not checked and why). Built once from the [`Portfolio`] so the workbook
//! and the page say the same sentences.

use super::portfolio::{Portfolio, file_name};
use super::text::{count, money};

/// Contracts named in the executive summary.
pub const TOP_CONTRACTS: usize = 5;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// "774 records with gaps: 0 missing clauses or evidence, 774 forced-labor exposure".
pub fn gap_split(p: &Portfolio) -> String {
    format!(
        "{} with gaps: {} missing clauses or evidence, {} forced-labor exposure (high-risk goods, Xinjiang, listed entities); a record can have both.",
        plural(p.gap_count, "record", "records"),
        p.gap_records_compliance,
        p.gap_records_exposure
    )
}

/// One line for a contract: id, vendor, value.
pub fn contract_label(p: &Portfolio, i: usize) -> String {
    let c = &p.contracts[i];
    let mut s = c.contract_id.clone();
    if let Some(parent) = &c.parent_id {
        s.push_str(&format!(" (order under {parent})"));
    }
    if let Some(v) = &c.vendor {
        s.push_str(&format!(", {v}"));
    }
    s.push_str(&match c.value {
        Some(v) => format!(", {}", money(v)),
        None => ", value not stated".to_string(),
    });
    s
}

/// The executive summary: paragraphs, then the top contracts, each "label: what is wrong".
pub fn executive(p: &Portfolio) -> (Vec<String>, Vec<String>) {
    let files = p.batch.files.len();
    let mut paras = vec![format!(
        "Audited {} ({}) from {} of {} input files, as of {}.",
        plural(p.contracts.len(), "contract", "contracts"),
        plural(p.totals.records, "contract action", "contract actions"),
        p.files_audited,
        files,
        p.batch.as_of
    )];
    let tier1 = p
        .work
        .iter()
        .filter(|w| w.tier == super::worklist::Tier::ComplianceOnRiskGoods)
        .count();
    paras.push(format!(
        "{} action (the work list): {} with missing clauses or evidence ({} of them on high-risk goods), {} with forced-labor exposure. {}",
        plural(p.work.len(), "contract needs", "contracts need"),
        p.gap_contracts_compliance,
        tier1,
        p.gap_contracts_exposure,
        gap_split(p)
    ));
    let mut limits = Vec::new();
    if p.no_clause_data > 0 {
        limits.push(format!(
            "clause compliance was not checked for {} of {} records: the input has no clause data",
            count(p.no_clause_data),
            count(p.totals.records)
        ));
    }
    if !p.files_not_audited.is_empty() {
        limits.push(format!(
            "{} not audited (see Scope and limits)",
            plural(
                p.files_not_audited.len(),
                "input file was",
                "input files were"
            )
        ));
    }
    if !p.practices_unchecked.is_empty() && p.totals.records > 0 {
        limits.push(format!(
            "{} could not be checked: the inputs have no evidence column for them",
            plural(
                p.practices_unchecked.len(),
                "best practice",
                "best practices"
            )
        ));
    }
    if p.contract_totals.status[1] > 0 {
        limits.push(format!(
            "{} incomplete: a field needed for a determination is blank",
            plural(p.contract_totals.status[1], "contract is", "contracts are")
        ));
    }
    if !limits.is_empty() {
        paras.push(format!("Not checked: {}.", limits.join("; ")));
    }
    let top = p
        .work
        .iter()
        .take(TOP_CONTRACTS)
        .map(|w| {
            let d = w.describe(&p.contracts);
            let first = d.wrong.first().map_or("", String::as_str);
            // The other rules by id: the work list has them in full.
            let others: Vec<&str> = d.rules.split(", ").skip(1).collect();
            let also = if others.is_empty() {
                String::new()
            } else {
                format!(" (also {})", others.join(", "))
            };
            format!("{}: {first}{also}", contract_label(p, w.contract))
        })
        .collect();
    (paras, top)
}

/// Scope and limits, as (heading, lines) blocks; files and sheets are listed by the caller.
pub fn limits(p: &Portfolio) -> Vec<String> {
    let mut out = Vec::new();
    if p.no_clause_data > 0 {
        out.push(format!(
            "Clause compliance not checked for {} of {} records: no clause data (no clause column or clause sheet). Findings on those records are forced-labor exposure and data issues only; they are incomplete, never compliant.",
            count(p.no_clause_data),
            count(p.totals.records)
        ));
    } else {
        out.push("Clause compliance was checked for every record: each has clause data.".into());
    }
    if p.practices_unchecked.is_empty() {
        out.push("Every best practice with an evidence column was checked.".into());
    } else {
        out.push(format!(
            "Best practices not checked, for lack of an evidence column (add the column named to check one): {}.",
            p.practices_unchecked.join("; ")
        ));
    }
    if p.batch.skipped_files > 0 {
        out.push(format!(
            "{} in the input directories skipped: not a spreadsheet or contract document.",
            plural(p.batch.skipped_files, "file", "files")
        ));
    }
    out
}

/// Files not audited, as (file name, full path, why).
pub fn files_not_audited<'p>(p: &'p Portfolio) -> Vec<(&'p str, &'p str, &'p str)> {
    p.files_not_audited
        .iter()
        .map(|(f, why)| (file_name(f), *f, why.as_str()))
        .collect()
}

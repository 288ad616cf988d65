//! Record + rule data -> verdict. The engine is built once per run (rules parsed, automata
//! compiled); `check` is then a pure function of one record.

mod clauses;
mod practices;
pub mod risk;

use chrono::NaiveDate;

use crate::model::{Finding, RecordResult, Text, risk_of, status_of};
use crate::parse::clauseref::ClauseParser;
use crate::record::Record;
use crate::rules::{DataFiles, RuleSet};

/// Everything compiled from the rule data, shared read-only across threads.
pub struct Engine {
    pub rules: RuleSet,
    pub clause_parser: ClauseParser,
    /// E.O. 13126 product and DoD agency matchers, compiled once.
    pub clause_facts: clauses::Compiled,
    /// Goods categories, Xinjiang matcher, entity screener, practices.
    pub risk: crate::risk::RiskData,
}

impl Engine {
    /// Practice evidence fields and their header synonyms.
    pub fn evidence_fields(&self) -> Vec<(String, Vec<String>)> {
        crate::risk::practices::fields_of(&self.risk.practices)
    }

    pub fn load(files: &DataFiles) -> anyhow::Result<Engine> {
        let rules = RuleSet::load(files)?;
        // Catalogue titles let the parser read references whose number was stripped.
        let titles = rules.legal.titles();
        let clause_facts = clauses::Compiled::new(&rules.legal)?;
        Ok(Engine {
            clause_parser: ClauseParser::new(&titles),
            clause_facts,
            rules,
            risk: crate::risk::RiskData::load(files)?,
        })
    }

    /// Add screening lists given with `--entities FILE` (see `risk::load_entities`).
    pub fn add_entities(&mut self, entries: Vec<crate::risk::EntityEntry>) {
        self.risk.add_entities(entries);
    }
}

/// Per-sheet facts the checks need besides the record.
pub struct Ctx<'a> {
    pub engine: &'a Engine,
    /// Date for records without one of their own.
    pub as_of: NaiveDate,
    /// Header text by 0-based column, to name the column a finding points to.
    pub column_name: &'a dyn Fn(u32) -> Option<Text>,
}

/// Audit one record: every check, then status and risk from the findings.
pub fn check(record: &Record, ctx: &Ctx) -> (Vec<Finding>, Vec<String>) {
    let mut findings = Vec::new();
    clauses::check(record, ctx, &mut findings);
    let risk_categories = risk::check(record, ctx, &mut findings);
    practices::check(record, ctx, &mut findings);
    // Findings name the user's own column headers, not internal field names.
    let header_of = |field: &str| {
        let col = match record.evidence.get(field) {
            Some(e) => e.col(),
            None => clauses::column_of_field(record, field).1,
        };
        col.and_then(|c| (ctx.column_name)(c))
            .map(|h| format!("\"{h}\""))
    };
    for f in &mut findings {
        if f.column.is_none() {
            f.column = f.col_index.and_then(|c| (ctx.column_name)(c));
        }
        crate::rules::render::name_columns(f, &header_of);
    }
    (findings, risk_categories)
}

/// Fill a `RecordResult` from a record and its findings.
pub fn verdict(
    record: &Record,
    findings: Vec<Finding>,
    risk_categories: Vec<String>,
    file: &str,
    sheet: &str,
) -> RecordResult {
    let text = |f: &crate::record::Field<String>| f.value().cloned();
    RecordResult {
        file: file.to_string(),
        sheet: sheet.to_string(),
        row: record.row,
        contract_id: record.contract_id.clone(),
        modification: record.modification.clone(),
        parent_id: record.parent_id.clone(),
        transaction: record.transaction.clone(),
        status: status_of(&findings),
        risk: risk_of(&findings),
        risk_categories,
        findings,
        clause_sources: record.clause_sources.clone(),
        agency: text(&record.agency).map(group_name),
        office: text(&record.office).map(group_name),
        vendor: text(&record.vendor),
        value: record.value.value().copied(),
    }
}

/// Agency and office cells often come as "CODE: NAME" (`2000: Department of the Treasury`);
/// reports group by the name. The rules see the whole cell (DoD codes such as `97AS`).
fn group_name(value: String) -> String {
    match value.split_once(": ") {
        Some((code, name))
            if !code.is_empty()
                && code.len() <= 8
                && code.chars().all(|c| c.is_ascii_alphanumeric())
                && !name.trim().is_empty() =>
        {
            name.trim().to_string()
        }
        _ => value,
    }
}

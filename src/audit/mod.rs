//! Record + rule data -> verdict. The engine is built once per run (rules parsed, automata
//! compiled); `check` is then a pure function of one record.

mod clauses;

use chrono::NaiveDate;

use crate::model::{Finding, RecordResult, risk_of, status_of};
use crate::parse::clauseref::ClauseParser;
use crate::record::Record;
use crate::rules::{DataFiles, RuleSet};

/// Everything compiled from the rule data, shared read-only across threads.
pub struct Engine {
    pub rules: RuleSet,
    pub clause_parser: ClauseParser,
}

impl Engine {
    /// Practice evidence fields and their header synonyms.
    pub fn evidence_fields(&self) -> Vec<(String, Vec<String>)> {
        Vec::new()
    }

    pub fn load(files: &DataFiles) -> anyhow::Result<Engine> {
        let rules = RuleSet::load(files)?;
        let titles = vec![(
            "Combating Trafficking in Persons".to_string(),
            "52.222-50".to_string(),
        )];
        Ok(Engine {
            rules,
            clause_parser: ClauseParser::new(&titles),
        })
    }
}

/// Per-sheet facts the checks need besides the record.
pub struct Ctx<'a> {
    pub engine: &'a Engine,
    /// Date for records without one of their own.
    pub as_of: NaiveDate,
    /// Header text by 0-based column, to name the column a finding points to.
    pub column_name: &'a dyn Fn(u32) -> Option<String>,
}

/// Audit one record: every check, then status and risk from the findings.
pub fn check(record: &Record, ctx: &Ctx) -> (Vec<Finding>, Vec<String>) {
    let mut findings = Vec::new();
    let risk_categories = Vec::new();
    clauses::check(record, ctx, &mut findings);
    for f in &mut findings {
        if f.column.is_none() {
            f.column = f.col_index.and_then(|c| (ctx.column_name)(c));
        }
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
        agency: text(&record.agency),
        office: text(&record.office),
        vendor: text(&record.vendor),
        value: record.value.value().copied(),
    }
}

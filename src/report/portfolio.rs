//! The portfolio aggregate: one pass over the batch builds a [`Portfolio`], which
//! `gap-report.xlsx` ([`super::gap`]) and `report.html` ([`super::html`]) both render, so the
//! two always say the same thing.

use std::collections::{BTreeMap, HashMap};

use super::agencies::Agencies;
use super::aggregate::{Aggregate, rank_top};
use super::contracts::Contract;
use super::worklist::WorkItem;
use crate::model::{BatchOutcome, Interner, RecordResult, Severity, Status, Tally, Text, kind};
use crate::rules::{DataFiles, RuleSet};

/// How many records the top-risk table lists.
pub const TOP_RISK_ROWS: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    pub rule: String,
    pub title: String,
    pub kind: String,
    pub severity: Severity,
    pub findings: usize,
    pub records: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// One or two key parts (agency and office; vendor; category).
    pub key: Vec<String>,
    pub counts: Tally,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    pub file: String,
    pub sheets_audited: usize,
    pub sheets_not_audited: usize,
    pub findings: usize,
    pub counts: Tally,
    pub error: Option<String>,
    /// File name of the annotated copy (it sits next to the reports).
    pub annotated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub category: String,
    /// The category's records by status and risk.
    pub counts: Tally,
}

/// Gap records the HTML page lists; the xlsx report and findings.jsonl hold them all.
pub const GAP_SAMPLE: usize = 2_000;
/// Data-issue rows the HTML page lists.
pub const DATA_SAMPLE: usize = 500;

/// One data-issue finding with where it is, for listings.
#[derive(Debug, Clone, PartialEq)]
pub struct DataIssue {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub contract_id: String,
    pub rule: String,
    pub severity: Severity,
    pub column: Option<String>,
    pub message: String,
}

/// The whole portfolio, aggregated in one pass over `findings.jsonl` (records stream past;
/// bounded samples are kept, and one entry per contract).
#[derive(Debug)]
pub struct Portfolio<'a> {
    pub batch: &'a BatchOutcome,
    /// Records by status and risk, and their summed value.
    pub totals: Tally,
    pub findings: usize,
    pub files_audited: usize,
    pub files_failed: usize,
    pub by_rule: Vec<RuleRow>,
    pub by_agency: Vec<GroupRow>,
    pub by_vendor: Vec<GroupRow>,
    pub by_file: Vec<FileRow>,
    pub categories: Vec<CategoryRow>,
    pub top_risk: Vec<RecordResult>,
    /// Records with status `gaps`: how many, their summed value, and the first
    /// [`GAP_SAMPLE`] in input order.
    pub gap_count: usize,
    pub gap_value: f64,
    pub gap_sample: Vec<RecordResult>,
    /// Data-issue findings per rule, how many, and the first [`DATA_SAMPLE`].
    pub data_by_rule: Vec<RuleRow>,
    pub data_issues: usize,
    pub data_sample: Vec<DataIssue>,
    /// (file, sheet, why) for sheets copied but not audited.
    pub not_audited: Vec<(&'a str, &'a str, &'a str)>,
    /// (file, error) for inputs that could not be audited.
    pub failed: Vec<(&'a str, &'a str)>,
    /// Inputs with no audited record: (file, why), failed inputs included.
    pub files_not_audited: Vec<(&'a str, String)>,
    /// Every contract (base award with its modifications; an order on its own).
    pub contracts: Vec<Contract>,
    /// Contracts by status and risk.
    pub contract_totals: Tally,
    /// The ordered work list over `contracts`.
    pub work: Vec<WorkItem>,
    /// (department, bureau) of each contract, indexed like `contracts`.
    pub agency_of: Vec<(Text, Text)>,
    /// Records with gaps split by axis: with a compliance gap, with forced-labor exposure
    /// (a record can be both); the same for contracts.
    pub gap_records_compliance: usize,
    pub gap_records_exposure: usize,
    pub gap_contracts_compliance: usize,
    pub gap_contracts_exposure: usize,
    /// Records whose clause compliance could not be checked: no clause data.
    pub no_clause_data: usize,
    /// The rule data's editions, one line each.
    pub versions: Vec<String>,
    /// Practices no audited sheet has an evidence column for, each with a column that would
    /// enable it (worked out from the sheets, so a merged run says the same as one run).
    pub practices_unchecked: Vec<String>,
    /// The listing rows spooled per input, in input order; `None`: read findings.jsonl.
    pub listing_rows: Option<Vec<std::path::PathBuf>>,
}

/// "file.xlsx, Sheet, row 12" (the sheet left out when it only repeats a CSV's file name).
pub fn place_text(w: &super::contracts::Place) -> String {
    let name = file_name(&w.file);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    // A contract document is one record with no row.
    if w.row == 0 {
        name.to_string()
    } else if w.sheet == stem {
        format!("{name}, row {}", w.row)
    } else {
        format!("{name}, {}, row {}", w.sheet, w.row)
    }
}

/// The file name of a path as given (the full path goes in a tooltip or note).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn blank_key(s: Option<&str>) -> String {
    match s.map(|s| s.trim()) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "(blank)".to_string(),
    }
}

/// What the reports take from the rule data: rule titles, the data's editions, agency
/// groups and the practices. A run builds it from the rules it loaded, so the reports do
/// not read the rule files again.
pub struct RuleData {
    titles: HashMap<String, String>,
    versions: Vec<String>,
    agencies: Agencies,
    /// `None` when the practices could not be read: the batch's own list is used.
    practices: Option<Vec<crate::risk::practices::Practice>>,
}

impl RuleData {
    /// From the rule files and the engine compiled from them.
    pub fn new(files: &DataFiles, engine: &crate::audit::Engine) -> RuleData {
        RuleData {
            titles: titles_of(&engine.rules),
            versions: super::sources::versions(files),
            agencies: Agencies::load(files),
            practices: Some(engine.risk.practices.clone()),
        }
    }

    /// For a batch read back without its engine: the rules it ran with when that directory
    /// is still there, else the built-in ones; a rule unknown to both shows its kind.
    pub fn of_origin(rules_origin: &str) -> RuleData {
        let files = super::sources::data_files(rules_origin);
        let titles = RuleSet::load(&files)
            .or_else(|_| RuleSet::load(&DataFiles::builtin()))
            .map(|rs| titles_of(&rs))
            .unwrap_or_default();
        RuleData {
            titles,
            versions: super::sources::versions(&files),
            agencies: Agencies::load(&files),
            practices: crate::risk::practices::load_practices(&files).ok(),
        }
    }
}

fn titles_of(rs: &RuleSet) -> HashMap<String, String> {
    rs.rules()
        .iter()
        .map(|r| (r.id.to_string(), r.title.clone()))
        .collect()
}

/// The inputs as the file listings need them: a By file row each (records are counted in
/// later), and those that failed or had nothing to audit.
struct Inputs<'a> {
    by_file: Vec<FileRow>,
    /// Row of each file in `by_file`.
    file_index: HashMap<&'a str, usize>,
    /// (file, error) for inputs that could not be audited.
    failed: Vec<(&'a str, &'a str)>,
    /// (file, sheet, why) for sheets copied but not audited.
    not_audited: Vec<(&'a str, &'a str, &'a str)>,
    /// Inputs with no audited record: (file, why), failed inputs included.
    files_not_audited: Vec<(&'a str, String)>,
}

impl<'a> Inputs<'a> {
    fn scan(batch: &'a BatchOutcome) -> Inputs<'a> {
        let mut not_audited = Vec::new();
        let mut failed = Vec::new();
        let mut files_not_audited: Vec<(&str, String)> = Vec::new();
        let mut by_file: Vec<FileRow> = Vec::with_capacity(batch.files.len());
        let mut file_index: HashMap<&str, usize> = HashMap::new();
        for f in &batch.files {
            if let Some(e) = &f.error {
                failed.push((f.file.as_str(), e.as_str()));
            }
            if let Some(e) = &f.error {
                files_not_audited.push((f.file.as_str(), e.clone()));
            } else if !f.sheets.iter().any(|s| s.audited) {
                files_not_audited.push((
                    f.file.as_str(),
                    if f.sheets.is_empty() {
                        "no sheet to audit".to_string()
                    } else {
                        "no sheet has a contract id column: not contract data".to_string()
                    },
                ));
            }
            for s in &f.sheets {
                if !s.audited {
                    not_audited.push((
                        f.file.as_str(),
                        s.name.as_str(),
                        s.note.as_deref().unwrap_or("no contract id column found"),
                    ));
                }
            }
            file_index.entry(f.file.as_str()).or_insert(by_file.len());
            by_file.push(FileRow {
                file: f.file.clone(),
                sheets_audited: f.sheets.iter().filter(|s| s.audited).count(),
                sheets_not_audited: f.sheets.iter().filter(|s| !s.audited).count(),
                findings: 0,
                counts: Tally::default(),
                error: f.error.clone(),
                annotated: f
                    .annotated
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned()),
            });
        }
        Inputs {
            by_file,
            file_index,
            failed,
            not_audited,
            files_not_audited,
        }
    }
}

/// The portfolio by contract: status and risk, contracts with gaps by axis, and the agency
/// and vendor tables (agencies by department and bureau, vendors by name).
struct ContractViews {
    totals: Tally,
    gaps_compliance: usize,
    gaps_exposure: usize,
    /// (department, bureau) of each contract.
    agency_of: Vec<(Text, Text)>,
    by_agency: Vec<GroupRow>,
    by_vendor: Vec<GroupRow>,
}

impl ContractViews {
    fn of(contracts: &[Contract], agencies: &Agencies) -> ContractViews {
        let mut agency: BTreeMap<(String, String), Tally> = BTreeMap::new();
        let mut vendor: BTreeMap<String, Tally> = BTreeMap::new();
        let mut totals = Tally::default();
        let (mut gap_contracts_compliance, mut gap_contracts_exposure) = (0, 0);
        let mut agency_of = Vec::with_capacity(contracts.len());
        let mut names = Interner::default();
        for c in contracts {
            let group = agencies.group(c.agency.as_deref(), c.office.as_deref());
            agency_of.push((names.get(&group.0), names.get(&group.1)));
            totals.count(c.status, c.risk);
            if c.status == Status::Gaps {
                gap_contracts_compliance += usize::from(c.compliance_gaps().next().is_some());
                gap_contracts_exposure += usize::from(c.exposure().next().is_some());
            }
            // A contract counts once, at its latest stated value.
            for t in [
                agency.entry(group).or_default(),
                vendor.entry(blank_key(c.vendor.as_deref())).or_default(),
            ] {
                t.count(c.status, c.risk);
                t.add_value(c.value);
            }
        }
        let (by_agency, by_vendor) = Self::group_rows(agency, vendor);
        ContractViews {
            totals,
            gaps_compliance: gap_contracts_compliance,
            gaps_exposure: gap_contracts_exposure,
            agency_of,
            by_agency,
            by_vendor,
        }
    }

    /// The agency and vendor tables, most contracts with gaps first.
    fn group_rows(
        agency: BTreeMap<(String, String), Tally>,
        vendor: BTreeMap<String, Tally>,
    ) -> (Vec<GroupRow>, Vec<GroupRow>) {
        let group_order = |a: &GroupRow, b: &GroupRow| {
            b.counts
                .gaps()
                .cmp(&a.counts.gaps())
                .then(b.counts.records.cmp(&a.counts.records))
                .then(a.key.cmp(&b.key))
        };
        let mut by_agency: Vec<GroupRow> = agency
            .into_iter()
            .map(|((a, o), counts)| GroupRow {
                key: vec![a, o],
                counts,
            })
            .collect();
        by_agency.sort_by(group_order);
        let mut by_vendor: Vec<GroupRow> = vendor
            .into_iter()
            .map(|(v, counts)| GroupRow {
                key: vec![v],
                counts,
            })
            .collect();
        by_vendor.sort_by(group_order);
        (by_agency, by_vendor)
    }
}

impl<'a> Portfolio<'a> {
    pub fn new(batch: &'a BatchOutcome) -> anyhow::Result<Portfolio<'a>> {
        Portfolio::with_rules(batch, &RuleData::of_origin(&batch.rules_origin))
    }

    pub fn with_rules(batch: &'a BatchOutcome, rd: &RuleData) -> anyhow::Result<Portfolio<'a>> {
        Ok(Portfolio::of(batch, rd, Aggregate::read(batch)?))
    }

    /// The portfolio from the aggregate of the batch's records.
    pub fn of(batch: &'a BatchOutcome, rd: &RuleData, agg: Aggregate) -> Portfolio<'a> {
        let Inputs {
            mut by_file,
            file_index,
            failed,
            not_audited,
            files_not_audited,
        } = Inputs::scan(batch);
        for (file, counts, findings) in &agg.files {
            if let Some(i) = file_index.get(file.as_str()) {
                by_file[*i].counts.absorb(counts);
                by_file[*i].findings += findings;
            }
        }
        let mut top = agg.top;
        rank_top(&mut top);
        let mut totals = agg.totals;
        totals.value = agg.value;

        // Portfolio views by contract: agencies by department and bureau, vendors by name.
        let contracts = agg.contracts.finish();
        let ContractViews {
            totals: contract_totals,
            gaps_compliance: gap_contracts_compliance,
            gaps_exposure: gap_contracts_exposure,
            agency_of,
            by_agency,
            by_vendor,
        } = ContractViews::of(&contracts, &rd.agencies);
        let work = super::worklist::build(&contracts);

        let (by_rule, data_by_rule, categories) =
            ranked_rows(rd, agg.rules, agg.data, agg.categories);

        Portfolio {
            batch,
            totals,
            findings: agg.findings,
            files_audited: batch.files.len() - files_not_audited.len(),
            files_failed: failed.len(),
            by_rule,
            by_agency,
            by_vendor,
            by_file,
            categories,
            top_risk: top.into_iter().map(|(_, r)| r).collect(),
            gap_count: agg.gap_count,
            gap_value: agg.gap_value,
            gap_sample: agg.gap_sample,
            data_by_rule,
            data_issues: agg.data_issues,
            data_sample: agg.data_sample,
            not_audited,
            failed,
            files_not_audited,
            contracts,
            contract_totals,
            work,
            agency_of,
            gap_records_compliance: agg.gap_records_compliance,
            gap_records_exposure: agg.gap_records_exposure,
            gap_contracts_compliance,
            gap_contracts_exposure,
            no_clause_data: agg.no_clause_data,
            versions: rd.versions.clone(),
            practices_unchecked: match &rd.practices {
                Some(practices) => crate::risk::practices::unchecked(practices, batch),
                None => batch.practices_unchecked.clone(),
            },
            listing_rows: agg.rows,
        }
    }
}

/// The rule, data-issue and category rows, titled from the rule set and ranked largest first.
fn ranked_rows(
    rd: &RuleData,
    rules: BTreeMap<String, RuleRow>,
    data: BTreeMap<String, RuleRow>,
    categories: BTreeMap<String, Tally>,
) -> (Vec<RuleRow>, Vec<RuleRow>, Vec<CategoryRow>) {
    let titled = |rows: BTreeMap<String, RuleRow>| -> Vec<RuleRow> {
        rows.into_values()
            .map(|mut r| {
                r.title = rd
                    .titles
                    .get(&r.rule)
                    .cloned()
                    .unwrap_or_else(|| r.kind.replace('_', " "));
                r
            })
            .collect()
    };
    // Largest first; ties by name so the order never depends on hashing or threads.
    let mut by_rule = titled(rules);
    by_rule.sort_by(|a, b| b.records.cmp(&a.records).then(a.rule.cmp(&b.rule)));
    let mut data_by_rule = titled(data);
    data_by_rule.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.rule.cmp(&b.rule)));
    let mut categories: Vec<CategoryRow> = categories
        .into_iter()
        .map(|(category, counts)| CategoryRow { category, counts })
        .collect();
    categories.sort_by(|a, b| {
        b.counts
            .records
            .cmp(&a.counts.records)
            .then(a.category.cmp(&b.category))
    });
    (by_rule, data_by_rule, categories)
}

/// Short text of a record's findings: rule ids, deduplicated, in order.
pub fn rule_ids(r: &RecordResult) -> String {
    let mut out = String::new();
    for f in &r.findings {
        if !out.split(", ").any(|x| x == f.rule) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&f.rule);
        }
    }
    out
}

/// The most severe finding's message, for one-line listings: gaps before data issues, and
/// the first listed among equals (the rules list clause gaps before risk findings).
pub fn headline(r: &RecordResult) -> &str {
    let mut best: Option<(bool, Severity, &str)> = None;
    for f in &r.findings {
        let key = (f.kind != kind::DATA_ISSUE, f.severity);
        if best.is_none_or(|(g, s, _)| key > (g, s)) {
            best = Some((key.0, key.1, f.message.as_str()));
        }
    }
    best.map_or("", |b| b.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_names_the_row_except_for_a_document() {
        let place = |file: &str, sheet: &str, row| super::super::contracts::Place {
            file: file.into(),
            sheet: sheet.into(),
            row,
        };
        assert_eq!(place_text(&place("d/a.csv", "a", 12)), "a.csv, row 12");
        assert_eq!(
            place_text(&place("d/b.xlsx", "Awards", 3)),
            "b.xlsx, Awards, row 3"
        );
        assert_eq!(
            place_text(&place("docs/W912DY24C0007.pdf", "Document", 0)),
            "W912DY24C0007.pdf"
        );
    }
}

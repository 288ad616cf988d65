//! The portfolio gap report: one pass over the batch builds a [`Portfolio`] aggregate, which
//! `gap-report.xlsx` (here) and `report.html` ([`super::html`]) both render, so the two
//! always say the same thing.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartPoint, ChartSolidFill, ChartType, Color,
    DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::agencies::Agencies;
use super::aggregate::{Aggregate, rank_top};
use super::annotate::STATUS_LEGEND;
use super::contracts::Contract;
use super::listings::{self, DataRow, RecordRow};
use super::text::{MONEY_FORMAT, count, fit, write_text_with};
use super::worklist::WorkItem;
use crate::model::{BatchOutcome, RISKS, RecordResult, Severity, Status, Tally, kind};
use crate::rules::{DataFiles, RuleSet};

/// How many records the top-risk table lists.
pub const TOP_RISK_ROWS: usize = 100;
const MAX_ROWS: u32 = 1_048_576;
/// Tables start below a title and a subtitle; this is the header row (0-based).
const HEADER_ROW: u32 = 3;
/// Rule bars in the chart: beyond this the chart is unreadable; the table has them all.
const CHART_RULES: usize = 15;
const CHART_CATEGORIES: usize = 15;

/// Chart colours per status (stronger than the row fills, which are too pale for a chart).
pub const STATUS_CHART_COLORS: [u32; 4] = [0xC0504D, 0xE6A118, 0x5B9BD5, 0x70AD47];
/// Chart colours per risk, indexed like [`RISKS`].
pub const RISK_CHART_COLORS: [u32; 4] = [0xC00000, 0xED7D31, 0xFFC000, 0xA5A5A5];

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
    pub agency_of: Vec<(String, String)>,
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

fn blank_key(s: Option<&String>) -> String {
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
    agency_of: Vec<(String, String)>,
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
        for c in contracts {
            let group = agencies.group(c.agency.as_deref(), c.office.as_deref());
            agency_of.push(group.clone());
            totals.count(c.status, c.risk);
            if c.status == Status::Gaps {
                gap_contracts_compliance += usize::from(c.compliance_gaps().next().is_some());
                gap_contracts_exposure += usize::from(c.exposure().next().is_some());
            }
            // A contract counts once, at its latest stated value.
            for t in [
                agency.entry(group).or_default(),
                vendor.entry(blank_key(c.vendor.as_ref())).or_default(),
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

// ---------------------------------------------------------------------------------------
// gap-report.xlsx
// ---------------------------------------------------------------------------------------

/// One chart point per colour, in order (status and risk charts colour their bars).
fn colored_points(colors: &[u32]) -> Vec<ChartPoint> {
    colors
        .iter()
        .map(|c| {
            ChartPoint::new().set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(*c))),
            )
        })
        .collect()
}

struct Fmts {
    title: Format,
    subtitle: Format,
    header: Format,
    bold: Format,
    money: Format,
    pct: Format,
    quoted: Format,
    wrap: Format,
    status: [Format; 4],
    as_of: String,
}

impl Fmts {
    fn new(as_of: &str) -> Fmts {
        let fill = |c: u32| Format::new().set_background_color(Color::RGB(c));
        Fmts {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F4E79))
                .set_border(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format(MONEY_FORMAT),
            pct: Format::new().set_num_format("0%"),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            status: STATUS_LEGEND.map(|(_, c, _)| fill(c)),
            as_of: as_of.to_string(),
        }
    }
}

/// One cell of a table row.
enum C<'s> {
    T(&'s str),
    /// Text that wraps (long messages).
    W(&'s str),
    N(f64),
    Money(f64),
    Pct(f64),
    Blank,
}

fn put_row(ws: &mut Worksheet, row: u32, cells: &[C], f: &Fmts) -> anyhow::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        let col = i as u16;
        match c {
            C::T(s) => write_text_with(ws, row, col, s, None, &f.quoted)?,
            C::W(s) => write_text_with(ws, row, col, s, Some(&f.wrap), &f.quoted)?,
            C::N(n) => {
                ws.write_number(row, col, *n)?;
            }
            C::Money(n) => {
                ws.write_number_with_format(row, col, *n, &f.money)?;
            }
            C::Pct(n) => {
                ws.write_number_with_format(row, col, *n, &f.pct)?;
            }
            C::Blank => {}
        }
    }
    Ok(())
}

/// Title, subtitle, header row and print setup shared by every table sheet.
fn start_table(
    ws: &mut Worksheet,
    name: &str,
    title: &str,
    subtitle: &str,
    headers: &[(&str, f64)],
    f: &Fmts,
) -> anyhow::Result<()> {
    let as_of = f.as_of.as_str();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, title, &f.title)?;
    write_text_with(ws, 1, 0, subtitle, Some(&f.subtitle), &f.quoted)?;
    for (i, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, i as u16, *h, &f.header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_row_height(HEADER_ROW, 30)?;
    print_setup(ws, Some(HEADER_ROW), as_of)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

fn end_table(ws: &mut Worksheet, last_row: u32, ncols: usize) -> anyhow::Result<()> {
    ws.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW), (ncols - 1) as u16)?;
    Ok(())
}

fn print_setup(ws: &mut Worksheet, repeat: Option<u32>, as_of: &str) -> anyhow::Result<()> {
    ws.set_landscape();
    ws.set_paper_size(1); // US Letter: the readers are US federal offices.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_header("&L&\"Calibri,Bold\"tipaudit gap report&R&A");
    // The batch's as-of date, not the print date (&D): the report is about that day.
    ws.set_footer(format!(
        "&LAs of {}&RPage &P of &N",
        as_of.replace('&', "&&")
    ));
    if let Some(r) = repeat {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

pub fn write_gap_report(path: &Path, batch: &BatchOutcome) -> anyhow::Result<()> {
    write_portfolio(path, &Portfolio::new(batch)?)
}

/// Write `gap-report.xlsx` for an aggregated portfolio.
pub fn write_portfolio(path: &Path, p: &Portfolio) -> anyhow::Result<()> {
    let batch = p.batch;
    let f = Fmts::new(&batch.as_of);
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(super::ZIP_LEVEL);
    // Dated the as-of day rather than "now", so the same run gives the same bytes.
    let mut props = DocProperties::new()
        .set_title("tipaudit gap report")
        .set_subject(format!(
            "Trafficking-in-persons and forced-labor gaps as of {}",
            batch.as_of
        ));
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&batch.as_of, "%Y-%m-%d") {
        props = props.set_creation_datetime(&d);
    }
    wb.set_properties(&props);

    work_list_sheet(&mut wb, p, &f)?;
    overview(&mut wb, p, &f)?;
    rules_sheet(&mut wb, p, &f)?;
    group_sheet(
        &mut wb,
        "By agency",
        "Contracts by department and bureau",
        &["Department", "Bureau"],
        &p.by_agency,
        &f,
    )?;
    group_sheet(
        &mut wb,
        "By vendor",
        "Contracts by vendor",
        &["Vendor"],
        &p.by_vendor,
        &f,
    )?;
    files_sheet(&mut wb, p, &f)?;
    categories_sheet(&mut wb, p, &f)?;
    top_risk_sheet(&mut wb, p, &f)?;
    listing_sheets(&mut wb, p, &f)?;
    not_audited_sheet(&mut wb, p, &f)?;
    if batch.evidence.files > 0 {
        evidence_sheet(&mut wb, p, &f)?;
    }

    save_atomically(&mut wb, path)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `--clauses` evidence that matched no record: listed, never dropped.
fn evidence_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ev = &p.batch.evidence;
    let ws = wb.add_worksheet();
    let headers = [
        ("Contract id in the evidence", 30.0),
        ("Clause references", 18.0),
        ("Where", 90.0),
    ];
    let intro = format!(
        "{} evidence file(s) named {} contract(s); these matched no audited record (check the id, or add the award data that holds it).",
        ev.files, ev.contracts
    );
    start_table(
        ws,
        "Clause evidence",
        "Clause evidence that matched no record",
        &intro,
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    for u in &ev.unmatched {
        row += 1;
        let sources: Vec<String> = u.sources.iter().map(|x| x.to_string()).collect();
        put_row(
            ws,
            row,
            &[
                C::T(&u.contract_id),
                C::N(u.clauses as f64),
                C::T(&sources.join("; ")),
            ],
            f,
        )?;
    }
    if row == HEADER_ROW {
        row += 1;
        ws.write_string(row, 0, "All clause evidence matched a record.")?;
    }
    end_table(ws, row, headers.len())
}

/// Save atomically: readers never see half a report.
pub(crate) fn save_atomically(wb: &mut Workbook, path: &Path) -> anyhow::Result<()> {
    super::save_atomic(path, |w| {
        wb.save_to_writer(w)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

fn overview(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Overview")?;
    print_setup(ws, None, &p.batch.as_of)?;
    ws.set_column_width(0, 30)?;
    // Wide enough for a portfolio value ($999,999,999,999), never "###".
    ws.set_column_width(1, 20)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 100)?;
    ws.write_string_with_format(
        0,
        0,
        "Portfolio gap report: trafficking in persons and forced labor",
        &f.title,
    )?;
    let sub = format!(
        "As of {} · {} contracts ({} contract actions) · FAR subpart 22.17, 52.222-50/-56, UFLPA",
        p.batch.as_of,
        p.contracts.len(),
        p.totals.records
    );
    write_text_with(ws, 1, 0, &sub, Some(&f.subtitle), &f.quoted)?;
    if let Some(not_checked) = crate::model::clauses_not_checked(&p.batch.files) {
        ws.write_string_with_format(2, 0, capitalise(&not_checked), &f.bold)?;
    }

    let mut row = executive_rows(ws, p, f)?;

    row = key_facts(ws, p, f, row)?;

    let (status_first, status_last) = status_table(ws, p, f, row)?;
    row = status_last + 2;

    let (risk_first, risk_last) = risk_table(ws, p, f, row)?;
    row = risk_last + 1;

    overview_charts(ws, (status_first, status_last), (risk_first, risk_last))?;

    row += 2;
    ws.write_string_with_format(row, 0, "Where to look next", &f.bold)?;
    let guide = [
        "Gaps by rule: which clause, provision or evidence is missing most often, with the FAR cite.",
        "By agency / By vendor / By file: where the gaps concentrate.",
        "Risk categories and Top-risk records: forced-labor exposure (UFLPA, WRO, DOL list).",
        "Gap records: every record with gaps; each input's <name>.audited.xlsx marks the cells.",
        "Data issues and Not audited: what could not be determined and why.",
    ];
    for g in guide {
        row += 1;
        ws.write_string(row, 0, g)?;
    }
    Ok(())
}

/// The executive summary in words, from row 3; the row after it.
fn executive_rows(ws: &mut Worksheet, p: &Portfolio, f: &Fmts) -> anyhow::Result<u32> {
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = 3;
    ws.write_string_with_format(row, 0, "Executive summary", &f.bold)?;
    row += 1;
    let (paras, top) = super::brief::executive(p);
    let mut lines: Vec<String> = paras;
    lines.extend(
        top.iter()
            .enumerate()
            .map(|(i, t)| format!("{}. {t}", i + 1)),
    );
    lines.push(format!("Rule data: {}.", p.versions.join(" · ")));
    for line in &lines {
        let text = fit(line, 2000);
        ws.merge_range(row, 0, row, 3, "", &wrap)?;
        write_text_with(ws, row, 0, &text, Some(&wrap), &f.quoted)?;
        // About 150 characters per line across the merged columns.
        ws.set_row_height(row, 15.0 * text.chars().count().div_ceil(150).max(1) as f64)?;
        row += 1;
    }
    row += 1;
    Ok(row)
}

/// The figures, one per row from `row`; the row after them.
fn key_facts(ws: &mut Worksheet, p: &Portfolio, f: &Fmts, row: u32) -> anyhow::Result<u32> {
    let mut row = row;
    let facts: [(&str, f64); 12] = [
        ("Contracts audited", p.contracts.len() as f64),
        ("Contracts on the work list", p.work.len() as f64),
        (
            "  with missing clauses or evidence",
            p.gap_contracts_compliance as f64,
        ),
        (
            "  with forced-labor exposure",
            p.gap_contracts_exposure as f64,
        ),
        (
            "Records without clause data (clause compliance not checked)",
            p.no_clause_data as f64,
        ),
        ("Input files audited", p.files_audited as f64),
        (
            "Input files not audited (see Not audited)",
            p.files_not_audited.len() as f64,
        ),
        (
            "Files skipped (not spreadsheets)",
            p.batch.skipped_files as f64,
        ),
        (
            "Records (contract actions) audited",
            p.totals.records as f64,
        ),
        ("Findings", p.findings as f64),
        ("Data issues among them", p.data_issues as f64),
        (
            "Records with high forced-labor risk",
            p.totals.high_risk() as f64,
        ),
    ];
    for (label, n) in facts {
        ws.write_string(row, 0, label)?;
        ws.write_number_with_format(row, 1, n, &f.bold)?;
        row += 1;
    }
    ws.write_string(row, 0, "Value of contracts on the work list")?;
    let work_value: f64 = p
        .work
        .iter()
        .filter_map(|w| p.contracts[w.contract].value)
        .filter(|v| v.is_finite())
        .sum();
    ws.write_number_with_format(row, 1, work_value, &f.money)?;
    row += 2;
    Ok(row)
}

/// Contracts by status, header at `row`: the first chart reads it. Its first and last data rows.
fn status_table(
    ws: &mut Worksheet,
    p: &Portfolio,
    f: &Fmts,
    row: u32,
) -> anyhow::Result<(u32, u32)> {
    let mut row = row;
    let status_first = row + 1;
    for (i, h) in ["Status", "Contracts", "Share", "What it means"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, i as u16, *h, &f.header)?;
    }
    row += 1;
    // By contract: a contract takes the worst status and highest risk of its actions.
    let total = p.contracts.len().max(1) as f64;
    for (i, (status, _, meaning)) in STATUS_LEGEND.iter().enumerate() {
        ws.write_string_with_format(row, 0, status.as_str(), &f.status[i])?;
        let n = p.contract_totals.status[i] as f64;
        ws.write_number(row, 1, n)?;
        ws.write_number_with_format(row, 2, n / total, &f.pct)?;
        ws.write_string(row, 3, *meaning)?;
        row += 1;
    }
    let status_last = row - 1;
    Ok((status_first, status_last))
}

/// Contracts by forced-labor risk, header at `row`: the second chart reads it. Its first and
/// last data rows.
fn risk_table(ws: &mut Worksheet, p: &Portfolio, f: &Fmts, row: u32) -> anyhow::Result<(u32, u32)> {
    let mut row = row;
    let total = p.contracts.len().max(1) as f64;
    let risk_first = row + 1;
    for (i, h) in ["Forced-labor risk", "Contracts", "Share", "What it means"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, i as u16, *h, &f.header)?;
    }
    row += 1;
    let risk_meaning = [
        "a UFLPA high-priority sector or WRO basis with China, Xinjiang or unknown origin; Xinjiang; or a screening-list match",
        "a DOL-list category, or a high-risk category from another country",
        "a low-specificity category match",
        "no risk finding",
    ];
    for (i, r) in RISKS.iter().enumerate() {
        ws.write_string(row, 0, r.as_str())?;
        let n = p.contract_totals.risk[i] as f64;
        ws.write_number(row, 1, n)?;
        ws.write_number_with_format(row, 2, n / total, &f.pct)?;
        ws.write_string(row, 3, risk_meaning[i])?;
        row += 1;
    }
    let risk_last = row - 1;
    Ok((risk_first, risk_last))
}

/// The two charts, to the right of the tables they read (first and last data rows).
fn overview_charts(ws: &mut Worksheet, status: (u32, u32), risk: (u32, u32)) -> anyhow::Result<()> {
    let (status_first, status_last) = status;
    let (risk_first, risk_last) = risk;
    let mut chart = Chart::new(ChartType::Doughnut);
    chart.title().set_name("Contracts by status");
    let points = colored_points(&STATUS_CHART_COLORS);
    chart
        .add_series()
        .set_name("Contracts")
        .set_categories(("Overview", status_first, 0, status_last, 0))
        .set_values(("Overview", status_first, 1, status_last, 1))
        .set_points(&points);
    chart.legend().set_position(ChartLegendPosition::Right);
    chart.set_width(480).set_height(288);
    ws.insert_chart(2, 5, &chart)?;

    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Contracts by forced-labor risk");
    let points = colored_points(&RISK_CHART_COLORS);
    chart
        .add_series()
        .set_name("Contracts")
        .set_categories(("Overview", risk_first, 0, risk_last, 0))
        .set_values(("Overview", risk_first, 1, risk_last, 1))
        .set_points(&points);
    chart.legend().set_hidden();
    chart.set_width(480).set_height(288);
    ws.insert_chart(18, 5, &chart)?;
    Ok(())
}

/// Columns of the work list: what to do, then where, then the office's tracking columns.
const WORK_HEADERS: [(&str, f64); 18] = [
    ("#", 5.0),
    ("Priority", 16.0),
    ("Contract ID", 20.0),
    ("Order under IDV", 16.0),
    ("Vendor", 24.0),
    ("Department / bureau", 24.0),
    ("Value (latest)", 16.0),
    ("Actions", 8.0),
    ("Status", 10.0),
    ("Risk", 8.0),
    ("What is wrong", 60.0),
    ("Fix", 44.0),
    ("Cite", 24.0),
    ("Record in its annotated copy", 30.0),
    ("Owner", 14.0),
    ("Due", 11.0),
    ("Response", 30.0),
    ("Closed", 11.0),
];

/// Excel refuses a worksheet with more hyperlinks than this (it offers to repair the file).
pub const MAX_LINKS: usize = 65_530;

/// The first sheet: one row per contract that needs action, in priority order, with a link
/// to the record's row in its annotated copy and empty columns for the office to track it.
fn work_list_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    // One row per contract needing action: written top to bottom and streamed to disk, so a
    // portfolio of 100,000 records does not hold the sheet in memory.
    let ws = wb.add_worksheet_with_constant_memory()?;
    work_list_head(ws, p, f)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let money_top = Format::new()
        .set_num_format(MONEY_FORMAT)
        .set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
    for (col, (_, w)) in WORK_HEADERS.iter().enumerate() {
        let fmt = match col {
            6 => &money_top,
            15 | 17 => &date,
            4 | 5 | 10 | 11 | 12 | 13 | 16 => &wrap,
            _ => &top,
        };
        ws.set_column_width(col as u16, *w)?;
        ws.set_column_format(col as u16, fmt)?;
    }
    let annotated: HashMap<&str, &str> = p
        .by_file
        .iter()
        .filter_map(|r| r.annotated.as_deref().map(|a| (r.file.as_str(), a)))
        .collect();
    let mut row = HEADER_ROW;
    let mut links = 0;
    for w in &p.work {
        if row + 1 >= MAX_ROWS {
            break;
        }
        row += 1;
        let c = &p.contracts[w.contract];
        let d = w.describe(&p.contracts);
        let (dept, bureau) = &p.agency_of[w.contract];
        let org = if bureau.is_empty() {
            dept.clone()
        } else {
            format!("{dept} / {bureau}")
        };
        let put = |ws: &mut Worksheet, col: u16, s: &str, fmt: &Format| {
            write_text_with(ws, row, col, s, Some(fmt), &f.quoted)
        };
        ws.write_number_with_format(row, 0, w.rank as f64, &top)?;
        put(ws, 1, w.tier.label(), &top)?;
        put(ws, 2, &c.contract_id, &top)?;
        put(ws, 3, c.parent_id.as_deref().unwrap_or(""), &top)?;
        put(ws, 4, c.vendor.as_deref().unwrap_or(""), &wrap)?;
        put(ws, 5, &org, &wrap)?;
        if let Some(v) = c.value.filter(|v| v.is_finite()) {
            ws.write_number_with_format(row, 6, v, &money_top)?;
        } else {
            put(ws, 6, "not stated", &top)?;
        }
        ws.write_number_with_format(row, 7, c.actions as f64, &top)?;
        ws.write_string_with_format(row, 8, c.status.as_str(), &f.status[c.status.index()])?;
        put(ws, 9, c.risk.as_str(), &top)?;
        let (wrong, fix) = (d.wrong.join("\n"), d.fix.join("\n"));
        put(ws, 10, &wrong, &wrap)?;
        put(ws, 11, &fix, &wrap)?;
        put(ws, 12, &d.cite, &wrap)?;
        record_place(ws, row, c, &annotated, &mut links, &wrap, f)?;
        // About 60 characters per line in the widest column.
        let lines = |items: &[String], width: usize| -> usize {
            items.iter().map(|t| t.chars().count() / width + 1).sum()
        };
        let lines = lines(&d.wrong, 60).max(lines(&d.fix, 44));
        ws.set_row_height(row, 15.0 * lines.clamp(2, 12) as f64)?;
    }
    if p.work.is_empty() {
        row += 1;
        ws.write_string(row, 0, "No contract needs action.")?;
    }
    end_table(ws, row, WORK_HEADERS.len())
}

/// The Work list's title, the subtitle that explains the order, and the frozen panes.
fn work_list_head(ws: &mut Worksheet, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let mut subtitle = format!(
        "{} contracts need action. Priority: 1 compliance gaps on high-risk goods, 2 listed entities, 3 other compliance gaps, 4 forced-labor exposure without compliance gaps; by value within each. Fill in Owner, Due, Response and Closed to track them.",
        p.work.len()
    );
    if p.work.len() > MAX_LINKS {
        subtitle.push_str(&format!(
            " Excel allows {} links in a sheet: past them, Record gives the file and row as text.",
            count(MAX_LINKS)
        ));
    }
    start_table(ws, "Work list", "Work list", &subtitle, &WORK_HEADERS, f)?;
    // The contract id stays in view while scrolling right.
    ws.set_freeze_panes(HEADER_ROW + 1, 3)?;
    Ok(())
}

/// Where the contract's worst record is: a link into its annotated copy while Excel allows
/// more links in the sheet, else the place as text.
fn record_place(
    ws: &mut Worksheet,
    row: u32,
    c: &Contract,
    annotated: &HashMap<&str, &str>,
    links: &mut usize,
    wrap: &Format,
    f: &Fmts,
) -> anyhow::Result<()> {
    let place = place_text(&c.worst);
    match annotated.get(c.worst.file.as_str()) {
        // A relative link to the row in the copy next to this report.
        Some(name)
            if *links < MAX_LINKS
                && !name.contains(['#', '%'])
                && !c.worst.sheet.contains('\'') =>
        {
            *links += 1;
            let url = rust_xlsxwriter::Url::new(format!(
                "file:///{name}#'{}'!A{}",
                c.worst.sheet, c.worst.row
            ))
            .set_text(format!("{name}, row {}", c.worst.row))
            .set_tip(&place);
            ws.write_url_with_format(row, 13, url, wrap)?;
        }
        _ => write_text_with(ws, row, 13, &place, Some(wrap), &f.quoted)?,
    }
    Ok(())
}

fn rules_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    let headers = [
        ("Rule", 9.0),
        ("What is wrong", 60.0),
        ("Kind", 22.0),
        ("Highest severity", 10.0),
        ("Records", 10.0),
        ("Findings", 10.0),
        ("Share of records", 10.0),
    ];
    start_table(
        ws,
        "Gaps by rule",
        "Gaps by rule",
        "Records with at least one finding of the rule (data issues are on their own sheet). The Work list sheet gives each contract's fix.",
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    let total = p.totals.records.max(1) as f64;
    for r in &p.by_rule {
        row += 1;
        put_row(
            ws,
            row,
            &[
                C::T(&r.rule),
                C::T(&r.title),
                C::T(&r.kind),
                C::T(r.severity.as_str()),
                C::N(r.records as f64),
                C::N(r.findings as f64),
                C::Pct(r.records as f64 / total),
            ],
            f,
        )?;
    }
    if p.by_rule.is_empty() {
        row += 1;
        ws.write_string(row, 0, "No gaps found.")?;
    } else {
        let last = HEADER_ROW + p.by_rule.len().min(CHART_RULES) as u32;
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Records with gaps, by rule");
        chart
            .add_series()
            .set_name("Records")
            .set_categories(("Gaps by rule", HEADER_ROW + 1, 0, last, 0))
            .set_values(("Gaps by rule", HEADER_ROW + 1, 4, last, 4))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x1F4E79))),
            );
        // Bars top-down in table order.
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        chart
            .set_width(560)
            .set_height(120 + 22 * p.by_rule.len().min(CHART_RULES) as u32);
        ws.insert_chart(row + 2, 1, &chart)?;
    }
    end_table(ws, row, headers.len())
}

fn group_sheet(
    wb: &mut Workbook,
    name: &str,
    title: &str,
    keys: &[&str],
    rows: &[GroupRow],
    f: &Fmts,
) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    let mut headers: Vec<(&str, f64)> = keys.iter().map(|k| (*k, 34.0)).collect();
    headers.extend([
        ("Contracts", 10.0),
        ("Gaps", 9.0),
        ("Incomplete", 11.0),
        ("Review", 9.0),
        ("Compliant", 11.0),
        ("High risk", 9.0),
        ("Share with gaps", 10.0),
        ("Total value", 16.0),
    ]);
    start_table(
        ws,
        name,
        title,
        "Contracts, sorted by contracts with gaps. Total value counts each contract once, at its latest stated value (never a sum of modifications).",
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    for g in rows {
        if row + 1 >= MAX_ROWS {
            break;
        }
        row += 1;
        let mut cells: Vec<C> = g.key.iter().map(|k| C::T(k)).collect();
        let c = &g.counts;
        cells.extend([
            C::N(c.records as f64),
            C::N(c.status[0] as f64),
            C::N(c.status[1] as f64),
            C::N(c.status[2] as f64),
            C::N(c.status[3] as f64),
            C::N(c.high_risk() as f64),
            C::Pct(c.gaps() as f64 / c.records.max(1) as f64),
            C::Money(c.value),
        ]);
        put_row(ws, row, &cells, f)?;
    }
    end_table(ws, row, headers.len())
}

fn files_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    let headers = [
        ("Input file", 44.0),
        ("Sheets audited", 9.0),
        ("Sheets not audited", 9.0),
        ("Records", 10.0),
        ("Gaps", 9.0),
        ("Incomplete", 11.0),
        ("Review", 9.0),
        ("Compliant", 11.0),
        ("Findings", 10.0),
        ("Annotated copy", 34.0),
        ("Error", 50.0),
    ];
    start_table(
        ws,
        "By file",
        "Records by input file",
        "In input order. Each audited file has an annotated copy <name>.audited.xlsx next to this report.",
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    for r in &p.by_file {
        row += 1;
        let c = &r.counts;
        put_row(
            ws,
            row,
            &[
                C::T(&r.file),
                C::N(r.sheets_audited as f64),
                C::N(r.sheets_not_audited as f64),
                C::N(c.records as f64),
                C::N(c.status[0] as f64),
                C::N(c.status[1] as f64),
                C::N(c.status[2] as f64),
                C::N(c.status[3] as f64),
                C::N(r.findings as f64),
                C::Blank,
                r.error.as_deref().map_or(C::Blank, C::T),
            ],
            f,
        )?;
        // A relative link: the copy sits next to this report.
        if let Some(name) = &r.annotated
            && !name.contains(['#', '%'])
        {
            let url = rust_xlsxwriter::Url::new(format!("file:///{name}")).set_text(name);
            ws.write_url(row, 9, url)?;
        }
    }
    end_table(ws, row, headers.len())
}

fn categories_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    let headers = [
        ("Risk category", 34.0),
        ("Records", 10.0),
        ("High risk", 9.0),
        ("Medium risk", 9.0),
        ("Low risk", 9.0),
        ("With gaps", 10.0),
    ];
    start_table(
        ws,
        "Risk categories",
        "High-risk goods categories matched",
        "A record can match several categories. Risk is the record's highest RISK/ENT severity.",
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    for c in &p.categories {
        row += 1;
        put_row(
            ws,
            row,
            &[
                C::T(&c.category),
                C::N(c.counts.records as f64),
                C::N(c.counts.risk[0] as f64),
                C::N(c.counts.risk[1] as f64),
                C::N(c.counts.risk[2] as f64),
                C::N(c.counts.gaps() as f64),
            ],
            f,
        )?;
    }
    if p.categories.is_empty() {
        row += 1;
        ws.write_string(row, 0, "No record matched a high-risk goods category.")?;
    } else {
        let n = p.categories.len().min(CHART_CATEGORIES) as u32;
        let last = HEADER_ROW + n;
        let mut chart = Chart::new(ChartType::BarStacked);
        chart.title().set_name("Records by risk category");
        for (col, (name, color)) in [
            (2u16, ("High", RISK_CHART_COLORS[0])),
            (3, ("Medium", RISK_CHART_COLORS[1])),
            (4, ("Low", RISK_CHART_COLORS[2])),
        ] {
            chart
                .add_series()
                .set_name(name)
                .set_categories(("Risk categories", HEADER_ROW + 1, 0, last, 0))
                .set_values(("Risk categories", HEADER_ROW + 1, col, last, col))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(color))),
                );
        }
        chart.y_axis().set_reverse();
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(560).set_height(140 + 22 * n);
        ws.insert_chart(row + 2, 0, &chart)?;
    }
    end_table(ws, row, headers.len())
}

/// Columns of the record listings (top-risk and gap records).
const RECORD_HEADERS: [(&str, f64); 13] = [
    ("File", 26.0),
    ("Sheet", 14.0),
    ("Row", 7.0),
    ("Contract ID", 22.0),
    ("Vendor", 26.0),
    ("Agency", 22.0),
    ("Office", 18.0),
    ("Value", 14.0),
    ("Status", 10.0),
    ("Risk", 8.0),
    ("Risk categories", 18.0),
    ("Rule IDs", 18.0),
    ("Main finding", 60.0),
];

/// Columns of the data-issue listing.
const DATA_HEADERS: [(&str, f64); 8] = [
    ("File", 26.0),
    ("Sheet", 14.0),
    ("Row", 7.0),
    ("Contract ID", 22.0),
    ("Rule", 9.0),
    ("Severity", 9.0),
    ("Column", 20.0),
    ("Message", 70.0),
];

/// A listing sheet streamed row by row (constant memory: the gap records and data issues
/// can run to a million rows), and what it needs to close it.
struct Listing {
    index: usize,
    row: u32,
    left_out: usize,
    ncols: usize,
}

impl Listing {
    fn start(
        wb: &mut Workbook,
        name: &str,
        title: &str,
        subtitle: &str,
        headers: &[(&str, f64)],
        f: &Fmts,
    ) -> anyhow::Result<Listing> {
        let ws = wb.add_worksheet_with_constant_memory()?;
        start_table(ws, name, title, subtitle, headers, f)?;
        Ok(Listing {
            index: wb.worksheets().len() - 1,
            row: HEADER_ROW,
            left_out: 0,
            ncols: headers.len(),
        })
    }

    /// The row for one more line, or `None` (counted) past Excel's row limit, which keeps
    /// one row for the line saying how many were left out.
    fn next_row(&mut self) -> Option<u32> {
        if self.row + 2 >= MAX_ROWS {
            self.left_out += 1;
            return None;
        }
        self.row += 1;
        Some(self.row)
    }

    fn finish(mut self, wb: &mut Workbook, what: &str, f: &Fmts) -> anyhow::Result<()> {
        let ws = wb.worksheet_from_index(self.index)?;
        if self.left_out > 0 {
            self.row += 1;
            ws.write_string_with_format(
                self.row,
                0,
                format!(
                    "{} more {what} not listed: Excel's row limit (see findings.jsonl)",
                    self.left_out
                ),
                &f.bold,
            )?;
        } else if self.row == HEADER_ROW {
            self.row += 1;
            ws.write_string(self.row, 0, "None.")?;
        }
        end_table(ws, self.row, self.ncols)
    }
}

fn put_record(ws: &mut Worksheet, row: u32, r: &RecordRow, f: &Fmts) -> anyhow::Result<()> {
    put_row(
        ws,
        row,
        &[
            C::T(file_name(&r.file)),
            C::T(&r.sheet),
            // A record read from a contract document has no row.
            if r.row == 0 {
                C::Blank
            } else {
                C::N(f64::from(r.row))
            },
            C::T(&r.contract_id),
            C::T(&r.vendor),
            C::T(&r.agency),
            C::T(&r.office),
            r.value.filter(|v| v.is_finite()).map_or(C::Blank, C::Money),
            C::Blank,
            C::T(&r.risk),
            C::T(&r.categories),
            C::T(&r.rule_ids),
            C::W(&r.headline),
        ],
        f,
    )?;
    ws.write_string_with_format(row, 8, r.status.as_str(), &f.status[r.status.index()])?;
    Ok(())
}

fn put_data_issue(ws: &mut Worksheet, row: u32, d: &DataRow, f: &Fmts) -> anyhow::Result<()> {
    put_row(
        ws,
        row,
        &[
            C::T(file_name(&d.file)),
            C::T(&d.sheet),
            C::N(f64::from(d.row)),
            C::T(&d.contract_id),
            C::T(&d.rule),
            C::T(&d.severity),
            d.column.as_deref().map_or(C::Blank, C::T),
            C::W(&d.message),
        ],
        f,
    )
}

fn top_risk_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let name = "Top-risk records";
    let subtitle = format!(
        "The {} records to look at first: highest risk, then most high-severity findings, then largest value",
        p.top_risk.len()
    );
    let mut list = Listing::start(wb, name, name, &subtitle, &RECORD_HEADERS, f)?;
    let ws = wb.worksheet_from_index(list.index)?;
    for r in &p.top_risk {
        if let Some(row) = list.next_row() {
            put_record(ws, row, &RecordRow::of(r), f)?;
        }
    }
    list.finish(wb, "records", f)
}

/// The "Gap records" and "Data issues" sheets, filled in one pass over the listing rows
/// spooled as records were judged (or over findings.jsonl for a batch read back): every
/// gap record and every data issue, never all in memory.
fn listing_sheets(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let name = "Gap records";
    let subtitle = format!(
        "All {} records with status gaps, in input order",
        p.gap_count
    );
    let mut gaps = Listing::start(wb, name, name, &subtitle, &RECORD_HEADERS, f)?;
    let mut sub = format!("{} data issues", p.data_issues);
    for r in &p.data_by_rule {
        sub.push_str(&format!(" · {} {} ({})", r.findings, r.rule, r.title));
    }
    let mut data = Listing::start(
        wb,
        "Data issues",
        "Data issues: what could not be read or decided",
        &fit(&sub, 2000),
        &DATA_HEADERS,
        f,
    )?;
    let mut put = |row: listings::Row| -> anyhow::Result<()> {
        match row {
            listings::Row::Record(r) => {
                if let Some(at) = gaps.next_row() {
                    put_record(wb.worksheet_from_index(gaps.index)?, at, &r, f)?;
                }
            }
            listings::Row::Data(d) => {
                if let Some(at) = data.next_row() {
                    put_data_issue(wb.worksheet_from_index(data.index)?, at, &d, f)?;
                }
            }
        }
        Ok(())
    };
    match &p.listing_rows {
        Some(paths) => {
            for path in paths {
                let file = std::fs::File::open(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let mut rows =
                    listings::Reader::new(std::io::BufReader::with_capacity(1 << 16, file));
                while let Some(row) = rows.next_row()? {
                    put(row)?;
                }
            }
        }
        None => {
            // The same rows as spooled, from each record read back.
            let mut buf = Vec::new();
            for r in p.batch.results()? {
                buf.clear();
                listings::write(&mut buf, &r?)?;
                let mut rows = listings::Reader::new(&buf[..]);
                while let Some(row) = rows.next_row()? {
                    put(row)?;
                }
            }
        }
    }
    gaps.finish(wb, "records", f)?;
    data.finish(wb, "data issues", f)
}

fn not_audited_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    let headers = [("Input file", 44.0), ("Sheet", 24.0), ("Why", 80.0)];
    start_table(
        ws,
        "Not audited",
        "Inputs and sheets not audited",
        "Failed inputs could not be read at all; sheets without a contract id column are copied into the annotated workbook but not audited.",
        &headers,
        f,
    )?;
    let mut row = HEADER_ROW;
    for (file, why) in &p.files_not_audited {
        row += 1;
        put_row(ws, row, &[C::T(file), C::T("(whole file)"), C::W(why)], f)?;
    }
    let whole: std::collections::HashSet<&str> =
        p.files_not_audited.iter().map(|(f, _)| *f).collect();
    for (file, sheet, why) in p.not_audited.iter().filter(|(f, _, _)| !whole.contains(f)) {
        row += 1;
        put_row(ws, row, &[C::T(file), C::T(sheet), C::T(why)], f)?;
    }
    if row == HEADER_ROW {
        row += 1;
        ws.write_string(row, 0, "Every input and sheet was audited.")?;
    }
    end_table(ws, row, headers.len())
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

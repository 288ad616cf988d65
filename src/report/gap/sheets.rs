//! The table sheets: gaps by rule, by agency, vendor and file, risk categories, inputs not
//! audited and unmatched clause evidence.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Color, Workbook,
};

use super::{C, Fmts, HEADER_ROW, MAX_ROWS, RISK_CHART_COLORS, end_table, put_row, start_table};
use crate::report::portfolio::{GroupRow, Portfolio};

/// Rule bars in the chart: beyond this the chart is unreadable; the table has them all.
const CHART_RULES: usize = 15;
const CHART_CATEGORIES: usize = 15;

pub(super) fn rules_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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

pub(super) fn group_sheet(
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

pub(super) fn files_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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

pub(super) fn categories_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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

pub(super) fn not_audited_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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

/// `--clauses` evidence that matched no record: listed, never dropped.
pub(super) fn evidence_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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

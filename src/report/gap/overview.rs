//! The Overview sheet: the executive summary, the key figures, the status and risk tables
//! and their charts.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartPoint, ChartSolidFill, ChartType, Color, Format,
    FormatAlign, Workbook, Worksheet,
};

use super::{Fmts, RISK_CHART_COLORS, STATUS_CHART_COLORS, print_setup};
use crate::model::RISKS;
use crate::report::annotate::STATUS_LEGEND;
use crate::report::portfolio::Portfolio;
use crate::report::text::{fit, write_text_with};

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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn overview(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
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
    let (paras, top) = crate::report::brief::executive(p);
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

//! The sections by rule, group, file and record: a chart where there is one, then a table.

use maud::{Markup, html};

use super::charts::{Bar, hbars};
use super::{
    COMPLIANCE_COLOR, HTML_DATA_ROWS, HTML_GAP_ROWS, HTML_GROUP_ROWS, RISK_COLORS, file_cell, hex,
    href_path, num, pct,
};
use crate::model::{BatchOutcome, RecordResult};
use crate::report::annotate::STATUS_LEGEND;
use crate::report::contracts::is_exposure;
use crate::report::portfolio::{FileRow, GroupRow, Portfolio, headline, rule_ids};
use crate::report::text::money;

/// Gaps by rule: a bar chart and the full table.
pub(super) fn rules_section(p: &Portfolio) -> Markup {
    let bars: Vec<Bar> = p
        .by_rule
        .iter()
        .take(15)
        .map(|r| {
            let color = if is_exposure(&r.rule) {
                RISK_COLORS[0]
            } else {
                COMPLIANCE_COLOR
            };
            (r.rule.clone(), r.records, color.to_string())
        })
        .collect();
    html! {
        section id="rules" {
            h2 { "Gaps by rule" }
            p class="sub" {
                "Records with at least one finding of the rule, compliance and forced-labor \
                exposure apart; data issues are listed separately."
            }
            @if p.by_rule.is_empty() {
                p { "No gaps found." }
            } @else {
                (hbars(&bars, "Records with gaps, by rule", 80))
                div class="tablewrap" { table class="sortable" {
                    thead { tr {
                        th { "Rule" } th { "Axis" } th { "What is wrong" }
                        th { "Highest severity" } th class="n" { "Records" }
                        th class="n" { "Findings" } th class="n" { "Share" }
                    } }
                    tbody {
                        @for r in &p.by_rule {
                            tr {
                                td { (r.rule) }
                                td {
                                    @if is_exposure(&r.rule) { "forced-labor exposure" }
                                    @else { "compliance" }
                                }
                                td { (r.title) }
                                td { (r.severity.as_str()) }
                                (num(r.records))
                                (num(r.findings))
                                td class="n" data-v=(r.records) {
                                    (pct(r.records, p.totals.records))
                                }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// Contracts by agency or by vendor, the first `HTML_GROUP_ROWS` groups.
pub(super) fn group_table(id: &str, title: &str, keys: &[&str], rows: &[GroupRow]) -> Markup {
    html! {
        section id=(id) {
            h2 { (title) }
            p class="sub" {
                "Contracts, sorted by contracts with gaps; total value counts each contract once, \
                at its latest stated value"
                @if rows.len() > HTML_GROUP_ROWS {
                    "; the first " (HTML_GROUP_ROWS) " of " (rows.len())
                    " are listed, all in gap-report.xlsx"
                }
                "."
            }
            div class="tablewrap" { table class="sortable" {
                thead { tr {
                    @for k in keys { th { (k) } }
                    th class="n" { "Contracts" } th class="n" { "Gaps" }
                    th class="n" { "Incomplete" } th class="n" { "Review" }
                    th class="n" { "Compliant" } th class="n" { "High risk" }
                    th class="n" { "Share with gaps" } th class="n" { "Total value" }
                } }
                tbody { @for g in rows.iter().take(HTML_GROUP_ROWS) { (group_row(g)) } }
            } }
        }
    }
}

fn group_row(g: &GroupRow) -> Markup {
    let c = &g.counts;
    let share = if c.records == 0 {
        0.0
    } else {
        c.gaps() as f64 / c.records as f64
    };
    html! {
        tr {
            @for k in &g.key { td { (k) } }
            (num(c.records))
            @for n in &c.status { (num(*n)) }
            (num(c.high_risk()))
            td class="n" data-v=(format!("{share:.4}")) { (pct(c.gaps(), c.records)) }
            td class="n" data-v=(format!("{:.2}", c.value)) { (money(c.value)) }
        }
    }
}

/// Records by input file, each linked to its annotated copy.
pub(super) fn files_section(p: &Portfolio) -> Markup {
    html! {
        section id="files" {
            h2 { "By input file" }
            p class="sub" {
                "Records (contract actions) per input. Each audited file has an annotated copy "
                code { "<name>.audited.xlsx" }
                " in the output directory; hover a name for its full path."
            }
            div class="tablewrap" { table class="sortable" {
                thead { tr {
                    th { "Input file" } th class="n" { "Records" } th class="n" { "Gaps" }
                    th class="n" { "Incomplete" } th class="n" { "Review" }
                    th class="n" { "Compliant" } th class="n" { "Findings" } th { "Not audited" }
                } }
                tbody {
                    @for f in &p.by_file { (file_row(f)) }
                }
            } }
        }
    }
}

fn file_row(f: &FileRow) -> Markup {
    let c = &f.counts;
    html! {
        tr {
            td {
                (file_cell(&f.file))
                // A relative link to the annotated copy next to this page: opens the local
                // file, no network involved.
                @if let Some(name) = &f.annotated {
                    br;
                    small { a href=(href_path(name)) { (name) } }
                }
            }
            (num(c.records))
            @for n in &c.status { (num(*n)) }
            (num(f.findings))
            td {
                @if let Some(e) = &f.error {
                    strong { "whole file:" } " " (e)
                } @else if f.sheets_audited == 0 {
                    "whole file: no contract id column"
                } @else if f.sheets_not_audited > 0 {
                    (f.sheets_not_audited) " sheet(s)"
                }
            }
        }
    }
}

/// High-risk goods categories matched, by risk.
pub(super) fn categories_section(p: &Portfolio) -> Markup {
    let bars: Vec<Bar> = p
        .categories
        .iter()
        .take(15)
        .map(|c| {
            let by_risk = &c.counts.risk;
            let color = RISK_COLORS[by_risk.iter().position(|n| *n > 0).unwrap_or(3)];
            (c.category.clone(), c.counts.records, color.to_string())
        })
        .collect();
    html! {
        section id="categories" {
            h2 { "Risk categories" }
            p class="sub" {
                "High-risk goods categories matched by description, PSC or NAICS, counted by \
                record. A record can match several."
            }
            @if p.categories.is_empty() {
                p { "No record matched a high-risk goods category." }
            } @else {
                (hbars(&bars, "Records by risk category", 170))
                div class="tablewrap" { table class="sortable" {
                    thead { tr {
                        th { "Category" } th class="n" { "Records" } th class="n" { "High" }
                        th class="n" { "Medium" } th class="n" { "Low" }
                        th class="n" { "With gaps" }
                    } }
                    tbody {
                        @for c in &p.categories {
                            tr {
                                td { (c.category) }
                                (num(c.counts.records))
                                @for n in &c.counts.risk[..3] { (num(*n)) }
                                (num(c.counts.gaps()))
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// Gap records, filterable, the first `HTML_GAP_ROWS` of them.
pub(super) fn gap_records_section(p: &Portfolio) -> Markup {
    let shown = p.gap_sample.len().min(HTML_GAP_ROWS);
    html! {
        section id="gaprecords" {
            h2 { "Gap records" }
            p class="sub" {
                (p.gap_count) " records with status gaps, in input order"
                @if shown < p.gap_count {
                    "; the first " (shown)
                    " are listed here, all of them in gap-report.xlsx and findings.jsonl"
                }
                ". Click a column header to sort."
            }
            div class="toolbar" id="gapfilter" hidden {
                input id="gapq" type="search"
                    placeholder="Filter: contract, vendor, agency, rule…"
                    aria-label="Filter gap records";
                select id="gaprisk" aria-label="Risk" {
                    option value="" { "any risk" }
                    @for r in ["high", "medium", "low", "none"] { option { (r) } }
                }
                span id="gapn" class="sub" {}
            }
            p class="printnote note" {
                "Printed, this listing is left out: every gap record is on the Gap records \
                sheet of gap-report.xlsx."
            }
            (record_table("gaps", &p.gap_sample[..shown]))
        }
    }
}

fn record_table(id: &str, records: &[RecordResult]) -> Markup {
    if records.is_empty() {
        return html! { p { "None." } };
    }
    html! {
        div class="tablewrap" { table class="sortable" id=(id) {
            thead { tr {
                th { "File" } th { "Sheet" } th class="n" { "Row" } th { "Contract ID" }
                th { "Vendor" } th { "Agency / office" } th class="n" { "Value" } th { "Status" }
                th { "Risk" } th { "Rules" } th { "Main finding" }
            } }
            tbody {
                @for r in records { (record_row(r)) }
            }
        } }
    }
}

fn record_row(r: &RecordResult) -> Markup {
    let (_, fill, _) = STATUS_LEGEND[r.status.index()];
    html! {
        tr data-risk=(r.risk.as_str()) {
            td { (file_cell(&r.file)) }
            td { (r.sheet) }
            // A record read from a contract document has no row.
            @if r.row != 0 { (num(r.row as usize)) }
            td class="id" { (r.contract_id) }
            td { (r.vendor.as_deref().unwrap_or("")) }
            td {
                @match (&r.agency, &r.office) {
                    (Some(a), Some(o)) => { (a) " / " (o) },
                    (Some(a), None) => (a),
                    (None, Some(o)) => (o),
                    (None, None) => {},
                }
            }
            @match r.value.filter(|v| v.is_finite()) {
                Some(v) => td class="n" data-v=(format!("{v:.2}")) { (money(v)) },
                None => td class="n" data-v="-1" {},
            }
            td { span class="st" style={ "background:" (hex(fill)) } { (r.status.as_str()) } }
            td {
                span style={ "color:" (RISK_COLORS[r.risk.index()]) } { (r.risk.as_str()) }
                @if !r.risk_categories.is_empty() {
                    br;
                    small { (r.risk_categories.join(", ")) }
                }
            }
            td { (rule_ids(r)) }
            td class="msg" { (headline(r)) }
        }
    }
}

/// Data issues: by rule, then where the first `HTML_DATA_ROWS` are.
pub(super) fn data_issues_section(p: &Portfolio) -> Markup {
    html! {
        section id="data" {
            h2 { "Data issues" }
            p class="sub" {
                (p.data_issues) " findings about the data itself: fields that could not be read \
                or decided, normalised clause references, repeated contract ids."
            }
            @if p.data_by_rule.is_empty() {
                p { "None." }
            } @else {
                div class="tablewrap" { table class="sortable" {
                    thead { tr {
                        th { "Rule" } th { "Issue" } th { "Severity" }
                        th class="n" { "Findings" } th class="n" { "Records" }
                    } }
                    tbody {
                        @for r in &p.data_by_rule {
                            tr {
                                td { (r.rule) } td { (r.title) } td { (r.severity.as_str()) }
                                (num(r.findings)) (num(r.records))
                            }
                        }
                    }
                } }
                h3 style="font-size:14px;margin:14px 0 6px" { "Where" }
                div class="tablewrap" { table class="sortable" {
                    thead { tr {
                        th { "File" } th { "Sheet" } th class="n" { "Row" } th { "Contract ID" }
                        th { "Rule" } th { "Column" } th { "Message" }
                    } }
                    tbody {
                        @for d in p.data_sample.iter().take(HTML_DATA_ROWS) {
                            tr {
                                td { (file_cell(&d.file)) } td { (d.sheet) } (num(d.row as usize))
                                td { (d.contract_id) } td { (d.rule) }
                                td { (d.column.as_deref().unwrap_or("")) }
                                td class="msg" { (d.message) }
                            }
                        }
                    }
                } }
                @if p.data_issues > HTML_DATA_ROWS {
                    p class="note" {
                        "The first " (HTML_DATA_ROWS) " of " (p.data_issues)
                        " are listed; all are in gap-report.xlsx."
                    }
                }
            }
        }
    }
}

/// `--clauses` evidence that matched no record (only when evidence was given).
pub(super) fn evidence_section(batch: &BatchOutcome) -> Markup {
    let ev = &batch.evidence;
    html! {
        section id="evidence" {
            h2 { "Clause evidence" }
            p {
                (ev.files) " evidence file(s) named " (ev.contracts) " contract(s); "
                (ev.unmatched.len()) " matched no audited record."
            }
            @if !ev.unmatched.is_empty() {
                div class="tablewrap" { table {
                    thead { tr {
                        th { "Contract id in the evidence" } th { "Clause references" }
                        th { "Where" }
                    } }
                    tbody {
                        @for u in &ev.unmatched {
                            @let sources: Vec<String> =
                                u.sources.iter().map(|x| x.to_string()).collect();
                            tr {
                                td { (u.contract_id) } td { (u.clauses) }
                                td { (sources.join("; ")) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

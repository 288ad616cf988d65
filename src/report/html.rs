//! `report.html`: the gap report as one self-contained page. Inline CSS, inline SVG charts
//! and a few lines of inline JavaScript for sorting and filtering; no network request of any
//! kind, so it opens the same on an air-gapped laptop. Without JavaScript every table is
//! still a plain, complete HTML table. Output is deterministic: the only date in it is the
//! batch's as-of date.
//!
//! The page is built with `maud` templates, which escape every text they are given; only the
//! stylesheet and the script are inserted as they are.

mod assets;
mod charts;
mod sections;
mod tables;

use std::path::Path;

use anyhow::Context;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::portfolio::Portfolio;
use super::text::count;
use crate::model::BatchOutcome;

/// Rows of the gap-records table; the xlsx report and findings.jsonl hold the rest.
pub const HTML_GAP_ROWS: usize = super::portfolio::GAP_SAMPLE;
/// Rows of the agency and vendor tables.
pub const HTML_GROUP_ROWS: usize = 100;
/// Rows of the HTML work list; the xlsx work list has them all.
pub const HTML_WORK_ROWS: usize = 500;
const HTML_DATA_ROWS: usize = super::portfolio::DATA_SAMPLE;

/// `gap::RISK_CHART_COLORS` as CSS colours, indexed like [`RISKS`](crate::model::RISKS).
const RISK_COLORS: [&str; 4] = ["#c00000", "#ed7d31", "#ffc000", "#a5a5a5"];
/// The colour of compliance gaps (missing clauses or evidence) in charts and figures.
const COMPLIANCE_COLOR: &str = "#7030a0";

pub fn write_html(path: &Path, batch: &BatchOutcome) -> anyhow::Result<()> {
    save_html(path, &render_html(batch))
}

/// Write `report.html` for an aggregated portfolio.
pub fn write_portfolio(path: &Path, p: &Portfolio) -> anyhow::Result<()> {
    save_html(path, &render_portfolio(p))
}

fn save_html(path: &Path, html: &str) -> anyhow::Result<()> {
    super::save_atomic(path, |w| {
        std::io::Write::write_all(w, html.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

pub fn render_html(batch: &BatchOutcome) -> String {
    match Portfolio::new(batch) {
        Ok(p) => render_portfolio(&p),
        // findings.jsonl unreadable: say so on the page rather than write nothing.
        Err(e) => html! {
            (DOCTYPE) "\n"
            html lang="en" {
                head { meta charset="utf-8"; title { "tipaudit gap report" } }
                body { p { "The records could not be read back: " (format!("{e:#}")) } }
            }
            "\n"
        }
        .into_string(),
    }
}

/// The page for an aggregated portfolio.
pub fn render_portfolio(p: &Portfolio) -> String {
    let batch = p.batch;
    let parts = [
        sections::executive_summary(p),
        sections::work_list(p),
        charts::key_figures(p),
        charts::charts(p),
        sections::scope_and_limits(p),
        tables::rules_section(p),
        tables::group_table(
            "agency",
            "By department and bureau",
            &["Department", "Bureau"],
            &p.by_agency,
        ),
        tables::group_table("vendor", "By vendor", &["Vendor"], &p.by_vendor),
        tables::files_section(p),
        tables::categories_section(p),
        tables::gap_records_section(p),
        tables::data_issues_section(p),
    ];
    html! {
        (DOCTYPE) "\n"
        html lang="en" {
            "\n" (page_head(batch)) "\n"
            body {
                "\n" (page_header(p)) "\n" (navigation(batch)) "\n"
                main {
                    "\n"
                    @for part in &parts { (part) "\n" }
                    @if batch.evidence.files > 0 { (tables::evidence_section(batch)) "\n" }
                }
                "\n"
                footer {
                    "tipaudit " (env!("CARGO_PKG_VERSION")) " · as of " (batch.as_of)
                    " · this page makes no network requests"
                }
                "\n" script { (PreEscaped(assets::JS)) } "\n"
            }
            "\n"
        }
        "\n"
    }
    .into_string()
}

/// The document head: title, viewport and the stylesheet.
fn page_head(batch: &BatchOutcome) -> Markup {
    html! {
        head {
            "\n" meta charset="utf-8";
            "\n" meta name="viewport" content="width=device-width, initial-scale=1";
            "\n" title { "tipaudit gap report, as of " (batch.as_of) }
            "\n" style { (PreEscaped(assets::CSS)) }
            "\n"
        }
    }
}

fn page_header(p: &Portfolio) -> Markup {
    html! {
        header {
            h1 { "Portfolio review: trafficking in persons and forced labor" }
            p {
                "As of " (p.batch.as_of) " · " (count(p.contracts.len())) " contracts ("
                (count(p.totals.records)) " contract actions) in " (p.batch.files.len())
                " input files · FAR subpart 22.17, 52.222-50/-56, UFLPA"
            }
        }
    }
}

fn navigation(batch: &BatchOutcome) -> Markup {
    const LINKS: [(&str, &str); 11] = [
        ("#summary", "Summary"),
        ("#worklist", "Work list"),
        ("#overview", "Overview"),
        ("#scope", "Scope and limits"),
        ("#rules", "Gaps by rule"),
        ("#agency", "By agency"),
        ("#vendor", "By vendor"),
        ("#files", "By file"),
        ("#categories", "Risk categories"),
        ("#gaprecords", "Gap records"),
        ("#data", "Data issues"),
    ];
    html! {
        nav {
            @for (href, text) in LINKS { a href=(href) { (text) } }
            @if batch.evidence.files > 0 { a href="#evidence" { "Clause evidence" } }
        }
    }
}

fn hex(c: u32) -> String {
    format!("#{c:06x}")
}

fn pct(n: usize, total: usize) -> String {
    if total == 0 {
        "0%".into()
    } else {
        format!("{:.0}%", n as f64 * 100.0 / total as f64)
    }
}

/// A count cell that sorts by its number.
fn num(n: usize) -> Markup {
    html! { td class="n" data-v=(n) { (count(n)) } }
}

/// A file name with its full path as the tooltip.
fn file_cell(path: &str) -> Markup {
    html! { span title=(path) { (super::portfolio::file_name(path)) } }
}

/// A file name as a relative URL path: percent-encode what a URL would misread.
fn href_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_batch_renders() {
        let dir = tempfile::tempdir().unwrap();
        let findings = dir.path().join("findings.jsonl");
        std::fs::write(&findings, "").unwrap();
        let b = BatchOutcome {
            files: vec![],
            skipped_files: 0,
            as_of: "2026-01-02".into(),
            rules_origin: "built-in".into(),
            tally: Default::default(),
            findings,
            practices_unchecked: Vec::new(),
            evidence: Default::default(),
        };
        let html = render_html(&b);
        assert!(html.contains("no records"));
        assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn unreadable_findings_are_said_on_the_page_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let b = BatchOutcome {
            files: vec![],
            skipped_files: 0,
            as_of: "2026-01-02".into(),
            rules_origin: "built-in".into(),
            tally: Default::default(),
            findings: dir.path().join("<missing> & gone.jsonl"),
            practices_unchecked: Vec::new(),
            evidence: Default::default(),
        };
        let html = render_html(&b);
        assert!(
            html.contains("The records could not be read back: "),
            "{html}"
        );
        assert!(html.contains("&lt;missing&gt; &amp; gone.jsonl"), "{html}");
        assert!(!html.contains("<missing>"), "{html}");
    }
}

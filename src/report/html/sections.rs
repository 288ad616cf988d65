//! The sections by contract: the executive summary, the work list, scope and limits.

use std::collections::HashSet;

use maud::{Markup, html};

use super::{HTML_WORK_ROWS, RISK_COLORS, file_cell, hex, href_path};
use crate::report::annotate::STATUS_LEGEND;
use crate::report::brief;
use crate::report::contracts::Contract;
use crate::report::portfolio::{Portfolio, place_text};
use crate::report::text::money;
use crate::report::worklist::WorkItem;

pub(super) fn executive_summary(p: &Portfolio) -> Markup {
    let (paras, top) = brief::executive(p);
    html! {
        section id="summary" class="summary" {
            h2 { "Executive summary" }
            @for para in &paras { p { (para) } }
            @if !top.is_empty() {
                p {
                    b { "The " (top.len()) " contracts to act on first" }
                    " (the work list below has them all, with the fix):"
                }
                ol { @for t in &top { li { (t) } } }
            }
            p class="note" { "Rule data: " (p.versions.join(" · ")) "." }
        }
    }
}

pub(super) fn work_list(p: &Portfolio) -> Markup {
    const WIDTHS: [&str; 8] = ["3%", "13%", "9%", "6%", "23%", "17%", "8%", "10%"];
    const TRACK: [&str; 4] = ["Owner", "Due", "Response", "Closed"];
    html! {
        section id="worklist" {
            h2 { "Work list" }
            p class="sub" {
                (p.work.len()) " contracts need action, in priority order: compliance gaps on \
                high-risk goods, then listed entities, then other compliance gaps, then \
                forced-labor exposure without compliance gaps; by value within each. "
                @if p.work.len() > HTML_WORK_ROWS {
                    "The first " (HTML_WORK_ROWS) " are listed here. "
                }
                "The same list, with columns to track each action, is the first sheet of \
                gap-report.xlsx."
            }
            @if p.work.is_empty() {
                p { "No contract needs action." }
            } @else {
                table class="work" id="worktable" {
                    colgroup {
                        @for w in WIDTHS { col style={ "width:" (w) }; }
                        col span="4" style="width:2.75%";
                    }
                    thead {
                        tr {
                            th class="n" { "#" } th { "Contract" } th class="n" { "Value" }
                            th { "Status / risk" } th { "What is wrong" } th { "Fix" }
                            th { "Cite" } th { "Record" }
                            @for t in TRACK { th class="track" { (t) } }
                        }
                    }
                    tbody { @for w in p.work.iter().take(HTML_WORK_ROWS) { (work_row(p, w)) } }
                }
            }
        }
    }
}

/// One work-list contract: what is wrong, the fix, and empty cells to track the action.
fn work_row(p: &Portfolio, w: &WorkItem) -> Markup {
    let c = &p.contracts[w.contract];
    let d = w.describe(&p.contracts);
    let (_, fill, _) = STATUS_LEGEND[c.status.index()];
    html! {
        tr {
            td class="n" { (w.rank) }
            td {
                b class="id" { (c.contract_id) }
                (contract_who(p, w.contract))
                @if c.actions > 1 || c.orders > 0 {
                    br;
                    small { (c.actions) " actions" @if c.orders > 0 { ", " (c.orders) " orders" } }
                }
            }
            td class="n" {
                @match c.value {
                    Some(v) => (money(v)),
                    None => small { "not stated" },
                }
            }
            td {
                span class="st" style={ "background:" (hex(fill)) } { (c.status.as_str()) }
                br;
                span style={ "color:" (RISK_COLORS[c.risk.index()]) } { "risk " (c.risk.as_str()) }
            }
            td { (lines(&d.wrong)) }
            td { (lines(&d.fix)) }
            td { small { (d.cite) } }
            td { (record_cell(p, c)) }
            @for _ in 0..4 { td class="track" {} }
        }
    }
}

/// Under a work-list contract's id: its IDV, vendor and department / bureau.
fn contract_who(p: &Portfolio, i: usize) -> Markup {
    let c = &p.contracts[i];
    let (dept, bureau) = &p.agency_of[i];
    html! {
        @if let Some(parent) = &c.parent_id { br; small { "order under " (parent) } }
        @if let Some(v) = &c.vendor { br; small { (v) } }
        @if c.agency.is_some() {
            br;
            small { (dept) @if !bureau.is_empty() { " / " (bureau) } }
        }
    }
}

/// Where a work-list contract's worst record is, linked to its annotated copy when there is one.
fn record_cell(p: &Portfolio, c: &Contract) -> Markup {
    let annotated = p
        .by_file
        .iter()
        .find(|f| f.file == c.worst.file)
        .and_then(|f| f.annotated.as_deref());
    html! {
        @if let Some(name) = annotated {
            a href=(href_path(name)) title="open the annotated copy; the row is marked" { (name) }
            br;
        }
        small title=(c.worst.file) { (place_text(&c.worst)) }
    }
}

/// Items as lines of one cell.
fn lines(items: &[String]) -> Markup {
    html! {
        @for (i, s) in items.iter().enumerate() {
            @if i > 0 { br; }
            (s)
        }
    }
}

pub(super) fn scope_and_limits(p: &Portfolio) -> Markup {
    html! {
        section id="scope" {
            h2 { "Scope and limits" }
            p class="sub" { "What this review covers, and what it could not check and why." }
            ul class="limits" { @for line in brief::limits(p) { li { (line) } } }
            @if let Some(not_checked) = crate::model::clauses_not_checked(&p.batch.files) {
                p class="note" { b { (not_checked) } }
            }
            (not_audited(p))
            h3 class="h3" { "Rule data" }
            ul class="limits" { @for v in &p.versions { li { (v) } } }
        }
    }
}

/// Input files, and sheets of audited files, that were not audited, with why.
fn not_audited(p: &Portfolio) -> Markup {
    let files = brief::files_not_audited(p);
    let whole: HashSet<&str> = files.iter().map(|f| f.1).collect();
    let sheets: Vec<_> = p
        .not_audited
        .iter()
        .filter(|(f, _, _)| !whole.contains(f))
        .collect();
    if files.is_empty() && sheets.is_empty() {
        return html! { p { "Every input file and sheet was audited." } };
    }
    html! {
        h3 class="h3" {
            "Not audited: " (files.len()) " input files; " (sheets.len()) " sheets in audited files"
        }
        div class="tablewrap" {
            table {
                thead { tr { th { "Input file" } th { "Sheet" } th { "Why" } } }
                tbody {
                    @for (name, path, why) in &files {
                        tr {
                            td { span title=(path) { (name) } }
                            td { "(whole file)" }
                            td { (why) }
                        }
                    }
                    @for (f, s, why) in sheets {
                        tr { td { (file_cell(f)) } td { (s) } td { (why) } }
                    }
                }
            }
        }
    }
}

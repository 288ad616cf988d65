//! The key figures and the inline SVG charts.

use maud::{Markup, html};

use super::{COMPLIANCE_COLOR, RISK_COLORS, hex};
use crate::model::RISKS;
use crate::report::annotate::STATUS_LEGEND;
use crate::report::gap::STATUS_CHART_COLORS;
use crate::report::portfolio::Portfolio;
use crate::report::text::count;

/// One bar or segment of a chart: label, count, CSS colour.
pub(super) type Bar = (String, usize, String);

/// Key figures, by contract; the two axes side by side, never blended.
pub(super) fn key_figures(p: &Portfolio) -> Markup {
    let not_audited = if p.files_not_audited.is_empty() {
        "#a5a5a5"
    } else {
        "#c00000"
    };
    let status_color = |i: usize| hex(STATUS_CHART_COLORS[i]);
    html! {
        div class="kpis" id="overview" {
            (kpi(count(p.contracts.len()), "contracts audited", "#1f4e79"))
            (kpi(count(p.work.len()), "contracts on the work list", &status_color(0)))
            (kpi(count(p.gap_contracts_compliance), "with missing clauses or evidence",
                COMPLIANCE_COLOR))
            (kpi(count(p.gap_contracts_exposure), "with forced-labor exposure", RISK_COLORS[0]))
            (kpi(count(p.contract_totals.status[1]), "incomplete: could not be decided",
                &status_color(1)))
            (kpi(p.files_not_audited.len().to_string(), "input files not audited", not_audited))
        }
    }
}

fn kpi(n: String, label: &str, color: &str) -> Markup {
    html! {
        div class="kpi" style={ "border-left-color:" (color) } { b { (n) } span { (label) } }
    }
}

/// Contracts by status and by forced-labor risk, side by side.
pub(super) fn charts(p: &Portfolio) -> Markup {
    let status: Vec<Bar> = STATUS_LEGEND
        .iter()
        .enumerate()
        .map(|(i, (s, _, _))| {
            let c = STATUS_CHART_COLORS[i];
            (s.as_str().to_string(), p.contract_totals.status[i], hex(c))
        })
        .collect();
    let split: Vec<Bar> = vec![
        (
            "missing clauses or evidence".into(),
            p.gap_contracts_compliance,
            COMPLIANCE_COLOR.into(),
        ),
        (
            "forced-labor exposure".into(),
            p.gap_contracts_exposure,
            RISK_COLORS[0].into(),
        ),
    ];
    let risk: Vec<Bar> = RISKS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let n = p.contract_totals.risk[i];
            (r.as_str().to_string(), n, RISK_COLORS[i].to_string())
        })
        .collect();
    html! {
        div class="grid2" {
            "\n"
            section {
                h2 { "Contracts by status" }
                p class="sub" {
                    "A contract takes the worst status of its actions. "
                    (crate::report::brief::gap_split(p))
                }
                (stacked_bar(&status, "Contracts by status"))
                div class="legend" {
                    @for (k, (s, _, meaning)) in STATUS_LEGEND.iter().enumerate() {
                        span {
                            i style={ "background:" (hex(STATUS_CHART_COLORS[k])) } {}
                            (s.as_str()) ": " (meaning)
                        }
                    }
                }
                h3 class="h3" { "Contracts with gaps, by kind" }
                (hbars(&split, "Contracts with gaps, by kind", 190))
            }
            "\n"
            section {
                h2 { "Contracts by forced-labor risk" }
                p class="sub" {
                    "The contract's highest RISK/ENT finding (UFLPA, WRO, DOL list, screening \
                     lists). This axis says nothing about clauses."
                }
                (hbars(&risk, "Contracts by forced-labor risk", 90))
            }
            "\n"
        }
    }
}

/// A 100% stacked bar with counts under each segment.
fn stacked_bar(segs: &[Bar], title: &str) -> Markup {
    let total: usize = segs.iter().map(|s| s.1).sum();
    let (w, bar_h) = (600.0, 34.0);
    // Each non-empty segment with its left edge and width.
    let mut x = 0.0;
    let placed: Vec<(f64, f64, &Bar)> = segs
        .iter()
        .filter(|s| s.1 > 0 && total > 0)
        .map(|s| {
            let sw = w * s.1 as f64 / total as f64;
            x += sw;
            (x - sw, sw, s)
        })
        .collect();
    html! {
        svg viewBox={ "0 0 " (w) " 80" } width=(w) role="img" aria-label=(title) {
            title { (title) }
            @if total == 0 {
                rect x="0" y="8" width=(w) height=(bar_h) fill="#eee" {}
                text x="8" y="30" { "no records" }
            }
            @for (x, sw, (label, n, color)) in placed {
                rect x=(format!("{x:.1}")) y="8" width=(format!("{sw:.1}")) height=(bar_h)
                    fill=(color) stroke="#fff" { title { (label) ": " (n) } }
                @if sw > 46.0 {
                    text x=(format!("{:.1}", x + 6.0)) y="30" { (count(*n)) }
                    text x=(format!("{:.1}", x + 6.0)) y="62" style="fill:#5b6775" { (label) }
                }
            }
        }
    }
}

/// Horizontal bars, one per item, labels on the left and counts at the bar's end.
pub(super) fn hbars(items: &[Bar], title: &str, label_w: usize) -> Markup {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let row_h = 24;
    let w = 600;
    let plot = (w - label_w - 60) as f64;
    let height = items.len() * row_h + 8;
    let short = |label: &str| -> String {
        if label.chars().count() > label_w / 7 {
            let mut t: String = label.chars().take(label_w / 7 - 1).collect();
            t.push('…');
            t
        } else {
            label.to_string()
        }
    };
    html! {
        svg viewBox={ "0 0 " (w) " " (height) } width=(w) role="img" aria-label=(title) {
            title { (title) }
            @for (i, (label, n, color)) in items.iter().enumerate() {
                @let y = i * row_h + 4;
                @let bw = plot * *n as f64 / max as f64;
                text x=(label_w - 6) y=(y + 15) text-anchor="end" {
                    (short(label)) title { (label) }
                }
                rect x=(label_w) y=(y + 2) width=(format!("{bw:.1}")) height=(row_h - 6)
                    fill=(color) rx="2" {}
                text x=(format!("{:.1}", label_w as f64 + bw + 5.0)) y=(y + 15) { (count(*n)) }
            }
        }
    }
}

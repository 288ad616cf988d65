//! `report.html`: the gap report as one self-contained page. Inline CSS, inline SVG charts
//! and a few lines of inline JavaScript for sorting and filtering; no network request of any
//! kind, so it opens the same on an air-gapped laptop. Without JavaScript every table is
//! still a plain, complete HTML table. Output is deterministic: the only date in it is the
//! batch's as-of date.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use super::annotate::STATUS_LEGEND;
use super::contracts::is_exposure;
use super::gap::{GroupRow, Portfolio, STATUS_CHART_COLORS, headline, rule_ids};
use super::text::{count, money};
use crate::model::{BatchOutcome, RISKS, RecordResult};

/// Rows of the gap-records table; the xlsx report and findings.jsonl hold the rest.
pub const HTML_GAP_ROWS: usize = super::gap::GAP_SAMPLE;
/// Rows of the agency and vendor tables.
pub const HTML_GROUP_ROWS: usize = 100;
const HTML_DATA_ROWS: usize = super::gap::DATA_SAMPLE;

/// `gap::RISK_CHART_COLORS` as CSS colours, indexed like [`RISKS`].
const RISK_COLORS: [&str; 4] = ["#c00000", "#ed7d31", "#ffc000", "#a5a5a5"];

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

/// HTML-escape text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
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

const CSS: &str = r#"
:root{--ink:#1d2733;--muted:#5b6775;--line:#d9dee4;--bg:#f5f7fa;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;opacity:.85}
nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;position:sticky;top:0;z-index:2;font-size:13px}
nav a{color:var(--accent);margin-right:14px;text-decoration:none;white-space:nowrap}
nav a:hover{text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:20px 32px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 4px}
.sub{color:var(--muted);margin:0 0 12px;font-size:13px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:18px}
.kpi{background:#fff;border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:6px;padding:10px 14px}
.kpi b{display:block;font-size:24px;font-weight:600}
.kpi span{color:var(--muted);font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-bottom:18px}
td.id{white-space:nowrap}
b.id{overflow-wrap:anywhere}
@media (max-width:1000px){.grid2{grid-template-columns:1fr}}
.grid2 section{margin:0}
svg{display:block;max-width:100%;height:auto}
svg text{font:12px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;margin-top:8px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.tablewrap{overflow-x:auto;max-height:640px;overflow-y:auto;border:1px solid var(--line);border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;position:sticky;top:0;font-weight:600}
td{overflow-wrap:anywhere}
table.work{table-layout:fixed;border:1px solid var(--line)}
table.work td{font-size:12.5px}
table.work th.track{font-size:10px;writing-mode:vertical-rl;transform:rotate(180deg);vertical-align:bottom;padding:6px 2px}
table.work td.track{border-left:1px solid var(--line)}
.summary p,.summary li{font-size:15px;max-width:75em}
.summary ol{margin:4px 0 8px;padding-left:24px}
.h3{font-size:14px;margin:14px 0 6px}
ul.limits{margin:4px 0 8px;padding-left:20px}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \25B2";font-size:10px}
table.sortable th[aria-sort=descending]::after{content:" \25BC";font-size:10px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
.st{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
.msg{min-width:220px}
.toolbar{display:flex;gap:12px;align-items:center;margin:0 0 10px;flex-wrap:wrap}
.toolbar input,.toolbar select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:4px}
.toolbar input{min-width:280px}
.note{color:var(--muted);font-size:12px;margin:8px 0 0}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 24px}
@page{size:landscape;margin:10mm}
@media print{body{background:#fff;font-size:11px}nav,.toolbar{display:none}header{padding:8px 12px}main{max-width:none;padding:0}.tablewrap{max-height:none;overflow:visible;border:0}th{position:static}section{padding:8px 10px;border:0}.grid2{grid-template-columns:1fr 1fr}table{font-size:10px}table.work td{font-size:10px}tr{break-inside:avoid}thead{display:table-header-group}.kpi b{font-size:18px}#gaprecords .tablewrap,#data .tablewrap,#gapfilter{display:none}.printnote{display:block}}
.printnote{display:none}
"#;

/// Sorting by clicking a header, and a text filter plus risk filter on the gap table. The
/// page is complete without it.
const JS: &str = r#"
(function(){
  function val(td){var v=td.getAttribute('data-v');return v!==null?parseFloat(v):td.textContent.trim().toLowerCase();}
  document.querySelectorAll('table.sortable').forEach(function(t){
    t.querySelectorAll('th').forEach(function(th,i){
      th.setAttribute('tabindex','0');
      function sort(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
        rows.sort(function(a,b){var x=val(a.cells[i]),y=val(b.cells[i]);
          if(typeof x==='number'&&typeof y==='number'){return asc?x-y:y-x;}
          x=String(x);y=String(y);return asc?x.localeCompare(y):y.localeCompare(x);});
        rows.forEach(function(r){tb.appendChild(r);});
      }
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(e){if(e.key==='Enter'){sort();}});
    });
  });
  var bar=document.getElementById('gapfilter');
  if(bar){
    bar.hidden=false;
    var q=document.getElementById('gapq'),r=document.getElementById('gaprisk'),n=document.getElementById('gapn');
    var rows=document.querySelectorAll('#gaps tbody tr');
    function apply(){
      var s=q.value.trim().toLowerCase(),rv=r.value,shown=0;
      rows.forEach(function(tr){
        var ok=(!s||tr.textContent.toLowerCase().indexOf(s)>=0)&&(!rv||tr.getAttribute('data-risk')===rv);
        tr.style.display=ok?'':'none';if(ok){shown++;}
      });
      n.textContent=shown+' of '+rows.length+' shown';
    }
    q.addEventListener('input',apply);r.addEventListener('change',apply);apply();
  }
})();
"#;

pub fn render_html(batch: &BatchOutcome) -> String {
    let p = match Portfolio::new(batch) {
        Ok(p) => p,
        // findings.jsonl unreadable: say so on the page rather than write nothing.
        Err(e) => {
            return format!(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tipaudit gap report</title></head><body><p>The records could not be read back: {}</p></body></html>\n",
                esc(&format!("{e:#}"))
            );
        }
    };
    render_portfolio(&p)
}

/// The page for an aggregated portfolio.
pub fn render_portfolio(p: &Portfolio) -> String {
    let mut h = String::with_capacity(64 * 1024);
    page_head(&mut h, p);
    executive_summary(&mut h, p);
    work_list(&mut h, p);
    key_figures(&mut h, p);
    charts(&mut h, p);
    scope_and_limits(&mut h, p);
    rules_section(&mut h, p);
    group_table(
        &mut h,
        "agency",
        "By department and bureau",
        &["Department", "Bureau"],
        &p.by_agency,
    );
    group_table(&mut h, "vendor", "By vendor", &["Vendor"], &p.by_vendor);
    files_section(&mut h, p);
    categories_section(&mut h, p);
    gap_records_section(&mut h, p);
    data_issues_section(&mut h, p);
    evidence_section(&mut h, p.batch);
    page_foot(&mut h, p.batch);
    h
}

/// The document head, the page header and the navigation.
fn page_head(h: &mut String, p: &Portfolio) {
    let batch = p.batch;
    let total = p.totals.records;
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>tipaudit gap report, as of {}</title>",
        esc(&batch.as_of)
    );
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
    let contracts = p.contracts.len();
    let _ = writeln!(
        h,
        "<header><h1>Portfolio review: trafficking in persons and forced labor</h1>\
         <p>As of {} · {} contracts ({} contract actions) in {} input files · FAR subpart 22.17, 52.222-50/-56, UFLPA</p></header>",
        esc(&batch.as_of),
        count(contracts),
        count(total),
        batch.files.len(),
    );
    h.push_str(
        "<nav><a href=\"#summary\">Summary</a><a href=\"#worklist\">Work list</a>\
         <a href=\"#overview\">Overview</a><a href=\"#scope\">Scope and limits</a>\
         <a href=\"#rules\">Gaps by rule</a><a href=\"#agency\">By agency</a><a href=\"#vendor\">By vendor</a>\
         <a href=\"#files\">By file</a><a href=\"#categories\">Risk categories</a>\
         <a href=\"#gaprecords\">Gap records</a><a href=\"#data\">Data issues</a>",
    );
    if batch.evidence.files > 0 {
        h.push_str("<a href=\"#evidence\">Clause evidence</a>");
    }
    h.push_str("</nav>\n<main>\n");
}

/// Key figures, by contract; the two axes side by side, never blended.
fn key_figures(h: &mut String, p: &Portfolio) {
    let contracts = p.contracts.len();
    h.push_str("<div class=\"kpis\" id=\"overview\">");
    let kpi = |h: &mut String, n: String, label: &str, color: &str| {
        let _ = write!(
            h,
            "<div class=\"kpi\" style=\"border-left-color:{color}\"><b>{n}</b><span>{}</span></div>",
            esc(label)
        );
    };
    kpi(h, count(contracts), "contracts audited", "#1f4e79");
    kpi(
        h,
        count(p.work.len()),
        "contracts on the work list",
        &hex(STATUS_CHART_COLORS[0]),
    );
    kpi(
        h,
        count(p.gap_contracts_compliance),
        "with missing clauses or evidence",
        "#7030a0",
    );
    kpi(
        h,
        count(p.gap_contracts_exposure),
        "with forced-labor exposure",
        RISK_COLORS[0],
    );
    kpi(
        h,
        count(p.contract_totals.status[1]),
        "incomplete: could not be decided",
        &hex(STATUS_CHART_COLORS[1]),
    );
    kpi(
        h,
        p.files_not_audited.len().to_string(),
        "input files not audited",
        if p.files_not_audited.is_empty() {
            "#a5a5a5"
        } else {
            "#c00000"
        },
    );
    h.push_str("</div>\n");
}

/// Contracts by status and by forced-labor risk, side by side.
fn charts(h: &mut String, p: &Portfolio) {
    h.push_str("<div class=\"grid2\">\n<section><h2>Contracts by status</h2>");
    let _ = write!(
        h,
        "<p class=\"sub\">A contract takes the worst status of its actions. {}</p>",
        esc(&gap_split_sentence(p))
    );
    let segs: Vec<(String, usize, String)> = STATUS_LEGEND
        .iter()
        .enumerate()
        .map(|(i, (s, _, _))| {
            let c = STATUS_CHART_COLORS[i];
            (s.as_str().to_string(), p.contract_totals.status[i], hex(c))
        })
        .collect();
    h.push_str(&stacked_bar(&segs, "Contracts by status"));
    h.push_str("<div class=\"legend\">");
    for (i, (s, _, meaning)) in STATUS_LEGEND.iter().enumerate() {
        let c = STATUS_CHART_COLORS[i];
        let _ = write!(
            h,
            "<span><i style=\"background:{}\"></i>{}: {}</span>",
            hex(c),
            s.as_str(),
            esc(meaning)
        );
    }
    h.push_str("</div>");
    let split: Vec<(String, usize, String)> = vec![
        (
            "missing clauses or evidence".into(),
            p.gap_contracts_compliance,
            "#7030a0".into(),
        ),
        (
            "forced-labor exposure".into(),
            p.gap_contracts_exposure,
            RISK_COLORS[0].into(),
        ),
    ];
    h.push_str("<h3 class=\"h3\">Contracts with gaps, by kind</h3>");
    h.push_str(&hbars(&split, "Contracts with gaps, by kind", 190));
    h.push_str("</section>\n");
    h.push_str("<section><h2>Contracts by forced-labor risk</h2><p class=\"sub\">The contract's highest RISK/ENT finding (UFLPA, WRO, DOL list, screening lists). This axis says nothing about clauses.</p>");
    let bars: Vec<(String, usize, String)> = RISKS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.as_str().to_string(),
                p.contract_totals.risk[i],
                RISK_COLORS[i].to_string(),
            )
        })
        .collect();
    h.push_str(&hbars(&bars, "Contracts by forced-labor risk", 90));
    h.push_str("</section>\n</div>\n");
}

/// Gaps by rule: a bar chart and the full table.
fn rules_section(h: &mut String, p: &Portfolio) {
    let total = p.totals.records;
    h.push_str("<section id=\"rules\"><h2>Gaps by rule</h2><p class=\"sub\">Records with at least one finding of the rule, compliance and forced-labor exposure apart; data issues are listed separately.</p>");
    if p.by_rule.is_empty() {
        h.push_str("<p>No gaps found.</p>");
    } else {
        let bars: Vec<(String, usize, String)> = p
            .by_rule
            .iter()
            .take(15)
            .map(|r| {
                let color = if is_exposure(&r.rule) {
                    RISK_COLORS[0]
                } else {
                    "#7030a0"
                };
                (r.rule.clone(), r.records, color.to_string())
            })
            .collect();
        h.push_str(&hbars(&bars, "Records with gaps, by rule", 80));
        h.push_str("<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>Rule</th><th>Axis</th><th>What is wrong</th><th>Highest severity</th><th class=\"n\">Records</th><th class=\"n\">Findings</th><th class=\"n\">Share</th></tr></thead><tbody>");
        for r in &p.by_rule {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}{}<td class=\"n\" data-v=\"{}\">{}</td></tr>",
                esc(&r.rule),
                if is_exposure(&r.rule) {
                    "forced-labor exposure"
                } else {
                    "compliance"
                },
                esc(&r.title),
                r.severity.as_str(),
                num(r.records),
                num(r.findings),
                r.records,
                pct(r.records, total)
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</section>\n");
}

/// Records by input file, each linked to its annotated copy.
fn files_section(h: &mut String, p: &Portfolio) {
    h.push_str("<section id=\"files\"><h2>By input file</h2><p class=\"sub\">Records (contract actions) per input. Each audited file has an annotated copy <code>&lt;name&gt;.audited.xlsx</code> in the output directory; hover a name for its full path.</p>");
    h.push_str("<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>Input file</th><th class=\"n\">Records</th><th class=\"n\">Gaps</th><th class=\"n\">Incomplete</th><th class=\"n\">Review</th><th class=\"n\">Compliant</th><th class=\"n\">Findings</th><th>Not audited</th></tr></thead><tbody>");
    for f in &p.by_file {
        let c = &f.counts;
        let extra = match &f.error {
            Some(e) => format!("<strong>whole file:</strong> {}", esc(e)),
            None if f.sheets_audited == 0 => "whole file: no contract id column".to_string(),
            None if f.sheets_not_audited > 0 => format!("{} sheet(s)", f.sheets_not_audited),
            None => String::new(),
        };
        // A relative link to the annotated copy next to this page: opens the local file, no
        // network involved.
        let file = match &f.annotated {
            Some(name) => format!(
                "{}<br><small><a href=\"{}\">{}</a></small>",
                file_cell(&f.file),
                esc(&href_path(name)),
                esc(name)
            ),
            None => file_cell(&f.file),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td>{}{}{}{}{}{}<td>{}</td></tr>",
            file,
            num(c.records),
            num(c.status[0]),
            num(c.status[1]),
            num(c.status[2]),
            num(c.status[3]),
            num(f.findings),
            extra
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

/// High-risk goods categories matched, by risk.
fn categories_section(h: &mut String, p: &Portfolio) {
    h.push_str("<section id=\"categories\"><h2>Risk categories</h2><p class=\"sub\">High-risk goods categories matched by description, PSC or NAICS, counted by record. A record can match several.</p>");
    if p.categories.is_empty() {
        h.push_str("<p>No record matched a high-risk goods category.</p>");
    } else {
        let bars: Vec<(String, usize, String)> = p
            .categories
            .iter()
            .take(15)
            .map(|c| {
                let by_risk = &c.counts.risk;
                let color = RISK_COLORS[by_risk.iter().position(|n| *n > 0).unwrap_or(3)];
                (c.category.clone(), c.counts.records, color.to_string())
            })
            .collect();
        h.push_str(&hbars(&bars, "Records by risk category", 170));
        h.push_str("<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>Category</th><th class=\"n\">Records</th><th class=\"n\">High</th><th class=\"n\">Medium</th><th class=\"n\">Low</th><th class=\"n\">With gaps</th></tr></thead><tbody>");
        for c in &p.categories {
            let _ = write!(
                h,
                "<tr><td>{}</td>{}{}{}{}{}</tr>",
                esc(&c.category),
                num(c.counts.records),
                num(c.counts.risk[0]),
                num(c.counts.risk[1]),
                num(c.counts.risk[2]),
                num(c.counts.gaps())
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</section>\n");
}

/// Gap records, filterable, the first `HTML_GAP_ROWS` of them.
fn gap_records_section(h: &mut String, p: &Portfolio) {
    let shown = p.gap_sample.len().min(HTML_GAP_ROWS);
    let _ = write!(
        h,
        "<section id=\"gaprecords\"><h2>Gap records</h2><p class=\"sub\">{} records with status gaps, in input order{}. Click a column header to sort.</p>",
        p.gap_count,
        if shown < p.gap_count {
            format!(
                "; the first {shown} are listed here, all of them in gap-report.xlsx and findings.jsonl"
            )
        } else {
            String::new()
        }
    );
    h.push_str("<div class=\"toolbar\" id=\"gapfilter\" hidden><input id=\"gapq\" type=\"search\" placeholder=\"Filter: contract, vendor, agency, rule…\" aria-label=\"Filter gap records\"><select id=\"gaprisk\" aria-label=\"Risk\"><option value=\"\">any risk</option><option>high</option><option>medium</option><option>low</option><option>none</option></select><span id=\"gapn\" class=\"sub\"></span></div>");
    h.push_str("<p class=\"printnote note\">Printed, this listing is left out: every gap record is on the Gap records sheet of gap-report.xlsx.</p>");
    record_table(h, "gaps", &p.gap_sample[..shown]);
    h.push_str("</section>\n");
}

/// Data issues: by rule, then where the first `HTML_DATA_ROWS` are.
fn data_issues_section(h: &mut String, p: &Portfolio) {
    let _ = write!(
        h,
        "<section id=\"data\"><h2>Data issues</h2><p class=\"sub\">{} findings about the data itself: fields that could not be read or decided, normalised clause references, repeated contract ids.</p>",
        p.data_issues
    );
    if p.data_by_rule.is_empty() {
        h.push_str("<p>None.</p>");
    } else {
        h.push_str("<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>Rule</th><th>Issue</th><th>Severity</th><th class=\"n\">Findings</th><th class=\"n\">Records</th></tr></thead><tbody>");
        for r in &p.data_by_rule {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td>{}{}</tr>",
                esc(&r.rule),
                esc(&r.title),
                r.severity.as_str(),
                num(r.findings),
                num(r.records)
            );
        }
        h.push_str("</tbody></table></div>");
        h.push_str("<h3 style=\"font-size:14px;margin:14px 0 6px\">Where</h3><div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>File</th><th>Sheet</th><th class=\"n\">Row</th><th>Contract ID</th><th>Rule</th><th>Column</th><th>Message</th></tr></thead><tbody>");
        for d in p.data_sample.iter().take(HTML_DATA_ROWS) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td class=\"msg\">{}</td></tr>",
                file_cell(&d.file),
                esc(&d.sheet),
                num(d.row as usize),
                esc(&d.contract_id),
                esc(&d.rule),
                esc(d.column.as_deref().unwrap_or("")),
                esc(&d.message)
            );
        }
        let n = p.data_issues;
        h.push_str("</tbody></table></div>");
        if n > HTML_DATA_ROWS {
            let _ = write!(
                h,
                "<p class=\"note\">The first {HTML_DATA_ROWS} of {n} are listed; all are in gap-report.xlsx.</p>"
            );
        }
    }
    h.push_str("</section>\n");
}

/// The footer and the script.
fn page_foot(h: &mut String, batch: &BatchOutcome) {
    h.push_str("</main>\n");
    let _ = writeln!(
        h,
        "<footer>tipaudit {} · as of {} · this page makes no network requests</footer>",
        env!("CARGO_PKG_VERSION"),
        esc(&batch.as_of)
    );
    let _ = writeln!(h, "<script>{JS}</script>\n</body>\n</html>");
}

fn gap_split_sentence(p: &Portfolio) -> String {
    super::brief::gap_split(p)
}

/// A file name with its full path as the tooltip.
fn file_cell(path: &str) -> String {
    format!(
        "<span title=\"{}\">{}</span>",
        esc(path),
        esc(super::gap::file_name(path))
    )
}

fn executive_summary(h: &mut String, p: &Portfolio) {
    let (paras, top) = super::brief::executive(p);
    h.push_str("<section id=\"summary\" class=\"summary\"><h2>Executive summary</h2>");
    for para in &paras {
        let _ = write!(h, "<p>{}</p>", esc(para));
    }
    if !top.is_empty() {
        let _ = write!(
            h,
            "<p><b>The {} contracts to act on first</b> (the work list below has them all, with the fix):</p><ol>",
            top.len()
        );
        for t in &top {
            let _ = write!(h, "<li>{}</li>", esc(t));
        }
        h.push_str("</ol>");
    }
    h.push_str("<p class=\"note\">Rule data: ");
    h.push_str(&esc(&p.versions.join(" · ")));
    h.push_str(".</p></section>\n");
}

/// Items as lines of one cell.
fn lines(items: &[String]) -> String {
    items
        .iter()
        .map(|s| esc(s))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Rows of the HTML work list; the xlsx work list has them all.
pub const HTML_WORK_ROWS: usize = 500;

fn work_list(h: &mut String, p: &Portfolio) {
    let _ = write!(
        h,
        "<section id=\"worklist\"><h2>Work list</h2><p class=\"sub\">{} contracts need action, in priority order: compliance gaps on high-risk goods, then listed entities, then other compliance gaps, then forced-labor exposure without compliance gaps; by value within each. {}The same list, with columns to track each action, is the first sheet of gap-report.xlsx.</p>",
        p.work.len(),
        if p.work.len() > HTML_WORK_ROWS {
            format!("The first {HTML_WORK_ROWS} are listed here. ")
        } else {
            String::new()
        }
    );
    if p.work.is_empty() {
        h.push_str("<p>No contract needs action.</p></section>\n");
        return;
    }
    h.push_str("<table class=\"work\" id=\"worktable\"><colgroup><col style=\"width:3%\"><col style=\"width:13%\"><col style=\"width:9%\"><col style=\"width:6%\"><col style=\"width:23%\"><col style=\"width:17%\"><col style=\"width:8%\"><col style=\"width:10%\"><col span=\"4\" style=\"width:2.75%\"></colgroup><thead><tr><th class=\"n\">#</th><th>Contract</th><th class=\"n\">Value</th><th>Status / risk</th><th>What is wrong</th><th>Fix</th><th>Cite</th><th>Record</th><th class=\"track\">Owner</th><th class=\"track\">Due</th><th class=\"track\">Response</th><th class=\"track\">Closed</th></tr></thead><tbody>");
    for w in p.work.iter().take(HTML_WORK_ROWS) {
        let c = &p.contracts[w.contract];
        let d = w.describe(&p.contracts);
        let (_, fill, _) = STATUS_LEGEND[c.status.index()];
        let risk_ix = c.risk.index();
        let who = contract_who(p, w.contract);
        let actions = if c.actions > 1 || c.orders > 0 {
            let mut s = format!("<br><small>{} actions", c.actions);
            if c.orders > 0 {
                let _ = write!(s, ", {} orders", c.orders);
            }
            s.push_str("</small>");
            s
        } else {
            String::new()
        };
        let value = match c.value {
            Some(v) => money(v),
            None => "<small>not stated</small>".into(),
        };
        let record = record_cell(p, c);
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td><b class=\"id\">{}</b>{}{}</td><td class=\"n\">{}</td><td><span class=\"st\" style=\"background:{}\">{}</span><br><span style=\"color:{}\">risk {}</span></td><td>{}</td><td>{}</td><td><small>{}</small></td><td>{}</td><td class=\"track\"></td><td class=\"track\"></td><td class=\"track\"></td><td class=\"track\"></td></tr>",
            w.rank,
            esc(&c.contract_id),
            who,
            actions,
            value,
            hex(fill),
            c.status.as_str(),
            RISK_COLORS[risk_ix],
            c.risk.as_str(),
            lines(&d.wrong),
            lines(&d.fix),
            esc(&d.cite),
            record
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// Under a work-list contract's id: its IDV, vendor and department / bureau.
fn contract_who(p: &Portfolio, i: usize) -> String {
    let c = &p.contracts[i];
    let mut who = String::new();
    if let Some(parent) = &c.parent_id {
        let _ = write!(who, "<br><small>order under {}</small>", esc(parent));
    }
    if let Some(v) = &c.vendor {
        let _ = write!(who, "<br><small>{}</small>", esc(v));
    }
    let (dept, bureau) = &p.agency_of[i];
    if c.agency.is_some() {
        let org = if bureau.is_empty() {
            dept.clone()
        } else {
            format!("{dept} / {bureau}")
        };
        let _ = write!(who, "<br><small>{}</small>", esc(&org));
    }
    who
}

/// Where a work-list contract's worst record is, linked to its annotated copy when there is one.
fn record_cell(p: &Portfolio, c: &super::contracts::Contract) -> String {
    let annotated = p
        .by_file
        .iter()
        .find(|f| f.file == c.worst.file)
        .and_then(|f| f.annotated.as_deref());
    let place = super::gap::place_text(&c.worst);
    match annotated {
        Some(name) => format!(
            "<a href=\"{}\" title=\"open the annotated copy; the row is marked\">{}</a><br><small title=\"{}\">{}</small>",
            esc(&href_path(name)),
            esc(name),
            esc(&c.worst.file),
            esc(&place)
        ),
        None => format!(
            "<small title=\"{}\">{}</small>",
            esc(&c.worst.file),
            esc(&place)
        ),
    }
}

fn scope_and_limits(h: &mut String, p: &Portfolio) {
    h.push_str("<section id=\"scope\"><h2>Scope and limits</h2><p class=\"sub\">What this review covers, and what it could not check and why.</p><ul class=\"limits\">");
    for line in super::brief::limits(p) {
        let _ = write!(h, "<li>{}</li>", esc(&line));
    }
    h.push_str("</ul>");
    if let Some(not_checked) = crate::model::clauses_not_checked(&p.batch.files) {
        let _ = write!(h, "<p class=\"note\"><b>{}</b></p>", esc(&not_checked));
    }
    let files = super::brief::files_not_audited(p);
    let whole: std::collections::HashSet<&str> = files.iter().map(|f| f.1).collect();
    let sheets: Vec<_> = p
        .not_audited
        .iter()
        .filter(|(f, _, _)| !whole.contains(f))
        .collect();
    if files.is_empty() && sheets.is_empty() {
        h.push_str("<p>Every input file and sheet was audited.</p>");
    } else {
        let _ = write!(
            h,
            "<h3 class=\"h3\">Not audited: {} input files; {} sheets in audited files</h3><div class=\"tablewrap\"><table><thead><tr><th>Input file</th><th>Sheet</th><th>Why</th></tr></thead><tbody>",
            files.len(),
            sheets.len()
        );
        for (name, path, why) in &files {
            let _ = write!(
                h,
                "<tr><td><span title=\"{}\">{}</span></td><td>(whole file)</td><td>{}</td></tr>",
                esc(path),
                esc(name),
                esc(why)
            );
        }
        for (f, s, why) in sheets {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                file_cell(f),
                esc(s),
                esc(why)
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("<h3 class=\"h3\">Rule data</h3><ul class=\"limits\">");
    for v in &p.versions {
        let _ = write!(h, "<li>{}</li>", esc(v));
    }
    h.push_str("</ul></section>\n");
}

/// A file name as a relative URL path: percent-encode what a URL would misread.
/// `--clauses` evidence that matched no record (only when evidence was given).
fn evidence_section(h: &mut String, batch: &BatchOutcome) {
    let ev = &batch.evidence;
    if ev.files == 0 {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"evidence\"><h2>Clause evidence</h2><p>{} evidence file(s) named {} contract(s); {} matched no audited record.</p>",
        ev.files,
        ev.contracts,
        ev.unmatched.len()
    );
    if !ev.unmatched.is_empty() {
        h.push_str("<div class=\"tablewrap\"><table><thead><tr><th>Contract id in the evidence</th><th>Clause references</th><th>Where</th></tr></thead><tbody>");
        for u in &ev.unmatched {
            let sources: Vec<String> = u.sources.iter().map(|x| x.to_string()).collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&u.contract_id),
                u.clauses,
                esc(&sources.join("; "))
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</section>\n");
}

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

fn num(n: usize) -> String {
    format!("<td class=\"n\" data-v=\"{n}\">{}</td>", count(n))
}

fn group_table(h: &mut String, id: &str, title: &str, keys: &[&str], rows: &[GroupRow]) {
    let _ = write!(
        h,
        "<section id=\"{id}\"><h2>{}</h2><p class=\"sub\">Contracts, sorted by contracts with gaps; total value counts each contract once, at its latest stated value{}.</p>",
        esc(title),
        if rows.len() > HTML_GROUP_ROWS {
            format!(
                "; the first {HTML_GROUP_ROWS} of {} are listed, all in gap-report.xlsx",
                rows.len()
            )
        } else {
            String::new()
        }
    );
    h.push_str("<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr>");
    for k in keys {
        let _ = write!(h, "<th>{}</th>", esc(k));
    }
    h.push_str("<th class=\"n\">Contracts</th><th class=\"n\">Gaps</th><th class=\"n\">Incomplete</th><th class=\"n\">Review</th><th class=\"n\">Compliant</th><th class=\"n\">High risk</th><th class=\"n\">Share with gaps</th><th class=\"n\">Total value</th></tr></thead><tbody>");
    for g in rows.iter().take(HTML_GROUP_ROWS) {
        h.push_str("<tr>");
        for k in &g.key {
            let _ = write!(h, "<td>{}</td>", esc(k));
        }
        let c = &g.counts;
        let share = if c.records == 0 {
            0.0
        } else {
            c.gaps() as f64 / c.records as f64
        };
        let _ = write!(
            h,
            "{}{}{}{}{}{}<td class=\"n\" data-v=\"{share:.4}\">{}</td><td class=\"n\" data-v=\"{:.2}\">{}</td></tr>",
            num(c.records),
            num(c.status[0]),
            num(c.status[1]),
            num(c.status[2]),
            num(c.status[3]),
            num(c.high_risk()),
            pct(c.gaps(), c.records),
            c.value,
            money(c.value)
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn record_table(h: &mut String, id: &str, records: &[RecordResult]) {
    if records.is_empty() {
        h.push_str("<p>None.</p>");
        return;
    }
    let _ = write!(
        h,
        "<div class=\"tablewrap\"><table class=\"sortable\" id=\"{id}\"><thead><tr><th>File</th><th>Sheet</th><th class=\"n\">Row</th><th>Contract ID</th><th>Vendor</th><th>Agency / office</th><th class=\"n\">Value</th><th>Status</th><th>Risk</th><th>Rules</th><th>Main finding</th></tr></thead><tbody>"
    );
    for r in records {
        let (_, fill, _) = STATUS_LEGEND[r.status.index()];
        let agency = match (&r.agency, &r.office) {
            (Some(a), Some(o)) => format!("{} / {}", esc(a), esc(o)),
            (Some(a), None) => esc(a),
            (None, Some(o)) => esc(o),
            (None, None) => String::new(),
        };
        let value = match r.value.filter(|v| v.is_finite()) {
            Some(v) => format!("<td class=\"n\" data-v=\"{v:.2}\">{}</td>", money(v)),
            None => "<td class=\"n\" data-v=\"-1\"></td>".to_string(),
        };
        let risk_ix = r.risk.index();
        let _ = write!(
            h,
            "<tr data-risk=\"{}\"><td>{}</td><td>{}</td>{}<td class=\"id\">{}</td><td>{}</td><td>{}</td>{}<td><span class=\"st\" style=\"background:{}\">{}</span></td><td><span style=\"color:{}\">{}</span>{}</td><td>{}</td><td class=\"msg\">{}</td></tr>",
            r.risk.as_str(),
            file_cell(&r.file),
            esc(&r.sheet),
            // A record read from a contract document has no row.
            if r.row == 0 {
                String::new()
            } else {
                num(r.row as usize)
            },
            esc(&r.contract_id),
            esc(r.vendor.as_deref().unwrap_or("")),
            agency,
            value,
            hex(fill),
            r.status.as_str(),
            RISK_COLORS[risk_ix],
            r.risk.as_str(),
            if r.risk_categories.is_empty() {
                String::new()
            } else {
                format!("<br><small>{}</small>", esc(&r.risk_categories.join(", ")))
            },
            esc(&rule_ids(r)),
            esc(headline(r))
        );
    }
    h.push_str("</tbody></table></div>");
}

/// A 100% stacked bar with counts under each segment.
fn stacked_bar(segs: &[(String, usize, String)], title: &str) -> String {
    let total: usize = segs.iter().map(|s| s.1).sum();
    let (w, bar_h) = (600.0, 34.0);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} 80\" width=\"{w}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    if total == 0 {
        let _ = write!(
            s,
            "<rect x=\"0\" y=\"8\" width=\"{w}\" height=\"{bar_h}\" fill=\"#eee\"/><text x=\"8\" y=\"30\">no records</text></svg>"
        );
        return s;
    }
    let mut x = 0.0;
    for (label, n, color) in segs {
        if *n == 0 {
            continue;
        }
        let sw = w * *n as f64 / total as f64;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"8\" width=\"{sw:.1}\" height=\"{bar_h}\" fill=\"{color}\" stroke=\"#fff\"><title>{}: {n}</title></rect>",
            esc(label)
        );
        if sw > 46.0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"30\">{}</text><text x=\"{:.1}\" y=\"62\" style=\"fill:#5b6775\">{}</text>",
                x + 6.0,
                count(*n),
                x + 6.0,
                esc(label)
            );
        }
        x += sw;
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars, one per item, labels on the left and counts at the bar's end.
fn hbars(items: &[(String, usize, String)], title: &str, label_w: usize) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let row_h = 24;
    let w = 600;
    let plot = (w - label_w - 60) as f64;
    let height = items.len() * row_h + 8;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {height}\" width=\"{w}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    for (i, (label, n, color)) in items.iter().enumerate() {
        let y = i * row_h + 4;
        let bw = plot * *n as f64 / max as f64;
        let short: String = if label.chars().count() > label_w / 7 {
            let mut t: String = label.chars().take(label_w / 7 - 1).collect();
            t.push('…');
            t
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<title>{}</title></text><rect x=\"{}\" y=\"{}\" width=\"{bw:.1}\" height=\"{}\" fill=\"{color}\" rx=\"2\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w - 6,
            y + 15,
            esc(&short),
            esc(label),
            label_w,
            y + 2,
            row_h - 6,
            label_w as f64 + bw + 5.0,
            y + 15,
            count(*n)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

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
}

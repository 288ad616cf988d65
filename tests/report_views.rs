//! The portfolio reports as their readers open them: by contract, the work list first, two
//! axes apart, scope and limits stated; the workbooks checked by reading their XML (frozen
//! panes, conditional formats, widths, print setup, links); report.html checked in headless
//! Chromium at 1280 px and printed to PDF (skipped, in one line, without a browser; required
//! when `CI` is set).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A portfolio of one base award with two modifications that restate its ceiling, an order
/// under an IDV, and a sheet of non-contract data in a second input.
fn portfolio(dir: &Path) -> (PathBuf, PathBuf) {
    let csv = dir.join("awards.csv");
    std::fs::write(
        &csv,
        "Vendor,Contract Number,Mod Number,Referenced IDV PIID,Award Date,Base and All Options Value,Description,Country of Origin,Clauses,Contracting Agency\n\
         Acme Apparel,W911QY-24-C-0001,0,,2025-03-01,1000000,cotton uniforms,CHN,52.222-50 (NOV 2021),DEPT OF THE ARMY\n\
         Acme Apparel,W911QY24C0001,P00001,,2025-04-01,1000000,cotton uniforms,CHN,52.222-50 (NOV 2021),Department of the Army\n\
         Acme Apparel,W911QY24C0001,P00002,,2025-05-01,0,cotton uniforms,CHN,52.222-50 (NOV 2021),DEPT OF THE ARMY\n\
         Beta Office,GS-00F-0001,0,,2025-03-01,50000,office paper,USA,,GENERAL SERVICES ADMINISTRATION\n\
         Gamma Shoes,70B01C25F0001,0,70B01C20D0004,2025-06-01,250000,footwear,CHN,52.204-25,U.S. CUSTOMS AND BORDER PROTECTION\n",
    )
    .unwrap();
    // An export without clause data: its clause compliance cannot be checked.
    std::fs::write(
        dir.join("no-clauses.csv"),
        "Contract Number,Description,Contracting Agency\nN00001-25-C-0001,office chairs,DEPT OF THE NAVY\n",
    )
    .unwrap();
    let other = dir.join("reference-list.csv");
    std::fs::write(&other, "Product,Country\nCotton,China\n").unwrap();
    (csv, other)
}

fn zip_text(path: &Path, entry: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(entry)
        .unwrap_or_else(|_| panic!("{entry} in {}", path.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn run(dir: &Path) -> PathBuf {
    let (csv, other) = portfolio(dir);
    let out = dir.join("out");
    let (code, _, err) = audit(&[&csv, &dir.join("no-clauses.csv"), &other], &out, &[]);
    // A file named on the command line that yields no records is an error (exit 2); the
    // others are audited and the reports written all the same.
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("reference-list.csv: no records were read"),
        "{err}"
    );
    out
}

#[test]
fn work_list_is_by_contract_first_sheet_and_links_to_the_row() {
    let dir = tmp();
    let out = run(dir.path());
    let gap = out.join("gap-report.xlsx");
    let wb = zip_text(&gap, "xl/workbook.xml");
    let first = wb.find("<sheet ").unwrap();
    assert!(wb[first..].starts_with("<sheet name=\"Work list\""), "{wb}");

    let ws = zip_text(&gap, "xl/worksheets/sheet1.xml");
    // Header row and the columns through the contract id frozen.
    assert!(
        ws.contains("<pane xSplit=\"3\" ySplit=\"4\" topLeftCell=\"D5\""),
        "{ws}"
    );
    // Landscape, one page wide, header repeated.
    assert!(ws.contains("orientation=\"landscape\"") && ws.contains("fitToHeight=\"0\""));
    assert!(wb.contains("'Work list'!$4:$4"), "print titles: {wb}");
    // Wide columns for what is wrong and the fix.
    assert!(
        ws.contains("<col min=\"11\" max=\"11\" width=\"60.7"),
        "{ws}"
    );
    // A link from each row to its record's row in the annotated copy.
    let rels = zip_text(&gap, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(rels.contains("Target=\"awards.audited.xlsx\""), "{rels}");
    assert!(ws.contains("location=\"'awards'!A2\""), "{ws}");

    // The Work list is streamed (constant memory): its text is inline in the sheet.
    for h in [
        "Owner",
        "Due",
        "Response",
        "Closed",
        "What is wrong",
        "Fix",
        "Cite",
    ] {
        assert!(ws.contains(&format!(">{h}<")), "{h}");
    }
    assert!(!ws.contains("tipaudit explain"));

    // Read as values: one row per contract that needs action, the base award first
    // (compliance gap... or exposure) and its value the latest stated, never the sum.
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    let mut x: Xlsx<_> = open_workbook(&gap).unwrap();
    let r = x.worksheet_range("Work list").unwrap();
    let rows: Vec<&[Data]> = r.rows().skip(4).collect();
    let ids: Vec<String> = rows.iter().map(|r| r[2].to_string()).collect();
    assert!(ids.contains(&"W911QY-24-C-0001".to_string()), "{ids:?}");
    assert_eq!(
        ids.iter().filter(|i| i.starts_with("W911QY")).count(),
        1,
        "modifications fold into their contract: {ids:?}"
    );
    let acme = rows.iter().find(|r| r[2] == "W911QY-24-C-0001").unwrap();
    assert_eq!(
        acme[6].as_f64(),
        Some(1_000_000.0),
        "latest value, not a sum"
    );
    assert_eq!(acme[7].as_f64(), Some(3.0), "three actions");
    assert_eq!(
        acme[5].to_string(),
        "Department of Defense / Department of the Army"
    );
    let order = rows.iter().find(|r| r[2] == "70B01C25F0001").unwrap();
    assert_eq!(order[3].to_string(), "70B01C20D0004");
    // Tracking columns are there and empty.
    for c in 14..18 {
        assert_eq!(acme.get(c).cloned().unwrap_or(Data::Empty), Data::Empty);
    }
}

#[test]
fn inputs_without_contract_data_get_no_copy_and_are_said_not_audited() {
    let dir = tmp();
    let out = run(dir.path());
    assert!(out.join("awards.audited.xlsx").is_file());
    assert!(!out.join("reference-list.audited.xlsx").exists());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let scope = &html[html.find("id=\"scope\"").unwrap()..];
    assert!(scope.contains("reference-list.csv"));
    assert!(scope.contains("no sheet has a contract id column"));
    assert!(html.contains("Clause compliance not checked for 1 of 6 records"));
    // The two axes apart in the headline.
    assert!(html.contains("missing clauses or evidence"));
    assert!(html.contains("forced-labor exposure"));
    // Executive summary, then the work list, before the charts.
    let summary = html.find("id=\"summary\"").unwrap();
    let work = html.find("id=\"worklist\"").unwrap();
    let overview = html.find("id=\"overview\"").unwrap();
    assert!(summary < work && work < overview);
    // Rule-data editions instead of "rules: built-in".
    assert!(html.contains("Federal Acquisition Circular"));
    assert!(!html.contains("rules: built-in"));
    // File names in tables, the full path as a tooltip.
    assert!(html.contains(&format!(
        "title=\"{}\">awards.csv<",
        dir.path().join("awards.csv").display()
    )));
}

#[test]
fn annotated_copy_opens_on_summary_frozen_through_the_contract_id() {
    let dir = tmp();
    let out = run(dir.path());
    let copy = out.join("awards.audited.xlsx");
    let wb = zip_text(&copy, "xl/workbook.xml");
    // Sheets: awards, Summary, Findings; the Summary (index 1) is active.
    assert!(wb.contains("activeTab=\"1\""), "{wb}");
    let ws = zip_text(&copy, "xl/worksheets/sheet1.xml");
    // The contract id is column B: header row and columns A:B frozen.
    assert!(ws.contains("<pane xSplit=\"2\" ySplit=\"1\""), "{ws}");
    // Risk coloured by a conditional format on the Risk column (the 12th: 10 inputs + status).
    assert!(
        ws.contains("<conditionalFormatting sqref=\"L2:L6\">"),
        "{ws}"
    );
    assert!(ws.contains("<formula>\"high\"</formula>"), "{ws}");
    assert!(ws.contains("orientation=\"landscape\""));
    // The as-of date in the printed footer, the header row on every page.
    assert!(ws.contains("Audited as of 2026-11-23"), "{ws}");
    assert!(wb.contains("awards!$1:$1"), "{wb}");
    let styles = zip_text(&copy, "xl/styles.xml");
    assert!(styles.contains("wrapText=\"1\""), "Findings wraps");
}

// ---------------------------------------------------------------------------------------
// Browser checks
// ---------------------------------------------------------------------------------------

fn browser() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(o) = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            && o.status.success()
        {
            let p = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if !p.is_empty() {
                return Some(PathBuf::from(p));
            }
        }
    }
    None
}

/// Chromium, or `None` after one line saying the browser checks did not run. On CI the
/// browser is required (`.ci/run` installs it).
fn browser_or_skip() -> Option<PathBuf> {
    let b = browser();
    if b.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium is not installed: .ci/run installs it"
        );
        // Written to stderr directly, not through eprintln!, so cargo test shows it for a
        // passing test too.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "browser checks did not run: chromium not found (apt-get install -y chromium)"
        );
    }
    b
}

fn chromium(b: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(b)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

/// Measure report.html at 1280 px in Chromium: the page and the work list must not be wider
/// than the window, and the executive summary must be there. Then print it to PDF and,
/// with poppler's pdftotext, check the work list's last column is on the printed page.
fn check_in_browser(b: &Path, html: &Path, work: &Path) {
    let page = std::fs::read_to_string(html).unwrap();
    // A probe appended to a copy of the page writes its measurements into the DOM.
    let probe = r#"<script>
window.addEventListener('load',function(){
  var t=document.getElementById('worktable'),d=document.documentElement;
  var r={page:d.scrollWidth,win:window.innerWidth,
    work:t?t.scrollWidth:0,workbox:t?t.parentElement.clientWidth:0,
    summary:!!document.getElementById('summary')&&document.getElementById('summary').textContent.indexOf('Audited')>=0};
  var p=document.createElement('pre');p.id='probe';p.textContent='PROBE '+JSON.stringify(r)+' END';document.body.appendChild(p);
});
</script>"#;
    let probed = work.join("probed.html");
    std::fs::write(&probed, page.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", probed.display());
    let o = chromium(
        b,
        profile.path(),
        &[
            "--window-size=1280,900",
            "--virtual-time-budget=5000",
            "--dump-dom",
            &url,
        ],
    );
    let dom = String::from_utf8_lossy(&o.stdout);
    let start = dom
        .find("<pre id=\"probe\">PROBE ")
        .map(|i| i + "<pre id=\"probe\">".len())
        .unwrap_or_else(|| {
            panic!(
                "no probe output for {}: {}",
                html.display(),
                String::from_utf8_lossy(&o.stderr)
            )
        });
    let json = &dom[start + 6..dom[start..].find(" END").unwrap() + start];
    let m: serde_json::Value = serde_json::from_str(json).unwrap();
    let n = |k: &str| m[k].as_f64().unwrap();
    assert!(m["summary"].as_bool().unwrap(), "executive summary: {m}");
    assert!(n("page") <= n("win"), "page overflows at 1280 px: {m}");
    assert!(
        n("work") <= n("workbox") + 1.0,
        "work list overflows at 1280 px: {m}"
    );

    let pdf = work.join("report.pdf");
    let _ = chromium(
        b,
        profile.path(),
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("printed PDF");
    assert!(bytes.starts_with(b"%PDF"));
    match Command::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "3"])
        .arg(&pdf)
        .arg("-")
        .output()
    {
        Ok(t) if t.status.success() => {
            let text = String::from_utf8_lossy(&t.stdout);
            assert!(text.contains("Executive summary"), "{text}");
            // The work list's header row, last column included, printed on one line.
            assert!(
                text.lines()
                    .any(|l| l.contains("What is wrong") && l.contains("Record")),
                "the work list's last column is cut off in print:\n{text}"
            );
        }
        _ => eprintln!("pdftotext not found: the printed page's text was not checked"),
    }
}

#[test]
fn report_html_fits_1280_px_and_print_on_the_samples_and_real_data() {
    let Some(b) = browser_or_skip() else {
        return;
    };
    let dir = tmp();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = dir.path().join("samples");
    let (code, _, err) = audit(
        &[&Path::new(root).join("samples")],
        &out,
        &["--no-annotate"],
    );
    assert_eq!(code, 1, "high findings at the default --fail-on: {err}");
    check_in_browser(&b, &out.join("report.html"), dir.path());

    let real = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/real/fpds_atom_kenosa_sample_flat.csv"
    ));
    if !real.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {} is missing",
            real.display()
        );
        eprintln!(
            "real-data browser check skipped: {} not found",
            real.display()
        );
        return;
    }
    let out = dir.path().join("real");
    // The award records (the folder also holds a scanned PDF, which is an input error).
    let legacy = real.with_file_name("usaspending_legacy_treasury_contracts_2016.csv");
    let (code, _, err) = audit(&[real, &legacy], &out, &["--no-annotate"]);
    assert_eq!(code, 1, "high findings at the default --fail-on: {err}");
    check_in_browser(&b, &out.join("report.html"), dir.path());
}

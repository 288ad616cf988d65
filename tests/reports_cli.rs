//! The outputs people read, through the binary: files made here, audited by `tipaudit audit`,
//! read back with calamine and from the xlsx zip entries.

mod common;
use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

fn comments_xml(path: &std::path::Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/comments") {
            f.read_to_string(&mut all).unwrap();
        }
    }
    all
}

/// Every value and formula of every sheet of `input` is at the same place in `copy`, and
/// every merged range of the input is merged in the copy.
fn assert_same_values(input: &std::path::Path, copy: &std::path::Path) {
    let mut src: Xlsx<_> = open_workbook(input).unwrap();
    let mut dst: Xlsx<_> = open_workbook(copy).unwrap();
    for name in src.sheet_names() {
        let a = src.worksheet_range(&name).unwrap();
        let b = dst.worksheet_range(&name).unwrap();
        let fa = src.worksheet_formula(&name).unwrap();
        let fb = dst.worksheet_formula(&name).unwrap();
        let at = |r: u32, c: u32| format!("{} {name} r{r} c{c}", input.display());
        if let Some((r0, c0)) = a.start() {
            for (r, c, v) in a.used_cells() {
                let (r, c) = (r as u32 + r0, c as u32 + c0);
                let got = b.get_value((r, c)).cloned().unwrap_or_default();
                assert_eq!(&got, v, "{}", at(r, c));
            }
        }
        if let Some((r0, c0)) = fa.start() {
            for (r, c, f) in fa.used_cells() {
                let (r, c) = (r as u32 + r0, c as u32 + c0);
                let got = fb.get_value((r, c)).cloned().unwrap_or_default();
                assert_eq!(&got, f, "{} formula", at(r, c));
            }
        }
        let mut ma: Vec<_> = src
            .merge_cells_by_sheet_name(&name)
            .unwrap()
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        let mut mb: Vec<_> = dst
            .merge_cells_by_sheet_name(&name)
            .unwrap()
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        ma.sort();
        mb.sort();
        assert_eq!(ma, mb, "{} {name} merges", input.display());
    }
}

#[test]
fn sample_workbooks_are_carried_over_value_for_value() {
    let dir = tmp();
    let out = path(&dir, "out");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    // The workbooks only: samples/ also holds a README and contract documents, which are
    // inputs of another kind.
    let mut books: Vec<std::path::PathBuf> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    books.sort();
    let refs: Vec<&std::path::Path> = books.iter().map(|p| p.as_path()).collect();
    let (code, stdout, stderr) = audit(&refs, &out, &[]);
    assert!(code == 0 || code == 1, "{stdout}\n{stderr}");
    let (mut checked, mut noted_cells, mut low_only_cells) = (0, 0, 0);
    for e in std::fs::read_dir(&samples).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "xlsx") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let copy = out.join(format!("{stem}.audited.xlsx"));
            assert_same_values(&p, &copy);
            let (noted, low) = check_notes(&copy);
            noted_cells += noted;
            low_only_cells += low;
            checked += 1;
        }
    }
    assert!(checked >= 3, "samples checked: {checked}");
    // The samples have both kinds, so the note check above could fail either way.
    assert!(
        noted_cells > 0 && low_only_cells > 0,
        "{noted_cells} {low_only_cells}"
    );
}

/// Notes of each sheet of an xlsx, by sheet position: the cell references in the comments
/// part each worksheet's relationships name.
fn notes_by_sheet(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| -> Option<String> {
        let mut f = z.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        Some(s)
    };
    let mut out = Vec::new();
    for n in 1.. {
        if read(&format!("xl/worksheets/sheet{n}.xml")).is_none() {
            break;
        }
        let rels = read(&format!("xl/worksheets/_rels/sheet{n}.xml.rels")).unwrap_or_default();
        let refs = match rels.find("../comments") {
            Some(i) => {
                let name = &rels[i + 3..i + rels[i..].find('"').unwrap()];
                let xml = read(&format!("xl/{name}")).unwrap();
                xml.split("<comment ref=\"")
                    .skip(1)
                    .map(|c| c[..c.find('"').unwrap()].to_string())
                    .collect()
            }
            None => Vec::new(),
        };
        out.push(refs);
    }
    out
}

/// Every cell a high or medium finding points to has a note on it, no cell only low or info
/// findings point to does, and an audited sheet has no other notes than those and the four
/// added column headers'. Returns (cells noted, cells of low/info findings only).
fn check_notes(copy: &std::path::Path) -> (usize, usize) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut wb: Xlsx<_> = open_workbook(copy).unwrap();
    let names = wb.sheet_names();
    let findings = wb.worksheet_range(names.last().unwrap()).unwrap();
    let text = |r: u32, c: u32| match findings.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("Findings r{r} c{c}: {other:?}"),
    };
    assert_eq!(text(0, 7), "Severity");
    // sheet -> (cells of high/medium findings, cells of any finding)
    let mut by_sheet: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for r in 1..findings.height() as u32 {
        let e = by_sheet.entry(text(r, 0)).or_default();
        let cell = text(r, 2);
        if matches!(text(r, 7).as_str(), "high" | "medium") {
            e.0.insert(cell.clone());
        }
        e.1.insert(cell);
    }
    let notes = notes_by_sheet(copy);
    let (mut noted, mut low) = (0, 0);
    for (sheet, (hm, all)) in &by_sheet {
        let i = names.iter().position(|n| n == sheet).unwrap();
        let got: BTreeSet<String> = notes[i].iter().cloned().collect();
        let at = format!("{} {sheet}", copy.display());
        for c in hm {
            assert!(got.contains(c), "{at}: no note on {c}");
        }
        for c in all.difference(hm) {
            assert!(
                !got.contains(c),
                "{at}: note on {c}, which only low/info findings name"
            );
        }
        assert_eq!(got.len(), hm.len() + 4, "{at}: {got:?}");
        noted += hm.len();
        low += all.len() - hm.len();
    }
    (noted, low)
}

#[test]
fn audit_writes_annotated_copy_gap_report_and_html() {
    let dir = tmp();
    let input = path(&dir, "portfolio.xlsx");
    let mut contracts = sheet(
        "Contracts",
        vec![
            vec![S("FY2025 contracts"), E, E, E, E, E],
            vec![
                S("Contract Number"),
                S("Award Date"),
                S("Estimated Value"),
                S("Place of Performance"),
                S("Clauses"),
                S("Doubled"),
            ],
            vec![
                S("A-1"),
                D(2025, 3, 1),
                N(100_000.0),
                S("USA"),
                S("52.222-50 (OCT 2025)"),
                F("C3*2", "200000"),
            ],
            vec![
                S("A-2"),
                D(2025, 4, 2),
                N(1_500_000.0),
                S("USA"),
                S("52.204-25"),
                F("C4*2", "3000000"),
            ],
            vec![
                S("=HYPERLINK(\"http://x\")"),
                D(2025, 5, 3),
                N(250.5),
                S("USA"),
                S("52.222-50"),
                B(true),
            ],
        ],
    );
    contracts.merges.push((0, 0, 0, 5, "FY2025 contracts"));
    let lookups = sheet(
        "Findings",
        vec![vec![S("code"), S("label")], vec![N(1.0), S("one")]],
    );
    write_xlsx(&input, &[contracts, lookups]);
    let out = path(&dir, "out");
    let (code, stdout, stderr) = audit(&[&input], &out, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");

    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for want in [
        "findings.jsonl",
        "gap-report.xlsx",
        "portfolio.audited.xlsx",
        "report.html",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "no temporary files left: {names:?}"
    );

    // Every original value, sheet by sheet, is in the copy at the same place.
    let annotated = out.join("portfolio.audited.xlsx");
    assert_same_values(&input, &annotated);
    let mut dst: Xlsx<_> = open_workbook(&annotated).unwrap();
    let dst_names = dst.sheet_names();
    assert_eq!(&dst_names[..2], &["Contracts", "Findings"]);
    assert!(dst_names.len() == 4 && dst_names[2] != "Findings" && dst_names[3] != "Findings");
    assert_eq!(
        dst.merge_cells_by_sheet_name("Contracts")
            .unwrap()
            .iter()
            .map(|d| (d.start, d.end))
            .collect::<Vec<_>>(),
        vec![((0, 0), (0, 5))]
    );
    let b = dst.worksheet_range("Contracts").unwrap();
    assert_eq!(
        b.get_value((1, 6)),
        Some(&Data::String("Audit Status".into()))
    );
    assert_eq!(b.get_value((3, 6)), Some(&Data::String("gaps".into())));
    let ids = match b.get_value((3, 9)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("rule ids: {other:?}"),
    };
    assert!(ids.contains("TIP001"), "{ids}");
    // The TIP001 note sits on A-2's clauses cell (E4).
    let comments = comments_xml(&annotated);
    assert!(comments.contains("ref=\"E4\""), "{comments}");

    // The portfolio reports exist and read back.
    let gap: Xlsx<_> = open_workbook(out.join("gap-report.xlsx")).unwrap();
    assert_eq!(&gap.sheet_names()[..2], &["Work list", "Overview"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("A-2"));
    // The By-file table links each input's annotated copy, relative to the page.
    assert!(html.contains("<a href=\"portfolio.audited.xlsx\">"));
    assert!(!html.contains("<script src"));
}

#[test]
fn template_command_writes_a_workbook_tipaudit_reads() {
    let dir = tmp();
    let t = path(&dir, "template.xlsx");
    let status = tipaudit()
        .args(["template", "--example", "-o"])
        .arg(&t)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    // The example row is audited as a record: the headers need no mapping file.
    let out = path(&dir, "out");
    let (code, stdout, stderr) = audit(&[&t], &out, &[]);
    assert!(code == 0 || code == 1, "{stdout}\n{stderr}");
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["contract_id"], "W911QY-25-C-0042");
    assert_eq!(recs[0]["row"], 2);
}

/// Excel refuses a sheet with more than 65,530 links: the work list links its first 65,530
/// rows to the annotated copy and gives the rest of its records as text.
#[test]
fn work_list_links_stop_at_excels_limit() {
    use std::fmt::Write as _;
    const LIMIT: usize = 65_530;
    let dir = tmp();
    let input = path(&dir, "many.csv");
    let n = LIMIT + 12;
    let mut text = String::from("Contract Number,Vendor Name,Clauses\n");
    for i in 0..n {
        // 52.222-50 missing: a gap on every record, so every contract is on the work list.
        let _ = writeln!(text, "W-{i:06},Vendor {},52.212-4", i % 9);
    }
    std::fs::write(&input, text).unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(&[&input], &out, &[]);
    assert_eq!(code, 1, "{err}");
    let report = out.join("gap-report.xlsx");

    let mut z = zip::ZipArchive::new(std::fs::File::open(&report).unwrap()).unwrap();
    let mut rels = String::new();
    z.by_name("xl/worksheets/_rels/sheet1.xml.rels")
        .unwrap()
        .read_to_string(&mut rels)
        .unwrap();
    assert_eq!(rels.matches("/hyperlink\"").count(), LIMIT);

    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    let work = wb.worksheet_range("Work list").unwrap();
    let records: Vec<String> = work
        .rows()
        .filter(|r| matches!(r.first(), Some(Data::Float(_))))
        .map(|r| r[13].to_string())
        .collect();
    assert_eq!(records.len(), n, "every contract is listed");
    assert!(
        records[..LIMIT]
            .iter()
            .all(|r| r.starts_with("many.audited.xlsx, row ")),
        "{}",
        records[0]
    );
    assert!(
        records[LIMIT..]
            .iter()
            .all(|r| r.starts_with("many.csv, row ")),
        "{}",
        records[LIMIT]
    );
    let subtitle = work.get_value((1, 0)).unwrap().to_string();
    assert!(subtitle.contains("Excel allows 65,530 links"), "{subtitle}");
}

/// A record repeated in a later file gets DATA003 there, which moves it from compliant to
/// review: the summary, the gap report and the HTML page count it as findings.jsonl does.
#[test]
fn a_duplicate_across_files_changes_status_in_every_output() {
    let dir = tmp();
    let header = "Solicitation Number,Document Type,Issue Date,Estimated Value,Value Outside US,Place of Performance,COTS,Description,Section I\n";
    let clean = "FA301626Q0050,Solicitation,2026-01-12,\"$185,000\",,Texas,No,\"Bleacher seating systems\",52.222-50 Combating Trafficking in Persons (OCT 2025)\n";
    let gap = "FA301626Q0051,Solicitation,2026-01-12,\"$90,000\",,Texas,No,\"Bleacher repairs\",52.204-24 (NOV 2021)\n";
    let (a, b) = (path(&dir, "a.csv"), path(&dir, "b.csv"));
    std::fs::write(&a, format!("{header}{clean}")).unwrap();
    std::fs::write(&b, format!("{header}{gap}{clean}")).unwrap();
    let out = path(&dir, "out");
    let (code, stdout, stderr) = audit(&[&a, &b], &out, &["--format", "json"]);
    assert!(code == 0 || code == 1, "{stderr}");

    let recs = jsonl(&out);
    assert_eq!(recs.len(), 3);
    let first = &recs[0];
    let repeat = &recs[2];
    assert_eq!(first["status"], "compliant", "{first}");
    assert_eq!(repeat["contract_id"], "FA301626Q0050");
    assert_eq!(rules_of(repeat), vec!["DATA003"]);
    assert_eq!(repeat["status"], "review", "{repeat}");
    let by_status = |file: &str, status: &str| {
        recs.iter()
            .filter(|r| r["status"] == status && r["file"].as_str().unwrap().ends_with(file))
            .count()
    };

    // The summary.
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for status in ["gaps", "incomplete", "review", "compliant"] {
        assert_eq!(
            summary["status"][status],
            by_status(".csv", status),
            "{status}: {stdout}"
        );
    }
    assert_eq!(summary["rules"]["DATA003"], 1);

    // The gap report: By file, in the order of its status columns, and the data issues.
    let mut wb: Xlsx<_> = open_workbook(out.join("gap-report.xlsx")).unwrap();
    let files = wb.worksheet_range("By file").unwrap();
    let row_of = |file: &str| {
        files
            .rows()
            .find(|r| r[0].to_string().ends_with(file))
            .unwrap_or_else(|| panic!("no By file row for {file}"))
            .to_vec()
    };
    for file in ["a.csv", "b.csv"] {
        let row = row_of(file);
        let want: Vec<f64> = ["gaps", "incomplete", "review", "compliant"]
            .iter()
            .map(|s| by_status(file, s) as f64)
            .collect();
        let got: Vec<f64> = row[4..8]
            .iter()
            .map(|c| match c {
                Data::Float(n) => *n,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got, want, "{file}: {row:?}");
    }
    assert_eq!(
        row_of("b.csv")[6],
        Data::Float(1.0),
        "the repeat is in review"
    );
    let data = wb.worksheet_range("Data issues").unwrap();
    let listed: Vec<String> = data
        .rows()
        .filter(|r| r.len() > 4 && r[4] == "DATA003")
        .map(|r| r[0].to_string())
        .collect();
    assert_eq!(listed, vec!["b.csv".to_string()]);

    // The HTML page's By input file row for b.csv: records, then the four statuses.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let files_at = html.find("By input file").unwrap();
    let at = files_at + html[files_at..].find("b.csv").unwrap();
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    let numbers: Vec<usize> = row
        .split('>')
        .filter_map(|cell| cell.split('<').next()?.trim().parse().ok())
        .collect();
    let want: Vec<usize> = std::iter::once(2)
        .chain(
            ["gaps", "incomplete", "review", "compliant"]
                .iter()
                .map(|s| by_status("b.csv", s)),
        )
        .collect();
    assert_eq!(numbers[..5], want[..], "{row}");
}

/// The `<xf>` element of the style of `cell` (as `K5`) on the gap report's sheet `name`,
/// with every number format it uses spelled out: what Excel renders the cell with.
/// Audits one CSV (with gaps, so exit 1) and gives its gap report, in a folder kept alive.
fn gap_report_of(csv: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tmp();
    let input = path(&dir, "abroad.csv");
    std::fs::write(&input, csv).unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(&[&input], &out, &[]);
    assert_eq!(code, 1, "{err}");
    (dir, out.join("gap-report.xlsx"))
}

fn zip_part(file: &std::path::Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn capture(re: &str, text: &str) -> String {
    regex::Regex::new(re)
        .unwrap()
        .captures(text)
        .unwrap_or_else(|| panic!("{re}"))[1]
        .to_string()
}

/// The XML of the sheet named `name` in a workbook.
fn sheet_xml(book: &std::path::Path, name: &str) -> String {
    let (workbook, rels) = (
        zip_part(book, "xl/workbook.xml"),
        zip_part(book, "xl/_rels/workbook.xml.rels"),
    );
    let rid = capture(
        &format!(r#"<sheet name="{name}" sheetId="\d+" r:id="(rId\d+)""#),
        &workbook,
    );
    let target = capture(&format!(r#"Id="{rid}" [^>]*Target="([^"]+)""#), &rels);
    zip_part(book, &format!("xl/{target}"))
}

fn gap_report_cell_style(report: &std::path::Path, name: &str, cell: &str) -> String {
    let styles = zip_part(report, "xl/styles.xml");
    let sheet = sheet_xml(report, name);
    let xf: usize = capture(&format!(r#"<c r="{cell}" s="(\d+)""#), &sheet)
        .parse()
        .unwrap();
    let xfs = capture(r"(?s)<cellXfs[^>]*>(.*?)</cellXfs>", &styles);
    let mut xf = regex::Regex::new(r"<xf [^>]*/>|<xf [^>]*>.*?</xf>")
        .unwrap()
        .find_iter(&xfs)
        .nth(xf)
        .unwrap()
        .as_str()
        .to_string();
    for fmt in regex::Regex::new(r#"<numFmt numFmtId="(\d+)" formatCode="([^"]+)""#)
        .unwrap()
        .captures_iter(&styles)
    {
        xf = xf.replace(
            &format!("numFmtId=\"{}\"", &fmt[1]),
            &format!("numFmt=\"{}\"", &fmt[2]),
        );
    }
    xf
}

/// The long sheets of the gap report (Work list, Gap records) give their cells the column's
/// format rather than one of their own: the cells still render wrapped and as money.
#[test]
fn gap_report_long_sheets_keep_wrapped_and_money_cells() {
    let (_dir, report) = gap_report_of(
        "Contract Number,Vendor Name,Award Date,Estimated Value,Place of Performance,Clauses\n\
         W-1,Vendor One,2025-03-01,1500000,CHN,52.212-4\n\
         W-2,Vendor Two,2025-03-02,2500000,MEX,52.212-4\n",
    );

    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    let work = wb.worksheet_range("Work list").unwrap();
    assert_eq!(
        work.get_value((3, 6)),
        Some(&Data::String("Value (latest)".into()))
    );
    assert_eq!(work.get_value((4, 6)), Some(&Data::Float(2_500_000.0)));
    let gaps = wb.worksheet_range("Gap records").unwrap();
    assert_eq!(gaps.get_value((3, 7)), Some(&Data::String("Value".into())));
    assert_eq!(gaps.get_value((4, 7)), Some(&Data::Float(1_500_000.0)));
    assert!(matches!(gaps.get_value((4, 12)), Some(Data::String(s)) if !s.is_empty()));

    let style = |sheet, cell| gap_report_cell_style(&report, sheet, cell);
    let money = r#"numFmt="$#,##0""#;
    for (sheet, cell, want) in [
        ("Work list", "G5", money),
        ("Work list", "K5", r#"wrapText="1""#),
        ("Work list", "L5", r#"wrapText="1""#),
        ("Work list", "C5", r#"vertical="top""#),
        ("Work list", "B5", r#"wrapText="1""#),
        // The status fill sits at the top of its (tall) row, beside the other cells.
        ("Work list", "I5", r#"vertical="top""#),
        ("Work list", "I5", r#"applyFill="1""#),
        ("Gap records", "H5", money),
        ("Gap records", "M5", r#"wrapText="1""#),
    ] {
        let xf = style(sheet, cell);
        assert!(xf.contains(want), "{sheet} {cell}: {xf}");
    }
}

/// The `<row ...>` tag of a sheet's row (1-based, as the file numbers them).
fn row_tag(sheet: &str, row: u32) -> String {
    capture(&format!(r#"(<row r="{row}"[ >][^>]*)"#), sheet)
}

fn row_height(sheet: &str, row: u32) -> Option<f64> {
    let tag = row_tag(sheet, row);
    regex::Regex::new(r#" ht="([\d.]+)""#)
        .unwrap()
        .captures(&tag)
        .map(|c| c[1].parse().unwrap())
}

#[test]
fn gap_report_listing_rows_are_as_tall_as_their_wrapped_text() {
    // Row 2: work abroad over the threshold, so its main finding (TIP004) runs to several
    // lines; row 3: only the short TIP001 line. Row 3's country is unreadable: a data
    // issue with a long message; row 4 repeats row 3: a one-line DATA003.
    let (_dir, report) = gap_report_of(
        "Contract Number,Vendor Name,Award Date,Estimated Value,Place of Performance,Clauses\n\
         W-1,Vendor One,2025-03-01,1500000,CHN,52.222-50 Alt I; 52.222-56; 52.212-4\n\
         W-2,Vendor Two,2025-03-02,20000,Atlantis,52.212-4\n\
         W-2,Vendor Two,2025-03-02,20000,Atlantis,52.212-4\n",
    );

    let mut wb: Xlsx<_> = open_workbook(&report).unwrap();
    let gaps = wb.worksheet_range("Gap records").unwrap();
    let headline = |r: u32| match gaps.get_value((r, 12)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("no main finding on row {r}: {other:?}"),
    };
    let (long, short) = (headline(4), headline(5));
    assert!(long.chars().count() > 140, "{long}");
    assert!(short.chars().count() < 60, "{short}");
    let sheet = sheet_xml(&report, "Gap records");
    // The file numbers rows from 1: the first listed record is row 5.
    let tall = row_height(&sheet, 5).unwrap_or_else(|| panic!("{}", row_tag(&sheet, 5)));
    assert!(tall >= 45.0, "{long}: {tall}");
    assert_eq!(row_height(&sheet, 6), None, "{short}");

    let issues = wb.worksheet_range("Data issues").unwrap();
    let sheet = sheet_xml(&report, "Data issues");
    let mut seen = (false, false);
    for r in 4..issues.height() as u32 {
        let Some(Data::String(m)) = issues.get_value((r, 7)) else {
            continue;
        };
        let h = row_height(&sheet, r + 1);
        if m.chars().count() > 90 {
            assert!(h.is_some_and(|h| h >= 30.0), "{m}: {h:?}");
            seen.0 = true;
        } else if m.chars().count() < 70 {
            assert_eq!(h, None, "{m}");
            seen.1 = true;
        }
    }
    assert_eq!(seen, (true, true), "a long and a short data issue");

    // Every cell of a tall row sits at its top, beside the wrapped text.
    let style = |sheet, cell| gap_report_cell_style(&report, sheet, cell);
    for (sheet, cell) in [
        ("Gap records", "A5"),
        ("Gap records", "D5"),
        ("Gap records", "I5"),
        ("Gap records", "H5"),
        ("Data issues", "A5"),
        ("Data issues", "E5"),
    ] {
        let xf = style(sheet, cell);
        assert!(xf.contains(r#"vertical="top""#), "{sheet} {cell}: {xf}");
    }
}

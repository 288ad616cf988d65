//! The outputs people read, checked by reading them back: calamine for values, the zip
//! entries for notes, links and charts.

use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use tipaudit::cell::{Cell, Merge, Row, Value};
use tipaudit::model::{
    BatchOutcome, FileOutcome, Finding, RecordResult, Risk, Severity, SheetOutcome, Status,
};
use tipaudit::report::annotate::{AnnotatedWriter, SheetLayout};
use tipaudit::report::text::CUT_MARKER;

fn cell(col: u32, value: Value) -> Cell {
    Cell {
        col,
        value,
        formula: None,
    }
}

fn text(col: u32, s: &str) -> Cell {
    cell(col, Value::Text(s.to_string()))
}

fn formula(col: u32, f: &str, value: Value) -> Cell {
    Cell {
        col,
        value,
        formula: Some(f.to_string()),
    }
}

fn date(y: i32, m: u32, d: u32) -> Value {
    Value::DateTime(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    )
}

fn finding(rule: &str, severity: Severity, col: Option<u32>) -> Finding {
    Finding {
        rule: rule.into(),
        kind: if rule.starts_with("DATA") {
            "data_issue".into()
        } else {
            "missing_clause".into()
        },
        severity,
        message: format!("{rule} message"),
        cite: "FAR 22.1705(a)(1)".into(),
        column: col.map(|_| "Clauses".into()),
        fix: "Insert 52.222-50 (OCT 2025)".into(),
        col_index: col,
        page: None,
        line: None,
    }
}

const INJECTIONS: [&str; 6] = ["=1+1", "+SUM(A1)", "-2", "@x", "\tfoo", "\rbar"];

/// The fixture: a title row merged over the header, a header, records of every value kind.
fn contract_rows() -> Vec<Row> {
    let long = "L".repeat(40_000);
    vec![
        Row {
            index: 0,
            cells: vec![text(0, "FY2025 Portfolio")],
        },
        Row {
            index: 1,
            cells: vec![
                text(0, "Contract Number"),
                text(1, "Award Date"),
                text(2, "Value"),
                text(3, "Clauses"),
                text(4, "COTS"),
                text(5, "Doubled"),
                text(6, "Notes"),
            ],
        },
        Row {
            index: 2,
            cells: vec![
                text(0, "W911QY-24-C-0001"),
                cell(1, date(2024, 3, 15)),
                cell(2, Value::Float(1_250_000.5)),
                text(3, "52.212-4"),
                cell(4, Value::Bool(false)),
                formula(5, "C3*2", Value::Float(2_500_001.0)),
                text(6, INJECTIONS[0]),
            ],
        },
        Row {
            index: 3,
            cells: vec![
                text(0, "W911QY-24-C-0002"),
                cell(
                    1,
                    Value::DateTime(
                        NaiveDate::from_ymd_opt(2025, 11, 2)
                            .unwrap()
                            .and_hms_opt(13, 30, 0)
                            .unwrap(),
                    ),
                ),
                cell(2, Value::Int(700_000)),
                text(3, "52.222-50 (OCT 2025)"),
                cell(4, Value::Bool(true)),
                formula(5, "C4>0", Value::Bool(true)),
                text(6, INJECTIONS[1]),
            ],
        },
        Row {
            index: 4,
            cells: vec![
                text(0, "W911QY-24-C-0003"),
                cell(1, Value::Error("#N/A".into())),
                formula(2, "\"x\"&\"y\"", Value::Text("xy".into())),
                formula(5, "B3+1", date(2024, 3, 16)),
                text(6, INJECTIONS[2]),
            ],
        },
        // Row 6 is a record whose notes cell (G) is merged down over row 7.
        Row {
            index: 5,
            cells: vec![
                text(0, "W911QY-24-C-0004"),
                cell(2, Value::Float(-3.25)),
                text(6, "merged note"),
            ],
        },
        Row {
            index: 7,
            cells: vec![text(0, "W911QY-24-C-0005"), text(6, INJECTIONS[3])],
        },
        Row {
            index: 8,
            cells: vec![
                text(0, "W911QY-24-C-0006"),
                text(3, &long),
                text(6, INJECTIONS[4]),
            ],
        },
        Row {
            index: 9,
            cells: vec![text(0, "W911QY-24-C-0007"), text(6, INJECTIONS[5])],
        },
    ]
}

fn contract_merges() -> Vec<Merge> {
    vec![
        Merge {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 3,
        },
        Merge {
            first_row: 5,
            first_col: 6,
            last_row: 6,
            last_col: 6,
        },
        // Overlaps the title merge: dropped and said so.
        Merge {
            first_row: 0,
            first_col: 2,
            last_row: 1,
            last_col: 2,
        },
    ]
}

fn result(row0: u32, id: &str, status: Status, findings: Vec<Finding>) -> RecordResult {
    RecordResult {
        file: "portfolio.xlsx".into(),
        sheet: "Contracts".into(),
        row: row0 + 1,
        contract_id: id.into(),
        modification: None,
        parent_id: None,
        transaction: None,
        status,
        risk: Risk::None,
        risk_categories: vec![],
        findings,
        clause_sources: vec![],
        agency: Some("Department of the Army".into()),
        office: Some("ACC-APG".into()),
        vendor: Some("Acme <Textiles> & Co".into()),
        value: Some(1_250_000.5),
    }
}

fn contract_results() -> Vec<RecordResult> {
    vec![
        result(
            2,
            "W911QY-24-C-0001",
            Status::Gaps,
            vec![
                finding("TIP001", Severity::High, Some(3)),
                finding("TIP004", Severity::High, None),
            ],
        ),
        result(3, "W911QY-24-C-0002", Status::Compliant, vec![]),
        result(
            4,
            "W911QY-24-C-0003",
            Status::Incomplete,
            vec![finding("DATA001", Severity::Medium, Some(1))],
        ),
        result(
            5,
            "W911QY-24-C-0004",
            Status::Review,
            vec![
                finding("TIP006", Severity::Low, Some(3)),
                finding("TIP005", Severity::Low, Some(3)),
            ],
        ),
        result(7, "W911QY-24-C-0005", Status::Compliant, vec![]),
        result(8, "W911QY-24-C-0006", Status::Compliant, vec![]),
        result(9, "W911QY-24-C-0007", Status::Compliant, vec![]),
    ]
}

/// Sheets named like the writer's own sheets, to force non-clashing names.
fn other_rows() -> Vec<Row> {
    vec![
        Row {
            index: 0,
            cells: vec![text(0, "Lookup"), text(1, "Code")],
        },
        Row {
            index: 1,
            cells: vec![text(0, "apparel"), cell(1, Value::Int(8415))],
        },
    ]
}

fn file_outcome(annotated: &Path) -> FileOutcome {
    FileOutcome {
        file: "portfolio.xlsx".into(),
        error: None,
        sheets: vec![
            SheetOutcome {
                name: "Contracts".into(),
                audited: true,
                header_row: Some(1),
                records: 7,
                note: None,
                evidence: Vec::new(),
                no_clause_data: 0,
            },
            SheetOutcome {
                name: "Findings".into(),
                audited: false,
                header_row: None,
                records: 0,
                note: Some("not audited: no contract id column".into()),
                evidence: Vec::new(),
                no_clause_data: 0,
            },
            SheetOutcome {
                name: "Summary".into(),
                audited: false,
                header_row: None,
                records: 0,
                note: Some("not audited: no contract id column".into()),
                evidence: Vec::new(),
                no_clause_data: 0,
            },
        ],
        results: contract_results(),
        records: 7,
        annotated: Some(annotated.to_path_buf()),
    }
}

fn write_fixture(out: &Path) {
    let outcome = file_outcome(out);
    let mut w = AnnotatedWriter::create(out).unwrap();
    let layout = SheetLayout {
        header_row: 1,
        last_col: 6,
        id_col: Some(0),
    };
    w.start_sheet("Contracts", Some(&layout), &contract_merges(), None)
        .unwrap();
    let results = contract_results();
    for row in contract_rows() {
        let r = results.iter().find(|r| r.row == row.index + 1);
        w.write_row(&row, r).unwrap();
    }
    w.end_sheet().unwrap();
    for name in ["Findings", "Summary"] {
        w.start_sheet(name, None, &[], Some("not audited: no contract id column"))
            .unwrap();
        for row in other_rows() {
            w.write_row(&row, None).unwrap();
        }
        w.end_sheet().unwrap();
    }
    w.finish(&outcome).unwrap();
}

fn zip_entries(path: &Path) -> Vec<(String, String)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        let name = f.name().unwrap().to_string();
        if name.ends_with(".xml") || name.ends_with(".vml") || name.ends_with(".rels") {
            f.read_to_string(&mut s).unwrap();
        }
        out.push((name, s));
    }
    out
}

/// Compare one original value with what calamine reads back.
fn assert_same(orig: &Value, got: &Data, at: &str) {
    match orig {
        Value::Text(s) | Value::Error(s) => {
            let Data::String(g) = got else {
                panic!("{at}: expected text {s:?}, got {got:?}")
            };
            if s.chars().count() > 32_767 {
                assert!(g.ends_with(CUT_MARKER), "{at}: no cut marker");
                assert!(s.starts_with(g.trim_end_matches(CUT_MARKER)), "{at}");
            } else {
                assert_eq!(g, s, "{at}");
            }
        }
        Value::Int(i) => assert_eq!(got.as_f64(), Some(*i as f64), "{at}"),
        Value::Float(f) => assert_eq!(got.as_f64(), Some(*f), "{at}"),
        Value::Bool(b) => assert_eq!(got, &Data::Bool(*b), "{at}"),
        Value::DateTime(d) => {
            assert!(
                matches!(got, Data::DateTime(_)),
                "{at}: not a date: {got:?}"
            );
            assert_eq!(got.as_datetime(), Some(*d), "{at}");
        }
        Value::Empty => assert_eq!(got, &Data::Empty, "{at}"),
    }
}

#[test]
fn annotated_copy_carries_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("portfolio.audited.xlsx");
    write_fixture(&out);
    // Only the output: no temporary file left next to it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["portfolio.audited.xlsx".to_string()]);

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "Contracts",
            "Findings",
            "Summary",
            "Summary (2)",
            "Findings (2)"
        ]
    );
    let range = wb.worksheet_range("Contracts").unwrap();
    let formulas = wb.worksheet_formula("Contracts").unwrap();
    for row in contract_rows() {
        for c in &row.cells {
            let at = format!("Contracts r{} c{}", row.index, c.col);
            let got = range
                .get_value((row.index, c.col))
                .cloned()
                .unwrap_or(Data::Empty);
            match (&c.formula, &c.value) {
                // Formula results: rust_xlsxwriter stores numbers, bools and text; a date
                // result is a number with a date format.
                (Some(f), v) => {
                    let fgot = formulas
                        .get_value((row.index, c.col))
                        .cloned()
                        .unwrap_or_default();
                    assert_eq!(&fgot, f, "{at}: formula");
                    match v {
                        Value::DateTime(d) => assert_eq!(got.as_datetime(), Some(*d), "{at}"),
                        _ => assert_same(v, &got, &at),
                    }
                }
                (None, v) => assert_same(v, &got, &at),
            }
        }
    }
    // The added columns sit after the last original column, in the header row.
    for (i, h) in ["Audit Status", "Risk", "Findings", "Rule IDs"]
        .iter()
        .enumerate()
    {
        assert_eq!(
            range.get_value((1, 7 + i as u32)),
            Some(&Data::String(h.to_string()))
        );
    }
    assert_eq!(range.get_value((2, 7)), Some(&Data::String("gaps".into())));
    assert_eq!(
        range.get_value((2, 10)),
        Some(&Data::String("TIP001, TIP004".into()))
    );
    assert_eq!(
        range.get_value((3, 7)),
        Some(&Data::String("compliant".into()))
    );
    assert_eq!(
        range.get_value((4, 7)),
        Some(&Data::String("incomplete".into()))
    );

    // Merges: the two valid ones are carried, the overlapping one is not.
    let merges = wb.merge_cells_by_sheet_name("Contracts").unwrap();
    let mut got: Vec<_> = merges.iter().map(|d| (d.start, d.end)).collect();
    got.sort();
    assert_eq!(got, vec![((0, 0), (0, 3)), ((5, 6), (6, 6))]);

    // Sheets copied as-is keep their values too.
    for name in ["Findings", "Summary"] {
        let r = wb.worksheet_range(name).unwrap();
        for row in other_rows() {
            for c in &row.cells {
                let got = r.get_value((row.index, c.col)).cloned().unwrap_or_default();
                assert_same(&c.value, &got, name);
            }
        }
    }

    // The Findings sheet: a header and one row per finding.
    let f = wb.worksheet_range("Findings (2)").unwrap();
    let total: usize = contract_results().iter().map(|r| r.findings.len()).sum();
    assert_eq!(f.height(), total + 1);
    assert_eq!(f.get_value((1, 2)), Some(&Data::String("D3".into())));
    // TIP004 has no cell: it points to the Findings column of its row.
    assert_eq!(f.get_value((2, 2)), Some(&Data::String("J3".into())));
}

#[test]
fn injection_strings_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.audited.xlsx");
    write_fixture(&out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range("Contracts").unwrap();
    let formulas = wb.worksheet_formula("Contracts").unwrap();
    let mut seen = 0;
    for row in contract_rows() {
        for c in row.cells.iter().filter(|c| c.col == 6) {
            if let Value::Text(s) = &c.value
                && INJECTIONS.contains(&s.as_str())
            {
                assert_eq!(
                    range.get_value((row.index, 6)),
                    Some(&Data::String(s.clone()))
                );
                let f = formulas
                    .get_value((row.index, 6))
                    .cloned()
                    .unwrap_or_default();
                assert!(f.is_empty(), "{s:?} became formula {f:?}");
                seen += 1;
            }
        }
    }
    assert_eq!(seen, INJECTIONS.len());
    // Excel's own "this is text" flag is on their format.
    let styles = zip_entries(&out)
        .into_iter()
        .find(|(n, _)| n == "xl/styles.xml")
        .unwrap()
        .1;
    assert!(styles.contains("quotePrefix=\"1\""));
}

#[test]
fn notes_and_links_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.audited.xlsx");
    write_fixture(&out);
    let entries = zip_entries(&out);
    let comments: usize = entries
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, x)| x.matches("<comment ").count())
        .sum();
    // 4 header notes; row 3: D (TIP001) and the Findings cell (TIP004); row 5: B (DATA001,
    // medium); A1 of the two sheets not audited. Row 6's TIP005 and TIP006 are low: no note.
    assert_eq!(comments, 4 + 2 + 1 + 2);
    let sheet1 = &entries
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap()
        .1;
    assert!(sheet1.contains("<autoFilter ref=\"A2:K10\""), "autofilter");
    assert!(sheet1.contains("state=\"frozen\""), "frozen header");
    assert!(sheet1.contains("<cols>"), "column widths");
    // The status fill: one conditional format per status over the record rows (3 to 10,
    // A to the Rule IDs column), keyed on the row's Audit Status cell (H); and the Risk
    // column coloured by its own value (one rule per level).
    assert_eq!(
        sheet1.matches("<conditionalFormatting ").count(),
        2,
        "{sheet1}"
    );
    assert!(sheet1.contains("<conditionalFormatting sqref=\"A3:K10\">"));
    assert!(sheet1.contains("<conditionalFormatting sqref=\"I3:I10\">"));
    assert_eq!(sheet1.matches("<cfRule ").count(), 4 + 3);
    for status in ["gaps", "incomplete", "review", "compliant"] {
        let rule = format!("<formula>$H3=\"{status}\"</formula>");
        assert!(sheet1.contains(&rule), "no rule for {status}");
    }
    // No cell of a record row carries a fill of its own: every style it uses has fill 0.
    let styles = &entries
        .iter()
        .find(|(n, _)| n == "xl/styles.xml")
        .unwrap()
        .1;
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let fill_of: Vec<String> = xfs
        .split("<xf ")
        .skip(1)
        .map(|x| attr(x, "fillId").unwrap_or("0").to_string())
        .collect();
    assert!(
        fill_of.iter().any(|f| f != "0"),
        "the header keeps its fill"
    );
    // The four status fills (and the three Risk colours) are differential formats.
    let dxfs = &styles[styles.find("<dxfs").unwrap()..styles.find("</dxfs>").unwrap()];
    assert_eq!(dxfs.matches("<dxf>").count(), 4 + 3, "{dxfs}");
    assert_eq!(dxfs.matches("<fill>").count(), 4, "{dxfs}");
    assert!(dxfs.contains("F8CBAD"), "{dxfs}");
    for r in [3, 4, 5, 6, 8, 9, 10] {
        let start = sheet1.find(&format!("<row r=\"{r}\"")).unwrap();
        let row = &sheet1[start..start + sheet1[start..].find("</row>").unwrap()];
        assert!(row.contains(&format!("<c r=\"A{r}\"")), "row {r}: {row}");
        for c in row.split("<c ").skip(1) {
            let tag = &c[..c.find('>').unwrap()];
            if let Some(s) = attr(tag, "s") {
                let i: usize = s.parse().unwrap();
                assert_eq!(fill_of[i], "0", "row {r}: filled cell {tag}");
            }
        }
    }
    if let Some(d) = std::env::var_os("TIPAUDIT_REPORT_DIR") {
        std::fs::copy(
            &out,
            std::path::Path::new(&d).join("portfolio.audited.xlsx"),
        )
        .unwrap();
    }
    // Findings sheet (5th): one internal link per finding.
    let rels: usize = entries
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet5.xml")
        .map(|(_, x)| x.matches("<hyperlink ").count())
        .unwrap();
    assert_eq!(rels, 5);
    let sheet5 = &entries
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet5.xml")
        .unwrap()
        .1;
    assert!(sheet5.contains("location=\"'Contracts'!D3\""));
}

/// The value of attribute `name` in an XML start tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn dropped_writer_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.audited.xlsx");
    {
        let mut w = AnnotatedWriter::create(&out).unwrap();
        w.start_sheet("Contracts", None, &[], None).unwrap();
        for row in contract_rows() {
            w.write_row(&row, None).unwrap();
        }
        // Dropped without finish, as after an error in the caller.
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn rows_out_of_order_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.audited.xlsx");
    let mut w = AnnotatedWriter::create(&out).unwrap();
    w.start_sheet("S", None, &[], None).unwrap();
    let rows = contract_rows();
    w.write_row(&rows[3], None).unwrap();
    assert!(w.write_row(&rows[2], None).is_err());
    drop(w);
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------------
// The portfolio reports, from a batch built in code.
// ---------------------------------------------------------------------------------------

fn portfolio_finding(rule: &str, kind: &str, severity: Severity, msg: &str) -> Finding {
    Finding {
        rule: rule.into(),
        kind: kind.into(),
        severity,
        message: msg.into(),
        cite: "FAR 22.1705".into(),
        column: None,
        fix: "see tipaudit explain".into(),
        col_index: None,
        page: None,
        line: None,
    }
}

/// A small portfolio: three agencies, a handful of vendors (one with markup in its name),
/// every status and risk level, two files audited and one that failed.
fn sample_batch() -> Sample {
    let agencies = [
        ("Department of the Army", "ACC-APG"),
        ("Department of State", "AQM Momentum"),
        ("General Services Administration", "FAS Region 4"),
    ];
    let vendors = [
        "Acme Uniform Supply LLC",
        "<script>alert(1)</script> Textiles",
        "Global Solar Components Inc",
        "Harbor Logistics & Security",
        "Pacific Seafood Traders",
    ];
    let cats = [
        vec!["apparel".to_string()],
        vec!["polysilicon".to_string(), "solar panels".to_string()],
        vec![],
        vec!["seafood".to_string()],
        vec![],
    ];
    let mut files = Vec::new();
    let mut n = 0u32;
    for (fi, fname) in ["portfolio/army-fy25.xlsx", "portfolio/state-overseas.xlsx"]
        .iter()
        .enumerate()
    {
        let mut results = Vec::new();
        for i in 0..24u32 {
            n += 1;
            let (agency, office) = agencies[((i + fi as u32) % 3) as usize];
            let v = (i as usize * 7 + fi) % vendors.len();
            let mut findings = Vec::new();
            match n % 6 {
                0 => findings.push(portfolio_finding(
                    "TIP001",
                    "missing_clause",
                    Severity::High,
                    "52.222-50 Combating Trafficking in Persons is not cited",
                )),
                1 => {
                    findings.push(portfolio_finding("TIP004", "missing_evidence", Severity::High,
                        "No compliance plan or certification on file although $1,200,000 may be performed outside the US"));
                    findings.push(portfolio_finding(
                        "TIP002",
                        "wrong_alternate",
                        Severity::High,
                        "52.222-50 Alternate I missing for work in Jordan",
                    ));
                }
                2 => findings.push(portfolio_finding(
                    "DATA001",
                    "data_issue",
                    Severity::Medium,
                    "Value is blank: the plan threshold cannot be checked",
                )),
                3 => findings.push(portfolio_finding(
                    "TIP006",
                    "incorporated_by_reference",
                    Severity::Low,
                    "52.222-50 is reached only through 52.212-5: confirm its box is checked",
                )),
                4 => findings.push(portfolio_finding(
                    "DATA002",
                    "data_issue",
                    Severity::Info,
                    "Clause reference \"52.222.50\" read as 52.222-50",
                )),
                _ => {}
            }
            if !cats[v].is_empty() {
                let sev = if v == 1 {
                    Severity::High
                } else {
                    Severity::Medium
                };
                findings.push(portfolio_finding(
                    "RISK001",
                    "high_risk_goods",
                    sev,
                    &format!("Description matches high-risk category {}", cats[v][0]),
                ));
            }
            let status = tipaudit::model::status_of(&findings);
            let risk = tipaudit::model::risk_of(&findings);
            results.push(RecordResult {
                file: fname.to_string(),
                sheet: "Contracts".into(),
                row: i + 2,
                contract_id: format!("W911QY-25-C-{n:04}"),
                modification: None,
                parent_id: None,
                transaction: None,
                status,
                risk,
                risk_categories: if risk == Risk::None {
                    vec![]
                } else {
                    cats[v].clone()
                },
                findings,
                clause_sources: vec![],
                agency: Some(agency.into()),
                office: Some(office.into()),
                vendor: Some(vendors[v].into()),
                value: Some(250_000.0 * f64::from(i % 7 + 1)),
            });
        }
        files.push(FileOutcome {
            file: fname.to_string(),
            error: None,
            sheets: vec![
                SheetOutcome {
                    name: "Contracts".into(),
                    audited: true,
                    header_row: Some(0),
                    records: results.len(),
                    note: None,
                    evidence: Vec::new(),
                    no_clause_data: 0,
                },
                SheetOutcome {
                    name: "Lookups".into(),
                    audited: false,
                    header_row: None,
                    records: 0,
                    note: Some("not audited: no contract id column".into()),
                    evidence: Vec::new(),
                    no_clause_data: 0,
                },
            ],
            results,
            records: 0,
            annotated: None,
        });
    }
    files.push(FileOutcome {
        file: "portfolio/broken.xlsx".into(),
        error: Some("not a valid xlsx file: invalid Zip archive".into()),
        sheets: vec![],
        results: vec![],
        records: 0,
        annotated: None,
    });
    into_batch(files)
}

/// A batch as the run leaves it: records streamed to findings.jsonl, files without results.
struct Sample {
    batch: BatchOutcome,
    records: Vec<RecordResult>,
    _dir: tempfile::TempDir,
}

fn into_batch(mut files: Vec<FileOutcome>) -> Sample {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("findings.jsonl");
    let mut tally = tipaudit::model::Tally::default();
    let mut text = String::new();
    let mut records = Vec::new();
    for f in &mut files {
        f.records = f.results.len();
        for r in f.results.drain(..) {
            tally.add(&r);
            text.push_str(&serde_json::to_string(&r).unwrap());
            text.push('\n');
            records.push(r);
        }
    }
    std::fs::write(&findings, text).unwrap();
    Sample {
        batch: BatchOutcome {
            files,
            skipped_files: 2,
            as_of: "2026-11-23".into(),
            rules_origin: "built-in".into(),
            tally,
            findings,
            practices_unchecked: Vec::new(),
            evidence: Default::default(),
        },
        records,
        _dir: dir,
    }
}

/// Set TIPAUDIT_REPORT_DIR to keep the sample reports (for screenshots and eyeballing).
fn report_dir() -> (Option<tempfile::TempDir>, std::path::PathBuf) {
    match std::env::var_os("TIPAUDIT_REPORT_DIR") {
        Some(d) => {
            std::fs::create_dir_all(&d).unwrap();
            (None, d.into())
        }
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

#[test]
fn gap_report_has_tables_charts_and_print_setup() {
    let sample = sample_batch();
    let batch = &sample.batch;
    let (_keep, dir) = report_dir();
    let path = dir.join("gap-report.xlsx");
    tipaudit::report::gap::write_gap_report(&path, batch).unwrap();

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "Work list",
            "Overview",
            "Gaps by rule",
            "By agency",
            "By vendor",
            "By file",
            "Risk categories",
            "Top-risk records",
            "Gap records",
            "Data issues",
            "Not audited"
        ]
    );
    // Status counts on the Overview match the batch.
    let ov = wb.worksheet_range("Overview").unwrap();
    let mut found = 0;
    for (i, s) in [
        Status::Gaps,
        Status::Incomplete,
        Status::Review,
        Status::Compliant,
    ]
    .iter()
    .enumerate()
    {
        let want = sample.records.iter().filter(|r| r.status == *s).count() as f64;
        for row in ov.rows() {
            if row.first() == Some(&Data::String(s.as_str().into())) {
                assert_eq!(row[1].as_f64(), Some(want), "{s:?}");
                found += 1;
            }
        }
        let _ = i;
    }
    assert_eq!(found, 4);
    // One row per gap record, below the title and header.
    let gaps = wb.worksheet_range("Gap records").unwrap();
    let n_gaps = sample
        .records
        .iter()
        .filter(|r| r.status == Status::Gaps)
        .count();
    assert_eq!(gaps.height(), 4 + n_gaps);
    // Markup in a vendor name is just text in a cell.
    let vendors = wb.worksheet_range("By vendor").unwrap();
    assert!(
        vendors
            .rows()
            .any(|r| r[0] == Data::String("<script>alert(1)</script> Textiles".into()))
    );
    let not_audited = wb.worksheet_range("Not audited").unwrap();
    assert!(
        not_audited
            .rows()
            .any(|r| r[0] == Data::String("portfolio/broken.xlsx".into()))
    );

    let entries = zip_entries(&path);
    let charts = entries
        .iter()
        .filter(|(n, _)| n.starts_with("xl/charts/chart"))
        .count();
    assert_eq!(charts, 4, "status, risk, rules, categories");
    let workbook = &entries
        .iter()
        .find(|(n, _)| n == "xl/workbook.xml")
        .unwrap()
        .1;
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "repeat header rows"
    );
    let sheet2 = &entries
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap()
        .1;
    assert!(sheet2.contains("orientation=\"landscape\""));
    assert!(sheet2.contains("fitToHeight=\"0\""));
}

#[test]
fn html_is_self_contained_escaped_and_deterministic() {
    let sample = sample_batch();
    let batch = &sample.batch;
    let (_keep, dir) = report_dir();
    let path = dir.join("report.html");
    tipaudit::report::html::write_html(&path, batch).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    assert_eq!(html, tipaudit::report::html::render_html(batch));

    let lower = html.to_lowercase();
    for bad in [
        "http://", "https://", "<link", "src=", "@import", "url(", "//cdn",
    ] {
        assert!(!lower.contains(bad), "external reference: {bad}");
    }
    // The only script is the inline one.
    assert_eq!(lower.matches("<script").count(), 1);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Textiles"));
    assert!(html.contains("2026-11-23"));
    // The gap table lists every gap record, as plain HTML rows.
    let n_gaps = sample
        .records
        .iter()
        .filter(|r| r.status == Status::Gaps)
        .count();
    let table = html.split("id=\"gaps\"").nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr data-risk=").count(), n_gaps);
    // Failed input and sheet not audited are reported.
    assert!(html.contains("portfolio/broken.xlsx"));
    assert!(html.contains("not audited: no contract id column"));
}

#[test]
fn template_headers_notes_and_dropdowns() {
    use tipaudit::report::template::{COLUMNS, write_template};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    write_template(&path, true).unwrap();

    // Every canonical header is a synonym tipaudit recognises (same folding as the reader).
    let fields: toml::Table = toml::from_str(include_str!("../clauses/fields.toml")).unwrap();
    let fields = fields["fields"].as_table().unwrap();
    let fold = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    for c in COLUMNS.iter().filter(|c| c.field != "evidence") {
        let syn = fields[c.field].as_array().unwrap();
        assert!(
            syn.iter()
                .any(|s| fold(s.as_str().unwrap()) == fold(c.header)),
            "{} is not a synonym of {}",
            c.header,
            c.field
        );
    }

    // Every evidence header is one the practices list maps to an evidence field.
    let practices: toml::Table = toml::from_str(include_str!("../clauses/practices.toml")).unwrap();
    let evidence_headers: Vec<String> = practices["practice"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["evidence"].as_array().unwrap().iter())
        .flat_map(|e| e["headers"].as_array().unwrap().iter())
        .map(|h| fold(h.as_str().unwrap()))
        .collect();
    for c in COLUMNS.iter().filter(|c| c.field == "evidence") {
        assert!(
            evidence_headers.contains(&fold(c.header)),
            "{} is not an evidence header in practices.toml",
            c.header
        );
    }

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let r = wb.worksheet_range("Contracts").unwrap();
    for (i, c) in COLUMNS.iter().enumerate() {
        assert_eq!(
            r.get_value((0, i as u32)),
            Some(&Data::String(c.header.into()))
        );
        assert!(
            !r.get_value((1, i as u32)).unwrap().is_empty(),
            "example for {}",
            c.header
        );
    }
    let entries = zip_entries(&path);
    let comments: usize = entries
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, x)| x.matches("<comment ").count())
        .sum();
    assert_eq!(comments, COLUMNS.len());
    let sheet1 = &entries
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap()
        .1;
    assert!(sheet1.contains("&quot;yes,no&quot;") || sheet1.contains("\"yes,no\""));
    assert!(sheet1.contains("solicitation,contract,order,modification"));
    let dv = sheet1.matches("<dataValidation ").count();
    let expected = COLUMNS
        .iter()
        .filter(|c| c.kind != tipaudit::report::template::Kind::Text)
        .count();
    assert_eq!(dv, expected);
}

#[test]
fn gap_report_is_byte_identical_between_runs() {
    let sample = sample_batch();
    let batch = &sample.batch;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    tipaudit::report::gap::write_gap_report(&a, batch).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    tipaudit::report::gap::write_gap_report(&b, batch).unwrap();
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&a).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "outputs are readable like any user file");
    }
}

//! The spine end to end: every layout, the parsers' traps through the binary, row numbers,
//! exit codes, determinism.

mod common;
use common::*;

const HEADER: [C; 5] = [
    S("Contract Number"),
    S("Award Date"),
    S("Estimated Value"),
    S("Place of Performance"),
    S("Clauses"),
];

fn contract(id: &'static str, clauses: &'static str) -> Vec<C> {
    vec![S(id), D(2025, 3, 1), N(100_000.0), S("USA"), S(clauses)]
}

#[test]
fn clean_layout_rows_and_tip001() {
    let dir = tmp();
    let input = path(&dir, "portfolio.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "Contracts",
            vec![
                HEADER.to_vec(),
                contract("A-1", "52.222-50 (OCT 2025); 52.204-25"),
                contract("A-2", "52.204-25; 52.222-19"),
            ],
        )],
    );
    let out = path(&dir, "out");
    let (code, stdout, _) = audit(&[&input], &out, &[]);
    assert_eq!(code, 1, "a high finding exits 1: {stdout}");
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 2);
    let a1 = record(&recs, "A-1");
    assert_eq!(a1["row"], 2);
    assert_eq!(a1["sheet"], "Contracts");
    assert!(!rules_of(a1).contains(&"TIP001".to_string()));
    let a2 = record(&recs, "A-2");
    assert_eq!(a2["row"], 3);
    assert_eq!(a2["status"], "gaps");
    let tip = a2["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "TIP001")
        .expect("TIP001 on A-2");
    assert_eq!(tip["kind"], "missing_clause");
    assert_eq!(tip["severity"], "high");
    assert_eq!(tip["cite"], "FAR 22.1705(a)(1)");
    assert_eq!(tip["column"], "Clauses");
    assert!(tip["fix"].as_str().unwrap().contains("52.222-50"));
    assert!(stdout.contains("gaps"), "summary table on stdout: {stdout}");
}

#[test]
fn jsonl_schema_field_order() {
    let dir = tmp();
    let input = path(&dir, "p.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "S",
            vec![HEADER.to_vec(), contract("X-1", "52.204-25")],
        )],
    );
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let line = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    let first = line.lines().next().unwrap();
    let keys = [
        "\"file\"",
        "\"sheet\"",
        "\"row\"",
        "\"contract_id\"",
        "\"status\"",
        "\"risk\"",
        "\"risk_categories\"",
        "\"findings\"",
    ];
    let mut at = 0;
    for k in keys {
        let pos = first[at..]
            .find(k)
            .unwrap_or_else(|| panic!("{k} missing or out of order in {first}"));
        at += pos;
    }
    let v: serde_json::Value = serde_json::from_str(first).unwrap();
    assert_eq!(v["file"], input.display().to_string());
    let f = &v["findings"][0];
    for k in ["rule", "kind", "severity", "message", "cite", "fix"] {
        assert!(f.get(k).is_some(), "finding lacks {k}: {f}");
    }
}

#[test]
fn title_rows_merged_group_header_and_long_form_clauses() {
    let dir = tmp();
    let input = path(&dir, "register.xlsx");
    let mut awards = sheet(
        "Awards",
        vec![
            vec![S("Region 4 FY2025 award register")],
            vec![S("Prepared for the TIP point of contact")],
            vec![S("Award"), E, E, S("Place")],
            vec![
                S("Award Number"),
                S("Award Date"),
                S("Estimated Value"),
                S("Place of Performance"),
            ],
            vec![S("R-1"), D(2025, 2, 1), N(50_000.0), S("Georgia")],
            vec![S("R-2"), D(2025, 2, 1), N(50_000.0), S("Georgia")],
        ],
    );
    awards.merges.push((2, 0, 2, 2, "Award"));
    let clauses = sheet(
        "Clauses",
        vec![
            vec![S("Contract Number"), S("Clause"), S("Alternate")],
            vec![S("R-1"), S("52.222-50"), E],
            vec![S("r-1"), S("52.204-25"), E],
            vec![S("R-2"), S("52.204-25"), E],
        ],
    );
    let notes = sheet("Notes", vec![vec![S("Free text, no header here")]]);
    write_xlsx(&input, &[awards, clauses, notes]);
    let out = path(&dir, "out");
    let (_, stdout, _) = audit(&[&input], &out, &["--format", "json"]);
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 2, "only the Awards sheet holds records");
    let r1 = record(&recs, "R-1");
    assert_eq!(r1["row"], 5, "row number as the spreadsheet shows it");
    assert!(
        !rules_of(r1).contains(&"TIP001".into()),
        "joined from the clause sheet"
    );
    let r2 = record(&recs, "R-2");
    assert!(rules_of(r2).contains(&"TIP001".into()));
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["records"], 2);
}

#[test]
fn wide_form_one_column_per_clause() {
    let dir = tmp();
    let input = path(&dir, "wide.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "Matrix",
            vec![
                vec![S("PIID"), S("Award Date"), S("52.222-50"), S("52.204-25")],
                vec![S("W-1"), D(2025, 1, 1), S("Y"), S("Y")],
                vec![S("W-2"), D(2025, 1, 1), S("N"), S("Y")],
                vec![S("W-3"), D(2025, 1, 1), D(2025, 1, 1), E],
                vec![S("W-4"), D(2025, 1, 1), B(true), E],
            ],
        )],
    );
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    let tip = |id| rules_of(record(&recs, id)).contains(&"TIP001".to_string());
    assert!(!tip("W-1"));
    assert!(tip("W-2"), "N means not cited");
    assert!(!tip("W-3"), "a date means cited");
    assert!(!tip("W-4"), "TRUE means cited");
}

#[test]
fn csv_with_bom_quoted_newline_and_record_numbers() {
    let dir = tmp();
    let input = path(&dir, "sols.csv");
    let text = "\u{feff}Solicitation Number,Issue Date,Estimated Value,Place of Performance,Section I\n\
        S-1,2026-01-12,\"$185,000\",Texas,\"52.222-50 (OCT 2025)\nsecond line 52.204-24\"\n\
        S-2,1/15/2026,700K,Texas,52.204-24\n";
    std::fs::write(&input, text).unwrap();
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 2, "BOM header still found");
    assert_eq!(record(&recs, "S-1")["row"], 2);
    assert_eq!(
        record(&recs, "S-2")["row"],
        3,
        "a quoted line break does not start a new row"
    );
    assert!(!rules_of(record(&recs, "S-1")).contains(&"TIP001".into()));
    assert!(rules_of(record(&recs, "S-2")).contains(&"TIP001".into()));
}

#[test]
fn clause_reference_traps_through_the_binary() {
    let dir = tmp();
    let input = path(&dir, "traps.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "S",
            vec![
                HEADER.to_vec(),
                contract("T-drug", "drug trafficking interdiction support"),
                contract("T-500", "52.222-500"),
                contract("T-dfars", "252.222-50"),
                contract("T-dot", "52.222.50"),
                contract("T-short", "52.22-50"),
                contract("T-far", "FAR 52.222-50"),
                contract("T-alt", "52.222-50, Alt. I"),
                contract("T-date", "52.222-50 (MAR 2015)"),
            ],
        )],
    );
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    let has = |id, rule: &str| rules_of(record(&recs, id)).contains(&rule.to_string());
    assert!(has("T-drug", "TIP001"), "drug trafficking is not a clause");
    assert!(has("T-500", "TIP001"), "52.222-500 is not 52.222-50");
    assert!(has("T-dfars", "TIP001"), "252.222-50 is not 52.222-50");
    for id in ["T-dot", "T-short"] {
        assert!(!has(id, "TIP001"), "{id} normalised to 52.222-50");
        assert!(has(id, "DATA002"), "{id} normalisation reported");
    }
    for id in ["T-far", "T-alt", "T-date"] {
        assert!(!has(id, "TIP001"), "{id} cites 52.222-50");
        assert!(!has(id, "DATA002"), "{id} is well formed");
    }
}

#[test]
fn fpds_coded_cells_and_mapping_override() {
    let dir = tmp();
    let input = path(&dir, "fpds.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "Export",
            vec![
                vec![
                    S("Ref"),
                    S("signedDate"),
                    S("baseAndAllOptionsValue"),
                    S("countryOfOrigin"),
                    S("productOrServiceCode"),
                    S("principalNAICSCode"),
                    S("Clauses"),
                ],
                vec![
                    S("F-1"),
                    S("2025-03-14 00:00:00"),
                    S("2450000.0000"),
                    S("CHN: CHINA"),
                    S("8415: CLOTHING, SPECIAL PURPOSE"),
                    N(315220.0),
                    S("52.222-50"),
                ],
            ],
        )],
    );
    let out = path(&dir, "out");
    // "Ref" is no known contract-id name: without a mapping the sheet is not audited.
    audit(&[&input], &out, &[]);
    assert!(jsonl(&out).is_empty());
    let mapping = path(&dir, "map.toml");
    std::fs::write(&mapping, "contract_id = \"Ref\"\n").unwrap();
    audit(&[&input], &out, &["--mapping", mapping.to_str().unwrap()]);
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["contract_id"], "F-1");

    std::fs::write(&mapping, "contract_number = \"Ref\"\n").unwrap();
    let (code, _, stderr) = audit(&[&input], &out, &["--mapping", mapping.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown field 'contract_number'"),
        "{stderr}"
    );
}

#[test]
fn exit_codes_and_bad_inputs_do_not_stop_the_batch() {
    let dir = tmp();
    let good = path(&dir, "good.xlsx");
    write_xlsx(
        &good,
        &[sheet(
            "S",
            vec![HEADER.to_vec(), contract("G-1", "52.222-50")],
        )],
    );
    let broken = path(&dir, "broken.xlsx");
    std::fs::write(&broken, b"this is not a zip file at all").unwrap();
    let missing = path(&dir, "missing.xlsx");
    let out = path(&dir, "out");

    let (code, _, _) = audit(&[&good], &out, &[]);
    assert_eq!(code, 0, "no finding at or above high");

    let (code, stdout, _) = audit(&[&good, &broken, &missing], &out, &[]);
    assert_eq!(code, 2);
    let recs = jsonl(&out);
    assert_eq!(record(&recs, "G-1")["status"], "compliant");
    let errors: Vec<_> = recs.iter().filter(|r| r["status"] == "error").collect();
    assert_eq!(errors.len(), 2, "{recs:#?}");
    let broken_line = errors
        .iter()
        .find(|e| e["file"] == broken.display().to_string())
        .unwrap();
    assert!(
        broken_line["error"]
            .as_str()
            .unwrap()
            .contains("not a valid xlsx"),
        "{broken_line}"
    );
    assert!(stdout.contains("could not be audited"));

    let weird = path(&dir, "notes.jpg");
    std::fs::write(&weird, "hello").unwrap();
    let (code, _, _) = audit(&[&weird], &out, &[]);
    assert_eq!(code, 2, "a named file of another type is an error");

    let bad = path(&dir, "bad.xlsx");
    write_xlsx(
        &bad,
        &[sheet("S", vec![HEADER.to_vec(), contract("B-1", "")])],
    );
    let (code, _, _) = audit(&[&bad], &out, &["--fail-on", "never"]);
    assert_eq!(code, 0);
    let (code, _, _) = audit(&[&bad], &out, &["--fail-on", "high"]);
    assert_eq!(code, 1);
}

#[test]
fn directories_are_walked_and_other_files_skipped() {
    let dir = tmp();
    let sub = dir.path().join("agency/region");
    std::fs::create_dir_all(&sub).unwrap();
    write_xlsx(
        &sub.join("a.xlsx"),
        &[sheet(
            "S",
            vec![HEADER.to_vec(), contract("D-1", "52.222-50")],
        )],
    );
    // .txt/.md/.pdf/.docx are contract documents (audited); other types are skipped.
    std::fs::write(sub.join("photo.jpg"), "not a workbook").unwrap();
    std::fs::write(
        dir.path().join("agency/b.csv"),
        "PIID,Clauses\nD-2,52.222-50\n",
    )
    .unwrap();
    let out = path(&dir, "out");
    let root = dir.path().join("agency");
    let (_, stdout, _) = audit(&[&root], &out, &["--format", "json"]);
    let recs = jsonl(&out);
    let files: Vec<&str> = recs.iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        vec![
            root.join("b.csv").display().to_string(),
            root.join("region/a.xlsx").display().to_string()
        ],
        "sorted walk, paths as the directory was given"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["files_skipped"], 1);
}

#[test]
fn output_is_deterministic_and_inputs_untouched() {
    let dir = tmp();
    let mut inputs = Vec::new();
    for i in 0..4 {
        let p = path(&dir, &format!("f{i}.xlsx"));
        write_xlsx(
            &p,
            &[sheet(
                "S",
                vec![
                    HEADER.to_vec(),
                    contract("SAME-ID", "52.222-50"),
                    contract(["Q-0", "Q-1", "Q-2", "Q-3"][i], "52.204-25"),
                ],
            )],
        );
        inputs.push(p);
    }
    let before: Vec<Vec<u8>> = inputs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    let (o1, o2) = (path(&dir, "o1"), path(&dir, "o2"));
    audit(&refs, &o1, &["-j", "1"]);
    audit(&refs, &o2, &["-j", "2"]);
    let a = std::fs::read(o1.join("findings.jsonl")).unwrap();
    let b = std::fs::read(o2.join("findings.jsonl")).unwrap();
    assert_eq!(a, b, "byte-identical across runs and thread counts");
    let after: Vec<Vec<u8>> = inputs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after, "inputs are never modified");

    // SAME-ID repeats across the four files: the first is clean, the others carry DATA003.
    let recs = jsonl(&o1);
    let same: Vec<_> = recs
        .iter()
        .filter(|r| r["contract_id"] == "SAME-ID")
        .collect();
    assert_eq!(same.len(), 4);
    assert!(!rules_of(same[0]).contains(&"DATA003".into()));
    for r in &same[1..] {
        assert!(rules_of(r).contains(&"DATA003".into()));
        assert_eq!(r["status"], "review");
    }
}

#[test]
fn missing_clause_column_is_incomplete_not_compliant() {
    let dir = tmp();
    let input = path(&dir, "noclauses.xlsx");
    write_xlsx(
        &input,
        &[sheet(
            "S",
            vec![vec![S("PIID"), S("Vendor Name")], vec![S("N-1"), S("Acme")]],
        )],
    );
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    assert_eq!(recs[0]["status"], "incomplete");
    assert!(rules_of(&recs[0]).contains(&"DATA001".into()));
}

#[test]
fn rules_and_explain() {
    let out = tipaudit().arg("rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("TIP001") && text.contains("FAR 22.1705(a)(1)"));
    let out = tipaudit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|r| r["id"] == "TIP001"));
    let out = tipaudit().args(["explain", "TIP001"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("all solicitations and contracts")
    );
    let out = tipaudit().args(["explain", "NOPE999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn as_of_and_shard_are_validated() {
    let dir = tmp();
    let out = path(&dir, "out");
    let input = path(&dir, "x.csv");
    std::fs::write(&input, "PIID,Clauses\nX,52.222-50\n").unwrap();
    for bad in [
        ["--as-of", "2026-13-01"],
        ["--shard", "0/3"],
        ["--shard", "4/3"],
    ] {
        let o = tipaudit()
            .arg("audit")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn out_that_is_a_file_is_refused() {
    let dir = tmp();
    let input = path(&dir, "x.csv");
    std::fs::write(&input, "PIID,Clauses\nX,52.222-50\n").unwrap();
    let out = path(&dir, "out.txt");
    std::fs::write(&out, "keep me").unwrap();
    let (code, _, stderr) = audit(&[&input], &out, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn ods_workbooks_are_audited() {
    let dir = tmp();
    let input = path(&dir, "office.ods");
    write_ods(
        &input,
        "Contracts",
        &[
            vec![
                S("Contract Number"),
                S("Award Date"),
                S("Estimated Value"),
                S("Clauses"),
            ],
            vec![S("O-1"), D(2025, 5, 1), N(25_000.0), S("52.222-50")],
            vec![S("O-2"), D(2025, 5, 1), N(25_000.0), S("52.204-25")],
        ],
    );
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 2, "{recs:#?}");
    assert_eq!(record(&recs, "O-1")["row"], 2);
    assert!(rules_of(record(&recs, "O-2")).contains(&"TIP001".into()));
}

/// The real legacy BIFF `.xls` files in ../shared, when present: opened, sheets without a
/// contract-id header reported, nothing audited: exit 2, and the error says why.
#[test]
fn real_xls_files_open() {
    let Some(xls) = real_file("dol_eo13126_list_2014.xls") else {
        return;
    };
    let dir = tmp();
    let out = path(&dir, "out");
    let (code, stdout, stderr) = audit(&[&xls], &out, &["--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("dol_eo13126_list_2014.xls: no records were read: no sheet has a header row"),
        "{stderr}"
    );
    let s: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(s["files_audited"], 1);
    assert_eq!(s["records"], 0);
    assert!(!s["sheets_not_audited"].as_array().unwrap().is_empty());
}

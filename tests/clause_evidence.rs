//! Clause evidence kept outside the award data: long-form clause sheets, clause reports and
//! contract documents given with `--clauses`, joined to the records (CONTRACT.md 2a).

mod common;

use common::*;

#[test]
fn long_form_sheet_clause_date_column_gives_tip005() {
    let dir = tmp();
    let input = path(&dir, "register.xlsx");
    let awards = sheet(
        "Awards",
        vec![
            vec![
                S("Contract Number"),
                S("Award Date"),
                S("Estimated Value"),
                S("Place of Performance"),
            ],
            vec![S("L-1"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
            vec![S("L-2"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
            vec![S("L-3"), D(2024, 3, 1), N(50_000.0), S("Georgia")],
        ],
    );
    let clauses = sheet(
        "Clauses",
        vec![
            vec![
                S("Contract Number"),
                S("Clause Number"),
                S("Clause Date"),
                S("Alt"),
            ],
            vec![S("L-1"), S("52.222-50"), S("FEB 2009"), E],
            vec![S("L-2"), S("52.222-50"), S("NOV 2021"), E],
            vec![S("L-3"), S("52.222-50"), D(2009, 2, 1), E],
        ],
    );
    write_xlsx(&input, &[awards, clauses]);
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    let rules = |id| rules_of(record(&recs, id));
    assert!(
        rules("L-1").contains(&"TIP005".into()),
        "{:?}",
        rules("L-1")
    );
    assert!(!rules("L-1").contains(&"TIP001".into()));
    assert!(
        !rules("L-2").contains(&"TIP005".into()),
        "NOV 2021 was in force in 2024"
    );
    assert!(
        rules("L-3").contains(&"TIP005".into()),
        "a date cell counts too"
    );
}

/// An FPDS-style export with no clause column (as every real export is).
fn fpds_csv(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let p = path(dir, "fpds-export.csv");
    std::fs::write(
        &p,
        "PIID,Modification Number,Referenced IDV PIID,Date Signed,Base and All Options Value,Place of Performance Country,Description of Requirement\n\
         W912DY-24-C-0007,0,,2024-03-01,50000,USA,JANITORIAL SERVICES\n\
         W912DY-24-C-0007,P00001,,2024-06-01,50000,USA,JANITORIAL SERVICES\n\
         W912DY-24-F-0100,0,GS-07F-0001X,2024-04-01,40000,USA,OFFICE SUPPLIES\n\
         W912DY-24-C-0009,0,,2024-03-01,50000,USA,GROUNDS MAINTENANCE\n\
         W912DY-24-C-0010,0,,2024-03-01,50000,USA,PEST CONTROL\n",
    )
    .unwrap();
    p
}

/// The exit code a run with the default `--fail-on high` owes its findings: 1 when any finding
/// in `out` is high, else 0.
fn fail_code(out: &std::path::Path) -> i32 {
    let high = jsonl(out).iter().any(|r| {
        r["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["severity"] == "high"))
    });
    i32::from(high)
}

/// A contract writing system's clause report: one row per contract and clause.
fn clause_report(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let p = path(dir, "clause-report.xlsx");
    write_xlsx(
        &p,
        &[sheet(
            "Clauses",
            vec![
                vec![
                    S("Document Number"),
                    S("Clause Number"),
                    S("Clause Title"),
                    S("Clause Date"),
                    S("Alt"),
                    S("Prescription"),
                    S("Included/Deleted"),
                    S("By Reference/Full Text"),
                ],
                // Another spelling of the same id: joined without dashes and case.
                vec![
                    S("w912dy24c0007"),
                    S("52.222-50"),
                    S("Combating Trafficking in Persons"),
                    S("NOV 2021"),
                    E,
                    S("22.1705(a)(1)"),
                    S("Included"),
                    S("By Reference"),
                ],
                // Deleted in the writing system: not a citation.
                vec![
                    S("W912DY-24-C-0009"),
                    S("52.222-50"),
                    S("Combating Trafficking in Persons"),
                    S("NOV 2021"),
                    E,
                    S("22.1705(a)(1)"),
                    S("Deleted"),
                    S("By Reference"),
                ],
                vec![
                    S("W912DY-24-C-0009"),
                    S("52.204-25"),
                    E,
                    S("NOV 2021"),
                    E,
                    E,
                    S("Y"),
                    E,
                ],
                // An outdated date, as a clause cell's (FEB 2009) would be.
                vec![
                    S("W912DY-24-C-0010"),
                    S("52.222-50"),
                    E,
                    S("FEB 2009"),
                    E,
                    E,
                    S("Y"),
                    E,
                ],
                // The IDV the order is placed under.
                vec![
                    S("GS-07F-0001X"),
                    S("52.222-50"),
                    E,
                    S("NOV 2021"),
                    S("I"),
                    E,
                    S("Y"),
                    E,
                ],
                // A contract that is in no input.
                vec![
                    S("W912DY-24-C-9999"),
                    S("52.222-50"),
                    E,
                    S("NOV 2021"),
                    E,
                    E,
                    S("Y"),
                    E,
                ],
            ],
        )],
    );
    p
}

#[test]
fn clause_report_joins_to_an_fpds_export() {
    let dir = tmp();
    let input = fpds_csv(&dir);
    let report = clause_report(&dir);
    let out = path(&dir, "out");
    let (code, stdout, stderr) = audit(
        &[&input],
        &out,
        &["--clauses", report.to_str().unwrap(), "--format", "json"],
    );
    // High findings (TIP001 where the report lacks 52.222-50) fail the run at the default level.
    assert_eq!(code, 1, "{stderr}");
    let recs = jsonl(&out);
    let by = |id: &str, m: &str| {
        recs.iter()
            .find(|r| r["contract_id"] == id && r["modification"] == m)
            .unwrap_or_else(|| panic!("no {id} {m}"))
    };
    let base = by("W912DY-24-C-0007", "0");
    assert!(!rules_of(base).contains(&"TIP001".into()), "{base}");
    assert!(
        !rules_of(base).contains(&"DATA001".into())
            || !base.to_string().contains("clauses is absent"),
        "clauses are known from the report: {base}"
    );
    assert_eq!(
        base["clause_sources"],
        serde_json::json!([{"file": report.display().to_string(), "sheet": "Clauses"}])
    );
    let modification = by("W912DY-24-C-0007", "P00001");
    assert!(
        !rules_of(modification).contains(&"TIP001".into()),
        "a modification takes its base award's clauses"
    );
    let order = by("W912DY-24-F-0100", "0");
    assert!(
        !rules_of(order).contains(&"TIP001".into()),
        "an order takes its IDV's clauses: {order}"
    );
    let deleted = by("W912DY-24-C-0009", "0");
    assert!(
        rules_of(deleted).contains(&"TIP001".into()),
        "a deleted row is not a citation: {deleted}"
    );
    let outdated = by("W912DY-24-C-0010", "0");
    assert!(rules_of(outdated).contains(&"TIP005".into()), "{outdated}");

    // The evidence nobody matched is listed, never dropped.
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let unmatched = &summary["clause_evidence"]["unmatched"];
    assert_eq!(unmatched.as_array().unwrap().len(), 1, "{summary}");
    assert_eq!(unmatched[0]["contract_id"], "W912DY-24-C-9999");
    assert_eq!(summary["clauses_not_checked"], 0);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run["clause_evidence"]["unmatched"][0]["contract_id"],
        "W912DY-24-C-9999"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("W912DY-24-C-9999"), "listed in report.html");
    let gap = sheet_text(&out.join("gap-report.xlsx"), "Clause evidence");
    assert!(
        gap.contains("W912DY-24-C-9999"),
        "listed in gap-report.xlsx: {gap}"
    );
    // The annotated copy says where the clauses came from.
    let copy = sheet_text(&out.join("fpds-export.audited.xlsx"), "fpds-export");
    assert!(copy.contains("Clause Source"), "{copy}");
    assert!(copy.contains("clause-report.xlsx / Clauses"), "{copy}");
}

#[test]
fn without_clause_data_the_outputs_say_so_in_words() {
    let dir = tmp();
    let input = fpds_csv(&dir);
    let out = path(&dir, "out");
    let (_, stdout, _) = audit(&[&input], &out, &[]);
    let sentence =
        "not checked for 5 records: no clause data; add the clause report with --clauses";
    assert!(stdout.contains(sentence), "{stdout}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(sentence));
    let gap = sheet_text(&out.join("gap-report.xlsx"), "Overview");
    assert!(gap.contains(sentence), "{gap}");
    let recs = jsonl(&out);
    assert!(recs.iter().all(|r| r["status"] != "compliant"));
    assert!(recs.iter().all(|r| r.get("clause_sources").is_none()));
}

#[test]
fn clause_report_without_a_contract_id_column_is_that_files_error() {
    let dir = tmp();
    let input = fpds_csv(&dir);
    let bad = path(&dir, "no-ids.csv");
    std::fs::write(&bad, "Clause Number,Clause Date\n52.222-50,NOV 2021\n").unwrap();
    let good = clause_report(&dir);
    let out = path(&dir, "out");
    let (code, _, stderr) = audit(
        &[&input],
        &out,
        &[
            "--clauses",
            bad.to_str().unwrap(),
            "--clauses",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "an evidence file could not be read");
    assert!(stderr.contains("no-ids.csv"), "{stderr}");
    assert!(stderr.contains("contract id column"), "{stderr}");
    let recs = jsonl(&out);
    assert!(
        !rules_of(record(&recs, "W912DY-24-C-0010")).is_empty(),
        "the rest is still audited"
    );
    assert!(
        recs.iter().any(|r| r.get("clause_sources").is_some()),
        "the good report is still joined"
    );
}

#[test]
fn two_shards_merged_equal_a_single_run_with_clauses() {
    let dir = tmp();
    let inputs = path(&dir, "inputs");
    std::fs::create_dir(&inputs).unwrap();
    // Several files so both shards get some; the report's contracts are spread over them.
    let rows = [
        "W912DY-24-C-0007,0,,2024-03-01,50000,USA,JANITORIAL",
        "W912DY-24-C-0009,0,,2024-03-01,50000,USA,GROUNDS",
        "W912DY-24-C-0010,0,,2024-03-01,50000,USA,PEST CONTROL",
        "W912DY-24-F-0100,0,GS-07F-0001X,2024-04-01,40000,USA,SUPPLIES",
        "W912DY-24-C-0011,0,,2024-03-01,50000,USA,NO EVIDENCE",
        "W912DY-24-C-0012,0,,2024-03-01,50000,USA,NO EVIDENCE",
    ];
    for (i, row) in rows.iter().enumerate() {
        std::fs::write(
            inputs.join(format!("part-{i}.csv")),
            format!(
                "PIID,Modification Number,Referenced IDV PIID,Date Signed,Base and All Options Value,Place of Performance Country,Description of Requirement\n{row}\n"
            ),
        )
        .unwrap();
    }
    let report = clause_report(&dir);
    let clauses = ["--clauses", report.to_str().unwrap(), "--no-annotate"];
    let single = path(&dir, "single");
    let mut json = clauses.to_vec();
    json.extend(["--format", "json"]);
    let (code, single_summary, err) = audit(&[&inputs], &single, &json);
    assert_eq!(code, 1, "{err}");
    assert_eq!(code, fail_code(&single), "{err}");
    let mut shard_dirs = Vec::new();
    for k in 1..=2 {
        let d = path(&dir, &format!("shard{k}"));
        let shard = format!("{k}/2");
        let mut extra = clauses.to_vec();
        extra.extend(["--shard", &shard]);
        let (code, _, err) = audit(&[&inputs], &d, &extra);
        // Which files a shard holds depends on their paths (a temporary directory here).
        assert_eq!(code, fail_code(&d), "{err}");
        shard_dirs.push(d);
    }
    let shard_files = |d: &std::path::Path| -> usize {
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("run.json")).unwrap()).unwrap();
        run["files"].as_array().unwrap().len()
    };
    assert!(
        shard_dirs.iter().all(|d| shard_files(d) > 0),
        "both shards have files"
    );
    let merged = path(&dir, "merged");
    let o = tipaudit()
        .arg("merge")
        .args(&shard_dirs)
        .arg("-o")
        .arg(&merged)
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let read = |d: &std::path::Path| std::fs::read_to_string(d.join("findings.jsonl")).unwrap();
    assert_eq!(read(&merged), read(&single));
    // A shard run without the evidence is not a shard of this run.
    let bare = path(&dir, "bare");
    let (code, _, err) = audit(&[&inputs], &bare, &["--no-annotate", "--shard", "2/2"]);
    // No clause list at all: DATA001 (medium) only, nothing at the default `high`.
    assert_eq!(code, 0, "{err}");
    let o2 = tipaudit()
        .arg("merge")
        .arg(&shard_dirs[0])
        .arg(&bare)
        .arg("-o")
        .arg(path(&dir, "mixed"))
        .output()
        .unwrap();
    assert_eq!(o2.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o2.stderr).contains("--clauses"));
    let s1: serde_json::Value = serde_json::from_str(single_summary.trim()).unwrap();
    let s2: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
    for k in ["clause_evidence", "clauses_not_checked", "rules", "status"] {
        assert_eq!(s1[k], s2[k], "merged summary {k}");
    }
    assert_eq!(
        s1["clauses_not_checked"], 2,
        "the two records with no evidence"
    );
    assert!(read(&single).contains("clause_sources"));
    let unmatched = |d: &std::path::Path| {
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("run.json")).unwrap()).unwrap();
        run["clause_evidence"].clone()
    };
    assert_eq!(unmatched(&merged), unmatched(&single));
    assert_eq!(
        unmatched(&single)["unmatched"].as_array().unwrap().len(),
        1,
        "only W912DY-24-C-9999"
    );
}

/// Every cell's text of one sheet, tab-separated by row.
fn sheet_text(path: &std::path::Path, sheet: &str) -> String {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet} in {}: {e}", path.display()));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The real FPDS export in ../shared: skipped (one line) when absent, a failure under CI.
fn real_fpds() -> Option<std::path::PathBuf> {
    real_file("fpds_atom_kenosa_sample_flat.csv")
}

/// On the real FPDS records: a clause report naming some IDVs (written as a contract
/// writing system might: lower case) reaches exactly those IDVs' records and the orders
/// placed under them, and the "not checked" count drops by those records.
#[test]
fn real_fpds_orders_take_their_idvs_clause_report() {
    let Some(fpds) = real_fpds() else { return };
    let mut rdr = csv::Reader::from_path(&fpds).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (piid, idv) = (col("PIID"), col("referencedIDV_PIID"));
    let rows: Vec<(String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[piid].to_string(), r[idv].to_string())
        })
        .collect();
    let mut idvs: Vec<&str> = rows
        .iter()
        .map(|(_, i)| i.as_str())
        .filter(|i| !i.is_empty())
        .collect();
    idvs.sort_unstable();
    idvs.dedup();
    let chosen: Vec<&str> = idvs.iter().step_by(3).copied().collect();
    assert!(chosen.len() >= 5, "the real file has orders under IDVs");
    let dir = tmp();
    let report = path(&dir, "idv-clauses.csv");
    let mut text = String::from("Contract Number,Clause Number,Clause Date,Included/Deleted\n");
    for i in &chosen {
        text.push_str(&format!(
            "{},52.222-50,NOV 2021,Included\n",
            i.to_ascii_lowercase()
        ));
    }
    std::fs::write(&report, text).unwrap();

    let before = path(&dir, "before");
    let (_, s0, _) = audit(&[&fpds], &before, &["--no-annotate", "--format", "json"]);
    let after = path(&dir, "after");
    let (_, s1, err) = audit(
        &[&fpds],
        &after,
        &[
            "--no-annotate",
            "--format",
            "json",
            "--clauses",
            report.to_str().unwrap(),
        ],
    );
    let s0: serde_json::Value = serde_json::from_str(s0.trim()).unwrap();
    let s1: serde_json::Value = serde_json::from_str(s1.trim()).unwrap_or_else(|_| panic!("{err}"));
    let recs0 = jsonl(&before);
    let recs1 = jsonl(&after);
    assert_eq!(recs0.len(), recs1.len());
    let absent = |r: &serde_json::Value| {
        r["findings"].as_array().unwrap().iter().any(|f| {
            f["rule"] == "DATA001" && f["message"].as_str().unwrap().starts_with("clauses ")
        })
    };
    let mut reached_unchecked = 0;
    for (a, b) in recs0.iter().zip(&recs1) {
        let parent = a["parent_id"].as_str().unwrap_or("");
        let own = a["contract_id"].as_str().unwrap_or("");
        // The IDV's own records (its modifications) and the orders placed under it.
        let under_chosen = chosen.contains(&parent) || chosen.contains(&own);
        assert_eq!(
            b.get("clause_sources").is_some(),
            under_chosen,
            "evidence reaches exactly the chosen IDVs and their orders: {b}"
        );
        if under_chosen {
            assert!(!absent(b), "{b}");
            reached_unchecked += usize::from(absent(a));
        } else {
            assert_eq!(a, b, "records the evidence does not reach are unchanged");
        }
    }
    assert!(reached_unchecked > 0);
    assert_eq!(
        s0["clauses_not_checked"].as_u64().unwrap() - s1["clauses_not_checked"].as_u64().unwrap(),
        reached_unchecked as u64
    );
    assert_eq!(s1["clause_evidence"]["contracts"], chosen.len());
    assert_eq!(
        s1["clause_evidence"]["unmatched"].as_array().unwrap().len(),
        0,
        "every chosen IDV has orders in the file"
    );
}

/// A small award document as text: an SF 1449 number block, a Section I list and the
/// 52.212-5 check-list with the 52.222-50 box checked.
const AWARD_TXT: &str = "\
SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL PRODUCTS AND COMMERCIAL SERVICES
2. CONTRACT NO.: W912DY-24-C-0007
3. AWARD/EFFECTIVE DATE: 03/01/2024
SECTION I - CONTRACT CLAUSES
52.204-25 Prohibition on Contracting for Certain Telecommunications (NOV 2021)
52.212-4 Contract Terms and Conditions-Commercial Products and Commercial Services (DEC 2022)
52.212-5 Contract Terms and Conditions Required To Implement Statutes or Executive Orders (FEB 2024)
(b)
[X] (24) 52.222-19, Child Labor-Cooperation with Authorities and Remedies (DEC 2022)
[ ] (27) 52.222-35, Equal Opportunity for Veterans (JUN 2020)
[X] (33)(i) 52.222-50, Combating Trafficking in Persons (FEB 2009)
";

#[test]
fn a_folder_of_contract_documents_is_audited_one_record_each() {
    let dir = tmp();
    let files = path(&dir, "contract-files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("award.txt"), AWARD_TXT).unwrap();
    std::fs::write(files.join("notes.bin"), b"not a document").unwrap();
    let out = path(&dir, "out");
    let (code, _, stderr) = audit(&[&files], &out, &["--format", "json"]);
    assert_eq!(code, 0, "no finding at or above high: {stderr}");
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 1, "one record per document");
    let r = &recs[0];
    assert_eq!(r["contract_id"], "W912DY-24-C-0007");
    assert!(r["row"].is_null(), "{r}");
    assert_eq!(r["sheet"], "Document");
    let tip005 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "TIP005")
        .unwrap_or_else(|| panic!("FEB 2009 is outdated in 2024: {r}"));
    assert_eq!(tip005["line"], 11, "on the line of the reference: {tip005}");
    assert!(
        !rules_of(r).contains(&"TIP001".into()),
        "the box is checked"
    );
    assert_eq!(
        r["clause_sources"][0]["file"],
        files.join("award.txt").display().to_string()
    );
    assert!(
        !out.join("award.audited.xlsx").exists(),
        "a document has no sheet to annotate"
    );
}

#[test]
fn contract_documents_given_with_clauses_join_the_award_data() {
    let dir = tmp();
    let input = fpds_csv(&dir);
    let files = path(&dir, "contract-files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("award.txt"), AWARD_TXT).unwrap();
    let out = path(&dir, "out");
    let (code, _, stderr) = audit(&[&input], &out, &["--clauses", files.to_str().unwrap()]);
    assert_eq!(code, 0, "no finding at or above high: {stderr}");
    let recs = jsonl(&out);
    let base = recs
        .iter()
        .find(|r| r["contract_id"] == "W912DY-24-C-0007" && r["modification"] == "0")
        .unwrap();
    assert!(!rules_of(base).contains(&"TIP001".into()), "{base}");
    assert!(rules_of(base).contains(&"TIP005".into()), "{base}");
    assert_eq!(base["clause_sources"][0]["line"], 11);
}

#[test]
fn a_scanned_pdf_is_that_files_error_and_the_rest_is_audited() {
    let Some(scanned) = real_file("documents/scanned_no_text_layer.pdf") else {
        return;
    };
    let dir = tmp();
    let input = fpds_csv(&dir);
    let out = path(&dir, "out");
    let (code, stdout, _) = audit(&[&input, &scanned], &out, &["--format", "json"]);
    assert_eq!(code, 2);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{summary}");
    assert_eq!(failed[0]["file"], scanned.display().to_string());
    assert_eq!(jsonl(&out).len(), 6, "five records, then the error line");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("no text layer: run OCR first"),
        "{summary}"
    );
}

/// Real solicitations: the text, PDF and DOCX renderings of the same six solicitations
/// (../shared/data/real/documents, made from srt_solicitations) are one contract each in the
/// evidence, with a source per file, and none is lost: with no award data to match, all six
/// are listed as unmatched, each with its clause references.
#[test]
fn real_renderings_of_one_solicitation_join_as_one_contract() {
    let (Some(docs), Some(srt)) = (real_file("documents"), real_file("srt_solicitations")) else {
        return;
    };
    let dir = tmp();
    let evidence = path(&dir, "evidence");
    std::fs::create_dir(&evidence).unwrap();
    let stems = [
        "GREEN_14-233-SOL-00490",
        "GREEN_HC1028-11-T-0209",
        "RED_FA8224-12-T-0030",
        "RED_HS0021-11-P-0017",
        "RED_N00421-15-T-0010",
        "YELLOW_HS0021-11-P-0059",
    ];
    let mut args: Vec<String> = Vec::new();
    for s in stems {
        for f in [
            docs.join(format!("{s}.pdf")),
            docs.join(format!("{s}.docx")),
            srt.join(format!("{s}.txt")),
        ] {
            args.push("--clauses".into());
            args.push(f.display().to_string());
        }
    }
    let input = fpds_csv(&dir);
    let out = path(&dir, "out");
    let mut extra: Vec<&str> = args.iter().map(String::as_str).collect();
    extra.extend(["--format", "json", "--no-annotate"]);
    let (code, stdout, _) = audit(&[&input], &out, &extra);
    // The evidence matches no record, so each is DATA001 (medium) on its clauses: nothing high.
    assert_eq!(code, 0, "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let ev = &summary["clause_evidence"];
    assert_eq!(ev["files"], 18, "{ev}");
    assert_eq!(ev["contracts"], 6, "three renderings, one contract: {ev}");
    let unmatched = ev["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 6);
    for u in unmatched {
        assert_eq!(u["sources"].as_array().unwrap().len(), 3, "{u}");
        assert!(u["clauses"].as_u64().unwrap() > 0, "{u}");
    }
}

#[test]
fn an_undated_document_is_judged_at_as_of_and_says_so() {
    let dir = tmp();
    let files = path(&dir, "contract-files");
    std::fs::create_dir(&files).unwrap();
    let undated = AWARD_TXT.replace("3. AWARD/EFFECTIVE DATE: 03/01/2024\n", "");
    std::fs::write(files.join("award.txt"), undated).unwrap();
    let out = path(&dir, "out");
    let (code, _, stderr) = audit(&[&files], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let recs = jsonl(&out);
    let data001: Vec<&str> = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "DATA001")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        data001
            .iter()
            .any(|m| m.starts_with("date is blank") && m.contains("--as-of date 2026-11-23")),
        "{data001:?}"
    );
}

//! The command line as a careful user meets it: runs that audit nothing, skipped files,
//! errors on stderr, stale outputs, the template, rule ids, marks and column names. Each
//! test runs the binary on files it makes and checks the exit code, the stream and the
//! message.

mod common;

use common::*;

const SUPPORTED: &str =
    ".xlsx .xlsm .xlsb .xls .ods .csv, or a contract document .pdf .docx .txt .md";

fn write(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn run(args: &[&str], cwd: &std::path::Path) -> (i32, String, String) {
    let o = tipaudit().args(args).current_dir(cwd).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn run_json(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

const ONE_CONTRACT: &str = "Contract Number,Vendor Name,Estimated Value,Clauses\n\
                            W912DY-24-C-0007,Acme,100000,52.222-50 (OCT 2025)\n";

#[test]
fn a_folder_without_inputs_is_an_error_and_writes_nothing() {
    let dir = tmp();
    let docs = path(&dir, "docs");
    std::fs::create_dir(&docs).unwrap();
    write(&docs.join("award.pptx"), "PK");
    write(&docs.join("scan.jpg"), "jpeg");
    let (code, stdout, stderr) = run(&["audit", "docs", "-o", "out", "-q"], dir.path());
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stdout, "",
        "no summary table for a run that audited nothing"
    );
    assert_eq!(
        stderr,
        format!(
            "tipaudit: error: nothing to audit: no file of a supported input type ({SUPPORTED}) in the inputs\n  \
             2 file(s) skipped (not a supported input type: 2):\n    \
             docs/award.pptx (not a supported input type)\n    \
             docs/scan.jpg (not a supported input type)\n"
        )
    );
    assert!(
        !path(&dir, "out").exists(),
        "no outputs for nothing audited"
    );
}

#[test]
fn a_missing_input_is_one_error_on_stderr_and_no_reports() {
    let dir = tmp();
    let (code, stdout, stderr) = run(&["audit", "missing.xlsx", "-o", "out"], dir.path());
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "tipaudit: error: nothing to audit\n  missing.xlsx: no such file or directory\n"
    );
    assert!(!path(&dir, "out").exists());
}

#[test]
fn a_mapping_that_matches_no_column_is_named_and_a_run_of_no_records_exits_2() {
    let dir = tmp();
    write(
        &path(&dir, "c.csv"),
        "Our Ref,Vendor Name\nW1-24-C-0001,Acme\n",
    );
    write(
        &path(&dir, "map.toml"),
        "contract_id = \"Our Reff\"\nvendor = \"Vendr\"\n",
    );
    let (code, stdout, stderr) = run(
        &["audit", "c.csv", "--mapping", "map.toml", "-o", "out"],
        dir.path(),
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("Nothing was audited: 0 records in 1 file(s)"),
        "{stdout}"
    );
    assert!(stderr.contains(
        "tipaudit: warning: --mapping map.toml: contract_id = \"Our Reff\" matched no column header in any sheet\n"
    ), "{stderr}");
    assert!(stderr.contains(
        "tipaudit: warning: --mapping map.toml: vendor = \"Vendr\" matched no column header in any sheet\n"
    ), "{stderr}");
    assert!(
        stderr.ends_with(
            "tipaudit: error: c.csv: no records were read: no sheet has a header row with a contract id \
             column in its first 30 rows (--mapping map.toml maps contract_id to \"Our Reff\", which \
             matched no column)\n"
        ),
        "{stderr}"
    );

    // The JSON summary carries the reason too.
    let (code, stdout, _) = run(
        &[
            "audit",
            "c.csv",
            "--mapping",
            "map.toml",
            "-o",
            "out",
            "-q",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code, 2);
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["records"], 0);
    assert_eq!(summary["exit_code"], 2);
    assert!(
        summary["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("c.csv: no records were read: "),
        "{summary}"
    );

    // Fixed mapping: audited; the entry that still matches nothing is a warning only.
    write(
        &path(&dir, "map.toml"),
        "contract_id = \"Our Ref\"\nvendor = \"Vendr\"\n",
    );
    let (code, _, stderr) = run(
        &[
            "audit",
            "c.csv",
            "--mapping",
            "map.toml",
            "-o",
            "out",
            "--fail-on",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "tipaudit: warning: --mapping map.toml: vendor = \"Vendr\" matched no column header in any sheet\n"
    );
}

#[test]
fn skipped_files_are_listed_by_reason_in_the_summary_and_run_json() {
    let dir = tmp();
    let p = path(&dir, "portfolio");
    std::fs::create_dir(&p).unwrap();
    write(&p.join("a.csv"), ONE_CONTRACT);
    write(&p.join("~$book.xlsx"), "owner");
    write(&p.join("award.pptx"), "PK");
    let (code, stdout, stderr) = run(
        &[
            "audit",
            "portfolio",
            "-o",
            "out",
            "-q",
            "--fail-on",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "Files skipped in the folders: 2 (Excel lock file (the workbook is open in Excel): 1; \
             not a supported input type: 1):\n  \
             portfolio/award.pptx (not a supported input type)\n  \
             portfolio/~$book.xlsx (Excel lock file (the workbook is open in Excel))\n"
        ),
        "{stdout}"
    );
    let run = run_json(&path(&dir, "out"));
    assert_eq!(run["skipped_files"], 2);
    assert_eq!(
        run["skipped"],
        serde_json::json!([
            {"file": "portfolio/award.pptx", "reason": "not a supported input type"},
            {"file": "portfolio/~$book.xlsx", "reason": "Excel lock file (the workbook is open in Excel)"}
        ])
    );
}

#[test]
fn an_excel_lock_file_named_directly_is_called_what_it_is() {
    let dir = tmp();
    write(&path(&dir, "~$contracts.xlsx"), "owner");
    let (code, stdout, stderr) = run(&["audit", "~$contracts.xlsx", "-o", "out"], dir.path());
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "tipaudit: error: nothing to audit\n  ~$contracts.xlsx: this is Excel's lock file for a \
         workbook that is open in Excel, not a workbook; audit the workbook itself (such as \
         contracts.xlsx)\n"
    );
}

#[test]
fn a_run_whose_every_input_failed_writes_no_reports() {
    let dir = tmp();
    write(&path(&dir, "bad.xlsx"), "not a zip");
    let (code, stdout, stderr) = run(&["audit", "bad.xlsx", "-o", "out", "-q"], dir.path());
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            "tipaudit: error: no input could be audited; no reports were written\n  bad.xlsx: "
        ),
        "{stderr}"
    );
    for f in [
        "findings.jsonl",
        "gap-report.xlsx",
        "report.html",
        "run.json",
    ] {
        assert!(!path(&dir, "out").join(f).exists(), "{f} written");
    }
}

#[test]
fn a_shard_whose_every_input_failed_still_writes_its_errors_for_merge() {
    // A shard holding only broken files must leave outputs `merge` can read, or the
    // portfolio's errors would be lost when the shards are combined.
    let dir = tmp();
    write(&path(&dir, "bad.xlsx"), "not a zip");
    let (code, _, stderr) = run(
        &["audit", "bad.xlsx", "-o", "out", "-q", "--shard", "1/1"],
        dir.path(),
    );
    assert_eq!(code, 2, "{stderr}");
    let out = path(&dir, "out");
    let findings = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    let line: serde_json::Value = serde_json::from_str(findings.lines().next().unwrap()).unwrap();
    assert_eq!(line["status"], "error");
    assert_eq!(line["file"], "bad.xlsx");
    assert_eq!(run_json(&out)["files"].as_array().unwrap().len(), 1);
    let (code, _, stderr) = run(&["merge", "out", "-o", "merged"], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(path(&dir, "merged").join("findings.jsonl")).unwrap(),
        findings
    );
}

#[test]
fn a_failed_input_beside_a_good_one_is_an_error_on_stderr_not_stdout() {
    let dir = tmp();
    write(&path(&dir, "a.csv"), ONE_CONTRACT);
    write(&path(&dir, "bad.xlsx"), "not a zip");
    let (code, stdout, stderr) = run(
        &["audit", "a.csv", "bad.xlsx", "-o", "out", "-q"],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("tipaudit: error: bad.xlsx: "),
        "{stderr}"
    );
    assert!(!stdout.contains("bad.xlsx"), "{stdout}");
    assert!(
        stdout.contains("1 input(s) could not be audited (the errors are on stderr)."),
        "{stdout}"
    );
    assert!(path(&dir, "out").join("gap-report.xlsx").exists());
}

#[test]
fn a_rerun_removes_the_annotated_copies_its_run_json_names_and_nothing_else() {
    let dir = tmp();
    write(&path(&dir, "a.csv"), ONE_CONTRACT);
    write(
        &path(&dir, "b.csv"),
        ONE_CONTRACT.replace("0007", "0008").as_str(),
    );
    let out = path(&dir, "out");
    let args = |input: &'static str| ["audit", input, "-o", "out", "--fail-on", "never"];
    assert_eq!(run(&args("a.csv"), dir.path()).0, 0);
    assert!(out.join("a.audited.xlsx").exists());
    // Files run.json does not name stay, even with the annotated-copy suffix.
    write(&out.join("mine.audited.xlsx"), "keep");
    write(&out.join("notes.txt"), "keep");
    let (code, _, stderr) = run(&args("b.csv"), dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "tipaudit: note: removed 1 annotated copy of the previous run in out (named in its \
         run.json): a.audited.xlsx\n"
    );
    assert!(!out.join("a.audited.xlsx").exists());
    assert!(out.join("b.audited.xlsx").exists());
    assert!(out.join("mine.audited.xlsx").exists());
    assert!(out.join("notes.txt").exists());
    // The same inputs again: nothing stale, nothing said.
    let (_, _, stderr) = run(&args("b.csv"), dir.path());
    assert_eq!(stderr, "");
    assert!(out.join("b.audited.xlsx").exists());
}

#[test]
fn a_row_without_a_contract_id_is_named_on_stderr() {
    let dir = tmp();
    write(
        &path(&dir, "a.csv"),
        "Contract Number,Vendor Name,Estimated Value\nW1-24-C-0001,Acme,100\n,Beta,200\n\n",
    );
    // A warning is shown with -q too (-q hides progress and notes only).
    let (code, _, stderr) = run(
        &["audit", "a.csv", "-o", "out", "-q", "--fail-on", "never"],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "tipaudit: warning: a.csv: sheet 'a': 1 row(s) below the header not read as records \
         (no contract id): row 3\n"
    );
}

#[test]
fn template_refuses_to_overwrite_and_to_write_onto_a_folder() {
    let dir = tmp();
    write(&path(&dir, "existing.xlsx"), "mine");
    let (code, stdout, stderr) = run(&["template", "-o", "existing.xlsx"], dir.path());
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "tipaudit: error: existing.xlsx exists; choose another name or add --force to replace it\n"
    );
    assert_eq!(
        std::fs::read_to_string(path(&dir, "existing.xlsx")).unwrap(),
        "mine"
    );
    let (code, _, _) = run(&["template", "-o", "existing.xlsx", "--force"], dir.path());
    assert_eq!(code, 0);

    std::fs::create_dir(path(&dir, "folder")).unwrap();
    let (code, _, stderr) = run(&["template", "-o", "folder"], dir.path());
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "tipaudit: error: -o folder is a directory; give a file name, e.g. -o folder/contracts.xlsx\n"
    );
}

#[test]
fn the_blank_template_holds_no_contract_to_audit() {
    let dir = tmp();
    assert_eq!(run(&["template", "-o", "blank.xlsx"], dir.path()).0, 0);
    let (code, stdout, stderr) = run(&["audit", "blank.xlsx", "-o", "out", "-q"], dir.path());
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "tipaudit: error: blank.xlsx: no records were read: its sheets have a header row but \
             no rows with a contract id below it"
        ),
        "{stderr}"
    );
}

#[test]
fn explain_takes_any_spelling_of_a_rule_id_and_outputs_spell_it_one_way() {
    let dir = tmp();
    for typed in ["BP-02", "bp2", "BP02", "bp-02"] {
        let (code, stdout, _) = run(&["explain", typed], dir.path());
        assert_eq!(code, 0, "{typed}");
        assert!(stdout.starts_with("BP02 Employees"), "{typed}: {stdout}");
        assert!(!stdout.contains("BP-"), "{stdout}");
    }
    let (code, stdout, stderr) = run(&["explain", "tip 1"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("TIP001 "), "{stdout}");
    let (code, stdout, stderr) = run(&["explain", "XYZ9"], dir.path());
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "tipaudit: error: unknown rule 'XYZ9'; `tipaudit rules` lists them (ids such as TIP001, BP02)\n"
    );
    let (_, rules, _) = run(&["rules"], dir.path());
    assert!(!rules.contains("BP-"), "{rules}");

    // The "not checked" practices use the rule spelling too.
    write(&path(&dir, "a.csv"), ONE_CONTRACT);
    let (_, stdout, _) = run(
        &[
            "audit",
            "a.csv",
            "-o",
            "out",
            "-q",
            "-v",
            "--fail-on",
            "never",
        ],
        dir.path(),
    );
    assert!(stdout.contains("BP03 (\""), "{stdout}");
    assert!(!stdout.contains("BP-"), "{stdout}");
    let (_, stdout, _) = run(
        &["audit", "a.csv", "-o", "out", "-q", "--fail-on", "never"],
        dir.path(),
    );
    assert!(
        stdout.contains("best practices not checked (no evidence column; -v lists the columns).\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("BP03 (\""), "{stdout}");
}

#[test]
fn every_mark_shown_is_explained() {
    let dir = tmp();
    let (code, stdout, _) = run(&["categories"], dir.path());
    assert_eq!(code, 0);
    for mark in ["(H) (M) (L)", "[V]", "[S]", "[U]"] {
        assert!(stdout.contains(&format!("  {mark} ")), "legend for {mark}");
    }
    // TIP003's clause history has an unverified version date: the mark is explained.
    let (_, stdout, _) = run(&["explain", "TIP003"], dir.path());
    assert!(
        stdout.contains("  [date not confirmed against the Federal Register]\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n[date not confirmed against the Federal Register]: the fact was not"),
        "{stdout}"
    );
    assert!(!stdout.contains("REFERENCE.md [U]"), "{stdout}");
}

#[test]
fn fail_on_takes_any_case_and_check_rules_refuses_an_empty_folder() {
    let dir = tmp();
    write(&path(&dir, "a.csv"), ONE_CONTRACT);
    let (code, _, stderr) = run(
        &["audit", "a.csv", "-o", "out", "-q", "--fail-on", "HIGH"],
        dir.path(),
    );
    assert!(code == 0 || code == 1, "{stderr}");
    std::fs::create_dir(path(&dir, "rules")).unwrap();
    let (code, stdout, stderr) = run(&["check-rules", "rules"], dir.path());
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("tipaudit: error: rules holds none of the rule files (rules.toml,"),
        "{stderr}"
    );
}

#[test]
fn findings_name_the_users_column_header() {
    let dir = tmp();
    // Cotton apparel made in China, over the plan threshold, with the practice column blank.
    write(
        &path(&dir, "a.csv"),
        "Contract Number,Description of Requirement,Base and All Options Value,\
         Place of Performance Country,Country of Origin,Award Date,Clauses,TIP Policy Notice Issued\n\
         W1-25-C-0001,cotton t-shirts,2000000,CHN,CHN,2025-11-03,52.222-50 (OCT 2025),\n",
    );
    let (_, _, stderr) = run(&["audit", "a.csv", "-o", "out", "-q"], dir.path());
    let recs = jsonl(&path(&dir, "out"));
    let bp = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "BP02")
        .unwrap_or_else(|| panic!("no BP02: {recs:#?} {stderr}"));
    let message = bp["message"].as_str().unwrap();
    assert!(
        message.contains("(\"TIP Policy Notice Issued\" is blank)"),
        "{message}"
    );
    assert!(!message.contains("tip_policy_notice"), "{message}");
    assert_eq!(
        bp["fix"],
        "Record the evidence of BP02 in the \"TIP Policy Notice Issued\" column, or obtain it from the contractor"
    );
}

//! Clause rules through the binary: thresholds by date, commercial and simplified paths,
//! removed clauses, missing data, DoD and child-labor rules, `--rules DIR`, `check-rules`,
//! `rules` and `explain`. Every input is written by the test.

mod common;
use common::*;

const HEADER: &str = "Contract Number,Document Type,Date Signed,Estimated Value,Value Outside US,\
Place of Performance,Country of Origin,Description,PSC,Contracting Agency,COTS,\
US Directives Notified,Clauses";

/// Write a CSV portfolio and audit it; returns the JSON lines.
fn run_csv(rows: &[&str], extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let dir = tmp();
    let input = path(&dir, "portfolio.csv");
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    std::fs::write(&input, text).unwrap();
    let out = path(&dir, "out");
    let (code, _, stderr) = audit(&[&input], &out, extra);
    let recs = jsonl(&out);
    assert_eq!(code, fail_code(&recs, extra), "{stderr}");
    (code, recs)
}

/// The exit code the findings owe under the `--fail-on` in `extra` (default `high`): 1 when a
/// finding is at or above that severity, else 0.
fn fail_code(recs: &[serde_json::Value], extra: &[&str]) -> i32 {
    let level = extra
        .iter()
        .position(|a| *a == "--fail-on")
        .map_or("high", |i| extra[i + 1]);
    let rank = |s: &str| {
        ["info", "low", "medium", "high"]
            .iter()
            .position(|l| *l == s)
    };
    let Some(min) = rank(level) else {
        return 0; // never
    };
    let failing = recs.iter().any(|r| {
        r["findings"].as_array().is_some_and(|f| {
            f.iter().any(|f| {
                f["severity"]
                    .as_str()
                    .and_then(rank)
                    .is_some_and(|s| s >= min)
            })
        })
    });
    i32::from(failing)
}

fn finding<'a>(rec: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {rec:#}"))
}

#[test]
fn thresholds_at_and_around_each_step() {
    // (id, type, date, outside-US portion, TIP003/TIP004 expected)
    let cases = [
        ("S-a", "Solicitation", "2025-09-30", "549999.99", false),
        ("S-b", "Solicitation", "2025-09-30", "550000.00", true),
        ("S-c", "Solicitation", "2025-10-01", "699999.99", false),
        ("S-d", "Solicitation", "2025-10-01", "700000.00", true),
        ("S-e", "Solicitation", "2015-03-01", "9000000", false),
        ("C-a", "Contract", "2020-09-30", "500000.00", false),
        ("C-b", "Contract", "2020-09-30", "500000.01", true),
        ("C-c", "Contract", "2020-10-01", "550000.00", false),
        ("C-d", "Contract", "2020-10-01", "550000.01", true),
        ("C-e", "Contract", "2025-10-01", "700000.00", false),
        ("C-f", "Contract", "2025-10-01", "700000.01", true),
    ];
    let rows: Vec<String> = cases
        .iter()
        .map(|(id, kind, date, p, _)| {
            format!("{id},{kind},{date},5000000,{p},DEU,,Base support,R425,STATE DEPARTMENT,No,No,52.222-50")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let (_, recs) = run_csv(&rows, &[]);
    for (id, kind, date, p, want) in cases {
        let rule = if kind == "Solicitation" {
            "TIP003"
        } else {
            "TIP004"
        };
        let rec = record(&recs, id);
        assert_eq!(
            rules_of(rec).contains(&rule.to_string()),
            want,
            "{id} {date} {p}: {rec:#}"
        );
    }
    let t = finding(record(&recs, "S-d"), "TIP003");
    let m = t["message"].as_str().unwrap();
    assert!(m.contains("$700,000.00") && m.contains("2025-10-01"), "{m}");
    assert_eq!(t["column"], "Clauses");
    assert_eq!(t["fix"], "Insert provision 52.222-56 (OCT 2025)");
    let t = finding(record(&recs, "C-d"), "TIP004");
    assert!(t["message"].as_str().unwrap().contains("$550,000.01"));
    assert!(t["message"].as_str().unwrap().contains("$550,000.00"));
    assert_eq!(t["column"], "Value Outside US");
    assert_eq!(record(&recs, "C-d")["status"], "gaps");
}

#[test]
fn commercial_simplified_removed_and_missing_data() {
    let (code, recs) = run_csv(
        &[
            "K-1,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,52.212-5 (MAR 2026)",
            "K-2,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,52.213-4",
            "K-3,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,52.222-50 252.222-7007",
            "K-4,Contract,2026-01-15,TBD,,DEU,,Services,R425,STATE DEPARTMENT,No,No,52.222-50",
            "K-5,Contract,2026-01-15,900000,,,,Services,R425,STATE DEPARTMENT,No,No,52.222-50",
            "K-6,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,52.222-19",
        ],
        &["--fail-on", "high"],
    );
    assert_eq!(code, 1, "K-6 lacks 52.222-50 (high)");
    let r = record(&recs, "K-1");
    assert_eq!(rules_of(r), ["TIP006"], "{r:#}");
    assert_eq!(r["status"], "review");
    // 52.213-4 has no boxes and always incorporates 52.222-50.
    let r = record(&recs, "K-2");
    assert!(rules_of(r).is_empty(), "{r:#}");
    assert_eq!(r["status"], "compliant");
    let r = record(&recs, "K-3");
    assert_eq!(rules_of(r), ["TIP007"]);
    assert!(
        finding(r, "TIP007")["message"]
            .as_str()
            .unwrap()
            .contains("2018-05-30")
    );
    // Findings name the sheet's own column headers.
    for (id, field) in [
        ("K-4", "\"Estimated Value\""),
        ("K-5", "\"Place of Performance\""),
    ] {
        let r = record(&recs, id);
        assert_eq!(r["status"], "incomplete", "{r:#}");
        let d = finding(r, "DATA001");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{field} is")),
            "{d:#}"
        );
    }
    assert_eq!(rules_of(record(&recs, "K-6")), ["TIP001"]);
}

#[test]
fn no_place_of_performance_is_incomplete_unless_alternate_i_is_settled() {
    // Solicitations under the plan threshold citing 52.222-56: only TIP002 needs the place.
    let (_, recs) = run_csv(
        &[
            "N-1,Solicitation,2026-01-15,50000,,,,Services,R425,STATE DEPARTMENT,No,,\"52.222-50; 52.222-56\"",
            "N-2,Solicitation,2026-01-15,50000,,,,Services,R425,STATE DEPARTMENT,No,No,\"52.222-50; 52.222-56\"",
            "N-3,Solicitation,2026-01-15,50000,,,,Services,R425,STATE DEPARTMENT,No,,\"52.222-50 Alt I; 52.222-56\"",
        ],
        &[],
    );
    let r = record(&recs, "N-1");
    assert_eq!(r["status"], "incomplete", "{r:#}");
    assert_eq!(rules_of(r), ["DATA001"], "{r:#}");
    let m = finding(r, "DATA001")["message"].as_str().unwrap();
    assert!(
        m.starts_with("\"Place of Performance\" is") && m.contains("(TIP002)"),
        "{m}"
    );
    // Directives not notified: Alternate I is not required wherever the work is.
    let r = record(&recs, "N-2");
    assert_eq!(r["status"], "compliant", "{r:#}");
    assert!(rules_of(r).is_empty(), "{r:#}");
    // Alternate I cited: nothing is left to ask.
    let r = record(&recs, "N-3");
    assert_eq!(r["status"], "compliant", "{r:#}");
    assert!(rules_of(r).is_empty(), "{r:#}");
}

#[test]
fn dod_xinjiang_and_child_labor() {
    let (_, recs) = run_csv(
        &[
            "D-1,Contract,2024-03-01,50000,,USA,,Services,R425,2100: DEPT OF THE ARMY,No,,52.222-50",
            "D-2,Solicitation,2024-03-01,50000,,USA,,Services,R425,DEPT OF THE NAVY,No,,52.222-50 252.225-7060",
            "D-3,Contract,2024-03-01,50000,,USA,,Services,R425,DEPT OF THE ARMY,No,,52.222-50 252.225-7060 (JUN 2023)",
            "L-1,Contract,2026-01-15,20000,,USA,CHN,Cotton T-shirts,8415,STATE DEPARTMENT,No,,52.222-50",
            "L-2,Contract,2026-01-15,15000,,USA,CHN,Cotton T-shirts,8415,STATE DEPARTMENT,No,,52.222-50",
        ],
        &[],
    );
    let x = finding(record(&recs, "D-1"), "XJ001");
    assert!(x["message"].as_str().unwrap().contains("252.225-7060"));
    assert!(x["message"].as_str().unwrap().contains("DEPT OF THE ARMY"));
    let x = finding(record(&recs, "D-2"), "XJ001");
    assert!(x["message"].as_str().unwrap().contains("252.225-7059"));
    assert!(rules_of(record(&recs, "D-3")).is_empty());
    let c = finding(record(&recs, "L-1"), "CL001");
    let m = c["message"].as_str().unwrap();
    assert!(
        m.contains("52.222-19") && m.contains("PSC 8415") && m.contains("$15,000.00"),
        "{m}"
    );
    assert!(
        !rules_of(record(&recs, "L-2")).contains(&"CL001".to_string()),
        "exceed, not equal"
    );
}

#[test]
fn rules_dir_changes_behaviour() {
    let dir = tmp();
    let rules = path(&dir, "rules");
    std::fs::create_dir(&rules).unwrap();
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clauses/thresholds.toml"),
    )
    .unwrap();
    std::fs::write(
        rules.join("thresholds.toml"),
        builtin.replacen("amount = 700000", "amount = 750000", 1),
    )
    .unwrap();
    let row = "R-1,Solicitation,2026-01-15,5000000,720000,DEU,,Support,R425,STATE DEPARTMENT,No,No,52.222-50";
    let (_, recs) = run_csv(&[row], &[]);
    assert_eq!(rules_of(record(&recs, "R-1")), ["TIP003"]);
    let (_, recs) = run_csv(&[row], &["--rules", rules.to_str().unwrap()]);
    assert!(rules_of(record(&recs, "R-1")).is_empty(), "{recs:#?}");

    let o = tipaudit()
        .args(["explain", "TIP003", "--rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("$750,000.00"));
}

#[test]
fn check_rules_reports_file_line_field() {
    let dir = tmp();
    let rules = rules_dir(&dir);
    let builtin = builtin_rule_file("rules.toml");
    let text = builtin.replacen("when = [\"dod\"]", "when = [\"is_dod\"]", 1);
    let line = text[..text.find("is_dod").unwrap()].matches('\n').count() + 1;
    std::fs::write(rules.join("rules.toml"), &text).unwrap();
    let o = check_rules(&rules);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let file = rules.join("rules.toml").display().to_string();
    assert!(err.contains(&format!("{file}:{line}:")), "{err}");
    assert!(
        err.contains("`rule XJ001 (rule[8]).when`") && err.contains("unknown predicate 'is_dod'"),
        "{err}"
    );

    std::fs::write(rules.join("rules.toml"), builtin).unwrap();
    let o = check_rules(&rules);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("OK"));
}

/// `check-rules` checks what an audit would not load: every screening-list entry names its
/// source, and a copy of the place lists is valid.
#[test]
fn check_rules_names_a_screening_entry_without_a_source() {
    let dir = tmp();
    let rules = rules_dir(&dir);
    std::fs::write(
        rules.join("entities.csv"),
        "name,aliases,list,source,date\nAcme Polysilicon Co,,UFLPA Entity List,,2022-06-21\n",
    )
    .unwrap();
    let o = check_rules(&rules);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let file = rules.join("entities.csv").display().to_string();
    assert!(
        err.contains(&format!("{file}:2: Acme Polysilicon Co: source")),
        "{err}"
    );
    std::fs::write(
        rules.join("entities.csv"),
        "name,aliases,list,source,date\nAcme Polysilicon Co,,UFLPA Entity List,\"DHS UFLPA Entity List, 2022-06-21\",2022-06-21\n",
    )
    .unwrap();
    let o = check_rules(&rules);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn check_rules_names_an_unknown_check() {
    let dir = tmp();
    let rules = rules_dir(&dir);
    let builtin = builtin_rule_file("rules.toml");
    let text = builtin.replacen("check = \"alternate\"", "check = \"alt\"", 1);
    let line = text[..text.find("\"alt\"").unwrap()].matches('\n').count() + 1;
    std::fs::write(rules.join("rules.toml"), &text).unwrap();
    let o = check_rules(&rules);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let file = rules.join("rules.toml").display().to_string();
    assert!(
        err.contains(&format!("{file}:{line}:"))
            && err.contains("field `rule TIP002 (rule[1]).check`: unknown check 'alt'"),
        "{err}"
    );
    // The audit refuses the directory too, rather than skipping the rule.
    let input = path(&dir, "p.csv");
    std::fs::write(
        &input,
        format!("{HEADER}\nC-1,Contract,2026-01-05,1000,0,USA,,Desks,7110,GSA,No,No,52.222-50\n"),
    )
    .unwrap();
    let (code, _, stderr) = audit(
        &[&input],
        &path(&dir, "out"),
        &["--rules", rules.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown check 'alt'"), "{stderr}");
}

#[test]
fn rules_list_and_explain_every_clause_rule() {
    let o = tipaudit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "TIP001", "TIP002", "TIP003", "TIP004", "TIP005", "TIP006", "TIP007", "CL001", "XJ001",
        "DATA001", "DATA002", "DATA003",
    ] {
        assert!(ids.contains(&id), "{id}");
        let o = tipaudit().args(["explain", id]).output().unwrap();
        assert!(o.status.success(), "{id}");
        assert!(String::from_utf8_lossy(&o.stdout).starts_with(id));
    }
    let o = tipaudit().args(["explain", "TIP004"]).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for want in [
        "$500,000.00",
        "$550,000.00",
        "$700,000.00",
        "2020-10-01",
        "2025-10-01",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn tip004_reads_evidence_columns() {
    let dir = tmp();
    let input = path(&dir, "evidence.csv");
    std::fs::write(
        &input,
        "Contract Number,Date Signed,Estimated Value,Value Outside US,Place of Performance,COTS,US Directives Notified,Compliance Plan on File,Clauses\n\
         E-1,2026-01-15,2000000,900000,QAT,No,No,Yes,52.222-50\n\
         E-2,2026-01-15,2000000,900000,QAT,No,No,No,52.222-50\n\
         E-3,2026-01-15,2000000,900000,QAT,No,No,,52.222-50\n\
         E-4,2026-01-15,2000000,900000,QAT,Yes,No,,52.222-50\n",
    )
    .unwrap();
    let out = path(&dir, "out");
    audit(&[&input], &out, &[]);
    let recs = jsonl(&out);
    let has = |id: &str| rules_of(record(&recs, id)).contains(&"TIP004".to_string());
    assert!(!has("E-1"), "plan on file");
    assert!(has("E-2") && has("E-3"), "no / blank is no evidence");
    assert!(!has("E-4"), "entirely COTS");
}

#[test]
fn clause_citation_variants() {
    // (id, clauses cell, expected clause rules)
    let cases: &[(&str, &str, &[&str])] = &[
        ("V-1", "52.222-50 (OCT 2025)", &[]),
        ("V-2", "FAR 52.222-50", &[]),
        ("V-3", "52.222.50 (OCT 2025)", &["DATA002"]),
        ("V-4", "52.22-50", &["DATA002"]),
        ("V-5", "52.222-50 ALT I (MAR 2015)", &[]),
        ("V-6", "52.222-50, Alt. I", &[]),
        ("V-7", "52.222-50 (MAR 2015)", &["TIP005"]),
        ("V-8", "52.222-50 (Feb 2009)", &["TIP005"]),
        // Number stripped: recognised by the title from far.toml, and dated.
        (
            "V-9",
            "(1) , Combating Trafficking in Persons (Feb 2009) ()",
            &["DATA002", "TIP005"],
        ),
        ("V-10", "drug trafficking interdiction", &["TIP001"]),
        ("V-11", "52.222-50 (DEVIATION 2021-O0001)", &[]),
    ];
    let rows: Vec<String> = cases
        .iter()
        .map(|(id, cl, _)| {
            format!(
                "{id},Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,\"{cl}\""
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let (_, recs) = run_csv(&rows, &[]);
    for (id, cl, want) in cases {
        let mut got = rules_of(record(&recs, id));
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{id} {cl}");
    }
    let t = finding(record(&recs, "V-8"), "TIP005");
    let m = t["message"].as_str().unwrap();
    assert!(
        m.contains("(FEB 2009)") && m.contains("(OCT 2025)") && m.contains("2026-01-15"),
        "{m}"
    );
}

#[test]
fn check_box_marks_in_pasted_clause_lists() {
    let (_, recs) = run_csv(
        &[
            "M-1,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,\"52.212-5 (MAR 2026) (b) [ ] (39)(i) 52.222-50, Combating Trafficking in Persons (OCT 2025)\"",
            "M-2,Contract,2026-01-15,50000,,USA,,Services,R425,STATE DEPARTMENT,No,,\"52.212-5 (MAR 2026) (b) [X] (39)(i) 52.222-50, Combating Trafficking in Persons (OCT 2025)\"",
        ],
        &[],
    );
    // CONTRACT.md 2a "Check boxes decide": a box seen empty is TIP001 with its own message.
    assert_eq!(
        rules_of(record(&recs, "M-1")),
        ["TIP001"],
        "an empty box is not a citation"
    );
    assert_eq!(
        finding(record(&recs, "M-1"), "TIP001")["message"],
        "52.212-5 is incorporated but its 52.222-50 box is not checked"
    );
    assert!(
        rules_of(record(&recs, "M-2")).is_empty(),
        "a checked box is"
    );
}

#[test]
fn rules_json_and_explain_show_the_check_each_rule_runs() {
    let o = tipaudit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let data: toml::Table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clauses/rules.toml"),
    )
    .unwrap()
    .parse()
    .unwrap();
    let in_data = data["rule"].as_array().unwrap();
    assert!(in_data.len() > 10);
    for rule in in_data {
        let id = rule["id"].as_str().unwrap();
        let shown = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} not listed"));
        assert_eq!(shown["check"], rule["check"].as_str().unwrap(), "{id}");
    }
    for (id, line) in [
        (
            "TIP001",
            "check: clause_present, which checks that each required clause is cited",
        ),
        (
            "TIP005",
            "check: clause_version, which compares each cited clause's date with the version in force",
        ),
        (
            "ENT001",
            "check: entity_match, which matches the vendor and manufacturer against the screening lists",
        ),
    ] {
        let o = tipaudit().args(["explain", id]).output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{id}");
        // Right under the rule's kind and severity.
        assert!(
            text.lines().nth(2).is_some_and(|l| l.starts_with(line)),
            "{id}:\n{text}"
        );
    }
}

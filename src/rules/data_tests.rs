//! Registry and rule-data tests: every rule documented, the data strictly validated with
//! file/line/field diagnostics, and a second rules directory changing behaviour.

use std::path::Path;

use super::*;

fn builtin() -> RuleSet {
    RuleSet::load(&DataFiles::builtin()).expect("built-in rules load")
}

fn builtin_text(name: &str) -> String {
    DataFiles::builtin().get(name).expect(name).to_string()
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    text[..at].matches('\n').count() + 1
}

/// Write `files` into a fresh directory and run `check_dir` on it.
fn check_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<(), Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let r = check_dir(dir.path());
    (dir, r)
}

/// The single error of a check, which must name the file and the line.
fn one_error(dir: &Path, r: Result<(), Vec<String>>, file: &str, line: usize) -> String {
    let errs = r.expect_err("invalid data must be rejected");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = errs.into_iter().next().unwrap();
    let path = dir.join(file).display().to_string();
    assert!(
        e.starts_with(&format!("{path}:{line}:")),
        "expected {path}:{line}: in {e}"
    );
    e
}

#[test]
fn registry_every_rule_documented() {
    let rs = builtin();
    let mut ids = std::collections::HashSet::new();
    for r in rs.rules() {
        assert!(ids.insert(r.id.clone()), "duplicate {}", r.id);
        for (what, v) in [
            ("title", &*r.title),
            ("cite", &*r.cite),
            ("message", &*r.message),
            ("fix", &*r.fix),
            ("explain", &*r.explain),
        ] {
            assert!(!v.trim().is_empty(), "{} has no {what}", r.id);
        }
        let text = explain(&rs, &r.id).expect("explain for every rule");
        assert!(
            text.starts_with(&*r.id) && text.contains(&*r.cite),
            "{text}"
        );
    }
    for id in RAISED_BY_CLAUSE_CHECKS {
        assert!(rs.get(id).is_some(), "{id} is raised but not registered");
    }
    let table = render_rules_table(&rs);
    let json = rules_json(&rs);
    let listed = json.as_array().unwrap();
    assert_eq!(listed.len(), rs.rules().len());
    for r in rs.rules() {
        assert!(
            table.lines().any(|l| l.starts_with(&format!("{} ", r.id))),
            "{} missing from the table",
            r.id
        );
        assert!(listed.iter().any(|j| j["id"] == r.id.as_str()));
    }
    assert!(table.contains("high / low"), "TIP002 shows both severities");
}

#[test]
fn explain_renders_threshold_history_from_data() {
    let rs = builtin();
    for id in ["TIP003", "TIP004"] {
        let text = explain(&rs, id).unwrap();
        for want in [
            "before 2015-03-02",
            "from 2015-03-02  $500,000.00",
            "from 2020-10-01  $550,000.00",
            "from 2025-10-01  $700,000.00",
        ] {
            assert!(text.contains(want), "{id} explain lacks {want}:\n{text}");
        }
    }
    assert!(
        explain(&rs, "TIP004")
            .unwrap()
            .contains("compliance_plan, certification")
    );
    let tip003 = explain(&rs, "TIP003").unwrap();
    assert!(tip003.contains("at least"), "{tip003}");
    // Unconfirmed facts stay visible, without naming internal files.
    assert!(
        tip003.contains("date not confirmed against the Federal Register"),
        "52.222-56's first date is not confirmed:\n{tip003}"
    );
    for id in [
        "TIP001", "TIP003", "TIP005", "TIP007", "CL001", "XJ001", "RISK002", "ENT001",
    ] {
        let text = explain(&rs, id).unwrap();
        for internal in ["REFERENCE.md", "CONTRACT.md", "[U]", "hand-check"] {
            assert!(!text.contains(internal), "{id} cites {internal}:\n{text}");
        }
    }
    let cl = explain(&rs, "CL001").unwrap();
    assert!(
        cl.contains("$15,000.00") && cl.contains("Cotton: BEN, BFA, CHN, TJK, UZB"),
        "{cl}"
    );
    let tip007 = explain(&rs, "TIP007").unwrap();
    assert!(tip007.contains("252.222-7007") && tip007.contains("2018-05-30"));
    let tip005 = explain(&rs, "TIP005").unwrap();
    assert!(
        tip005.contains("(OCT 2025)  in force from 2025-10-01"),
        "{tip005}"
    );
    assert!(explain(&rs, "NOPE1").is_none());
    assert!(explain(&rs, "tip001").is_some(), "ids are case-insensitive");
}

#[test]
fn rules_json_has_gates() {
    let rs = builtin();
    let json = rules_json(&rs);
    let tip003 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "TIP003")
        .unwrap();
    assert_eq!(tip003["requires"][0], "52.222-56");
    assert_eq!(tip003["when"][2], "portion_at_least:tip_plan");
    assert_eq!(tip003["severity"], "high");
}

#[test]
fn builtin_data_facts() {
    let rs = builtin();
    let l = &rs.legal;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let plan = l.threshold("tip_plan").unwrap();
    assert!(plan.at(d("2015-03-01")).is_none());
    assert_eq!(plan.at(d("2015-03-02")).unwrap().amount, 500_000.0);
    assert_eq!(plan.at(d("2020-09-30")).unwrap().amount, 500_000.0);
    assert_eq!(plan.at(d("2020-10-01")).unwrap().amount, 550_000.0);
    assert_eq!(plan.at(d("2025-09-30")).unwrap().amount, 550_000.0);
    assert_eq!(plan.at(d("2025-10-01")).unwrap().amount, 700_000.0);
    let mpt = l.threshold("micro_purchase").unwrap();
    assert_eq!(mpt.at(d("2001-01-01")).unwrap().amount, 2_500.0);
    assert_eq!(mpt.at(d("2015-09-30")).unwrap().amount, 3_000.0);
    assert_eq!(mpt.at(d("2015-10-01")).unwrap().amount, 3_500.0);
    assert_eq!(mpt.at(d("2020-08-31")).unwrap().amount, 10_000.0);
    assert_eq!(mpt.at(d("2025-10-01")).unwrap().amount, 15_000.0);
    let tip = l.clause("52.222-50").unwrap();
    assert_eq!(tip.versions.len(), 8);
    let v = tip.version_at(0, d("2021-12-05")).unwrap();
    assert_eq!(legal::format_clause_date(v.date), "OCT 2020");
    let v = tip.version_at(0, d("2021-12-06")).unwrap();
    assert_eq!(legal::format_clause_date(v.date), "NOV 2021");
    let v = tip.version_at(0, d("2019-01-22")).unwrap();
    assert_eq!(legal::format_clause_date(v.date), "JAN 2019");
    let alt = tip.version_at(1, d("2016-01-01")).unwrap();
    assert_eq!(legal::format_clause_date(alt.date), "MAR 2015");
    assert_eq!(l.removed.len(), 2);
    let reused = l
        .removed
        .iter()
        .find(|r| r.number == "252.222-7006")
        .unwrap();
    assert_eq!(reused.reused.as_ref().unwrap().from, d("2010-05-19"));
    // The E.O. 13126 list: 34 goods, 54 country/good pairs, 26 countries (2014 sheet).
    let eo = &l.eo13126.products;
    assert_eq!(eo.len(), 34);
    assert_eq!(eo.iter().map(|p| p.countries.len()).sum::<usize>(), 54);
    let china: Vec<&str> = eo
        .iter()
        .filter(|p| p.countries.iter().any(|c| c == "CHN"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(china, ["Bricks", "Cotton", "Electronics", "Toys"]);
    // Dated entries: Uzbek cotton off the list from 2019-03-25.
    let cotton = eo.iter().find(|p| p.name == "Cotton").unwrap();
    assert!(cotton.countries_on(d("2019-03-24")).any(|c| c == "UZB"));
    assert!(!cotton.countries_on(d("2019-03-25")).any(|c| c == "UZB"));
    assert_eq!(l.eo13126.exclusions.len(), 3);
    // Titles feed the clause parser for number-stripped references.
    assert!(l.titles().contains(&(
        "Combating Trafficking in Persons".into(),
        "52.222-50".into()
    )));
}

#[test]
fn requirement_parse() {
    assert_eq!(
        Requirement::parse("52.222-50 Alt I"),
        Some(Requirement {
            number: "52.222-50".into(),
            alternate: 1
        })
    );
    assert_eq!(Requirement::parse("52.222-50").unwrap().alternate, 0);
    assert_eq!(
        Requirement::parse("52.222-50 Alternate II")
            .unwrap()
            .alternate,
        2
    );
    assert!(Requirement::parse("52.222-50 Alt").is_none());
    assert!(Requirement::parse("52.222-50 Alt IX").is_none());
    assert_eq!(
        Requirement::parse("52.222-50 Alt I").unwrap().to_string(),
        "52.222-50 Alternate I"
    );
}

// ---- check-rules: errors name file, line and field --------------------------------------

#[test]
fn check_dir_accepts_builtin_copy() {
    let names = [
        "rules.toml",
        "far.toml",
        "thresholds.toml",
        "eo13126.toml",
        "agencies.toml",
    ];
    let files: Vec<(&str, String)> = names.iter().map(|n| (*n, builtin_text(n))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let (_dir, r) = check_with(&refs);
    assert_eq!(r, Ok(()));
}

#[test]
fn check_dir_missing_directory() {
    let errs = check_dir(Path::new("/nonexistent/rules/dir")).unwrap_err();
    assert!(errs[0].contains("does not exist"), "{errs:?}");
}

#[test]
fn unknown_key_in_rules() {
    let text = builtin_text("rules.toml").replacen(
        "via_rule = \"TIP006\"",
        "via_rule = \"TIP006\"\nseverty = \"high\"",
        1,
    );
    let line = line_of(&text, "severty");
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let e = one_error(dir.path(), r, "rules.toml", line);
    assert!(
        e.contains("field `severty`") && e.contains("unknown field"),
        "{e}"
    );
}

#[test]
fn unknown_predicate() {
    let text = builtin_text("rules.toml").replacen("when = [\"dod\"]", "when = [\"is_dod\"]", 1);
    let line = line_of(&text, "is_dod");
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let e = one_error(dir.path(), r, "rules.toml", line);
    assert!(
        e.contains("field `rule XJ001 (rule[8]).when`") && e.contains("unknown predicate 'is_dod'"),
        "{e}"
    );
}

#[test]
fn unknown_threshold_in_predicate() {
    let text = builtin_text("rules.toml").replacen(
        "portion_at_least:tip_plan",
        "portion_at_least:tip_plam",
        1,
    );
    let line = line_of(&text, "tip_plam");
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let e = one_error(dir.path(), r, "rules.toml", line);
    assert!(
        e.contains("unknown threshold 'tip_plam'") && e.contains("`rule TIP003 (rule[2]).when`"),
        "{e}"
    );
}

#[test]
fn duplicate_rule_id() {
    let text = builtin_text("rules.toml").replacen("id = \"TIP002\"", "id = \"TIP001\"", 1);
    let dup = text.match_indices("id = \"TIP001\"").nth(1).unwrap().0;
    let line = text[..dup].matches('\n').count() + 1;
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let errs = r.unwrap_err();
    // The duplicate, and TIP002 now missing although the audit raises it.
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let path = dir.path().join("rules.toml").display().to_string();
    assert!(
        errs[0].starts_with(&format!("{path}:{line}:")),
        "{}",
        errs[0]
    );
    assert!(
        errs[0].contains("duplicate rule id TIP001")
            && errs[0].contains("`rule TIP001 (rule[1]).id`")
    );
    assert!(errs[1].contains("rule TIP002 is missing"), "{}", errs[1]);
}

#[test]
fn every_rule_names_a_known_check() {
    let rs = builtin();
    let check_of = |id: &str| rs.get(id).unwrap_or_else(|| panic!("{id}")).check;
    for id in ["TIP001", "TIP003", "CL001", "XJ001"] {
        assert_eq!(check_of(id), Check::ClausePresent, "{id}");
    }
    assert_eq!(check_of("TIP002"), Check::Alternate);
    assert_eq!(check_of("TIP005"), Check::ClauseVersion);
    assert_eq!(check_of("DATA001"), Check::BlockingFields);
    assert_eq!(check_of("BP17"), Check::PracticeEvidence);

    // A misspelt check names the rule, the field and the known checks.
    let text = builtin_text("rules.toml").replacen(
        "check = \"removed_clause\"",
        "check = \"removed_clauses\"",
        1,
    );
    let line = line_of(&text, "removed_clauses");
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let e = one_error(dir.path(), r, "rules.toml", line);
    assert!(
        e.contains("field `rule TIP007 (rule[6]).check`")
            && e.contains("unknown check 'removed_clauses'")
            && e.contains("clause_present, alternate"),
        "{e}"
    );

    // A rule without a check, and a check without the key it needs.
    let text = builtin_text("rules.toml")
        .replacen("check = \"malformed_reference\"\n", "", 1)
        .replacen("check = \"clause_version\"", "check = \"alternate\"", 1);
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let errs = r.unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let path = dir.path().join("rules.toml").display().to_string();
    let tip005 = line_of(&text, "check = \"alternate\"\nkind = \"outdated_clause\"");
    assert!(
        errs[0].starts_with(&format!("{path}:{tip005}:"))
            && errs[0].contains("field `rule TIP005 (rule[4]).check`")
            && errs[0].contains("check 'alternate' needs `requires`"),
        "{}",
        errs[0]
    );
    let data002 = line_of(&text, "id = \"DATA002\"");
    assert!(
        errs[1].starts_with(&format!("{path}:{data002}:"))
            && errs[1].contains("field `rule DATA002 (rule[14]).check`")
            && errs[1].contains("missing; known checks: clause_present"),
        "{}",
        errs[1]
    );
}

#[test]
fn checks_fit_their_rules() {
    // The risk and screening checks run by rule id, and a via_rule is a reached_via rule: a
    // check that would silently never run is an error.
    let text = builtin_text("rules.toml")
        .replacen("check = \"removed_clause\"", "check = \"entity_match\"", 1)
        .replacen("check = \"reached_via\"", "check = \"removed_clause\"", 1)
        .replacen("check = \"risk_category\"", "check = \"clause_version\"", 1);
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let errs = r.unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    let path = dir.path().join("rules.toml").display().to_string();
    let at = |needle: &str| format!("{path}:{}:", line_of(&text, needle));
    let want = [
        (
            at("via_rule = \"TIP006\""),
            "field `rule TIP001 (rule[0]).via_rule`: rule TIP006 has check 'removed_clause'",
        ),
        (
            at("check = \"entity_match\""),
            "field `rule TIP007 (rule[6]).check`: check 'entity_match' judges only ENT001",
        ),
        (
            at("check = \"clause_version\"\nkind = \"high_risk_goods\""),
            "field `rule RISK001 (rule[9]).check`: RISK001 is judged by check 'risk_category'",
        ),
    ];
    for (e, (place, message)) in errs.iter().zip(want) {
        assert!(e.starts_with(&place) && e.contains(message), "{e}");
    }
    let text = builtin_text("rules.toml").replacen(
        "check = \"practice_evidence\"",
        "check = \"clause_version\"",
        1,
    );
    let (_, r) = check_with(&[("rules.toml", &text)]);
    let errs = r.unwrap_err();
    assert!(
        errs.len() == 1
            && errs[0].contains("BP01 is a practice rule, judged by check 'practice_evidence'"),
        "{errs:#?}"
    );
}

#[test]
fn rule_naming_unknown_clause() {
    let text = builtin_text("rules.toml").replacen(
        "requires = [\"52.222-56\"]",
        "requires = [\"52.222-65\"]",
        1,
    );
    let line = line_of(&text, "52.222-65");
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let e = one_error(dir.path(), r, "rules.toml", line);
    assert!(
        e.contains("`rule TIP003 (rule[2]).requires`") && e.contains("unknown clause 52.222-65"),
        "{e}"
    );
}

#[test]
fn unknown_alternate_and_via_rule() {
    let text = builtin_text("rules.toml")
        .replacen(
            "requires = [\"52.222-50 Alt I\"]",
            "requires = [\"52.222-50 Alt II\"]",
            1,
        )
        .replacen("via_rule = \"TIP006\"", "via_rule = \"TIP066\"", 1);
    let (dir, r) = check_with(&[("rules.toml", &text)]);
    let errs = r.unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let path = dir.path().join("rules.toml").display().to_string();
    let via = line_of(&text, "TIP066");
    let alt = line_of(&text, "Alt II");
    assert!(
        errs[0].starts_with(&format!("{path}:{via}:"))
            && errs[0].contains("unknown rule id TIP066")
    );
    assert!(errs[1].starts_with(&format!("{path}:{alt}:")) && errs[1].contains("Alternate II"));
}

#[test]
fn bad_date_in_far() {
    let text =
        builtin_text("far.toml").replacen("effective = 2019-01-22", "effective = 2019-02-30", 1);
    let line = line_of(&text, "2019-02-30");
    let (dir, r) = check_with(&[("far.toml", &text)]);
    let e = one_error(dir.path(), r, "far.toml", line);
    // TOML itself rejects 30 February, at the value.
    assert!(e.contains("invalid date"), "{e}");
}

#[test]
fn malformed_date_in_far_is_a_parse_error() {
    let text =
        builtin_text("far.toml").replacen("effective = 2019-01-22", "effective = 2019-1-22", 1);
    let line = line_of(&text, "2019-1-22");
    let (dir, r) = check_with(&[("far.toml", &text)]);
    one_error(dir.path(), r, "far.toml", line);
}

#[test]
fn out_of_order_versions_and_clause_dates() {
    let text = builtin_text("far.toml")
        .replacen("effective = 2019-01-22", "effective = 2009-01-22", 1)
        .replacen("date = \"NOV 2021\"", "date = \"NOVEMBER 2021\"", 1);
    let (dir, r) = check_with(&[("far.toml", &text)]);
    let errs = r.unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let path = dir.path().join("far.toml").display().to_string();
    let l1 = line_of(&text, "2009-01-22");
    let l2 = line_of(&text, "NOVEMBER 2021");
    assert!(
        errs[0].starts_with(&format!("{path}:{l1}:"))
            && errs[0].contains("versions must be in order"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with(&format!("{path}:{l2}:"))
            && errs[1].contains("clause[0].version[6].date")
            && errs[1].contains("not a clause date"),
        "{}",
        errs[1]
    );
}

#[test]
fn thresholds_out_of_order_and_unknown_key() {
    let text =
        builtin_text("thresholds.toml").replacen("from = 2025-10-01", "from = 2019-10-01", 1);
    let line = line_of(&text, "2019-10-01");
    let (dir, r) = check_with(&[("thresholds.toml", &text)]);
    let e = one_error(dir.path(), r, "thresholds.toml", line);
    assert!(
        e.contains("`threshold[0].step[2].from`") && e.contains("in order"),
        "{e}"
    );

    let text = builtin_text("thresholds.toml").replacen(
        "amount = 700000",
        "amount = 700000\nammount = 1",
        1,
    );
    let line = line_of(&text, "ammount");
    let (dir, r) = check_with(&[("thresholds.toml", &text)]);
    let e = one_error(dir.path(), r, "thresholds.toml", line);
    assert!(e.contains("field `ammount`"), "{e}");
}

#[test]
fn eo13126_and_agencies_validated() {
    let text = builtin_text("eo13126.toml").replacen("\"AFG\"", "\"Afghanistan\"", 1);
    let line = line_of(&text, "\"Afghanistan\"");
    let (dir, r) = check_with(&[("eo13126.toml", &text)]);
    let e = one_error(dir.path(), r, "eo13126.toml", line);
    assert!(
        e.contains("product[0].countries") && e.contains("alpha-3"),
        "{e}"
    );

    let text = builtin_text("agencies.toml").replacen("\"^N[0-9]{5}$\"", "\"^N[0-9{5}$\"", 1);
    let line = line_of(&text, "^N[0-9{5}$");
    let (dir, r) = check_with(&[("agencies.toml", &text)]);
    let e = one_error(dir.path(), r, "agencies.toml", line);
    assert!(
        e.contains("dod.office_code_patterns") && e.contains("regular expression"),
        "{e}"
    );
}

#[test]
fn reached_via_must_be_catalogued() {
    let text = builtin_text("far.toml").replacen(
        "reached_via = [\"52.212-5\"]",
        "reached_via = [\"52.212-5\", \"52.213-44\"]",
        1,
    );
    let line = line_of(&text, "52.213-44");
    let (dir, r) = check_with(&[("far.toml", &text)]);
    let e = one_error(dir.path(), r, "far.toml", line);
    assert!(
        e.contains("clause[0].reached_via") && e.contains("unknown clause 52.213-44"),
        "{e}"
    );
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let rules = builtin_text("rules.toml").replacen("when = [\"dod\"]", "when = [\"is_dod\"]", 1);
    let th = builtin_text("thresholds.toml").replacen("amount = 500000", "amount = -5", 1);
    let (_dir, r) = check_with(&[("rules.toml", &rules), ("thresholds.toml", &th)]);
    let errs = r.unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs.iter()
            .any(|e| e.contains("thresholds.toml") && e.contains("positive"))
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("rules.toml") && e.contains("is_dod"))
    );
}

#[test]
fn a_fact_without_a_source_fails() {
    for (from, to) in [
        ("source = \"FAC 2005-30, 74 FR 2741\"", "source = \"\""),
        (
            "source = \"FAC 2005-30, 74 FR 2741\"",
            "source = \"REFERENCE.md 1.3\"",
        ),
    ] {
        let text = builtin_text("far.toml").replacen(from, to, 1);
        let (dir, r) = check_with(&[("far.toml", &text)]);
        let line = line_of(&text, to);
        let e = one_error(dir.path(), r, "far.toml", line);
        assert!(e.contains(".source"), "{e}");
    }
    let text = builtin_text("eo13126.toml").replacen(
        "source = \"DOL notice, 84 FR 11123\"",
        "source = \" \"",
        1,
    );
    let (dir, r) = check_with(&[("eo13126.toml", &text)]);
    let line = line_of(&text, "source = \" \"");
    let e = one_error(dir.path(), r, "eo13126.toml", line);
    assert!(e.contains("no source"), "{e}");
}

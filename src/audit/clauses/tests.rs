//! Table-driven tests per clause rule, on `Record`s built directly.

use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::audit::{Ctx, Engine, check};
use crate::model::{Finding, Severity, Status, status_of};
use crate::parse::clauseref::{ClauseCite, ClauseDate};
use crate::parse::country::Location;
use crate::record::{ClauseSource, Evidence, Field, Record, RecordType};
use crate::rules::DataFiles;

const CLAUSES_COL: u32 = 9;
const VALUE_COL: u32 = 3;
const VOUS_COL: u32 = 4;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::load(&DataFiles::builtin()).expect("built-in rules load"))
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A cite built through the parser so the test does not depend on `ClauseCite`'s fields.
fn cite(number: &str, alternate: u8, date: Option<(i32, u32)>) -> ClauseCite {
    let mut c = engine()
        .clause_parser
        .extract("52.222-50")
        .pop()
        .expect("parser reads 52.222-50");
    c.number = number.into();
    c.alternate = alternate;
    c.date = date.map(|(year, month)| ClauseDate { year, month });
    c.col = CLAUSES_COL;
    c
}

fn loc(code: &str, in_us: Option<bool>) -> Location {
    Location {
        code: Some(code.into()),
        text: code.into(),
        in_us,
        china: code == "CHN",
        xinjiang: false,
    }
}

fn ok<T>(col: u32, value: T) -> Field<T> {
    Field::Ok { col, value }
}

/// A compliant US contract on 2026-01-15 citing 52.222-50 (OCT 2025).
fn base() -> Record {
    Record {
        row: 2,
        contract_id: "TEST-1".into(),
        record_type: ok(1, RecordType::Contract),
        date: ok(2, day("2026-01-15")),
        value: ok(VALUE_COL, 100_000.0),
        place_of_performance: ok(5, loc("USA", Some(true))),
        clauses: vec![cite("52.222-50", 0, Some((2025, 10)))],
        clauses_source: Some(ClauseSource::Column(CLAUSES_COL)),
        ..Record::default()
    }
}

fn run_as_of(r: &Record, as_of: &str) -> Vec<Finding> {
    let name = |_: u32| None;
    let ctx = Ctx {
        engine: engine(),
        as_of: day(as_of),
        column_name: &name,
    };
    clause_findings(check(r, &ctx).0)
}

/// The clause rules' findings: the forced-labor risk checks (RISK, ENT, BP) run in the same
/// `check` and are tested with the risk module.
fn clause_findings(all: Vec<Finding>) -> Vec<Finding> {
    all.into_iter()
        .filter(|f| !["RISK", "ENT", "BP"].iter().any(|p| f.rule.starts_with(p)))
        .collect()
}

fn run(r: &Record) -> Vec<Finding> {
    run_as_of(r, "2026-11-23")
}

fn ids(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule.as_str()).collect()
}

fn only<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

#[test]
fn base_record_is_compliant() {
    let f = run(&base());
    assert!(f.is_empty(), "{f:#?}");
    assert_eq!(status_of(&f), Status::Compliant);
}

// ---- TIP001 / TIP006 ------------------------------------------------------------------

#[test]
fn tip001_and_tip006() {
    // (cited clauses, date, expected rules)
    type Case = (
        &'static [(&'static str, u8)],
        &'static str,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (&[], "2026-01-15", &["TIP001"]),
        (&[("52.222-50", 0)], "2026-01-15", &[]),
        (&[("52.222-50", 1)], "2026-01-15", &[]),
        (&[("52.212-5", 0)], "2026-01-15", &["TIP006"]),
        // 52.213-4 has no boxes: it always incorporates 52.222-50.
        (&[("52.213-4", 0)], "2026-01-15", &[]),
        (&[("52.212-5", 0), ("52.222-50", 0)], "2026-01-15", &[]),
        (&[("52.222-19", 0)], "2026-01-15", &["TIP001"]),
        // Before 52.222-50 existed (APR 2006) nothing was required.
        (&[], "2006-04-18", &[]),
        (&[], "2006-04-19", &["TIP001"]),
    ];
    for (cited, date, want) in cases {
        let mut r = base();
        r.clauses = cited.iter().map(|(n, a)| cite(n, *a, None)).collect();
        r.date = ok(2, day(date));
        let f = run(&r);
        assert_eq!(ids(&f), *want, "cited {cited:?} on {date}: {f:#?}");
    }
}

#[test]
fn tip001_finding_fields() {
    let mut r = base();
    r.clauses.clear();
    let f = run(&r);
    assert_eq!(f.len(), 1);
    let t = &f[0];
    assert_eq!(t.severity, Severity::High);
    assert_eq!(t.kind, "missing_clause");
    assert_eq!(t.cite, "FAR 22.1705(a)(1)");
    assert_eq!(t.col_index, Some(CLAUSES_COL));
    assert_eq!(t.fix, "Insert 52.222-50 (OCT 2025)");
    assert_eq!(status_of(&f), Status::Gaps);
    // The fix names the version in force on the record's date.
    r.date = ok(2, day("2016-06-01"));
    assert_eq!(run(&r)[0].fix, "Insert 52.222-50 (MAR 2015)");
}

#[test]
fn tip006_is_low_review() {
    let mut r = base();
    r.clauses = vec![cite("52.212-5", 0, Some((2026, 3)))];
    let f = run(&r);
    assert_eq!(ids(&f), ["TIP006"]);
    assert_eq!(f[0].severity, Severity::Low);
    assert!(f[0].message.contains("52.212-5"), "{}", f[0].message);
    assert_eq!(status_of(&f), Status::Review);
}

#[test]
fn clauses_unknown_is_data001_never_compliant() {
    let mut r = base();
    r.clauses.clear();
    r.clauses_source = None;
    let f = run(&r);
    assert_eq!(ids(&f), ["DATA001"]);
    assert!(
        f[0].message.starts_with("clauses is absent"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("52.222-50"));
    assert_eq!(status_of(&f), Status::Incomplete);
}

// ---- TIP003 / TIP004 thresholds -------------------------------------------------------

/// A record with an explicit outside-US portion.
fn overseas(kind: RecordType, date: &str, portion: f64) -> Record {
    let mut r = base();
    r.record_type = ok(1, kind);
    r.date = ok(2, day(date));
    r.value = ok(VALUE_COL, portion * 2.0);
    r.value_outside_us = ok(VOUS_COL, portion);
    // No US directives notified: Alternate I (TIP002) is not in play here.
    r.directives_notified = ok(11, false);
    r
}

/// (date, portion, TIP003 expected (>=), TIP004 expected (>))
const THRESHOLD_CASES: &[(&str, f64, bool, bool)] = &[
    // No plan or certification duty before 2015-03-02.
    ("2015-03-01", 10_000_000.0, false, false),
    ("2015-03-02", 499_999.99, false, false),
    ("2015-03-02", 500_000.00, true, false),
    ("2015-03-02", 500_000.01, true, true),
    // $500,000 up to 2020-09-30.
    ("2020-09-30", 499_999.99, false, false),
    ("2020-09-30", 500_000.00, true, false),
    ("2020-09-30", 500_000.01, true, true),
    ("2020-09-30", 549_999.99, true, true),
    // $550,000 from 2020-10-01.
    ("2020-10-01", 500_000.01, false, false),
    ("2020-10-01", 549_999.99, false, false),
    ("2020-10-01", 550_000.00, true, false),
    ("2020-10-01", 550_000.01, true, true),
    ("2025-09-30", 549_999.99, false, false),
    ("2025-09-30", 550_000.00, true, false),
    ("2025-09-30", 550_000.01, true, true),
    ("2025-09-30", 699_999.99, true, true),
    // $700,000 from 2025-10-01.
    ("2025-10-01", 550_000.01, false, false),
    ("2025-10-01", 699_999.99, false, false),
    ("2025-10-01", 700_000.00, true, false),
    ("2025-10-01", 700_000.01, true, true),
    ("2026-06-30", 712_000.00, true, true),
];

#[test]
fn tip003_at_least_threshold_by_date() {
    for &(date, portion, want, _) in THRESHOLD_CASES {
        let r = overseas(RecordType::Solicitation, date, portion);
        let f = run(&r);
        assert_eq!(
            !only(&f, "TIP003").is_empty(),
            want,
            "solicitation {date} portion {portion}: {f:#?}"
        );
        assert!(only(&f, "TIP004").is_empty(), "TIP004 is for awards");
        assert!(only(&f, "DATA001").is_empty(), "{f:#?}");
    }
}

#[test]
fn tip004_exceeds_threshold_by_date() {
    for &(date, portion, _, want) in THRESHOLD_CASES {
        for kind in [
            RecordType::Contract,
            RecordType::Order,
            RecordType::Modification,
        ] {
            let r = overseas(kind, date, portion);
            let f = run(&r);
            assert_eq!(
                !only(&f, "TIP004").is_empty(),
                want,
                "{kind:?} {date} portion {portion}: {f:#?}"
            );
            assert!(only(&f, "TIP003").is_empty(), "TIP003 is for solicitations");
        }
    }
}

#[test]
fn tip003_message_has_figures() {
    let r = overseas(RecordType::Solicitation, "2025-10-01", 712_000.0);
    let f = run(&r);
    let t = only(&f, "TIP003")[0];
    assert!(t.message.contains("$712,000.00"), "{}", t.message);
    assert!(t.message.contains("$700,000.00"), "{}", t.message);
    assert!(t.message.contains("2025-10-01"), "{}", t.message);
    assert_eq!(t.fix, "Insert provision 52.222-56 (OCT 2025)");
    assert_eq!(t.col_index, Some(CLAUSES_COL));
    // With 52.222-56 cited it is satisfied.
    let mut r = r;
    r.clauses.push(cite("52.222-56", 0, Some((2025, 10))));
    assert!(only(&run(&r), "TIP003").is_empty());
    // Before 2020-10-01 the fix names the provision version of that time.
    let r = overseas(RecordType::Solicitation, "2020-10-01", 600_000.0);
    assert_eq!(
        only(&run(&r), "TIP003")[0].fix,
        "Insert provision 52.222-56 (OCT 2020)"
    );
}

#[test]
fn tip004_message_column_and_evidence() {
    let r = overseas(RecordType::Contract, "2025-10-01", 712_000.0);
    let f = run(&r);
    let t = only(&f, "TIP004")[0];
    assert!(t.message.contains("$712,000.00") && t.message.contains("$700,000.00"));
    assert!(t.message.contains("2025-10-01"), "{}", t.message);
    assert_eq!(t.col_index, Some(VOUS_COL), "points at the portion's cell");
    // (evidence field, value, TIP004 expected)
    let cases = [
        ("compliance_plan", Evidence::Yes, false),
        ("certification", Evidence::Dated(day("2025-09-01")), false),
        (
            "annual_certification",
            Evidence::Text("file 12".into()),
            false,
        ),
        ("compliance_plan", Evidence::No, true),
        ("unrelated_practice", Evidence::Yes, true),
    ];
    for (name, ev, want) in cases {
        let mut r = r.clone();
        r.evidence.insert(name.into(), ok(12, ev.clone()));
        assert_eq!(!only(&run(&r), "TIP004").is_empty(), want, "{name} {ev:?}");
    }
    let mut r = r.clone();
    r.evidence
        .insert("compliance_plan".into(), Field::Blank { col: 12 });
    assert!(!only(&run(&r), "TIP004").is_empty(), "blank is no evidence");
}

#[test]
fn cots_exempts_only_when_cots_says_yes() {
    for (cots, want) in [
        (ok(7, true), false),
        (ok(7, false), true),
        (Field::Blank { col: 7 }, true),
        (Field::Absent, true),
        (
            Field::Bad {
                col: 7,
                raw: "maybe".into(),
                reason: "not yes/no".into(),
            },
            true,
        ),
    ] {
        for kind in [RecordType::Solicitation, RecordType::Contract] {
            let mut r = overseas(kind, "2026-01-15", 800_000.0);
            r.cots = cots.clone();
            let f = run(&r);
            let rule = if kind == RecordType::Solicitation {
                "TIP003"
            } else {
                "TIP004"
            };
            assert_eq!(!only(&f, rule).is_empty(), want, "{kind:?} cots {cots:?}");
        }
    }
}

// ---- the outside-US portion P --------------------------------------------------------

/// A 2026 solicitation worth $800,000 with no value_outside_us.
fn located(
    psc: Option<&str>,
    pop: Field<Location>,
    origin: Field<Location>,
    manufacture: Field<Location>,
) -> Record {
    let mut r = base();
    r.record_type = ok(1, RecordType::Solicitation);
    r.value = ok(VALUE_COL, 800_000.0);
    r.psc = psc.map_or(Field::Absent, |p| ok(8, p.to_string()));
    r.place_of_performance = pop;
    r.country_of_origin = origin;
    r.place_of_manufacture = manufacture;
    // The child-labor clauses a supply solicitation carries (CL001 is tested on its own).
    r.clauses.push(cite("52.222-19", 0, Some((2026, 3))));
    r.clauses.push(cite("52.222-18", 0, Some((2021, 2))));
    r
}

#[test]
fn portion_from_locations() {
    let out = |c: &str| ok(5, loc(c, Some(false)));
    let us = |c: &str| ok(5, loc(c, Some(true)));
    let blank = || Field::Blank { col: 6 };
    // (psc, pop, origin, manufacture, TIP003 expected, DATA001 fields)
    type Case = (
        Option<&'static str>,
        Field<Location>,
        Field<Location>,
        Field<Location>,
        bool,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        // Services: the place of performance decides.
        (
            Some("R425"),
            out("DEU"),
            Field::Absent,
            Field::Absent,
            true,
            vec![],
        ),
        (
            Some("R425"),
            us("USA"),
            out("CHN"),
            Field::Absent,
            false,
            vec![],
        ),
        // Outlying areas are inside the United States (FAR 22.1702).
        (
            Some("R425"),
            us("PRI"),
            Field::Absent,
            Field::Absent,
            false,
            vec![],
        ),
        // Supplies: origin or manufacture decides.
        (
            Some("8415"),
            us("USA"),
            out("CHN"),
            Field::Absent,
            true,
            vec![],
        ),
        (
            Some("8415"),
            out("DEU"),
            us("USA"),
            Field::Absent,
            false,
            vec![],
        ),
        (Some("8415"), us("USA"), blank(), out("CHN"), true, vec![]),
        // No PSC: any location outside the US counts.
        (None, us("USA"), out("VNM"), Field::Absent, true, vec![]),
        (None, us("USA"), Field::Absent, Field::Absent, false, vec![]),
        // Every needed location blank or unreadable: P unknown.
        (
            Some("R425"),
            blank(),
            Field::Absent,
            Field::Absent,
            false,
            vec!["place_of_performance"],
        ),
        (
            Some("R425"),
            ok(5, loc("ZZZ", None)),
            Field::Absent,
            Field::Absent,
            false,
            vec!["place_of_performance"],
        ),
        (
            Some("8415"),
            us("USA"),
            blank(),
            Field::Absent,
            false,
            vec!["country_of_origin"],
        ),
        (
            Some("8415"),
            us("USA"),
            blank(),
            ok(6, loc("C", None)),
            false,
            vec!["country_of_origin", "place_of_manufacture"],
        ),
        // No location column at all: every needed field is named.
        (
            None,
            Field::Absent,
            Field::Absent,
            Field::Absent,
            false,
            vec![
                "country_of_origin",
                "place_of_manufacture",
                "place_of_performance",
            ],
        ),
    ];
    for (psc, pop, origin, manu, want, unknown) in cases {
        let r = located(psc, pop.clone(), origin.clone(), manu.clone());
        let f = run(&r);
        let label = format!("psc {psc:?} pop {pop:?} origin {origin:?} manu {manu:?}");
        assert_eq!(!only(&f, "TIP003").is_empty(), want, "{label}: {f:#?}");
        let fields: Vec<String> = only(&f, "DATA001")
            .iter()
            .map(|d| d.message.split(' ').next().unwrap().to_string())
            .collect();
        assert_eq!(fields, unknown, "{label}: {f:#?}");
        if !unknown.is_empty() {
            assert_eq!(status_of(&f), Status::Incomplete, "{label}");
        }
    }
}

#[test]
fn tip003_portion_basis_in_message() {
    let r = located(
        Some("R425"),
        ok(5, loc("DEU", Some(false))),
        Field::Absent,
        Field::Absent,
    );
    let f = run(&r);
    let m = &only(&f, "TIP003")[0].message;
    assert!(
        m.contains("$800,000.00") && m.contains("place of performance DEU"),
        "{m}"
    );
}

#[test]
fn missing_value_is_data001_never_compliant() {
    for value in [
        Field::Blank { col: VALUE_COL },
        Field::Bad {
            col: VALUE_COL,
            raw: "TBD".into(),
            reason: "not an amount".into(),
        },
    ] {
        let mut r = located(
            Some("R425"),
            ok(5, loc("DEU", Some(false))),
            Field::Absent,
            Field::Absent,
        );
        r.value = value.clone();
        let f = run(&r);
        let d = only(&f, "DATA001");
        assert_eq!(d.len(), 1, "{f:#?}");
        assert!(d[0].message.starts_with("value is "), "{}", d[0].message);
        assert!(d[0].message.contains("52.222-56"), "{}", d[0].message);
        assert_eq!(d[0].col_index, Some(VALUE_COL));
        assert_eq!(status_of(&f), Status::Incomplete);
        if matches!(value, Field::Bad { .. }) {
            assert!(d[0].message.contains("'TBD'"), "{}", d[0].message);
        }
    }
}

#[test]
fn unknown_location_not_needed_below_threshold() {
    // A $10,000 solicitation cannot reach the threshold whatever its place.
    let mut r = located(
        Some("R425"),
        Field::Blank { col: 5 },
        Field::Absent,
        Field::Absent,
    );
    r.value = ok(VALUE_COL, 10_000.0);
    // Directives not notified: TIP002 does not need the place either.
    r.directives_notified = ok(11, false);
    let f = run(&r);
    assert!(f.is_empty(), "{f:#?}");
    assert_eq!(status_of(&f), Status::Compliant);
}

#[test]
fn missing_date_uses_as_of_and_is_data001() {
    for date in [
        Field::Blank { col: 2 },
        Field::Bad {
            col: 2,
            raw: "31/31/2025".into(),
            reason: "not a date".into(),
        },
    ] {
        // As of 2026 the threshold is $700,000: a $712,000 portion needs 52.222-56.
        let mut r = overseas(RecordType::Solicitation, "2026-01-15", 712_000.0);
        r.date = date.clone();
        let f = run_as_of(&r, "2026-02-01");
        assert_eq!(ids(&f), ["TIP003", "DATA001"], "{f:#?}");
        let d = only(&f, "DATA001")[0];
        assert!(d.message.starts_with("date is "), "{}", d.message);
        assert!(d.message.contains("2026-02-01"), "{}", d.message);
        assert_eq!(d.col_index, Some(2));
        assert!(only(&f, "TIP003")[0].message.contains("2026-02-01"));
        // The as-of date decides: in 2020 ($500,000) the same record is also a gap.
        let f = run_as_of(&r, "2020-01-01");
        assert!(only(&f, "TIP003")[0].message.contains("$500,000.00"));
    }
    // No date column at all: --as-of is used silently, as documented.
    let mut r = overseas(RecordType::Solicitation, "2026-01-15", 712_000.0);
    r.date = Field::Absent;
    assert_eq!(ids(&run(&r)), ["TIP003"]);
}

// ---- TIP002 ----------------------------------------------------------------------------

#[test]
fn tip002_alternate_i() {
    let yes = || ok(11, true);
    // (pop, value_outside_us, directives, alt I cited, expected (rule, severity) or DATA001)
    type Case = (
        Field<Location>,
        Option<f64>,
        Field<bool>,
        bool,
        Option<(&'static str, Severity)>,
    );
    let cases: Vec<Case> = vec![
        (
            ok(5, loc("AFG", Some(false))),
            None,
            yes(),
            false,
            Some(("TIP002", Severity::High)),
        ),
        (
            ok(5, loc("AFG", Some(false))),
            None,
            Field::Blank { col: 11 },
            false,
            Some(("TIP002", Severity::Low)),
        ),
        (
            ok(5, loc("AFG", Some(false))),
            None,
            Field::Absent,
            false,
            Some(("TIP002", Severity::Low)),
        ),
        (
            ok(5, loc("AFG", Some(false))),
            None,
            ok(11, false),
            false,
            None,
        ),
        (ok(5, loc("AFG", Some(false))), None, yes(), true, None),
        (ok(5, loc("USA", Some(true))), None, yes(), false, None),
        (ok(5, loc("GUM", Some(true))), None, yes(), false, None),
        // Supplies bought abroad for US performance: the place of performance decides.
        (
            ok(5, loc("USA", Some(true))),
            Some(90_000.0),
            yes(),
            false,
            None,
        ),
        // Palau is not an outlying area: outside the United States.
        (
            ok(5, loc("PLW", Some(false))),
            None,
            yes(),
            false,
            Some(("TIP002", Severity::High)),
        ),
        (
            Field::Blank { col: 5 },
            Some(10.0),
            yes(),
            false,
            Some(("TIP002", Severity::High)),
        ),
        (
            Field::Blank { col: 5 },
            None,
            yes(),
            false,
            Some(("DATA001", Severity::Medium)),
        ),
        // No place and directives blank: whether even the low finding applies cannot be
        // decided, so the record is incomplete, never compliant.
        (
            Field::Blank { col: 5 },
            None,
            Field::Blank { col: 11 },
            false,
            Some(("DATA001", Severity::Medium)),
        ),
        (Field::Blank { col: 5 }, None, ok(11, false), false, None),
        (
            Field::Blank { col: 5 },
            None,
            Field::Blank { col: 11 },
            true,
            None,
        ),
    ];
    for (pop, vous, directives, alt, want) in cases {
        let mut r = base();
        r.value = ok(VALUE_COL, 50_000.0);
        r.place_of_performance = pop.clone();
        r.value_outside_us = vous.map_or(Field::Absent, |v| ok(VOUS_COL, v));
        r.directives_notified = directives.clone();
        if alt {
            r.clauses.push(cite("52.222-50", 1, Some((2015, 3))));
        }
        let f = run(&r);
        let got: Option<(&str, Severity)> = f.first().map(|f| (f.rule.as_str(), f.severity));
        assert_eq!(
            got, want,
            "pop {pop:?} directives {directives:?} alt {alt}: {f:#?}"
        );
        if let Some(t) = only(&f, "TIP002").first() {
            assert!(t.message.contains("Alternate I"), "{}", t.message);
            assert!(
                t.fix.contains("52.222-50 Alternate I (MAR 2015)"),
                "{}",
                t.fix
            );
            assert_eq!(t.col_index, Some(CLAUSES_COL));
        }
    }
}

#[test]
fn tip002_low_whether_or_not_clauses_are_known() {
    let mut r = base();
    r.place_of_performance = ok(5, loc("AFG", Some(false)));
    r.directives_notified = Field::Blank { col: 11 };
    r.clauses.clear();
    r.clauses_source = None;
    let f = run(&r);
    let t = only(&f, "TIP002");
    assert_eq!(t.len(), 1, "{f:#?}");
    assert_eq!(t[0].severity, Severity::Low);
    // Directives notified but no clause list: the Alternate I question is DATA001.
    r.directives_notified = ok(11, true);
    let f = run(&r);
    assert!(only(&f, "TIP002").is_empty(), "{f:#?}");
    assert!(
        only(&f, "DATA001")
            .iter()
            .any(|d| d.message.contains("Alternate I")),
        "{f:#?}"
    );
}

// ---- TIP005 ----------------------------------------------------------------------------

#[test]
fn tip005_outdated_versions() {
    // (clause, alternate, cited date, record date, deviation, expected: (cited, current))
    type Case = (
        &'static str,
        u8,
        (i32, u32),
        &'static str,
        bool,
        Option<(&'static str, &'static str)>,
    );
    let cases: &[Case] = &[
        (
            "52.222-50",
            0,
            (2009, 2),
            "2016-01-01",
            false,
            Some(("FEB 2009", "MAR 2015")),
        ),
        ("52.222-50", 0, (2015, 3), "2016-01-01", false, None),
        (
            "52.222-50",
            0,
            (2015, 3),
            "2026-01-01",
            false,
            Some(("MAR 2015", "OCT 2025")),
        ),
        ("52.222-50", 0, (2021, 11), "2025-09-30", false, None),
        (
            "52.222-50",
            0,
            (2021, 11),
            "2025-10-01",
            false,
            Some(("NOV 2021", "OCT 2025")),
        ),
        // A date newer than the record's is not "outdated".
        ("52.222-50", 0, (2025, 10), "2025-09-30", false, None),
        // Deviations are agency texts with their own dates.
        ("52.222-50", 0, (2009, 2), "2016-01-01", true, None),
        (
            "52.222-50",
            1,
            (2007, 8),
            "2016-01-01",
            false,
            Some(("AUG 2007", "MAR 2015")),
        ),
        (
            "52.222-56",
            0,
            (2020, 10),
            "2025-10-01",
            false,
            Some(("OCT 2020", "OCT 2025")),
        ),
        (
            "252.225-7060",
            0,
            (2022, 12),
            "2024-01-01",
            false,
            Some(("DEC 2022", "JUN 2023")),
        ),
        // No history kept for 52.212-5: never dated.
        ("52.212-5", 0, (2013, 7), "2026-01-01", false, None),
    ];
    for &(number, alt, (y, m), date, deviation, want) in cases {
        let mut r = base();
        r.date = ok(2, day(date));
        let mut c = cite(number, alt, Some((y, m)));
        c.deviation = deviation;
        r.clauses = vec![cite("52.222-50", 0, None), c];
        let f = run(&r);
        let t = only(&f, "TIP005");
        match want {
            None => assert!(t.is_empty(), "{number} ({y}-{m}) on {date}: {f:#?}"),
            Some((cited, current)) => {
                assert_eq!(t.len(), 1, "{number} ({y}-{m}) on {date}: {f:#?}");
                let msg = &t[0].message;
                assert!(msg.contains(&format!("({cited})")), "{msg}");
                assert!(msg.contains(&format!("({current})")), "{msg}");
                assert!(msg.contains(date), "names the record date: {msg}");
                assert_eq!(t[0].col_index, Some(CLAUSES_COL));
                assert_eq!(t[0].severity, Severity::Medium);
                if alt == 1 {
                    assert!(msg.contains("Alternate I"), "{msg}");
                }
            }
        }
    }
}

#[test]
fn tip005_marks_unverified_versions() {
    let mut r = base();
    r.date = ok(2, day("2024-01-01"));
    r.clauses.push(cite("252.225-7060", 0, Some((2022, 12))));
    let f = run(&r);
    let m = &only(&f, "TIP005")[0].message;
    assert!(
        !m.contains("not confirmed"),
        "JUN 2023 is a secondary-source date: {m}"
    );
    // 52.222-19 (MAR 2026) rests on an assumed day: say so, without naming internal files.
    let mut r = base();
    r.date = ok(2, day("2026-06-01"));
    r.clauses.push(cite("52.222-19", 0, Some((2012, 3))));
    let f = run(&r);
    let m = &only(&f, "TIP005")[0].message;
    assert!(
        m.contains("date not confirmed against the Federal Register"),
        "{m}"
    );
    assert!(!m.contains("REFERENCE") && !m.contains("[U]"), "{m}");
}

#[test]
fn tip005_version_table_oct_2020_and_nov_2021() {
    // (cited, record date, outdated?)
    let cases = [
        ((2019, 1), "2020-09-30", false),
        ((2019, 1), "2020-10-01", true),
        ((2020, 10), "2020-10-01", false),
        ((2020, 10), "2021-12-05", false),
        ((2020, 10), "2021-12-06", true),
        ((2021, 11), "2021-12-06", false),
    ];
    for ((y, m), date, want) in cases {
        let mut r = base();
        r.date = ok(2, day(date));
        r.clauses = vec![cite("52.222-50", 0, Some((y, m)))];
        let f = run(&r);
        assert_eq!(
            !only(&f, "TIP005").is_empty(),
            want,
            "({y}-{m}) on {date}: {f:#?}"
        );
    }
}

// ---- TIP007 ----------------------------------------------------------------------------

#[test]
fn tip007_removed_clauses() {
    let cases = [
        ("252.222-7007", "2018-05-29", false),
        ("252.222-7007", "2018-05-30", true),
        ("252.222-7007", "2026-01-15", true),
        ("252.222-7006", "2008-01-23", false),
        ("252.222-7006", "2008-01-24", true),
        ("252.222-7006", "2010-05-18", true),
        // Reused from 2010-05-19 for the mandatory-arbitration clause: never from the number.
        ("252.222-7006", "2010-05-19", false),
        ("252.222-7006", "2026-01-15", false),
        ("52.222-50", "2026-01-15", false),
    ];
    for (number, date, want) in cases {
        let mut r = base();
        r.date = ok(2, day(date));
        r.clauses = vec![cite("52.222-50", 0, None), cite(number, 0, Some((2015, 1)))];
        let f = run(&r);
        let t = only(&f, "TIP007");
        assert_eq!(!t.is_empty(), want, "{number} on {date}: {f:#?}");
        if want {
            assert!(t[0].message.contains(number) && t[0].message.contains(date));
            assert_eq!(t[0].severity, Severity::Low);
            assert_eq!(status_of(&f), Status::Review);
        }
    }
}

#[test]
fn tip007_reused_number_only_with_the_removed_title() {
    let parser = &engine().clause_parser;
    let cases = [
        (
            "252.222-7006 Combating Trafficking in Persons (JAN 2006)",
            true,
        ),
        (
            "252.222-7006 Restrictions on the Use of Mandatory Arbitration Agreements (DEC 2010)",
            false,
        ),
        ("252.222-7006 (DEC 2010)", false),
    ];
    for (text, want) in cases {
        let mut r = base();
        r.date = ok(2, day("2024-03-01"));
        r.clauses
            .extend(parser.extract(text).into_iter().map(|mut c| {
                c.col = CLAUSES_COL;
                c
            }));
        let f = run(&r);
        assert_eq!(!only(&f, "TIP007").is_empty(), want, "{text}: {f:#?}");
    }
}

// ---- CL001 -----------------------------------------------------------------------------

fn supply(kind: RecordType, date: &str, value: f64, desc: &str, origin: Field<Location>) -> Record {
    let mut r = base();
    r.record_type = ok(1, kind);
    r.date = ok(2, day(date));
    r.value = ok(VALUE_COL, value);
    r.description = ok(6, desc.to_string());
    r.country_of_origin = origin;
    r
}

#[test]
fn cl001_child_labor() {
    let chn = || ok(7, loc("CHN", Some(false)));
    let usa = || ok(7, loc("USA", Some(true)));
    // (kind, date, value, description, psc, origin, extra clauses, expected missing clauses)
    type Case = (
        RecordType,
        &'static str,
        f64,
        &'static str,
        Option<&'static str>,
        Field<Location>,
        Vec<&'static str>,
        Vec<&'static str>,
    );
    let s = RecordType::Solicitation;
    let c = RecordType::Contract;
    let cases: Vec<Case> = vec![
        (
            c,
            "2026-01-15",
            20_000.0,
            "Cotton T-shirts",
            None,
            chn(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            s,
            "2026-01-15",
            20_000.0,
            "Cotton T-shirts",
            None,
            chn(),
            vec![],
            vec!["52.222-19", "52.222-18"],
        ),
        // 52.222-18: listed end products whatever their origin (FAR 22.1505(a)).
        (
            s,
            "2026-01-15",
            20_000.0,
            "Cotton T-shirts",
            None,
            usa(),
            vec![],
            vec!["52.222-19", "52.222-18"],
        ),
        // 52.222-19: every supply acquisition over the MPT (FAR 22.1505(b)), listed or not.
        (
            c,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            usa(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2026-01-15",
            20_000.0,
            "office chairs",
            Some("7110"),
            usa(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            s,
            "2026-01-15",
            20_000.0,
            "office chairs",
            Some("7110"),
            usa(),
            vec![],
            vec!["52.222-19"],
        ),
        // Services are not supplies.
        (
            c,
            "2026-01-15",
            20_000.0,
            "janitorial services",
            Some("S201"),
            usa(),
            vec![],
            vec![],
        ),
        // Nothing shows supplies (no PSC column, no listed product named).
        (
            c,
            "2026-01-15",
            20_000.0,
            "office chairs",
            None,
            chn(),
            vec![],
            vec![],
        ),
        // FAR 22.1503(b) / 52.222-19(a): trade-agreement origins at or above their values.
        (
            c,
            "2026-01-15",
            174_000.0,
            "office chairs",
            Some("7110"),
            ok(7, loc("DEU", Some(false))),
            vec![],
            vec![],
        ),
        (
            c,
            "2026-01-15",
            173_999.0,
            "office chairs",
            Some("7110"),
            ok(7, loc("DEU", Some(false))),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2026-01-15",
            50_000.0,
            "office chairs",
            Some("7110"),
            ok(7, loc("ISR", Some(false))),
            vec![],
            vec![],
        ),
        // The micro-purchase threshold in force on the date ("exceed").
        (
            c,
            "2025-10-01",
            15_000.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec![],
        ),
        (
            c,
            "2025-10-01",
            15_000.01,
            "cotton",
            None,
            chn(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2025-09-30",
            10_000.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec![],
        ),
        (
            c,
            "2025-09-30",
            10_000.01,
            "cotton",
            None,
            chn(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2020-08-30",
            5_000.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2020-08-31",
            5_000.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec![],
        ),
        (
            c,
            "2015-09-30",
            3_200.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec!["52.222-19"],
        ),
        (
            c,
            "2015-10-01",
            3_200.00,
            "cotton",
            None,
            chn(),
            vec![],
            vec![],
        ),
        // The List is dated: shrimp (Thailand only) left it on 2024-09-05.
        (
            s,
            "2024-09-04",
            20_000.0,
            "frozen shrimp",
            Some("8905"),
            usa(),
            vec![],
            vec!["52.222-19", "52.222-18"],
        ),
        (
            s,
            "2024-09-05",
            20_000.0,
            "frozen shrimp",
            Some("8905"),
            usa(),
            vec![],
            vec!["52.222-19"],
        ),
        // Cited directly, or through the clause lists.
        (
            c,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            chn(),
            vec!["52.222-19"],
            vec![],
        ),
        (
            c,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            chn(),
            vec!["52.212-5"],
            vec![],
        ),
        (
            c,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            chn(),
            vec!["52.213-4"],
            vec![],
        ),
        (
            s,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            chn(),
            vec!["52.212-5", "52.212-3"],
            vec![],
        ),
        (
            s,
            "2026-01-15",
            20_000.0,
            "cotton",
            None,
            chn(),
            vec!["52.222-19"],
            vec!["52.222-18"],
        ),
    ];
    for (kind, date, value, desc, psc, origin, extra, want) in cases {
        let mut r = supply(kind, date, value, desc, origin.clone());
        r.psc = psc.map_or(Field::Absent, |p| ok(8, p.to_string()));
        r.clauses.extend(extra.iter().map(|n| cite(n, 0, None)));
        let f = run(&r);
        let got: Vec<String> = only(&f, "CL001")
            .iter()
            .map(|c| c.message.split(' ').next().unwrap().to_string())
            .collect();
        assert_eq!(
            got, want,
            "{kind:?} {date} {value} {desc} {psc:?} {origin:?} {extra:?}: {f:#?}"
        );
        assert!(only(&f, "DATA001").is_empty(), "{f:#?}");
    }
}

#[test]
fn cl001_matches_codes_and_reports_figures() {
    let mut r = supply(
        RecordType::Solicitation,
        "2026-01-15",
        25_000.0,
        "",
        ok(7, loc("USA", Some(true))),
    );
    r.description = Field::Absent;
    r.psc = ok(8, "7820".to_string());
    let f = run(&r);
    let c = only(&f, "CL001");
    assert_eq!(c.len(), 2, "{f:#?}");
    let m19 = &c[0].message;
    assert!(
        m19.starts_with("52.222-19") && m19.contains("PSC 7820"),
        "{m19}"
    );
    assert!(
        m19.contains("$25,000.00") && m19.contains("$15,000.00") && m19.contains("2026-01-15"),
        "{m19}"
    );
    let m18 = &c[1].message;
    assert!(
        m18.starts_with("52.222-18") && m18.contains("Toys"),
        "{m18}"
    );
    assert!(m18.contains("CHN"), "names the listed countries: {m18}");
    // No version of 52.222-19 before (MAR 2026) is dated in far.toml.
    assert_eq!(
        c[0].fix,
        "Insert 52.222-19 (the version in force on 2026-01-15)"
    );
    assert_eq!(c[0].col_index, Some(CLAUSES_COL));
    assert_eq!(status_of(&f), Status::Gaps);
    r.date = ok(2, day("2026-06-01"));
    assert_eq!(
        only(&run(&r), "CL001")[0].fix,
        "Insert 52.222-19 (MAR 2026)"
    );
    // NAICS as FPDS floats.
    r.psc = Field::Absent;
    r.naics = ok(9, "339930.0".to_string());
    assert_eq!(only(&run(&r), "CL001").len(), 2);
}

#[test]
fn cl001_never_asks_for_origin_and_blank_psc_is_data001() {
    // A record naming no listed product and with no origin: no origin question.
    let mut r = supply(
        RecordType::Contract,
        "2026-01-15",
        20_000.0,
        "office chairs",
        Field::Blank { col: 7 },
    );
    r.psc = ok(8, "7110".to_string());
    r.clauses.push(cite("52.222-19", 0, Some((2026, 3))));
    let f = run(&r);
    assert!(f.is_empty(), "{f:#?}");
    // A listed product with a blank origin: 52.222-18/-19 do not depend on the origin.
    let mut r = supply(
        RecordType::Contract,
        "2026-01-15",
        20_000.0,
        "cotton towels",
        Field::Blank { col: 7 },
    );
    r.clauses.push(cite("52.222-19", 0, Some((2026, 3))));
    assert!(run(&r).is_empty());
    // Whether it is for supplies cannot be told: DATA001 names the PSC.
    let mut r = supply(
        RecordType::Contract,
        "2026-01-15",
        20_000.0,
        "office chairs",
        Field::Absent,
    );
    r.psc = Field::Blank { col: 8 };
    let f = run(&r);
    let d = only(&f, "DATA001");
    assert_eq!(d.len(), 1, "{f:#?}");
    assert!(d[0].message.starts_with("psc is blank"), "{}", d[0].message);
    assert!(d[0].message.contains("52.222-19"), "{}", d[0].message);
    assert_eq!(status_of(&f), Status::Incomplete);
}

// ---- XJ001 -----------------------------------------------------------------------------

#[test]
fn xj001_dod_records() {
    // (record type, date, agency, office, cited, expected missing clause or DATA001)
    type Case = (
        RecordType,
        &'static str,
        Field<String>,
        Field<String>,
        Vec<&'static str>,
        Vec<&'static str>,
    );
    let a = |s: &str| ok(10, s.to_string());
    let cases: Vec<Case> = vec![
        (
            RecordType::Contract,
            "2024-03-01",
            a("DEPT OF THE ARMY"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Order,
            "2024-03-01",
            a("2100: DEPT OF THE ARMY"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Solicitation,
            "2024-03-01",
            a("Department of Defense"),
            Field::Absent,
            vec![],
            vec!["252.225-7060", "252.225-7059"],
        ),
        // DFARS 225.7022-5(b): the clause goes in solicitations too.
        (
            RecordType::Solicitation,
            "2024-03-01",
            a("Department of Defense"),
            Field::Absent,
            vec!["252.225-7059"],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("9700"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("97AS: DEFENSE LOGISTICS AGENCY"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("5700"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("U.S. Navy"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            Field::Absent,
            ok(11, "W911QY".to_string()),
            vec![],
            vec!["252.225-7060"],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            Field::Absent,
            ok(11, "FA8501: AFSC PZIMA".to_string()),
            vec![],
            vec!["252.225-7060"],
        ),
        // Not DoD.
        (
            RecordType::Contract,
            "2024-03-01",
            a("STATE, DEPARTMENT OF"),
            Field::Absent,
            vec![],
            vec![],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("1900"),
            ok(11, "19AQMM".to_string()),
            vec![],
            vec![],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            a("4732: FEDERAL ACQUISITION SERVICE"),
            ok(11, "47QSWA".to_string()),
            vec![],
            vec![],
        ),
        (
            RecordType::Contract,
            "2024-03-01",
            Field::Absent,
            Field::Absent,
            vec![],
            vec![],
        ),
        // Effective date.
        (
            RecordType::Contract,
            "2022-12-29",
            a("DEPT OF THE NAVY"),
            Field::Absent,
            vec![],
            vec![],
        ),
        (
            RecordType::Contract,
            "2022-12-30",
            a("DEPT OF THE NAVY"),
            Field::Absent,
            vec![],
            vec!["252.225-7060"],
        ),
        // Cited.
        (
            RecordType::Contract,
            "2024-03-01",
            a("DEPT OF THE ARMY"),
            Field::Absent,
            vec!["252.225-7060"],
            vec![],
        ),
        (
            RecordType::Solicitation,
            "2024-03-01",
            a("DEPT OF THE ARMY"),
            Field::Absent,
            vec!["252.225-7059", "252.225-7060"],
            vec![],
        ),
        // Unknown agency.
        (
            RecordType::Contract,
            "2024-03-01",
            Field::Blank { col: 10 },
            Field::Absent,
            vec![],
            vec!["DATA001"],
        ),
    ];
    for (kind, date, agency, office, cited, want) in cases {
        let mut r = base();
        r.record_type = ok(1, kind);
        r.date = ok(2, day(date));
        r.agency = agency.clone();
        r.office = office.clone();
        r.clauses
            .extend(cited.iter().map(|n| cite(n, 0, Some((2023, 6)))));
        let f = run(&r);
        let got: Vec<String> = f
            .iter()
            .map(|x| {
                if x.rule == "XJ001" {
                    x.message
                        .split_whitespace()
                        .find(|w| w.starts_with("252."))
                        .unwrap()
                        .to_string()
                } else {
                    x.rule.to_string()
                }
            })
            .collect();
        assert_eq!(
            got, want,
            "{kind:?} {date} {agency:?} {office:?} {cited:?}: {f:#?}"
        );
    }
}

#[test]
fn xj001_message_and_fix() {
    let mut r = base();
    r.date = ok(2, day("2024-03-01"));
    r.agency = ok(10, "DEPT OF THE ARMY".into());
    let f = run(&r);
    let x = only(&f, "XJ001")[0];
    assert!(
        x.message.contains("DEPT OF THE ARMY") && x.message.contains("2022-12-30"),
        "{}",
        x.message
    );
    assert_eq!(x.fix, "Insert 252.225-7060 (JUN 2023)");
    assert_eq!(x.severity, Severity::Medium);
    assert_eq!(status_of(&f), Status::Gaps);
}

// ---- DATA002 ---------------------------------------------------------------------------

#[test]
fn data002_every_malformed_reference() {
    let mut r = base();
    let mut a = cite("52.222-50", 0, None);
    a.malformed = Some("52.222.50".into());
    let mut b = cite("52.222-19", 0, None);
    b.malformed = Some("52.22219".into());
    b.col = 12;
    r.clauses = vec![a, b];
    let f = run(&r);
    let d = only(&f, "DATA002");
    assert_eq!(d.len(), 2, "{f:#?}");
    assert_eq!(d[0].message, "'52.222.50' read as 52.222-50");
    assert_eq!(d[1].col_index, Some(12));
    assert_eq!(d[0].severity, Severity::Info);
    assert_eq!(status_of(&f), Status::Compliant);
    // Cites from a long-form clause sheet point to no cell of this sheet.
    r.clauses_source = Some(ClauseSource::Sheet("Clauses".into()));
    assert!(run(&r).iter().all(|f| f.col_index.is_none()));
}

// ---- the data decides, not the code -----------------------------------------------------

#[test]
fn every_rule_raised_is_registered() {
    let rs = &engine().rules;
    for id in crate::rules::RAISED_BY_CLAUSE_CHECKS {
        assert!(rs.get(id).is_some(), "{id}");
    }
}

#[test]
fn status_never_compliant_with_data001() {
    let mut r = located(
        Some("R425"),
        Field::Blank { col: 5 },
        Field::Absent,
        Field::Absent,
    );
    r.clauses.push(cite("52.222-56", 0, None));
    // Without the place, whether Alternate I is required (TIP002) is undecided ...
    assert_eq!(ids(&run(&r)), ["DATA001"]);
    // ... unless directives were not notified; 52.222-56 is cited, so no location is needed
    // for TIP003 ...
    r.directives_notified = ok(11, false);
    assert!(run(&r).is_empty());
    // ... but a contract needs it for TIP004.
    r.record_type = ok(1, RecordType::Contract);
    let f = run(&r);
    assert_eq!(ids(&f), ["DATA001"]);
    assert_ne!(status_of(&f), Status::Compliant);
}

// ---- a second rules directory changes behaviour with no code change ---------------------

fn run_with(engine: &Engine, r: &Record) -> Vec<Finding> {
    let name = |_: u32| None;
    let ctx = Ctx {
        engine,
        as_of: day("2026-11-23"),
        column_name: &name,
    };
    clause_findings(check(r, &ctx).0)
}

#[test]
fn rules_dir_threshold_change() {
    let dir = tempfile::tempdir().unwrap();
    let text = DataFiles::builtin()
        .get("thresholds.toml")
        .unwrap()
        .replacen("amount = 700000", "amount = 800000", 1);
    std::fs::write(dir.path().join("thresholds.toml"), text).unwrap();
    let custom = Engine::load(&DataFiles::from_dir(dir.path()).unwrap()).unwrap();

    let sol = overseas(RecordType::Solicitation, "2026-01-15", 750_000.0);
    let con = overseas(RecordType::Contract, "2026-01-15", 750_000.0);
    assert_eq!(ids(&run(&sol)), ["TIP003"]);
    assert_eq!(ids(&run(&con)), ["TIP004"]);
    assert!(run_with(&custom, &sol).is_empty());
    assert!(run_with(&custom, &con).is_empty());
    // At the new figure: "at least" still includes it, "exceeds" does not.
    let sol = overseas(RecordType::Solicitation, "2026-01-15", 800_000.0);
    let f = run_with(&custom, &sol);
    assert_eq!(ids(&f), ["TIP003"]);
    assert!(f[0].message.contains("$800,000.00"), "{}", f[0].message);
    assert!(
        run_with(
            &custom,
            &overseas(RecordType::Contract, "2026-01-15", 800_000.0)
        )
        .is_empty()
    );
    // Earlier steps are untouched.
    let old = overseas(RecordType::Contract, "2021-01-15", 600_000.0);
    assert_eq!(ids(&run_with(&custom, &old)), ["TIP004"]);
}

#[test]
fn rules_dir_new_rule_in_data_only() {
    // A contracting officer adds a rule: DoD cotton buys must cite 52.222-19 whatever the
    // value. No Rust changes: the rule names the generic requirement check.
    let dir = tempfile::tempdir().unwrap();
    let mut text = DataFiles::builtin().get("rules.toml").unwrap().to_string();
    text.push_str(
        r#"
[[rule]]
id = "LOCAL01"
kind = "missing_clause"
check = "clause_present"
severity = "high"
title = "DoD listed-product buys cite 52.222-19"
cite = "Agency policy memo 7"
requires = ["52.222-19"]
when = ["dod", "eo13126_listed"]
message = "{clause} missing for {product} from {origin} ({dod_basis})"
fix = "Insert {clause} ({current_date})"
explain = "Local policy: DoD buys of E.O. 13126 listed products cite 52.222-19 at any value."
"#,
    );
    std::fs::write(dir.path().join("rules.toml"), text).unwrap();
    let custom = Engine::load(&DataFiles::from_dir(dir.path()).unwrap()).unwrap();
    let mut r = supply(
        RecordType::Contract,
        "2026-06-01",
        5_000.0,
        "cotton sheets",
        ok(7, loc("CHN", Some(false))),
    );
    r.agency = ok(10, "DEPT OF THE ARMY".into());
    r.clauses.push(cite("252.225-7060", 0, Some((2023, 6))));
    assert!(
        run(&r).is_empty(),
        "below the MPT the built-in rules are silent"
    );
    let f = run_with(&custom, &r);
    assert_eq!(ids(&f), ["LOCAL01"]);
    assert_eq!(
        f[0].message,
        "52.222-19 missing for Cotton from CHN (agency DEPT OF THE ARMY)"
    );
    assert_eq!(f[0].fix, "Insert 52.222-19 (MAR 2026)");
}

#[test]
fn tip004_evidence_fields_exist_in_practices() {
    // TIP004 names evidence fields that practices.toml defines (and the ingest reads).
    let e = engine();
    let known: Vec<&str> = e
        .risk
        .practices
        .iter()
        .flat_map(|p| p.evidence.iter().map(|ev| ev.field.as_str()))
        .collect();
    let tip004 = e.rules.get("TIP004").unwrap();
    assert!(!tip004.evidence.is_empty());
    for f in &tip004.evidence {
        assert!(
            known.contains(&f.as_str()),
            "{f} is not a practices.toml field"
        );
    }
}

#[test]
fn unchecked_boxes_are_not_cited() {
    use crate::parse::clauseref::Mark;
    let unchecked = |n: &str, alt: u8, date: Option<(i32, u32)>| {
        let mut c = cite(n, alt, date);
        c.mark = Mark::Unchecked;
        c
    };
    // (clauses, expected)
    let cases: Vec<(Vec<ClauseCite>, Vec<&str>)> = vec![
        (vec![unchecked("52.222-50", 0, None)], vec!["TIP001"]),
        // The box is seen and empty: TIP001, not TIP006.
        (
            vec![cite("52.212-5", 0, None), unchecked("52.222-50", 0, None)],
            vec!["TIP001"],
        ),
        (
            vec![cite("52.212-5", 0, None), {
                let mut c = cite("52.222-50", 0, None);
                c.mark = Mark::Checked;
                c
            }],
            vec![],
        ),
        // An unselected old or removed clause is not "cited".
        (
            vec![
                cite("52.222-50", 0, None),
                unchecked("52.222-50", 1, Some((2007, 8))),
                unchecked("252.222-7007", 0, None),
            ],
            vec![],
        ),
    ];
    for (clauses, want) in cases {
        let mut r = base();
        r.clauses = clauses.clone();
        let f = run(&r);
        assert_eq!(ids(&f), want, "{clauses:#?}");
    }
}

#[test]
fn check_boxes_decide() {
    use crate::parse::clauseref::Mark;
    let checked = |n: &str| {
        let mut c = cite(n, 0, None);
        c.mark = Mark::Checked;
        c
    };
    let unchecked = |n: &str| {
        let mut c = cite(n, 0, None);
        c.mark = Mark::Unchecked;
        c
    };
    // (clauses, boxes_known, expected rules)
    let cases: Vec<(Vec<ClauseCite>, bool, Vec<&str>)> = vec![
        // A checked box counts as citing 52.222-50.
        (
            vec![cite("52.212-5", 0, Some((2026, 3))), checked("52.222-50")],
            true,
            vec![],
        ),
        // Boxes seen, 52.222-50 absent from the check-list: TIP001.
        (
            vec![cite("52.212-5", 0, Some((2026, 3)))],
            true,
            vec!["TIP001"],
        ),
        (
            vec![cite("52.212-5", 0, Some((2026, 3))), unchecked("52.222-50")],
            true,
            vec!["TIP001"],
        ),
        // Box state unknown: TIP006 (confirm).
        (
            vec![cite("52.212-5", 0, Some((2026, 3)))],
            false,
            vec!["TIP006"],
        ),
        (vec![cite("52.212-5", 0, None)], false, vec!["TIP006"]),
        // 52.212-5 versions through (JUL 2014) list 52.222-50 in paragraph (a): a citation.
        (vec![cite("52.212-5", 0, Some((2014, 7)))], false, vec![]),
        (vec![cite("52.212-5", 0, Some((2013, 7)))], true, vec![]),
        (
            vec![cite("52.212-5", 0, Some((2015, 4)))],
            false,
            vec!["TIP006"],
        ),
        // 52.213-4: no boxes, never TIP006, whatever its date.
        (vec![cite("52.213-4", 0, None)], false, vec![]),
        (vec![cite("52.213-4", 0, Some((2022, 12)))], false, vec![]),
        (vec![cite("52.213-4", 0, None)], true, vec![]),
    ];
    for (clauses, boxes, want) in cases {
        let mut r = base();
        r.date = ok(2, day("2026-06-01"));
        r.clauses = clauses.clone();
        r.boxes_known = boxes;
        let f: Vec<Finding> = run(&r).into_iter().filter(|f| f.rule != "TIP005").collect();
        assert_eq!(ids(&f), want, "boxes {boxes} {clauses:#?}");
        if let Some(t) = only(&f, "TIP001").first() {
            assert_eq!(
                t.message,
                "52.212-5 is incorporated but its 52.222-50 box is not checked"
            );
            assert_eq!(t.severity, Severity::High);
        }
    }
}

#[test]
fn truncated_clause_list_is_data001_not_missing() {
    let mut r = base();
    r.clauses = vec![cite("52.204-24", 0, None), cite("252.225-7060", 0, None)];
    r.clauses_truncated = true;
    let f = run(&r);
    assert_eq!(ids(&f), ["DATA001"], "{f:#?}");
    let m = &f[0].message;
    assert!(m.contains("cut off mid-entry"), "{m}");
    assert!(
        m.contains("52.222-50") && m.contains("could not be verified"),
        "{m}"
    );
    assert_eq!(f[0].col_index, Some(CLAUSES_COL));
    assert_eq!(status_of(&f), Status::Incomplete);
    // A clause that is found still counts.
    r.clauses.push(cite("52.222-50", 0, Some((2025, 10))));
    assert!(run(&r).is_empty());
    // Other missing-clause rules too: a DoD contract without 252.225-7060.
    let mut r = base();
    r.agency = ok(10, "DEPT OF THE ARMY".to_string());
    r.clauses_truncated = true;
    let f = run(&r);
    assert!(only(&f, "XJ001").is_empty(), "{f:#?}");
    assert!(
        only(&f, "DATA001")
            .iter()
            .any(|d| d.message.contains("252.225-7060")),
        "{f:#?}"
    );
}

#[test]
fn undated_52_212_5_on_a_record_from_the_paragraph_a_years() {
    let mut r = base();
    r.clauses = vec![cite("52.212-5", 0, None)];
    // Any 52.212-5 in force in July 2014 listed 52.222-50 in paragraph (a).
    r.date = ok(2, day("2014-07-31"));
    assert!(only(&run(&r), "TIP006").is_empty() && only(&run(&r), "TIP001").is_empty());
    r.date = ok(2, day("2014-08-01"));
    assert_eq!(ids(&run(&r)), ["TIP006"]);
}

#[test]
fn a_clause_is_gated_by_the_one_document_kind_it_is_prescribed_for() {
    use crate::rules::Predicate;
    let legal = &engine().rules.legal;
    let scope = |n: &str| super::scope_predicate(legal.clause(n).expect("a built-in clause"));
    assert_eq!(scope("52.222-56"), Some(Predicate::Solicitation));
    // A clause goes in solicitations and awards alike: no gate.
    assert_eq!(scope("52.222-50"), None);
}

#[test]
fn only_a_selected_clause_list_reaches_a_clause_by_its_box() {
    use crate::parse::clauseref::Mark;
    let c = engine().rules.legal.clause("52.222-50").unwrap();
    let mut r = base();
    r.clauses = vec![cite("52.222-19", 0, None), cite("52.212-5", 0, None)];
    let reached: Vec<&str> = super::checked_lists_reaching(&r, c)
        .iter()
        .map(|x| x.number.as_str())
        .collect();
    assert_eq!(reached, ["52.212-5"]);
    r.clauses[1].mark = Mark::Unchecked;
    assert!(super::checked_lists_reaching(&r, c).is_empty());
}

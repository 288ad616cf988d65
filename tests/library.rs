//! The library without the command line: `tipaudit::audit` and `tipaudit::merge` on files
//! the test writes, their outcomes read directly.

use std::path::{Path, PathBuf};

use tipaudit::model::{Severity, Status};
use tipaudit::rules::DataFiles;
use tipaudit::{AuditOptions, FailOn};

const HEADER: &str = "Contract Number,Award Date,Award Amount,Value Outside US,Place of Performance,COTS,Description,Clauses\n";
/// Cites 52.222-50 with an outdated date: one medium finding.
const DOMESTIC: &str = "W912DY26C0001,2026-01-12,\"$185,000\",,Texas,No,Office furniture,52.222-50 Combating Trafficking in Persons (NOV 2021)\n";
/// $9M of work in Iraq without 52.222-50: high findings.
const OVERSEAS: &str = "19AQMM26C0003,2026-02-02,$14.5M,$9M,Iraq,No,Life support and security services,52.204-24 (NOV 2021)\n";

fn options(inputs: Vec<PathBuf>, out: PathBuf) -> AuditOptions {
    AuditOptions {
        inputs,
        out,
        data: DataFiles::builtin(),
        mapping: None,
        entities: Vec::new(),
        clauses: Vec::new(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        jobs: 2,
        annotate: true,
        shard: None,
        progress: false,
        limits: Default::default(),
    }
}

fn write(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{HEADER}{}", rows.concat())).unwrap();
    path
}

#[test]
fn audit_returns_the_records_their_findings_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "contracts.csv", &[DOMESTIC, OVERSEAS]);
    let out = dir.path().join("out");
    let run = tipaudit::audit(&options(vec![input], out.clone())).unwrap();

    assert_eq!(run.batch.tally.records, 2);
    assert!(run.coverage.errors.is_empty(), "{:?}", run.coverage.errors);
    let records: Vec<_> = run
        .batch
        .results()
        .unwrap()
        .collect::<anyhow::Result<_>>()
        .unwrap();
    let ids: Vec<&str> = records.iter().map(|r| r.contract_id.as_str()).collect();
    assert_eq!(ids, ["W912DY26C0001", "19AQMM26C0003"]);
    let rules = |i: usize| -> Vec<(&str, Severity)> {
        records[i]
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.severity))
            .collect()
    };
    assert_eq!(rules(0), [("TIP005", Severity::Medium)]);
    assert!(
        rules(1).contains(&("TIP001", Severity::High)),
        "{:?}",
        rules(1)
    );
    assert!(records.iter().all(|r| r.status == Status::Gaps));

    // A high finding: 1 at the default threshold, 0 with --fail-on never.
    assert_eq!(run.exit_code(FailOn::High), tipaudit::EXIT_FINDINGS);
    assert_eq!(run.exit_code(FailOn::Never), tipaudit::EXIT_CLEAN);
    let summary = run.summary(FailOn::High, false).human();
    assert!(summary.contains("2 record(s)"), "{summary}");
    for name in [
        "findings.jsonl",
        "run.json",
        "gap-report.xlsx",
        "report.html",
    ] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    assert!(out.join("contracts.audited.xlsx").is_file());
}

#[test]
fn merged_shards_equal_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = vec![
        write(dir.path(), "a.csv", &[DOMESTIC]),
        write(dir.path(), "b.csv", &[OVERSEAS]),
        // The same contract again in another file: a cross-file duplicate finding, which
        // the merge must redo across shards.
        write(dir.path(), "c.csv", &[DOMESTIC]),
    ];
    let whole = tipaudit::audit(&options(inputs.clone(), dir.path().join("whole"))).unwrap();
    let mut shards = Vec::new();
    for k in 1..=2 {
        let mut opts = options(inputs.clone(), dir.path().join(format!("s{k}")));
        opts.shard = Some((k, 2));
        tipaudit::audit(&opts).unwrap();
        shards.push(opts.out);
    }
    let merged = tipaudit::merge(&shards, &dir.path().join("merged")).unwrap();

    let read = |p: &Path| std::fs::read_to_string(p.join("findings.jsonl")).unwrap();
    assert!(read(&dir.path().join("whole")).contains("DATA003"));
    assert_eq!(
        read(&dir.path().join("merged")),
        read(&dir.path().join("whole"))
    );
    assert_eq!(merged.batch.tally, whole.batch.tally);
    assert_eq!(merged.exit_code(), whole.exit_code(FailOn::High));
}

#[test]
fn audit_refuses_zero_jobs_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "contracts.csv", &[DOMESTIC]);
    let mut opts = options(vec![input], dir.path().join("out"));
    opts.jobs = 0;
    let err = tipaudit::audit(&opts).err().expect("zero jobs is refused");
    assert!(err.to_string().contains("at least 1"), "{err}");
    assert!(!dir.path().join("out").exists());
}

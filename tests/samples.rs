//! The bundled sample portfolio still audits to its recorded output. After an intended
//! change to the rules or the samples, regenerate the record with:
//! `cargo run --release -- audit samples/fpds-export.xlsx samples/portfolio-clean.xlsx samples/regional-office.xlsx samples/solicitations.csv samples/wide-clauses.xlsx -o /tmp/out --as-of 2026-11-23 --no-annotate -q; cp /tmp/out/findings.jsonl samples/expected/findings.jsonl`
//! and, for the clause evidence sample,
//! `cargo run --release -- audit samples/clause-evidence/fpds-export.csv --clauses samples/clause-evidence/clause-report.xlsx -o /tmp/ce --as-of 2026-11-23 --no-annotate -q; cp /tmp/ce/findings.jsonl samples/expected/clause-evidence.jsonl`

mod common;

#[test]
fn samples_audit_to_the_recorded_findings() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = common::tmp();
    let status = common::tipaudit()
        .current_dir(root)
        .args([
            "audit",
            // The five layouts (samples/clause-evidence/ is the --clauses sample below).
            "samples/fpds-export.xlsx",
            "samples/portfolio-clean.xlsx",
            "samples/regional-office.xlsx",
            "samples/solicitations.csv",
            "samples/wide-clauses.xlsx",
            "--as-of",
            "2026-11-23",
            "--no-annotate",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    // The samples hold high findings (TIP001 among them): the default `--fail-on high` fails.
    assert_eq!(
        status.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let got = std::fs::read_to_string(out.path().join("findings.jsonl")).unwrap();
    let want = std::fs::read_to_string(format!("{root}/samples/expected/findings.jsonl")).unwrap();
    if got != want {
        let diff: Vec<String> = got
            .lines()
            .zip(want.lines())
            .filter(|(a, b)| a != b)
            .take(3)
            .map(|(a, b)| format!("got:  {a}\nwant: {b}"))
            .collect();
        panic!(
            "sample findings changed ({} lines now, {} recorded):\n{}",
            got.lines().count(),
            want.lines().count(),
            diff.join("\n")
        );
    }
}

/// The common case: an FPDS export with no clause column plus the office's clause report.
#[test]
fn clause_evidence_sample_audits_to_its_recorded_findings() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = common::tmp();
    let o = common::tipaudit()
        .current_dir(root)
        .args([
            "audit",
            "samples/clause-evidence/fpds-export.csv",
            "--clauses",
            "samples/clause-evidence/clause-report.xlsx",
            "--as-of",
            "2026-11-23",
            "--no-annotate",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    // Every clause-evidence sample record is settled without a high finding.
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = std::fs::read_to_string(out.path().join("findings.jsonl")).unwrap();
    let want =
        std::fs::read_to_string(format!("{root}/samples/expected/clause-evidence.jsonl")).unwrap();
    assert_eq!(got, want, "clause evidence sample findings changed");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("W912DY-26-C-0099"),
        "unmatched evidence listed: {stdout}"
    );
}

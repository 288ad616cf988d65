//! The bundled sample portfolio still audits to its recorded output. After an intended
//! change to the rules or the samples, regenerate the record with:
//! `cargo run --release -- audit samples/ -o /tmp/out --as-of 2026-11-23 --no-annotate -q; cp /tmp/out/findings.jsonl samples/expected/findings.jsonl`

mod common;

#[test]
fn samples_audit_to_the_recorded_findings() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = common::tmp();
    let status = common::tipaudit()
        .current_dir(root)
        .args([
            "audit",
            "samples/",
            "--as-of",
            "2026-11-23",
            "--no-annotate",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        matches!(status.status.code(), Some(0 | 1)),
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

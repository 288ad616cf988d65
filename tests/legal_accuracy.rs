//! Legal accuracy through the binary: records shaped like the real FPDS/USAspending rows that
//! were judged wrong by hand (categories from services, studies and test samples; US origin
//! rated above low; a name read as a location), and the clause rules that changed with the
//! FAR/DFARS text (52.213-4, 252.225-7060 in solicitations, the reused 252.222-7006 number,
//! the 52.222-50 version table).

mod common;

use common::*;

const CSV: &str = "\
Contract Number,Document Type,Award Date,Base and All Options Value,Place of Performance,Country of Origin,Place of Manufacture,Vendor Name,Description of Requirement,Product or Service Code,NAICS Code,Contracting Agency,Clauses
L-1,Contract,2026-01-10,120000,USA,,,Telco Inc,COPPER CABLES,D304,517311,GENERAL SERVICES ADMINISTRATION,52.222-50 (OCT 2025)
L-2,Contract,2026-01-10,120000,USA,,,Telco Inc,FIBER AND COPPER,D399,517311,GENERAL SERVICES ADMINISTRATION,52.222-50 (OCT 2025)
L-3,Contract,2026-01-10,120000,USA,USA: UNITED STATES,D: MFG IN U.S.,Metals Lab,ALUMINUM TEST SAMPLES FURNISHED AS GOVERNMENT PROPERTY,9535,541380,NATIONAL AERONAUTICS AND SPACE ADMINISTRATION,52.222-50 (OCT 2025); 52.222-19 (MAR 2026)
L-4,Contract,2026-01-10,120000,USA,,,Space Med LLC,ORTHOSTATIC INTOLERANCE GARMENT,AN11,541715,NATIONAL AERONAUTICS AND SPACE ADMINISTRATION,52.222-50 (OCT 2025)
L-5,Contract,2026-01-10,120000,USA,,,Mint Consult,ALTERNATIVE METALS STUDY FOR CIRCULATING COINAGE,B599,541690,DEPARTMENT OF THE TREASURY,52.222-50 (OCT 2025)
L-6,Contract,2026-01-10,900000,USA,USA: UNITED STATES,D: MFG IN U.S.,Paper Mill Co,DISTINCTIVE CURRENCY PAPER,9310,322121,DEPARTMENT OF THE TREASURY,52.222-50 (OCT 2025); 52.222-19 (MAR 2026)
L-7,Modification,2026-01-10,-5000,USA,USA: UNITED STATES,D: MFG IN U.S.,Shirt Co,DEOBLIGATION COTTON T-SHIRTS,8405,315220,DEPARTMENT OF HOMELAND SECURITY,52.222-50 (OCT 2025); 52.222-19 (MAR 2026)
L-8,Contract,2026-01-10,120000,USA,USA: UNITED STATES,,XINJIANG NOODLE HOUSE LLC,CATERING SERVICES,S203,722320,DEPARTMENT OF STATE,52.222-50 (OCT 2025)
L-9,Contract,2026-01-10,12000,USA,,,Office Co,JANITORIAL SERVICES,S201,561720,DEPARTMENT OF STATE,52.213-4 (MAR 2026)
L-10,Solicitation,2024-03-01,50000,USA,,,,BASE OPERATIONS SUPPORT,M1AA,561210,DEPT OF THE ARMY,52.222-50 (MAR 2015); 252.225-7059 (JUN 2023)
L-11,Contract,2024-03-01,2000000,USA,,,Builder Co,BARRACKS RENOVATION,Z2AA,236220,DEPT OF THE ARMY,52.222-50 (MAR 2015); 252.225-7060 (JUN 2023); 252.222-7006 Restrictions on the Use of Mandatory Arbitration Agreements (DEC 2010)
L-12,Contract,2021-12-10,120000,USA,,,Office Co,JANITORIAL SERVICES,S201,561720,DEPARTMENT OF STATE,52.222-50 (OCT 2020)
";

fn findings_of<'a>(rec: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn records_judged_wrong_by_hand_and_changed_clause_rules() {
    let dir = tmp();
    let input = path(&dir, "portfolio.csv");
    std::fs::write(&input, CSV).unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(&[&input], &out, &["--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let recs = jsonl(&out);

    // A service, study or test sample about a good is not the good; US currency paper and
    // coinage studies are no category at all.
    for id in ["L-1", "L-2", "L-3", "L-4", "L-5", "L-6"] {
        let r = record(&recs, id);
        assert_eq!(r["risk_categories"], serde_json::json!([]), "{id}: {r}");
        assert_eq!(r["risk"], "none", "{id}: {r}");
        assert_eq!(r["status"], "compliant", "{id}: {r}");
    }

    // US origin and "D: MFG IN U.S.": a category alone is never above low, so never gaps.
    let r = record(&recs, "L-7");
    assert_eq!(r["risk"], "low", "{r}");
    assert_eq!(r["status"], "review", "{r}");
    assert!(
        findings_of(r, "RISK001")
            .iter()
            .all(|f| f["severity"] == "low"),
        "{r}"
    );

    // A US business named after the region: RISK003 (low), never RISK002 or gaps.
    let r = record(&recs, "L-8");
    assert!(findings_of(r, "RISK002").is_empty(), "{r}");
    let n = findings_of(r, "RISK003");
    assert_eq!(n.len(), 1, "{r}");
    assert_eq!(n[0]["severity"], "low");
    assert_eq!(n[0]["column"], "Vendor Name");
    assert_eq!(r["status"], "review");

    // 52.213-4 incorporates 52.222-50 with no box: no TIP001, no TIP006.
    let r = record(&recs, "L-9");
    assert_eq!(r["status"], "compliant", "{r}");

    // DFARS 225.7022-5(b): 252.225-7060 goes in DoD solicitations too.
    let r = record(&recs, "L-10");
    let xj = findings_of(r, "XJ001");
    assert_eq!(xj.len(), 1, "{r}");
    assert!(
        xj[0]["message"].as_str().unwrap().contains("252.225-7060"),
        "{r}"
    );

    // 252.222-7006 since 2010 is the mandatory-arbitration clause: not TIP007.
    let r = record(&recs, "L-11");
    assert!(findings_of(r, "TIP007").is_empty(), "{r}");

    // 52.222-50 (NOV 2021) took effect on 2021-12-06: (OCT 2020) is outdated on 2021-12-10.
    let r = record(&recs, "L-12");
    let t = findings_of(r, "TIP005");
    assert_eq!(t.len(), 1, "{r}");
    let m = t[0]["message"].as_str().unwrap();
    assert!(m.contains("(OCT 2020)") && m.contains("(NOV 2021)"), "{m}");
    assert!(m.contains("2021-12-06"), "{m}");
    assert!(!m.contains("REFERENCE") && !m.contains("[U]"), "{m}");
}

#[test]
fn check_rules_fails_on_a_fact_without_a_source() {
    let dir = tmp();
    let rules = path(&dir, "rules");
    std::fs::create_dir(&rules).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clauses");
    for f in ["far.toml", "eo13126.toml"] {
        std::fs::copy(root.join(f), rules.join(f)).unwrap();
    }
    let o = tipaudit().arg("check-rules").arg(&rules).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let far = std::fs::read_to_string(root.join("far.toml"))
        .unwrap()
        .replacen("source = \"72 FR 46335\"", "source = \"\"", 1);
    std::fs::write(rules.join("far.toml"), far).unwrap();
    let eo = std::fs::read_to_string(root.join("eo13126.toml"))
        .unwrap()
        .replacen(
            "source = \"DOL notice, 84 FR 11123\"",
            "source = \"REFERENCE.md 6.1\"",
            1,
        );
    std::fs::write(rules.join("eo13126.toml"), eo).unwrap();
    let o = tipaudit().arg("check-rules").arg(&rules).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("far.toml") && err.contains("no source"),
        "{err}"
    );
    assert!(
        err.contains("eo13126.toml") && err.contains("REFERENCE.md"),
        "{err}"
    );
}

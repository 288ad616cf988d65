//! Forced-labor risk rules (RISK001, RISK002, ENT001, BP) through the binary, on files the
//! test writes.

mod common;

use common::*;

const CSV: &str = "\
Contract Number,Award Date,Estimated Value,Place of Performance,Country of Origin,Vendor Name,Description of Requirement,PSC,Clauses,TIP Policy Notice Issued,Awareness Training
R-1,2026-01-10,\"$250,000\",USA,CHN: CHINA,Acme Apparel Inc,Cotton T-shirts for TSA officers,8405,52.222-50,,
R-2,2026-01-10,\"$250,000\",USA,USA,Desk Co,Office furniture,7110,52.222-50,,
R-3,2026-01-10,\"$250,000\",USA,,HOSHINE SILICON INDUSTRY CO LTD,Metallurgical silicon,6810,52.222-50,yes,2026-01-05
R-4,2026-01-10,\"$250,000\",USA,\"Urumqi, Xinjiang\",Sunrise Trading,Tomato paste,8915,52.222-50,yes,yes
R-5,2026-01-10,\"$250,000\",USA,USA,Lawyers LLP,Uniform Contract Format review; Solaris licenses; Fish and Wildlife Service,R499,52.222-50,,
";

#[test]
fn risk_rules_through_the_binary() {
    let dir = tmp();
    let input = path(&dir, "risk.csv");
    std::fs::write(&input, CSV).unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(&[&input], &out, &["--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let recs = jsonl(&out);

    let r1 = record(&recs, "R-1");
    assert_eq!(r1["risk"], "high");
    assert_eq!(
        r1["risk_categories"],
        serde_json::json!(["apparel", "cotton_textiles"])
    );
    let rules = rules_of(r1);
    assert!(rules.contains(&"RISK001".into()));
    // Risk high: practices with an evidence column are checked.
    let bp = |rec: &serde_json::Value, id: &str| {
        rec["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == id)
            .map(|f| f["severity"].as_str().unwrap().to_string())
    };
    assert_eq!(bp(r1, "BP02").as_deref(), Some("medium"), "REQ-ALL");
    assert_eq!(
        bp(r1, "BP12").as_deref(),
        Some("low"),
        "REQ-PLAN below the threshold"
    );
    assert_eq!(
        r1["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "BP02")
            .unwrap()["column"],
        "TIP Policy Notice Issued"
    );

    let r2 = record(&recs, "R-2");
    assert_eq!(r2["risk"], "none");
    assert!(
        !rules_of(r2).iter().any(|r| r.starts_with("BP")),
        "no risk, no BP check"
    );

    let r3 = record(&recs, "R-3");
    let ent = r3["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ENT001")
        .expect("ENT001");
    let msg = ent["message"].as_str().unwrap();
    assert!(
        msg.contains("UFLPA Entity List") && msg.contains("Hoshine"),
        "{msg}"
    );
    assert_eq!(ent["column"], "Vendor Name");
    assert_eq!(r3["risk"], "high");
    assert!(
        !rules_of(r3).iter().any(|r| r.starts_with("BP")),
        "evidence present"
    );

    let r4 = record(&recs, "R-4");
    assert!(rules_of(r4).contains(&"RISK002".into()));
    assert_eq!(r4["risk_categories"], serde_json::json!(["tomatoes"]));

    let r5 = record(&recs, "R-5");
    assert_eq!(r5["risk"], "none", "traps: {:?}", rules_of(r5));
}

#[test]
fn rules_and_explain_cover_the_risk_and_practice_rules() {
    let o = tipaudit().args(["rules"]).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for id in ["RISK001", "RISK002", "ENT001", "BP01", "BP11", "BP25"] {
        assert!(text.contains(id), "rules lists {id}");
    }
    let o = tipaudit().args(["explain", "BP14"]).output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("REQ-PLAN") && text.contains("52.222-50(h)(3)(iii)"),
        "{text}"
    );
}

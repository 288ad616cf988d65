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

#[test]
fn entities_lists_through_the_binary() {
    let dir = tmp();
    let csl = path(&dir, "consolidated.csv");
    std::fs::write(
        &csl,
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n\
e1,Entity List (EL) - Bureau of Industry and Security,,Entity,,Nanchang O-Film Tech Co. Ltd.,,,85 FR 44159,2020-07-22,,,,,,,,,,,,,O-Film Technology; OFILM,,,,,,\n",
    )
    .unwrap();
    let ftm = path(&dir, "entities.ftm.json");
    std::fs::write(
        &ftm,
        r#"{"id":"us-uflpa-x","schema":"Company","properties":{"name":["Ningbo Example Cotton Co., Ltd. (including one alias: Example Cotton)"]},"datasets":["us_dhs_uflpa"]}
"#,
    )
    .unwrap();
    let input = path(&dir, "vendors.csv");
    std::fs::write(
        &input,
        "Contract Number,Vendor Name,Manufacturer,Clauses\n\
V-1,OFILM,,52.222-50\n\
V-2,Acme Supply LLC,EXAMPLE COTTON CO,52.222-50\n\
V-3,Film Tech Services Inc,,52.222-50\n",
    )
    .unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(
        &[&input],
        &out,
        &[
            "--entities",
            csl.to_str().unwrap(),
            "--entities",
            ftm.to_str().unwrap(),
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let recs = jsonl(&out);
    let ent = |id: &str| -> Vec<String> {
        record(&recs, id)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "ENT001")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let v1 = ent("V-1");
    assert_eq!(v1.len(), 1);
    assert!(
        v1[0].contains("Entity List (EL) - Bureau of Industry and Security"),
        "{v1:?}"
    );
    let v2 = ent("V-2");
    assert_eq!(v2.len(), 1);
    assert!(
        v2[0].contains("manufacturer") && v2[0].contains("us_dhs_uflpa"),
        "{v2:?}"
    );
    assert!(ent("V-3").is_empty(), "a near miss stays unmatched");

    // A file that is no screening list is a usage error.
    let bad = path(&dir, "bad.csv");
    std::fs::write(&bad, "foo,bar\n1,2\n").unwrap();
    let (code, _, err) = audit(
        &[&input],
        &path(&dir, "out2"),
        &["--entities", bad.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn categories_command_lists_each_category_with_basis() {
    let o = tipaudit().arg("categories").output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for id in [
        "cotton_textiles",
        "apparel",
        "polysilicon_solar",
        "tomatoes",
        "aluminum",
        "pvc",
        "seafood",
        "steel",
        "copper",
        "lithium_batteries",
        "caustic_soda",
        "red_dates",
    ] {
        assert!(text.contains(id), "{id} listed");
    }
    assert!(text.contains("UFLPA") && text.contains("WRO") && text.contains("DOL"));
}

#[test]
fn rules_dir_replaces_the_risk_data() {
    let dir = tmp();
    let rules = path(&dir, "rules");
    std::fs::create_dir(&rules).unwrap();
    // A bad category file is a rules error with the file named.
    std::fs::write(
        rules.join("risk.toml"),
        "[severity]\nlow_specificity = \"low\"\nus_origin = \"low\"\nimport_ban_china_or_unknown = \"high\"\notherwise = \"medium\"\nsource = \"UFLPA sec. 3\"\n\n[[category]]\nid = \"x\"\nname = \"X\"\nbasis = []\n",
    )
    .unwrap();
    let o = tipaudit().arg("check-rules").arg(&rules).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("risk.toml") && err.contains("no basis"),
        "{err}"
    );
    // A valid directory: its own entity seed list replaces the built-in one.
    std::fs::remove_file(rules.join("risk.toml")).unwrap();
    std::fs::write(
        rules.join("entities.csv"),
        "name,list\nAcme Widgets Co,Agency Watch List\n",
    )
    .unwrap();
    let input = path(&dir, "in.csv");
    std::fs::write(
        &input,
        "Contract Number,Vendor Name,Clauses\nW-1,ACME WIDGETS COMPANY,52.222-50\nW-2,Hoshine Silicon Industry Co,52.222-50\n",
    )
    .unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(
        &[&input],
        &out,
        &["--rules", rules.to_str().unwrap(), "--fail-on", "never"],
    );
    assert_eq!(code, 0, "{err}");
    let recs = jsonl(&out);
    assert!(rules_of(record(&recs, "W-1")).contains(&"ENT001".into()));
    assert!(
        !rules_of(record(&recs, "W-2")).contains(&"ENT001".into()),
        "the built-in seeds were replaced"
    );
}

/// Electronics is reported at any origin, low; general IT hardware codes count only with a word
/// naming the hardware; services, licences and studies about it are not the good; steel keeps
/// its China-origin condition.
#[test]
fn electronics_at_any_origin_and_it_hardware_codes_with_a_product_word() {
    let dir = tmp();
    let input = path(&dir, "it.csv");
    std::fs::write(
        &input,
        "\
Contract Number,Award Date,Estimated Value,Country of Origin,Description of Requirement,PSC,NAICS,Clauses
E-1,2026-01-10,\"$90,000\",,Rugged laptops for field units,7021,334111,52.222-50
E-2,2026-01-10,\"$90,000\",,Desktops and servers with peripherals,7035,541519,52.222-50
E-3,2026-01-10,\"$90,000\",,SEWP V category B group C,7035,334111,52.222-50
E-4,2026-01-10,\"$90,000\",,Server maintenance and desktop support,7035,334111,52.222-50
E-5,2026-01-10,\"$90,000\",,Servers and storage devices hosting,D302,334111,52.222-50
E-6,2026-01-10,\"$90,000\",,Study of data center servers,7035,334111,52.222-50
E-7,2026-01-10,\"$90,000\",USA,Dell and Acer monitors,7025,334118,52.222-50
E-8,2026-01-10,\"$90,000\",,Stainless steel bar stock,9510,,52.222-50
E-9,2026-01-10,\"$90,000\",CHN: CHINA,Stainless steel bar stock,9510,,52.222-50
",
    )
    .unwrap();
    let out = path(&dir, "out");
    let (code, _, err) = audit(&[&input], &out, &["--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let recs = jsonl(&out);
    let risk001 = |id: &str| -> Vec<String> {
        record(&recs, id)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "RISK001")
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    for id in ["E-1", "E-2", "E-7"] {
        let r = record(&recs, id);
        assert_eq!(
            r["risk_categories"],
            serde_json::json!(["electronics"]),
            "{id}"
        );
        assert_eq!(risk001(id), ["low"], "{id}");
        assert_eq!(r["risk"], "low", "{id}");
    }
    for id in ["E-3", "E-4", "E-5", "E-6", "E-8"] {
        assert!(
            risk001(id).is_empty(),
            "{id}: {:?}",
            record(&recs, id)["findings"]
        );
    }
    assert_eq!(
        record(&recs, "E-9")["risk_categories"],
        serde_json::json!(["steel"])
    );
}

#[test]
fn a_screening_list_whose_first_line_is_blanks_is_a_usage_error() {
    let dir = tmp();
    let input = path(&dir, "in.csv");
    std::fs::write(
        &input,
        "Contract Number,Vendor Name,Clauses\nW-1,Acme Widgets Co,52.222-50\n",
    )
    .unwrap();
    let list = path(&dir, "blank-first.csv");
    std::fs::write(&list, "   \nname,list\nAcme Widgets Co,My List\n").unwrap();
    let (code, _, err) = audit(
        &[&input],
        &path(&dir, "out"),
        &["--entities", list.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("blank-first.csv") && err.contains("line 1") && err.contains("blank line"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );

    // The same list as a rules directory's seed list.
    let rules = path(&dir, "rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("entities.csv"), "\t \nname,list,source\n").unwrap();
    let (code, _, err) = audit(
        &[&input],
        &path(&dir, "out2"),
        &["--rules", rules.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("entities.csv") && err.contains("line 1") && err.contains("blank line"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

/// A screening list that cannot be loaded stops the run (exit 2) with one message naming the
/// file once, then where in it and what is wrong.
#[test]
fn a_broken_screening_list_is_named_once_with_where_it_breaks() {
    let dir = tmp();
    let input = path(&dir, "vendors.csv");
    std::fs::write(
        &input,
        "Contract Number,Vendor Name,Clauses\nV-1,Acme,52.222-50\n",
    )
    .unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "broken.ftm.json",
            "{\"schema\":\"Company\",\"properties\":{\"name\":[\"A\"]}}\n{\"schema\":\"Company\",\n",
            "line 2, column 20: not a JSON object: EOF while parsing a value",
        ),
        (
            "unclosed.csv",
            "name,list\nAcme Co,L\n\"Beta Co,L\nGamma Co,L\n",
            "line 3: a quoted cell is never closed; the rest of the list was read into it",
        ),
        (
            "nameless.csv",
            "name,list\n,L\n  ,M\n",
            "the `name` column is empty on every line: no entity to screen",
        ),
        (
            "blank-first.csv",
            " \nname,list\nAcme Co,L\n",
            "line 1: expected the CSV header with a `name` column as the first line, found a \
             blank line",
        ),
        (
            "other.csv",
            "foo,bar\n1,2\n",
            "not a screening list: expected a CSV header with a `name` column",
        ),
    ];
    for (name, text, what) in cases {
        let list = path(&dir, name);
        std::fs::write(&list, text).unwrap();
        let list = list.to_str().unwrap();
        let (code, _, err) = audit(&[&input], &path(&dir, "out"), &["--entities", list]);
        assert_eq!(code, 2, "{name}: {err}");
        let want = format!("tipaudit: error: screening list {list}: {what}");
        assert!(err.starts_with(&want), "{name}:\n{err}\nwants\n{want}");
        assert_eq!(err.matches(*name).count(), 1, "{name}: {err}");
    }
    let missing = path(&dir, "missing.csv");
    let missing = missing.to_str().unwrap();
    let (code, _, err) = audit(&[&input], &path(&dir, "out"), &["--entities", missing]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!(
            "tipaudit: error: screening list {missing}: cannot read the file: "
        )),
        "{err}"
    );
    assert_eq!(err.matches("missing.csv").count(), 1, "{err}");
}

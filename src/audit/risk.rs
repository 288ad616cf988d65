//! Forced-labor risk checks: RISK001 (high-risk goods), RISK002 (Xinjiang), ENT001
//! (screening lists). Returns the record's risk category ids.

use super::Ctx;
use crate::model::{Finding, Severity};
use crate::parse::country::Location;
use crate::record::{Field, Record};
use crate::risk::categories::{SeverityPolicy, kind_name};
use crate::risk::matcher::CategoryHit;
use crate::risk::portion::is_service;
use crate::risk::{RiskData, Specificity};

/// Where the goods come from, as far as the record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Unknown,
    /// Made in the United States (a US country code, or "made in U.S." place of manufacture).
    Us,
    /// A known country other than China and the US.
    Other,
    China,
    Xinjiang,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Unknown => "unknown",
            Origin::Us => "United States",
            Origin::Other => "not China",
            Origin::China => "China",
            Origin::Xinjiang => "Xinjiang",
        }
    }
}

fn origin_of_location(loc: &Location, risk: &RiskData) -> Origin {
    let non_china_code = loc.code.as_deref().is_some_and(|c| c != "CHN");
    if loc.xinjiang || (!non_china_code && risk.xinjiang.place_in(&loc.text).is_some()) {
        Origin::Xinjiang
    } else if loc.china || loc.code.as_deref() == Some("CHN") {
        Origin::China
    } else if loc.code.is_some() || loc.in_us.is_some() {
        // A code, or a place-of-manufacture letter that says US / outside US. "Outside the
        // US" without a country is no known origin.
        if loc.in_us == Some(true) {
            Origin::Us
        } else if loc.code.is_some() {
            Origin::Other
        } else {
            Origin::Unknown
        }
    } else {
        Origin::Unknown
    }
}

/// Origin of the supplies: country of origin and place of manufacture, the most telling wins.
pub fn origin(record: &Record, risk: &RiskData) -> Origin {
    [&record.country_of_origin, &record.place_of_manufacture]
        .into_iter()
        .filter_map(|f| f.value())
        .map(|l| origin_of_location(l, risk))
        .max()
        .unwrap_or(Origin::Unknown)
}

/// RISK001 severity: low for a low-specificity match, and for goods made in the United
/// States (a category alone says nothing about them); high when the category has a
/// UFLPA-sector or WRO basis and the origin is China, Xinjiang, or unknown for supplies;
/// medium otherwise (DOL basis only, or another origin).
/// The figures are the policy in `clauses/risk.toml` (`[severity]`).
pub fn risk001_severity(
    policy: &SeverityPolicy,
    specificity: Specificity,
    import_ban_basis: bool,
    origin: Origin,
    supplies: bool,
) -> Severity {
    let china_or_unknown = matches!(origin, Origin::China | Origin::Xinjiang)
        || (origin == Origin::Unknown && supplies);
    if specificity == Specificity::Low {
        policy.low_specificity
    } else if origin == Origin::Us {
        policy.us_origin
    } else if import_ban_basis && china_or_unknown {
        policy.import_ban_china_or_unknown
    } else {
        policy.otherwise
    }
}

fn describe(hit: &CategoryHit) -> String {
    let mut parts = Vec::new();
    if !hit.keywords.is_empty() {
        let kws: Vec<String> = hit
            .keywords
            .iter()
            .take(4)
            .map(|k| format!("\"{k}\""))
            .collect();
        parts.push(format!("description {}", kws.join(", ")));
    }
    if let Some((code, title, spec)) = &hit.psc {
        parts.push(format!("PSC {code} {title} ({})", spec.letter()));
    }
    if let Some((code, title, spec)) = &hit.naics {
        parts.push(format!("NAICS {code} {title} ({})", spec.letter()));
    }
    parts.join("; ")
}

pub fn check(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) -> Vec<String> {
    let origin = origin(record, &ctx.engine.risk);
    let supplies = is_service(record) != Some(true);
    let mut categories = risk001(record, ctx, origin, supplies, out);
    risk002(record, ctx, out);
    vendor_names(record, ctx, out);
    categories.sort();
    categories.dedup();
    categories
}

/// RISK001: one finding per high-risk category the record's goods fall in; returns their ids.
fn risk001(
    record: &Record,
    ctx: &Ctx,
    origin: Origin,
    supplies: bool,
    out: &mut Vec<Finding>,
) -> Vec<String> {
    let rules = &ctx.engine.rules;
    let risk = &ctx.engine.risk;
    let hits = risk.categories.classify(
        record.description.value().map(String::as_str),
        record.psc.value().map(String::as_str),
        record.naics.value().map(String::as_str),
    );
    let mut categories = Vec::new();
    for hit in hits {
        let cat = &risk.categories.categories[hit.category];
        if cat.china_origin_only && !matches!(origin, Origin::China | Origin::Xinjiang) {
            continue;
        }
        let severity = risk001_severity(
            &risk.categories.words.severity,
            hit.specificity,
            cat.has_import_ban_basis(),
            origin,
            supplies,
        );
        let mut kinds: Vec<&str> = Vec::new();
        for k in cat.basis.iter().map(|b| kind_name(b.kind)) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        let col = if !hit.keywords.is_empty() {
            record.description.col()
        } else if hit.psc.is_some() {
            record.psc.col()
        } else {
            record.naics.col()
        };
        let mut f = rules.finding(
            "RISK001",
            &[
                ("category", cat.name.clone()),
                ("basis", kinds.join(", ")),
                ("matched", describe(&hit)),
                ("specificity", hit.specificity.letter().to_string()),
                ("origin", origin.as_str().to_string()),
            ],
            col,
        );
        f.severity = severity;
        out.push(f);
        categories.push(cat.id.clone());
    }
    categories
}

/// RISK002: a location field in Xinjiang.
fn risk002(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) {
    let rules = &ctx.engine.rules;
    let risk = &ctx.engine.risk;
    let places: [(&str, &Field<Location>); 3] = [
        ("country of origin", &record.country_of_origin),
        ("place of manufacture", &record.place_of_manufacture),
        ("place of performance", &record.place_of_performance),
    ];
    for (field, loc) in places {
        let Some(l) = loc.value() else { continue };
        if origin_of_location(l, risk) == Origin::Xinjiang {
            out.push(rules.finding(
                "RISK002",
                &[("field", field.into()), ("text", l.text.clone())],
                loc.col(),
            ));
        }
    }
}

/// ENT001 and RISK003 on the vendor and manufacturer names. A name after the region is not a
/// location: a listed entity is ENT001; any other such name asks where the goods come from
/// (RISK003, low), since a US business may be named after the region too. Descriptions are
/// not read (clause titles name the XUAR).
fn vendor_names(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) {
    let rules = &ctx.engine.rules;
    let risk = &ctx.engine.risk;
    let names: [(&str, &Field<String>); 2] = [
        ("vendor", &record.vendor),
        ("manufacturer", &record.manufacturer),
    ];
    for (field, name) in names {
        let Some(n) = name.value() else { continue };
        let listed = risk.screener.screen(n);
        if listed.is_none()
            && let Some(spelling) = risk.xinjiang.region_in(n)
        {
            out.push(rules.finding(
                "RISK003",
                &[
                    ("field", format!("{field} name")),
                    ("text", format!("{n}: \"{spelling}\"")),
                ],
                name.col(),
            ));
        }
        let Some(m) = listed else { continue };
        let via = if m.matched_name != m.entry.name {
            format!(", as \"{}\"", m.matched_name)
        } else {
            String::new()
        };
        let date = if m.entry.date.is_empty() {
            String::new()
        } else {
            format!(", listed {}", m.entry.date)
        };
        out.push(rules.finding(
            "ENT001",
            &[
                ("field", field.into()),
                ("name", n.clone()),
                ("entry", m.entry.name.clone()),
                ("via", via),
                ("list", m.entry.list.clone()),
                ("source", m.entry.source.clone()),
                ("date", date),
                ("score", format!("{:.2}", m.score)),
            ],
            name.col(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Engine, check};
    use crate::cell::Value;
    use crate::model::{Risk, risk_of};
    use crate::record::Evidence;
    use crate::rules::DataFiles;
    use chrono::NaiveDate;

    fn engine() -> Engine {
        Engine::load(&DataFiles::builtin()).unwrap()
    }

    fn text(col: u32, s: &str) -> Field<String> {
        Field::Ok {
            col,
            value: s.to_string(),
        }
    }

    fn place(col: u32, s: &str) -> Field<Location> {
        match crate::parse::country::parse(&Value::Text(s.into())) {
            crate::parse::Parsed::Ok(value) => Field::Ok { col, value },
            other => panic!("{s}: {other:?}"),
        }
    }

    fn run(engine: &Engine, r: &Record) -> (Vec<Finding>, Vec<String>) {
        let names = |c: u32| Some(format!("col{c}").into());
        let ctx = Ctx {
            engine,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            column_name: &names,
        };
        check(r, &ctx)
    }

    fn sev(findings: &[Finding], rule: &str) -> Vec<Severity> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.severity)
            .collect()
    }

    #[test]
    fn severity_matrix() {
        use Specificity::*;
        let p = engine().risk.categories.words.severity.clone();
        let risk001_severity = |s, b, o, sup| super::risk001_severity(&p, s, b, o, sup);
        assert_eq!(
            risk001_severity(High, true, Origin::China, true),
            Severity::High
        );
        assert_eq!(
            risk001_severity(High, true, Origin::Xinjiang, false),
            Severity::High
        );
        assert_eq!(
            risk001_severity(High, true, Origin::Unknown, true),
            Severity::High
        );
        assert_eq!(
            risk001_severity(High, true, Origin::Unknown, false),
            Severity::Medium
        );
        assert_eq!(
            risk001_severity(High, true, Origin::Other, true),
            Severity::Medium
        );
        assert_eq!(
            risk001_severity(Medium, false, Origin::China, true),
            Severity::Medium
        );
        assert_eq!(
            risk001_severity(Low, true, Origin::China, true),
            Severity::Low
        );
        // Made in the United States: a category alone never raises it above low.
        assert_eq!(
            risk001_severity(High, true, Origin::Us, true),
            Severity::Low
        );
    }

    #[test]
    fn origin_drives_risk001() {
        let e = engine();
        let mut r = Record {
            description: text(1, "Cotton T-shirts, men's"),
            psc: text(2, "8405"),
            ..Record::default()
        };
        // Unknown origin of supplies with a UFLPA basis: high.
        let (f, cats) = run(&e, &r);
        assert_eq!(cats, ["apparel", "cotton_textiles"]);
        assert_eq!(sev(&f, "RISK001"), [Severity::High, Severity::High]);
        let msg = &f.iter().find(|f| f.rule == "RISK001").unwrap().message;
        assert!(
            msg.contains("UFLPA") && msg.contains("origin unknown"),
            "{msg}"
        );
        assert_eq!(
            f.iter()
                .find(|f| f.rule == "RISK001")
                .unwrap()
                .column
                .as_deref(),
            Some("col1")
        );
        // Made in the US: never above low on a category alone.
        r.country_of_origin = place(3, "USA: UNITED STATES");
        let (f, _) = run(&e, &r);
        assert_eq!(sev(&f, "RISK001"), [Severity::Low, Severity::Low]);
        // Another country: medium.
        r.country_of_origin = place(3, "VNM: VIET NAM");
        let (f, _) = run(&e, &r);
        assert_eq!(sev(&f, "RISK001"), [Severity::Medium, Severity::Medium]);
        // China: high.
        r.country_of_origin = place(3, "CHN: CHINA");
        let (f, _) = run(&e, &r);
        assert_eq!(sev(&f, "RISK001"), [Severity::High, Severity::High]);
        // Footwear is DOL-only: medium even from China.
        r.description = text(1, "leather combat boots");
        r.psc = text(2, "8430");
        let (f, cats) = run(&e, &r);
        assert_eq!(cats, ["footwear"]);
        assert_eq!(sev(&f, "RISK001"), [Severity::Medium]);
    }

    #[test]
    fn steel_needs_china_origin_and_electronics_is_low_at_any_origin() {
        let e = engine();
        let mut r = Record {
            description: text(1, "stainless steel bolts and laptop computers"),
            ..Record::default()
        };
        // Origin unknown: electronics low (REFERENCE.md 6.2 sets no origin condition for it),
        // steel only with China origin.
        let (f, cats) = run(&e, &r);
        assert_eq!(cats, ["electronics"]);
        assert_eq!(sev(&f, "RISK001"), [Severity::Low]);
        r.country_of_origin = place(3, "USA: UNITED STATES");
        let (f, cats) = run(&e, &r);
        assert_eq!(cats, ["electronics"]);
        assert_eq!(sev(&f, "RISK001"), [Severity::Low]);
        r.country_of_origin = place(3, "China");
        let (f, cats) = run(&e, &r);
        assert_eq!(cats, ["electronics", "steel"]);
        assert_eq!(sev(&f, "RISK001"), [Severity::Low, Severity::Low]);
    }

    #[test]
    fn xinjiang_locations_and_names() {
        let e = engine();
        let r = Record {
            country_of_origin: place(3, "Xinjiang, China"),
            place_of_manufacture: place(4, "Kashgar"),
            place_of_performance: place(5, "Germany"),
            vendor: text(6, "Xinjiang Sunrise Trading Co"),
            description: text(1, "tomato paste"),
            ..Record::default()
        };
        let (f, _) = run(&e, &r);
        let r2: Vec<&str> = f
            .iter()
            .filter(|f| f.rule == "RISK002")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(r2.len(), 2, "locations only: {r2:?}");
        assert!(r2[0].starts_with("country of origin is in Xinjiang"));
        assert!(r2[1].starts_with("place of manufacture is in Xinjiang"));
        // The vendor's name is not a location: RISK003 (low), confirm the origin.
        assert_eq!(sev(&f, "RISK003"), [Severity::Low]);
        assert_eq!(sev(&f, "RISK001"), [Severity::High], "Xinjiang origin");
        assert_eq!(risk_of(&f), Risk::High);
        // A US business named after the region, made in the US: never gaps.
        let r = Record {
            vendor: text(6, "Xinjiang Noodle House LLC"),
            country_of_origin: place(3, "USA: UNITED STATES"),
            description: text(1, "catering"),
            ..Record::default()
        };
        let (f, _) = run(&e, &r);
        assert!(sev(&f, "RISK002").is_empty(), "{f:#?}");
        assert_eq!(sev(&f, "RISK003"), [Severity::Low]);
        assert_eq!(risk_of(&f), Risk::Low);
        // A listed entity named after the region is ENT001, not RISK003.
        let r = Record {
            vendor: text(6, "Xinjiang Daqo New Energy Co., Ltd."),
            ..Record::default()
        };
        let (f, _) = run(&e, &r);
        assert!(
            sev(&f, "RISK003").is_empty() && sev(&f, "RISK002").is_empty(),
            "{f:#?}"
        );
        assert_eq!(sev(&f, "ENT001"), [Severity::High]);
        // China elsewhere is no Xinjiang.
        let r = Record {
            country_of_origin: place(3, "Shanghai, China"),
            vendor: text(6, "Shanghai Sunrise Trading"),
            ..Record::default()
        };
        assert!(sev(&run(&e, &r).0, "RISK002").is_empty());
    }

    #[test]
    fn entity_findings_name_entry_list_and_score() {
        let mut e = engine();
        let r = Record {
            vendor: text(6, "HOSHINE SILICON INDUSTRY CO LTD"),
            manufacturer: text(7, "Acme Widgets Ltd"),
            ..Record::default()
        };
        let (f, _) = run(&e, &r);
        let ent: Vec<&Finding> = f.iter().filter(|f| f.rule == "ENT001").collect();
        assert_eq!(ent.len(), 1);
        let m = &ent[0].message;
        assert!(
            m.contains("Hoshine Silicon Industry (Shanshan) Co. Ltd"),
            "{m}"
        );
        assert!(
            m.contains("UFLPA Entity List") && m.contains("score 1.00"),
            "{m}"
        );
        assert_eq!(ent[0].column.as_deref(), Some("col6"));
        // An --entities list adds names and keeps its own list name.
        let extra =
            crate::risk::parse_entities("name,list\nAcme Widgets Co.,My List\n", "x.csv").unwrap();
        e.add_entities(extra);
        let (f, _) = run(&e, &r);
        let m: Vec<&str> = f
            .iter()
            .filter(|f| f.rule == "ENT001")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(m.len(), 2);
        assert!(m[1].contains("manufacturer 'Acme Widgets Ltd'") && m[1].contains("My List"));
    }

    fn evidence(col: u32, v: Option<Evidence>) -> Field<Evidence> {
        match v {
            Some(value) => Field::Ok { col, value },
            None => Field::Blank { col },
        }
    }

    #[test]
    fn bp_gating_and_severity() {
        let e = engine();
        let mut r = Record {
            description: text(1, "office furniture"),
            value: Field::Ok {
                col: 8,
                value: 100_000.0,
            },
            place_of_performance: place(5, "USA"),
            ..Record::default()
        };
        r.evidence
            .insert("awareness_training".into(), evidence(10, None));
        r.evidence
            .insert("tip_policy_notice".into(), evidence(11, Some(Evidence::No)));
        r.evidence
            .insert("risk_assessment".into(), evidence(12, None));
        r.evidence.insert(
            "fees_charged_to_workers".into(),
            evidence(13, Some(Evidence::No)),
        );
        r.evidence
            .insert("compliance_plan".into(), evidence(14, None));
        let bps = |f: &[Finding]| -> Vec<(String, Severity)> {
            f.iter()
                .filter(|f| f.rule.starts_with("BP"))
                .map(|f| (f.rule.to_string(), f.severity))
                .collect()
        };
        // No risk, P = 0: not checked.
        assert!(bps(&run(&e, &r).0).is_empty());
        // Medium/high risk: checked; REQ-PLAN below the threshold is best practice (low).
        r.description = text(1, "cotton bed sheets");
        let got = bps(&run(&e, &r).0);
        assert_eq!(
            got,
            [
                ("BP02".into(), Severity::Medium),
                ("BP12".into(), Severity::Low),
                ("BP20".into(), Severity::Low),
            ],
            "fees = no is evidence; the plan itself is TIP004's"
        );
        // P over the threshold: the plan duty makes REQ-PLAN practices medium.
        r.description = text(1, "office furniture");
        r.place_of_performance = place(5, "Germany");
        r.value = Field::Ok {
            col: 8,
            value: 2_000_000.0,
        };
        let got = bps(&run(&e, &r).0);
        assert!(got.contains(&("BP12".into(), Severity::Medium)), "{got:?}");
        // Entirely COTS: no plan duty, and no risk: not checked.
        r.cots = Field::Ok {
            col: 9,
            value: true,
        };
        assert!(bps(&run(&e, &r).0).is_empty());
        // Fees charged = yes is a gap.
        r.cots = Field::Absent;
        r.evidence.insert(
            "fees_charged_to_workers".into(),
            evidence(13, Some(Evidence::Yes)),
        );
        let f = run(&e, &r).0;
        let bp05 = f.iter().find(|f| f.rule == "BP05").expect("fees charged");
        assert!(
            bp05.message.contains("(\"col13\" is yes)"),
            "{}",
            bp05.message
        );
        assert_eq!(bp05.column.as_deref(), Some("col13"));
    }

    #[test]
    fn incident_triggered_practices_need_their_facts() {
        let e = engine();
        // A high-risk record (cotton from China) with the incident evidence columns blank.
        let mut r = Record {
            description: text(1, "cotton bed sheets"),
            country_of_origin: place(3, "CHN: CHINA"),
            ..Record::default()
        };
        for (field, col) in [
            ("violation_action", 10),
            ("incident_reported", 11),
            ("return_travel_funded", 12),
            ("housing_compliant", 13),
            ("fapiis_cpars", 14),
        ] {
            r.evidence.insert(field.into(), evidence(col, None));
        }
        let bps = |f: &[Finding]| -> Vec<(String, Severity)> {
            f.iter()
                .filter(|f| f.rule.starts_with("BP"))
                .map(|f| (f.rule.to_string(), f.severity))
                .collect()
        };
        // No incident, no foreign workers, no employer housing: nothing to show.
        assert!(bps(&run(&e, &r).0).is_empty(), "{:?}", bps(&run(&e, &r).0));
        // The trigger columns say no: still nothing.
        r.evidence.insert(
            "violation_substantiated".into(),
            evidence(20, Some(Evidence::No)),
        );
        r.evidence
            .insert("foreign_workers".into(), evidence(21, Some(Evidence::No)));
        assert!(bps(&run(&e, &r).0).is_empty());
        // A substantiated violation: action against violators and the FAPIIS entry are
        // required, whatever the risk.
        r.evidence.insert(
            "violation_substantiated".into(),
            evidence(20, Some(Evidence::Yes)),
        );
        r.description = text(1, "office furniture");
        r.country_of_origin = place(3, "USA: UNITED STATES");
        let got = bps(&run(&e, &r).0);
        assert_eq!(
            got,
            [
                ("BP03".into(), Severity::Medium),
                ("BP24".into(), Severity::Medium)
            ]
        );
        let f = run(&e, &r).0;
        let bp24 = f.iter().find(|f| f.rule == "BP24").unwrap();
        assert!(
            bp24.message.contains("FAR 22.1704(d)(1)"),
            "{}",
            bp24.message
        );
        // Foreign workers brought in: return transport is required.
        r.evidence
            .insert("foreign_workers".into(), evidence(21, Some(Evidence::Yes)));
        let got = bps(&run(&e, &r).0);
        assert!(got.contains(&("BP07".into(), Severity::Medium)), "{got:?}");
    }
}

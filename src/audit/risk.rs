//! Forced-labor risk checks: RISK001 (high-risk goods), RISK002 (Xinjiang), ENT001
//! (screening lists). Returns the record's risk category ids.

use super::Ctx;
use crate::model::{Finding, Severity};
use crate::parse::country::Location;
use crate::record::{Field, Record};
use crate::risk::categories::{CategoryHit, kind_name};
use crate::risk::portion::is_service;
use crate::risk::{RiskData, Specificity};

/// Where the goods come from, as far as the record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Unknown,
    /// A known country other than China (the US included).
    Other,
    China,
    Xinjiang,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Unknown => "unknown",
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
        if loc.code.is_some() || loc.in_us == Some(true) {
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

/// RISK001 severity (CONTRACT.md section 3): low for a low-specificity match; high when the
/// category has a UFLPA-sector or WRO basis and the origin is China, Xinjiang, or unknown for
/// supplies; medium otherwise (DOL basis only, or another origin).
pub fn risk001_severity(
    specificity: Specificity,
    import_ban_basis: bool,
    origin: Origin,
    supplies: bool,
) -> Severity {
    let china_or_unknown = matches!(origin, Origin::China | Origin::Xinjiang)
        || (origin == Origin::Unknown && supplies);
    if specificity == Specificity::Low {
        Severity::Low
    } else if import_ban_basis && china_or_unknown {
        Severity::High
    } else {
        Severity::Medium
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
    let rules = &ctx.engine.rules;
    let risk = &ctx.engine.risk;
    let origin = origin(record, risk);
    let supplies = is_service(record) != Some(true);

    // RISK001
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
            hit.specificity,
            cat.has_import_ban_basis(),
            origin,
            supplies,
        );
        let mut kinds: Vec<&str> = cat.basis.iter().map(|b| kind_name(b.kind)).collect();
        kinds.dedup();
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

    // RISK002: a location field in Xinjiang.
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
    // A supplier named after the region is located there (Chinese firm names start with
    // their place); descriptions are not read, since clause titles name the XUAR too.
    let names: [(&str, &Field<String>); 2] = [
        ("vendor", &record.vendor),
        ("manufacturer", &record.manufacturer),
    ];
    for (field, name) in names {
        let Some(n) = name.value() else { continue };
        if let Some(spelling) = risk.xinjiang.region_in(n) {
            out.push(rules.finding(
                "RISK002",
                &[
                    ("field", format!("{field} name")),
                    ("text", format!("{n}: \"{spelling}\"")),
                ],
                name.col(),
            ));
        }
    }

    // ENT001
    for (field, name) in names {
        let Some(n) = name.value() else { continue };
        if let Some(m) = risk.screener.screen(n) {
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
    categories.sort();
    categories.dedup();
    categories
}

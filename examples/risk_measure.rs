//! Run the forced-labor risk checks over the real FPDS and USAspending records in
//! ../shared/data/real and print one TSV line per record, for measuring precision and recall
//! by hand-checking samples (see the issue 8 closing note):
//!
//!     cargo run --release --example risk_measure > /tmp/risk.tsv
//!
//! Columns: source, row, contract_id, flagged (RISK001), categories, RISK001 severities,
//! risk, other risk rules, psc, naics, origin, description. Counts go to stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use tipaudit::audit::{Ctx, Engine, check};
use tipaudit::cell::Value;
use tipaudit::model::risk_of;
use tipaudit::parse::Parsed;
use tipaudit::parse::country;
use tipaudit::record::{Field, Record};
use tipaudit::rules::DataFiles;

/// Column names per source: description, PSC, NAICS, origin, manufacture, performance, vendor, id.
const FPDS: [&str; 8] = [
    "descriptionOfContractRequirement",
    "productOrServiceCode",
    "principalNAICSCode",
    "countryOfOrigin",
    "placeOfManufacture",
    "popCountryCode",
    "vendorName",
    "PIID",
];
const USASPENDING: [&str; 8] = [
    "descriptionofcontractrequirement",
    "productorservicecode",
    "principalnaicscode",
    "countryoforigin",
    "placeofmanufacture",
    "placeofperformancecountrycode",
    "vendorname",
    "piid",
];

fn text(col: u32, s: &str) -> Field<String> {
    if s.trim().is_empty() {
        Field::Blank { col }
    } else {
        Field::Ok {
            col,
            value: s.trim().to_string(),
        }
    }
}

fn place(
    col: u32,
    s: &str,
    parse: fn(&Value) -> Parsed<tipaudit::parse::country::Location>,
) -> Field<tipaudit::parse::country::Location> {
    Field::from_parsed(col, || s.to_string(), parse(&Value::Text(s.to_string())))
}

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real");
    let engine = Engine::load(&DataFiles::builtin())?;
    let names = |_: u32| None;
    let ctx = Ctx {
        engine: &engine,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date"),
        column_name: &names,
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (file, cols) in [
        ("fpds_atom_kenosa_sample_flat.csv", FPDS),
        (
            "usaspending_legacy_treasury_contracts_2016.csv",
            USASPENDING,
        ),
    ] {
        let mut rdr = csv::Reader::from_path(dir.join(file))?;
        let headers = rdr.headers()?.clone();
        let idx: Vec<usize> = cols
            .iter()
            .map(|c| {
                headers
                    .iter()
                    .position(|h| h == *c)
                    .ok_or_else(|| anyhow::anyhow!("{file}: no column {c}"))
            })
            .collect::<anyhow::Result<_>>()?;
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec?;
            let get = |k: usize| rec.get(idx[k]).unwrap_or("");
            let r = Record {
                row: i as u32 + 2,
                contract_id: get(7).to_string(),
                description: text(0, get(0)),
                psc: text(1, get(1)),
                naics: text(2, get(2)),
                country_of_origin: place(3, get(3), country::parse),
                place_of_manufacture: place(4, get(4), country::parse_manufacture),
                place_of_performance: place(5, get(5), country::parse),
                vendor: text(6, get(6)),
                ..Record::default()
            };
            let (findings, cats) = check(&r, &ctx);
            let sev: Vec<&str> = findings
                .iter()
                .filter(|f| f.rule == "RISK001")
                .map(|f| f.severity.as_str())
                .collect();
            let other: Vec<&str> = findings
                .iter()
                .filter(|f| f.rule == "RISK002" || f.rule == "ENT001")
                .map(|f| f.rule.as_str())
                .collect();
            let origin = tipaudit::audit::risk::origin(&r, &engine.risk);
            *counts.entry(format!("{file} records")).or_default() += 1;
            if !sev.is_empty() {
                *counts.entry(format!("{file} RISK001")).or_default() += 1;
            }
            for c in &cats {
                *counts.entry(format!("category {c}")).or_default() += 1;
            }
            for s in &sev {
                *counts.entry(format!("RISK001 {s}")).or_default() += 1;
            }
            for o in &other {
                *counts.entry(o.to_string()).or_default() += 1;
            }
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            println!(
                "{file}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                r.row,
                clean(&r.contract_id),
                !sev.is_empty(),
                cats.join(","),
                sev.join(","),
                risk_of(&findings).as_str(),
                other.join(","),
                clean(get(1)),
                clean(get(2)),
                origin.as_str(),
                clean(get(0)).chars().take(240).collect::<String>(),
            );
        }
    }
    for (k, v) in counts {
        eprintln!("{k}: {v}");
    }
    Ok(())
}

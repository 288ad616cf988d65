//! The codes and DOL goods in clauses/risk.toml checked against the real reference files in
//! ../shared/data/real (GSA PSC manual June 2019, Census NAICS 2017, DOL ILAB list 2023).
//! Skipped (with a note) when that directory is not there; a failure under CI.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use calamine::{Data, Reader, open_workbook_auto};
use tipaudit::risk::CategoryMatcher;
use tipaudit::rules::DataFiles;

use common::real_data;

fn real_dir() -> Option<PathBuf> {
    real_data()
}

/// Compare titles after folding case, curly apostrophes and runs of spaces (the files have
/// trailing spaces and "FIBERS:  VEGETABLE" with two).
fn fold(s: &str) -> String {
    s.replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

fn categories() -> CategoryMatcher {
    CategoryMatcher::load(&DataFiles::builtin()).unwrap()
}

#[test]
fn psc_codes_and_titles_are_in_the_gsa_manual() {
    let Some(dir) = real_dir() else { return };
    let mut wb = open_workbook_auto(dir.join("gsa_psc_manual_june_2019.xlsx")).unwrap();
    let range = wb.worksheet_range("PSC Codes").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| cell(c) == "PSC CODE"))
        .expect("header row");
    let col = |name: &str| {
        rows[header]
            .iter()
            .position(|c| cell(c) == name)
            .unwrap_or_else(|| panic!("{name} column"))
    };
    let (code_c, name_c, end_c) = (
        col("PSC CODE"),
        col("PRODUCT AND SERVICE CODE NAME"),
        col("END DATE"),
    );
    // Active rows only: a code repeats per version, the current one has no END DATE.
    let mut active: HashMap<String, String> = HashMap::new();
    for r in &rows[header + 1..] {
        if cell(&r[end_c]).is_empty() {
            active.insert(cell(&r[code_c]), fold(&cell(&r[name_c])));
        }
    }
    assert!(active.len() > 2000, "read {} active PSC rows", active.len());
    let mut checked = 0;
    for c in &categories().categories {
        for p in &c.psc {
            let got = active
                .get(&p.code)
                .unwrap_or_else(|| panic!("{}: PSC {} is not an active code", c.id, p.code));
            assert_eq!(*got, fold(&p.title), "{}: PSC {} title", c.id, p.code);
            checked += 1;
        }
    }
    assert!(checked > 60);
}

#[test]
fn naics_codes_and_titles_are_in_the_2017_list() {
    let Some(dir) = real_dir() else { return };
    let mut wb = open_workbook_auto(dir.join("census_naics_2017_2-6_digit_codes.xlsx")).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    // No header; codes are floats (111110.0), titles have trailing spaces.
    let mut titles: HashMap<String, String> = HashMap::new();
    for r in range.rows() {
        let code = r
            .iter()
            .map(cell)
            .find(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
        let title = r
            .iter()
            .map(cell)
            .find(|c| c.chars().any(char::is_alphabetic));
        if let (Some(code), Some(title)) = (code, title) {
            titles.insert(code, fold(&title));
        }
    }
    assert!(titles.len() > 2000, "read {} NAICS rows", titles.len());
    for c in &categories().categories {
        // Codes of an older edition are checked by the unit tests of the rule data, not here.
        for n in c.naics.iter().filter(|n| n.edition.is_none()) {
            let got = titles
                .get(&n.code)
                .unwrap_or_else(|| panic!("{}: NAICS {} not in the 2017 list", c.id, n.code));
            assert_eq!(*got, fold(&n.title), "{}: NAICS {} title", c.id, n.code);
        }
    }
}

#[test]
fn dol_goods_are_listed_for_china() {
    let Some(dir) = real_dir() else { return };
    let xml = std::fs::read_to_string(dir.join("dol_ilab_list_of_goods_2023.xml")).unwrap();
    // <Good><Good_Name>X</Good_Name> ... <Country><Country_Name>China</Country_Name> ...
    let mut china_goods = Vec::new();
    for good in xml.split("<Good>").skip(1) {
        let name = good
            .split("<Good_Name>")
            .nth(1)
            .and_then(|s| s.split("</Good_Name>").next())
            .unwrap_or("")
            .replace("&amp;", "&");
        if good.contains("<Country_Name>China</Country_Name>") {
            china_goods.push(name);
        }
    }
    assert!(china_goods.len() >= 20, "{china_goods:?}");
    let mut named = 0;
    for c in &categories().categories {
        for b in &c.basis {
            for g in &b.dol_goods {
                assert!(
                    china_goods.contains(g),
                    "{}: DOL good {g:?} is not listed for China",
                    c.id
                );
                named += 1;
            }
        }
    }
    // Every China good of the 2023 list is covered by some category.
    assert_eq!(named, china_goods.len(), "China goods: {china_goods:?}");
}

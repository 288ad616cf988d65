//! Row + header map -> `Record`: each mapped cell parsed once into a typed field.

use std::collections::HashMap;

use super::fields::FieldId;
use super::header::HeaderMap;
use crate::cell::{Row, Value};
use crate::parse::clauseref::{ClauseCite, ClauseDate, ClauseParser};
use crate::parse::{Parsed, codes, country, date, money, yesno};
use crate::record::{ClauseSource, Field, Record, RecordType};

/// Clause references from a long-form clause sheet, by folded contract id.
pub type ClauseIndex = HashMap<String, Vec<ClauseCite>>;

/// The key used to join long-form clause rows and detect duplicates.
pub fn id_key(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// Build the record for one data row; `None` for rows that are not records (no contract id
/// and almost nothing else: totals, notes, spacer rows).
pub fn record(
    row: &Row,
    map: &HeaderMap,
    parser: &ClauseParser,
    long_form: Option<(&str, &ClauseIndex)>,
) -> Option<Record> {
    let get = |f: FieldId| map.col(f).map(|c| (c, row.get(c).unwrap_or(&Value::Empty)));
    let contract_id = get(FieldId::ContractId)
        .map(|(_, v)| v.as_text().trim().to_string())
        .unwrap_or_default();
    if contract_id.is_empty() {
        let filled = map
            .fields
            .values()
            .filter(|c| row.get(**c).is_some_and(|v| !v.is_empty()))
            .count();
        if filled < 3 {
            return None;
        }
    }
    let mut rec = typed_fields(row, map, contract_id);
    add_clauses(&mut rec, row, map, parser, long_form);
    add_evidence(&mut rec, row, map);
    Some(rec)
}

/// The record's one-value fields, each mapped cell parsed into its type.
fn typed_fields(row: &Row, map: &HeaderMap, contract_id: String) -> Record {
    let get = |f: FieldId| map.col(f).map(|c| (c, row.get(c).unwrap_or(&Value::Empty)));
    let text = |f: FieldId| {
        field(get(f), |v| {
            let t = v.as_text();
            let t = t.trim();
            if t.is_empty() {
                Parsed::Blank
            } else {
                Parsed::Ok(t.to_string())
            }
        })
    };

    Record {
        row: row.index + 1,
        contract_id_col: map.col(FieldId::ContractId).unwrap_or(0),
        modification: opt_text(get(FieldId::Modification)),
        parent_id: opt_text(get(FieldId::ParentId)),
        transaction: opt_text(get(FieldId::Transaction)),
        contract_id,
        record_type: field(get(FieldId::RecordType), |v| {
            let t = v.as_text();
            if t.trim().is_empty() {
                Parsed::Blank
            } else {
                match RecordType::parse(&t) {
                    Some(rt) => Parsed::Ok(rt),
                    None => Parsed::Bad(format!(
                        "\"{}\" is not a record type (solicitation, contract, order, modification)",
                        t.trim()
                    )),
                }
            }
        }),
        date: field(get(FieldId::Date), date::parse),
        value: field(get(FieldId::Value), money::parse),
        value_outside_us: field(get(FieldId::ValueOutsideUs), money::parse),
        place_of_performance: field(get(FieldId::PlaceOfPerformance), country::parse),
        country_of_origin: field(get(FieldId::CountryOfOrigin), country::parse),
        place_of_manufacture: field(get(FieldId::PlaceOfManufacture), country::parse_manufacture),
        commercial: field(get(FieldId::Commercial), yesno::parse_commercial),
        cots: field(get(FieldId::Cots), yesno::parse),
        directives_notified: field(get(FieldId::DirectivesNotified), yesno::parse),
        vendor: text(FieldId::Vendor),
        vendor_id: text(FieldId::VendorId),
        manufacturer: text(FieldId::Manufacturer),
        description: text(FieldId::Description),
        psc: field(get(FieldId::Psc), codes::psc),
        naics: field(get(FieldId::Naics), codes::naics),
        agency: text(FieldId::Agency),
        office: text(FieldId::Office),
        ..Record::default()
    }
}

fn field<T>(cell: Option<(u32, &Value)>, parse: impl FnOnce(&Value) -> Parsed<T>) -> Field<T> {
    match cell {
        None => Field::Absent,
        Some((col, v)) => Field::from_parsed(col, || v.to_text(), parse(v)),
    }
}

/// Clause references: list columns, then wide columns, then the long-form sheet.
fn add_clauses(
    rec: &mut Record,
    row: &Row,
    map: &HeaderMap,
    parser: &ClauseParser,
    long_form: Option<(&str, &ClauseIndex)>,
) {
    for &col in &map.clause_cols {
        if let Some(v) = row.get(col) {
            for mut c in parser.extract(&v.as_text()) {
                c.col = col;
                rec.clauses.push(c);
            }
        }
    }
    for (col, cite) in &map.wide {
        let cited = row
            .get(*col)
            .is_some_and(|v| matches!(yesno::parse(v), Parsed::Ok(true)));
        if cited {
            rec.clauses.push(ClauseCite {
                col: *col,
                ..cite.clone()
            });
        }
    }
    rec.clauses_source = if let Some(&c) = map.clause_cols.first() {
        Some(ClauseSource::Column(c))
    } else {
        map.wide.first().map(|(c, _)| ClauseSource::Wide(*c))
    };
    if let Some((sheet, index)) = long_form {
        if let Some(cites) = index.get(&id_key(&rec.contract_id)) {
            rec.clauses.extend(cites.iter().cloned());
        }
        if rec.clauses_source.is_none() {
            rec.clauses_source = Some(ClauseSource::Sheet(sheet.to_string()));
        }
    }
}

fn add_evidence(rec: &mut Record, row: &Row, map: &HeaderMap) {
    for (name, &col) in &map.evidence {
        let v = row.get(col).unwrap_or(&Value::Empty);
        rec.evidence.insert(
            name.clone(),
            Field::from_parsed(col, || v.to_text(), yesno::evidence(v)),
        );
    }
}

fn opt_text(cell: Option<(u32, &Value)>) -> Option<String> {
    cell.map(|(_, v)| v.as_text().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Add one long-form clause row (contract id, clause, optional alternate, date and
/// inclusion) to the index.
pub fn index_clause_row(
    row: &Row,
    map: &HeaderMap,
    parser: &ClauseParser,
    index: &mut ClauseIndex,
) {
    if let Some((id, cites)) = clause_row(row, map, parser) {
        index.entry(id_key(&id)).or_default().extend(cites);
    }
}

/// One row of a long-form clause sheet or clause report: its contract id as written and the
/// clauses it cites. `None` for a row with no contract id or marked deleted / not included.
/// A date or alternate in its own column counts exactly as it would printed beside the
/// number in a clause cell (`52.222-50 (FEB 2009)`, `52.222-50 Alt I`).
pub fn clause_row(
    row: &Row,
    map: &HeaderMap,
    parser: &ClauseParser,
) -> Option<(String, Vec<ClauseCite>)> {
    let cell = |f: FieldId| map.col(f).and_then(|c| row.get(c).map(|v| (c, v)));
    let id = cell(FieldId::ContractId)
        .map(|(_, v)| v.to_text().trim().to_string())
        .filter(|s| !s.is_empty())?;
    if let Some((col, v)) = cell(FieldId::ClauseIncluded) {
        let header = map.names.get(&col).map(String::as_str).unwrap_or("");
        if !included(header, v) {
            return None;
        }
    }
    let alternate = cell(FieldId::ClauseAlternate).and_then(|(_, v)| parse_alternate(&v.to_text()));
    // The clause's own date column first; a plain "Date" column of a clause sheet is the
    // clause date too (a clause sheet has no award date of its own).
    let date = cell(FieldId::ClauseDate)
        .or_else(|| cell(FieldId::Date))
        .and_then(|(_, v)| clause_date(v));
    let mut cites = Vec::new();
    for &col in &map.clause_cols {
        let Some(v) = row.get(col) else { continue };
        for mut c in parser.extract(&v.to_text()) {
            c.col = col;
            if let Some(a) = alternate {
                c.alternate = c.alternate.max(a);
            }
            if c.date.is_none() {
                c.date = date;
            }
            cites.push(c);
        }
    }
    Some((id, cites))
}

/// An inclusion cell: `Y`, `Included`, `Incorporated`, `X` include the clause; `N`,
/// `Deleted`, `Excluded`, `Removed` do not. Under a header named "Deleted" a yes means
/// deleted. A blank cell keeps the row (the report listed it).
fn included(header: &str, v: &Value) -> bool {
    let t = v.to_text().trim().to_ascii_lowercase();
    if t.is_empty() {
        return true;
    }
    let says_deleted = t.starts_with("delet")
        || t.starts_with("exclu")
        || t.starts_with("remov")
        || t.starts_with("not ")
        || t == "d"
        || t == "e";
    if says_deleted {
        return false;
    }
    let yes = match yesno::parse(v) {
        Parsed::Ok(b) => Some(b),
        _ => None,
    };
    let header_is_deleted = super::fields::fold(header) == "deleted";
    match yes {
        Some(b) if header_is_deleted => !b,
        Some(b) => b,
        // Free text such as "Incorporated", "Included", "I", "Full Text": listed, so cited.
        None => true,
    }
}

/// A clause date from its own cell: `FEB 2009`, `(FEB 2009)`, `February 2009`, `02/2009`,
/// `2009-02`, or any full date (a date cell, `2009-02-01`). `None` when unreadable.
pub fn clause_date(v: &Value) -> Option<ClauseDate> {
    use chrono::Datelike;
    let from = |d: chrono::NaiveDate| ClauseDate {
        year: d.year(),
        month: d.month(),
    };
    if let Value::Text(s) = v {
        let t = s
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        if let Some(d) = month_year(t) {
            return Some(d);
        }
        return date::parse_text(t).ok().map(from);
    }
    date::parse(v).ok().copied().map(from)
}

/// `FEB 2009`, `Feb. 2009`, `February 2009`, `FEB-2009`, `02/2009`, `2009-02`.
fn month_year(t: &str) -> Option<ClauseDate> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let t = t.to_ascii_lowercase();
    let (a, b) = t.split_once([' ', '-', '/', ',']).map(|(a, b)| {
        (
            a.trim().trim_end_matches('.'),
            b.trim().trim_start_matches(',').trim(),
        )
    })?;
    let year_ok = |y: &str| {
        (y.len() == 4)
            .then(|| y.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1900..=2099).contains(y))
    };
    let (month, year) = if let Some(y) = year_ok(b) {
        let m = if let Ok(n) = a.parse::<u32>() {
            n
        } else {
            let i = MONTHS
                .iter()
                .position(|m| a.starts_with(m) && a.chars().all(|c| c.is_ascii_alphabetic()))?;
            i as u32 + 1
        };
        (m, y)
    } else {
        (b.parse::<u32>().ok()?, year_ok(a)?)
    };
    (1..=12)
        .contains(&month)
        .then_some(ClauseDate { year, month })
}

/// `I`, `1`, `Alt I`, `Alternate II` -> 1, 2; blank/`0`/`basic`/`no` -> None.
fn parse_alternate(text: &str) -> Option<u8> {
    let t = text.trim().to_ascii_lowercase();
    let t = t
        .trim_start_matches("alternate")
        .trim_start_matches("alt.")
        .trim_start_matches("alt")
        .trim();
    match t {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        "v" | "5" => Some(5),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_dates_as_clause_reports_hold_them() {
        let d = |y, m| Some(ClauseDate { year: y, month: m });
        let t = |s: &str| clause_date(&Value::Text(s.into()));
        assert_eq!(t("FEB 2009"), d(2009, 2));
        assert_eq!(t("(FEB 2009)"), d(2009, 2));
        assert_eq!(t("February 2009"), d(2009, 2));
        assert_eq!(t("Feb. 2009"), d(2009, 2));
        assert_eq!(t("02/2009"), d(2009, 2));
        assert_eq!(t("2009-02"), d(2009, 2));
        assert_eq!(t("2025-10-01"), d(2025, 10));
        assert_eq!(t("banana 2009"), None);
        assert_eq!(t("13/2009"), None);
        let cell = Value::DateTime(
            chrono::NaiveDate::from_ymd_opt(2015, 3, 2)
                .unwrap()
                .and_time(chrono::NaiveTime::MIN),
        );
        assert_eq!(clause_date(&cell), d(2015, 3));
    }

    #[test]
    fn inclusion_cells() {
        let t = |h: &str, s: &str| included(h, &Value::Text(s.into()));
        assert!(t("Included/Deleted", "Included"));
        assert!(t("Included/Deleted", "Y"));
        assert!(t("Included/Deleted", ""));
        assert!(!t("Included/Deleted", "Deleted"));
        assert!(!t("Included/Deleted", "N"));
        assert!(!t("Include", "No"));
        assert!(!t("Deleted", "Y"), "a yes under a Deleted header deletes");
        assert!(t("Deleted", "N"));
        assert!(t("Incorporated", "Full Text"));
    }

    #[test]
    fn alternates() {
        assert_eq!(parse_alternate("Alt I"), Some(1));
        assert_eq!(parse_alternate("Alternate II"), Some(2));
        assert_eq!(parse_alternate("1"), Some(1));
        assert_eq!(parse_alternate("basic"), None);
        assert_eq!(parse_alternate(""), None);
    }
}

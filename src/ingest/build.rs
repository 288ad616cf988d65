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

    fn field<T>(cell: Option<(u32, &Value)>, parse: impl FnOnce(&Value) -> Parsed<T>) -> Field<T> {
        match cell {
            None => Field::Absent,
            Some((col, v)) => Field::from_parsed(col, || v.to_text(), parse(v)),
        }
    }
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

    let mut rec = Record {
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
    };

    // Clauses: list columns, then wide columns, then the long-form sheet.
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

    for (name, &col) in &map.evidence {
        let v = row.get(col).unwrap_or(&Value::Empty);
        rec.evidence.insert(
            name.clone(),
            Field::from_parsed(col, || v.to_text(), yesno::evidence(v)),
        );
    }
    Some(rec)
}

fn opt_text(cell: Option<(u32, &Value)>) -> Option<String> {
    cell.map(|(_, v)| v.as_text().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Add one long-form clause row (contract id, clause, optional alternate and date) to the index.
pub fn index_clause_row(
    row: &Row,
    map: &HeaderMap,
    parser: &ClauseParser,
    index: &mut ClauseIndex,
) {
    let Some(id) = map
        .col(FieldId::ContractId)
        .and_then(|c| row.get(c))
        .map(|v| v.to_text())
        .filter(|s| !s.trim().is_empty())
    else {
        return;
    };
    let alternate = map
        .col(FieldId::ClauseAlternate)
        .and_then(|c| row.get(c))
        .and_then(|v| parse_alternate(&v.to_text()));
    let date = map
        .col(FieldId::Date)
        .and_then(|c| row.get(c))
        .and_then(|v| date::parse(v).ok().copied())
        .map(|d| {
            use chrono::Datelike;
            ClauseDate {
                year: d.year(),
                month: d.month(),
            }
        });
    let entry = index.entry(id_key(&id)).or_default();
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
            entry.push(c);
        }
    }
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
    use super::parse_alternate;

    #[test]
    fn alternates() {
        assert_eq!(parse_alternate("Alt I"), Some(1));
        assert_eq!(parse_alternate("Alternate II"), Some(2));
        assert_eq!(parse_alternate("1"), Some(1));
        assert_eq!(parse_alternate("basic"), None);
        assert_eq!(parse_alternate(""), None);
    }
}

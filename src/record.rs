//! `Record`: one contract row as typed facts. This is the one place where spreadsheet mess
//! becomes data; rules never see a raw cell.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::parse::Parsed;
// Evidence cells are read by the parse layer; re-exported so callers keep this path.
use crate::parse::clauseref::ClauseCite;
use crate::parse::country::Location;
pub use crate::parse::yesno::Evidence;

/// A field of a record: where it came from and what it holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The sheet has no column for this field.
    #[default]
    Absent,
    /// The column exists but this row's cell is empty (or a "nothing here" placeholder).
    Blank {
        col: u32,
    },
    /// The cell holds something that could not be read.
    Bad {
        col: u32,
        raw: String,
        reason: String,
    },
    Ok {
        col: u32,
        value: T,
    },
}

impl<T> Field<T> {
    pub fn from_parsed(col: u32, raw: impl FnOnce() -> String, parsed: Parsed<T>) -> Self {
        match parsed {
            Parsed::Blank => Field::Blank { col },
            Parsed::Bad(reason) => Field::Bad {
                col,
                raw: raw(),
                reason,
            },
            Parsed::Ok(value) => Field::Ok { col, value },
        }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Ok { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The column the field was read from, if the sheet has one.
    pub fn col(&self) -> Option<u32> {
        match self {
            Field::Absent => None,
            Field::Blank { col } | Field::Bad { col, .. } | Field::Ok { col, .. } => Some(*col),
        }
    }

    /// True when the field could not give a value (absent, blank or unreadable).
    pub fn is_unknown(&self) -> bool {
        !matches!(self, Field::Ok { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordType {
    Solicitation,
    #[default]
    Contract,
    Order,
    Modification,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Solicitation => "solicitation",
            RecordType::Contract => "contract",
            RecordType::Order => "order",
            RecordType::Modification => "modification",
        }
    }

    /// Read a record type from free text: `Solicitation`, `RFQ`, `Delivery Order`,
    /// FPDS `C: DELIVERY ORDER`, `Modification` ... Unknown text is `None`.
    pub fn parse(text: &str) -> Option<RecordType> {
        let t = text.trim();
        let t = match t.split_once(": ") {
            Some((code, desc)) if code.len() <= 3 => desc,
            _ => t,
        };
        let t = t.to_ascii_lowercase();
        let has = |w: &str| t.contains(w);
        if t.is_empty() {
            None
        } else if has("solicit")
            || has("rfq")
            || has("rfp")
            || has("ifb")
            || has("request for")
            || has("combined synopsis")
        {
            Some(RecordType::Solicitation)
        } else if has("modif") || t == "mod" {
            Some(RecordType::Modification)
        } else if has("order") || has("call") {
            Some(RecordType::Order)
        } else if has("contract")
            || has("award")
            || has("purchase")
            || has("idv")
            || has("idc")
            || has("bpa")
            || has("fss")
            || has("gwac")
            || has("boa")
            || has("definitive")
        {
            Some(RecordType::Contract)
        } else {
            None
        }
    }

    /// Solicitations get provisions; contracts, orders and modifications get clauses.
    pub fn is_award(self) -> bool {
        !matches!(self, RecordType::Solicitation)
    }
}

/// One contract row.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// 1-based row number as the spreadsheet shows it.
    pub row: u32,
    pub contract_id: String,
    pub contract_id_col: u32,
    pub modification: Option<String>,
    /// The IDV an order is placed under (order numbers repeat across IDVs).
    pub parent_id: Option<String>,
    /// FPDS transaction number (several actions can share one modification number).
    pub transaction: Option<String>,
    pub record_type: Field<RecordType>,
    pub date: Field<NaiveDate>,
    pub value: Field<f64>,
    pub value_outside_us: Field<f64>,
    pub place_of_performance: Field<Location>,
    pub country_of_origin: Field<Location>,
    pub place_of_manufacture: Field<Location>,
    pub commercial: Field<bool>,
    pub cots: Field<bool>,
    pub directives_notified: Field<bool>,
    pub vendor: Field<String>,
    pub vendor_id: Field<String>,
    pub manufacturer: Field<String>,
    pub description: Field<String>,
    pub psc: Field<String>,
    pub naics: Field<String>,
    pub agency: Field<String>,
    pub office: Field<String>,
    /// Every clause reference found for this record, in any layout (list cell, wide
    /// columns, long-form sheet). Each carries the column it came from.
    pub clauses: Vec<ClauseCite>,
    /// Where clause data for this record could come from: `None` when the sheet has no
    /// clause column and no long-form sheet names this record (clauses unknown).
    pub clauses_source: Option<ClauseSource>,
    /// The 52.212-5 check-list was seen with its boxes (a contract document, or pasted text
    /// with marks): an unmarked or absent 52.222-50 box is decided, not assumed.
    pub boxes_known: bool,
    /// A clause list this record's clauses came from is cut off mid-entry: a clause not found
    /// cannot be confirmed missing.
    pub clauses_truncated: bool,
    /// Clause reports and contract documents the clauses came from (`--clauses`, or the
    /// document the record was read from); empty when they came from the sheet itself.
    pub clause_sources: Vec<crate::model::ClauseSourceRef>,
    /// M-20-01 / compliance-plan evidence, keyed by the field name in `practices.toml`.
    pub evidence: BTreeMap<String, Field<Evidence>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseSource {
    /// A clause-list column (its index).
    Column(u32),
    /// One column per clause (the first such column).
    Wide(u32),
    /// A separate long-form sheet (its name).
    Sheet(String),
}

impl ClauseSource {
    /// The column a missing-clause note should point to.
    pub fn col(&self) -> Option<u32> {
        match self {
            ClauseSource::Column(c) | ClauseSource::Wide(c) => Some(*c),
            ClauseSource::Sheet(_) => None,
        }
    }
}

impl Record {
    /// True when the record cites this clause number (any alternate, any date).
    pub fn cites(&self, number: &str) -> bool {
        self.clauses.iter().any(|c| c.number == number)
    }

    pub fn cites_alternate(&self, number: &str, alternate: u8) -> bool {
        self.clauses
            .iter()
            .any(|c| c.number == number && c.alternate == alternate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_types() {
        assert_eq!(
            RecordType::parse("Solicitation"),
            Some(RecordType::Solicitation)
        );
        assert_eq!(
            RecordType::parse("C: DELIVERY ORDER"),
            Some(RecordType::Order)
        );
        assert_eq!(
            RecordType::parse("DEFINITIVE CONTRACT"),
            Some(RecordType::Contract)
        );
        assert_eq!(RecordType::parse("Mod"), Some(RecordType::Modification));
        assert_eq!(RecordType::parse("RFQ"), Some(RecordType::Solicitation));
        assert_eq!(RecordType::parse("banana"), None);
    }
}

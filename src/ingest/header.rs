//! Header detection: find the header row among the first rows of a sheet and map its
//! columns to record fields.

use std::collections::BTreeMap;

use super::fields::{FieldId, Synonyms, Target};
use crate::cell::{Row, Value};
use crate::parse::clauseref::{ClauseCite, ClauseParser};

/// How many rows from the top of a sheet may hold the header.
pub const HEADER_SCAN_ROWS: usize = 30;

/// The columns of a detected header.
#[derive(Debug, Clone, Default)]
pub struct HeaderMap {
    /// 0-based row index of the header.
    pub row: u32,
    /// Header text of every non-empty header cell, by column.
    pub names: BTreeMap<u32, String>,
    /// The column chosen for each field (clause columns are listed separately).
    pub fields: BTreeMap<FieldId, u32>,
    /// Clause-list columns (any number: "FAR Clauses", "DFARS Clauses").
    pub clause_cols: Vec<u32>,
    /// One column per clause: the clause each header names.
    pub wide: Vec<(u32, ClauseCite)>,
    /// Evidence columns by practice evidence field.
    pub evidence: BTreeMap<String, u32>,
    /// Header names that occur more than once (the first is used).
    pub duplicate_names: Vec<String>,
    /// Treat as a record sheet even if it looks like a clause list (no other record sheet).
    pub force_records: bool,
}

/// What a sheet holds, judged from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// Contract rows to audit.
    Records,
    /// A long-form clause list (contract id + clause per row) to join by contract id.
    ClauseList,
}

impl HeaderMap {
    pub fn col(&self, field: FieldId) -> Option<u32> {
        self.fields.get(&field).copied()
    }

    pub fn kind(&self) -> SheetKind {
        const RECORD_FIELDS: &[FieldId] = &[
            FieldId::Value,
            FieldId::Vendor,
            FieldId::Description,
            FieldId::PlaceOfPerformance,
            FieldId::CountryOfOrigin,
            FieldId::Psc,
            FieldId::Naics,
            FieldId::Agency,
            FieldId::RecordType,
        ];
        let looks_long = !self.force_records
            && !self.clause_cols.is_empty()
            && self.wide.is_empty()
            && !RECORD_FIELDS.iter().any(|f| self.fields.contains_key(f));
        if looks_long {
            SheetKind::ClauseList
        } else {
            SheetKind::Records
        }
    }

    /// The last column that holds a header name.
    pub fn last_col(&self) -> u32 {
        self.names.keys().next_back().copied().unwrap_or(0)
    }
}

/// Map one candidate row; `None` when it has no contract-id column.
fn map_row(row: &Row, syn: &Synonyms, parser: &ClauseParser) -> Option<(usize, HeaderMap)> {
    let mut map = HeaderMap {
        row: row.index,
        ..HeaderMap::default()
    };
    let mut best: BTreeMap<FieldId, (usize, u32)> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for cell in &row.cells {
        let Value::Text(text) = &cell.value else {
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        map.names.insert(cell.col, text.to_string());
        if !seen.insert(super::fields::fold(text)) {
            map.duplicate_names.push(text.to_string());
            continue;
        }
        match syn.lookup(text) {
            Some((Target::Field(FieldId::Clauses), _)) => map.clause_cols.push(cell.col),
            Some((Target::Field(f), prio)) => {
                let better = best.get(&f).is_none_or(|(p, _)| prio < *p);
                if better {
                    best.insert(f, (prio, cell.col));
                }
            }
            Some((Target::Evidence(name), _)) => {
                map.evidence.entry(name).or_insert(cell.col);
            }
            None => {
                if let Some(cite) = parser.parse_header(text) {
                    map.wide.push((cell.col, cite));
                }
            }
        }
    }
    map.fields = best.into_iter().map(|(f, (_, c))| (f, c)).collect();
    map.col(FieldId::ContractId)?;
    let score = map.fields.len()
        + map.evidence.len()
        + map.clause_cols.len().min(1)
        + map.wide.len().min(3);
    Some((score, map))
}

/// Pick the header among the first rows: the row mapping the most fields, with a
/// contract-id column. Title rows and merged group headers above it score lower.
pub fn detect(rows: &[Row], syn: &Synonyms, parser: &ClauseParser) -> Option<HeaderMap> {
    let mut best: Option<(usize, HeaderMap)> = None;
    for row in rows
        .iter()
        .filter(|r| (r.index as usize) < HEADER_SCAN_ROWS)
    {
        if let Some((score, map)) = map_row(row, syn, parser)
            && best.as_ref().is_none_or(|(s, _)| score > *s)
        {
            best = Some((score, map));
        }
    }
    let map = best.map(|(_, m)| m)?;
    syn.mark_used(map.names.values().map(String::as_str));
    Some(map)
}

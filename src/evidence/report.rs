//! Clause reports: a contract writing system's export with one row per contract and clause
//! (any spreadsheet format), read with the same header detection and clause parsing as a
//! long-form clause sheet inside a workbook.

use std::path::Path;

use super::index::Piece;
use crate::cell::Row;
use crate::ingest::build;
use crate::ingest::fields::{FieldId, Synonyms, Target};
use crate::ingest::header::{self, HEADER_SCAN_ROWS, HeaderMap};
use crate::ingest::{Format, Limits, Workbook};
use crate::model::ClauseSourceRef;
use crate::parse::clauseref::ClauseParser;

/// Read one clause report into pieces of evidence (one per contract id and sheet), or say
/// why it cannot be used.
pub fn read(
    path: &Path,
    display: &str,
    syn: &Synonyms,
    parser: &ClauseParser,
    limits: &Limits,
) -> Result<Vec<Piece>, String> {
    let mut wb = Workbook::open_with(path, limits).map_err(|e| e.to_string())?;
    let csv = wb.format() == Format::Csv;
    let mut pieces = Vec::new();
    let mut usable = false;
    let mut clause_col_without_id = false;
    for sheet in wb.sheet_names().to_vec() {
        let top = top_rows(&mut wb, &sheet)?;
        let Some(h) = header::detect(&top, syn, parser).filter(|h| !h.clause_cols.is_empty())
        else {
            clause_col_without_id |= names_clause_column(&top, syn);
            continue;
        };
        usable = true;
        let source = ClauseSourceRef {
            file: display.to_string(),
            sheet: (!csv).then(|| sheet.clone()),
            page: None,
            line: None,
        };
        pieces.extend(sheet_pieces(&mut wb, &sheet, &h, &source, parser)?);
    }
    if !usable {
        return Err(not_a_report(clause_col_without_id));
    }
    Ok(pieces)
}

/// The rows a header can be in.
fn top_rows(wb: &mut Workbook, sheet: &str) -> Result<Vec<Row>, String> {
    let mut top: Vec<Row> = Vec::new();
    wb.rows(sheet, &mut |row| {
        let more = (row.index as usize) < HEADER_SCAN_ROWS;
        if more {
            top.push(row);
        }
        Ok(more)
    })
    .map_err(|e| e.to_string())?;
    Ok(top)
}

/// Whether any of `rows` has a cell naming the clause column.
fn names_clause_column(rows: &[Row], syn: &Synonyms) -> bool {
    rows.iter().any(|r| {
        r.cells.iter().any(|c| {
            matches!(
                syn.lookup(&c.value.as_text()),
                Some((Target::Field(FieldId::Clauses), _))
            )
        })
    })
}

/// One piece per contract id of a sheet whose header is `h`.
fn sheet_pieces(
    wb: &mut Workbook,
    sheet: &str,
    h: &HeaderMap,
    source: &ClauseSourceRef,
    parser: &ClauseParser,
) -> Result<Vec<Piece>, String> {
    // Rows of one contract are usually together; gather them before the index sorts.
    let mut by_id: std::collections::BTreeMap<String, Piece> = Default::default();
    wb.rows(sheet, &mut |row| {
        if row.index > h.row
            && let Some((id, cites)) = build::clause_row(&row, h, parser)
        {
            let key = super::index::normalise_id(&id);
            by_id
                .entry(key)
                .or_insert_with(|| Piece {
                    id,
                    cites: Vec::new(),
                    source: source.clone(),
                    boxes_known: false,
                    truncated: false,
                })
                .cites
                .extend(cites);
        }
        Ok(true)
    })
    .map_err(|e| format!("sheet '{sheet}': {e}"))?;
    Ok(by_id.into_values().collect())
}

fn not_a_report(clause_col_without_id: bool) -> String {
    if clause_col_without_id {
        "clause report without a contract id column: name the column Contract Number, \
         PIID or Document Number (or map it with --mapping)"
            .into()
    } else {
        "no sheet has a contract id column and a clause column (such as Contract Number \
         and Clause Number): not a clause report"
            .into()
    }
}

//! A contract document given as an input is audited as one record: its number, type, date
//! and clause list become a `Record`, and each finding is placed on the page or line of the
//! evidence it is about.

use super::Loc;
use super::document::Document;
use crate::model::Finding;
use crate::record::{ClauseSource, Field, Record};

/// The "column" of a document's clause list: a document has no cells, so findings carry a
/// page or line instead (each cite's own column is its index in the document's list).
pub const DOC_COL: u32 = u32::MAX;

/// The record a document stands for.
pub fn document_record(doc: &Document, display: &str) -> Record {
    fn known<T>(value: T) -> Field<T> {
        Field::Ok {
            col: DOC_COL,
            value,
        }
    }
    Record {
        row: 0,
        contract_id: doc.id.clone(),
        contract_id_col: DOC_COL,
        modification: doc.modification.clone(),
        parent_id: doc.parent_id.clone(),
        record_type: doc.record_type.map_or(Field::Absent, known),
        // A document that states no date is judged at --as-of, and says so (DATA001): an
        // old solicitation must not pass for a current one unnoticed.
        date: doc.date.map_or(Field::Blank { col: DOC_COL }, known),
        clauses: doc
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| crate::parse::clauseref::ClauseCite {
                col: i as u32,
                ..c.cite.clone()
            })
            .collect(),
        clauses_source: Some(ClauseSource::Column(DOC_COL)),
        boxes_known: doc.boxes_known,
        clauses_truncated: doc.truncated,
        clause_sources: vec![super::load::document_source(doc, display)],
        ..Record::default()
    }
}

/// Put each finding on the page or line of its evidence: a finding about one reference on
/// that reference's; a missing-52.222-50 finding on the 52.212-5 / 52.213-4 that decided it,
/// when the document has one. No finding points to a cell.
pub fn locate(findings: &mut [Finding], doc: &Document) {
    let decided_at = doc
        .clauses
        .iter()
        .find(|c| c.cite.number == "52.212-5" || c.cite.number == "52.213-4")
        .map(|c| c.loc);
    for f in findings {
        let loc = match f.col_index.take() {
            Some(i) if (i as usize) < doc.clauses.len() => Some(doc.clauses[i as usize].loc),
            _ if matches!(f.rule.as_str(), "TIP001" | "TIP006") => decided_at,
            _ => None,
        };
        match loc {
            Some(Loc::Page(p)) => f.page = Some(p),
            Some(Loc::Line(l)) | Some(Loc::Row(l)) => f.line = Some(l),
            None => {}
        }
        f.column = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::document::{DocClause, IdFrom};
    use crate::parse::clauseref::ClauseParser;

    pub(crate) fn doc(clauses: &[(&str, Loc)]) -> Document {
        let p = ClauseParser::new(&[]);
        Document {
            id: "W912DY-24-C-0007".into(),
            id_from: IdFrom::FormBlock,
            parent_id: None,
            modification: None,
            record_type: None,
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
            clauses: clauses
                .iter()
                .map(|(t, loc)| DocClause {
                    cite: p.extract(t).remove(0),
                    loc: *loc,
                })
                .collect(),
            boxes_known: true,
            truncated: false,
            truncated_at: None,
            pages_without_text: Default::default(),
            extent: 20,
        }
    }

    #[test]
    fn a_document_is_one_record_with_its_facts() {
        let d = doc(&[
            ("52.212-4 (NOV 2023)", Loc::Page(12)),
            ("52.212-5 (FEB 2024)", Loc::Page(14)),
        ]);
        let r = document_record(&d, "files/award.pdf");
        assert_eq!(r.row, 0);
        assert_eq!(r.contract_id, "W912DY-24-C-0007");
        assert!(r.cites("52.212-5"));
        assert!(r.boxes_known);
        assert_eq!(r.clauses[1].col, 1, "each cite knows its place in the list");
        assert_eq!(r.clause_sources[0].page, Some(14), "the 52.212-5 page");
        assert!(r.date.value().is_some());
    }

    #[test]
    fn findings_land_on_the_page_of_their_evidence() {
        let d = doc(&[
            ("52.212-4", Loc::Page(12)),
            ("52.212-5", Loc::Page(14)),
            ("52.222-50 (FEB 2009)", Loc::Page(15)),
        ]);
        let f = |rule: &str, col| Finding {
            rule: rule.into(),
            kind: Default::default(),
            severity: crate::model::Severity::High,
            message: String::new(),
            cite: Default::default(),
            column: Some("x".into()),
            fix: Default::default(),
            col_index: col,
            page: None,
            line: None,
        };
        let mut fs = vec![
            f("TIP005", Some(2)),
            f("TIP001", Some(DOC_COL)),
            f("RISK001", None),
        ];
        locate(&mut fs, &d);
        assert_eq!(fs[0].page, Some(15));
        assert_eq!(fs[1].page, Some(14), "decided by the 52.212-5 check-list");
        assert_eq!(fs[2].page, None);
        assert!(
            fs.iter()
                .all(|f| f.col_index.is_none() && f.column.is_none())
        );
    }
}

//! The join index: clause evidence by normalised contract id, joined to records.
//!
//! Built once per run before any input is read, then shared read-only by every worker; the
//! only thing written afterwards is which entries a record reached (atomic flags), for the
//! list of evidence that matched nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::{ClauseSourceRef, UnmatchedEvidence};
use crate::parse::clauseref::ClauseCite;
use crate::record::{ClauseSource, Record};

/// A contract id for joining: upper case, without spaces, dashes and dots, so
/// `W912DY-24-C-0007`, `w912dy 24 c 0007` and `W912DY24C0007` are one contract.
pub fn normalise_id(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Everything the evidence says about one contract id.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// The id as the first source prints it.
    pub id: String,
    pub cites: Vec<ClauseCite>,
    /// Sorted, without repeats.
    pub sources: Vec<ClauseSourceRef>,
    /// Some source showed the 52.212-5 check-list with its boxes.
    pub boxes_known: bool,
    /// Every source's clause list is cut off (one complete source makes the list verifiable).
    pub truncated: bool,
}

/// One source's evidence for one contract id, before the union.
#[derive(Debug, Clone)]
pub struct Piece {
    pub id: String,
    pub cites: Vec<ClauseCite>,
    pub source: ClauseSourceRef,
    pub boxes_known: bool,
    pub truncated: bool,
}

/// Clause evidence by normalised contract id.
#[derive(Debug, Default)]
pub struct EvidenceIndex {
    entries: Vec<Entry>,
    by_key: HashMap<String, usize>,
    reached: Vec<AtomicBool>,
    /// Evidence files read.
    pub files: usize,
}

impl EvidenceIndex {
    /// Build from every source's pieces (any order: entries are sorted by key, each
    /// entry's citations in source order, so the result does not depend on load order).
    pub fn build(mut pieces: Vec<Piece>, files: usize) -> EvidenceIndex {
        pieces.sort_by(|a, b| a.source.cmp(&b.source));
        let mut grouped: BTreeMap<String, Entry> = BTreeMap::new();
        for p in pieces {
            let key = normalise_id(&p.id);
            if key.is_empty() {
                continue;
            }
            let fresh = !grouped.contains_key(&key);
            let e = grouped.entry(key).or_default();
            if fresh {
                e.id = p.id.trim().to_string();
                e.truncated = p.truncated;
            } else {
                e.truncated &= p.truncated;
            }
            e.cites.extend(p.cites);
            e.boxes_known |= p.boxes_known;
            if let Err(at) = e.sources.binary_search(&p.source) {
                e.sources.insert(at, p.source);
            }
        }
        let mut index = EvidenceIndex {
            files,
            ..EvidenceIndex::default()
        };
        for (key, entry) in grouped {
            index.by_key.insert(key, index.entries.len());
            index.entries.push(entry);
            index.reached.push(AtomicBool::new(false));
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Distinct contract ids in the evidence.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.by_key.get(&normalise_id(id)).copied()
    }

    /// The entries a record takes: its own id; for a modification whose id carries the
    /// modification number (`W912DY24C0007P00001`), the base award's; for an order, its
    /// parent IDV's as well.
    fn entries_for(&self, rec: &Record) -> Vec<usize> {
        let mut found = Vec::new();
        let mut add = |i: Option<usize>| {
            if let Some(i) = i
                && !found.contains(&i)
            {
                found.push(i);
            }
        };
        add(self.find(&rec.contract_id));
        if let Some(m) = rec.modification.as_deref() {
            let (id, m) = (normalise_id(&rec.contract_id), normalise_id(m));
            if !m.is_empty() && id.len() > m.len() && id.ends_with(&m) {
                add(self.by_key.get(&id[..id.len() - m.len()]).copied());
            }
        }
        if let Some(p) = rec.parent_id.as_deref() {
            add(self.find(p));
        }
        found
    }

    /// Join the evidence for this record into it, as if its clause column held it.
    /// Returns whether any evidence reached it.
    pub fn join(&self, rec: &mut Record) -> bool {
        let found = self.entries_for(rec);
        if found.is_empty() {
            return false;
        }
        // Cited through the record's own clause column when it has one, so notes point there.
        let col = rec.clauses_source.as_ref().and_then(ClauseSource::col);
        let mut truncated = true;
        for &i in &found {
            self.reached[i].store(true, Ordering::Relaxed);
            let e = &self.entries[i];
            rec.clauses.extend(e.cites.iter().map(|c| ClauseCite {
                col: col.unwrap_or(c.col),
                ..c.clone()
            }));
            rec.boxes_known |= e.boxes_known;
            truncated &= e.truncated;
            for s in &e.sources {
                if let Err(at) = rec.clause_sources.binary_search(s) {
                    rec.clause_sources.insert(at, s.clone());
                }
            }
        }
        // A truncated list from elsewhere cannot make the record's own complete list doubtful.
        if rec.clauses_source.is_none() {
            rec.clauses_truncated |= truncated;
        }
        if rec.clauses_source.is_none() {
            rec.clauses_source = Some(ClauseSource::Sheet(EVIDENCE_SOURCE.to_string()));
        }
        true
    }

    /// Evidence no record reached so far, in contract-id order.
    pub fn unmatched(&self) -> Vec<UnmatchedEvidence> {
        self.entries
            .iter()
            .zip(&self.reached)
            .filter(|(_, r)| !r.load(Ordering::Relaxed))
            .map(|(e, _)| UnmatchedEvidence {
                contract_id: e.id.clone(),
                clauses: e.cites.len(),
                sources: e.sources.clone(),
            })
            .collect()
    }
}

/// The clause source a record joined to evidence reports (no cell of its own sheet).
pub const EVIDENCE_SOURCE: &str = "clause evidence";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::clauseref::ClauseParser;

    fn piece(id: &str, text: &str, file: &str) -> Piece {
        Piece {
            id: id.into(),
            cites: ClauseParser::new(&[]).extract(text),
            source: ClauseSourceRef {
                file: file.into(),
                sheet: Some("Clauses".into()),
                page: None,
                line: None,
            },
            boxes_known: false,
            truncated: false,
        }
    }

    fn rec(id: &str) -> Record {
        Record {
            contract_id: id.into(),
            ..Record::default()
        }
    }

    #[test]
    fn ids_compare_without_case_spaces_dashes_dots() {
        assert_eq!(normalise_id("W912DY-24-C-0007"), "W912DY24C0007");
        assert_eq!(normalise_id(" w912dy.24 c-0007 "), "W912DY24C0007");
        let idx = EvidenceIndex::build(vec![piece("W912DY-24-C-0007", "52.222-50", "a.xlsx")], 1);
        let mut r = rec("w912dy24c0007");
        assert!(idx.join(&mut r));
        assert!(r.cites("52.222-50"));
        assert!(idx.unmatched().is_empty());
    }

    #[test]
    fn modification_takes_base_award_and_order_its_idv() {
        let idx = EvidenceIndex::build(
            vec![
                piece("W912DY24C0007", "52.222-50", "a.xlsx"),
                piece("GS-07F-0001X", "52.212-5", "idv.xlsx"),
                piece("ORDER-1", "52.204-25", "b.xlsx"),
            ],
            2,
        );
        let mut m = rec("W912DY24C0007P00003");
        m.modification = Some("P00003".into());
        assert!(idx.join(&mut m));
        assert!(m.cites("52.222-50"));
        let mut o = rec("ORDER-1");
        o.parent_id = Some("GS07F0001X".into());
        assert!(idx.join(&mut o));
        assert!(o.cites("52.204-25") && o.cites("52.212-5"), "own and IDV's");
        assert_eq!(o.clause_sources.len(), 2);
        assert!(matches!(o.clauses_source, Some(ClauseSource::Sheet(_))));
        assert!(idx.unmatched().is_empty());
    }

    #[test]
    fn sources_are_unioned_and_unmatched_listed() {
        let idx = EvidenceIndex::build(
            vec![
                piece("C-1", "52.222-50", "b.xlsx"),
                piece("C-1", "52.222-19", "a.xlsx"),
                piece("C-2", "52.222-50", "a.xlsx"),
            ],
            2,
        );
        let mut r = rec("C-1");
        idx.join(&mut r);
        assert!(r.cites("52.222-50") && r.cites("52.222-19"));
        assert_eq!(r.clause_sources[0].file, "a.xlsx", "sorted");
        let un = idx.unmatched();
        assert_eq!(un.len(), 1);
        assert_eq!(un[0].contract_id, "C-2");
        let mut none = rec("C-3");
        assert!(!idx.join(&mut none));
        assert!(
            none.clauses_source.is_none(),
            "no evidence: clauses stay unknown"
        );
    }

    #[test]
    fn truncation_holds_only_when_every_source_is_cut_off() {
        let mut cut = piece("C-1", "52.212-5", "a.pdf");
        cut.truncated = true;
        let idx = EvidenceIndex::build(vec![cut.clone()], 1);
        let mut r = rec("C-1");
        idx.join(&mut r);
        assert!(r.clauses_truncated);
        let idx = EvidenceIndex::build(vec![cut, piece("C-1", "52.222-50", "b.xlsx")], 2);
        let mut r = rec("C-1");
        idx.join(&mut r);
        assert!(!r.clauses_truncated);
    }
}

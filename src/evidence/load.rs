//! `--clauses PATH...`: find the clause reports and contract documents, read them on every
//! core, and build the join index. Runs once, before any input is read; every shard loads
//! all of it, so a sharded run joins exactly as a single run does.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::document::{self, DocClause, Document, IdFrom};
use super::index::{EvidenceIndex, Piece};
use super::{Loc, report};
use crate::ingest::fields::Synonyms;
use crate::ingest::{Format, Limits};
use crate::model::ClauseSourceRef;
use crate::parse::clauseref::ClauseParser;

/// The loaded evidence and what could not be used.
#[derive(Debug, Default)]
pub struct Loaded {
    pub index: EvidenceIndex,
    /// Files (or named paths) that could not be read: (path as reported, message).
    pub errors: Vec<(String, String)>,
    /// Things a user should know that do not stop the run (a document joined by its file
    /// name), each naming the file.
    pub notes: Vec<String>,
    /// Files in walked folders that are neither spreadsheets nor documents.
    pub skipped: usize,
}

/// One evidence file: where it is and the name it is reported under.
struct EvidenceFile {
    path: PathBuf,
    display: String,
}

/// Read every `--clauses` path. Errors are per file; the rest is still loaded.
pub fn load(paths: &[PathBuf], syn: &Synonyms, parser: &ClauseParser, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let files = find(paths, &mut loaded);
    type Read = Result<(Vec<Piece>, Option<String>), (String, String)>;
    let read: Vec<Read> = files
        .par_iter()
        .map(|f| {
            let caught = crate::isolate::catch(|| read_one(f, syn, parser, limits));
            match caught {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(e)) => Err((f.display.clone(), e)),
                Err(panic) => Err((
                    f.display.clone(),
                    format!("internal error while reading this file ({panic})"),
                )),
            }
        })
        .collect();
    let mut pieces = Vec::new();
    let mut ok = 0;
    for r in read {
        match r {
            Ok((p, note)) => {
                ok += 1;
                pieces.extend(p);
                loaded.notes.extend(note);
            }
            Err(e) => loaded.errors.push(e),
        }
    }
    loaded.index = EvidenceIndex::build(pieces, ok);
    loaded
}

fn is_spreadsheet(p: &Path) -> bool {
    Format::of(p).is_some()
}

fn find(paths: &[PathBuf], loaded: &mut Loaded) -> Vec<EvidenceFile> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let display = p.display().to_string();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    "--clauses: no such file or directory".to_string()
                } else {
                    format!("--clauses: cannot read: {e}")
                };
                loaded.errors.push((display, msg));
                continue;
            }
        };
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let lock = e.file_name().to_string_lossy().starts_with("~$");
                        let usable = is_spreadsheet(e.path()) || document::is_document(e.path());
                        if lock || !usable {
                            loaded.skipped += 1;
                            continue;
                        }
                        let path = e.path().to_path_buf();
                        let rel = path.strip_prefix(p).unwrap_or(&path);
                        if seen.insert(path.clone()) {
                            out.push(EvidenceFile {
                                display: p.join(rel).display().to_string(),
                                path,
                            });
                        }
                    }
                    Ok(_) => {}
                    Err(e) => loaded.errors.push((
                        e.path()
                            .map(|x| x.display().to_string())
                            .unwrap_or_else(|| display.clone()),
                        format!("--clauses: cannot read: {e}"),
                    )),
                }
            }
        } else if !(is_spreadsheet(p) || document::is_document(p)) {
            loaded.errors.push((
                display,
                "--clauses: not a clause report or contract document (.xlsx .xlsm .xlsb .xls \
                 .ods .csv .pdf .docx .txt .md)"
                    .into(),
            ));
        } else if seen.insert(p.clone()) {
            out.push(EvidenceFile {
                path: p.clone(),
                display,
            });
        }
    }
    out
}

fn read_one(
    f: &EvidenceFile,
    syn: &Synonyms,
    parser: &ClauseParser,
    limits: &Limits,
) -> Result<(Vec<Piece>, Option<String>), String> {
    if is_spreadsheet(&f.path) {
        return report::read(&f.path, &f.display, syn, parser, limits).map(|p| (p, None));
    }
    let doc = document::read(&f.path, parser).map_err(|e| e.to_string())?;
    let note = named_by_file(&doc).map(|n| format!("{}: {n}", f.display));
    Ok((vec![piece(&doc, &f.display)], note))
}

/// A note when a document's number came from its file name only.
pub fn named_by_file(doc: &Document) -> Option<String> {
    (doc.id_from == IdFrom::FileName).then(|| {
        format!(
            "no contract or solicitation number found in the text; the file name gives {}",
            doc.id
        )
    })
}

/// Where a document's clause evidence is, for `clause_sources`: the page or line of its
/// 52.222-50 reference, else of its 52.212-5 / 52.213-4, else of its first clause.
pub fn document_source(doc: &Document, display: &str) -> ClauseSourceRef {
    let at = |n: &str| doc.clauses.iter().find(|c| c.cite.number == n);
    let loc = at("52.222-50")
        .or_else(|| at("52.212-5"))
        .or_else(|| at("52.213-4"))
        .or_else(|| doc.clauses.first())
        .map(|c: &DocClause| c.loc);
    let (page, line) = match loc {
        Some(Loc::Page(p)) => (Some(p), None),
        Some(Loc::Line(l)) | Some(Loc::Row(l)) => (None, Some(l)),
        None => (None, None),
    };
    ClauseSourceRef {
        file: display.to_string(),
        sheet: None,
        page,
        line,
    }
}

/// A document as one piece of evidence, keyed by its own number; a modification by the
/// contract it modifies (award data carries a modification under its base award's id).
fn piece(doc: &Document, display: &str) -> Piece {
    let id = match (&doc.record_type, &doc.parent_id) {
        (Some(crate::record::RecordType::Modification), Some(parent)) => parent.clone(),
        _ => doc.id.clone(),
    };
    Piece {
        id,
        cites: doc.clauses.iter().map(|c| c.cite.clone()).collect(),
        source: document_source(doc, display),
        boxes_known: doc.boxes_known,
        truncated: doc.truncated,
    }
}

//! Contract documents (`.pdf` text layer, `.docx`, `.txt`, `.md`): the document's contract or
//! solicitation number, type and date, and every clause reference with its date, alternate and
//! check-box state, each with the page or line it was found on.

use std::path::Path;

use chrono::NaiveDate;

use super::Loc;
use crate::parse::clauseref::{ClauseCite, ClauseParser};
use crate::record::RecordType;

/// File extensions read as contract documents.
pub const EXTENSIONS: &[&str] = &["pdf", "docx", "txt", "md"];

/// True for a path whose extension is a contract document's.
pub fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// How a document's contract number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdFrom {
    /// A standard form's number block (SF 1449, SF 33, SF 26, SF 30, ...).
    FormBlock,
    /// A labelled line: "Solicitation Number:", "Contract No.", "RFQ number ... is".
    Label,
    /// Nothing in the text: the file name.
    FileName,
}

/// One clause reference in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocClause {
    /// The reference as the clause parser reads it (number, alternate, date, check-box mark).
    pub cite: ClauseCite,
    /// Where it is.
    pub loc: Loc,
}

/// What a contract document says.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The contract or solicitation number as printed (not normalised).
    pub id: String,
    pub id_from: IdFrom,
    /// For a modification or an order: the contract or IDV it modifies or is placed under.
    pub parent_id: Option<String>,
    /// Modification / amendment number, where stated.
    pub modification: Option<String>,
    pub record_type: Option<RecordType>,
    pub date: Option<NaiveDate>,
    /// Every clause reference, in document order.
    pub clauses: Vec<DocClause>,
    /// The document holds a 52.212-5 check-list with its boxes, so the state of each box is
    /// known (an unmarked or absent 52.222-50 box is decided, not assumed).
    pub boxes_known: bool,
    /// A clause list is cut off (ends mid-entry): a clause not found cannot be called missing.
    pub truncated: bool,
    /// Pages (PDF) or lines/paragraphs (text, DOCX) read.
    pub extent: u32,
}

/// Why a document could not be read. Each message is complete for a user.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("no text layer: run OCR first")]
    NoTextLayer,
    #[error("the PDF is encrypted: save an unprotected copy")]
    Encrypted,
    #[error("not a readable {kind} file: {reason}")]
    Corrupt { kind: &'static str, reason: String },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Read one contract document.
pub fn read(path: &Path, parser: &ClauseParser) -> Result<Document, DocError> {
    let _ = (path, parser);
    Err(DocError::Corrupt {
        kind: "document",
        reason: "contract documents are not read yet".into(),
    })
}

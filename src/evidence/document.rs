//! Contract documents (`.pdf` text layer, `.docx`, `.txt`, `.md`): the document's contract or
//! solicitation number, type and date, and every clause reference with its date, alternate and
//! check-box state, each with the page or line it was found on.

mod clauses;
mod docx;
mod ident;
mod pdf;
mod text;

use std::io::Read;
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
    /// Where the list that makes `truncated` true is cut off (or the first page without text).
    pub truncated_at: Option<Loc>,
    /// PDF pages that hold only an image (scanned, no text layer) in a document that has
    /// text elsewhere: their clauses cannot be read, so the document counts as `truncated`.
    pub pages_without_text: Vec<u32>,
}

/// Why a document could not be read. Each message is complete for a user.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("no text layer: run OCR first")]
    NoTextLayer,
    #[error("the PDF is encrypted: save an unprotected copy")]
    Encrypted,
    #[error(
        "the Word file is password-protected (encrypted), or an old binary .doc renamed: \
         save an unprotected .docx copy"
    )]
    ProtectedWord,
    #[error(
        "no contract or solicitation number in the text or the file name: name the file \
         after its contract or solicitation number"
    )]
    NoNumber,
    #[error("not a readable {kind} file: {reason}")]
    Corrupt { kind: &'static str, reason: String },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Largest document file read (and largest text a DOCX may unpack to): far above any real
/// solicitation, low enough that one file cannot exhaust memory.
pub const MAX_DOC_BYTES: u64 = 256 * 1024 * 1024;

/// Read one contract document.
pub fn read(path: &Path, parser: &ClauseParser) -> Result<Document, DocError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut pages_without_text = Vec::new();
    let (units, loc): (Vec<String>, fn(u32) -> Loc) = match ext.as_str() {
        "pdf" => {
            let p = pdf::pages(path)?;
            pages_without_text = p.image_only;
            (p.text, Loc::Page)
        }
        "docx" => (docx::paragraphs(path)?, Loc::Line),
        "txt" | "md" => (text::lines(path)?, Loc::Line),
        _ => {
            return Err(DocError::Corrupt {
                kind: "document",
                reason: "only .pdf, .docx, .txt and .md files are read as contract documents"
                    .into(),
            });
        }
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let ident = ident::identify(units.iter().flat_map(|u| u.lines()), stem);
    let scan = clauses::scan(&units, loc, parser);
    let (id, id_from) = ident.id.ok_or(DocError::NoNumber)?;
    let truncated_at = scan
        .truncated_at
        .or(pages_without_text.first().map(|&p| Loc::Page(p)));
    Ok(Document {
        id,
        id_from,
        parent_id: ident.parent_id,
        modification: ident.modification,
        record_type: ident.record_type,
        date: ident.date,
        clauses: scan.clauses,
        boxes_known: scan.boxes_known,
        truncated: truncated_at.is_some(),
        extent: units.len() as u32,
        truncated_at,
        pages_without_text,
    })
}

/// The whole file, refused past `cap` bytes.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, DocError> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > cap {
        return Err(DocError::TooLarge(format!(
            "refused: the file is {} MiB, over the {} MiB limit for a contract document",
            len >> 20,
            cap >> 20
        )));
    }
    if len == 0 {
        return Err(DocError::Corrupt {
            kind: "document",
            reason: "the file is empty (0 bytes)".into(),
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(cap).read_to_end(&mut bytes)?;
    Ok(bytes)
}

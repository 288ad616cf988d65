//! Clause evidence kept outside the award data: contract writing systems' clause reports and
//! the contract documents themselves (CONTRACT.md section 2a). Loaded once per run, read-only
//! afterwards, and joined to the records of every input by normalised contract id.

pub mod document;
pub mod index;
pub mod load;
pub mod record;
mod report;

pub use index::{EvidenceIndex, normalise_id};
pub use load::{Loaded, load};

use serde::Serialize;

/// Where a piece of clause evidence sits inside its source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Loc {
    /// 1-based PDF page.
    Page(u32),
    /// 1-based line of a text file, or paragraph number of a DOCX.
    Line(u32),
    /// 1-based spreadsheet row of a clause report.
    Row(u32),
}

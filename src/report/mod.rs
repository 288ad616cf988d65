//! Everything the audit writes.

pub mod jsonl;
pub mod summary;

use std::path::Path;

use crate::batch::FileSink;
use crate::model::BatchOutcome;
use crate::output::write_atomic;

/// The annotated-copy writer for one input (wired to the workbook writer).
pub fn sink_for(_path: &Path) -> Option<Box<dyn FileSink>> {
    None
}

/// Write the portfolio outputs: `findings.jsonl`.
pub fn write_batch_reports(out: &Path, batch: &BatchOutcome) -> anyhow::Result<()> {
    write_atomic(&out.join("findings.jsonl"), |w| jsonl::write(w, batch))?;
    Ok(())
}

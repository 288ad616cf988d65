//! Everything the audit writes.

pub mod jsonl;
pub mod summary;

use std::path::Path;

use crate::batch::FileSink;
use crate::model::BatchOutcome;

/// The annotated-copy writer for one input (wired to the workbook writer).
pub fn sink_for(_path: &Path) -> Option<Box<dyn FileSink>> {
    None
}

/// Write the portfolio reports derived from a finished batch. `findings.jsonl` is already
/// written (streamed by `batch::finish_batch`); the reports read records back with
/// `BatchOutcome::results`. `merge` calls this too, so merged reports equal a single run's.
pub fn write_batch_reports(_out: &Path, _batch: &BatchOutcome) -> anyhow::Result<()> {
    Ok(())
}

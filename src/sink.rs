//! Where the rows of an audited file go while it streams: the annotated copy, or any other
//! writer of a per-input file. Kept apart from `batch` (which drives sinks) and `report`
//! (which implements them) so neither depends on the other for it.

use std::path::PathBuf;

use crate::cell::{Merge, Row};
use crate::ingest::header::HeaderMap;
use crate::model::{FileOutcome, RecordResult};

/// Receives the sheets and rows of one file, in order, for the annotated copy.
pub trait Sink {
    fn start_sheet(
        &mut self,
        name: &str,
        header: Option<&HeaderMap>,
        merges: &[Merge],
        note: Option<&str>,
    ) -> anyhow::Result<()>;
    fn write_row(&mut self, row: &Row, result: Option<&RecordResult>) -> anyhow::Result<()>;
    /// Rows with their records (`None` for rows that are not records), index for index.
    fn write_rows(
        &mut self,
        rows: &[Row],
        results: Vec<Option<RecordResult>>,
    ) -> anyhow::Result<()> {
        for (row, result) in rows.iter().zip(&results) {
            self.write_row(row, result.as_ref())?;
        }
        Ok(())
    }
    fn end_sheet(&mut self) -> anyhow::Result<()>;
}

/// A sink that produces a file when the input's audit is complete.
pub trait FileSink: Sink + Send {
    /// Whether `finish` reads `FileOutcome::results`. Holding them costs memory in
    /// proportion to the file's records, so a sink that gathers what it needs in
    /// `write_row` should say `false`.
    fn wants_results(&self) -> bool {
        true
    }
    fn finish(self: Box<Self>, outcome: &FileOutcome) -> anyhow::Result<PathBuf>;
    /// The path `finish` will write, when known in advance: such a sink may be saved
    /// after the batch's other outputs (see [`crate::batch::PendingSave`]).
    fn target(&self) -> Option<PathBuf> {
        None
    }
}

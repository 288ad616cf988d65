//! Everything the audit writes: `findings.jsonl`, the annotated copy of each input, the
//! portfolio gap report (xlsx and HTML) and the blank template. Every string from an input
//! or a rule that goes into a workbook is written through [`text::write_text`], which keeps
//! it text and within Excel's cell limit.

pub mod agencies;
pub mod aggregate;
pub mod annotate;
pub mod brief;
pub mod contracts;
pub mod gap;
pub mod html;
pub mod jsonl;
pub mod listings;
pub mod portfolio;
pub mod sources;
pub mod summary;
pub mod template;
pub mod text;
pub mod worklist;

use std::path::{Path, PathBuf};

use crate::cell::{Merge, Row};
use crate::ingest::header::HeaderMap;
use crate::model::{BatchOutcome, FileOutcome, RecordResult};
use crate::sink::{FileSink, Sink};

/// Deflate level of every workbook written (rust_xlsxwriter's default is 6). Saving is
/// mostly compression: on a 50k-row annotated copy, level 3 saves the whole run about a
/// seventh of its time for a file about a fifth larger (docs/scale.md).
pub const ZIP_LEVEL: u8 = 3;

/// The annotated-copy writer for one input. When even the temporary file cannot be created,
/// the sink still takes the rows and reports the error at `finish`, so the failure shows in
/// that input's outcome instead of silently producing no copy.
/// `as_of` goes in the printed footer; `clause_source` adds the Clause Source column on
/// audited sheets (the run has `--clauses` evidence).
pub fn sink_for(
    path: &Path,
    as_of: chrono::NaiveDate,
    clause_source: bool,
) -> Option<Box<dyn FileSink>> {
    match annotate::AnnotatedWriter::create(path) {
        Ok(mut w) => {
            w.set_clause_source(clause_source);
            w.set_as_of(&as_of.format("%Y-%m-%d").to_string());
            Some(Box::new(w))
        }
        Err(e) => Some(Box::new(Unwritable(format!("{e:#}")))),
    }
}

/// Write the portfolio reports derived from a finished batch: `gap-report.xlsx` and
/// `report.html`, from the records read back from its `findings.jsonl`. `merge` calls this
/// too, so merged reports equal a single run's.
pub fn write_batch_reports(
    out: &Path,
    batch: &BatchOutcome,
    rules: &portfolio::RuleData,
) -> anyhow::Result<()> {
    write_reports_of(out, batch, rules, aggregate::Aggregate::read(batch)?)
}

/// Write the portfolio reports from the aggregate of the batch's records (a run or a merge
/// counts them as they stream); the record listings read the rows it spooled, or
/// `findings.jsonl` when it has none.
pub fn write_reports_of(
    out: &Path,
    batch: &BatchOutcome,
    rules: &portfolio::RuleData,
    aggregate: aggregate::Aggregate,
) -> anyhow::Result<()> {
    // One aggregate for both reports, written side by side.
    let p = portfolio::Portfolio::of(batch, rules, aggregate);
    let (xlsx, page) = rayon::join(
        || gap::write_portfolio(&out.join("gap-report.xlsx"), &p),
        || html::write_portfolio(&out.join("report.html"), &p),
    );
    xlsx?;
    page
}

/// Write `path` atomically through [`crate::output::write_atomic`] (temporary file in the
/// same directory, registered for clean-up on interrupt, then renamed), readable like any
/// file the user creates (0644 on Unix) rather than the 0600 temporary-file default, so a
/// shared output directory stays usable by colleagues.
pub(crate) fn save_atomic(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    crate::output::write_atomic(path, |w| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            w.get_ref()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        fill(w)
    })
}

impl Sink for annotate::AnnotatedWriter {
    fn start_sheet(
        &mut self,
        name: &str,
        header: Option<&HeaderMap>,
        merges: &[Merge],
        note: Option<&str>,
    ) -> anyhow::Result<()> {
        let layout = header.map(|h| annotate::SheetLayout {
            header_row: h.row,
            last_col: h.names.keys().next_back().copied().unwrap_or(0),
            id_col: h
                .fields
                .get(&crate::ingest::fields::FieldId::ContractId)
                .copied(),
        });
        annotate::AnnotatedWriter::start_sheet(self, name, layout.as_ref(), merges, note)
    }

    fn write_row(&mut self, row: &Row, result: Option<&RecordResult>) -> anyhow::Result<()> {
        annotate::AnnotatedWriter::write_row(self, row, result)
    }

    fn write_rows(
        &mut self,
        rows: &[Row],
        results: Vec<Option<RecordResult>>,
    ) -> anyhow::Result<()> {
        annotate::AnnotatedWriter::write_rows(self, rows, results)
    }

    fn end_sheet(&mut self) -> anyhow::Result<()> {
        annotate::AnnotatedWriter::end_sheet(self)
    }
}

impl FileSink for annotate::AnnotatedWriter {
    /// The Findings and Summary sheets are filled row by row; `finish` needs only the
    /// file's sheets, so the batch need not hold the file's records.
    fn wants_results(&self) -> bool {
        false
    }

    fn finish(self: Box<Self>, outcome: &FileOutcome) -> anyhow::Result<PathBuf> {
        let path = self.out_path().to_path_buf();
        annotate::AnnotatedWriter::finish(*self, outcome)?;
        Ok(path)
    }

    fn target(&self) -> Option<PathBuf> {
        Some(self.out_path().to_path_buf())
    }
}

/// Stands in for a writer that could not be created; see [`sink_for`].
struct Unwritable(String);

impl Sink for Unwritable {
    fn start_sheet(
        &mut self,
        _: &str,
        _: Option<&HeaderMap>,
        _: &[Merge],
        _: Option<&str>,
    ) -> anyhow::Result<()> {
        Ok(())
    }
    fn write_row(&mut self, _: &Row, _: Option<&RecordResult>) -> anyhow::Result<()> {
        Ok(())
    }
    fn end_sheet(&mut self) -> anyhow::Result<()> {
        Ok(())
    }
}

impl FileSink for Unwritable {
    fn wants_results(&self) -> bool {
        false
    }

    fn finish(self: Box<Self>, _: &FileOutcome) -> anyhow::Result<PathBuf> {
        anyhow::bail!("{}", self.0)
    }
}

//! `findings.jsonl`: one JSON object per audited record in input order, then one per input
//! that failed (CONTRACT.md section 4). Lines are written as records are judged (see
//! `batch::finish_batch`); this module owns their exact bytes.

use std::io::Write;

use serde::Serialize;

use crate::model::RecordResult;

#[derive(Serialize)]
struct ErrorLine<'a> {
    file: &'a str,
    status: &'static str,
    error: &'a str,
}

/// One record line.
pub fn write_record<W: Write + ?Sized>(w: &mut W, r: &RecordResult) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *w, r)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// One line for an input that could not be audited.
pub fn write_error<W: Write + ?Sized>(w: &mut W, file: &str, error: &str) -> anyhow::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &ErrorLine {
            file,
            status: "error",
            error,
        },
    )?;
    w.write_all(b"\n")?;
    Ok(())
}

/// The error lines of every failed input, in order, after the record lines.
pub fn write_errors<W: Write + ?Sized>(
    w: &mut W,
    files: &[crate::model::FileOutcome],
) -> anyhow::Result<()> {
    for f in files {
        if let Some(e) = &f.error {
            write_error(w, &f.file, e)?;
        }
    }
    Ok(())
}

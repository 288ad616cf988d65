//! `findings.jsonl`: one JSON object per audited record in input order, then one per input
//! that failed (CONTRACT.md section 4).

use std::io::Write;

use serde::Serialize;

use crate::model::BatchOutcome;

#[derive(Serialize)]
struct ErrorLine<'a> {
    file: &'a str,
    status: &'static str,
    error: &'a str,
}

/// Write every line to `w`.
pub fn write<W: Write>(mut w: W, batch: &BatchOutcome) -> anyhow::Result<()> {
    for r in batch.results() {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    for f in &batch.files {
        if let Some(error) = &f.error {
            serde_json::to_writer(
                &mut w,
                &ErrorLine {
                    file: &f.file,
                    status: "error",
                    error,
                },
            )?;
            w.write_all(b"\n")?;
        }
    }
    w.flush()?;
    Ok(())
}

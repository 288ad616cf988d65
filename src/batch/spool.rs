//! Where each file's judged records go before `findings.jsonl` is written: their lines and
//! their listing rows, per input, in a hidden directory of the output directory.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::model::RecordResult;

/// Where one file's records go as they are judged: their `findings.jsonl` lines and their
/// rows in the gap report's listings, framed by record.
pub struct FileSpool {
    pub(super) lines: BufWriter<std::fs::File>,
    pub(super) rows: BufWriter<std::fs::File>,
    /// The next record's ordinal.
    pub(super) next: usize,
    buf: Vec<u8>,
}

impl FileSpool {
    pub(super) fn create(lines: &Path, rows: &Path) -> std::io::Result<FileSpool> {
        Ok(FileSpool {
            lines: BufWriter::with_capacity(1 << 16, std::fs::File::create(lines)?),
            rows: BufWriter::with_capacity(1 << 16, std::fs::File::create(rows)?),
            next: 0,
            buf: Vec::new(),
        })
    }

    pub(super) fn record(&mut self, r: &RecordResult) -> anyhow::Result<()> {
        crate::report::jsonl::write_record(&mut self.lines, r)?;
        crate::report::listings::write_framed(&mut self.rows, &mut self.buf, self.next, r)?;
        self.next += 1;
        Ok(())
    }

    pub(super) fn flush(&mut self) -> std::io::Result<()> {
        self.lines.flush()?;
        self.rows.flush()
    }
}

/// Copy `n` lines from `src` to `dst`.
pub(super) fn copy_lines(
    src: &mut impl BufRead,
    dst: &mut impl Write,
    mut n: usize,
) -> std::io::Result<()> {
    while n > 0 {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let (mut end, mut seen) = (buf.len(), 0);
        for at in memchr::memchr_iter(b'\n', buf) {
            seen += 1;
            if seen == n {
                end = at + 1;
                break;
            }
        }
        dst.write_all(&buf[..end])?;
        src.consume(end);
        n -= seen;
    }
    Ok(())
}

/// Per-file spooled findings lines, in a hidden directory of the output directory (same
/// file system as `findings.jsonl`); removed when dropped.
pub struct Spool {
    pub(super) dir: tempfile::TempDir,
}

impl Spool {
    pub fn new_in(out: &Path) -> anyhow::Result<Spool> {
        let dir = tempfile::Builder::new()
            .prefix(".tipaudit-spool-")
            .suffix(".tmp")
            .tempdir_in(out)
            .with_context(|| format!("cannot create a temporary directory in {}", out.display()))?;
        Ok(Spool { dir })
    }

    pub fn path(&self, i: usize) -> PathBuf {
        self.dir.path().join(format!("{i}.jsonl"))
    }

    /// Input `i`'s rows for the gap report's listings.
    pub fn rows_path(&self, i: usize) -> PathBuf {
        self.dir.path().join(format!("{i}.rows"))
    }
}

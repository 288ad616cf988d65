//! CSV input: UTF-8 with or without a BOM, UTF-16 with a BOM, and Windows-1252 (the usual
//! encoding of CSVs saved by Excel on Windows) when a field is not valid UTF-8. Ragged rows
//! are accepted; quoted line breaks stay inside their cell, so row numbers are record numbers.
//! A file with more records or fields than an Excel sheet holds is refused: its annotated copy
//! could not hold it. A quote that is never closed would swallow the rest of the file into one
//! cell and lose every record after it: that is an error naming the row, as is a single record
//! over 64 MiB (which would otherwise be buffered whole).

use std::cell::Cell as Counter;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use super::Deadline;
use super::guard::{MAX_COLS, MAX_ROWS};
use crate::cell::{Cell, Row, Value};

pub(crate) fn rows(path: &Path, deadline: &Deadline, f: &mut super::RowFn) -> anyhow::Result<()> {
    let mut file = BufReader::new(File::open(path)?);
    let mut head = [0u8; 2];
    let n = file.read(&mut head)?;
    let prefix = &head[..n];
    let utf16 = match prefix {
        [0xFF, 0xFE] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    match utf16 {
        Some(enc) => {
            // UTF-16 files are rare and small; transcode once in memory.
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes);
            if had_errors {
                anyhow::bail!(
                    "the file starts with a UTF-16 byte-order mark but is not valid UTF-16"
                );
            }
            read_records(text.as_bytes(), deadline, f)
        }
        None => read_records(prefix.chain(file), deadline, f),
    }
}

/// One record may not exceed this (Excel holds 32,767 characters per cell).
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Default)]
struct Seen {
    /// Bytes pulled since the last record ended (the CSV reader buffers at most 8 KiB more).
    since_record: Counter<u64>,
    /// `"` characters in the whole input.
    quotes: Counter<u64>,
}

/// Watches the bytes the CSV reader pulls, for the two failures it does not report.
struct Watch<R> {
    inner: R,
    seen: Rc<Seen>,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let quotes = buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        self.seen.quotes.set(self.seen.quotes.get() + quotes);
        let since = self.seen.since_record.get() + n as u64;
        self.seen.since_record.set(since);
        if since > MAX_RECORD_BYTES {
            return Err(std::io::Error::other(
                "one record is over 64 MiB (a quote that is never closed?)",
            ));
        }
        Ok(n)
    }
}

fn read_records<R: Read>(
    input: R,
    deadline: &Deadline,
    f: &mut super::RowFn,
) -> anyhow::Result<()> {
    let seen = Rc::new(Seen::default());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Watch {
            inner: input,
            seen: Rc::clone(&seen),
        });
    // The row of the last record with a line break inside a cell.
    let mut last_multiline: Option<u32> = None;
    let mut record = csv::ByteRecord::new();
    let mut index: u32 = 0;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| anyhow::anyhow!("row {}: {}", index + 1, e))?
    {
        seen.since_record.set(0);
        last_multiline = record
            .iter()
            .any(|field| field.contains(&b'\n') || field.contains(&b'\r'))
            .then_some(index);
        check_fits_a_sheet(index, &record)?;
        if index.is_multiple_of(4096) {
            deadline.check()?;
        }
        let cells = record_cells(&record, index == 0);
        if !cells.is_empty() && !f(Row { index, cells })? {
            return Ok(());
        }
        index += 1;
    }
    // An odd number of quotes and a last record spanning lines: a quote opened in that
    // record was never closed, and every line after it was read into one cell.
    if seen.quotes.get() % 2 == 1
        && let Some(r) = last_multiline
    {
        anyhow::bail!(
            "row {}: a quoted cell is never closed; the rest of the file was read into it \
             (an unmatched \" character?)",
            r + 1
        );
    }
    Ok(())
}

/// Refuse a record beyond what an Excel sheet (and so the annotated copy) can hold.
fn check_fits_a_sheet(index: u32, record: &csv::ByteRecord) -> anyhow::Result<()> {
    if index >= MAX_ROWS {
        anyhow::bail!(
            "more than 1,048,576 records, the most an Excel sheet (and so the annotated \
             copy) can hold; split the file"
        );
    }
    if record.len() > MAX_COLS as usize {
        anyhow::bail!(
            "row {}: {} fields, more than the 16,384 columns an Excel sheet can hold",
            index + 1,
            record.len()
        );
    }
    Ok(())
}

/// The non-blank fields of a record as text cells: UTF-8, or else Windows-1252.
fn record_cells(record: &csv::ByteRecord, first: bool) -> Vec<Cell> {
    let mut cells = Vec::new();
    for (c, field) in record.iter().enumerate() {
        let mut field = field;
        if first && c == 0 {
            // A UTF-8 byte-order mark is not part of the first header.
            field = field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field);
        }
        if field.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let text = match std::str::from_utf8(field) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252.decode(field).0.into_owned(),
        };
        cells.push(Cell {
            col: c as u32,
            value: Value::Text(text),
            formula: None,
        });
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_cells_skip_blanks_strip_the_bom_once_and_read_windows_1252() {
        let record = csv::ByteRecord::from(vec![&b"\xEF\xBB\xBFid"[..], b"  ", b"caf\xE9"]);
        let texts = |first| -> Vec<(u32, String)> {
            record_cells(&record, first)
                .into_iter()
                .map(|c| (c.col, c.value.as_text().into_owned()))
                .collect()
        };
        assert_eq!(texts(true), [(0, "id".into()), (2, "caf\u{e9}".into())]);
        assert_eq!(texts(false)[0], (0, "\u{feff}id".into()));
    }
}

//! CSV input: UTF-8 with or without a BOM, UTF-16 with a BOM, and Windows-1252 (the usual
//! encoding of CSVs saved by Excel on Windows) when a field is not valid UTF-8. Ragged rows
//! are accepted; quoted line breaks stay inside their cell.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::cell::{Cell, Row, Value};

pub fn rows(path: &Path, f: &mut super::RowFn) -> anyhow::Result<()> {
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
            read_records(text.as_bytes(), f)
        }
        None => read_records(prefix.chain(file), f),
    }
}

fn read_records<R: Read>(input: R, f: &mut super::RowFn) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut index: u32 = 0;
    let mut first = true;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| anyhow::anyhow!("row {}: {}", index + 1, e))?
    {
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
        first = false;
        if !cells.is_empty() && !f(Row { index, cells })? {
            return Ok(());
        }
        index += 1;
    }
    Ok(())
}

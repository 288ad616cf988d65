//! Open any supported workbook and stream its rows as `Row`s, whatever the format.
//!
//! `.xlsx`/`.xlsm` are streamed cell by cell (bounded memory); `.xlsb`, `.xls` and `.ods` are
//! read a sheet at a time through calamine; `.csv` is streamed record by record.

pub mod build;
mod csvfile;
pub mod fields;
pub mod guard;
pub mod header;
mod xlsx_merges;
mod xlsx_stream;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use calamine::{Data, DataRef, Reader, SheetType};

use crate::cell::{Cell, Merge, Row, Value};
pub use guard::Limits;

/// The input formats tipaudit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

/// The input types, for messages.
pub const SUPPORTED: &str =
    ".xlsx .xlsm .xlsb .xls .ods .csv, or a contract document .pdf .docx .txt .md";

impl Format {
    /// The format for a path, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Format::Xlsx,
            "xlsb" => Format::Xlsb,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "csv" => Format::Csv,
            _ => return None,
        })
    }

    /// The usual extension, for messages.
    pub fn ext(self) -> &'static str {
        ext_name(self)
    }
}

/// Why a file could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Open(String),
    #[error("sheet '{sheet}': {message}")]
    Sheet { sheet: String, message: String },
}

type Xlsx = calamine::Xlsx<BufReader<File>>;

enum Inner {
    /// The usual `.xlsx`: read here, shared strings held compactly.
    Stream(Box<xlsx_stream::Package>),
    /// An `.xlsx` laid out unusually: calamine.
    Xlsx(Box<Xlsx>),
    Other(Box<calamine::Sheets<BufReader<File>>>),
    Csv(PathBuf),
}

/// An open input workbook.
pub struct Workbook {
    inner: Inner,
    /// xlsx: where each sheet's part lies, found on the first `merges` call (`None` inside
    /// when the package is laid out unusually and calamine must find the merges).
    parts: Option<Option<xlsx_merges::SheetParts>>,
    path: PathBuf,
    sheets: Vec<String>,
    format: Format,
    limits: Limits,
    /// Reading stops with an error after this (`Limits::max_time`).
    deadline: Instant,
    /// Test-only: panic from the second read of a sheet on (the audit pass, which runs on
    /// a reader thread) when `TIPAUDIT_TEST_PANIC_ON=rows:<file name>`, so isolation of a
    /// panic inside the reader is tested through the binary. Counts the reads so far.
    test_panic: Option<u32>,
}

/// Called for each row; return `Ok(false)` to stop reading the sheet early.
pub type RowFn<'a> = dyn FnMut(Row) -> anyhow::Result<bool> + 'a;

impl Workbook {
    /// Open with the default limits.
    pub fn open(path: &Path) -> Result<Workbook, IngestError> {
        Workbook::open_with(path, &Limits::default())
    }

    /// Open after checking the file against `limits` (sizes, zip bombs, sheet boxes).
    pub fn open_with(path: &Path, limits: &Limits) -> Result<Workbook, IngestError> {
        let format = Format::of(path).ok_or_else(|| {
            IngestError::Open("not a supported type (.xlsx .xlsm .xlsb .xls .ods .csv)".into())
        })?;
        let deadline = limits.deadline();
        guard::check(path, format, limits).map_err(IngestError::Open)?;
        if format == Format::Csv {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Sheet1".into());
            return Ok(Workbook {
                inner: Inner::Csv(path.to_path_buf()),
                parts: None,
                path: path.to_path_buf(),
                sheets: vec![sheet_name_for_csv(&stem)],
                format,
                limits: *limits,
                deadline,
                test_panic: test_panic_requested(path),
            });
        }
        let describe = |e: calamine::Error| IngestError::Open(describe_open_error(path, format, e));
        let (inner, sheets) = match format {
            Format::Xlsx if let Some(p) = xlsx_stream::Package::open(path) => {
                let sheets = p.sheet_names();
                (Inner::Stream(Box::new(p)), sheets)
            }
            Format::Xlsx => {
                let wb: Xlsx = calamine::open_workbook(path)
                    .map_err(|e| describe(calamine::Error::Xlsx(e)))?;
                let sheets = worksheet_names(wb.sheets_metadata());
                (Inner::Xlsx(Box::new(wb)), sheets)
            }
            _ => {
                let wb = calamine::open_workbook_auto(path).map_err(describe)?;
                let sheets = worksheet_names(wb.sheets_metadata());
                (Inner::Other(Box::new(wb)), sheets)
            }
        };
        Ok(Workbook {
            inner,
            parts: None,
            path: path.to_path_buf(),
            sheets,
            format,
            limits: *limits,
            deadline,
            test_panic: test_panic_requested(path),
        })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Worksheet names in workbook order (chart sheets and macro sheets left out).
    pub fn sheet_names(&self) -> &[String] {
        &self.sheets
    }

    /// Merged ranges of a sheet (empty where the format does not record them).
    pub fn merges(&mut self, sheet: &str) -> Vec<Merge> {
        let dims = match &mut self.inner {
            Inner::Stream(_) | Inner::Xlsx(_) => {
                let parts = self
                    .parts
                    .get_or_insert_with(|| xlsx_merges::SheetParts::open(&self.path));
                if let Some(found) = parts.as_mut().and_then(|p| p.merges(sheet)) {
                    return found;
                }
                match &mut self.inner {
                    Inner::Xlsx(wb) => wb.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
                    _ => Vec::new(),
                }
            }
            Inner::Other(wb) => match wb.as_mut() {
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
                _ => Vec::new(),
            },
            Inner::Csv(_) => Vec::new(),
        };
        dims.into_iter()
            .map(|d| Merge {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0,
                last_col: d.end.1,
            })
            .collect()
    }

    /// Stream the rows of `sheet` in order. Rows with no non-empty cell are not reported.
    pub fn rows(&mut self, sheet: &str, f: &mut RowFn) -> Result<(), IngestError> {
        let sheet_err = |message: String| IngestError::Sheet {
            sheet: sheet.to_string(),
            message,
        };
        if let Some(reads) = self.test_panic.as_mut() {
            *reads += 1;
            if *reads > 1 {
                panic!("test panic requested while reading sheet '{sheet}'");
            }
        }
        let deadline = Deadline {
            at: self.deadline,
            limits: self.limits,
        };
        match &mut self.inner {
            Inner::Csv(path) => {
                csvfile::rows(path, &deadline, f).map_err(|e| sheet_err(format!("{e:#}")))
            }
            Inner::Stream(p) => p
                .rows(sheet, &deadline, f)
                .map_err(|e| sheet_err(format!("{e:#}"))),
            Inner::Xlsx(wb) => {
                stream_xlsx(wb, sheet, &deadline, f).map_err(|e| sheet_err(format!("{e:#}")))
            }
            Inner::Other(wb) => {
                if let calamine::Sheets::Xlsb(x) = wb.as_mut() {
                    // Measure the cells before calamine builds the sheet's grid from them.
                    let mut cells = x
                        .worksheet_cells_reader(sheet)
                        .map_err(|e| sheet_err(e.to_string()))?;
                    let mut bbox = guard::CellBox::default();
                    let mut seen = 0u64;
                    while let Some(c) = cells.next_cell().map_err(|e| sheet_err(e.to_string()))? {
                        bbox.add(c.get_position());
                        seen += 1;
                        if seen.is_multiple_of(4096) {
                            deadline.check().map_err(|e| sheet_err(e.to_string()))?;
                        }
                    }
                    drop(cells);
                    bbox.check(sheet, &self.limits).map_err(IngestError::Open)?;
                }
                let range = wb
                    .worksheet_range(sheet)
                    .map_err(|e| sheet_err(e.to_string()))?;
                // Formulas are optional: a format or sheet without them still audits.
                let formulas = wb.worksheet_formula(sheet).ok();
                emit_range(&range, formulas.as_ref(), &deadline, f)
                    .map_err(|e| sheet_err(format!("{e:#}")))
            }
        }
    }
}

fn test_panic_requested(path: &Path) -> Option<u32> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    std::env::var("TIPAUDIT_TEST_PANIC_ON")
        .ok()
        .and_then(|v| v.strip_prefix("rows:").map(str::to_string))
        .is_some_and(|v| Some(v) == name)
        .then_some(0)
}

fn worksheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// A CSV becomes one sheet named after the file; Excel limits sheet names to 31 characters
/// and forbids `[]:*?/\`.
fn sheet_name_for_csv(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let cut: String = cleaned.chars().take(31).collect();
    if cut.trim().is_empty() {
        "Sheet1".into()
    } else {
        cut
    }
}

/// Turn calamine's open errors into a message a person can act on.
fn describe_open_error(path: &Path, format: Format, e: calamine::Error) -> String {
    // The guard has sniffed the file already; this covers callers that skip it.
    let magic = guard::sniff(path).unwrap_or(guard::Magic::Other);
    let is_zip = magic == guard::Magic::Zip;
    let is_cfb = magic == guard::Magic::Cfb;
    match format {
        Format::Xlsx | Format::Xlsb | Format::Ods if is_cfb => {
            "the file is password-protected (encrypted) or an old binary .xls renamed; it is not an OOXML/ODS zip package".into()
        }
        Format::Xlsx | Format::Xlsb | Format::Ods if !is_zip => {
            format!("not a valid {} file: it is not a zip package ({e})", ext_name(format))
        }
        Format::Xls if !is_cfb => format!(
            "not a valid .xls file: it is not a binary Excel (CFB) file{} ({e})",
            if is_zip { "; it looks like .xlsx, rename it" } else { "" }
        ),
        _ => format!("not a valid {} file: {e}", ext_name(format)),
    }
}

fn ext_name(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "xlsx",
        Format::Xlsb => "xlsb",
        Format::Xls => "xls",
        Format::Ods => "ods",
        Format::Csv => "csv",
    }
}

/// The per-file time limit, checked while cells stream.
pub(crate) struct Deadline {
    at: Instant,
    limits: Limits,
}

impl Deadline {
    pub(crate) fn check(&self) -> anyhow::Result<()> {
        if Instant::now() > self.at {
            anyhow::bail!(
                "refused: reading the file took longer than {} s (--max-seconds-per-file)",
                self.limits.max_time.as_secs()
            );
        }
        Ok(())
    }
}

/// A cell outside the largest sheet Excel allows cannot be carried into the annotated copy.
fn check_position(r: u32, c: u32) -> anyhow::Result<()> {
    if r >= guard::MAX_ROWS || c >= guard::MAX_COLS {
        anyhow::bail!(
            "cell {}{} lies beyond the largest sheet Excel allows (1,048,576 rows x 16,384 columns)",
            guard::col_name(u64::from(c)),
            u64::from(r) + 1
        );
    }
    Ok(())
}

fn stream_xlsx(
    wb: &mut Xlsx,
    sheet: &str,
    deadline: &Deadline,
    f: &mut RowFn,
) -> anyhow::Result<()> {
    let mut reader = wb.worksheet_cells_reader(sheet)?;
    let mut row = Row::default();
    let mut seen: u32 = 0;
    while let Some(cell) = reader.next_cell_with_formula()? {
        let (r, c) = cell.pos;
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(4096) {
            deadline.check()?;
        }
        check_position(r, c)?;
        let value = value_from_ref(cell.value);
        let formula = cell.formula.filter(|s| !s.is_empty());
        if value == Value::Empty && formula.is_none() {
            continue;
        }
        if r != row.index || row.cells.is_empty() {
            if !row.cells.is_empty() {
                let done = std::mem::take(&mut row);
                if !f(done)? {
                    return Ok(());
                }
            }
            row.index = r;
        }
        row.cells.push(Cell {
            col: c,
            value,
            formula,
        });
    }
    if !row.cells.is_empty() {
        f(row)?;
    }
    Ok(())
}

fn emit_range(
    range: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
    deadline: &Deadline,
    f: &mut RowFn,
) -> anyhow::Result<()> {
    let Some((r0, c0)) = range.start() else {
        return Ok(());
    };
    if let Some((r1, c1)) = range.end() {
        check_position(r1, c1)?;
    }
    for (i, cells) in range.rows().enumerate() {
        let r = r0 + i as u32;
        if i.is_multiple_of(1024) {
            deadline.check()?;
        }
        let mut row = Row {
            index: r,
            cells: Vec::new(),
        };
        for (j, v) in cells.iter().enumerate() {
            let c = c0 + j as u32;
            let formula = formulas
                .and_then(|fr| fr.get_value((r, c)))
                .filter(|s| !s.is_empty())
                .cloned();
            let value = value_from_data(v);
            if value == Value::Empty && formula.is_none() {
                continue;
            }
            row.cells.push(Cell {
                col: c,
                value,
                formula,
            });
        }
        if !row.cells.is_empty() && !f(row)? {
            return Ok(());
        }
    }
    Ok(())
}

fn value_from_ref(v: DataRef<'_>) -> Value {
    match v {
        DataRef::Int(i) => Value::Int(i),
        DataRef::Float(x) => Value::Float(x),
        DataRef::String(s) => text_value(s),
        DataRef::SharedString(s) => text_value(s.to_string()),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) => date_value(&d),
        DataRef::DateTimeIso(s) => iso_value(s),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn value_from_data(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Int(*i),
        Data::Float(x) => Value::Float(*x),
        Data::String(s) => text_value(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => date_value(d),
        Data::DateTimeIso(s) => iso_value(s.clone()),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

fn text_value(s: String) -> Value {
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

fn date_value(d: &calamine::ExcelDateTime) -> Value {
    match d.as_datetime() {
        Some(dt) => Value::DateTime(dt),
        // Durations and out-of-range serials stay numbers rather than becoming wrong dates.
        None => Value::Float(d.as_f64()),
    }
}

fn iso_value(s: String) -> Value {
    use chrono::{NaiveDate, NaiveDateTime};
    if let Ok(dt) = NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Value::DateTime(dt);
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Value::DateTime(d.and_time(chrono::NaiveTime::MIN));
    }
    Value::Text(s)
}

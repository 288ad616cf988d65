//! Limits checked before a parser sees a file.
//!
//! calamine trusts its input: it inflates whatever a zip package declares, and for `.xls`,
//! `.xlsb` and `.ods` it allocates the bounding box of a sheet's cells as one grid (a sheet with
//! only A1 and XFD1048576 asks for 17 billion cells, and a failed allocation aborts the process
//! rather than panicking). So every file is sniffed and measured here first, from the zip central
//! directory, the BIFF record stream or the ODS XML, and refused with a message saying which
//! limit it crossed and which option raises it.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::time::{Duration, Instant};

use super::Format;

/// The most rows and columns an Excel sheet can hold (and so the annotated copy).
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;

const MIB: u64 = 1024 * 1024;

/// Per-file limits; the defaults fit any real contract workbook with room to spare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file on disk.
    pub max_file_bytes: u64,
    /// Sum of the declared uncompressed sizes of a zip package's entries.
    pub max_unzipped_bytes: u64,
    /// Entries in a zip package.
    pub max_zip_entries: usize,
    /// Declared uncompressed size / compressed size of one entry (checked for entries over
    /// 1 MiB; real spreadsheet XML stays well under 100).
    pub max_zip_ratio: u64,
    /// Cells in one sheet's bounding box, for the formats read a whole sheet at a time
    /// (`.xls`, `.xlsb`, `.ods`); `.xlsx` and `.csv` are streamed and need no such cap.
    pub max_sheet_cells: u64,
    /// Wall-clock time to read and audit one file.
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 2048 * MIB,
            max_unzipped_bytes: 2048 * MIB,
            max_zip_entries: 10_000,
            max_zip_ratio: 500,
            max_sheet_cells: 10_000_000,
            max_time: Duration::from_secs(600),
        }
    }
}

impl Limits {
    /// The point in time after which reading a file opened now stops.
    pub fn deadline(&self) -> Instant {
        let now = Instant::now();
        now.checked_add(self.max_time)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
    }
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    Zip,
    Cfb,
    Other,
}

pub fn sniff(path: &Path) -> std::io::Result<Magic> {
    let mut head = [0u8; 8];
    let mut f = File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    let head = &head[..n];
    Ok(
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Magic::Zip
        } else if head.starts_with(CFB_MAGIC) {
            Magic::Cfb
        } else {
            Magic::Other
        },
    )
}

/// Check a file against the limits before any parser reads it. The error is the whole
/// message for the file's error line.
pub fn check(path: &Path, format: Format, limits: &Limits) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() == 0 {
        return Err("the file is empty (0 bytes)".into());
    }
    if meta.len() > limits.max_file_bytes {
        return Err(format!(
            "refused: the file is {}, over the limit of {} (--max-file-mb)",
            human_bytes(meta.len()),
            human_bytes(limits.max_file_bytes)
        ));
    }
    let magic = sniff(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let ext = format.ext();
    match (format, magic) {
        (Format::Xlsx | Format::Xlsb | Format::Ods, Magic::Cfb) => Err(format!(
            "the file is password-protected (encrypted) or not OOXML: it is an OLE compound \
             file (a protected workbook or an old binary .xls renamed), not a .{ext} zip package; \
             remove the password or save it as .{ext}"
        )),
        (Format::Xlsx | Format::Xlsb | Format::Ods, Magic::Other) => Err(format!(
            "not a valid {ext} file: it is not a zip package (the first bytes are not PK); \
             the file is damaged or another type renamed"
        )),
        (Format::Xlsx | Format::Xlsb | Format::Ods, Magic::Zip) => {
            let mut zip = open_zip(path, ext)?;
            check_zip(&mut zip, limits)?;
            if format == Format::Ods {
                check_ods(&mut zip, limits)?;
            }
            Ok(())
        }
        (Format::Xls, Magic::Cfb) => check_xls(path, limits),
        (Format::Xls, Magic::Zip) => Err(
            "not a valid xls file: it is a zip package (an .xlsx workbook?), not a binary \
             Excel file; rename it to .xlsx"
                .into(),
        ),
        (Format::Xls, Magic::Other) => Err(
            "not a valid xls file: it is not a binary Excel (OLE compound) file; a text or \
             HTML export renamed .xls? Save it as .xlsx or .csv"
                .into(),
        ),
        (Format::Csv, Magic::Zip | Magic::Cfb) => Err(
            "not a CSV file: it is a binary workbook (.xlsx or .xls) with a .csv name; rename \
             it to its real type"
                .into(),
        ),
        (Format::Csv, Magic::Other) => Ok(()),
    }
}

type Zip = zip::ZipArchive<BufReader<File>>;

/// The zip-bomb checks of [`check`] for another zip package (a `.docx` contract document).
pub fn check_zip_package(path: &Path, ext: &str, limits: &Limits) -> Result<(), String> {
    check_zip(&mut open_zip(path, ext)?, limits)
}

fn open_zip(path: &Path, ext: &str) -> Result<Zip, String> {
    let file = File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        format!(
            "not a valid {ext} file: the zip package is truncated or damaged (its central \
             directory cannot be read: {e})"
        )
    })
}

/// Refuse zip bombs from the central directory alone: nothing is inflated here. The zip
/// reader stops any entry that inflates past its declared size, so declared sizes can be
/// trusted as upper bounds.
fn check_zip(zip: &mut Zip, limits: &Limits) -> Result<(), String> {
    let n = zip.len();
    if n > limits.max_zip_entries {
        return Err(format!(
            "refused: the zip package has {n} entries, over the limit of {} (--max-zip-entries)",
            limits.max_zip_entries
        ));
    }
    let mut total: u64 = 0;
    for i in 0..n {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("the zip package is damaged (entry {i}: {e})"))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("#{i}"));
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if total > limits.max_unzipped_bytes {
            return Err(format!(
                "refused as a possible zip bomb: the entries unpack to more than {} \
                 (at least {} declared by entry {} '{}'), over the limit of {} (--max-unzipped-mb)",
                human_bytes(limits.max_unzipped_bytes),
                human_bytes(total),
                i,
                name,
                human_bytes(limits.max_unzipped_bytes)
            ));
        }
        if size > MIB && size / packed > limits.max_zip_ratio {
            return Err(format!(
                "refused as a possible zip bomb: entry '{}' unpacks {} from {} (ratio {}:1, \
                 over the limit of {}:1, --max-zip-ratio)",
                name,
                human_bytes(size),
                human_bytes(packed),
                size / packed,
                limits.max_zip_ratio
            ));
        }
    }
    Ok(())
}

/// Measure each ODS table's bounding box as calamine will expand it (repeated rows and
/// columns included) without building it.
fn check_ods(zip: &mut Zip, limits: &Limits) -> Result<(), String> {
    use quick_xml::events::Event;
    let Ok(content) = zip.by_name("content.xml") else {
        // calamine reports the missing part itself.
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut table = TableBox::default();
    let mut depth = 0usize;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not a valid ods file: content.xml is damaged ({e})"))?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "table:table" if !empty => {
                    depth += 1;
                    if depth == 1 {
                        table = TableBox {
                            name: attr(e, "table:name").unwrap_or_default(),
                            ..TableBox::default()
                        };
                    }
                }
                "table:table-row" if depth == 1 => {
                    let repeat = attr_num(e, "table:number-rows-repeated");
                    table.start_row(repeat);
                    if empty {
                        table.end_row();
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                    let repeat = attr_num(e, "table:number-columns-repeated");
                    // A cell with content (a value type or child text) counts as filled.
                    let filled = !empty || attr(e, "office:value-type").is_some();
                    table.cell(repeat, filled);
                }
                _ => {}
            },
            Event::End(ref e) => match e.name().as_ref() {
                "table:table" => {
                    if depth == 1 {
                        table.check(limits)?;
                    }
                    depth = depth.saturating_sub(1);
                }
                "table:table-row" if depth == 1 => table.end_row(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

fn attr_num(e: &quick_xml::events::BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// The bounding box of the filled cells of one table, rows and columns 0-based.
#[derive(Default)]
struct TableBox {
    name: String,
    row: u64,
    row_repeat: u64,
    col: u64,
    row_filled: bool,
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl TableBox {
    fn start_row(&mut self, repeat: u64) {
        self.row_repeat = repeat;
        self.col = 0;
        self.row_filled = false;
    }

    fn cell(&mut self, repeat: u64, filled: bool) {
        if filled {
            let last = self.col.saturating_add(repeat - 1);
            self.cols = Some(match self.cols {
                Some((a, b)) => (a.min(self.col), b.max(last)),
                None => (self.col, last),
            });
            self.row_filled = true;
        }
        self.col = self.col.saturating_add(repeat);
    }

    fn end_row(&mut self) {
        if self.row_filled {
            let last = self.row.saturating_add(self.row_repeat - 1);
            self.rows = Some(match self.rows {
                Some((a, b)) => (a.min(self.row), b.max(last)),
                None => (self.row, last),
            });
        }
        self.row = self.row.saturating_add(self.row_repeat);
        self.row_filled = false;
    }

    fn check(&self, limits: &Limits) -> Result<(), String> {
        let (Some(rows), Some(cols)) = (self.rows, self.cols) else {
            return Ok(());
        };
        check_box(&self.name, rows, cols, limits)
    }
}

/// Refuse a sheet whose filled cells span a box over the limits.
fn check_box(
    sheet: &str,
    (r0, r1): (u64, u64),
    (c0, c1): (u64, u64),
    limits: &Limits,
) -> Result<(), String> {
    let cells = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1);
    let corner = format!("{}{}", col_name(c1), r1.saturating_add(1));
    if r1 >= u64::from(MAX_ROWS) || c1 >= u64::from(MAX_COLS) {
        return Err(format!(
            "sheet '{sheet}': a cell lies at {corner}, beyond the largest sheet Excel allows \
             (1,048,576 rows x 16,384 columns)"
        ));
    }
    if cells > limits.max_sheet_cells {
        return Err(format!(
            "refused: sheet '{sheet}' spans {}{} to {corner}, {cells} cells, over the limit of \
             {} (--max-sheet-cells); a sparse sheet with far-apart cells? Save it as .xlsx, \
             which is read without building the grid",
            col_name(c0),
            r0 + 1,
            limits.max_sheet_cells
        ));
    }
    Ok(())
}

/// `0 -> A`, `25 -> Z`, `26 -> AA`.
pub fn col_name(c: u64) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        s.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Walk the BIFF record stream of an `.xls` and measure each worksheet: both its DIMENSIONS
/// record (calamine reserves that many cells up front) and the box its cell records span
/// (calamine builds that grid).
fn check_xls(path: &Path, limits: &Limits) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut cf = cfb::CompoundFile::open(BufReader::new(file))
        .map_err(|e| format!("not a valid xls file: the compound file is damaged ({e})"))?;
    let stream_name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| {
            "not an Excel workbook: the compound file has no Workbook stream (a Word or other \
             Office document renamed .xls?)"
                .to_string()
        })?;
    let stream = cf
        .open_stream(stream_name)
        .map_err(|e| format!("not a valid xls file: {e}"))?;
    scan_biff(BufReader::new(stream), limits)
}

fn scan_biff<R: Read + Seek>(mut r: R, limits: &Limits) -> Result<(), String> {
    let mut scan = BiffScan::default();
    let mut data = vec![0u8; 0xFFFF];
    loop {
        let pos = r.stream_position().map_err(|e| e.to_string())?;
        let mut head = [0u8; 4];
        if read_full(&mut r, &mut head)? < 4 {
            break;
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        if read_full(&mut r, &mut data[..len])? < len {
            break;
        }
        scan.record(typ, pos, &data[..len], limits)?;
    }
    Ok(())
}

/// The worksheets seen so far in a BIFF stream, and the one being walked.
#[derive(Default)]
struct BiffScan {
    /// Sheet names by the stream offset of their BOF (from BOUNDSHEET).
    names: std::collections::HashMap<u64, String>,
    /// Substreams open: 1 inside a worksheet (or the workbook globals).
    depth: usize,
    sheet: Option<(String, CellBox)>,
}

impl BiffScan {
    /// One record of type `typ` at stream offset `pos` with data `d`.
    fn record(&mut self, typ: u16, pos: u64, d: &[u8], limits: &Limits) -> Result<(), String> {
        let depth = self.depth;
        match typ {
            // BOF: a substream starts; a worksheet's BOF sits where BOUNDSHEET said.
            0x0809 => {
                self.depth += 1;
                if self.depth == 1 && le_u16(d, 2) == Some(0x0010) {
                    let name = self.names.get(&pos).cloned().unwrap_or_else(|| "?".into());
                    self.sheet = Some((name, CellBox::default()));
                }
            }
            0x000A => {
                if depth == 1
                    && let Some((name, bbox)) = self.sheet.take()
                {
                    bbox.check(&name, limits)?;
                }
                self.depth = depth.saturating_sub(1);
            }
            0x0085 if depth == 1 => {
                if let Some((off, name)) = boundsheet(d) {
                    self.names.insert(off, name);
                }
            }
            // DIMENSIONS: calamine reserves rows x cols cells from it.
            0x0200 if depth == 1 => {
                if let Some((name, _)) = &self.sheet {
                    let (rows, cols) = dimensions(d);
                    // BIFF8 sheets hold at most 65,536 rows and 256 columns.
                    if rows > 65_536 || cols > 256 {
                        return Err(format!(
                            "sheet '{name}': the sheet declares {rows} rows x {cols} columns, \
                             beyond what an .xls sheet can hold (65,536 x 256); the file is damaged"
                        ));
                    }
                }
            }
            // Cell records: row and column first; MULRK/MULBLANK end with their last column.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x00BD | 0x0006 if depth == 1 => {
                if let (Some((_, bbox)), Some(row), Some(col)) =
                    (&mut self.sheet, le_u16(d, 0), le_u16(d, 2))
                {
                    // BIFF positions are u16: always within u32.
                    bbox.add((row as u32, col as u32));
                    if typ == 0x00BD && d.len() >= 6 {
                        bbox.add((row as u32, le_u16(d, d.len() - 2).unwrap_or(col) as u32));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn le_u16(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 2)
        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn le_u32(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 4)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// BOUNDSHEET: the stream offset of the sheet's BOF, then its name (8-bit, or UTF-16 when
/// the flag byte is 1).
fn boundsheet(d: &[u8]) -> Option<(u64, String)> {
    let off = le_u32(d, 0)?;
    let n = usize::from(*d.get(6)?);
    let name = match d.get(7) {
        Some(1) => {
            let raw = d.get(8..8 + 2 * n).unwrap_or_default();
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => d
            .get(8..8 + n)
            .map(|b| b.iter().map(|&c| char::from(c)).collect())
            .unwrap_or_default(),
    };
    Some((off, name))
}

/// DIMENSIONS: the (rows, columns) a sheet declares, from BIFF8's 32-bit rows or BIFF5's
/// 16-bit ones; 0 where the record is cut short.
fn dimensions(d: &[u8]) -> (u64, u64) {
    let (rows, cols) = if d.len() >= 14 {
        (
            le_u32(d, 4).zip(le_u32(d, 0)),
            le_u16(d, 10).zip(le_u16(d, 8)),
        )
    } else {
        (
            le_u16(d, 2).zip(le_u16(d, 0)),
            le_u16(d, 6).zip(le_u16(d, 4)),
        )
    };
    let span = |x: Option<(u64, u64)>| x.map(|(hi, lo)| hi.saturating_sub(lo));
    (span(rows).unwrap_or(0), span(cols).unwrap_or(0))
}

fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<usize, String> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("not a valid xls file: {e}")),
        }
    }
    Ok(n)
}

/// The box a sheet's cells span, accumulated cell by cell (for `.xlsb`, checked before
/// calamine builds the sheet's grid).
#[derive(Debug, Default)]
pub struct CellBox(Option<((u64, u64), (u64, u64))>);

impl CellBox {
    pub fn add(&mut self, (r, c): (u32, u32)) {
        let (r, c) = (u64::from(r), u64::from(c));
        self.0 = Some(match self.0 {
            Some(((r0, r1), (c0, c1))) => ((r0.min(r), r1.max(r)), (c0.min(c), c1.max(c))),
            None => ((r, r), (c, c)),
        });
    }

    pub fn check(&self, sheet: &str, limits: &Limits) -> Result<(), String> {
        match self.0 {
            Some((rows, cols)) => check_box(sheet, rows, cols, limits),
            None => Ok(()),
        }
    }
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * MIB {
        format!("{:.1} GiB", n as f64 / (1024 * MIB) as f64)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(16_383), "XFD");
    }

    #[test]
    fn sparse_box_is_refused_and_names_the_corner() {
        let l = Limits::default();
        let e = check_box("S", (0, 65_535), (0, 255), &l).unwrap_err();
        assert!(e.contains("IV65536"), "{e}");
        assert!(e.contains("--max-sheet-cells"), "{e}");
        assert!(check_box("S", (0, 999), (0, 30), &l).is_ok());
        let e = check_box("S", (0, 2_000_000), (0, 1), &l).unwrap_err();
        assert!(e.contains("beyond the largest sheet"), "{e}");
    }

    #[test]
    fn biff_scan_measures_cell_records() {
        // BOUNDSHEET -> BOF(worksheet) with NUMBER records at A1 and IV65536, then EOF.
        let mut s = Vec::new();
        let rec = |s: &mut Vec<u8>, typ: u16, data: &[u8]| {
            s.extend_from_slice(&typ.to_le_bytes());
            s.extend_from_slice(&(data.len() as u16).to_le_bytes());
            s.extend_from_slice(data);
        };
        rec(&mut s, 0x0809, &[0, 6, 5, 0]); // globals BOF
        let sheet_off = 4 + 4 + 4 + 12 + 4; // after this BOUNDSHEET and EOF
        let mut bs = (sheet_off as u32).to_le_bytes().to_vec();
        bs.extend_from_slice(&[0, 0, 4, 0]);
        bs.extend_from_slice(b"Data");
        rec(&mut s, 0x0085, &bs);
        rec(&mut s, 0x000A, &[]);
        assert_eq!(s.len(), sheet_off);
        rec(&mut s, 0x0809, &[0, 6, 0x10, 0]);
        rec(&mut s, 0x0203, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        rec(
            &mut s,
            0x0203,
            &[0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        );
        rec(&mut s, 0x000A, &[]);
        let e = scan_biff(std::io::Cursor::new(s), &Limits::default()).unwrap_err();
        assert!(e.contains("sheet 'Data'") && e.contains("IV65536"), "{e}");
    }

    #[test]
    fn boundsheet_reads_offset_and_name_in_either_width() {
        let mut narrow = 0x1234u32.to_le_bytes().to_vec();
        narrow.extend([0, 0, 4, 0]);
        narrow.extend(b"Data");
        assert_eq!(boundsheet(&narrow), Some((0x1234, "Data".to_string())));
        let mut wide = 7u32.to_le_bytes().to_vec();
        wide.extend([0, 0, 2, 1]);
        wide.extend("\u{e9}t".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(boundsheet(&wide), Some((7, "\u{e9}t".to_string())));
        assert_eq!(boundsheet(&[1, 0, 0]), None);
    }

    #[test]
    fn dimensions_read_biff8_and_biff5_layouts() {
        // BIFF8: first row, last row + 1 (u32), first col, last col + 1 (u16), reserved.
        let mut biff8 = Vec::new();
        biff8.extend(2u32.to_le_bytes());
        biff8.extend(70_000u32.to_le_bytes());
        biff8.extend(1u16.to_le_bytes());
        biff8.extend(11u16.to_le_bytes());
        biff8.extend([0, 0]);
        assert_eq!(dimensions(&biff8), (69_998, 10));
        // BIFF5: the same with 16-bit rows.
        let biff5: Vec<u8> = [0u16, 300, 0, 5, 0]
            .into_iter()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(dimensions(&biff5), (300, 5));
        assert_eq!(dimensions(&[]), (0, 0));
    }
}

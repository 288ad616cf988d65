//! Streaming reader for `.xlsx` worksheets with a compact shared-string table.
//!
//! calamine keeps a workbook's shared strings as one `String` per entry for as long as the
//! workbook is open. Excel writes every text cell as a shared string, so for a large real
//! export that table is most of tipaudit's memory (948 MB at a million rows). Here the
//! table is one text buffer plus an end offset per entry: memory grows with the bytes of
//! distinct text. Cells are read with quick-xml the way calamine reads them (types, date
//! formats, 1904 dates, shared formulas expanded with calamine's own helper), and a package
//! laid out unusually is left to calamine (`open` returns `None`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, bail};
use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{XmlVersion, escape::resolve_xml_entity};

use super::xlsx_merges::{Zip, entry_index, office_document, read_part, relationships};
use super::{Deadline, RowFn, check_position, date_value, iso_value, text_value};
use crate::cell::{Cell, Row, Value};

/// One text buffer and the end of each entry in it.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        Some(&self.text[start..end])
    }
}

/// How a cell style shows a number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Number,
    Date,
    Duration,
}

/// An open `.xlsx` package: worksheet parts in workbook order, shared strings, styles.
pub struct Package {
    zip: Zip,
    /// (sheet name, zip part) of each worksheet, in workbook order.
    sheets: Vec<(String, String)>,
    strings: SharedStrings,
    /// Per cell style (`s` attribute): how its numbers read.
    styles: Vec<NumKind>,
    is_1904: bool,
}

fn xml<R: BufRead>(r: R) -> quick_xml::Reader<R> {
    let mut x = quick_xml::Reader::from_reader(r);
    let c = x.config_mut();
    c.expand_empty_elements = true;
    c.check_end_names = false;
    c.trim_text(false);
    x
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::default())
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Append an entity reference (`&amp;`, `&#10;`) to `out`.
fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef) -> anyhow::Result<()> {
    if let Some(s) = resolve_xml_entity(r) {
        out.push_str(s);
    } else if let Some(ch) = r.resolve_char_ref()? {
        out.push(ch);
    } else {
        bail!("unknown XML entity &{};", &**r);
    }
    Ok(())
}

/// The text of a string item (`<si>` or `<is>`): its `<t>` runs, phonetic runs left out.
/// As in calamine, a run is trimmed of ASCII white space unless it says
/// `xml:space="preserve"`, and `_xHHHH_` escapes are decoded.
fn read_string_item<R: BufRead>(
    x: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut depth = 0u32;
    let mut in_t = false;
    let mut preserve = false;
    let mut phonetic = false;
    let mut run = String::new();
    loop {
        buf.clear();
        match x.read_event_into(buf)? {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    "t" if !phonetic => {
                        in_t = true;
                        preserve = attr(&e, "space").is_some_and(|v| v == "preserve");
                        run.clear();
                    }
                    "rPh" => phonetic = true,
                    _ => {}
                }
                depth += 1;
            }
            Event::End(e) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                match e.local_name().as_ref() {
                    "t" if in_t => {
                        in_t = false;
                        let text = if preserve {
                            run.as_str()
                        } else {
                            run.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        unescape_ooxml(text, out);
                    }
                    "rPh" => phonetic = false,
                    _ => {}
                }
            }
            Event::Text(t) if in_t => run.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => run.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => push_ref(&mut run, &r)?,
            Event::Eof => bail!("unexpected end of a string item"),
            _ => {}
        }
    }
}

/// Append `text` to `out` with OOXML's `_xHHHH_` escapes (UTF-16 units, as Excel writes a
/// carriage return: `_x000D_`) decoded; a lone surrogate becomes U+FFFD, as in calamine.
fn unescape_ooxml(text: &str, out: &mut String) {
    fn unit(b: &[u8], i: usize) -> Option<u16> {
        let e = b.get(i..i + 7)?;
        if e[0] != b'_'
            || e[1] != b'x'
            || e[6] != b'_'
            || !e[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&e[2..6]).ok()?, 16).ok()
    }
    let b = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'_', &b[i..]) {
        let at = i + off;
        let Some(u) = unit(b, at) else {
            i = at + 1;
            continue;
        };
        out.push_str(&text[copied..at]);
        i = at + 7;
        let ch = match u {
            0xD800..=0xDBFF => match unit(b, i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    i += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(u32::from(u)),
        };
        out.push(ch.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// The text content of the element just opened, up to its end.
fn read_text<R: BufRead>(
    x: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut depth = 0u32;
    loop {
        buf.clear();
        match x.read_event_into(buf)? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Text(t) if depth == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if depth == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if depth == 0 => push_ref(out, &r)?,
            Event::Eof => bail!("unexpected end of the sheet"),
            _ => {}
        }
    }
}

impl Package {
    /// `None` when the package is not laid out the usual way or a part cannot be read
    /// (calamine then opens it and reports what is wrong).
    pub fn open(path: &Path) -> Option<Package> {
        let file = std::fs::File::open(path).ok()?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
        let workbook = office_document(&mut zip)?;
        let (dir, name) = match workbook.rfind('/') {
            Some(i) => (&workbook[..=i], &workbook[i + 1..]),
            None => ("", workbook.as_str()),
        };
        let rels = relationships(&mut zip, &format!("{dir}_rels/{name}.rels"))?;
        let part = |target: &str| match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("{dir}{target}"),
        };
        let (sheets, is_1904) = read_workbook(&mut zip, &workbook, &rels, &part)?;
        let by_type = |suffix: &str| {
            rels.values()
                .find(|(_, t)| t.ends_with(suffix))
                .map(|(target, _)| part(target))
        };
        let strings = match by_type("/sharedStrings") {
            Some(p) => read_shared_strings(&mut zip, &p).ok()?,
            None => SharedStrings::default(),
        };
        let styles = match by_type("/styles") {
            Some(p) => read_styles(&mut zip, &p)?,
            None => Vec::new(),
        };
        Some(Package {
            zip,
            sheets,
            strings,
            styles,
            is_1904,
        })
    }

    /// Worksheet names in workbook order (chart, dialog and macro sheets left out).
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Stream the rows of `sheet` in order, as `ingest::Workbook::rows` does.
    pub(crate) fn rows(
        &mut self,
        sheet: &str,
        deadline: &Deadline,
        f: &mut RowFn,
    ) -> anyhow::Result<()> {
        let part = self
            .sheets
            .iter()
            .find(|(n, _)| n == sheet)
            .map(|(_, p)| p.clone())
            .with_context(|| format!("no worksheet named {sheet:?}"))?;
        let i = entry_index(&mut self.zip, &part)
            .with_context(|| format!("the sheet part {part} is missing"))?;
        let entry = self.zip.by_index(i)?;
        let mut x = xml(BufReader::with_capacity(1 << 16, entry));
        let ctx = Ctx {
            strings: &self.strings,
            styles: &self.styles,
            is_1904: self.is_1904,
        };
        ctx.stream(&mut x, deadline, f)
    }
}

struct Ctx<'a> {
    strings: &'a SharedStrings,
    styles: &'a [NumKind],
    is_1904: bool,
}

/// The parts of one `<c>` element.
#[derive(Default)]
struct RawCell {
    /// The `t` attribute (short: `s`, `n`, `str`, `inlineStr`...), kept without allocating.
    typ: String,
    has_typ: bool,
    style: usize,
    v: String,
    has_v: bool,
    inline: Option<String>,
    formula: Option<String>,
}

/// One worksheet's stream in progress: the reused buffers and the row being gathered.
struct SheetStream {
    inner: Vec<u8>,
    scratch: Vec<u8>,
    /// Shared formula groups of this sheet: si -> (formula, its cell).
    shared: HashMap<String, (String, (u32, u32))>,
    row: Row,
    row_no: Option<u32>,
    next_col: u32,
    seen: u32,
    cell: RawCell,
}

impl SheetStream {
    fn new() -> SheetStream {
        SheetStream {
            inner: Vec::with_capacity(1024),
            scratch: Vec::with_capacity(1024),
            shared: HashMap::new(),
            row: Row::default(),
            row_no: None,
            next_col: 0,
            seen: 0,
            cell: RawCell::default(),
        }
    }

    /// A `<row>`: its number, or the one after the previous row's when it has none.
    fn start_row(&mut self, e: &BytesStart) -> anyhow::Result<()> {
        let r = match attr(e, "r") {
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .with_context(|| format!("bad row number {v:?}"))?,
            None => self.row_no.map_or(0, |r| r + 1),
        };
        self.row_no = Some(r);
        self.next_col = 0;
        Ok(())
    }

    /// A `<c>`'s attributes into `cell`, its other parts cleared; its position, or the one
    /// after the previous cell's when it has no reference.
    fn start_cell(&mut self, e: &BytesStart, deadline: &Deadline) -> anyhow::Result<(u32, u32)> {
        let cell = &mut self.cell;
        // The attributes read from their raw text: no allocation a cell.
        cell.typ.clear();
        cell.has_typ = false;
        cell.style = 0;
        let mut at = None;
        for a in e.attributes().flatten() {
            match a.key.local_name().as_ref() {
                "r" => {
                    at = Some(
                        parse_cell_ref(&a.value)
                            .with_context(|| format!("bad cell reference {:?}", a.value))?,
                    );
                }
                "t" => {
                    cell.has_typ = true;
                    cell.typ.push_str(&a.value);
                }
                "s" => cell.style = a.value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        let (r, c) = at.unwrap_or((self.row_no.unwrap_or(0), self.next_col));
        self.row_no = Some(r);
        self.next_col = c + 1;
        self.seen = self.seen.wrapping_add(1);
        if self.seen.is_multiple_of(4096) {
            deadline.check()?;
        }
        check_position(r, c)?;
        cell.v.clear();
        cell.has_v = false;
        cell.inline = None;
        cell.formula = None;
        Ok((r, c))
    }

    /// Add a read cell to the row, handing the previous row to `f` when this one starts a
    /// new row. False when `f` wants no more rows.
    fn push(&mut self, (r, c): (u32, u32), value: Value, f: &mut RowFn) -> anyhow::Result<bool> {
        let formula = self.cell.formula.take().filter(|s| !s.is_empty());
        if value == Value::Empty && formula.is_none() {
            return Ok(true);
        }
        if r != self.row.index || self.row.cells.is_empty() {
            if !self.row.cells.is_empty() {
                let done = std::mem::take(&mut self.row);
                if !f(done)? {
                    return Ok(false);
                }
            }
            self.row.index = r;
        }
        self.row.cells.push(Cell {
            col: c,
            value,
            formula,
        });
        Ok(true)
    }
}

impl Ctx<'_> {
    fn stream<R: BufRead>(
        &self,
        x: &mut quick_xml::Reader<R>,
        deadline: &Deadline,
        f: &mut RowFn,
    ) -> anyhow::Result<()> {
        let mut buf = Vec::with_capacity(1024);
        let mut s = SheetStream::new();
        loop {
            buf.clear();
            match x.read_event_into(&mut buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "row" => s.start_row(&e)?,
                    "c" => {
                        let pos = s.start_cell(&e, deadline)?;
                        self.read_cell(
                            x,
                            &mut s.inner,
                            &mut s.scratch,
                            &mut s.cell,
                            pos,
                            &mut s.shared,
                        )?;
                        let value = self.value(&mut s.cell)?;
                        if !s.push(pos, value, f)? {
                            return Ok(());
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        if !s.row.cells.is_empty() {
            f(s.row)?;
        }
        Ok(())
    }

    /// Read the children of a `<c>` up to its end.
    fn read_cell<R: BufRead>(
        &self,
        x: &mut quick_xml::Reader<R>,
        buf: &mut Vec<u8>,
        b: &mut Vec<u8>,
        cell: &mut RawCell,
        pos: (u32, u32),
        shared: &mut HashMap<String, (String, (u32, u32))>,
    ) -> anyhow::Result<()> {
        loop {
            buf.clear();
            match x.read_event_into(buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "v" => {
                        cell.has_v = true;
                        read_text(x, b, &mut cell.v)?;
                    }
                    "is" => {
                        let mut s = String::new();
                        read_string_item(x, b, &mut s)?;
                        cell.inline = Some(s);
                    }
                    "f" => {
                        let t = attr(&e, "t");
                        let si = attr(&e, "si");
                        let mut text = String::new();
                        read_text(x, b, &mut text)?;
                        cell.formula = match (t.as_deref(), si) {
                            (Some("shared"), Some(si)) if !text.is_empty() => {
                                shared.insert(si, (text.clone(), pos));
                                Some(text)
                            }
                            (Some("shared"), Some(si)) => match shared.get(&si) {
                                Some((template, start)) => Some(
                                    calamine::expand_shared_formula(template, *start, pos)
                                        .map_err(|e| anyhow::anyhow!("shared formula: {e}"))?,
                                ),
                                None => None,
                            },
                            _ => Some(text),
                        };
                    }
                    _ => {
                        b.clear();
                        x.read_to_end_into(e.name(), b)?;
                    }
                },
                Event::End(_) => return Ok(()),
                Event::Eof => bail!("unexpected end of the sheet inside a cell"),
                _ => {}
            }
        }
    }

    /// The cell's value, as calamine reads it.
    fn value(&self, cell: &mut RawCell) -> anyhow::Result<Value> {
        let typ = cell.has_typ.then_some(cell.typ.as_str());
        if matches!(typ, Some("inlineStr") | Some("is")) {
            return Ok(cell.inline.take().map_or(Value::Empty, text_value));
        }
        if !cell.has_v {
            return Ok(Value::Empty);
        }
        let v = cell.v.as_str();
        Ok(match typ {
            Some("s") => {
                if v.is_empty() {
                    return Ok(Value::Empty);
                }
                let i: usize = v.trim().parse().unwrap_or(0);
                let s = self
                    .strings
                    .get(i)
                    .context("Cell string index not found in shared strings table")?;
                text_value(s.to_string())
            }
            Some("b") => match v.trim() {
                "" => Value::Empty,
                "1" | "true" => Value::Bool(true),
                "0" | "false" => Value::Bool(false),
                other => bail!("not a boolean: {other:?}"),
            },
            Some("d") => iso_value(v.to_string()),
            Some("e") => Value::Error(
                v.parse::<CellErrorType>()
                    .map_or_else(|_| v.to_string(), |e| e.to_string()),
            ),
            Some("str") => {
                let mut s = String::with_capacity(v.len());
                unescape_ooxml(v, &mut s);
                text_value(s)
            }
            Some("n") | None => {
                if v.is_empty() {
                    return Ok(Value::Empty);
                }
                match v.trim().parse::<f64>() {
                    Ok(n) => {
                        // A style index past the table reads as a number, as in calamine.
                        match self.styles.get(cell.style).copied() {
                            Some(NumKind::Date) => date_value(&ExcelDateTime::new(
                                n,
                                ExcelDateTimeType::DateTime,
                                self.is_1904,
                            )),
                            Some(NumKind::Duration) => date_value(&ExcelDateTime::new(
                                n,
                                ExcelDateTimeType::TimeDelta,
                                self.is_1904,
                            )),
                            _ => Value::Float(n),
                        }
                    }
                    Err(_) if typ.is_none() => text_value(std::mem::take(&mut cell.v)),
                    Err(e) => bail!("not a number: {v:?} ({e})"),
                }
            }
            Some(t) => bail!("unknown cell type t={t:?}"),
        })
    }
}

/// `B12` -> (11, 1).
fn parse_cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = s.split_at(digits);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let row: u32 = number.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

type Rels = HashMap<String, (String, String)>;

/// Worksheets (name, part) in workbook order, and the 1904 date flag.
fn read_workbook(
    zip: &mut Zip,
    workbook: &str,
    rels: &Rels,
    part: &dyn Fn(&str) -> String,
) -> Option<(Vec<(String, String)>, bool)> {
    let data = read_part(zip, workbook)?;
    let mut x = xml(data.as_slice());
    let mut sheets = Vec::new();
    let mut is_1904 = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match x.read_event_into(&mut buf).ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "workbookPr" => {
                    if let Some(v) = attr(&e, "date1904") {
                        is_1904 = v == "1" || v == "true";
                    }
                }
                "sheet" => {
                    let name = attr(&e, "name")?;
                    let (target, typ) = rels.get(&attr(&e, "id")?)?;
                    if typ.ends_with("/worksheet") {
                        sheets.push((name, part(target)));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Some((sheets, is_1904))
}

/// The shared-string table, compact. The buffer is reserved at the part's declared size
/// (the text is never longer than its XML, and pages never written are never resident),
/// then trimmed.
fn read_shared_strings(zip: &mut Zip, part: &str) -> anyhow::Result<SharedStrings> {
    let i = entry_index(zip, part).context("shared strings part missing")?;
    let entry = zip.by_index(i)?;
    let declared = entry.size();
    let mut x = xml(BufReader::with_capacity(1 << 16, entry));
    let mut out = SharedStrings::default();
    out.text.reserve(usize::try_from(declared).unwrap_or(0));
    let mut buf = Vec::with_capacity(1024);
    let mut inner = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match x.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "sst" => {
                    if let Some(n) = attr(&e, "uniqueCount").and_then(|n| n.parse::<usize>().ok()) {
                        out.ends.reserve(n.min(1 << 24));
                    }
                }
                "si" => {
                    read_string_item(&mut x, &mut inner, &mut out.text)?;
                    let end =
                        u32::try_from(out.text.len()).context("shared strings larger than 4 GB")?;
                    out.ends.push(end);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out.text.shrink_to_fit();
    out.ends.shrink_to_fit();
    Ok(out)
}

/// How each cell style (`cellXfs` entry) shows numbers.
fn read_styles(zip: &mut Zip, part: &str) -> Option<Vec<NumKind>> {
    let data = read_part(zip, part)?;
    let mut x = xml(data.as_slice());
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut in_fmts = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match x.read_event_into(&mut buf).ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "numFmts" => in_fmts = true,
                "numFmt" if in_fmts => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.insert(id, code);
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => out.push(match attr(&e, "numFmtId") {
                    Some(id) => match custom.get(&id) {
                        Some(code) => custom_kind(code),
                        None => builtin_kind(&id),
                    },
                    None => NumKind::Number,
                }),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "cellXfs" => in_xfs = false,
                "numFmts" => in_fmts = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// Built-in number formats that show dates or times (ECMA-376 18.8.30), as calamine reads
/// them.
fn builtin_kind(id: &str) -> NumKind {
    match id.trim().parse::<u32>().unwrap_or(0) {
        14..=22 | 45 | 47 | 27..=36 | 50..=58 => NumKind::Date,
        46 => NumKind::Duration,
        _ => NumKind::Number,
    }
}

/// Whether a custom format code shows a date, a duration or a number: calamine's
/// `detect_custom_number_format` (ported there from openpyxl), so both readers agree.
fn custom_kind(format: &str) -> NumKind {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return NumKind::Number,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return NumKind::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return NumKind::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return NumKind::Date;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    NumKind::Number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_codes() {
        assert!(custom_kind("yyyy-mm-dd") == NumKind::Date);
        assert!(custom_kind("[h]:mm:ss") == NumKind::Duration);
        assert!(custom_kind("#,##0.00") == NumKind::Number);
        assert!(custom_kind("\"day\" 0") == NumKind::Number);
        assert!(builtin_kind("14") == NumKind::Date);
        assert!(builtin_kind("4") == NumKind::Number);
    }

    #[test]
    fn shared_strings_are_one_buffer() {
        let xml_text = br#"<sst uniqueCount="3"><si><t>alpha</t></si><si><r><t>be</t></r><r><t xml:space="preserve">ta &amp; co</t></r><rPh><t>ignored</t></rPh></si><si><t/></si></sst>"#;
        let mut x = xml(&xml_text[..]);
        let mut out = SharedStrings::default();
        let mut buf = Vec::new();
        let mut inner = Vec::new();
        loop {
            buf.clear();
            match x.read_event_into(&mut buf).unwrap() {
                Event::Start(e) if e.local_name().as_ref() == "si" => {
                    read_string_item(&mut x, &mut inner, &mut out.text).unwrap();
                    out.ends.push(out.text.len() as u32);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(out.get(0), Some("alpha"));
        assert_eq!(out.get(1), Some("beta & co"));
        assert_eq!(out.get(2), Some(""));
        assert_eq!(out.get(3), None);
        assert_eq!(out.text, "alphabeta & co");
    }

    /// Rows with their sheet names.
    type Rows = Vec<(String, Row)>;

    /// Every row of every sheet, read here and through calamine.
    fn both_ways(path: &Path) -> (Rows, Rows) {
        let deadline = Deadline {
            at: std::time::Instant::now() + std::time::Duration::from_secs(60),
            limits: super::super::Limits::default(),
        };
        let mut p = Package::open(path).expect("usual layout");
        let mut cal: super::super::Xlsx = calamine::open_workbook(path).unwrap();
        let names = p.sheet_names();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for name in &names {
            p.rows(name, &deadline, &mut |r| {
                a.push((name.clone(), r));
                Ok(true)
            })
            .unwrap();
            super::super::stream_xlsx(&mut cal, name, &deadline, &mut |r| {
                b.push((name.clone(), r));
                Ok(true)
            })
            .unwrap();
        }
        (a, b)
    }

    #[test]
    fn reads_what_calamine_reads() {
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("kinds.xlsx");
        {
            use rust_xlsxwriter::{Format, Formula, Workbook};
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet_with_low_memory().unwrap();
            ws.set_name("Kinds & <more>").unwrap();
            let date = Format::new().set_num_format("yyyy-mm-dd");
            let dur = Format::new().set_num_format("[h]:mm");
            let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
            ws.write_string(0, 0, "text & <tags> \"quoted\"").unwrap();
            ws.write_string(0, 2, "line\nbreak").unwrap();
            ws.write_number(1, 0, 1234.5).unwrap();
            ws.write_boolean(1, 1, true).unwrap();
            ws.write_date_with_format(1, 2, d, &date).unwrap();
            ws.write_number_with_format(1, 3, 1.5, &dur).unwrap();
            ws.write_formula(2, 0, Formula::new("=A2*2").set_result("2469"))
                .unwrap();
            ws.write_formula(2, 1, Formula::new("=\"a\"&\"b\"").set_result("ab"))
                .unwrap();
            ws.write_string(700, 30, "far").unwrap();
            ws.write_string(701, 0, "text & <tags> \"quoted\"").unwrap();
            wb.add_worksheet().write_string(0, 0, "second").unwrap();
            wb.save(&made).unwrap();
        }
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut files = vec![made];
        for e in std::fs::read_dir(samples).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                files.push(p);
            }
        }
        // Real Excel files (written by Excel and other tools), when the shared data is here.
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real");
        match std::fs::read_dir(&real) {
            Ok(dir) => {
                let mut found: Vec<_> = dir
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
                    .collect();
                found.sort();
                assert!(!found.is_empty(), "no .xlsx in {}", real.display());
                files.extend(found);
            }
            Err(_) if std::env::var_os("CI").is_some() => {
                panic!(
                    "{} is missing (CI must have the shared data)",
                    real.display()
                )
            }
            Err(_) => eprintln!("skipped the real files: {} not found", real.display()),
        }
        for f in &files {
            let (a, b) = both_ways(f);
            assert!(!a.is_empty(), "{}", f.display());
            assert_eq!(a.len(), b.len(), "{}", f.display());
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{}", f.display());
            }
        }
    }

    #[test]
    fn ooxml_escapes() {
        let mut s = String::new();
        unescape_ooxml("a_x000D_b_x_y_xD83D__xDE00__xD800_", &mut s);
        assert_eq!(s, "a\rb_x_y😀\u{FFFD}");
    }

    #[test]
    fn cell_refs() {
        assert_eq!(parse_cell_ref("A1"), Some((0, 0)));
        assert_eq!(parse_cell_ref("AB10"), Some((9, 27)));
        assert_eq!(parse_cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell_ref("A0"), None);
        assert_eq!(parse_cell_ref("ABCD1"), None);
    }
}

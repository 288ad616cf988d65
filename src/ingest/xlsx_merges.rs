//! Merged ranges of an xlsx sheet without parsing its cells.
//!
//! `<mergeCells>` follows the cell data in the sheet XML, so calamine finds it by parsing
//! the whole sheet a second time: about the cost of reading every cell again. Here the
//! sheet part is only inflated and scanned for `mergeCell` tags by a byte search. The sheet
//! part is found the way calamine finds it (package rels, workbook rels, workbook.xml);
//! `None` from [`merges`] means "could not tell" and the caller asks calamine.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::cell::Merge;

pub(super) type Zip = zip::ZipArchive<BufReader<File>>;

/// The sheet parts of one xlsx package, opened once for all its sheets.
pub struct SheetParts {
    zip: Zip,
    /// Sheet name -> zip entry name.
    parts: HashMap<String, String>,
}

impl SheetParts {
    /// `None` when the package layout is not the usual one (calamine then decides).
    pub fn open(path: &Path) -> Option<SheetParts> {
        let file = File::open(path).ok()?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
        let workbook = office_document(&mut zip)?;
        let (dir, name) = match workbook.rfind('/') {
            Some(i) => (&workbook[..=i], &workbook[i + 1..]),
            None => ("", workbook.as_str()),
        };
        let rels = relationships(&mut zip, &format!("{dir}_rels/{name}.rels"))?;
        let parts = sheet_parts(&mut zip, &workbook, dir, &rels)?;
        Some(SheetParts { zip, parts })
    }

    /// The merged ranges of `sheet`, in file order; `None` if its part cannot be found or
    /// read (the zip reader refuses an entry that inflates past its declared size, which
    /// the guard has already checked against the limits).
    pub fn merges(&mut self, sheet: &str) -> Option<Vec<Merge>> {
        let part = self.parts.get(sheet)?;
        let entry = entry_index(&mut self.zip, part)?;
        let reader = self.zip.by_index(entry).ok()?;
        scan(reader).ok()
    }
}

/// Zip entry names are matched as calamine matches them: exactly, else ignoring case and
/// the slash direction.
pub(super) fn entry_index(zip: &mut Zip, name: &str) -> Option<usize> {
    if let Some(i) = zip.index_for_name(name) {
        return Some(i);
    }
    let want = name.replace('\\', "/").to_ascii_lowercase();
    (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.replace('\\', "/").to_ascii_lowercase() == want)
    })
}

pub(super) fn read_part(zip: &mut Zip, name: &str) -> Option<Vec<u8>> {
    let i = entry_index(zip, name)?;
    let mut entry = zip.by_index(i).ok()?;
    let mut out = Vec::new();
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The workbook part named by the package relationships (`xl/workbook.xml` as a rule).
pub(super) fn office_document(zip: &mut Zip) -> Option<String> {
    let rels = relationships(zip, "_rels/.rels").unwrap_or_default();
    let target = rels
        .values()
        .find(|(_, typ)| typ.ends_with("/officeDocument"))
        .map(|(t, _)| t.trim_start_matches('/').to_string());
    Some(target.unwrap_or_else(|| "xl/workbook.xml".to_string()))
}

/// Relationship id -> (target, type).
pub(super) fn relationships(
    zip: &mut Zip,
    part: &str,
) -> Option<HashMap<String, (String, String)>> {
    let xml = read_part(zip, part)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let get = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == k)
                        .and_then(|a| {
                            a.normalized_value(XmlVersion::default())
                                .ok()
                                .map(|v| v.into_owned())
                        })
                };
                if let Some(id) = get("Id") {
                    out.insert(
                        id,
                        (
                            get("Target").unwrap_or_default(),
                            get("Type").unwrap_or_default(),
                        ),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// Sheet name -> part, from `<sheet name=".." r:id="..">` in the workbook part.
fn sheet_parts(
    zip: &mut Zip,
    workbook: &str,
    dir: &str,
    rels: &HashMap<String, (String, String)>,
) -> Option<HashMap<String, String>> {
    let xml = read_part(zip, workbook)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let mut name = None;
                let mut id = None;
                for a in e.attributes().flatten() {
                    let value = a.normalized_value(XmlVersion::default()).ok()?.into_owned();
                    match a.key.local_name().as_ref() {
                        "name" => name = Some(value),
                        "id" => id = Some(value),
                        _ => {}
                    }
                }
                let (target, _) = rels.get(&id?)?;
                let part = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{dir}{target}"),
                };
                out.insert(name?, part);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// Bytes inflated per read.
const CHUNK: usize = 1 << 18;
/// Bytes kept from one read to the next so a tag cut by the read boundary is still seen.
const TAIL: usize = 96;

/// Every `<mergeCell ref="..">` (any namespace prefix) in a sheet part, in order.
fn scan(mut r: impl Read) -> std::io::Result<Vec<Merge>> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + TAIL);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = r.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let keep = scan_tags(&buf, &mut out);
        buf.drain(..keep);
    }
    scan_tags(&buf, &mut out);
    Ok(out)
}

/// Parse the complete `mergeCell` tags of `buf` into `out`; returns where the next read's
/// scan must start (an incomplete tag, or the tail that may hold the start of one).
fn scan_tags(buf: &[u8], out: &mut Vec<Merge>) -> usize {
    const NAME: &[u8] = b"mergeCell";
    let mut done = 0;
    for at in memchr::memmem::find_iter(buf, NAME) {
        if at < done {
            continue;
        }
        let Some(open) = tag_open(buf, at) else {
            continue;
        };
        match buf.get(at + NAME.len()) {
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') => {}
            Some(_) => continue,
            // The name may go on in the next read.
            None => return open,
        }
        let Some(len) = memchr::memchr(b'>', &buf[at..]) else {
            return open;
        };
        let end = at + len + 1;
        if let Some(m) = ref_attr(&buf[at + NAME.len()..end]).and_then(parse_range) {
            out.push(m);
        }
        done = end;
    }
    buf.len().saturating_sub(TAIL).max(done)
}

/// The position of the `<` opening the tag whose name (after any `prefix:`) starts at
/// `at`; `None` when `at` is not a tag name (text content and attribute values cannot
/// hold a bare `<`).
fn tag_open(buf: &[u8], at: usize) -> Option<usize> {
    let before = &buf[..at];
    match before.last()? {
        b'<' => Some(at - 1),
        b':' => {
            let prefix = before[..before.len() - 1]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                .count();
            let lt = (before.len() - 1).checked_sub(prefix + 1)?;
            (prefix > 0 && before[lt] == b'<').then_some(lt)
        }
        _ => None,
    }
}

/// The value of the `ref` attribute within a tag's attribute bytes.
fn ref_attr(attrs: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&attrs[from..], b"ref") {
        let at = from + i;
        from = at + 3;
        let name_starts = at == 0 || attrs[at - 1].is_ascii_whitespace();
        let rest = &attrs[at + 3..];
        let eq = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if !name_starts || rest[eq] != b'=' {
            continue;
        }
        let rest = &rest[eq + 1..];
        let q = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = rest[q];
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value = &rest[q + 1..];
        let close = memchr::memchr(quote, value)?;
        return Some(&value[..close]);
    }
    None
}

/// `A1:C3` (or a single `B2`) as a 0-based range; `None` for anything else.
fn parse_range(v: &[u8]) -> Option<Merge> {
    let text = std::str::from_utf8(v).ok()?.trim();
    let (a, b) = text.split_once(':').unwrap_or((text, text));
    let (r0, c0) = parse_cell(a)?;
    let (r1, c1) = parse_cell(b)?;
    Some(Merge {
        first_row: r0,
        first_col: c0,
        last_row: r1,
        last_col: c1,
    })
}

fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = s.split_at(digits);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut col: u32 = 0;
    for b in letters.bytes() {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = number.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Merge {
        Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        }
    }

    #[test]
    fn finds_merge_tags_only() {
        let xml = br#"<sheetData><row><c t="inlineStr"><is><t>&lt;mergeCell ref="A1:B2"/&gt; x:mergeCell ref="C1:D1"</t></is></c></row></sheetData><mergeCells count="3"><mergeCell ref="A1:C1"/><x:mergeCell  ref = 'B3:$D$4' /><mergeCell ref="AA10"></mergeCell></mergeCells>"#;
        let got = scan(&xml[..]).unwrap();
        assert_eq!(got, vec![m(0, 0, 0, 2), m(2, 1, 3, 3), m(9, 26, 9, 26)]);
    }

    #[test]
    fn tags_cut_by_a_read_boundary_are_seen_once() {
        let mut xml = Vec::new();
        xml.extend(std::iter::repeat_n(b'x', CHUNK - 7));
        xml.extend_from_slice(br#"<mergeCell ref="A1:B2"/><mergeCell ref="C3:D4"/>"#);
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(out.len()).min(CHUNK - 3);
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for start in [0, 5, 20, 40] {
            let got = scan(Slow(&xml[start..])).unwrap();
            assert_eq!(got, vec![m(0, 0, 1, 1), m(2, 2, 3, 3)], "start {start}");
        }
    }

    #[test]
    fn cell_references() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("1A"), None);
        assert_eq!(parse_cell("A0"), None);
    }
}

//! Word documents: one unit per paragraph (`w:p`, in body order, table cells and text boxes
//! included). Check-box content controls (`w14:checkbox`), legacy form check boxes
//! (`w:ffData/w:checkBox`) and Wingdings box symbols (`w:sym`) become the typed marks the
//! clause parser reads: `[X]` checked, `[ ]` not checked.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::super::document::{DocError, MAX_DOC_BYTES};
use crate::ingest::guard::{self, Limits, Magic};

const CHECKED: &str = "[X] ";
const UNCHECKED: &str = "[ ] ";

fn corrupt(reason: impl Into<String>) -> DocError {
    DocError::Corrupt {
        kind: "docx",
        reason: reason.into(),
    }
}

/// The document's paragraphs (paragraph n is element n-1).
pub fn paragraphs(path: &Path) -> Result<Vec<String>, DocError> {
    match guard::sniff(path)? {
        Magic::Zip => {}
        Magic::Cfb => return Err(DocError::ProtectedWord),
        Magic::Other => {
            return Err(corrupt(
                "it is not a zip package (the first bytes are not PK): the file is damaged or \
                 another type renamed",
            ));
        }
    }
    let limits = Limits {
        max_file_bytes: MAX_DOC_BYTES,
        max_unzipped_bytes: MAX_DOC_BYTES,
        ..Limits::default()
    };
    guard::check_zip_package(path, "docx", &limits).map_err(DocError::TooLarge)?;
    let file = File::open(path)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    let part = main_part(&mut zip).unwrap_or_else(|| "word/document.xml".to_string());
    let entry = zip
        .by_name(&part)
        .map_err(|_| corrupt(format!("it has no main document part ({part})")))?;
    // The guard bounded the declared size; `take` bounds what is actually inflated.
    parse(BufReader::new(entry.take(MAX_DOC_BYTES)))
}

/// The main document part named by the package relationships (`word/document.xml` in files
/// saved by Word and LibreOffice).
fn main_part(zip: &mut zip::ZipArchive<BufReader<File>>) -> Option<String> {
    let mut xml = String::new();
    zip.by_name("_rels/.rels")
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Value of the attribute whose local name is `name` (any namespace prefix).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn on(v: Option<String>) -> bool {
    // `w:val` absent means true (ECMA-376 on/off type).
    v.is_none_or(|v| matches!(v.as_str(), "1" | "true" | "on"))
}

/// A Wingdings / Symbol code point drawn as a box: Some(true) checked, Some(false) empty.
pub fn symbol_box(code: u32) -> Option<bool> {
    match code & 0xFF {
        0xFE | 0xFD | 0x78 => Some(true),
        0xA8 | 0x6F | 0x71 | 0x72 => Some(false),
        _ => None,
    }
}

#[derive(Default)]
struct State {
    out: Vec<String>,
    /// Paragraphs open around the current one (a text box's paragraphs sit inside one).
    open: Vec<String>,
    cur: Option<String>,
    in_text: bool,
    /// Inside `mc:Fallback` (a duplicate of the content in `mc:Choice`): skipped.
    fallback: u32,
    /// Per open `w:sdt`: its check-box state if it is a check box.
    sdt: Vec<Option<bool>>,
    /// Inside the content of a check-box `w:sdt`: its glyph is replaced by the mark.
    in_box_content: u32,
    /// A legacy form check box being read: (default, checked).
    ff_box: Option<(bool, Option<bool>)>,
}

impl State {
    fn push(&mut self, s: &str) {
        if self.fallback > 0 || self.in_box_content > 0 {
            return;
        }
        match self.cur.as_mut() {
            Some(c) => c.push_str(s),
            // Text outside any paragraph (a malformed part): its own unit.
            None => self.cur = Some(s.to_string()),
        }
    }

    fn mark(&mut self, checked: bool) {
        let m = if checked { CHECKED } else { UNCHECKED };
        if self.fallback == 0 {
            self.cur.get_or_insert_with(String::new).push_str(m);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        match name {
            "Fallback" if !empty => self.fallback += 1,
            _ if self.fallback > 0 => {}
            "p" if !empty => {
                if let Some(c) = self.cur.take() {
                    self.open.push(c);
                }
                self.cur = Some(String::new());
            }
            "p" => self.out.push(String::new()),
            "t" if !empty => self.in_text = true,
            "tab" | "ptab" => self.push("\t"),
            "br" | "cr" => self.push("\n"),
            "noBreakHyphen" => self.push("-"),
            "sym" => {
                let code = attr(e, "char").and_then(|c| u32::from_str_radix(c.trim(), 16).ok());
                match code.and_then(symbol_box) {
                    Some(checked) if self.in_box_content == 0 => self.mark(checked),
                    _ => {}
                }
            }
            "sdt" if !empty => self.sdt.push(None),
            "checkbox" => {
                if let Some(s) = self.sdt.last_mut() {
                    s.get_or_insert(false);
                }
            }
            "checked" if self.ff_box.is_none() => {
                if let Some(s) = self.sdt.last_mut() {
                    *s = Some(on(attr(e, "val")));
                }
            }
            "sdtContent" if !empty => {
                if let Some(Some(checked)) = self.sdt.last().copied() {
                    self.mark(checked);
                    self.in_box_content += 1;
                } else if self.in_box_content > 0 {
                    self.in_box_content += 1;
                }
            }
            "checkBox" => {
                self.ff_box = Some((false, None));
                if empty {
                    self.end_ff_box();
                }
            }
            "default" | "checked" => {
                if let Some((default, checked)) = self.ff_box.as_mut() {
                    let v = on(attr(e, "val"));
                    if name == "default" {
                        *default = v;
                    } else {
                        *checked = Some(v);
                    }
                }
            }
            _ => {}
        }
    }

    fn end_ff_box(&mut self) {
        if let Some((default, checked)) = self.ff_box.take() {
            self.mark(checked.unwrap_or(default));
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "Fallback" => self.fallback = self.fallback.saturating_sub(1),
            _ if self.fallback > 0 => {}
            "p" => {
                if let Some(c) = self.cur.take() {
                    self.out.push(c);
                }
                self.cur = self.open.pop();
            }
            "t" => self.in_text = false,
            "sdt" => {
                self.sdt.pop();
            }
            "sdtContent" => self.in_box_content = self.in_box_content.saturating_sub(1),
            "checkBox" => self.end_ff_box(),
            _ => {}
        }
    }
}

/// Paragraph texts of a WordprocessingML main part.
pub fn parse(xml: impl std::io::BufRead) -> Result<Vec<String>, DocError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut st = State::default();
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("its document XML is damaged: {e}")))?;
        match ev {
            Event::Start(ref e) => st.start(e, false),
            Event::Empty(ref e) => st.start(e, true),
            Event::End(ref e) => st.end(e.local_name().as_ref()),
            Event::Text(ref t) if st.in_text => st.push(&t.xml10_content()),
            Event::CData(ref t) if st.in_text => st.push(&t.xml10_content()),
            Event::GeneralRef(ref r) if st.in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    st.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if let Some(c) = st.cur.take() {
        st.out.push(c);
    }
    Ok(st.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(body: &str) -> Vec<String> {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="w" xmlns:w14="w14" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#
        );
        parse(xml.as_bytes()).unwrap()
    }

    #[test]
    fn paragraphs_runs_tabs_and_entities() {
        let p = paras(
            "<w:p><w:r><w:t>52.222-50 Combating</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> A &amp; B</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>next</w:t></w:r></w:p>",
        );
        assert_eq!(p, ["52.222-50 Combating\t A & B", "", "next"]);
    }

    #[test]
    fn check_box_controls_become_marks() {
        let content_control = |checked: &str, glyph: &str| {
            format!(
                "<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"{checked}\"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t> (39)(i) 52.222-50</w:t></w:r></w:p>"
            )
        };
        assert_eq!(
            paras(&content_control("1", "☒")),
            ["[X]  (39)(i) 52.222-50"]
        );
        assert_eq!(
            paras(&content_control("0", "☐")),
            ["[ ]  (39)(i) 52.222-50"]
        );
        let legacy = |inner: &str| {
            format!(
                "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox>{inner}</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText>FORMCHECKBOX</w:instrText></w:r><w:r><w:t>52.222-50</w:t></w:r></w:p>"
            )
        };
        assert_eq!(
            paras(&legacy("<w:default w:val=\"0\"/><w:checked/>")),
            ["[X] 52.222-50"]
        );
        assert_eq!(
            paras(&legacy("<w:default w:val=\"0\"/>")),
            ["[ ] 52.222-50"]
        );
        assert_eq!(
            paras(&legacy("<w:default w:val=\"1\"/>")),
            ["[X] 52.222-50"]
        );
        let sym = |c: &str| {
            format!(
                "<w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"{c}\"/><w:t>52.222-50</w:t></w:r></w:p>"
            )
        };
        assert_eq!(paras(&sym("F0FE")), ["[X] 52.222-50"]);
        assert_eq!(paras(&sym("F0A8")), ["[ ] 52.222-50"]);
    }

    #[test]
    fn fallback_content_is_not_read_twice_and_text_boxes_are_paragraphs() {
        let p = paras(
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>in box</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>in box</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent><w:t>outer</w:t></w:r></w:p>",
        );
        assert_eq!(p, ["in box", "outer"]);
    }
}

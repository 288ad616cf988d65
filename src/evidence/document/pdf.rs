//! PDF documents: the text layer, one unit per page, through `pdf-extract` (on `lopdf`).
//!
//! `pdf-extract` unwraps freely on malformed input, so the whole read runs under
//! [`crate::isolate::catch`]: a panic becomes this file's error. Its page-tree lookups recurse
//! through `/Parent` without a limit, so page trees are checked for cycles and depth first
//! (a loop there would overflow the stack, which no `catch_unwind` can stop), and
//! compressed streams are measured before anything inflates them whole.

use std::path::Path;

use pdf_extract::{Dictionary, Document, Object, ObjectId, OutputError, PlainTextOutput};

use super::super::document::{DocError, MAX_DOC_BYTES};

/// Deepest page tree accepted (real files nest a few levels).
const MAX_TREE_DEPTH: usize = 64;
/// Largest inflated stream (page content, font) read; real ones stay under a few MiB.
const MAX_STREAM_BYTES: u64 = 128 * 1024 * 1024;

fn corrupt(reason: impl Into<String>) -> DocError {
    DocError::Corrupt {
        kind: "PDF",
        reason: reason.into(),
    }
}

/// Text of each page (page n is element n-1), and the pages that hold only images (a
/// scanned page: no text layer). All pages without text is [`DocError::NoTextLayer`].
pub struct Pages {
    pub text: Vec<String>,
    pub image_only: Vec<u32>,
}

pub fn pages(path: &Path) -> Result<Pages, DocError> {
    let bytes = super::read_capped(path, MAX_DOC_BYTES)?;
    // The header may follow up to 1 KiB of junk (PDF 32000-1 annex H.3).
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(corrupt(
            "it does not start with a PDF header (%PDF-): the file is damaged or another type \
             renamed",
        ));
    }
    match crate::isolate::catch(|| extract(&bytes)) {
        Ok(r) => r,
        Err(panic) => Err(corrupt(format!("the PDF parser failed on it ({panic})"))),
    }
}

fn extract(bytes: &[u8]) -> Result<Pages, DocError> {
    let mut doc = match Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) if is_password_error(&e) => return Err(DocError::Encrypted),
        Err(e) => return Err(corrupt(format!("its structure cannot be read ({e})"))),
    };
    // A file protected only against editing opens with the empty user password; one that
    // needs a password to open cannot be read.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(DocError::Encrypted);
    }
    check_inflated_sizes(&doc)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(corrupt("it has no pages"));
    }
    let mut out = Pages {
        text: Vec::with_capacity(pages.len()),
        image_only: Vec::new(),
    };
    for (&n, &id) in &pages {
        check_tree(&doc, id).map_err(|e| corrupt(format!("page {n}: {e}")))?;
        let mut text = String::new();
        {
            let mut dev = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut dev, n).map_err(|e| match e {
                OutputError::PdfError(pdf_extract::Error::Decryption(_)) => DocError::Encrypted,
                e => corrupt(format!("page {n}: {e}")),
            })?;
        }
        if text.trim().is_empty() && has_images(&doc, id) {
            out.image_only.push(n);
        }
        out.text.push(text);
    }
    if out.text.iter().all(|t| t.trim().is_empty()) {
        return Err(DocError::NoTextLayer);
    }
    let width = full_width(&out.text);
    for t in &mut out.text {
        // Without the blank lines around a page, an entry split by a page break reads on.
        *t = unwrap_lines(t.trim_matches(['\n', '\r']), width);
    }
    Ok(out)
}

/// The width (in characters) of a full line of this document's text: the 90th percentile
/// of its line lengths.
fn full_width(pages: &[String]) -> usize {
    let mut lens: Vec<usize> = pages
        .iter()
        .flat_map(|p| p.lines())
        .map(|l| l.trim_end().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if lens.is_empty() {
        return 0;
    }
    lens.sort_unstable();
    lens[(lens.len() - 1) * 9 / 10]
}

/// A PDF's text layer breaks a paragraph wherever the layout wrapped it, inside clause
/// numbers (`52.222-` / `51`) and dates (`(Nov` / `2007)`). A line that fills the width
/// (four fifths of a full line or more) continues on the next one, so the two are joined:
/// without a space after a hyphen that follows a digit, else with one. Short lines (list
/// entries, headings) keep their breaks, and with them the check-box marks that start them.
pub fn unwrap_lines(page: &str, width: usize) -> String {
    let mut out = String::with_capacity(page.len());
    let mut lines = page.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        out.push_str(line);
        let full = width > 0 && line.chars().count() * 5 >= width * 4;
        let next_text = lines.peek().is_some_and(|n| !n.trim().is_empty());
        if full && next_text {
            let b = line.as_bytes();
            let split_number =
                b.len() >= 2 && b[b.len() - 1] == b'-' && b[b.len() - 2].is_ascii_digit();
            if !split_number {
                out.push(' ');
            }
        } else if lines.peek().is_some() {
            out.push('\n');
        }
    }
    out
}

fn is_password_error(e: &pdf_extract::Error) -> bool {
    matches!(e, pdf_extract::Error::Decryption(_)) || {
        let s = e.to_string().to_ascii_lowercase();
        s.contains("password") || s.contains("decrypt")
    }
}

/// Refuse a stream that inflates past [`MAX_STREAM_BYTES`] before the extractor inflates it
/// whole into memory (a few kilobytes of deflate can claim gigabytes). Images are skipped:
/// they are never decoded for text.
fn check_inflated_sizes(doc: &Document) -> Result<(), DocError> {
    use std::io::Read;
    for (id, obj) in &doc.objects {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Image");
        let flate = stream
            .filters()
            .is_ok_and(|f| f.iter().any(|f| *f == b"FlateDecode"));
        if image || !flate {
            continue;
        }
        let mut inflater =
            flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(MAX_STREAM_BYTES + 1);
        let n = std::io::copy(&mut inflater, &mut std::io::sink()).unwrap_or(0);
        if n > MAX_STREAM_BYTES {
            return Err(DocError::TooLarge(format!(
                "refused as a possible decompression bomb: PDF object {} inflates past {} MiB",
                id.0,
                MAX_STREAM_BYTES >> 20
            )));
        }
    }
    Ok(())
}

/// The page's `/Parent` chain ends within [`MAX_TREE_DEPTH`] steps without a loop (other
/// malformations make the extractor panic, which is caught).
fn check_tree(doc: &Document, page: ObjectId) -> Result<(), String> {
    let mut seen = vec![page];
    let mut dict: &Dictionary = doc
        .get_dictionary(page)
        .map_err(|_| "its page object is not a dictionary".to_string())?;
    while let Ok(parent) = dict.get(b"Parent").and_then(Object::as_reference) {
        if seen.contains(&parent) || seen.len() > MAX_TREE_DEPTH {
            return Err("its page tree loops back on itself".into());
        }
        seen.push(parent);
        match doc.get_dictionary(parent) {
            Ok(d) => dict = d,
            Err(_) => break,
        }
    }
    Ok(())
}

fn has_images(doc: &Document, page: ObjectId) -> bool {
    doc.get_page_images(page).is_ok_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_joined_and_short_ones_kept() {
        let page = "(ix) 52.222-50, Combating Trafficking in Persons (FEB 2009) (x) 52.222-\n51, Exemption from Application (Nov\n2007) (41 U.S.C. 351).\n[X] 52.222-53\n";
        assert_eq!(
            unwrap_lines(page, 40),
            "(ix) 52.222-50, Combating Trafficking in Persons (FEB 2009) (x) 52.222-51, Exemption from Application (Nov 2007) (41 U.S.C. 351).\n[X] 52.222-53"
        );
    }
}

//! PDF documents: the text layer, one unit per page, through `pdf-extract` (on `lopdf`).
//!
//! `pdf-extract` unwraps freely on malformed input, so the whole read runs under
//! [`crate::isolate::catch`]: a panic becomes this file's error. Its page-tree lookups recurse
//! through `/Parent` without a limit, so page trees are checked for cycles and depth first
//! (a loop there would overflow the stack, which no `catch_unwind` can stop).

use std::path::Path;

use pdf_extract::{Dictionary, Document, Object, ObjectId, OutputError, PlainTextOutput};

use super::super::document::{DocError, MAX_DOC_BYTES};

/// Deepest page tree accepted (real files nest a few levels).
const MAX_TREE_DEPTH: usize = 64;

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
    Ok(out)
}

fn is_password_error(e: &pdf_extract::Error) -> bool {
    matches!(e, pdf_extract::Error::Decryption(_)) || {
        let s = e.to_string().to_ascii_lowercase();
        s.contains("password") || s.contains("decrypt")
    }
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

//! Plain-text and Markdown documents: one unit per line.

use std::path::Path;

use super::super::document::{DocError, MAX_DOC_BYTES};

/// The file's lines (1-based line n is element n-1). UTF-8 (with or without a BOM) or UTF-16
/// with a BOM; anything else is read as Windows-1252, the usual code page of text saved by
/// government office systems.
pub fn lines(path: &Path) -> Result<Vec<String>, DocError> {
    let bytes = super::read_capped(path, MAX_DOC_BYTES)?;
    if bytes.contains(&0) && encoding_rs::Encoding::for_bom(&bytes).is_none() {
        return Err(DocError::Corrupt {
            kind: "text",
            reason: "it holds binary data (NUL bytes): another file type renamed?".into(),
        });
    }
    let text = decode(&bytes);
    Ok(text.lines().map(str::to_owned).collect())
}

fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_utf16_text_decode() {
        assert_eq!(
            decode(b"52.222-50 \x96 Combating"),
            "52.222-50 \u{2013} Combating"
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("52.222-50".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16), "52.222-50");
        assert_eq!(decode("\u{feff}x".as_bytes()), "x");
    }
}

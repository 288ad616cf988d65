//! The one safe-string helper. Excel treats a cell typed as `=1+1` as a formula the moment a
//! user edits it, and some tools do so on import; a quote-prefix format keeps such text text.
//! Excel also refuses cells longer than 32,767 characters, so long text is cut with a marker
//! a reader can see instead of failing the whole workbook. Counts and dollar amounts are
//! printed here too, one way for every output.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Excel's limit on the length of one cell, in UTF-16 code units.
pub const CELL_LIMIT: usize = 32_767;

/// Appended to text cut at [`CELL_LIMIT`], so the cut is visible in the cell.
pub const CUT_MARKER: &str = " [… cut: longer than Excel's 32,767-character cell limit]";

/// Excel number format of every dollar amount written as a number: whole dollars, grouped
/// by thousands, as [`money`] prints them in text.
pub const MONEY_FORMAT: &str = "$#,##0";

/// `$1,234,567`: a dollar amount in text (HTML, subtitles, sentences), rounded to whole
/// dollars; a negative amount is `-$1,000`.
pub fn money(v: f64) -> String {
    grouped(v, "$")
}

/// `5,609`: a count in text, thousands grouped.
pub fn count(n: usize) -> String {
    grouped(n as f64, "")
}

/// `v` rounded to a whole number, its digits grouped by thousands after `unit`, the minus
/// sign first.
fn grouped(v: f64, unit: &str) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    if v < 0.0 {
        out.push('-');
    }
    out.push_str(unit);
    crate::model::push_grouped(&mut out, &digits);
    out
}

/// True when Excel or a CSV consumer could read the text as a formula or a command.
pub fn is_risky(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `text` cut so that it, plus [`CUT_MARKER`], fits in `limit` UTF-16 units. Borrowed (no
/// allocation) in the common case of text that already fits.
pub fn fit(text: &str, limit: usize) -> Cow<'_, str> {
    // A UTF-8 string never has more UTF-16 units than bytes: the byte length is a cheap bound.
    if text.len() <= limit || text.encode_utf16().count() <= limit {
        return Cow::Borrowed(text);
    }
    let budget = limit.saturating_sub(CUT_MARKER.encode_utf16().count());
    let mut used = 0;
    let mut end = 0;
    for (i, ch) in text.char_indices() {
        if used + ch.len_utf16() > budget {
            break;
        }
        used += ch.len_utf16();
        end = i + ch.len_utf8();
    }
    let mut out = String::with_capacity(end + CUT_MARKER.len());
    out.push_str(&text[..end]);
    out.push_str(CUT_MARKER);
    Cow::Owned(out)
}

/// Write `text` as a text cell: never a formula, cut at the cell limit with a visible marker.
/// Text that begins with `= + - @`, tab or CR gets a quote-prefix format (Excel's own "this
/// is text" flag; the cell still shows the text unchanged).
pub fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    if is_risky(text) {
        let quoted = format.cloned().unwrap_or_default().set_quote_prefix();
        write_text_with(ws, row, col, text, format, &quoted)
    } else {
        write_text_with(ws, row, col, text, format, &Format::new())
    }
}

/// [`write_text`] with a quote-prefix variant of `format` built once by the caller, for hot
/// loops where risky-looking text (a lone `-` placeholder, say) is common.
pub fn write_text_with(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&Format>,
    quoted: &Format,
) -> Result<(), XlsxError> {
    let text = fit(text, CELL_LIMIT);
    if is_risky(&text) {
        ws.write_string_with_format(row, col, text, quoted)?;
    } else {
        match format {
            Some(f) => ws.write_string_with_format(row, col, text, f)?,
            None => ws.write_string(row, col, text)?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_counts() {
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(1_234_567.4), "$1,234,567");
        assert_eq!(money(-1000.0), "-$1,000");
        assert_eq!(money(999.0), "$999");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(5_609_123), "5,609,123");
    }

    #[test]
    fn short_text_is_borrowed() {
        assert!(matches!(fit("abc", CELL_LIMIT), Cow::Borrowed("abc")));
    }

    #[test]
    fn long_text_is_cut_with_marker() {
        let long = "x".repeat(40_000);
        let cut = fit(&long, CELL_LIMIT);
        assert!(cut.ends_with(CUT_MARKER));
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
        // Astral characters count twice in UTF-16; the cut must respect that.
        let wide = "😀".repeat(20_000);
        let cut = fit(&wide, CELL_LIMIT);
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert!(cut.ends_with(CUT_MARKER));
    }

    #[test]
    fn risky_prefixes() {
        for s in ["=1+1", "+SUM(A1)", "-2", "@x", "\tfoo", "\rbar"] {
            assert!(is_risky(s), "{s:?}");
        }
        for s in ["", "abc", " =1", "52.222-50"] {
            assert!(!is_risky(s), "{s:?}");
        }
    }
}

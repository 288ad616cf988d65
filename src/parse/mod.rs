//! Cell parsers: each turns one messy spreadsheet value into a typed fact, or says why it
//! could not. Parsers never panic and never guess silently: a value they cannot read is
//! `Parsed::Bad` with a reason a person can act on.

pub mod clauseref;
pub mod codes;
pub mod country;
pub mod date;
pub mod money;
pub mod places;
pub mod yesno;

/// The outcome of parsing one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed<T> {
    /// Empty, whitespace, or a placeholder that means "nothing here" (never a guess).
    Blank,
    /// Present but unreadable; the string says why (e.g. `"TBD" is not an amount`).
    Bad(String),
    Ok(T),
}

impl<T> Parsed<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Parsed::Ok(v) => Some(v),
            _ => None,
        }
    }
}

/// Lower-case alphanumeric words separated by single spaces, with a space at each end, so a
/// whole-word test is "a space on both sides". Hyphens, slashes and punctuation are spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The offending text in quotes, cut short so a pasted page does not flood a report.
pub(crate) fn quoted(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        format!("\"{s}\"")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("\"{head}…\"")
    }
}

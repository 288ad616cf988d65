//! Clause references in free text: lists with any separator, pasted Section I text, dates,
//! alternates and the real-world typos of clause numbers.

/// A clause date as printed: `(MAR 2015)` is year 2015, month 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClauseDate {
    pub year: i32,
    pub month: u32,
}

/// One clause reference found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseCite {
    /// Canonical number: `52.222-50`, `252.225-7060` (DFARS numbers keep their `252.` prefix).
    pub number: String,
    /// 0 for the basic clause, 1 for Alternate I, 2 for Alternate II ...
    pub alternate: u8,
    /// The clause date printed with the reference, if any.
    pub date: Option<ClauseDate>,
    /// A `(DEVIATION ...)` suffix was present.
    pub deviation: bool,
    /// When the reference was malformed and normalised: the text as written
    /// (e.g. `52.222.50`). `None` for a well-formed reference.
    pub malformed: Option<String>,
    /// 0-based column the reference was read from (set by the record builder).
    pub col: u32,
}

/// Finds clause references in text. (Minimal form: exact well-formed numbers only.)
pub struct ClauseParser {
    re: regex::Regex,
}

impl ClauseParser {
    pub fn new(_titles: &[(String, String)]) -> ClauseParser {
        ClauseParser {
            re: regex::Regex::new(r"\b(2?52\.\d{3}-\d{1,4})\b").expect("valid regex"),
        }
    }

    pub fn extract(&self, text: &str) -> Vec<ClauseCite> {
        self.re
            .captures_iter(text)
            .map(|c| ClauseCite {
                number: c[1].to_string(),
                alternate: 0,
                date: None,
                deviation: false,
                malformed: None,
                col: 0,
            })
            .collect()
    }

    pub fn parse_header(&self, text: &str) -> Option<ClauseCite> {
        let mut v = self.extract(text);
        if v.len() == 1 { v.pop() } else { None }
    }
}

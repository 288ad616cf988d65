//! Clause references in free text: lists with any separator, pasted Section I text, dates,
//! alternates and the real-world typos of clause numbers.
//!
//! `grammar` builds the regexes; `numbers` reads clause numbers, `alternates` "Alternate I"
//! phrases, `dates` clause dates and deviations, `marks` check-box marks, `titles` references
//! by title alone; `cites` joins a number with what follows it; `text` holds the byte and case
//! helpers they share.

mod alternates;
mod cites;
mod dates;
mod grammar;
mod marks;
mod numbers;
#[cfg(test)]
mod tests;
mod text;
mod titles;

use aho_corasick::AhoCorasick;
use regex::Regex;

use alternates::Conn;

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
    /// A check-box mark printed just before the reference (same line, optionally with a
    /// paragraph label such as `(39)(i)` in between).
    pub mark: Mark,
    /// The title printed after the number names trafficking ("252.222-7006 Combating
    /// Trafficking in Persons"): tells a removed clause from a later clause that reused its
    /// number (DFARS 252.222-7006 is the mandatory-arbitration clause since 2010).
    pub trafficking_title: bool,
}

/// A check-box mark printed just before a reference (52.212-5 (b) style check lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Mark {
    /// No mark before the reference (items that need none, plain lists).
    #[default]
    None,
    /// `[X]`, `[ X ]`, `_X_`, `_X__`, `(X)`, a leading `X`.
    Checked,
    /// `[ ]`, `___`, `__`, `N/A`.
    Unchecked,
}

/// Extracts clause references from free text. Build once (all regexes and the title automaton
/// are compiled in [`ClauseParser::new`]) and share; every method is linear in the input.
///
/// Decisions (see the tests for the exact cases):
/// - FAR numbers are `52.2NN-N` with the section in 200..=253 and a 1-3 digit sequence without
///   a leading zero (`52.222-500` is its own number). Supplement numbers (`252.225-7060`,
///   `552.238-72`, `1352.209-73`) need a chapter of 2..=99 before `52` and a sequence of 2-4
///   digits starting with 7 (FAR 1.303 numbers supplementary clauses 70 and up); anything else
///   (`252.222-50`, `152.222-50`, `352.222-501`) is not a clause.
/// - `malformed` is set for a dot instead of the hyphen (`52.222.50`), spaces inside the number
///   (`52. 222-50`, `52.222 -50`), a prefix glued to the number (`FAR52.222-50`), a two-digit
///   section (`52.22-50`), a missing hyphen (`52.22250`) and a title without its number. A
///   unicode dash (`52.222–50`) or a paragraph suffix (`52.222-50(h)`) is normalised silently.
/// - `52.222-50 Alt I` / `52.222-50 (MAR 2015) Alternate I (MAR 2015)` is ONE cite (alternate
///   1; the alternate's date wins). A separate line `Alternate I (...) of 52.222-50` is its own
///   cite, as is a stand-alone `(ii) ___ Alternate I (SEP 2008)` line, which belongs to the
///   cite ending at most 200 bytes before it (also when its number was stripped: `of  ()`).
/// - A missing hyphen is repaired for 4-6 digits after `52.` with no hyphen following, except
///   a year-like `52.19NN`/`52.20NN` without a `FAR`/`Clause` prefix (`52.2024` is a date).
/// - A date in parentheses may be broken across lines (`(Sep` / `2010)`, as hard-wrapped
///   solicitation text has it); a bare `Sep 2010` may not.
/// - Marks: underscore marks may sit in brackets (`[_X_]`, `[___]`, as Navy forms print them);
///   an `x` typed beside the blank (`x ___ (19) 52.222-3`) checks it.
/// - Marks: upper-case `(X)` is a mark, lower-case `(x)` is paragraph ten; `N/A` is unchecked.
/// - Only ASCII digits form numbers; titles match case-insensitively across doubled letters
///   ("Combatting"), line breaks, dashes and `,.;:`, and need a valid clause date within a few
///   characters after them to count.
pub struct ClauseParser {
    number: Regex,
    date_anchored: Regex,
    date_core: Regex,
    deviation: Regex,
    deviation_any: Regex,
    para: Regex,
    alt: Regex,
    connector: Regex,
    stripped: Regex,
    with_gap: Regex,
    mark: Regex,
    header_prefix: Regex,
    titles: Option<(AhoCorasick, Vec<String>)>,
}

/// What a reference was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Title,
    Alt,
}

/// A reference and where it stands in the text.
#[derive(Debug, Clone)]
struct Found {
    cite: ClauseCite,
    start: usize,
    /// Start of the number digits (number cites), else `start`.
    num_start: usize,
    end: usize,
    kind: Kind,
}

impl ClauseParser {
    /// Every clause reference in `text`, in order of appearance; `col` left 0.
    pub fn extract(&self, text: &str) -> Vec<ClauseCite> {
        self.extract_found(text)
            .into_iter()
            .map(|f| f.cite)
            .collect()
    }

    /// [`extract`](Self::extract) with each reference's byte range in `text` (start of its
    /// number or title, end after its date/alternate), for callers that must say where a
    /// reference is (a contract document's page or line).
    pub fn extract_spans(&self, text: &str) -> Vec<(ClauseCite, std::ops::Range<usize>)> {
        self.extract_found(text)
            .into_iter()
            .map(|f| (f.cite, f.start..f.end))
            .collect()
    }

    /// A column header that names exactly one clause (wide layout: one column per clause),
    /// e.g. "52.222-50", "FAR 52.222-50", "52.222-50 Alt I", "52.222-50 Combating Trafficking
    /// in Persons", "DFARS 252.225-7060". "Clauses", "Value 52", "FY 2024" -> None.
    ///
    /// The header must start with the number (after an optional `FAR`/`DFARS`/`Clause`/`§`
    /// prefix), hold no other clause reference and no further digits after its date/alternate.
    /// A title alone is not accepted (an evidence column may be named after a clause title).
    pub fn parse_header(&self, text: &str) -> Option<ClauseCite> {
        let text = text.trim();
        let found = self.extract_found(text);
        let [f] = found.as_slice() else {
            return None;
        };
        if f.kind == Kind::Title || !self.header_prefix.is_match(&text[..f.num_start]) {
            return None;
        }
        // A stand-alone "Alternate I" inside a header is folded into the same clause by
        // extract only when adjacent; anything after the cite must be a plain title.
        if text[f.end..].bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut cite = f.cite.clone();
        cite.mark = Mark::None;
        Some(cite)
    }

    /// Numbers and alternate phrases are read first; a number claimed by `Alternate I of
    /// NUMBER` is read as that alternate. Then number cites, titles without their number, and
    /// the remaining alternates, each stage seeing the cites before it.
    fn extract_found(&self, text: &str) -> Vec<Found> {
        let nums = self.number_tokens(text);
        let alts = self.alt_tokens(text, &nums);
        let mut alt_used = vec![false; alts.len()];
        let mut num_used = vec![false; nums.len()];
        for a in &alts {
            if let Conn::Num(i) = a.conn {
                num_used[i] = true;
            }
        }
        let mut found = self.number_cites(text, &nums, &num_used, &alts, &mut alt_used);
        self.title_cites(text, &nums, &mut found);
        self.lone_alternates(text, &nums, &alts, &alt_used, &mut found);
        found
    }
}

//! Clause dates (`(MAR 2015)`, `Sep 2010`) and `(DEVIATION ...)` suffixes.

use super::grammar::group;
use super::text::{contains_ascii_ci, floor_boundary};
use super::{ClauseDate, ClauseParser};

/// Whether `date_anchored` can match at the start of `s`: after at most six separators it
/// needs `(` or a month name. A cheap test that lets most clause numbers skip the regex.
fn may_start_date(s: &str) -> bool {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x80 || b == b'(' || b.is_ascii_alphabetic() {
            return true;
        }
        let separator = matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b',' | b'.' | b':' | b';' | b'-'
        );
        if i == 6 || !separator {
            return false;
        }
    }
    false
}

fn month_of(s: &str) -> Option<u32> {
    let m = match s.to_ascii_lowercase().as_str() {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

pub(super) fn make_date(month: &str, year: &str) -> Option<ClauseDate> {
    let month = month_of(month)?;
    let year: i32 = year.parse().ok()?;
    (1900..=2099)
        .contains(&year)
        .then_some(ClauseDate { year, month })
}

/// The date of a `date_core` or `date_anchored` match: `(MAR 2015)` or `March 2015`.
pub(super) fn date_of(caps: &regex::Captures<'_>) -> Option<ClauseDate> {
    match (
        caps.get(group::M1),
        caps.get(group::Y1),
        caps.get(group::M2),
        caps.get(group::Y2),
    ) {
        (Some(m), Some(y), _, _) | (_, _, Some(m), Some(y)) => make_date(m.as_str(), y.as_str()),
        _ => None,
    }
}

impl ClauseParser {
    /// The date starting at `pos` (after a few separators): its end and the date, which is
    /// `None` when the text has a date's shape but no valid month or year.
    pub(super) fn date_at(&self, text: &str, pos: usize) -> Option<(usize, Option<ClauseDate>)> {
        let lim = floor_boundary(text, pos.saturating_add(48));
        let window = text.get(pos..lim)?;
        if !may_start_date(window) {
            return None;
        }
        let caps = self.date_anchored.captures(window)?;
        let date = date_of(&caps);
        Some((pos + caps.get(0)?.end(), date))
    }

    pub(super) fn deviation_at(&self, text: &str, pos: usize) -> Option<usize> {
        let lim = floor_boundary(text, pos.saturating_add(64));
        let window = text.get(pos..lim)?;
        if !contains_ascii_ci(window, "deviation") {
            return None;
        }
        let m = self.deviation.find(window)?;
        Some(pos + m.end())
    }
}

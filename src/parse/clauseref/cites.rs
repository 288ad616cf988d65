//! A clause number joined with what follows it: paragraph, deviation, date, an adjacent
//! alternate, and the title with its date.

use super::alternates::{AltTok, Conn};
use super::dates::date_of;
use super::numbers::NumTok;
use super::text::{contains_ascii_ci, floor_boundary};
use super::{ClauseCite, ClauseDate, ClauseParser, Found, Kind};

/// How far (bytes) after a clause number a title and its date may run.
const TITLE_WINDOW: usize = 200;

impl ClauseParser {
    /// A cite for every number not claimed by an `Alternate I of NUMBER` phrase; marks the
    /// alternates it joins in `alt_used`.
    pub(super) fn number_cites(
        &self,
        text: &str,
        nums: &[NumTok],
        num_used: &[bool],
        alts: &[AltTok],
        alt_used: &mut [bool],
    ) -> Vec<Found> {
        let mut found = Vec::new();
        for (i, used) in num_used.iter().enumerate() {
            if !used {
                found.push(self.number_cite(text, nums, i, alts, alt_used));
            }
        }
        found
    }

    /// The cite of number `i`, with its paragraph, date, adjacent alternate and title.
    fn number_cite(
        &self,
        text: &str,
        nums: &[NumTok],
        i: usize,
        alts: &[AltTok],
        alt_used: &mut [bool],
    ) -> Found {
        let t = &nums[i];
        let mut pos = t.end;
        let para_possible = text.as_bytes()[pos..].iter().take(4).any(|&b| b == b'(');
        if para_possible && let Some(m) = self.para.find(&text[pos..]) {
            pos += m.end();
        }
        let mut deviation = false;
        if let Some(e) = self.deviation_at(text, pos) {
            pos = e;
            deviation = true;
        }
        let mut date = None;
        let mut dated = false;
        if let Some((e, d)) = self.date_at(text, pos) {
            pos = e;
            date = d;
            dated = true;
        }
        let mut alternate = 0;
        let gap = self.with_gap_at(&text[pos..]);
        if let Ok(ai) = alts.binary_search_by_key(&(pos + gap), |a| a.start) {
            let a = &alts[ai];
            if !alt_used[ai] && !matches!(a.conn, Conn::Num(_)) {
                alt_used[ai] = true;
                alternate = a.n;
                if a.date.is_some() {
                    date = a.date;
                }
                dated |= a.date.is_some();
                deviation |= a.deviation;
                pos = a.end;
            }
        }
        if !dated
            && let Some((end, d, dev)) = self.date_after_title(text, pos, nums.get(i + 1), alts)
        {
            pos = end;
            date = d;
            deviation |= dev;
        }
        if let Some(e) = self.deviation_at(text, pos) {
            pos = e;
            deviation = true;
        }
        // The title, if any, runs from the number to the next number on the same line.
        let mut tend = floor_boundary(text, t.end.saturating_add(TITLE_WINDOW));
        if let Some(n) = nums.get(i + 1) {
            tend = tend.min(n.start.max(t.end));
        }
        let title = &text[t.end..tend];
        let title = title.split('\n').next().unwrap_or("");
        Found {
            cite: ClauseCite {
                number: t.number.clone(),
                alternate,
                date,
                deviation,
                malformed: t.malformed.clone(),
                col: 0,
                mark: self.mark_before(text, t.start),
                trafficking_title: contains_ascii_ci(title, "trafficking"),
            },
            start: t.start,
            num_start: t.num_start,
            end: pos,
            kind: Kind::Number,
        }
    }

    /// Title then date, e.g. "52.222-50, Combating Trafficking in Persons (Feb 2009)": the
    /// date's end, the date, and whether a `(DEVIATION ...)` stood between them. The title
    /// ends at the next number or alternate, or at a blank line.
    fn date_after_title(
        &self,
        text: &str,
        pos: usize,
        next: Option<&NumTok>,
        alts: &[AltTok],
    ) -> Option<(usize, Option<ClauseDate>, bool)> {
        let mut wend = floor_boundary(text, pos.saturating_add(TITLE_WINDOW));
        if let Some(n) = next {
            wend = wend.min(n.start.max(pos));
        }
        let next_alt = alts.partition_point(|a| a.start < pos);
        if let Some(a) = alts.get(next_alt) {
            wend = wend.min(a.start);
        }
        let window = &text[pos..wend];
        let window = match window.find("\n\n").or_else(|| window.find("\r\n\r\n")) {
            Some(b) => &window[..b],
            None => window,
        };
        let c = self.date_core.captures(window)?;
        let m = c.get(0)?;
        // A `(DEVIATION 2025-O0004)` between title and date is allowed.
        let gap = &window[..m.start()];
        let plain = if contains_ascii_ci(gap, "deviation") {
            self.deviation_any.replace_all(gap, "")
        } else {
            std::borrow::Cow::Borrowed(gap)
        };
        if plain.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((pos + m.end(), date_of(&c), plain.len() != gap.len()))
    }

    /// Length of the `with_gap` match at the start of `s`; the regex runs only when a
    /// `with` may follow the separators.
    fn with_gap_at(&self, s: &str) -> usize {
        let seps = s
            .bytes()
            .take(4)
            .take_while(|b| matches!(b, b' ' | b'\t' | b',' | b';' | b':'))
            .count();
        if !s
            .as_bytes()
            .get(seps)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b'w'))
        {
            return seps;
        }
        self.with_gap.find(s).map_or(0, |m| m.end())
    }
}

//! References by clause title alone, their number stripped ("(1) , Combating Trafficking in
//! Persons (Feb 2009) ()"), matched with one automaton over the normalised text.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::numbers::{NumTok, num_at};
use super::text::{contains_ascii_ci, floor_boundary, is_dash, normalize, normalize_text};
use super::{ClauseCite, ClauseParser, Found, Kind};

impl ClauseParser {
    pub(super) fn build_titles(titles: &[(String, String)]) -> Option<(AhoCorasick, Vec<String>)> {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut pats = Vec::new();
        let mut nums = Vec::new();
        for (title, number) in titles {
            let (n, _) = normalize(title);
            let n = n.trim().to_string();
            let number = number.trim();
            if n.len() < 4 || number.is_empty() || seen.contains_key(&n) {
                continue;
            }
            seen.insert(n.clone(), number.to_string());
            pats.push(n);
            nums.push(number.to_string());
        }
        if pats.is_empty() {
            return None;
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .ok()?;
        Some((ac, nums))
    }

    /// Titles whose number was stripped, followed by a clause date, merged into `found` in
    /// order of appearance.
    pub(super) fn title_cites(&self, text: &str, nums: &[NumTok], found: &mut Vec<Found>) {
        let Some((ac, tnums)) = &self.titles else {
            return;
        };
        if !ac.is_match(&normalize_text(text)) {
            return;
        }
        let (norm, map) = normalize(text);
        let nb = norm.as_bytes();
        let mut titled = Vec::new();
        for m in ac.find_iter(&norm) {
            let (ns, ne) = (m.start(), m.end());
            let ok_before = norm[..ns]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let ok_after = norm[ne..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !ok_before || !ok_after || ne == 0 || ne > nb.len() {
                continue;
            }
            let ostart = map[ns];
            let olast = map[ne - 1];
            let oend = olast + text[olast..].chars().next().map_or(0, |c| c.len_utf8());
            let Some((dend, Some(date))) = self.date_at(text, oend) else {
                continue;
            };
            let number = &tnums[m.pattern().as_usize()];
            if covered(text, found, nums, number, ostart, dend) {
                continue;
            }
            let mut end = dend;
            let mut deviation = false;
            if let Some(e) = self.deviation_at(text, end) {
                end = e;
                deviation = true;
            }
            titled.push(Found {
                cite: ClauseCite {
                    number: number.clone(),
                    alternate: 0,
                    date: Some(date),
                    deviation,
                    malformed: Some(text[ostart..dend].to_string()),
                    col: 0,
                    mark: self.mark_before(text, ostart),
                    trafficking_title: contains_ascii_ci(&text[ostart..dend], "trafficking"),
                },
                start: ostart,
                num_start: ostart,
                end,
                kind: Kind::Title,
            });
        }
        found.extend(titled);
        found.sort_by_key(|f| f.start);
    }
}

/// Is the title at `ostart..dend` already read: by a number cite just before it, or by the
/// same number just after it ("Title (date) 52.222-50")?
fn covered(
    text: &str,
    found: &[Found],
    nums: &[NumTok],
    number: &str,
    ostart: usize,
    dend: usize,
) -> bool {
    let fi = found.partition_point(|f| f.start <= ostart);
    if fi > 0 {
        let prev = &found[fi - 1];
        let gap = text.get(prev.end.min(ostart)..ostart).unwrap_or("");
        if prev.end > ostart
            || (gap.len() <= 16
                && gap
                    .chars()
                    .all(|c| c.is_whitespace() || is_dash(c) || matches!(c, ',' | '.' | ';' | ':')))
        {
            return true;
        }
    }
    let after = &text[dend..floor_boundary(text, dend + 16)];
    let skip = after.len()
        - after
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-'))
            .len();
    num_at(nums, dend + skip).is_some_and(|j| nums[j].number == number)
}

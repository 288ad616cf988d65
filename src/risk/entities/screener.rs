//! The scored fuzzy matcher, with an inverted index built once per run.

use std::collections::{HashMap, HashSet};

use super::grammar::name_tokens;
use super::words::weight;
use super::{EntityEntry, MATCH_THRESHOLD};

/// Levenshtein distance up to 1 (enough for one typo); false beyond.
pub(super) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Token deletions used to find one-typo neighbours through the index.
fn deletions(t: &str) -> Vec<String> {
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

#[derive(Debug)]
struct IndexedName {
    entry: usize,
    display: String,
    tokens: Vec<String>,
    weights: Vec<f64>,
    total: f64,
    /// At least one token with full weight: fuzzy matching is allowed.
    distinctive: bool,
    concat: String,
}

/// A screening hit.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMatch<'a> {
    pub entry: &'a EntityEntry,
    /// The list name (primary or alias) that matched.
    pub matched_name: &'a str,
    /// 0..1; 1 is the same name after normalisation.
    pub score: f64,
}

/// Entity screener: every entry's names indexed by their telling tokens.
#[derive(Debug, Default)]
pub struct Screener {
    entries: Vec<EntityEntry>,
    names: Vec<IndexedName>,
    by_token: HashMap<String, Vec<usize>>,
    by_concat: HashMap<String, Vec<usize>>,
    /// Keys the per-thread cache of screening results ([`crate::memo`]); a new value each
    /// time the index changes (0: empty).
    owner: u64,
}

const FUZZY_MIN_LEN: usize = 5;

thread_local! {
    // A portfolio names the same few suppliers on row after row; screening one is the
    // costliest step of a record, and its result depends on the name alone.
    static SCREENED: std::cell::RefCell<crate::memo::Memo<Option<(f64, usize)>>> =
        std::cell::RefCell::default();
}

impl Screener {
    pub fn new(entries: Vec<EntityEntry>) -> Screener {
        let mut s = Screener::default();
        s.extend(entries);
        s
    }

    pub fn entries(&self) -> &[EntityEntry] {
        &self.entries
    }

    /// Add entries (from `--entities FILE`) to the index.
    pub fn extend(&mut self, entries: Vec<EntityEntry>) {
        self.owner = crate::memo::new_owner();
        for e in entries {
            let ei = self.entries.len();
            let mut seen = HashSet::new();
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let tokens = name_tokens(n);
                if tokens.is_empty() || !seen.insert(tokens.clone()) {
                    continue;
                }
                let weights: Vec<f64> = tokens.iter().map(|t| weight(t)).collect();
                let ni = self.names.len();
                let concat: String = tokens.concat();
                for (t, w) in tokens.iter().zip(&weights) {
                    if *w >= 0.5 {
                        self.by_token.entry(t.clone()).or_default().push(ni);
                    }
                    if *w >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN {
                        for d in deletions(t) {
                            self.by_token.entry(d).or_default().push(ni);
                        }
                    }
                }
                self.by_concat.entry(concat.clone()).or_default().push(ni);
                self.names.push(IndexedName {
                    entry: ei,
                    display: n.clone(),
                    distinctive: weights.iter().any(|w| *w >= 1.0),
                    total: weights.iter().sum(),
                    tokens,
                    weights,
                    concat,
                });
            }
            self.entries.push(e);
        }
    }

    fn score(name: &IndexedName, cand: &[String]) -> f64 {
        if name.tokens == cand {
            return 1.0;
        }
        if name.concat == cand.concat() {
            // "Hik Vision" for "Hikvision": the same letters, split differently.
            return 0.95;
        }
        if !name.distinctive {
            return 0.0;
        }
        let mut used = vec![false; cand.len()];
        let mut matched = 0.0;
        let mut matched_distinctive = false;
        for (t, w) in name.tokens.iter().zip(&name.weights) {
            let exact = (0..cand.len()).find(|&j| !used[j] && cand[j] == *t);
            // "Hik Vision" for "Hikvision": two adjacent candidate words make the list word.
            let split = || {
                (0..cand.len().saturating_sub(1)).find(|&j| {
                    !used[j]
                        && !used[j + 1]
                        && cand[j].len() + cand[j + 1].len() == t.len()
                        && t.starts_with(cand[j].as_str())
                        && t.ends_with(cand[j + 1].as_str())
                })
            };
            if exact.is_none()
                && let Some(j) = split()
            {
                used[j] = true;
                used[j + 1] = true;
                matched += w;
                matched_distinctive |= *w >= 1.0;
                continue;
            }
            let found = exact.map(|j| (j, 1.0)).or_else(|| {
                (*w >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN)
                    .then(|| {
                        (0..cand.len()).find(|&j| {
                            !used[j]
                                && cand[j].chars().count() >= FUZZY_MIN_LEN
                                && within_one_edit(&cand[j], t)
                        })
                    })
                    .flatten()
                    .map(|j| (j, 0.8))
            });
            if let Some((j, f)) = found {
                used[j] = true;
                matched += w * f;
                matched_distinctive |= *w >= 1.0;
            }
        }
        if !matched_distinctive {
            return 0.0;
        }
        // Extra generic or place words in the candidate cost half (subsidiaries add them:
        // "X USA Inc."); an extra distinctive word, or a missing word of the list name, costs
        // in full ("Century Sunshine Landscaping" is not "Century Sunshine Group").
        let extra: f64 = cand
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| {
                if weight(t) >= 1.0 {
                    1.0
                } else {
                    0.5 * weight(t)
                }
            })
            .sum();
        matched / (name.total + extra)
    }

    /// The best list entry for `name` scoring at least [`MATCH_THRESHOLD`].
    pub fn screen(&self, name: &str) -> Option<EntityMatch<'_>> {
        let best =
            SCREENED.with_borrow_mut(|m| m.owned_by(self.owner).get_or(name, || self.best(name)));
        best.map(|(score, ni)| {
            let n = &self.names[ni];
            EntityMatch {
                entry: &self.entries[n.entry],
                matched_name: &n.display,
                score: (score * 100.0).round() / 100.0,
            }
        })
    }

    /// The best (score, name index) for `name`, uncached.
    fn best(&self, name: &str) -> Option<(f64, usize)> {
        let cand = name_tokens(name);
        if cand.is_empty() {
            return None;
        }
        let mut ids: Vec<usize> = Vec::new();
        if let Some(v) = self.by_concat.get(&cand.concat()) {
            ids.extend(v);
        }
        for pair in cand.windows(2) {
            if let Some(v) = self.by_token.get(&pair.concat()) {
                ids.extend(v);
            }
        }
        for t in &cand {
            if let Some(v) = self.by_token.get(t) {
                ids.extend(v);
            }
            if weight(t) >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN {
                for d in deletions(t).iter().chain(std::iter::once(t)) {
                    if let Some(v) = self.by_token.get(d) {
                        ids.extend(v);
                    }
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut best: Option<(f64, usize)> = None;
        for ni in ids {
            let s = Self::score(&self.names[ni], &cand);
            if s >= MATCH_THRESHOLD && best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, ni));
            }
        }
        best
    }
}

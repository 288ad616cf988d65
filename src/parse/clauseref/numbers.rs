//! Clause numbers: the FAR and supplement shapes, and the typos that are repaired.

use super::ClauseParser;
use super::grammar::group;

#[derive(Debug, Clone)]
pub(super) struct NumTok {
    /// Start including a prefix (`FAR `, `Clause `, `§`).
    pub(super) start: usize,
    /// Start of the digits.
    pub(super) num_start: usize,
    pub(super) end: usize,
    pub(super) number: String,
    pub(super) malformed: Option<String>,
}

/// True when `n` has the canonical shape of a FAR or supplement clause number.
pub(super) fn canonical_shape(n: &str) -> bool {
    let Some((part, rest)) = n.split_once('.') else {
        return false;
    };
    let Some((sec, seq)) = rest.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(part) && digits(sec) && digits(seq)) || sec.len() != 3 {
        return false;
    }
    let secn: u32 = sec.parse().unwrap_or(0);
    if !(200..=253).contains(&secn) {
        return false;
    }
    if part == "52" {
        return (1..=3).contains(&seq.len()) && !seq.starts_with('0');
    }
    let chapter_ok = (part.len() == 3 || part.len() == 4)
        && part.ends_with("52")
        && !part.starts_with('0')
        && &part[..part.len() - 2] != "1";
    chapter_ok && (2..=4).contains(&seq.len()) && seq.starts_with('7')
}

fn part_start(caps: &regex::Captures<'_>) -> usize {
    caps.get(group::PART).map_or(0, |m| m.start())
}

/// The token starting exactly at `pos`, if any (`nums` is in order).
pub(super) fn num_at(nums: &[NumTok], pos: usize) -> Option<usize> {
    nums.binary_search_by_key(&pos, |n| n.start).ok()
}

impl ClauseParser {
    /// Every clause number in `text`, in order.
    pub(super) fn number_tokens(&self, text: &str) -> Vec<NumTok> {
        // A rejected candidate (`35. 52.22-50` read as `35. 52.22`) must not swallow a real
        // number: search again right after its first digit run.
        let mut nums: Vec<NumTok> = Vec::new();
        let mut at = 0;
        while at <= text.len() {
            let Some(c) = self.number.captures_at(text, at) else {
                break;
            };
            let (Some(whole), Some(part)) = (c.get(0), c.get(group::PART)) else {
                break;
            };
            match self.number_token(text, &c) {
                Some(t) => {
                    nums.push(t);
                    at = whole.end();
                }
                None => at = part.end(),
            }
        }
        nums
    }

    /// Validates one number-regex match and returns the token (or None for a non-clause).
    fn number_token(&self, text: &str, caps: &regex::Captures<'_>) -> Option<NumTok> {
        let whole = caps.get(0)?;
        let part = caps.get(group::PART)?;
        let sec = caps.get(group::SEC)?.as_str();
        let seq = caps.get(group::SEQ).map(|m| m.as_str());
        let sep = caps.get(group::SEP).map(|m| m.as_str());
        let pfx = caps.get(group::PFX);
        let glued = pfx.is_some_and(|p| {
            p.as_str().chars().next().is_some_and(|c| c.is_alphabetic())
                && caps.get(group::PGAP).is_none_or(|g| g.as_str().is_empty())
        });
        let before = &text[..whole.start()];
        let mut back = before.chars().rev();
        if pfx.is_none() {
            match back.next() {
                Some(c) if c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '¥' | '+') => {
                    return None;
                }
                Some('.') if back.next().is_some_and(|c| c.is_ascii_digit()) => return None,
                _ => {}
            }
        }
        let after = &text[whole.end()..];
        let mut fwd = after.chars();
        match fwd.next() {
            Some('.') if fwd.next().is_some_and(|c| c.is_ascii_digit()) => return None,
            Some('%') => return None,
            _ => {}
        }
        let spaced = !caps.get(group::S1)?.as_str().is_empty()
            || !caps.get(group::S2)?.as_str().is_empty()
            || sep.is_some_and(|s| s.chars().any(char::is_whitespace));
        let dotted = sep == Some(".");
        let part = part.as_str();
        let mut malformed = glued || spaced || dotted;
        // The section's digits (two pieces when one was lost) and the sequence.
        let (sec, sec_more, seq): (&str, &str, &str) = if part == "52" {
            match (sec.len(), seq) {
                (3, Some(seq)) => (sec, "", seq),
                // 52.22-50: a repeated digit was lost.
                (2, Some(seq)) if !dotted && !spaced => {
                    malformed = true;
                    (sec, &sec[1..], seq)
                }
                // 52.22250: the hyphen was lost.
                (4..=6, None) => {
                    // A year-like run (`52.2024`) is a clause only after a prefix (`FAR`).
                    let yearish =
                        sec.len() == 4 && (sec.starts_with("19") || sec.starts_with("20"));
                    if yearish && pfx.is_none() {
                        return None;
                    }
                    malformed = true;
                    (&sec[..3], "", &sec[3..])
                }
                _ => return None,
            }
        } else {
            (sec, "", seq?)
        };
        let mut number = String::with_capacity(part.len() + sec.len() + seq.len() + 3);
        for piece in [part, ".", sec, sec_more, "-", seq] {
            number.push_str(piece);
        }
        if !canonical_shape(&number) {
            return None;
        }
        let num_start = part_start(caps);
        let written_from = if glued { whole.start() } else { num_start };
        Some(NumTok {
            start: whole.start(),
            num_start,
            end: whole.end(),
            number,
            malformed: malformed.then(|| text[written_from..whole.end()].to_string()),
        })
    }
}

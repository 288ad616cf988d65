//! Byte, boundary and case helpers shared by the clause grammar.

/// Case-insensitive ASCII substring test. Exact for the clause keywords ("alt",
/// "deviation"): none of their letters has a non-ASCII case fold in the regexes.
pub(super) fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Lowercases, drops apostrophes, folds whitespace, dashes and `,.;:` to one space and
/// collapses doubled letters ("Combatting" == "Combating"). Returns the normalised text and,
/// per normalised byte, the byte offset of the original character it came from.
pub(super) fn normalize(text: &str) -> (String, Vec<usize>) {
    let mut map = Vec::with_capacity(text.len());
    let out = normalize_into(text, Some(&mut map));
    (out, map)
}

/// [`normalize`] without the offset map (most cells hold no title, so the map is only
/// built for a cell where a title was found).
pub(super) fn normalize_text(text: &str) -> String {
    normalize_into(text, None)
}

fn normalize_into(text: &str, mut map: Option<&mut Vec<usize>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}') {
            continue;
        }
        if c.is_whitespace() || is_dash(c) || matches!(c, ',' | '.' | ';' | ':') {
            if last != Some(' ') {
                out.push(' ');
                if let Some(map) = map.as_deref_mut() {
                    map.push(i);
                }
                last = Some(' ');
            }
            continue;
        }
        for l in c.to_lowercase() {
            if l.is_alphanumeric() && last == Some(l) {
                continue;
            }
            let before = out.len();
            out.push(l);
            if let Some(map) = map.as_deref_mut() {
                map.extend(std::iter::repeat_n(i, out.len() - before));
            }
            last = Some(l);
        }
    }
    out
}

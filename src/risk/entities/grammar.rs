//! The official name grammar of the lists (aliases, "and subsidiaries") and name tokens.

use super::words::LEGAL_FORMS;

/// Split off a balanced `( ... )` group starting at byte `open`; returns its inner text and
/// the byte index after the closing bracket (or the end of the text when unclosed).
fn bracket_group(s: &str, open: usize) -> (&str, usize) {
    let mut depth = 0usize;
    for (i, ch) in s[open..].char_indices() {
        match ch {
            '(' | '[' | '（' => depth += 1,
            ')' | ']' | '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let inner_start = open + s[open..].chars().next().map_or(1, char::len_utf8);
                    return (&s[inner_start..open + i], open + i + ch.len_utf8());
                }
            }
            _ => {}
        }
    }
    let inner_start = open + s[open..].chars().next().map_or(1, char::len_utf8);
    (&s[inner_start..], s.len())
}

/// Alias lists inside an official name: `A; B; and C`.
fn split_aliases(list: &str) -> Vec<String> {
    list.split(';')
        .map(|a| {
            let a = a.trim();
            let a = a.strip_prefix("and ").unwrap_or(a);
            a.trim().trim_end_matches(['.', ',']).trim().to_string()
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// Read the official name grammar (REFERENCE.md 7.2): "NAME (including one alias: A) and
/// subsidiaries"; "NAME (including N aliases: A; B; and C)"; "NAME and its subordinate and
/// affiliated entities"; "NAME and its eight PLACE-based subsidiaries, which include ...";
/// "NAME, and Subsidiaries"; "(formerly known as ...)"; "(aka ...)". Other brackets (place
/// names, "Group") stay in the name; normalisation drops them when comparing.
pub fn parse_official_name(raw: &str) -> (String, Vec<String>, bool) {
    let mut name = String::new();
    let mut aliases = Vec::new();
    let mut rest = raw.trim();
    while let Some(open) = rest.find(['(', '[', '（']) {
        let (inner, after) = bracket_group(rest, open);
        // ASCII folding keeps byte offsets, so `lower` indexes `inner` too.
        let lower = inner.trim().to_ascii_lowercase();
        let alias_text = ["including one alias:", "including"]
            .iter()
            .find(|p| lower.starts_with(*p) && lower.contains("alias"))
            .and_then(|_| inner.split_once(':').map(|(_, a)| a))
            .or_else(|| {
                [
                    "formerly known as",
                    "also known as",
                    "a.k.a.",
                    "aka",
                    "f.k.a.",
                    "fka",
                    "formerly",
                ]
                .iter()
                .find(|p| lower.starts_with(*p))
                .map(|p| {
                    inner
                        .trim()
                        .get(p.len()..)
                        .unwrap_or("")
                        .trim_start_matches([':', ' '])
                })
            });
        match alias_text {
            Some(a) => {
                aliases.extend(split_aliases(a));
                name.push_str(&rest[..open]);
            }
            None => name.push_str(&rest[..after]),
        }
        rest = &rest[after..];
    }
    name.push_str(rest);
    let lower = name.to_ascii_lowercase();
    let mut subsidiaries = false;
    let cut = [
        ", and subsidiaries",
        " and subsidiaries",
        " and its ",
        " and their ",
        ", and its ",
        " and affiliates",
        " and affiliated entities",
    ]
    .iter()
    .filter_map(|p| lower.find(p))
    .min();
    if let Some(at) = cut {
        let tail = &lower[at..];
        if tail.contains("subsidiar") || tail.contains("affiliat") || tail.contains("subordinate") {
            subsidiaries = true;
            name.truncate(at);
        }
    }
    let name = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([',', ';'])
        .trim()
        .to_string();
    (name, aliases, subsidiaries)
}

/// Name -> comparable tokens: brackets dropped (place names, "Group"), `&` as "and", case
/// and punctuation folded, legal forms dropped.
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut plain = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find(['(', '[', '（']) {
        plain.push_str(&rest[..open]);
        plain.push(' ');
        rest = &rest[bracket_group(rest, open).1..];
    }
    plain.push_str(rest);
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let lower = plain.to_lowercase();
    // "co.,ltd" and "s.a." fold to letters; apostrophes join ("mink's" -> "minks").
    for ch in lower.chars() {
        if ch.is_alphanumeric() {
            cur.push(ch);
        } else if ch == '\'' || ch == '’' || (ch == '.' && cur.len() == 1) {
            continue;
        } else if !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens.retain(|t| !LEGAL_FORMS.contains(&t.as_str()));
    tokens
}

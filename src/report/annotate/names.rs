//! Sheet names Excel accepts.

use std::collections::HashSet;

/// A sheet name Excel accepts (≤ 31 UTF-16 units, none of `[]:*?/\`, no leading or trailing
/// apostrophe) that no earlier sheet uses, case-insensitively.
pub fn unique_sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    base = base.trim_matches('\'').to_string();
    if base.trim().is_empty() {
        base = "Sheet".to_string();
    }
    let truncate = |s: &str, max: usize| -> String {
        let mut out = String::new();
        let mut n = 0;
        for ch in s.chars() {
            if n + ch.len_utf16() > max {
                break;
            }
            n += ch.len_utf16();
            out.push(ch);
        }
        out.trim_end_matches('\'').to_string()
    };
    let mut candidate = truncate(&base, 31);
    let mut k = 2;
    // "History" is reserved by Excel.
    while used.contains(&candidate.to_lowercase()) || candidate.eq_ignore_ascii_case("history") {
        let suffix = format!(" ({k})");
        candidate = format!("{}{suffix}", truncate(&base, 31 - suffix.len()));
        k += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique_sheet_name("Contracts", &mut used), "Contracts");
        assert_eq!(unique_sheet_name("contracts", &mut used), "contracts (2)");
        let long = "A very long sheet name that Excel refuses";
        let n = unique_sheet_name(long, &mut used);
        assert!(n.encode_utf16().count() <= 31);
        let n2 = unique_sheet_name(long, &mut used);
        assert!(n2.encode_utf16().count() <= 31 && n2 != n);
        assert_eq!(unique_sheet_name("a/b:c", &mut used), "a_b_c");
        assert_eq!(unique_sheet_name("'x'", &mut used), "x");
        assert_eq!(unique_sheet_name("", &mut used), "Sheet");
    }
}

//! Dollar amounts as people type them: `$1,234.50`, `(1,000)`, `1.2M`, `USD 700K`.
//!
//! Amounts decide which thresholds apply (e.g. the $550,000 compliance-plan threshold), so a
//! value that is not clearly a number is `Bad`, never a guessed zero.

use super::{Parsed, quoted};
use crate::cell::Value;

/// Parse an amount in dollars. Negative amounts (de-obligations, `(1,000)`) are kept negative.
pub fn parse(v: &Value) -> Parsed<f64> {
    match v {
        Value::Empty => Parsed::Blank,
        Value::Int(i) => Parsed::Ok(*i as f64),
        Value::Float(f) if f.is_finite() => Parsed::Ok(*f),
        Value::Float(f) => Parsed::Bad(format!("{f} is not a usable amount")),
        Value::Text(s) if s.trim().is_empty() => Parsed::Blank,
        Value::Text(s) => match parse_text(s.trim()) {
            Ok(x) => Parsed::Ok(x),
            Err(why) => Parsed::Bad(format!("{} is not an amount{why}", quoted(s.trim()))),
        },
        Value::Bool(b) => Parsed::Bad(format!(
            "{} is not an amount",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Value::DateTime(_) => Parsed::Bad(format!("the date {} is not an amount", v.to_text())),
        Value::Error(e) => Parsed::Bad(format!("cell error {} is not an amount", quoted(e))),
    }
}

/// Parse trimmed text; the error is an optional detail appended to the reason
/// (`" (more than one decimal point)"`) or empty.
fn parse_text(s: &str) -> Result<f64, String> {
    let mut t = s;
    let mut negative = false;

    // Currency markers before or after, in any order with a sign or accounting parentheses:
    // "-$1", "$-1", "USD 1,000", "(1,000)", "$(1,000)".
    loop {
        t = t.trim();
        if let Some(p) = ["US$", "USD", "$"].iter().find(|p| starts_with_ci(t, p)) {
            t = &t[p.len()..];
        } else if let Some(p) = ["USD", "$"].iter().find(|p| ends_with_ci(t, p)) {
            t = &t[..t.len() - p.len()];
        } else if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            if negative {
                return Err(" (two minus signs)".into());
            }
            negative = true;
            t = inner;
        } else if let Some(rest) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
            if negative {
                return Err(" (two minus signs)".into());
            }
            negative = true;
            t = rest;
        } else if let Some(rest) = t.strip_prefix('+') {
            t = rest;
        } else {
            break;
        }
    }

    // Split a trailing multiplier word or letter ("1.2M", "1.2 million", "2.5bn").
    let num_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(num_end);
    let rest = rest.trim();
    // Scientific notation ("1.2E+07", as CSV exports print big floats) has no multiplier.
    let is_exponent = !num.is_empty() && !num.contains(',') && {
        let mut r = rest.chars();
        matches!(r.next(), Some('e' | 'E')) && {
            let e = r.as_str();
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
    };
    let (value, multiplier) = if is_exponent {
        let whole = format!("{num}{rest}");
        match whole.parse::<f64>() {
            Ok(x) => (x, 1.0),
            Err(_) => return Err(String::new()),
        }
    } else {
        let multiplier = match rest.to_ascii_lowercase().as_str() {
            "" => 1.0,
            "k" | "thousand" => 1e3,
            "m" | "mm" | "mil" | "mn" | "million" | "millions" => 1e6,
            "b" | "bn" | "billion" | "billions" => 1e9,
            _ => return Err(String::new()),
        };
        (number(num)?, multiplier)
    };
    let x = value * multiplier;
    if !x.is_finite() {
        return Err(" (too large)".into());
    }
    Ok(if negative { -x } else { x })
}

/// ASCII case-insensitive prefix test that never allocates (inputs can be huge).
fn starts_with_ci(t: &str, p: &str) -> bool {
    t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p))
}

fn ends_with_ci(t: &str, p: &str) -> bool {
    t.len() >= p.len()
        && t.get(t.len() - p.len()..)
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
}

/// Digits with optional thousands commas and one decimal point.
fn number(num: &str) -> Result<f64, String> {
    if num.is_empty() || !num.bytes().any(|b| b.is_ascii_digit()) {
        return Err(String::new());
    }
    if num.matches('.').count() > 1 {
        return Err(" (more than one decimal point)".into());
    }
    let (int_part, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if frac.contains(',') {
        return Err(" (comma after the decimal point)".into());
    }
    if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or("");
        let ok = !first.is_empty()
            && first.len() <= 3
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(" (misplaced thousands comma)".into());
        }
    }
    let plain: String = num.chars().filter(|&c| c != ',').collect();
    match plain.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(" (too large)".into()),
        Err(_) => Err(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(s: &str) -> Parsed<f64> {
        parse(&Value::Text(s.into()))
    }

    fn bad(s: &str) -> String {
        match t(s) {
            Parsed::Bad(r) => r,
            other => panic!("{s:?} should be Bad, got {other:?}"),
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse(&Value::Int(42)), Parsed::Ok(42.0));
        assert_eq!(parse(&Value::Float(-6000.5)), Parsed::Ok(-6000.5));
        assert!(matches!(parse(&Value::Float(f64::NAN)), Parsed::Bad(_)));
        assert!(matches!(
            parse(&Value::Float(f64::INFINITY)),
            Parsed::Bad(_)
        ));
        assert!(matches!(
            parse(&Value::Float(f64::NEG_INFINITY)),
            Parsed::Bad(_)
        ));
    }

    #[test]
    fn plain_text() {
        assert_eq!(t("$1,234.50"), Parsed::Ok(1234.5));
        assert_eq!(t("1,234"), Parsed::Ok(1234.0));
        assert_eq!(t(" $ 700,000.00 "), Parsed::Ok(700_000.0));
        assert_eq!(t("4537.8500"), Parsed::Ok(4537.85));
        assert_eq!(t("-62512.0000"), Parsed::Ok(-62512.0));
        assert_eq!(t("0.00"), Parsed::Ok(0.0));
        assert_eq!(t(".5"), Parsed::Ok(0.5));
        assert_eq!(t("+12"), Parsed::Ok(12.0));
    }

    #[test]
    fn multipliers() {
        assert_eq!(t("1.2M"), Parsed::Ok(1_200_000.0));
        assert_eq!(t("1.2 million"), Parsed::Ok(1_200_000.0));
        assert_eq!(t("700K"), Parsed::Ok(700_000.0));
        assert_eq!(t("700k"), Parsed::Ok(700_000.0));
        assert_eq!(t("2.5B"), Parsed::Ok(2_500_000_000.0));
        assert_eq!(t("2.5bn"), Parsed::Ok(2_500_000_000.0));
        assert_eq!(t("2.5 billion"), Parsed::Ok(2_500_000_000.0));
        assert_eq!(t("$1.2M"), Parsed::Ok(1_200_000.0));
        assert_eq!(t("3MM"), Parsed::Ok(3_000_000.0));
        assert_eq!(t("1.2E+07"), Parsed::Ok(12_000_000.0));
    }

    #[test]
    fn negatives_and_currency() {
        assert_eq!(t("(1,000)"), Parsed::Ok(-1000.0));
        assert_eq!(t("($1,000.50)"), Parsed::Ok(-1000.5));
        assert_eq!(t("$(1,000)"), Parsed::Ok(-1000.0));
        assert_eq!(t("( 1,000 )"), Parsed::Ok(-1000.0));
        assert_eq!(t("-1,000"), Parsed::Ok(-1000.0));
        assert_eq!(t("-$1,000"), Parsed::Ok(-1000.0));
        assert_eq!(t("$-1,000"), Parsed::Ok(-1000.0));
        assert_eq!(t("USD 1,000"), Parsed::Ok(1000.0));
        assert_eq!(t("1,000 USD"), Parsed::Ok(1000.0));
        assert_eq!(t("usd1000"), Parsed::Ok(1000.0));
        assert_eq!(t("US$ 5"), Parsed::Ok(5.0));
    }

    #[test]
    fn blanks() {
        assert_eq!(parse(&Value::Empty), Parsed::Blank);
        assert_eq!(t(""), Parsed::Blank);
        assert_eq!(t("  \t "), Parsed::Blank);
    }

    #[test]
    fn bad_text_names_the_value() {
        assert_eq!(bad("TBD"), "\"TBD\" is not an amount");
        assert!(bad("N/A").contains("\"N/A\""));
        assert!(bad("abc").contains("\"abc\""));
        let r = bad("1e309");
        assert!(r.contains("\"1e309\"") && r.contains("too large"), "{r}");
        let r = bad("12..5");
        assert!(
            r.contains("\"12..5\"") && r.contains("decimal point"),
            "{r}"
        );
        assert!(bad("1,23").contains("comma"));
        assert!(bad("1.234,50").contains("\"1.234,50\""));
        assert!(bad("5%").contains("\"5%\""));
        assert!(bad("$").contains("\"$\""));
        assert!(bad("--5").contains("minus"));
        assert!(bad("(-5)").contains("minus"));
        assert!(bad("1.2 gazillion").contains("gazillion"));
        assert!(bad("-").contains("\"-\""));
        assert!(bad("()").contains("\"()\""));
    }

    #[test]
    fn other_kinds_are_bad() {
        assert!(matches!(parse(&Value::Bool(true)), Parsed::Bad(_)));
        let d = NaiveDate::from_ymd_opt(2024, 1, 15)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        match parse(&Value::DateTime(d)) {
            Parsed::Bad(r) => assert!(r.contains("2024-01-15")),
            other => panic!("{other:?}"),
        }
        match parse(&Value::Error("#N/A".into())) {
            Parsed::Bad(r) => assert!(r.contains("#N/A")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn long_text_is_cut_in_reason() {
        let s = "x".repeat(10_000);
        let r = bad(&s);
        assert!(r.len() < 200);
    }
}

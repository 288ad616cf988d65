//! Product/service codes (PSC) and NAICS codes, as FPDS and USAspending print them:
//! bare (`8415`), as "CODE: DESCRIPTION" (`8415: CLOTHING, SPECIAL PURPOSE`), or as numbers
//! that a spreadsheet turned into floats (`315250.0`).

use super::{Parsed, quoted};
use crate::cell::Value;

/// The CODE of a "CODE: DESCRIPTION" cell (split on the first ": "), else the trimmed text.
pub fn code_part(text: &str) -> &str {
    match text.split_once(": ") {
        Some((code, _)) => code.trim(),
        None => text.trim(),
    }
}

/// A PSC: exactly 4 letters or digits, uppercased (`8415`, `R425`, `AG71`).
pub fn psc(v: &Value) -> Parsed<String> {
    let code = match code_text(v, "PSC") {
        Ok(Some(c)) => c,
        Ok(None) => return Parsed::Blank,
        Err(why) => return Parsed::Bad(why),
    };
    let code = code.to_ascii_uppercase();
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Parsed::Ok(code)
    } else {
        Parsed::Bad(format!(
            "{} is not a PSC (expected 4 letters or digits, e.g. 8415 or R425)",
            quoted(&shown(v))
        ))
    }
}

/// A NAICS code: 2 to 6 digits (sectors to national industries).
pub fn naics(v: &Value) -> Parsed<String> {
    let code = match code_text(v, "NAICS code") {
        Ok(Some(c)) => c,
        Ok(None) => return Parsed::Blank,
        Err(why) => return Parsed::Bad(why),
    };
    if (2..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
        Parsed::Ok(code)
    } else {
        Parsed::Bad(format!(
            "{} is not a NAICS code (expected 2 to 6 digits, e.g. 315250)",
            quoted(&shown(v))
        ))
    }
}

/// The code text of a cell: numbers without `.0`, and text reduced to its code part
/// ("CODE: DESCRIPTION" or "CODE - Description"). `Ok(None)` is blank.
fn code_text(v: &Value, what: &str) -> Result<Option<String>, String> {
    match v {
        Value::Empty => Ok(None),
        Value::Int(i) if *i >= 0 => Ok(Some(i.to_string())),
        Value::Float(f) if f.is_finite() && *f >= 0.0 && f.fract() == 0.0 && *f < 1e15 => {
            Ok(Some((*f as i64).to_string()))
        }
        Value::Int(_) | Value::Float(_) => Err(format!("{} is not a {what}", v.to_text())),
        Value::Text(s) if s.trim().is_empty() => Ok(None),
        Value::Text(s) => {
            let mut code = code_part(s);
            if let Some((head, _)) = code.split_once(" - ") {
                code = head.trim();
            }
            // "315250.0" when a float column was exported as text.
            if let Some(head) = code.strip_suffix(".0")
                && !head.is_empty()
                && head.bytes().all(|b| b.is_ascii_digit())
            {
                code = head;
            }
            Ok(Some(code.to_string()))
        }
        Value::Bool(_) | Value::DateTime(_) => Err(format!("{} is not a {what}", v.to_text())),
        Value::Error(e) => Err(format!("cell error {} is not a {what}", quoted(e))),
    }
}

fn shown(v: &Value) -> String {
    v.to_text().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn ok(s: &str) -> Parsed<String> {
        Parsed::Ok(s.into())
    }

    #[test]
    fn code_parts() {
        assert_eq!(code_part("USA: UNITED STATES OF AMERICA"), "USA");
        assert_eq!(code_part(" D : MFG IN U.S."), "D");
        assert_eq!(code_part("B: SUPPLIES: OTHER"), "B");
        assert_eq!(code_part("  8415  "), "8415");
        assert_eq!(code_part("12:30"), "12:30");
        assert_eq!(code_part(""), "");
    }

    #[test]
    fn psc_values() {
        assert_eq!(psc(&t("8415")), ok("8415"));
        assert_eq!(psc(&t("8415: CLOTHING, SPECIAL PURPOSE")), ok("8415"));
        assert_eq!(psc(&t("R425")), ok("R425"));
        assert_eq!(psc(&t("r425")), ok("R425"));
        assert_eq!(psc(&t("AG71")), ok("AG71"));
        assert_eq!(
            psc(&t("D399: IT AND TELECOM- OTHER IT AND TELECOMMUNICATIONS")),
            ok("D399")
        );
        assert_eq!(psc(&t("8415 - Clothing")), ok("8415"));
        assert_eq!(psc(&Value::Int(8415)), ok("8415"));
        assert_eq!(psc(&Value::Float(8415.0)), ok("8415"));
        assert_eq!(psc(&t("8415.0")), ok("8415"));
        assert_eq!(psc(&Value::Empty), Parsed::Blank);
        assert_eq!(psc(&t(" ")), Parsed::Blank);
    }

    #[test]
    fn psc_bad() {
        for v in [
            t("841"),
            t("84155"),
            t("N/A"),
            t("84-5"),
            t("TBD"),
            Value::Int(123),
        ] {
            match psc(&v) {
                Parsed::Bad(r) => assert!(r.contains(&format!("\"{}\"", v.to_text())), "{r}"),
                other => panic!("{v:?}: {other:?}"),
            }
        }
        assert!(matches!(psc(&Value::Float(8415.5)), Parsed::Bad(r) if r.contains("8415.5")));
        assert!(matches!(psc(&Value::Int(-8415)), Parsed::Bad(r) if r.contains("-8415")));
        assert!(matches!(psc(&Value::Bool(true)), Parsed::Bad(_)));
    }

    #[test]
    fn naics_values() {
        assert_eq!(naics(&t("315250")), ok("315250"));
        assert_eq!(naics(&Value::Float(315250.0)), ok("315250"));
        assert_eq!(naics(&Value::Int(315250)), ok("315250"));
        assert_eq!(naics(&t("315250: MEN'S CUT AND SEW APPAREL")), ok("315250"));
        assert_eq!(naics(&t("315250 - Men's Cut and Sew")), ok("315250"));
        assert_eq!(naics(&t("315250.0")), ok("315250"));
        assert_eq!(naics(&Value::Float(11.0)), ok("11"));
        assert_eq!(naics(&Value::Empty), Parsed::Blank);
    }

    #[test]
    fn naics_bad() {
        for v in [
            t("3152500"),
            t("3"),
            t("31525A"),
            t("N/A"),
            Value::Int(1_234_567),
        ] {
            match naics(&v) {
                Parsed::Bad(r) => assert!(r.contains(&format!("\"{}\"", v.to_text())), "{r}"),
                other => panic!("{v:?}: {other:?}"),
            }
        }
        assert!(matches!(naics(&Value::Float(315250.5)), Parsed::Bad(r) if r.contains("315250.5")));
        assert!(matches!(naics(&Value::Float(f64::NAN)), Parsed::Bad(_)));
        assert!(
            matches!(naics(&Value::Error("#REF!".into())), Parsed::Bad(r) if r.contains("#REF!"))
        );
    }
}

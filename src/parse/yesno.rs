//! Yes/no flags, FPDS commercial-item codes, and evidence columns ("plan on file?").
//!
//! Tracking sheets mark things done with ticks, `X`, `1`, or the date it was done, so a date
//! counts as "yes". Anything else unrecognised is `Bad`: a silent "no" would invent a finding.

use chrono::NaiveDate;

use super::date;
use super::{Parsed, quoted};
use crate::cell::Value;

/// What an evidence cell says: yes/no, or a date (which counts as yes, dated).
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    Yes,
    No,
    Dated(NaiveDate),
    /// Free text such as a file reference: present, so evidence.
    Text(String),
}

impl Evidence {
    pub fn is_present(&self) -> bool {
        !matches!(self, Evidence::No)
    }
}

const YES: &[&str] = &[
    "y", "yes", "x", "true", "t", "1", "✓", "✔", "☑", "✅", "1.0",
];
const NO: &[&str] = &["n", "no", "false", "f", "0", "✗", "✘", "❌", "0.0"];
/// Words that, in an evidence column, mean the evidence is not there.
const ABSENT: &[&str] = &[
    "none",
    "missing",
    "pending",
    "not on file",
    "n/a",
    "na",
    "n.a.",
    "not applicable",
    "not provided",
    "not received",
    "not yet",
    "tbd",
    "-",
    "--",
];

/// What a cell says, before deciding what that means for the caller.
enum Reading {
    Yes,
    No,
    Date(NaiveDate),
    /// Non-empty text that is neither a yes/no word nor a date (trimmed).
    Other(String),
    Bad(String),
    Blank,
}

fn read(v: &Value) -> Reading {
    match v {
        Value::Empty => Reading::Blank,
        Value::Bool(true) => Reading::Yes,
        Value::Bool(false) => Reading::No,
        Value::Int(1) => Reading::Yes,
        Value::Int(0) => Reading::No,
        Value::Float(f) if *f == 1.0 => Reading::Yes,
        Value::Float(f) if *f == 0.0 => Reading::No,
        Value::Int(_) | Value::Float(_) => {
            Reading::Bad(format!("{} is not yes or no", v.to_text()))
        }
        Value::DateTime(d) => Reading::Date(d.date()),
        Value::Error(e) => Reading::Bad(format!("cell error {} is not yes or no", quoted(e))),
        Value::Text(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Reading::Blank;
            }
            let lower = t.to_lowercase();
            // "Yes." and "No." are common; a trailing period changes nothing.
            let word = lower.strip_suffix('.').unwrap_or(&lower);
            if YES.contains(&word) {
                Reading::Yes
            } else if NO.contains(&word) {
                Reading::No
            } else if let Ok(d) = date::parse_text(t) {
                Reading::Date(d)
            } else {
                Reading::Other(t.to_string())
            }
        }
    }
}

/// Parse a yes/no flag. A date (cell or text) means yes: "done on that day".
pub fn parse(v: &Value) -> Parsed<bool> {
    match read(v) {
        Reading::Yes | Reading::Date(_) => Parsed::Ok(true),
        Reading::No => Parsed::Ok(false),
        Reading::Blank => Parsed::Blank,
        Reading::Bad(why) => Parsed::Bad(why),
        Reading::Other(t) => Parsed::Bad(format!("{} is not yes or no", quoted(&t))),
    }
}

/// Parse a commercial-item flag, including FPDS/USAspending
/// `commercial_item_acquisition_procedures` codes: A, B, C (commercial procedures used) are
/// true and D (not used) is false. The code before ": " decides, since the descriptions drift
/// ("COMMERCIAL ITEM" vs "COMMERCIAL PRODUCTS/SERVICES"); FPDS flat files carry the
/// description alone, so those are recognised too.
pub fn parse_commercial(v: &Value) -> Parsed<bool> {
    if let Value::Text(s) = v {
        let t = s.trim();
        let code = super::codes::code_part(t).to_ascii_uppercase();
        match code.as_str() {
            "A" | "B" | "C" => return Parsed::Ok(true),
            "D" => return Parsed::Ok(false),
            _ => {}
        }
        let upper = t.to_uppercase();
        if upper.ends_with("PROCEDURES NOT USED")
            || upper.starts_with("NON-COMMERCIAL")
            || upper.starts_with("NONCOMMERCIAL")
            || upper.starts_with("NOT COMMERCIAL")
        {
            return Parsed::Ok(false);
        }
        if upper.starts_with("COMMERCIAL") || upper.contains("PURSUANT TO FAR 12.102") {
            return Parsed::Ok(true);
        }
    }
    match parse(v) {
        Parsed::Bad(_) if matches!(v, Value::Text(_)) => Parsed::Bad(format!(
            "{} is not yes/no or a commercial-item code (A-D)",
            quoted(v.to_text().trim())
        )),
        other => other,
    }
}

/// Parse an evidence column: yes/no words, absence words (`none`, `pending`, `n/a`...), a
/// date (only a date cell or date text: a bare number is not taken as a serial), or a note
/// such as "Plan v2 on SharePoint", which counts as evidence present.
pub fn evidence(v: &Value) -> Parsed<Evidence> {
    match read(v) {
        Reading::Yes => Parsed::Ok(Evidence::Yes),
        Reading::No => Parsed::Ok(Evidence::No),
        Reading::Date(d) => Parsed::Ok(Evidence::Dated(d)),
        Reading::Blank => Parsed::Blank,
        Reading::Bad(why) => Parsed::Bad(why.replace(
            "is not yes or no",
            "is not evidence (expected yes/no, a date or a note)",
        )),
        Reading::Other(t) => {
            let lower = t.to_lowercase();
            // A note that opens with a negative ("No plan yet", "Not provided - see COR")
            // says the evidence is absent; counting it as present would hide a gap.
            let negative_note = ["no ", "not ", "none ", "missing ", "pending ", "n/a "]
                .iter()
                .any(|w| lower.starts_with(w));
            if ABSENT.contains(&lower.as_str()) || negative_note {
                Parsed::Ok(Evidence::No)
            } else {
                Parsed::Ok(Evidence::Text(t))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn yes_words() {
        for s in [
            "Y", "y", "Yes", "YES", " yes ", "X", "x", "TRUE", "true", "T", "1", "✓", "✔", "Yes.",
        ] {
            assert_eq!(parse(&t(s)), Parsed::Ok(true), "{s:?}");
        }
    }

    #[test]
    fn no_words() {
        for s in ["N", "n", "No", "NO", "FALSE", "false", "F", "0", " no "] {
            assert_eq!(parse(&t(s)), Parsed::Ok(false), "{s:?}");
        }
    }

    #[test]
    fn typed_values() {
        assert_eq!(parse(&Value::Bool(true)), Parsed::Ok(true));
        assert_eq!(parse(&Value::Bool(false)), Parsed::Ok(false));
        assert_eq!(parse(&Value::Int(1)), Parsed::Ok(true));
        assert_eq!(parse(&Value::Int(0)), Parsed::Ok(false));
        assert_eq!(parse(&Value::Float(1.0)), Parsed::Ok(true));
        assert_eq!(parse(&Value::Float(0.0)), Parsed::Ok(false));
        assert!(matches!(parse(&Value::Int(2)), Parsed::Bad(r) if r.contains('2')));
        assert!(matches!(parse(&Value::Float(f64::NAN)), Parsed::Bad(_)));
        assert!(
            matches!(parse(&Value::Error("#N/A".into())), Parsed::Bad(r) if r.contains("#N/A"))
        );
        assert_eq!(parse(&Value::Empty), Parsed::Blank);
        assert_eq!(parse(&t("  ")), Parsed::Blank);
    }

    #[test]
    fn dates_mean_yes() {
        let dt = d(2024, 3, 1).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(parse(&Value::DateTime(dt)), Parsed::Ok(true));
        assert_eq!(parse(&t("3/1/2024")), Parsed::Ok(true));
        assert_eq!(parse(&t("2024-03-01")), Parsed::Ok(true));
    }

    #[test]
    fn other_text_is_bad() {
        assert_eq!(
            parse(&t("maybe")),
            Parsed::Bad("\"maybe\" is not yes or no".into())
        );
        assert!(matches!(parse(&t("N/A")), Parsed::Bad(r) if r.contains("\"N/A\"")));
        assert!(matches!(parse(&t("Yess")), Parsed::Bad(r) if r.contains("\"Yess\"")));
        assert!(matches!(parse(&t("A")), Parsed::Bad(_)));
    }

    #[test]
    fn commercial_codes() {
        for s in [
            "A",
            "B",
            "C",
            "a",
            "A: COMMERCIAL ITEM",
            "A: COMMERCIAL PRODUCTS/SERVICES",
            "B: SUPPLIES OR SERVICES PURSUANT TO FAR 12.102(F)",
            "C: SERVICES PURSUANT TO FAR 12.102(G)",
            "COMMERCIAL ITEM",
            "COMMERCIAL PRODUCTS/SERVICES",
            "PRODUCTS OR SERVICES PURSUANT TO FAR 12.102(F)",
            "Yes",
        ] {
            assert_eq!(parse_commercial(&t(s)), Parsed::Ok(true), "{s:?}");
        }
        for s in [
            "D",
            "D: COMMERCIAL ITEM PROCEDURES NOT USED",
            "D: COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED",
            "COMMERCIAL ITEM PROCEDURES NOT USED",
            "COMMERCIAL PRODUCTS/SERVICES PROCEDURES NOT USED",
            "No",
            "N",
        ] {
            assert_eq!(parse_commercial(&t(s)), Parsed::Ok(false), "{s:?}");
        }
        assert_eq!(parse_commercial(&Value::Bool(true)), Parsed::Ok(true));
        assert_eq!(parse_commercial(&Value::Empty), Parsed::Blank);
        match parse_commercial(&t("E: SOMETHING")) {
            Parsed::Bad(r) => assert!(r.contains("\"E: SOMETHING\""), "{r}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn evidence_values() {
        assert_eq!(evidence(&t("Yes")), Parsed::Ok(Evidence::Yes));
        assert_eq!(evidence(&t("✓")), Parsed::Ok(Evidence::Yes));
        assert_eq!(evidence(&Value::Bool(true)), Parsed::Ok(Evidence::Yes));
        for s in [
            "No",
            "N",
            "none",
            "Missing",
            "PENDING",
            "not on file",
            "N/A",
            "na",
            "0",
        ] {
            assert_eq!(evidence(&t(s)), Parsed::Ok(Evidence::No), "{s:?}");
        }
        let dt = d(2024, 2, 1).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(
            evidence(&Value::DateTime(dt)),
            Parsed::Ok(Evidence::Dated(d(2024, 2, 1)))
        );
        assert_eq!(
            evidence(&t("2/1/2024")),
            Parsed::Ok(Evidence::Dated(d(2024, 2, 1)))
        );
        assert_eq!(
            evidence(&t(" Plan v2 on SharePoint ")),
            Parsed::Ok(Evidence::Text("Plan v2 on SharePoint".into()))
        );
        for s in [
            "No plan on file",
            "Not provided - see COR",
            "Pending review",
            "N/A - exempt",
        ] {
            assert_eq!(evidence(&t(s)), Parsed::Ok(Evidence::No), "{s:?}");
        }
        assert_eq!(
            evidence(&t("Notarised copy in folder 3")),
            Parsed::Ok(Evidence::Text("Notarised copy in folder 3".into()))
        );
        assert_eq!(evidence(&Value::Empty), Parsed::Blank);
        // A bare number is not a date serial here.
        assert!(matches!(evidence(&Value::Int(45000)), Parsed::Bad(r) if r.contains("45000")));
    }
}

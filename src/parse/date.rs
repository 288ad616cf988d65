//! Dates as US federal contract sheets hold them: real date cells, Excel serials, ISO text
//! (FPDS flat `2024-01-15 00:00:00`), US `M/D/YYYY` (legacy USAspending), and spelled months.
//!
//! Dates pick the clause version and threshold in force, so an ambiguous or impossible date
//! is `Bad` rather than a guess: two-digit years are refused, and `D/M/YYYY` is read only when
//! the first number cannot be a month (> 12).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::{Parsed, quoted};
use crate::cell::Value;

/// Largest Excel serial (9999-12-31).
const MAX_SERIAL: f64 = 2_958_465.0;

/// Parse a date cell.
pub fn parse(v: &Value) -> Parsed<NaiveDate> {
    match v {
        Value::Empty => Parsed::Blank,
        Value::DateTime(d) => Parsed::Ok(d.date()),
        Value::Int(i) => number(*i as f64, &i.to_string()),
        Value::Float(f) => number(*f, &v.to_text()),
        Value::Text(s) if s.trim().is_empty() => Parsed::Blank,
        Value::Text(s) => match parse_text(s.trim()) {
            Ok(d) => Parsed::Ok(d),
            Err(why) => Parsed::Bad(why),
        },
        Value::Bool(b) => Parsed::Bad(format!(
            "{} is not a date",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Value::Error(e) => Parsed::Bad(format!("cell error {} is not a date", quoted(e))),
    }
}

/// Parse trimmed text as a date, or say why not. Used by `yesno` to spot dates in text.
pub(crate) fn parse_text(s: &str) -> Result<NaiveDate, String> {
    let q = quoted(s);
    if s.len() > 64 {
        return Err(format!("{q} is not a date"));
    }
    let re = patterns();
    if let Some(c) = re.ymd.captures(s) {
        let (y, m, d) = (num(&c[1]), num(&c[2]), num(&c[3]));
        return ymd(y, m, d, &q);
    }
    if let Some(c) = re.compact.captures(s) {
        let (y, m, d) = (num(&c[1]), num(&c[2]), num(&c[3]));
        return ymd(y, m, d, &q);
    }
    if let Some(c) = re.numeric.captures(s) {
        let (a, b, year) = (num(&c[1]), num(&c[2]), &c[3]);
        if year.len() != 4 {
            return Err(format!(
                "{q} has a {}-digit year; write the full year (e.g. 2024)",
                year.len()
            ));
        }
        let y = num(year);
        // US order unless the first number cannot be a month.
        let (m, d) = match (a, b) {
            (a, b) if a > 12 && b > 12 => {
                return Err(format!(
                    "{q} is not a date: neither {a} nor {b} can be a month"
                ));
            }
            (a, b) if a > 12 => (b, a),
            (a, b) => (a, b),
        };
        return ymd(y, m, d, &q);
    }
    if let Some(c) = re.day_month.captures(s) {
        return named(num(&c[1]), &c[2], &c[3], &q);
    }
    if let Some(c) = re.month_day.captures(s) {
        return named(num(&c[2]), &c[1], &c[3], &q);
    }
    Err(format!("{q} is not a date"))
}

struct Patterns {
    ymd: Regex,
    compact: Regex,
    numeric: Regex,
    day_month: Regex,
    month_day: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // An optional time part, as FPDS flat files and Excel exports append it.
        const TIME: &str = r"(?:[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|[AaPp]\.?[Mm]\.?)?)?";
        let re = |p: String| Regex::new(&p).expect("static date pattern");
        Patterns {
            ymd: re(format!(r"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){TIME}$")),
            compact: re(r"^(\d{4})(\d{2})(\d{2})$".to_string()),
            numeric: re(format!(r"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{1,4}}){TIME}$")),
            day_month: re(format!(
                r"^(\d{{1,2}})(?:st|nd|rd|th)?[-\s]+([A-Za-z]+)\.?[-\s,]+(\d{{1,4}}){TIME}$"
            )),
            month_day: re(format!(
                r"^([A-Za-z]+)\.?[-\s]+(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|[-\s]+)(\d{{1,4}}){TIME}$"
            )),
        }
    })
}

/// Small digit strings only reach here (the patterns bound their length).
fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

fn named(day: u32, month: &str, year: &str, q: &str) -> Result<NaiveDate, String> {
    let Some(m) = month_number(month) else {
        return Err(format!("{q} is not a date: \"{month}\" is not a month"));
    };
    if year.len() != 4 {
        return Err(format!(
            "{q} has a {}-digit year; write the full year (e.g. 2024)",
            year.len()
        ));
    }
    ymd(num(year), m, day, q)
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|full| {
            lower.len() >= 3 && (lower == *full || (lower.len() == 3 && full.starts_with(&lower)))
        })
        .map(|i| i as u32 + 1)
}

/// Build a date, naming what is wrong when it does not exist.
fn ymd(y: u32, m: u32, d: u32, q: &str) -> Result<NaiveDate, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("{q} is not a real date: there is no month {m}"));
    }
    if !(1900..=9999).contains(&y) {
        return Err(format!("{q} is not a plausible date: year {y}"));
    }
    let year = y as i32;
    if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
        return Ok(date);
    }
    let first = NaiveDate::from_ymd_opt(year, m, 1);
    let days = first.and_then(|f| {
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, m + 1, 1)
        }?;
        Some((next - f).num_days())
    });
    match (first, days) {
        (Some(f), Some(n)) => Err(format!(
            "{q} is not a real date: {} {} has {n} days, not {d}",
            f.format("%B"),
            f.year()
        )),
        _ => Err(format!("{q} is not a real date")),
    }
}

/// A number cell: an 8-digit `YYYYMMDD` or an Excel 1900-system serial.
fn number(x: f64, shown: &str) -> Parsed<NaiveDate> {
    if !x.is_finite() {
        return Parsed::Bad(format!("{shown} is not a date"));
    }
    if x.fract() == 0.0 && (10_000_101.0..=99_991_231.0).contains(&x) {
        let n = x as u32;
        return match ymd(n / 10_000, n / 100 % 100, n % 100, shown) {
            Ok(d) => Parsed::Ok(d),
            Err(why) => Parsed::Bad(why),
        };
    }
    if !(1.0..=MAX_SERIAL + 0.999_999).contains(&x) {
        return Parsed::Bad(format!(
            "{shown} is not a date (not an Excel date serial or YYYYMMDD number)"
        ));
    }
    let n = x.floor() as i64;
    if n == 60 {
        return Parsed::Bad(format!(
            "{shown} is Excel's serial for 1900-02-29, a day that did not exist"
        ));
    }
    // Excel counts 1900 as a leap year: serials after 60 are one day ahead.
    let base = if n < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    match base.and_then(|b| b.checked_add_signed(chrono::Duration::days(n))) {
        Some(d) => Parsed::Ok(d),
        None => Parsed::Bad(format!("{shown} is not a date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(s: &str) -> Parsed<NaiveDate> {
        parse(&Value::Text(s.into()))
    }

    fn bad(v: Value) -> String {
        match parse(&v) {
            Parsed::Bad(r) => r,
            other => panic!("{v:?} should be Bad, got {other:?}"),
        }
    }

    fn bad_t(s: &str) -> String {
        bad(Value::Text(s.into()))
    }

    #[test]
    fn date_cells() {
        let dt = d(2024, 1, 15).and_hms_opt(13, 5, 0).unwrap();
        assert_eq!(parse(&Value::DateTime(dt)), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(parse(&Value::Empty), Parsed::Blank);
        assert_eq!(t("   "), Parsed::Blank);
    }

    #[test]
    fn serials() {
        assert_eq!(parse(&Value::Int(1)), Parsed::Ok(d(1900, 1, 1)));
        assert_eq!(parse(&Value::Int(59)), Parsed::Ok(d(1900, 2, 28)));
        assert!(bad(Value::Int(60)).contains("1900-02-29"));
        assert_eq!(parse(&Value::Int(61)), Parsed::Ok(d(1900, 3, 1)));
        assert_eq!(parse(&Value::Int(45000)), Parsed::Ok(d(2023, 3, 15)));
        assert_eq!(parse(&Value::Float(45000.75)), Parsed::Ok(d(2023, 3, 15)));
        assert_eq!(parse(&Value::Int(2_958_465)), Parsed::Ok(d(9999, 12, 31)));
        assert!(bad(Value::Int(0)).contains('0'));
        assert!(bad(Value::Int(-5)).contains("-5"));
        assert!(bad(Value::Int(3_000_000)).contains("3000000"));
        assert!(matches!(parse(&Value::Float(f64::NAN)), Parsed::Bad(_)));
        assert!(matches!(
            parse(&Value::Float(f64::INFINITY)),
            Parsed::Bad(_)
        ));
    }

    #[test]
    fn yyyymmdd_numbers() {
        assert_eq!(parse(&Value::Int(20240115)), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(parse(&Value::Float(20240115.0)), Parsed::Ok(d(2024, 1, 15)));
        assert!(bad(Value::Int(20240230)).contains("February 2024 has 29 days"));
        assert_eq!(t("20240115"), Parsed::Ok(d(2024, 1, 15)));
    }

    #[test]
    fn iso_and_fpds() {
        assert_eq!(t("2024-01-15"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("2024-01-15 00:00:00"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("2024-01-15T00:00:00"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("2024-01-15T08:30:00.000Z"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("2024/01/15"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("2024-1-5"), Parsed::Ok(d(2024, 1, 5)));
    }

    #[test]
    fn us_and_day_first() {
        assert_eq!(t("1/15/2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("01/15/2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("9/8/2016"), Parsed::Ok(d(2016, 9, 8)));
        assert_eq!(t("9/8/2016 0:00"), Parsed::Ok(d(2016, 9, 8)));
        assert_eq!(t("3/4/2024 12:00:00 PM"), Parsed::Ok(d(2024, 3, 4)));
        // Day first only when the first number cannot be a month.
        assert_eq!(t("15/01/2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("15.01.2024"), Parsed::Ok(d(2024, 1, 15)));
    }

    #[test]
    fn month_names() {
        assert_eq!(t("15-Jan-2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("Jan 15, 2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("January 15, 2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("15 January 2024"), Parsed::Ok(d(2024, 1, 15)));
        assert_eq!(t("Sept 3, 2024"), Parsed::Ok(d(2024, 9, 3)));
        assert_eq!(t("3 Sep. 2024"), Parsed::Ok(d(2024, 9, 3)));
        assert_eq!(t("MAR 1 2015"), Parsed::Ok(d(2015, 3, 1)));
        assert!(bad_t("15-Foo-2024").contains("\"Foo\" is not a month"));
    }

    #[test]
    fn two_digit_years_are_refused() {
        let r = bad_t("1/15/24");
        assert!(
            r.contains("\"1/15/24\"") && r.contains("2-digit year"),
            "{r}"
        );
        assert!(bad_t("15-Jan-24").contains("2-digit year"));
    }

    #[test]
    fn impossible_dates_name_the_problem() {
        let r = bad_t("31/02/2024");
        assert!(
            r.contains("\"31/02/2024\"") && r.contains("February 2024 has 29 days"),
            "{r}"
        );
        let r = bad_t("2024-02-30");
        assert!(r.contains("\"2024-02-30\"") && r.contains("not 30"), "{r}");
        let r = bad_t("13/13/2024");
        assert!(r.contains("\"13/13/2024\"") && r.contains("month"), "{r}");
        assert!(bad_t("2023-02-29").contains("February 2023 has 28 days"));
        assert!(bad_t("2024-13-01").contains("no month 13"));
        assert!(bad_t("0/10/2024").contains("no month 0"));
        assert!(bad_t("0024-01-01").contains("year 24"));
        assert!(bad_t("4/31/2024").contains("April 2024 has 30 days"));
    }

    #[test]
    fn words_are_bad() {
        assert_eq!(bad_t("TBD"), "\"TBD\" is not a date");
        assert_eq!(bad_t("N/A"), "\"N/A\" is not a date");
        assert!(bad_t("Plan v2 on SharePoint").contains("SharePoint"));
        assert!(bad_t("45000").contains("45000"));
        assert!(matches!(parse(&Value::Bool(true)), Parsed::Bad(_)));
        assert!(bad(Value::Error("#VALUE!".into())).contains("#VALUE!"));
    }
}

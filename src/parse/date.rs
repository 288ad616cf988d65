//! Dates (interim minimal form).
use super::Parsed;
use crate::cell::Value;
use chrono::NaiveDate;
pub fn parse(v: &Value) -> Parsed<NaiveDate> {
    match v {
        Value::Empty => Parsed::Blank,
        Value::DateTime(d) => Parsed::Ok(d.date()),
        Value::Text(t) if t.trim().is_empty() => Parsed::Blank,
        Value::Text(t) => {
            let t = t.trim();
            let head = t.get(..10).unwrap_or(t);
            NaiveDate::parse_from_str(head, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(t, "%m/%d/%Y"))
                .map(Parsed::Ok)
                .unwrap_or_else(|_| Parsed::Bad(format!("\"{t}\" is not a date")))
        }
        other => Parsed::Bad(format!("\"{}\" is not a date", other.to_text())),
    }
}

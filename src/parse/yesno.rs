//! Yes/no cells (interim minimal form).
use super::Parsed;
use crate::cell::Value;
use crate::record::Evidence;
pub fn parse(v: &Value) -> Parsed<bool> {
    match v {
        Value::Empty => Parsed::Blank,
        Value::Bool(b) => Parsed::Ok(*b),
        Value::DateTime(_) => Parsed::Ok(true),
        other => match other.to_text().trim().to_ascii_lowercase().as_str() {
            "" => Parsed::Blank,
            "y" | "yes" | "x" | "true" | "1" => Parsed::Ok(true),
            "n" | "no" | "false" | "0" => Parsed::Ok(false),
            t => Parsed::Bad(format!("\"{t}\" is not yes or no")),
        },
    }
}
pub fn parse_commercial(v: &Value) -> Parsed<bool> {
    let t = v.to_text();
    match super::codes::code_part(&t) {
        "A" | "B" | "C" => Parsed::Ok(true),
        "D" => Parsed::Ok(false),
        _ => parse(v),
    }
}
pub fn evidence(v: &Value) -> Parsed<Evidence> {
    match parse(v) {
        Parsed::Ok(true) => match v {
            Value::DateTime(d) => Parsed::Ok(Evidence::Dated(d.date())),
            _ => Parsed::Ok(Evidence::Yes),
        },
        Parsed::Ok(false) => Parsed::Ok(Evidence::No),
        Parsed::Blank => Parsed::Blank,
        Parsed::Bad(_) => Parsed::Ok(Evidence::Text(v.to_text())),
    }
}

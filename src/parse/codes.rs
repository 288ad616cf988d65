//! PSC / NAICS codes (interim minimal form).
use super::Parsed;
use crate::cell::Value;
pub fn code_part(text: &str) -> &str {
    match text.split_once(": ") {
        Some((c, _)) => c.trim(),
        None => text.trim(),
    }
}
pub fn psc(v: &Value) -> Parsed<String> {
    let t = v.to_text();
    let c = code_part(&t);
    if c.is_empty() {
        Parsed::Blank
    } else {
        Parsed::Ok(c.to_ascii_uppercase())
    }
}
pub fn naics(v: &Value) -> Parsed<String> {
    let t = v.to_text();
    let c = code_part(&t);
    if c.is_empty() {
        Parsed::Blank
    } else {
        Parsed::Ok(c.to_string())
    }
}

//! Money amounts (interim minimal form).
use super::Parsed;
use crate::cell::Value;
pub fn parse(v: &Value) -> Parsed<f64> {
    match v {
        Value::Empty => Parsed::Blank,
        Value::Int(i) => Parsed::Ok(*i as f64),
        Value::Float(f) if f.is_finite() => Parsed::Ok(*f),
        Value::Text(t) if t.trim().is_empty() => Parsed::Blank,
        Value::Text(t) => t
            .trim()
            .trim_start_matches('$')
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Parsed::Ok)
            .unwrap_or_else(|| Parsed::Bad(format!("\"{t}\" is not an amount"))),
        other => Parsed::Bad(format!("\"{}\" is not an amount", other.to_text())),
    }
}

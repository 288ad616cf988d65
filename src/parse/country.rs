//! Countries and places: ISO codes, names, US states and outlying areas, FPDS
//! "CODE: DESCRIPTION" cells, place-of-manufacture codes, and Xinjiang spellings.

use super::Parsed;

/// Where something is, as far as the audit needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// ISO 3166-1 alpha-3 code when known (`USA`, `CHN`, `PRI`), else `None`.
    pub code: Option<String>,
    /// The text as given, trimmed (for messages).
    pub text: String,
    /// Inside "the United States" as FAR 22.1702 defines it (50 states, DC, outlying areas).
    /// `None` when the value does not say (e.g. FPDS `ZZZ`, place-of-manufacture code `C`).
    pub in_us: Option<bool>,
    /// The People's Republic of China (mainland; Xinjiang included).
    pub china: bool,
    /// Xinjiang / XUAR, by any of its names or its cities.
    pub xinjiang: bool,
}

/// Interim minimal form.
pub fn parse(v: &crate::cell::Value) -> Parsed<Location> {
    let t = v.to_text();
    let code = super::codes::code_part(&t).to_ascii_uppercase();
    if code.is_empty() {
        return Parsed::Blank;
    }
    let in_us = match code.as_str() {
        "USA" | "US" | "PRI" | "GUM" | "VIR" | "ASM" | "MNP" | "UMI" => Some(true),
        "ZZZ" => None,
        _ => Some(false),
    };
    Parsed::Ok(Location {
        china: code == "CHN",
        xinjiang: t.to_ascii_lowercase().contains("xinjiang"),
        code: Some(code),
        text: t.trim().to_string(),
        in_us,
    })
}

/// Interim minimal form.
pub fn parse_manufacture(v: &crate::cell::Value) -> Parsed<Location> {
    parse(v)
}

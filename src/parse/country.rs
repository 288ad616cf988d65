//! Countries and places: ISO codes, names, US states and outlying areas, FPDS
//! "CODE: DESCRIPTION" cells, place-of-manufacture codes, and Xinjiang spellings.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Parsed, quoted};
use crate::cell::Value;
use crate::memo::Memo;

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

/// The ISO 3166-1 table (`alpha3,alpha2,name,aliases`), kept as data so it can be reviewed
/// and extended without touching code.
const COUNTRIES_CSV: &str = include_str!("../../clauses/countries.csv");

/// ISO codes inside "the United States" (FAR 22.1702), from `clauses/places.toml`.
fn is_us_code(code: &str) -> bool {
    super::places::places()
        .united_states
        .codes
        .iter()
        .any(|c| c == code)
}

/// Hong Kong, Macao and Taiwan have their own ISO codes and are not mainland China; when a
/// longer text names one of them and China ("Hong Kong, China"), the specific place wins.
const NOT_MAINLAND: [&str; 3] = ["HKG", "MAC", "TWN"];

/// US states, DC and the territories by postal code: (postal, name, ISO alpha-3).
const US_STATES: &[(&str, &str, &str)] = &[
    ("AL", "Alabama", "USA"),
    ("AK", "Alaska", "USA"),
    ("AZ", "Arizona", "USA"),
    ("AR", "Arkansas", "USA"),
    ("CA", "California", "USA"),
    ("CO", "Colorado", "USA"),
    ("CT", "Connecticut", "USA"),
    ("DE", "Delaware", "USA"),
    ("DC", "District of Columbia", "USA"),
    ("FL", "Florida", "USA"),
    ("GA", "Georgia", "USA"),
    ("HI", "Hawaii", "USA"),
    ("ID", "Idaho", "USA"),
    ("IL", "Illinois", "USA"),
    ("IN", "Indiana", "USA"),
    ("IA", "Iowa", "USA"),
    ("KS", "Kansas", "USA"),
    ("KY", "Kentucky", "USA"),
    ("LA", "Louisiana", "USA"),
    ("ME", "Maine", "USA"),
    ("MD", "Maryland", "USA"),
    ("MA", "Massachusetts", "USA"),
    ("MI", "Michigan", "USA"),
    ("MN", "Minnesota", "USA"),
    ("MS", "Mississippi", "USA"),
    ("MO", "Missouri", "USA"),
    ("MT", "Montana", "USA"),
    ("NE", "Nebraska", "USA"),
    ("NV", "Nevada", "USA"),
    ("NH", "New Hampshire", "USA"),
    ("NJ", "New Jersey", "USA"),
    ("NM", "New Mexico", "USA"),
    ("NY", "New York", "USA"),
    ("NC", "North Carolina", "USA"),
    ("ND", "North Dakota", "USA"),
    ("OH", "Ohio", "USA"),
    ("OK", "Oklahoma", "USA"),
    ("OR", "Oregon", "USA"),
    ("PA", "Pennsylvania", "USA"),
    ("RI", "Rhode Island", "USA"),
    ("SC", "South Carolina", "USA"),
    ("SD", "South Dakota", "USA"),
    ("TN", "Tennessee", "USA"),
    ("TX", "Texas", "USA"),
    ("UT", "Utah", "USA"),
    ("VT", "Vermont", "USA"),
    ("VA", "Virginia", "USA"),
    ("WA", "Washington", "USA"),
    ("WV", "West Virginia", "USA"),
    ("WI", "Wisconsin", "USA"),
    ("WY", "Wyoming", "USA"),
    // Territories: the postal code equals the ISO alpha-2 code, so either reading agrees.
    ("PR", "Puerto Rico", "PRI"),
    ("GU", "Guam", "GUM"),
    ("VI", "U.S. Virgin Islands", "VIR"),
    ("AS", "American Samoa", "ASM"),
    ("MP", "Northern Mariana Islands", "MNP"),
    ("UM", "U.S. Minor Outlying Islands", "UMI"),
];

/// Extra spellings of DC.
const DC_ALIASES: [&str; 4] = [
    "Washington DC",
    "Washington, D.C.",
    "D.C.",
    "Washington D.C.",
];

/// Values that say the place is not given (FPDS `ZZZ` = "NONDISTRIBUTED"; `0` in
/// `vendorCountryCode`).
const UNSPECIFIED: [&str; 5] = ["zzz", "nondistributed", "unknown", "unknown country", "0"];

/// Placeholders that look like codes but mean "nothing here": refused rather than read as
/// Namibia (`NA`).
const PLACEHOLDERS: [&str; 6] = ["na", "n a", "tbd", "none", "not applicable", "nan"];

struct Table {
    by_alpha3: HashMap<String, String>,
    by_alpha2: HashMap<String, String>,
    by_name: HashMap<String, String>,
    state_by_postal: HashMap<&'static str, &'static str>,
    state_by_name: HashMap<String, &'static str>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Table {
            by_alpha3: HashMap::new(),
            by_alpha2: HashMap::new(),
            by_name: HashMap::new(),
            state_by_postal: HashMap::new(),
            state_by_name: HashMap::new(),
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(COUNTRIES_CSV.as_bytes());
        // A malformed row is skipped, not fatal; the unit tests check the table is whole.
        for rec in rdr.records().flatten() {
            let (Some(a3), Some(a2), Some(name)) = (rec.get(0), rec.get(1), rec.get(2)) else {
                continue;
            };
            let a3 = a3.trim().to_ascii_uppercase();
            t.by_alpha2
                .insert(a2.trim().to_ascii_uppercase(), a3.clone());
            t.by_name.insert(normalise(name), a3.clone());
            for alias in rec.get(3).unwrap_or("").split(';') {
                let key = normalise(alias);
                if !key.is_empty() {
                    t.by_name.entry(key).or_insert_with(|| a3.clone());
                }
            }
            t.by_alpha3.insert(a3.clone(), a3);
        }
        for &(postal, name, code) in US_STATES {
            t.state_by_postal.insert(postal, code);
            t.state_by_name.insert(normalise(name), code);
        }
        for alias in DC_ALIASES {
            t.state_by_name.insert(normalise(alias), "USA");
        }
        t
    })
}

/// Lowercase, strip accents and punctuation, collapse spaces, drop a leading or trailing
/// "the": `"Côte d'Ivoire"` -> `"cote divoire"`, `"Bahamas, The"` -> `"bahamas"`,
/// `"U.S."` -> `"us"`.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        match c {
            '.' | '\'' | '\u{2019}' | '`' => {}
            '&' => out.push_str(" and "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut words = &words[..];
    if words.len() > 1 && words[0] == "the" {
        words = &words[1..];
    }
    if words.len() > 1 && words[words.len() - 1] == "the" {
        words = &words[..words.len() - 1];
    }
    words.join(" ")
}

/// The accented letters that occur in country and place names.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

/// What one candidate string names: its ISO alpha-3 code (None for "not given") and
/// whether it is inside the United States.
type Place = (Option<&'static str>, Option<bool>);

fn place(code: &'static str) -> Place {
    (Some(code), Some(is_us_code(code)))
}

/// Look up one candidate: a code or a name, whole.
fn lookup_one(s: &str) -> Option<Place> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let t = table();
    let key = normalise(s);
    if UNSPECIFIED.contains(&key.as_str()) {
        return Some((None, None));
    }
    if PLACEHOLDERS.contains(&key.as_str()) {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        // A two-letter code is a US state when it is one (`CA` is California, not Canada):
        // US sheets use postal codes for states, while FPDS writes countries as 3 letters.
        if let Some(code) = t.state_by_postal.get(upper.as_str()) {
            return Some(place(code));
        }
        if let Some(code) = t.by_alpha2.get(&upper) {
            return Some(place(code.as_str()));
        }
    }
    if s.len() == 3
        && s.bytes().all(|b| b.is_ascii_alphabetic())
        && let Some((code, _)) = t.by_alpha3.get_key_value(upper.as_str())
    {
        return Some(place(code.as_str()));
    }
    // States before countries: a bare "Georgia" in a US contract sheet is the state.
    if let Some(code) = t.state_by_name.get(&key) {
        return Some(place(code));
    }
    t.by_name.get(&key).map(|code| place(code.as_str()))
}

fn location(text: &str, p: Place) -> Location {
    Location {
        code: p.0.map(str::to_string),
        text: text.to_string(),
        in_us: p.1,
        china: p.0 == Some("CHN"),
        xinjiang: false,
    }
}

fn xinjiang_location(text: &str) -> Location {
    Location {
        code: Some("CHN".into()),
        text: text.to_string(),
        in_us: Some(false),
        china: true,
        xinjiang: true,
    }
}

/// Find the place a whole text names: Xinjiang anywhere wins; then the text as a code or
/// name; then "CODE: DESCRIPTION"; then "made in X"; then comma/parenthesis-separated parts
/// ("Arlington, VA", "Shenzhen (China)"), the last recognised part winning unless an earlier
/// one is Hong Kong, Macao or Taiwan (a known place beats "unknown").
fn locate(text: &str) -> Option<Location> {
    if mentions_xinjiang(text) {
        return Some(xinjiang_location(text));
    }
    if let Some(p) = lookup_one(text) {
        return Some(location(text, p));
    }
    if let Some((code, desc)) = text.split_once(": ")
        && let Some(p) = lookup_one(code).or_else(|| lookup_one(desc))
    {
        return Some(location(text, p));
    }
    for prefix in [
        "made in ",
        "product of ",
        "manufactured in ",
        "mfg in ",
        "origin: ",
    ] {
        let rest = text
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .and_then(|_| text.get(prefix.len()..));
        if let Some(p) = rest.and_then(lookup_one) {
            return Some(location(text, p));
        }
    }
    let parts: Vec<&str> = text
        .split([',', '(', ')', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    let found: Vec<Place> = parts.iter().filter_map(|p| lookup_one(p)).collect();
    let best = found
        .iter()
        .find(|p| p.0.is_some_and(|c| NOT_MAINLAND.contains(&c)))
        .or_else(|| found.iter().rev().find(|p| p.0.is_some()))
        .or_else(|| found.last())?;
    Some(location(text, *best))
}

/// Parse a place of performance or country of origin: ISO alpha-3/alpha-2 codes, country
/// names and variants, FPDS "CODE: DESCRIPTION", US states and DC (name or postal code),
/// outlying areas (inside the US), and Xinjiang by any name (also inside longer text).
/// `ZZZ`, "NONDISTRIBUTED" and "UNKNOWN" are Ok with `in_us: None`.
pub fn parse(v: &Value) -> Parsed<Location> {
    thread_local! {
        static PARSED: RefCell<Memo<Parsed<Location>>> = RefCell::default();
    }
    match v {
        Value::Text(s) => PARSED.with_borrow_mut(|m| m.get_or(s, || parse_uncached(v))),
        _ => parse_uncached(v),
    }
}

fn parse_uncached(v: &Value) -> Parsed<Location> {
    let text = match v {
        Value::Empty => return Parsed::Blank,
        Value::Text(s) if s.trim().is_empty() => return Parsed::Blank,
        Value::Text(s) => s.trim(),
        // FPDS writes `vendorCountryCode` 0 for "not given", like `ZZZ`.
        Value::Int(0) => return Parsed::Ok(location("0", (None, None))),
        Value::Float(f) if *f == 0.0 => return Parsed::Ok(location("0", (None, None))),
        Value::Error(e) => {
            return Parsed::Bad(format!(
                "cell error {} is not a country or US state",
                quoted(e)
            ));
        }
        _ => {
            return Parsed::Bad(format!(
                "{} is not a country or US state",
                quoted(&v.to_text())
            ));
        }
    };
    match locate(text) {
        Some(loc) => Parsed::Ok(loc),
        None => Parsed::Bad(format!("{} is not a country or US state", quoted(text))),
    }
}

/// Parse an FPDS place-of-manufacture value: codes A-L bare or as "D: MFG IN U.S.", the
/// description alone as FPDS flat files print it, else a country via [`parse`].
///
/// A (made in the US by a foreign concern or with > 50% foreign content) and D count as
/// inside the US; B and E-L (made outside, for a stated reason) as outside; C (not a
/// manufactured end product) says nothing, so `in_us` is `None`.
pub fn parse_manufacture(v: &Value) -> Parsed<Location> {
    thread_local! {
        static PARSED: RefCell<Memo<Parsed<Location>>> = RefCell::default();
    }
    match v {
        Value::Text(s) => PARSED.with_borrow_mut(|m| m.get_or(s, || manufacture_uncached(s, v))),
        _ => parse(v),
    }
}

fn manufacture_uncached(s: &str, v: &Value) -> Parsed<Location> {
    let text = s.trim();
    let code = super::codes::code_part(text).to_ascii_uppercase();
    let letter = match code.as_bytes() {
        [c @ b'A'..=b'L'] => Some(*c),
        _ => None,
    };
    let in_us = match letter {
        Some(b'A' | b'D') => Some(Some(true)),
        Some(b'C') => Some(None),
        Some(_) => Some(Some(false)),
        None => manufacture_description(text),
    };
    match in_us {
        Some(in_us) => Parsed::Ok(Location {
            code: (in_us == Some(true)).then(|| "USA".to_string()),
            text: text.to_string(),
            in_us,
            china: false,
            xinjiang: false,
        }),
        None => parse(v),
    }
}

/// The FPDS description without its code ("MFG IN U.S.", "NOT A MANUFACTURED END
/// PRODUCT", "MFG OUTSIDE U.S."): `Some(in_us)` when recognised.
fn manufacture_description(text: &str) -> Option<Option<bool>> {
    let key = normalise(text);
    if key.contains("not a manufactured") {
        return Some(None);
    }
    let about_making =
        key.starts_with("mfg ") || key.starts_with("manufactured ") || key.starts_with("made ");
    if !about_making || mentions_xinjiang(text) {
        return None;
    }
    if key.contains("outside") {
        return Some(Some(false));
    }
    let rest = ["mfg in ", "manufactured in ", "made in "]
        .iter()
        .find_map(|p| key.strip_prefix(p))?;
    let rest = rest.strip_prefix("the ").unwrap_or(rest);
    let us = rest == "us"
        || rest.starts_with("us ")
        || rest.starts_with("usa")
        || rest.starts_with("united states");
    // Other countries ("Made in China") are left to `parse`, which keeps the code.
    us.then_some(Some(true))
}

/// True when free text names Xinjiang or one of its places (the one list in
/// `clauses/places.toml`), as whole words, case-insensitive ("Aral" does not fire inside
/// "Aralia", nor "Ili" inside "Ilium"; "Aral Sea" is elsewhere).
pub fn mentions_xinjiang(text: &str) -> bool {
    super::places::global().place_in(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn loc(s: &str) -> Location {
        match parse(&t(s)) {
            Parsed::Ok(l) => l,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    fn code(s: &str) -> String {
        loc(s).code.unwrap_or_default()
    }

    fn bad(v: Value) -> String {
        match parse(&v) {
            Parsed::Bad(r) => r,
            other => panic!("{v:?} should be Bad, got {other:?}"),
        }
    }

    #[test]
    fn table_is_whole() {
        let t = table();
        assert!(t.by_alpha3.len() >= 249, "{}", t.by_alpha3.len());
        assert_eq!(t.by_alpha2.len(), t.by_alpha3.len());
        assert_eq!(US_STATES.len(), 57);
    }

    #[test]
    fn united_states() {
        for s in [
            "USA",
            "usa",
            "US",
            "U.S.",
            "U.S.A.",
            "United States",
            "United States of America",
            "UNITED STATES",
            "USA: UNITED STATES OF AMERICA",
            "USA: UNITED STATES",
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some("USA"), "{s:?}");
            assert_eq!(l.in_us, Some(true), "{s:?}");
            assert!(!l.china && !l.xinjiang);
            assert_eq!(l.text, s);
        }
        assert_eq!(loc("  USA ").text, "USA");
    }

    #[test]
    fn china_and_neighbours() {
        for s in [
            "CHN",
            "CN",
            "CHN: CHINA",
            "China",
            "CHINA",
            "People's Republic of China",
            "PRC",
            "P.R.C.",
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some("CHN"), "{s:?}");
            assert!(l.china && !l.xinjiang, "{s:?}");
            assert_eq!(l.in_us, Some(false));
        }
        for (s, c) in [
            ("Hong Kong", "HKG"),
            ("HKG", "HKG"),
            ("Hong Kong SAR, China", "HKG"),
            ("Hong Kong, China", "HKG"),
            ("Taiwan", "TWN"),
            ("Taiwan, Province of China", "TWN"),
            ("Republic of China", "TWN"),
            ("Macau", "MAC"),
            ("Macao", "MAC"),
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some(c), "{s:?}");
            assert!(!l.china, "{s:?} is not mainland China");
        }
    }

    #[test]
    fn names_and_variants() {
        assert_eq!(code("Viet Nam"), "VNM");
        assert_eq!(code("Vietnam"), "VNM");
        assert_eq!(code("VNM: VIETNAM"), "VNM");
        assert_eq!(code("Korea, South"), "KOR");
        assert_eq!(code("South Korea"), "KOR");
        assert_eq!(code("Korea, North"), "PRK");
        assert_eq!(code("BRA: BRAZIL"), "BRA");
        assert_eq!(code("IRAQ"), "IRQ");
        assert_eq!(code("Côte d'Ivoire"), "CIV");
        assert_eq!(code("Cote d’Ivoire"), "CIV");
        assert_eq!(code("Bahamas, The"), "BHS");
        assert_eq!(code("Burma"), "MMR");
        assert_eq!(code("United Kingdom"), "GBR");
        assert_eq!(code("UK"), "GBR");
        assert_eq!(code("Türkiye"), "TUR");
        assert_eq!(code("Turkey"), "TUR");
        assert_eq!(code("russia"), "RUS");
        assert_eq!(code("Made in Vietnam"), "VNM");
        assert_eq!(code("Shenzhen, Guangdong, China"), "CHN");
        assert_eq!(code("Dhaka (Bangladesh)"), "BGD");
        assert!(loc("Shenzhen, China").china);
        assert_eq!(code("China, unknown"), "CHN");
        assert_eq!(code("Taipei (Taiwan), China"), "TWN");
        assert_eq!(code("United States (Puerto Rico)"), "PRI");
    }

    #[test]
    fn states_and_postal_codes() {
        for s in [
            "VA",
            "va",
            "Virginia",
            "CA",
            "California",
            "DC",
            "District of Columbia",
            "Washington, D.C.",
            "DC: District of Columbia",
            "CA: California",
            "TX: Texas",
            "Georgia",
            "Arlington, VA",
            "Norfolk, Virginia, USA",
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some("USA"), "{s:?}");
            assert_eq!(l.in_us, Some(true), "{s:?}");
        }
        // Two letters that are not a state are ISO alpha-2.
        assert_eq!(code("DE"), "USA"); // Delaware, not Germany
        assert_eq!(code("IN"), "USA"); // Indiana, not India
        assert_eq!(code("FR"), "FRA");
        assert_eq!(code("CN"), "CHN");
        assert_eq!(code("MX"), "MEX");
        assert_eq!(code("CAN"), "CAN");
        assert_eq!(code("Canada"), "CAN");
        assert_eq!(code("New Mexico"), "USA");
        assert_eq!(code("Mexico"), "MEX");
        assert_eq!(code("GEO"), "GEO");
    }

    #[test]
    fn outlying_areas_are_inside() {
        for (s, c) in [
            ("Puerto Rico", "PRI"),
            ("PR", "PRI"),
            ("PRI", "PRI"),
            ("Northern Mariana Islands", "MNP"),
            ("MNP", "MNP"),
            ("American Samoa", "ASM"),
            ("Guam", "GUM"),
            ("GU", "GUM"),
            ("U.S. Virgin Islands", "VIR"),
            ("Virgin Islands, U.S.", "VIR"),
            ("VIR", "VIR"),
            ("UMI", "UMI"),
            ("Baker Island", "UMI"),
            ("Howland Island", "UMI"),
            ("Jarvis Island", "UMI"),
            ("Johnston Atoll", "UMI"),
            ("Kingman Reef", "UMI"),
            ("Midway Islands", "UMI"),
            ("Navassa Island", "UMI"),
            ("Palmyra Atoll", "UMI"),
            ("Wake Island", "UMI"),
            ("Wake Atoll", "UMI"),
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some(c), "{s:?}");
            assert_eq!(l.in_us, Some(true), "{s:?}");
        }
        for (s, c) in [
            ("Micronesia", "FSM"),
            ("Federated States of Micronesia", "FSM"),
            ("FSM", "FSM"),
            ("Marshall Islands", "MHL"),
            ("MHL", "MHL"),
            ("Palau", "PLW"),
            ("PLW", "PLW"),
            ("British Virgin Islands", "VGB"),
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some(c), "{s:?}");
            assert_eq!(l.in_us, Some(false), "{s:?}");
        }
    }

    #[test]
    fn unspecified() {
        for s in [
            "ZZZ",
            "zzz",
            "NONDISTRIBUTED",
            "ZZZ: NONDISTRIBUTED",
            "Unknown",
        ] {
            let l = loc(s);
            assert_eq!(l.code, None, "{s:?}");
            assert_eq!(l.in_us, None, "{s:?}");
        }
    }

    #[test]
    fn xinjiang_anywhere() {
        for s in [
            "Xinjiang",
            "XUAR",
            "Xinjiang Uyghur Autonomous Region",
            "Xinjiang Uygur Autonomous Region",
            "Xinjiang Uighur Autonomous Region",
            "East Turkestan",
            "Uyghur Region",
            "Urumqi",
            "Ürümqi",
            "ÜRÜMQI",
            "Wulumuqi",
            "Kashgar",
            "Kashi",
            "Hotan",
            "Hetian",
            "Khotan",
            "Aksu",
            "Turpan",
            "Turfan",
            "Tulufan",
            "Shihezi",
            "Karamay",
            "Kelamayi",
            "Korla",
            "Yining",
            "Ghulja",
            "Ili",
            "Yili",
            "Hami",
            "Kumul",
            "Changji",
            "Bortala",
            "Bayingolin",
            "Kizilsu",
            "Altay",
            "Tacheng",
            "Wujiaqu",
            "Tumxuk",
            "Aral",
            "Bingtuan",
            "XPCC",
            "Urumqi, Xinjiang, China",
            "CHN: CHINA (XINJIANG)",
            "新疆维吾尔自治区",
        ] {
            let l = loc(s);
            assert_eq!(l.code.as_deref(), Some("CHN"), "{s:?}");
            assert!(l.china && l.xinjiang, "{s:?}");
            assert_eq!(l.in_us, Some(false), "{s:?}");
        }
    }

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions_xinjiang(
            "cotton sourced from xinjiang via Vietnam"
        ));
        assert!(mentions_xinjiang("Supplier: Hotan Textile Co."));
        assert!(mentions_xinjiang("made in Aksu."));
        assert!(mentions_xinjiang("XINJIANG-made yarn"));
        assert!(mentions_xinjiang(
            "plant in Ili Kazakh Autonomous Prefecture"
        ));
        assert!(!mentions_xinjiang("Aralia shrubs"));
        assert!(!mentions_xinjiang("Korlan Ltd"));
        assert!(!mentions_xinjiang("Aksum, Ethiopia"));
        assert!(!mentions_xinjiang("Ilium and Yilin"));
        assert!(!mentions_xinjiang("Altayeb trading"));
        assert!(!mentions_xinjiang("the Aral Sea basin"));
        assert!(!mentions_xinjiang("Altay Krai, Russia"));
        assert!(!mentions_xinjiang("Hamilton, Ontario"));
        assert!(!mentions_xinjiang(
            "Kashida brand; Shami; tacheometer; akimbo"
        ));
        assert!(!mentions_xinjiang("Uyghur workers' rights report"));
        assert!(!mentions_xinjiang(""));
    }

    #[test]
    fn unrecognised_is_bad() {
        assert_eq!(
            bad(t("Atlantis")),
            "\"Atlantis\" is not a country or US state"
        );
        assert!(bad(t("N/A")).contains("\"N/A\""));
        assert!(
            bad(t("NA")).contains("\"NA\""),
            "NA is a placeholder, not Namibia"
        );
        assert!(bad(t("TBD")).contains("\"TBD\""));
        assert!(bad(t("XX")).contains("\"XX\""));
        assert!(bad(Value::Int(7)).contains("\"7\""));
        assert!(bad(Value::Float(1.5)).contains("\"1.5\""));
        match parse(&Value::Int(0)) {
            Parsed::Ok(l) => assert_eq!((l.code, l.in_us), (None, None)),
            other => panic!("{other:?}"),
        }
        assert!(bad(Value::Error("#N/A".into())).contains("#N/A"));
        assert_eq!(parse(&Value::Empty), Parsed::Blank);
        assert_eq!(parse(&t(" \t")), Parsed::Blank);
    }

    #[test]
    fn manufacture_codes() {
        let m = |s: &str| match parse_manufacture(&t(s)) {
            Parsed::Ok(l) => l,
            other => panic!("{s:?}: {other:?}"),
        };
        for s in [
            "A",
            "D",
            "d",
            "D: MFG IN U.S.",
            "MFG IN U.S.",
            "A: MFG IN U.S. BY FOREIGN CONCERN",
        ] {
            let l = m(s);
            assert_eq!(l.in_us, Some(true), "{s:?}");
            assert_eq!(l.code.as_deref(), Some("USA"), "{s:?}");
        }
        for s in [
            "B",
            "E",
            "F",
            "G",
            "H",
            "I",
            "J",
            "K",
            "L",
            "B: MFG OUTSIDE U.S.",
            "E: MFG OUTSIDE U.S. - USE OUTSIDE THE U.S.",
            "MFG OUTSIDE U.S.",
        ] {
            let l = m(s);
            assert_eq!(l.in_us, Some(false), "{s:?}");
            assert_eq!(l.code, None, "{s:?}");
        }
        for s in [
            "C",
            "C: NOT A MANUFACTURED END PRODUCT",
            "NOT A MANUFACTURED END PRODUCT",
        ] {
            let l = m(s);
            assert_eq!(l.in_us, None, "{s:?}");
        }
        assert_eq!(m("China").code.as_deref(), Some("CHN"));
        assert_eq!(m("Made in China").code.as_deref(), Some("CHN"));
        assert!(m("Kashgar").xinjiang);
        assert!(matches!(parse_manufacture(&t("M")), Parsed::Bad(r) if r.contains("\"M\"")));
        assert_eq!(parse_manufacture(&Value::Empty), Parsed::Blank);
    }

    /// A deterministic LCG feeding messy strings and values to every parser: none may panic.
    #[test]
    fn fuzz_all_parsers_never_panic() {
        use crate::parse::{codes, date, money, yesno};
        const POOL: &[&str] = &[
            "0",
            "1",
            "2",
            "9",
            "12",
            "31",
            "2024",
            "/",
            "-",
            ".",
            ",",
            ":",
            ": ",
            " ",
            "\t",
            "\n",
            "\0",
            "\u{7f}",
            "$",
            "(",
            ")",
            "M",
            "k",
            "B",
            "e",
            "E",
            "+",
            "USD",
            "Jan",
            "xinjiang",
            "Ürümqi",
            "ü",
            "中",
            "新疆",
            "🦀",
            "\u{200b}",
            "\u{feff}",
            "é",
            "'",
            "’",
            "&",
            "T",
            "Z",
            "PM",
            "CA",
            "USA",
            "A",
            "D",
            "N/A",
            "ZZZ",
            "Made in ",
            "Aral",
            "\u{2212}",
            "Korea, South",
            "\u{10ffff}",
            "Σ",
            "ß",
            "İ",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for i in 0..4000 {
            let n = next() % 12;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(POOL[next() % POOL.len()]);
            }
            let v = match i % 7 {
                0 => Value::Int(next() as i64 * if i % 2 == 0 { 1 } else { -1 } * 977),
                1 => Value::Float(f64::from_bits((next() as u64) << 31 | next() as u64)),
                _ => Value::Text(s),
            };
            let _ = money::parse(&v);
            let _ = date::parse(&v);
            let _ = yesno::parse(&v);
            let _ = yesno::parse_commercial(&v);
            let _ = yesno::evidence(&v);
            let _ = codes::psc(&v);
            let _ = codes::naics(&v);
            let _ = parse(&v);
            let _ = parse_manufacture(&v);
            let text = v.to_text();
            let _ = codes::code_part(&text);
            let _ = mentions_xinjiang(&text);
        }
        let extremes = [
            Value::Int(i64::MIN),
            Value::Int(i64::MAX),
            Value::Float(f64::MAX),
            Value::Float(f64::MIN_POSITIVE),
            Value::Float(-0.0),
            Value::Text("9".repeat(400)),
            Value::Text("1,".repeat(100_000)),
            Value::Text("Xinjiang ".repeat(50_000)),
            Value::Text("é".repeat(100_000)),
            Value::Text("(".to_string()),
            Value::Text("Aral Sea ".repeat(50_000)),
            Value::Text("$".repeat(100_000)),
            Value::Text(format!("{}1{}", "(".repeat(50_000), ")".repeat(50_000))),
            Value::Text(format!("{}1", "-$".repeat(50_000))),
            Value::Text(", ".repeat(100_000)),
            Value::Text(format!("CHN: {}", "x".repeat(100_000))),
            Value::Text(")".to_string()),
        ];
        for v in &extremes {
            let _ = money::parse(v);
            let _ = date::parse(v);
            let _ = yesno::parse(v);
            let _ = yesno::parse_commercial(v);
            let _ = yesno::evidence(v);
            let _ = codes::psc(v);
            let _ = codes::naics(v);
            let _ = parse(v);
            let _ = parse_manufacture(v);
            let _ = mentions_xinjiang(&v.to_text());
        }
    }
}

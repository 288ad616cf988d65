//! Entity screening (ENT001): screening-list loaders (plain CSV, trade.gov Consolidated
//! Screening List, OpenSanctions targets.simple.csv, FollowTheMoney JSON lines), name
//! normalisation and a scored fuzzy matcher with an inverted index built once per run.
//!
//! Precision first: a legal form or a generic word alone never matches, and a list entry
//! made only of generic words and place names (e.g. "Xinjiang Energy (Group) Co., Ltd.")
//! matches only the same name.

mod csv_list;
mod ftm;
mod grammar;
mod load;
mod screener;
#[cfg(test)]
mod tests;
mod words;

pub use grammar::{name_tokens, parse_official_name};
pub use load::{ListFormat, detect_format, load_entities, parse_entities};
pub use screener::{EntityMatch, Screener};

/// One screening-list entry, keeping the list it came from for the finding.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityEntry {
    /// The primary name, cleaned of the official alias grammar.
    pub name: String,
    pub aliases: Vec<String>,
    /// The list: "UFLPA Entity List", "CBP WRO/Finding", "Entity List (EL) - Bureau of ...".
    pub list: String,
    /// Where the entry was read: notice, page or file.
    pub source: String,
    /// Effective or listing date as given (free text; may be empty).
    pub date: String,
    /// The list names the entity "and subsidiaries" / "subordinate and affiliated entities".
    pub subsidiaries: bool,
}

/// Score at and above which a name is reported.
pub const MATCH_THRESHOLD: f64 = 0.8;

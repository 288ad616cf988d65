//! Forced-labor risk data compiled once per run: high-risk goods categories, the Xinjiang
//! place matcher, the entity screener and the M-20-01 practices.

pub mod categories;
pub mod entities;
pub mod matcher;
pub mod portion;
pub mod practices;

use std::path::Path;

use crate::rules::DataFiles;
use crate::rules::legal::source_problem;

pub use crate::parse::places::XinjiangMatcher;
pub use categories::{Category, Specificity};
pub use entities::{EntityEntry, Screener, load_entities, parse_entities};
pub use matcher::CategoryMatcher;
pub use practices::{Practice, evidence_fields};

/// Everything the RISK, ENT and BP checks need, built from the rule data.
pub struct RiskData {
    pub categories: CategoryMatcher,
    pub xinjiang: XinjiangMatcher,
    pub screener: Screener,
    pub practices: Vec<Practice>,
}

impl RiskData {
    pub fn load(files: &DataFiles) -> anyhow::Result<RiskData> {
        let seed_name = "entities.csv";
        let seeds = match files.get(seed_name) {
            Some(text) => parse_entities(text, seed_name)
                .map_err(|e| anyhow::anyhow!("{}: {e:#}", files.path_of(seed_name)))?,
            None => Vec::new(),
        };
        Ok(RiskData {
            categories: CategoryMatcher::load(files)?,
            xinjiang: XinjiangMatcher::new(),
            screener: Screener::new(seeds),
            practices: practices::load_practices(files)?,
        })
    }

    /// Add `--entities FILE` lists to the screener.
    pub fn add_entities(&mut self, entries: Vec<EntityEntry>) {
        self.screener.extend(entries);
    }
}

/// Validate a rules directory: the rule data (`rules::check_dir`), then the risk data.
/// Every problem in every file, each naming its file.
pub fn check_dir(dir: &Path) -> Result<(), Vec<String>> {
    let files = DataFiles::from_dir(dir).map_err(|e| vec![format!("{e:#}")])?;
    let mut errors = crate::rules::load_all(&files).err().unwrap_or_default();
    // The place lists (FAR 22.1702 "United States", Xinjiang) are built in for the location
    // parser; a copy in the directory is checked like the other facts.
    let places = dir.join("places.toml");
    if let Ok(text) = std::fs::read_to_string(&places)
        && let Err(e) = crate::parse::places::parse_places(&text, source_problem)
    {
        errors.push(format!("{}: {e:#}", places.display()));
    }
    // The risk data: categories, word lists and severity policy, practices, and the seed
    // screening list, each entry of which must name its source.
    if let Err(e) = RiskData::load(&files) {
        errors.push(format!("{e:#}"));
    }
    let seeds = "entities.csv";
    if let Some(text) = files.get(seeds) {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let headers = rdr.headers().cloned().unwrap_or_default();
        let col = |n: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        };
        let (name, source) = (col("name"), col("source"));
        for (i, rec) in rdr.records().flatten().enumerate() {
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
            if let Some(problem) = source_problem(get(source)) {
                errors.push(format!(
                    "{}:{}: {}: source: {problem}",
                    files.path_of(seeds),
                    i + 2,
                    get(name)
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `tipaudit categories`: each high-risk goods category with its basis, codes and keywords.
pub fn render_categories(categories: &CategoryMatcher) -> String {
    format!("{CATEGORY_LEGEND}\n{}", categories.render())
}

/// What the marks in `tipaudit categories` mean: every mark shown is explained.
pub const CATEGORY_LEGEND: &str = "\
High-risk goods categories: a record matches one by its description words, PSC or NAICS code.
Marks:
  (H) (M) (L)  after a PSC or NAICS code: how specific the code is to the goods (high, medium,
               low); a match on a low-specificity code alone is reported as low risk;
               \"with keyword\": the code counts only with a description word of the category
  [V]          the basis was read in the official text (Federal Register, CBP, DOL list)
  [S]          the basis was read only in a secondary source: confirm it in the official text
  [U]          not verified: confirm it before relying on it
";

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_text(name: &str) -> String {
        DataFiles::builtin().get(name).expect(name).to_string()
    }

    /// Write `files` into a fresh directory and run `check_dir` on it.
    fn check_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<(), Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let r = check_dir(dir.path());
        (dir, r)
    }

    #[test]
    fn builtin_copy_passes_and_rule_data_errors_come_first() {
        let places = include_str!("../../clauses/places.toml");
        let mut files: Vec<(&str, String)> = crate::rules::DATA_FILE_NAMES
            .iter()
            .map(|n| (*n, builtin_text(n)))
            .collect();
        files.push(("places.toml", places.to_string()));
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let (_dir, r) = check_with(&refs);
        assert_eq!(r, Ok(()));

        let rules =
            builtin_text("rules.toml").replacen("when = [\"dod\"]", "when = [\"is_dod\"]", 1);
        let bad = places.replacen("source = \"FAR 22.1702;", "source = \"REFERENCE.md 4;", 1);
        assert_ne!(bad, places);
        let (_dir, r) = check_with(&[("places.toml", &bad), ("rules.toml", &rules)]);
        let errs = r.unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert!(
            errs[0].contains("rules.toml") && errs[0].contains("is_dod"),
            "{errs:#?}"
        );
        assert!(
            errs[1].contains("places.toml") && errs[1].contains("united_states.source"),
            "{errs:#?}"
        );
    }

    #[test]
    fn places_without_a_source_fail_check_rules() {
        let text = include_str!("../../clauses/places.toml");
        let (_, r) = check_with(&[("places.toml", text)]);
        assert!(r.is_ok(), "{r:?}");
        let bad = text.replacen("source = \"FAR 22.1702;", "source = \"REFERENCE.md 4;", 1);
        assert_ne!(bad, text);
        let (_, r) = check_with(&[("places.toml", &bad)]);
        let errs = r.unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.contains("places.toml") && e.contains("united_states.source")),
            "{errs:?}"
        );
    }

    #[test]
    fn a_screening_entry_or_practice_without_a_source_fails() {
        let text = builtin_text("entities.csv").replacen(
            ",UFLPA Entity List,FR Doc 2025-00901,2025-01-15",
            ",UFLPA Entity List,,2025-01-15",
            1,
        );
        assert_ne!(text, builtin_text("entities.csv"));
        let (_, r) = check_with(&[("entities.csv", &text)]);
        let errs = r.unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.contains("entities.csv") && e.contains("no source")),
            "{errs:?}"
        );
        let text = builtin_text("practices.toml").replacen(
            "source = \"FAR 52.222-50(b)(4)\"",
            "source = \"REFERENCE.md 5\"",
            1,
        );
        let (_, r) = check_with(&[("practices.toml", &text)]);
        let errs = r.unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.contains("BP-06") && e.contains("REFERENCE.md")),
            "{errs:?}"
        );
    }
}

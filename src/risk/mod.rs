//! Forced-labor risk data compiled once per run: high-risk goods categories, the Xinjiang
//! place matcher, the entity screener and the M-20-01 practices.

pub mod categories;
pub mod entities;
pub mod portion;
pub mod practices;
pub mod xinjiang;

use crate::rules::DataFiles;

pub use categories::{Category, CategoryMatcher, Specificity};
pub use entities::{EntityEntry, Screener, load_entities, parse_entities};
pub use practices::{Practice, evidence_fields};
pub use xinjiang::XinjiangMatcher;

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
                .map_err(|e| anyhow::anyhow!("{}: {e}", files.path_of(seed_name)))?,
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

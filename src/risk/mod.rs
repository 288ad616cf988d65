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
    categories.render()
}

//! High-risk goods categories (`clauses/risk.toml`): their data, loaded and validated. The
//! matcher compiled from them is [`super::matcher`].

use serde::Deserialize;

use crate::parse::normalize;
use crate::rules::DataFiles;

/// How much a match says about the category (REFERENCE.md section 6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Specificity {
    /// Broad: only together with a keyword.
    #[serde(rename = "L", alias = "low")]
    Low,
    /// The category is a main part of the code.
    #[serde(rename = "M", alias = "medium")]
    Medium,
    /// The code or phrase is essentially the category.
    #[serde(rename = "H", alias = "high")]
    High,
}

impl Specificity {
    pub fn letter(self) -> &'static str {
        match self {
            Specificity::Low => "L",
            Specificity::Medium => "M",
            Specificity::High => "H",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum BasisKind {
    /// UFLPA high-priority sector.
    #[serde(rename = "UFLPA")]
    Uflpa,
    /// CBP withhold release order or finding.
    #[serde(rename = "WRO")]
    Wro,
    /// DOL TVPRA list (China row).
    #[serde(rename = "DOL")]
    Dol,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    pub kind: BasisKind,
    pub text: String,
    /// Source tag as in REFERENCE.md: V, S or U.
    pub tag: String,
    /// DOL good names as printed in the DOL list (checked against the real XML in tests).
    #[serde(default)]
    pub dol_goods: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keywords {
    #[serde(default)]
    pub high: Vec<String>,
    #[serde(default)]
    pub medium: Vec<String>,
    #[serde(default)]
    pub low: Vec<String>,
    /// Words that name a good of the category but also other things ("server", "hardware"):
    /// they count only next to a code of the category marked `context`, and never alone.
    #[serde(default)]
    pub context: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub code: String,
    pub title: String,
    pub specificity: Specificity,
    /// This code counts only when a keyword of the category also matched (the code covers
    /// other goods too, e.g. NAICS 331410 is also gold and silver refining).
    #[serde(default)]
    pub with_keyword: bool,
    /// A code of low specificity that counts with a context word of its category as well as
    /// with a keyword (general IT hardware under PSC 7035 with "servers" in the text).
    #[serde(default)]
    pub context: bool,
    /// The NAICS edition of a code retired before the 2017 edition (FPDS keeps the code a
    /// record was awarded under, so older records carry 2002/2007 codes). `None`: 2017.
    #[serde(default)]
    pub edition: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hts {
    pub code: String,
    pub tag: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub basis: Vec<Basis>,
    #[serde(default)]
    pub keywords: Keywords,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub exclude_psc: Vec<String>,
    #[serde(default)]
    pub china_origin_only: bool,
    /// Codes of this category count only when a keyword of the category also matched.
    #[serde(default)]
    pub code_needs_keyword: bool,
    /// Its low-specificity keywords name goods themselves ("laptop"), not a material: they
    /// need no product word next to them.
    #[serde(default)]
    pub low_keywords_are_goods: bool,
    #[serde(default)]
    pub psc: Vec<Code>,
    #[serde(default)]
    pub naics: Vec<Code>,
    #[serde(default)]
    pub hts: Vec<Hts>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Category {
    /// A UFLPA sector or WRO basis: the one that makes China/unknown-origin matches high.
    pub fn has_import_ban_basis(&self) -> bool {
        self.basis
            .iter()
            .any(|b| matches!(b.kind, BasisKind::Uflpa | BasisKind::Wro))
    }

    /// One line naming the basis kinds, e.g. `UFLPA 2022; WRO; DOL`.
    pub fn basis_summary(&self) -> String {
        self.basis
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskFile {
    /// Words that name a physical good ("bar", "cable", "blank"): a low-specificity keyword
    /// counts only next to one.
    #[serde(default)]
    product_words: Vec<String>,
    /// Words that make a description about a good rather than the good ("study", "survey",
    /// "test samples"): its keywords are not counted.
    #[serde(default)]
    not_the_good: Vec<String>,
    severity: SeverityPolicy,
    category: Vec<Category>,
}

/// The RISK001 severity policy (`[severity]` in risk.toml); the first case that holds wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityPolicy {
    /// A match of low specificity.
    pub low_specificity: crate::model::Severity,
    /// Goods made in the United States: a category alone says nothing about them.
    pub us_origin: crate::model::Severity,
    /// A UFLPA-sector or WRO basis, and the origin China, Xinjiang, or unknown for supplies.
    pub import_ban_china_or_unknown: crate::model::Severity,
    /// Everything else (DOL basis only, or another origin).
    pub otherwise: crate::model::Severity,
    pub source: String,
}

impl Default for SeverityPolicy {
    fn default() -> Self {
        use crate::model::Severity::*;
        SeverityPolicy {
            low_specificity: Low,
            us_origin: Low,
            import_ban_china_or_unknown: High,
            otherwise: Medium,
            source: String::new(),
        }
    }
}

/// The word lists of `risk.toml`, normalised (`" bar "`), with plural forms.
#[derive(Debug, Clone, Default)]
pub struct WordLists {
    pub(super) product_words: Vec<String>,
    pub(super) not_the_good: Vec<String>,
    pub severity: SeverityPolicy,
}

fn word_forms(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|w| variants(w))
        .map(|v| format!(" {v} "))
        .collect()
}

/// Parse the word lists of `risk.toml` (validated with the categories).
pub fn load_words(files: &DataFiles) -> anyhow::Result<WordLists> {
    let name = "risk.toml";
    let text = files
        .get(name)
        .ok_or_else(|| anyhow::anyhow!("{} is missing", files.path_of(name)))?;
    let parsed: RiskFile =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", files.path_of(name)))?;
    if let Some(problem) = crate::rules::legal::source_problem(&parsed.severity.source) {
        anyhow::bail!("{}: severity.source: {problem}", files.path_of(name));
    }
    Ok(WordLists {
        product_words: word_forms(&parsed.product_words),
        not_the_good: word_forms(&parsed.not_the_good),
        severity: parsed.severity,
    })
}

/// Parse and validate `risk.toml`.
pub fn load_categories(files: &DataFiles) -> anyhow::Result<Vec<Category>> {
    let name = "risk.toml";
    let text = files
        .get(name)
        .ok_or_else(|| anyhow::anyhow!("{} is missing", files.path_of(name)))?;
    let parsed: RiskFile =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", files.path_of(name)))?;
    let mut seen = std::collections::HashSet::new();
    for c in &parsed.category {
        let at = || format!("{}: category {}", files.path_of(name), c.id);
        if !seen.insert(c.id.clone()) {
            anyhow::bail!("{}: duplicate category id", at());
        }
        if c.basis.is_empty() {
            anyhow::bail!("{}: no basis", at());
        }
        // Each basis is its own source (the sector, order or list and its date).
        for b in &c.basis {
            if let Some(problem) = crate::rules::legal::source_problem(&b.text) {
                anyhow::bail!("{}: basis: {problem}", at());
            }
        }
        let kw = &c.keywords;
        if kw.high.is_empty() && kw.medium.is_empty() && kw.low.is_empty() && c.psc.is_empty() {
            anyhow::bail!("{}: no keyword and no PSC", at());
        }
        let context_codes = c.psc.iter().chain(&c.naics).filter(|x| x.context);
        for x in context_codes.clone() {
            if x.specificity != Specificity::Low {
                anyhow::bail!(
                    "{}: code {}: context = true needs specificity L",
                    at(),
                    x.code
                );
            }
        }
        if kw.context.is_empty() != (context_codes.count() == 0) {
            anyhow::bail!(
                "{}: keywords.context and codes with context = true go together",
                at()
            );
        }
        for k in kw
            .high
            .iter()
            .chain(&kw.medium)
            .chain(&kw.low)
            .chain(&kw.context)
            .chain(&c.exclude)
        {
            if normalize(k).trim().is_empty() {
                anyhow::bail!("{}: empty keyword or exclusion {k:?}", at());
            }
        }
    }
    Ok(parsed.category)
}

/// The keyword and its plural forms (last word + s / es, y -> ies). Over-generation is
/// harmless: a form that is no English word never occurs in the text.
pub(super) fn variants(keyword: &str) -> Vec<String> {
    let base = normalize(keyword).trim().to_string();
    let mut v = vec![base.clone(), format!("{base}s"), format!("{base}es")];
    if let Some(stem) = base.strip_suffix('y') {
        v.push(format!("{stem}ies"));
    }
    v
}

pub fn kind_name(k: BasisKind) -> &'static str {
    match k {
        BasisKind::Uflpa => "UFLPA",
        BasisKind::Wro => "WRO",
        BasisKind::Dol => "DOL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_data_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let load = |text: &str| {
            std::fs::write(dir.path().join("risk.toml"), text).unwrap();
            load_categories(&DataFiles::from_dir(dir.path()).unwrap())
        };
        let policy = "[severity]\nlow_specificity = \"low\"\nus_origin = \"low\"\nimport_ban_china_or_unknown = \"high\"\notherwise = \"medium\"\nsource = \"UFLPA sec. 3\"\n";
        let bad = format!("{policy}[[category]]\nid = \"x\"\nname = \"X\"\nbasis = []\n");
        let bad = bad.as_str();
        // The severity policy is data and must be there.
        assert!(load("[[category]]\nid = \"x\"\nname = \"X\"\nbasis = []\n").is_err());
        assert!(load(bad).unwrap_err().to_string().contains("no basis"));
        assert!(
            load(&format!("{bad}keyword = []\n")).is_err(),
            "unknown key"
        );
        // Context words and context codes go together; a context code is L.
        let cat = "[[category]]\nid = \"x\"\nname = \"X\"\nbasis = [{ kind = \"DOL\", text = \"DOL TVPRA list 2023, China: Electronics\", tag = \"V\" }]\n";
        let code = |spec: &str| {
            format!(
                "psc = [{{ code = \"7035\", title = \"T\", specificity = \"{spec}\", context = true }}]\n"
            )
        };
        let words = "keywords.context = [\"server\"]\n";
        assert!(load(&format!("{policy}{cat}{words}{}", code("L"))).is_ok());
        let err = load(&format!("{policy}{cat}{words}{}", code("M"))).unwrap_err();
        assert!(err.to_string().contains("needs specificity L"), "{err}");
        let err = load(&format!("{policy}{cat}{}", code("L"))).unwrap_err();
        assert!(err.to_string().contains("go together"), "{err}");
        let err = load(&format!(
            "{policy}{cat}{words}keywords.low = [\"laptop\"]\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("go together"), "{err}");
    }
}

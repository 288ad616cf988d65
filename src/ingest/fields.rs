//! Record fields and their column-name synonyms (`clauses/fields.toml`).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

/// The fields of CONTRACT.md section 2 that a column can map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    ContractId,
    Modification,
    ParentId,
    Transaction,
    RecordType,
    Date,
    Value,
    ValueOutsideUs,
    PlaceOfPerformance,
    CountryOfOrigin,
    PlaceOfManufacture,
    Commercial,
    Cots,
    DirectivesNotified,
    Vendor,
    VendorId,
    Manufacturer,
    Description,
    Psc,
    Naics,
    Agency,
    Office,
    Clauses,
    ClauseAlternate,
    ClauseDate,
    ClauseTitle,
    ClauseIncluded,
    ClauseMethod,
}

pub const ALL_FIELDS: &[(FieldId, &str)] = &[
    (FieldId::ContractId, "contract_id"),
    (FieldId::Modification, "modification"),
    (FieldId::ParentId, "parent_id"),
    (FieldId::Transaction, "transaction"),
    (FieldId::RecordType, "record_type"),
    (FieldId::Date, "date"),
    (FieldId::Value, "value"),
    (FieldId::ValueOutsideUs, "value_outside_us"),
    (FieldId::PlaceOfPerformance, "place_of_performance"),
    (FieldId::CountryOfOrigin, "country_of_origin"),
    (FieldId::PlaceOfManufacture, "place_of_manufacture"),
    (FieldId::Commercial, "commercial"),
    (FieldId::Cots, "cots"),
    (FieldId::DirectivesNotified, "directives_notified"),
    (FieldId::Vendor, "vendor"),
    (FieldId::VendorId, "vendor_id"),
    (FieldId::Manufacturer, "manufacturer"),
    (FieldId::Description, "description"),
    (FieldId::Psc, "psc"),
    (FieldId::Naics, "naics"),
    (FieldId::Agency, "agency"),
    (FieldId::Office, "office"),
    (FieldId::Clauses, "clauses"),
    (FieldId::ClauseAlternate, "clause_alternate"),
    (FieldId::ClauseDate, "clause_date"),
    (FieldId::ClauseTitle, "clause_title"),
    (FieldId::ClauseIncluded, "clause_included"),
    (FieldId::ClauseMethod, "clause_method"),
];

impl FieldId {
    pub fn name(self) -> &'static str {
        ALL_FIELDS
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .expect("every field is listed")
    }

    pub fn from_name(name: &str) -> Option<FieldId> {
        ALL_FIELDS.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }
}

/// What a column maps to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Field(FieldId),
    /// An evidence column for the practice evidence field of this name.
    Evidence(String),
}

/// Fold a header for comparison: lower-case letters and digits only.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folded synonym -> (target, priority). A lower priority number is a better synonym, so
/// when two columns map to one field the better-named one wins.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: HashMap<String, (Target, usize)>,
    /// `--mapping` entries, each marked once a detected header uses it, so a mapping that
    /// matched no column can be named after the run.
    overrides: Vec<Override>,
}

#[derive(Debug, Clone)]
struct Override {
    target: Target,
    header: String,
    folded: String,
    matched: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Target {
    /// The field name as a mapping file spells it.
    pub fn name(&self) -> &str {
        match self {
            Target::Field(f) => f.name(),
            Target::Evidence(n) => n,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsFile {
    fields: BTreeMap<String, Vec<String>>,
}

impl Synonyms {
    /// Load `fields.toml`, plus evidence fields `(name, header synonyms)` from the practices.
    pub fn load(fields_toml: &str, evidence: &[(String, Vec<String>)]) -> anyhow::Result<Synonyms> {
        let file: FieldsFile =
            toml::from_str(fields_toml).map_err(|e| anyhow::anyhow!("fields.toml: {e}"))?;
        let mut syn = Synonyms::default();
        // Fields in contract order so a synonym shared by two fields goes to the first.
        for (id, name) in ALL_FIELDS {
            if let Some(list) = file.fields.get(*name) {
                for (i, s) in list.iter().enumerate() {
                    syn.map.entry(fold(s)).or_insert((Target::Field(*id), i));
                }
            }
        }
        if let Some(unknown) = file.fields.keys().find(|k| FieldId::from_name(k).is_none()) {
            anyhow::bail!("fields.toml: unknown field '{unknown}'");
        }
        for (name, list) in evidence {
            syn.map
                .entry(fold(name))
                .or_insert((Target::Evidence(name.clone()), 0));
            for (i, s) in list.iter().enumerate() {
                syn.map
                    .entry(fold(s))
                    .or_insert((Target::Evidence(name.clone()), i + 1));
            }
        }
        Ok(syn)
    }

    /// Add a user mapping: `field = "Column name"` (from `--mapping`), taking precedence.
    pub fn add_override(&mut self, target: Target, header: &str) {
        self.map.insert(fold(header), (target.clone(), 0));
        self.overrides.push(Override {
            target,
            header: header.to_string(),
            folded: fold(header),
            matched: Default::default(),
        });
    }

    /// Mark the `--mapping` entries a detected header row uses (by its header texts).
    pub fn mark_used<'a>(&self, headers: impl Iterator<Item = &'a str>) {
        if self.overrides.is_empty() {
            return;
        }
        for h in headers {
            let h = fold(h);
            for o in self.overrides.iter().filter(|o| o.folded == h) {
                o.matched.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// `--mapping` entries `(field, column name)` that no detected header row used.
    pub fn unused_overrides(&self) -> Vec<(String, String)> {
        self.overrides
            .iter()
            .filter(|o| !o.matched.load(std::sync::atomic::Ordering::Relaxed))
            .map(|o| (o.target.name().to_string(), o.header.clone()))
            .collect()
    }

    /// The target for a header, trying the whole text, then the text without a trailing
    /// parenthetical ("Contract Number (PIID)"), then the parenthetical itself.
    pub fn lookup(&self, header: &str) -> Option<(Target, usize)> {
        let whole = fold(header);
        if whole.is_empty() {
            return None;
        }
        if let Some(t) = self.map.get(&whole) {
            return Some(t.clone());
        }
        if let (Some(open), Some(close)) = (header.find('('), header.rfind(')'))
            && open < close
        {
            let outside = format!("{}{}", &header[..open], &header[close + 1..]);
            if let Some((t, p)) = self.map.get(&fold(&outside)) {
                return Some((t.clone(), p + 1));
            }
            if let Some((t, p)) = self.map.get(&fold(&header[open + 1..close])) {
                return Some((t.clone(), p + 2));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Synonyms {
        Synonyms::load(include_str!("../../clauses/fields.toml"), &[]).unwrap()
    }

    #[test]
    fn folds_case_and_punctuation() {
        assert_eq!(fold("Contract No."), "contractno");
        assert_eq!(fold("award_id_piid"), "awardidpiid");
    }

    #[test]
    fn real_export_names() {
        let s = builtin();
        let f = |h: &str| match s.lookup(h) {
            Some((Target::Field(f), _)) => Some(f),
            _ => None,
        };
        assert_eq!(f("award_id_piid"), Some(FieldId::ContractId));
        assert_eq!(f("PIID"), Some(FieldId::ContractId));
        assert_eq!(f("recipient_name"), Some(FieldId::Vendor));
        assert_eq!(f("product_or_service_code"), Some(FieldId::Psc));
        assert_eq!(f("naics_code"), Some(FieldId::Naics));
        assert_eq!(f("base_and_all_options_value"), Some(FieldId::Value));
        assert_eq!(f("action_date"), Some(FieldId::Date));
        assert_eq!(
            f("primary_place_of_performance_country_code"),
            Some(FieldId::PlaceOfPerformance)
        );
        assert_eq!(
            f("country_of_product_or_service_origin"),
            Some(FieldId::CountryOfOrigin)
        );
        assert_eq!(f("Contract Number (PIID)"), Some(FieldId::ContractId));
        assert_eq!(f("CONTRACT NUMBER"), Some(FieldId::ContractId));
        assert_eq!(f("Bananas"), None);
        assert_eq!(f("referencedIDV_PIID"), Some(FieldId::ParentId));
    }

    #[test]
    fn better_synonym_has_lower_priority() {
        let s = builtin();
        let (_, base) = s.lookup("Base and All Options Value").unwrap();
        let (_, obligated) = s.lookup("Obligated Amount").unwrap();
        assert!(base < obligated);
    }
}

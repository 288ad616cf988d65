//! The closed set of checks a rule can name (`check = "..."` in rules.toml). The audit runs a
//! rule by its check, never by its id, so a new rule is data plus at most one new check.

/// The function that judges a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Every clause in `requires` is cited where it is prescribed and `when` holds.
    ClausePresent,
    /// An alternate required for work outside the US, by whether directives were notified.
    Alternate,
    /// One of the `evidence` fields is present where `when` holds.
    EvidencePresent,
    /// A cited clause's date against the version in force.
    ClauseVersion,
    /// A required clause reached only through a clause list's check box (the `via_rule` of a
    /// `clause_present` rule).
    ReachedVia,
    /// A cited clause removed from the FAR or DFARS (a reused number only by its title).
    RemovedClause,
    /// A field that blocked a determination.
    BlockingFields,
    /// A malformed clause reference that was normalised.
    MalformedReference,
    /// A contract id repeated within the batch.
    DuplicateContractId,
    /// Goods in a forced-labor risk category (risk.toml).
    RiskCategory,
    /// A location field in Xinjiang.
    XinjiangLocation,
    /// A name referring to Xinjiang that is not a location.
    XinjiangName,
    /// A vendor or manufacturer on a screening list.
    EntityMatch,
    /// A practice's evidence (practices.toml).
    PracticeEvidence,
}

const NAMES: &[(&str, Check)] = &[
    ("clause_present", Check::ClausePresent),
    ("alternate", Check::Alternate),
    ("evidence_present", Check::EvidencePresent),
    ("clause_version", Check::ClauseVersion),
    ("reached_via", Check::ReachedVia),
    ("removed_clause", Check::RemovedClause),
    ("blocking_fields", Check::BlockingFields),
    ("malformed_reference", Check::MalformedReference),
    ("duplicate_contract_id", Check::DuplicateContractId),
    ("risk_category", Check::RiskCategory),
    ("xinjiang_location", Check::XinjiangLocation),
    ("xinjiang_name", Check::XinjiangName),
    ("entity_match", Check::EntityMatch),
    ("practice_evidence", Check::PracticeEvidence),
];

impl Check {
    pub fn parse(s: &str) -> Option<Check> {
        NAMES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(n, _)| n)
    }

    /// Every check name, for error messages.
    pub fn known() -> String {
        NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// The rule key the check cannot work without, if any.
    pub fn needs(self) -> Option<&'static str> {
        match self {
            Check::ClausePresent | Check::Alternate => Some("requires"),
            Check::EvidencePresent => Some("evidence"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (name, check) in NAMES {
            assert_eq!(Check::parse(name), Some(*check));
            assert_eq!(check.name(), *name);
        }
        assert_eq!(Check::parse("clause-present"), None);
        assert!(Check::known().starts_with("clause_present, alternate, "));
    }
}

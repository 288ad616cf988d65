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

/// Each check's name in rules.toml and what it does, as `explain` shows it (after "which").
const NAMES: &[(&str, Check, &str)] = &[
    (
        "clause_present",
        Check::ClausePresent,
        "checks that each required clause is cited wherever it is prescribed and the rule's \
         conditions hold",
    ),
    (
        "alternate",
        Check::Alternate,
        "checks that the alternate required for work outside the United States is cited, more \
         severe when directives were notified",
    ),
    (
        "evidence_present",
        Check::EvidencePresent,
        "checks that one of the evidence columns holds yes, a date or a reference wherever \
         the rule's conditions hold",
    ),
    (
        "clause_version",
        Check::ClauseVersion,
        "compares each cited clause's date with the version in force on the record's date",
    ),
    (
        "reached_via",
        Check::ReachedVia,
        "finds a required clause cited only through a check box of a clause list (such as \
         52.212-5), to be confirmed as checked",
    ),
    (
        "removed_clause",
        Check::RemovedClause,
        "finds a cited clause removed from the FAR or DFARS (a number since given to another \
         clause only when the removed clause's title is cited)",
    ),
    (
        "blocking_fields",
        Check::BlockingFields,
        "finds the blank or unreadable fields that kept other rules from being decided",
    ),
    (
        "malformed_reference",
        Check::MalformedReference,
        "finds clause references written in a non-standard form, read and normalised",
    ),
    (
        "duplicate_contract_id",
        Check::DuplicateContractId,
        "finds a contract id that appears more than once in the files audited together",
    ),
    (
        "risk_category",
        Check::RiskCategory,
        "matches the goods (description, PSC, NAICS or HTS code) against the forced-labor \
         risk categories",
    ),
    (
        "xinjiang_location",
        Check::XinjiangLocation,
        "finds a place of origin, manufacture or performance in Xinjiang",
    ),
    (
        "xinjiang_name",
        Check::XinjiangName,
        "finds a name or description, not a location, that refers to Xinjiang",
    ),
    (
        "entity_match",
        Check::EntityMatch,
        "matches the vendor and manufacturer against the screening lists",
    ),
    (
        "practice_evidence",
        Check::PracticeEvidence,
        "looks in the record's columns for evidence of a best practice",
    ),
];

impl Check {
    pub fn parse(s: &str) -> Option<Check> {
        NAMES.iter().find(|(n, _, _)| *n == s).map(|(_, c, _)| *c)
    }

    pub fn name(self) -> &'static str {
        self.entry().0
    }

    /// What the check does, in plain words (shown by `explain`).
    pub fn describe(self) -> &'static str {
        self.entry().2
    }

    fn entry(self) -> &'static (&'static str, Check, &'static str) {
        NAMES
            .iter()
            .find(|(_, c, _)| *c == self)
            .expect("every check is in NAMES")
    }

    /// Every check name, for error messages.
    pub fn known() -> String {
        NAMES
            .iter()
            .map(|(n, _, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
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
        for (name, check, describe) in NAMES {
            assert_eq!(Check::parse(name), Some(*check));
            assert_eq!(check.name(), *name);
            assert_eq!(check.describe(), *describe);
        }
        assert_eq!(Check::parse("clause-present"), None);
        assert!(Check::known().starts_with("clause_present, alternate, "));
    }
}

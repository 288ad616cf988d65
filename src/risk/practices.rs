//! M-20-01 / FAR 52.222-50 practices (`clauses/practices.toml`) and the evidence fields that
//! show them. The ingest maps the evidence headers to fields (see [`evidence_fields`]); the
//! BP rules read the fields from `Record::evidence`.

use serde::Deserialize;

use crate::rules::DataFiles;

/// Whether FAR requires the practice (REFERENCE.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PracticeBasis {
    /// Required whenever 52.222-50 applies.
    #[serde(rename = "REQ-ALL")]
    ReqAll,
    /// Required for the outside-US, non-COTS portion over the threshold.
    #[serde(rename = "REQ-PLAN")]
    ReqPlan,
    /// Best practice only.
    #[serde(rename = "BP")]
    Bp,
}

impl PracticeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeBasis::ReqAll => "REQ-ALL",
            PracticeBasis::ReqPlan => "REQ-PLAN",
            PracticeBasis::Bp => "BP",
        }
    }
}

/// Which answer is the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Good {
    /// Yes, a date or a reference shows the practice.
    #[default]
    Yes,
    /// "No" shows the practice ("Fees Charged to Workers" = no).
    No,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSpec {
    pub field: String,
    pub headers: Vec<String>,
    #[serde(default)]
    pub good: Good,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// `BP-11`.
    pub id: String,
    pub practice: String,
    pub basis: PracticeBasis,
    pub source: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceSpec>,
    /// Another rule checks this practice per record (no BP finding).
    #[serde(default)]
    pub covered_by: Option<String>,
    /// The fact that makes an incident-triggered practice apply (a substantiated violation,
    /// credible information, workers brought from another country, employer housing).
    /// Without it shown (yes or a date) the practice is not checked; with it, it is required.
    #[serde(default)]
    pub trigger: Option<EvidenceSpec>,
}

impl Practice {
    /// The rule id: `BP-11` -> `BP11`.
    pub fn rule_id(&self) -> String {
        self.id.replace('-', "")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticesFile {
    practice: Vec<Practice>,
}

/// Parse and validate `practices.toml`.
pub fn load_practices(files: &DataFiles) -> anyhow::Result<Vec<Practice>> {
    let name = "practices.toml";
    let text = files
        .get(name)
        .ok_or_else(|| anyhow::anyhow!("{} is missing", files.path_of(name)))?;
    let parsed: PracticesFile =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", files.path_of(name)))?;
    let mut ids = std::collections::HashSet::new();
    let mut fields = std::collections::HashSet::new();
    for p in &parsed.practice {
        let at = format!("{}: practice {}", files.path_of(name), p.id);
        let ok_id = p.id.len() == 5
            && p.id.starts_with("BP-")
            && p.id[3..].bytes().all(|b| b.is_ascii_digit());
        if !ok_id {
            anyhow::bail!("{at}: id must look like BP-01");
        }
        if !ids.insert(p.id.clone()) {
            anyhow::bail!("{at}: duplicate id");
        }
        if let Some(problem) = crate::rules::legal::source_problem(&p.source) {
            anyhow::bail!("{at}: source: {problem}");
        }
        for e in &p.evidence {
            if e.field.is_empty() || e.headers.is_empty() {
                anyhow::bail!("{at}: evidence needs a field and at least one header");
            }
            if !fields.insert(e.field.clone()) {
                anyhow::bail!("{at}: evidence field {} is used twice", e.field);
            }
        }
    }
    // Several practices may share a trigger; a trigger is never an evidence field.
    for p in &parsed.practice {
        if let Some(t) = &p.trigger {
            let at = format!("{}: practice {}", files.path_of(name), p.id);
            if t.field.is_empty() || t.headers.is_empty() {
                anyhow::bail!("{at}: trigger needs a field and at least one header");
            }
            if fields.contains(&t.field) {
                anyhow::bail!("{at}: trigger {} is also an evidence field", t.field);
            }
        }
    }
    Ok(parsed.practice)
}

/// Evidence field names with their header synonyms, for the ingest's header mapping.
/// Empty when `practices.toml` does not parse (the engine load reports that error).
pub fn evidence_fields(files: &DataFiles) -> Vec<(String, Vec<String>)> {
    load_practices(files)
        .map(|ps| fields_of(&ps))
        .unwrap_or_default()
}

/// Evidence field names with their header synonyms, from loaded practices.
pub fn fields_of(practices: &[Practice]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for e in practices
        .iter()
        .flat_map(|p| p.evidence.iter().chain(p.trigger.iter()))
    {
        if !out.iter().any(|(f, _)| f == &e.field) {
            out.push((e.field.clone(), e.headers.clone()));
        }
    }
    out
}

/// Practices whose evidence columns a sheet lacks, for the summary ("add a column named X
/// to check BP-nn"). `present` says whether the sheet maps a field.
pub fn practices_without_columns(
    practices: &[Practice],
    present: impl Fn(&str) -> bool,
) -> Vec<(&Practice, Vec<&str>)> {
    practices
        .iter()
        .filter(|p| p.covered_by.is_none() && !p.evidence.is_empty())
        .filter(|p| !p.evidence.iter().any(|e| present(&e.field)))
        .map(|p| {
            (
                p,
                p.evidence
                    .iter()
                    .filter_map(|e| e.headers.first().map(String::as_str))
                    .collect(),
            )
        })
        .collect()
}

/// Practices no audited sheet of the batch could show evidence for, each as its rule id with
/// the first column that would (`BP06 ("TIP Training Completed")`): the one list the run
/// summary and both portfolio reports give.
pub fn unchecked(practices: &[Practice], batch: &crate::model::BatchOutcome) -> Vec<String> {
    let present = |field: &str| {
        batch
            .files
            .iter()
            .flat_map(|f| &f.sheets)
            .any(|s| s.audited && s.evidence.iter().any(|e| e == field))
    };
    practices_without_columns(practices, present)
        .into_iter()
        .map(|(p, headers)| match headers.first() {
            Some(h) => format!("{} (\"{h}\")", p.rule_id()),
            None => p.rule_id(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn every_practice_is_a_registered_rule_and_back() {
        let files = DataFiles::builtin();
        let practices = load_practices(&files).unwrap();
        assert_eq!(practices.len(), 25);
        let rules = RuleSet::load(&files).unwrap();
        for p in &practices {
            let r = rules
                .get(&p.rule_id())
                .unwrap_or_else(|| panic!("{} has no rule", p.rule_id()));
            assert_eq!(r.kind, crate::model::kind::BEST_PRACTICE_GAP);
            let want = if p.basis == PracticeBasis::Bp {
                crate::model::Severity::Low
            } else {
                crate::model::Severity::Medium
            };
            assert_eq!(
                r.severity, want,
                "{}: registry severity follows the basis",
                r.id
            );
            assert!(r.explain.contains(p.basis.as_str()) || p.basis == PracticeBasis::Bp);
        }
        let bp_rules = rules
            .rules()
            .iter()
            .filter(|r| r.id.starts_with("BP"))
            .count();
        assert_eq!(bp_rules, practices.len(), "no BP rule without a practice");
        assert!(rules.get("BP11").is_some());
    }

    #[test]
    fn evidence_fields_for_the_ingest() {
        let fields = evidence_fields(&DataFiles::builtin());
        let get = |n: &str| fields.iter().find(|(f, _)| f == n).map(|(_, h)| h.clone());
        assert!(
            get("compliance_plan")
                .unwrap()
                .contains(&"Compliance Plan on File".to_string())
        );
        assert!(get("annual_certification").is_some());
        assert!(get("fees_charged_to_workers").is_some());
        // Practices whose columns a sheet lacks are named for the summary.
        let practices = load_practices(&DataFiles::builtin()).unwrap();
        let missing = practices_without_columns(&practices, |f| f == "awareness_training");
        assert!(
            missing
                .iter()
                .all(|(p, _)| p.id != "BP-12" && p.covered_by.is_none())
        );
        assert!(
            missing
                .iter()
                .any(|(p, h)| p.id == "BP-13" && h[0] == "Hotline Notice Posted")
        );
    }

    #[test]
    fn bad_practices_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let load = |text: &str| {
            std::fs::write(dir.path().join("practices.toml"), text).unwrap();
            load_practices(&DataFiles::from_dir(dir.path()).unwrap())
        };
        let one =
            "[[practice]]\nid = \"BP-01\"\npractice = \"x\"\nbasis = \"BP\"\nsource = \"s\"\n";
        assert!(load(one).is_ok());
        assert!(load(&one.replace("BP-01", "BP1")).is_err(), "id shape");
        assert!(load(&one.replace("\"BP\"", "\"MAYBE\"")).is_err(), "basis");
        assert!(load(&format!("{one}{one}")).is_err(), "duplicate");
    }
}

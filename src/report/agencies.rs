//! Agencies grouped by department and bureau for the portfolio reports, from the
//! `[[group]]` table of `agencies.toml`: FPDS codes and the spellings seen for each
//! department or bureau, so "DEPT OF THE ARMY" and "Department of the Army" are one row.

use std::collections::HashMap;

use serde::Deserialize;

use crate::rules::DataFiles;
pub use crate::rules::legal::AgencyGroup;

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    group: Vec<AgencyGroup>,
}

/// Case, spaces and punctuation ignored.
fn key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_uppercase())
        .collect()
}

/// Department and bureau lookup built once per report.
#[derive(Debug, Default)]
pub struct Agencies {
    by_key: HashMap<String, usize>,
    groups: Vec<AgencyGroup>,
    /// (normalised prefix, group) for department-level cells.
    office_prefixes: Vec<(String, usize)>,
}

impl Agencies {
    /// From the rules the batch ran with; an unreadable table groups nothing (names as
    /// spelled), since the rules were validated before the run.
    pub fn load(files: &DataFiles) -> Agencies {
        let groups = files
            .get("agencies.toml")
            .and_then(|t| toml::from_str::<File>(t).ok())
            .map(|f| f.group)
            .unwrap_or_default();
        Agencies::new(groups)
    }

    pub fn new(groups: Vec<AgencyGroup>) -> Agencies {
        let mut by_key = HashMap::new();
        let mut office_prefixes = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            for s in g.codes.iter().chain(&g.names) {
                by_key.entry(key(s)).or_insert(i);
            }
            for p in &g.office_prefixes {
                office_prefixes.push((key(p), i));
            }
        }
        Agencies {
            by_key,
            groups,
            office_prefixes,
        }
    }

    /// (department, bureau) for an agency cell and its office; bureau is empty when only
    /// the department is known.
    pub fn group(&self, agency: Option<&str>, office: Option<&str>) -> (String, String) {
        let Some(agency) = agency.map(str::trim).filter(|a| !a.is_empty()) else {
            return ("(blank)".into(), String::new());
        };
        // "2100: DEPT OF THE ARMY": try the code, then the name.
        let (code, name) = match agency.split_once(':') {
            Some((c, n)) if !c.trim().is_empty() && c.trim().len() <= 8 => (Some(c.trim()), n),
            _ => (None, agency),
        };
        let hit = code
            .and_then(|c| self.by_key.get(&key(c)))
            .or_else(|| self.by_key.get(&key(name)));
        let Some(&i) = hit else {
            return (name.trim().to_string(), String::new());
        };
        let g = &self.groups[i];
        if g.bureau.is_empty()
            && let Some(office) = office
        {
            let o = key(office);
            if let Some((_, j)) = self.office_prefixes.iter().find(|(p, j)| {
                o.starts_with(p.as_str()) && self.groups[*j].department == g.department
            }) {
                let b = &self.groups[*j];
                return (b.department.clone(), b.bureau.clone());
            }
        }
        (g.department.clone(), g.bureau.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_and_codes_meet_in_one_department_and_bureau() {
        let a = Agencies::load(&DataFiles::builtin());
        let army = (
            "Department of Defense".to_string(),
            "Department of the Army".to_string(),
        );
        assert_eq!(a.group(Some("DEPT OF THE ARMY"), None), army);
        assert_eq!(a.group(Some("Department of the Army"), None), army);
        assert_eq!(a.group(Some("2100: DEPT OF THE ARMY"), None), army);
        // The Mint under one parent, whether the cell names the bureau or the department
        // with a Mint office.
        let mint = (
            "Department of the Treasury".to_string(),
            "United States Mint".to_string(),
        );
        assert_eq!(a.group(Some("UNITED STATES MINT"), None), mint);
        assert_eq!(
            a.group(
                Some("Department of the Treasury"),
                Some("US MINT HEADQUARTERS")
            ),
            mint
        );
        assert_eq!(
            a.group(Some("Department of the Treasury"), Some("MIDWEST REGION")),
            ("Department of the Treasury".to_string(), String::new())
        );
        assert_eq!(
            a.group(Some("Some New Commission"), None),
            ("Some New Commission".to_string(), String::new())
        );
    }

    #[test]
    fn check_rules_refuses_an_unknown_key_in_a_group() {
        let dir = tempfile::tempdir().unwrap();
        let text = DataFiles::builtin().get("agencies.toml").unwrap().replacen(
            "bureau = \"United States Mint\"",
            "bureau = \"United States Mint\"\nparent = \"x\"",
            1,
        );
        std::fs::write(dir.path().join("agencies.toml"), text).unwrap();
        let errs = crate::rules::check_dir(dir.path()).unwrap_err().join("\n");
        assert!(
            errs.contains("agencies.toml") && errs.contains("parent"),
            "{errs}"
        );
    }
}

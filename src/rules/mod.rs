//! The rule registry and the legal data behind it. Rule content lives in `clauses/*.toml`
//! (embedded at build time; `--rules DIR` replaces it); this module loads and validates it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::model::{Finding, Severity};

/// The data files of a rules directory, by file name. Built-in files are embedded so the
/// binary works anywhere; a `--rules DIR` replaces the whole set.
#[derive(Debug, Clone)]
pub struct DataFiles {
    /// Where the files came from, for error messages (`built-in` or the directory).
    pub origin: String,
    files: BTreeMap<String, String>,
}

/// File names a rules directory may hold.
pub const DATA_FILE_NAMES: &[&str] = &[
    "rules.toml",
    "far.toml",
    "thresholds.toml",
    "practices.toml",
    "risk.toml",
    "entities.csv",
    "fields.toml",
    "countries.csv",
];

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../clauses/", $name)))),*]
    };
}

const BUILTIN: &[(&str, &str)] = embed!["rules.toml", "fields.toml"];

impl DataFiles {
    pub fn builtin() -> DataFiles {
        DataFiles {
            origin: "built-in".into(),
            files: BUILTIN
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// Read a rules directory. Files it lacks fall back to the built-in copy, so a
    /// directory may override only what it changes.
    pub fn from_dir(dir: &Path) -> anyhow::Result<DataFiles> {
        use anyhow::Context;
        if !dir.is_dir() {
            anyhow::bail!("rules directory {} does not exist", dir.display());
        }
        let mut files = DataFiles::builtin().files;
        for name in DATA_FILE_NAMES {
            let path = dir.join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                files.insert(name.to_string(), text);
            }
        }
        Ok(DataFiles {
            origin: dir.display().to_string(),
            files,
        })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// A display path for a file, for error messages.
    pub fn path_of(&self, name: &str) -> String {
        if self.origin == "built-in" {
            format!("clauses/{name} (built-in)")
        } else {
            Path::new(&self.origin).join(name).display().to_string()
        }
    }
}

/// One rule as the registry describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub kind: String,
    pub severity: Severity,
    pub title: String,
    pub cite: String,
    /// Message template; `{name}` placeholders are filled from the finding's facts.
    pub message: String,
    pub fix: String,
    /// What the rule checks, why, and how to fix it (for `tipaudit explain`).
    pub explain: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rule: Vec<RuleDef>,
}

/// All rules, in registry order.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<RuleDef>,
}

impl RuleSet {
    pub fn load(files: &DataFiles) -> anyhow::Result<RuleSet> {
        let name = "rules.toml";
        let text = files
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("{} is missing", files.path_of(name)))?;
        let parsed: RulesFile =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", files.path_of(name)))?;
        let mut seen = std::collections::HashSet::new();
        for r in &parsed.rule {
            if !seen.insert(r.id.clone()) {
                anyhow::bail!("{}: duplicate rule id {}", files.path_of(name), r.id);
            }
        }
        Ok(RuleSet { rules: parsed.rule })
    }

    pub fn rules(&self) -> &[RuleDef] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// A finding of rule `id`, its message and fix filled from `vars`.
    ///
    /// Panics if `id` is not in the registry: every rule the code raises is listed in
    /// `rules.toml`, which the registry test asserts.
    pub fn finding(&self, id: &str, vars: &[(&str, String)], col: Option<u32>) -> Finding {
        let def = self
            .get(id)
            .unwrap_or_else(|| panic!("rule {id} is raised but not in rules.toml"));
        Finding {
            rule: def.id.clone(),
            kind: def.kind.clone(),
            severity: def.severity,
            message: fill(&def.message, vars),
            cite: def.cite.clone(),
            column: None,
            fix: fill(&def.fix, vars),
            col_index: col,
        }
    }
}

/// The `tipaudit rules` table.
pub fn render_rules_table(rules: &RuleSet) -> String {
    let mut s = format!(
        "{:<8} {:<26} {:<8} {}\n",
        "RULE", "KIND", "SEVERITY", "CITE"
    );
    for r in rules.rules() {
        s.push_str(&format!(
            "{:<8} {:<26} {:<8} {}\n",
            r.id,
            r.kind,
            r.severity.as_str(),
            r.cite
        ));
    }
    s
}

/// The `tipaudit rules --format json` document.
pub fn rules_json(rules: &RuleSet) -> serde_json::Value {
    serde_json::Value::Array(
        rules
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "kind": r.kind, "severity": r.severity.as_str(),
                    "title": r.title, "cite": r.cite,
                })
            })
            .collect(),
    )
}

/// The `tipaudit explain RULE` text.
pub fn explain(rules: &RuleSet, id: &str) -> Option<String> {
    let r = rules.get(id)?;
    Some(format!(
        "{} ({}, {}): {}\nCite: {}\n\n{}\n\nFix: {}\n",
        r.id,
        r.kind,
        r.severity.as_str(),
        r.title,
        r.cite,
        r.explain.trim(),
        r.fix
    ))
}

/// Fill `{name}` placeholders; unknown placeholders are left as written.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match vars.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_templates() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "1".into()), ("b", "2".into())]),
            "1 and 2 {c}"
        );
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("open { only", &[]), "open { only");
    }

    #[test]
    fn builtin_rules_load() {
        let rs = RuleSet::load(&DataFiles::builtin()).unwrap();
        assert!(rs.get("TIP001").is_some());
        assert!(rs.get("tip001").is_some());
    }
}

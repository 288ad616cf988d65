//! The rule registry and the legal data behind it. Rule content lives in `clauses/*.toml`
//! (embedded at build time; `--rules DIR` replaces it); this module loads and validates it.

mod check;
#[cfg(test)]
mod data_tests;
mod diag;
pub mod legal;
pub mod predicate;
pub mod render;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Finding, Severity, Text, kind};
pub use check::Check;
use diag::{Diag, Diags};
pub use legal::Legal;
pub use predicate::Predicate;
pub use render::{explain, render_rules_table, rules_json};

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
    "eo13126.toml",
    "agencies.toml",
];

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../clauses/", $name)))),*]
    };
}

const BUILTIN: &[(&str, &str)] = embed![
    "rules.toml",
    "fields.toml",
    "far.toml",
    "thresholds.toml",
    "eo13126.toml",
    "agencies.toml",
    "risk.toml",
    "practices.toml",
    "entities.csv",
];

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

/// A clause a rule requires: a number from far.toml, optionally an alternate
/// (`"52.222-50 Alt I"` in rules.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub number: String,
    pub alternate: u8,
}

impl Requirement {
    /// `52.222-50`, `52.222-50 Alt I`, `52.222-50 Alternate II`.
    pub fn parse(s: &str) -> Option<Requirement> {
        let mut words = s.split_whitespace();
        let number = words.next()?.to_string();
        let alternate = match (words.next(), words.next(), words.next()) {
            (None, _, _) => 0,
            (Some(a), Some(n), None)
                if a.eq_ignore_ascii_case("alt") || a.eq_ignore_ascii_case("alternate") =>
            {
                match n.to_ascii_uppercase().as_str() {
                    "I" | "1" => 1,
                    "II" | "2" => 2,
                    "III" | "3" => 3,
                    "IV" | "4" => 4,
                    "V" | "5" => 5,
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(Requirement { number, alternate })
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const ROMAN: [&str; 6] = ["", "I", "II", "III", "IV", "V"];
        if self.alternate == 0 {
            write!(f, "{}", self.number)
        } else {
            let r = ROMAN.get(self.alternate as usize).copied().unwrap_or("?");
            write!(f, "{} Alternate {r}", self.number)
        }
    }
}

/// One rule as the registry describes it.
#[derive(Debug, Clone)]
pub struct RuleDef {
    // Id, kind, cite and fix are shared with every finding of the rule.
    pub id: Text,
    pub kind: Text,
    /// The check that judges the rule.
    pub check: Check,
    pub severity: Severity,
    /// Other severities the rule can raise (e.g. TIP002 high, or low to confirm).
    pub severities: Vec<Severity>,
    pub title: String,
    pub cite: Text,
    /// Message template; `{name}` placeholders are filled from the finding's facts.
    pub message: String,
    pub fix: Text,
    /// What the rule checks, why, and how to fix it (for `tipaudit explain`).
    pub explain: String,
    /// Clauses the rule requires (far.toml numbers).
    pub requires: Vec<Requirement>,
    /// Gating predicates; all must hold.
    pub when: Vec<Predicate>,
    /// Rule raised instead when a required clause is reached only through a clause list.
    pub via_rule: Option<String>,
    /// Evidence fields, any of which satisfies the rule.
    pub evidence: Vec<String>,
    /// Message when the clause list shows the required clause's box unchecked (or absent)
    /// in a list that reaches it (`{via}`, `{clause}`); else `message` is used.
    pub unchecked_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    // Optional here so that a rule without one gets a message naming the rule.
    check: Option<Spanned<String>>,
    severity: Severity,
    #[serde(default)]
    severities: Vec<Severity>,
    title: Spanned<String>,
    cite: Spanned<String>,
    message: Spanned<String>,
    fix: Spanned<String>,
    explain: Spanned<String>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
    via_rule: Option<Spanned<String>>,
    #[serde(default)]
    evidence: Vec<String>,
    unchecked_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rule: Vec<RawRule>,
}

/// Rule kinds a rule may declare (CONTRACT.md section 3).
const KINDS: &[&str] = &[
    kind::MISSING_CLAUSE,
    kind::WRONG_ALTERNATE,
    kind::MISSING_PROVISION,
    kind::MISSING_EVIDENCE,
    kind::OUTDATED_CLAUSE,
    kind::INCORPORATED_BY_REFERENCE,
    kind::OBSOLETE_CLAUSE,
    kind::HIGH_RISK_GOODS,
    kind::XINJIANG_ORIGIN,
    kind::XINJIANG_NAME,
    kind::ENTITY_MATCH,
    kind::BEST_PRACTICE_GAP,
    kind::DATA_ISSUE,
];

/// Rule IDs the audit raises or its outputs rely on: a rules directory must define every one.
pub const RAISED_BY_CLAUSE_CHECKS: &[&str] = &[
    "TIP001", "TIP002", "TIP003", "TIP004", "TIP005", "TIP006", "TIP007", "CL001", "XJ001",
    "DATA001", "DATA002", "DATA003",
];

/// Rules the risk, screening, batch and practice code raise by id: each must name the check
/// that judges it, and those checks judge no other rule (their code knows only these ids).
const JUDGED_BY_ID: &[(&str, Check)] = &[
    ("DATA003", Check::DuplicateContractId),
    ("RISK001", Check::RiskCategory),
    ("RISK002", Check::XinjiangLocation),
    ("RISK003", Check::XinjiangName),
    ("ENT001", Check::EntityMatch),
];

/// Why `check` cannot judge rule `id`, if it cannot: the checks run by id judge only their
/// own rule, and `practice_evidence` judges exactly the practice rules (BP01 ...).
fn check_misfit(id: &str, check: Check) -> Option<String> {
    if let Some((_, want)) = JUDGED_BY_ID.iter().find(|(i, _)| *i == id) {
        return (check != *want).then(|| format!("{id} is judged by check '{}'", want.name()));
    }
    let practice = id.starts_with("BP");
    if practice != (check == Check::PracticeEvidence) {
        return Some(if practice {
            format!("{id} is a practice rule, judged by check 'practice_evidence'")
        } else {
            "check 'practice_evidence' judges only the practice rules (BP01 ...)".to_string()
        });
    }
    JUDGED_BY_ID
        .iter()
        .find(|(_, c)| *c == check)
        .map(|(i, _)| format!("check '{}' judges only {i}", check.name()))
}

/// All rules, in registry order, and the legal facts they use.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<RuleDef>,
    pub legal: Legal,
    /// Where the data came from (`built-in` or a directory).
    pub origin: String,
}

impl RuleSet {
    pub fn load(files: &DataFiles) -> anyhow::Result<RuleSet> {
        load_all(files).map_err(|errs| anyhow::anyhow!("invalid rules:\n{}", errs.join("\n")))
    }

    pub fn rules(&self) -> &[RuleDef] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// A rule by id as a user may type it: any case, with or without a hyphen, space or
    /// leading zeros (`BP-02`, `bp2`, `tip 1`), so the practice numbering `BP-02` finds
    /// rule `BP02`.
    pub fn lookup(&self, typed: &str) -> Option<&RuleDef> {
        self.get(typed.trim()).or_else(|| {
            let (prefix, number) = split_id(typed)?;
            self.rules
                .iter()
                .find(|r| split_id(&r.id) == Some((prefix.clone(), number)))
        })
    }

    /// A finding of rule `id`, its message and fix filled from `vars`.
    ///
    /// Panics if `id` is not in the registry: every rule the code raises is listed in
    /// `rules.toml`, which loading and the registry test assert.
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
            fix: fill_shared(&def.fix, vars),
            col_index: col,
            page: None,
            line: None,
        }
    }
}

/// Validate the rule data of a directory: every problem in every file, each naming file,
/// line, column and field. `risk::check_dir` adds the risk data.
pub fn check_dir(dir: &Path) -> Result<(), Vec<String>> {
    let files = DataFiles::from_dir(dir).map_err(|e| vec![format!("{e:#}")])?;
    let errors = load_all(&files).err().unwrap_or_default();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Parse and validate every data file the rules use.
pub fn load_all(files: &DataFiles) -> Result<RuleSet, Vec<String>> {
    let mut errors: Vec<Diag> = Vec::new();
    let mut missing = Vec::new();
    let mut legal = Legal::default();
    type Loader = fn(&mut Diags, &mut Legal);
    let loaders: [(&str, Loader); 4] = [
        ("far.toml", legal::load_far),
        ("thresholds.toml", legal::load_thresholds),
        ("eo13126.toml", legal::load_eo13126),
        ("agencies.toml", legal::load_agencies),
    ];
    for (name, load) in loaders {
        match files.get(name) {
            Some(text) => {
                let mut d = Diags::new(files.path_of(name), text);
                load(&mut d, &mut legal);
                errors.extend(d.list);
            }
            None => missing.push(format!("{} is missing", files.path_of(name))),
        }
    }
    let rules = match files.get("rules.toml") {
        Some(text) => {
            let mut d = Diags::new(files.path_of("rules.toml"), text);
            let rules = load_rules(&mut d, &legal);
            errors.extend(d.list);
            rules
        }
        None => {
            missing.push(format!("{} is missing", files.path_of("rules.toml")));
            Vec::new()
        }
    };
    let mut out: Vec<String> = missing;
    out.extend(errors.iter().map(|d| d.to_string()));
    let rules: Vec<RuleDef> = rules.into_iter().map(one_id_spelling).collect();
    if out.is_empty() {
        Ok(RuleSet {
            rules,
            legal,
            origin: files.origin.clone(),
        })
    } else {
        Err(out)
    }
}

fn load_rules(d: &mut Diags, legal: &Legal) -> Vec<RuleDef> {
    let Some(file) = d.parse::<RulesFile>() else {
        return Vec::new();
    };
    let ids: HashSet<String> = file.rule.iter().map(|r| r.id.get_ref().clone()).collect();
    let check_of: HashMap<&str, Check> = file
        .rule
        .iter()
        .filter_map(|r| {
            Some((
                r.id.get_ref().as_str(),
                Check::parse(r.check.as_ref()?.get_ref().trim())?,
            ))
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, r) in file.rule.iter().enumerate() {
        out.push(rule_def(d, legal, i, r, &ids, &check_of, &mut seen));
    }
    for id in RAISED_BY_CLAUSE_CHECKS {
        if !seen.contains(*id) {
            d.at(
                0..0,
                "rule",
                format!("rule {id} is missing: the audit raises it"),
            );
        }
    }
    out
}

/// `rule[i]`, each of its problems reported; `seen` collects the ids read so far.
fn rule_def(
    d: &mut Diags,
    legal: &Legal,
    i: usize,
    r: &RawRule,
    ids: &HashSet<String>,
    check_of: &HashMap<&str, Check>,
    seen: &mut HashSet<String>,
) -> RuleDef {
    let id = r.id.get_ref().trim().to_string();
    // Errors name the rule by its id; the position finds a rule whose id is bad.
    let f = |k: &str| {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            format!("rule[{i}].{k}")
        } else {
            format!("rule {id} (rule[{i}]).{k}")
        }
    };
    check_id_and_kind(d, r, &id, seen, &f);
    let check = rule_check(d, r, &id, &f);
    check_texts_given(d, r, &f);
    let requires = rule_requires(d, legal, r, &f);
    let when = rule_when(d, legal, r, &f);
    check_via_rule(d, r, ids, check_of, &f);
    RuleDef {
        id: id.into(),
        kind: r.kind.get_ref().into(),
        // A rule with no known check is an error above, and no RuleSet is returned.
        check: check.unwrap_or(Check::ClausePresent),
        severity: r.severity,
        severities: r.severities.clone(),
        title: r.title.get_ref().clone(),
        cite: r.cite.get_ref().into(),
        message: r.message.get_ref().clone(),
        fix: r.fix.get_ref().into(),
        explain: r.explain.get_ref().trim().to_string(),
        requires,
        when,
        via_rule: r.via_rule.as_ref().map(|v| v.get_ref().clone()),
        evidence: r.evidence.clone(),
        unchecked_message: r.unchecked_message.clone(),
    }
}

/// The rule's id must be well formed and unique, its kind one of KINDS.
fn check_id_and_kind(
    d: &mut Diags,
    r: &RawRule,
    id: &str,
    seen: &mut HashSet<String>,
    f: &dyn Fn(&str) -> String,
) {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        d.on(
            &r.id,
            f("id"),
            format!("'{id}' is not a rule id like TIP001"),
        );
    }
    if !seen.insert(id.to_string()) {
        d.on(&r.id, f("id"), format!("duplicate rule id {id}"));
    }
    if !KINDS.contains(&r.kind.get_ref().as_str()) {
        d.on(
            &r.kind,
            f("kind"),
            format!(
                "unknown kind '{}'; known: {}",
                r.kind.get_ref(),
                KINDS.join(", ")
            ),
        );
    }
}

fn check_texts_given(d: &mut Diags, r: &RawRule, f: &dyn Fn(&str) -> String) {
    for (key, v) in [
        ("title", &r.title),
        ("cite", &r.cite),
        ("message", &r.message),
        ("fix", &r.fix),
        ("explain", &r.explain),
    ] {
        if v.get_ref().trim().is_empty() {
            d.on(v, f(key), "must not be empty");
        }
    }
}

/// The rule's check, if named and known, and whether the rule gives what that check needs.
fn rule_check(d: &mut Diags, r: &RawRule, id: &str, f: &dyn Fn(&str) -> String) -> Option<Check> {
    let check = match &r.check {
        None => {
            d.on(
                &r.id,
                f("check"),
                format!("missing; known checks: {}", Check::known()),
            );
            None
        }
        Some(c) => {
            let check = Check::parse(c.get_ref().trim());
            if check.is_none() {
                d.on(
                    c,
                    f("check"),
                    format!("unknown check '{}'; known: {}", c.get_ref(), Check::known()),
                );
            }
            check
        }
    };
    let needed = check.and_then(Check::needs).filter(|key| match *key {
        "requires" => r.requires.is_empty(),
        _ => r.evidence.is_empty(),
    });
    if let (Some(c), Some(key), Some(span)) = (check, needed, &r.check) {
        d.on(
            span,
            f("check"),
            format!("check '{}' needs `{key}`", c.name()),
        );
    }
    if let (Some(c), Some(span)) = (check, &r.check)
        && let Some(problem) = check_misfit(id, c)
    {
        d.on(span, f("check"), problem);
    }
    check
}

/// The clauses the rule requires; each must be in far.toml, with the alternate it names.
fn rule_requires(
    d: &mut Diags,
    legal: &Legal,
    r: &RawRule,
    f: &dyn Fn(&str) -> String,
) -> Vec<Requirement> {
    let mut requires = Vec::new();
    for q in &r.requires {
        match Requirement::parse(q.get_ref()) {
            None => d.on(
                q,
                f("requires"),
                format!(
                    "'{}' is not a clause like \"52.222-50\" or \"52.222-50 Alt I\"",
                    q.get_ref()
                ),
            ),
            Some(_) if legal.unparsed.contains(&"far.toml") => {}
            Some(req) => match legal.clause(&req.number) {
                None => d.on(
                    q,
                    f("requires"),
                    format!("unknown clause {} (not in far.toml)", req.number),
                ),
                Some(c)
                    if req.alternate > 0
                        && !c.alternates.iter().any(|a| a.number == req.alternate) =>
                {
                    d.on(
                        q,
                        f("requires"),
                        format!("far.toml has no {req} for {}", req.number),
                    )
                }
                Some(_) => requires.push(req),
            },
        }
    }
    requires
}

/// The rule's conditions; a threshold they name must be in thresholds.toml.
fn rule_when(
    d: &mut Diags,
    legal: &Legal,
    r: &RawRule,
    f: &dyn Fn(&str) -> String,
) -> Vec<Predicate> {
    let mut when = Vec::new();
    for w in &r.when {
        match Predicate::parse(w.get_ref()) {
            Err(e) => d.on(w, f("when"), e),
            Ok(p) => {
                if let Some(t) = p.threshold()
                    && legal.threshold(t).is_none()
                    && !legal.unparsed.contains(&"thresholds.toml")
                {
                    d.on(
                        w,
                        f("when"),
                        format!("unknown threshold '{t}' (not in thresholds.toml)"),
                    );
                    continue;
                }
                when.push(p);
            }
        }
    }
    when
}

/// A via_rule must name a rule of the file whose check is `reached_via`.
fn check_via_rule(
    d: &mut Diags,
    r: &RawRule,
    ids: &HashSet<String>,
    check_of: &HashMap<&str, Check>,
    f: &dyn Fn(&str) -> String,
) {
    if let Some(v) = &r.via_rule
        && !ids.contains(v.get_ref())
    {
        d.on(v, f("via_rule"), format!("unknown rule id {}", v.get_ref()));
    } else if let Some(v) = &r.via_rule
        && let Some(c) = check_of.get(v.get_ref().as_str())
        && *c != Check::ReachedVia
    {
        d.on(
            v,
            f("via_rule"),
            format!(
                "rule {} has check '{}'; a via_rule names a rule with check 'reached_via'",
                v.get_ref(),
                c.name()
            ),
        );
    }
}

/// Fill `{name}` placeholders; unknown placeholders are left as written.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    fill_into(&mut out, template, vars);
    out
}

/// [`fill`] for shared text: the template itself when it has no placeholder, else one
/// allocation of the filled text (built in a reused buffer).
fn fill_shared(template: &Text, vars: &[(&str, String)]) -> Text {
    thread_local! {
        static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if !template.contains('{') {
        return template.clone();
    }
    BUF.with_borrow_mut(|out| {
        out.clear();
        fill_into(out, template, vars);
        Text::from(out.as_str())
    })
}

fn fill_into(out: &mut String, template: &str, vars: &[(&str, String)]) {
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
}

/// The practices are numbered `BP-01` as their source numbers them; their rule ids are
/// `BP01` (CONTRACT.md), and every output spells a rule one way, so the rule texts say
/// `BP01` too.
fn one_id_spelling(mut r: RuleDef) -> RuleDef {
    static BP: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\bBP-(\d{2})\b").expect("valid"));
    for text in [&mut r.title, &mut r.message, &mut r.explain] {
        if text.contains("BP-") {
            *text = BP.replace_all(text, "BP$1").into_owned();
        }
    }
    if r.fix.contains("BP-") {
        r.fix = BP.replace_all(&r.fix, "BP$1").into_owned().into();
    }
    // The id is shown beside the title wherever a title is: "BP02: Employees ..." would
    // say it twice.
    if let Some(rest) = r.title.strip_prefix(&format!("{}:", r.id)) {
        r.title = rest.trim_start().to_string();
    }
    r
}

/// `"bp-02"` -> `("BP", 2)`: the letters (upper-cased) and the number of a rule id,
/// ignoring separators and leading zeros.
fn split_id(id: &str) -> Option<(String, u32)> {
    let kept: String = id
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .collect();
    let digits_at = kept.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = kept.split_at(digits_at);
    if letters.is_empty()
        || !letters.chars().all(|c| c.is_ascii_alphabetic())
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((letters.to_ascii_uppercase(), digits.parse().ok()?))
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

//! The legal facts the rules use, loaded from `far.toml`, `thresholds.toml`, `eo13126.toml`
//! and `agencies.toml`: parsed strictly (unknown keys are errors), then validated (dates
//! real and in order, names unique, references resolvable).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::diag::Diags;
use crate::parse::clauseref::ClauseDate;

/// How far a fact is established, as REFERENCE.md tags it ([V], [S], [U]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Verified,
    Secondary,
    Unverified,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::Secondary => "secondary source",
            Confidence::Unverified => "unverified",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseKind {
    Clause,
    Provision,
}

impl ClauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseKind::Clause => "clause",
            ClauseKind::Provision => "provision",
        }
    }
}

/// The record types a clause is prescribed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Solicitation,
    Award,
}

/// One dated version of a clause or alternate.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// The date as printed: `(OCT 2025)`.
    pub date: ClauseDate,
    pub effective: NaiveDate,
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlternateDef {
    pub number: u8,
    pub prescription: Option<String>,
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClauseDef {
    pub number: String,
    pub title: String,
    pub kind: ClauseKind,
    pub prescription: String,
    pub scope: Vec<Scope>,
    /// When the clause first applied; `None`: on every date.
    pub in_force_from: Option<NaiveDate>,
    pub reached_via: Vec<String>,
    /// Clauses this clause list incorporates with no check box.
    pub incorporates: Vec<Incorporation>,
    /// The clause's own applicability condition (its prescription), on top of a rule's `when`.
    pub when: Vec<super::Predicate>,
    pub versions: Vec<Version>,
    pub alternates: Vec<AlternateDef>,
}

/// A clause a clause list incorporates without a box (52.213-4; 52.212-5 paragraph (a)).
#[derive(Debug, Clone, PartialEq)]
pub struct Incorporation {
    pub number: String,
    /// The last version of the list (as printed) that does so; `None`: every version.
    pub through: Option<ClauseDate>,
    pub source: String,
}

impl Incorporation {
    /// Does a citation of the list with this printed date, on a record dated `on`,
    /// incorporate the clause? An undated citation does when every version does, or when the
    /// record predates the end of `through`'s month (any version in force then is no later).
    pub fn covers(&self, cited: Option<ClauseDate>, on: NaiveDate) -> bool {
        use chrono::Datelike;
        match (self.through, cited) {
            (None, _) => true,
            (Some(t), Some(d)) => d <= t,
            (Some(t), None) => {
                ClauseDate {
                    year: on.year(),
                    month: on.month(),
                } <= t
            }
        }
    }
}

impl ClauseDef {
    /// Dated versions of the basic clause (`alternate` 0) or of an alternate.
    pub fn versions_of(&self, alternate: u8) -> &[Version] {
        if alternate == 0 {
            &self.versions
        } else {
            self.alternates
                .iter()
                .find(|a| a.number == alternate)
                .map_or(&[][..], |a| &a.versions)
        }
    }

    /// The version in force on `d`: the last one effective on or before it.
    pub fn version_at(&self, alternate: u8, d: NaiveDate) -> Option<&Version> {
        self.versions_of(alternate)
            .iter()
            .rev()
            .find(|v| v.effective <= d)
    }

    /// The date the clause (or alternate) first applied; `None` when it applies on every
    /// date. An alternate applies from its first dated version.
    pub fn first_effective(&self, alternate: u8) -> Option<NaiveDate> {
        if alternate == 0 {
            self.in_force_from
        } else {
            self.versions_of(alternate).first().map(|v| v.effective)
        }
    }

    pub fn exists_on(&self, alternate: u8, d: NaiveDate) -> bool {
        self.first_effective(alternate).is_none_or(|f| f <= d)
    }

    pub fn prescribed_for(&self, scope: Scope) -> bool {
        self.scope.contains(&scope)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemovedDef {
    pub number: String,
    pub title: String,
    pub removed: NaiveDate,
    pub source: String,
    pub confidence: Confidence,
    /// The number was given to another clause from this date: from then on a citation of
    /// the number alone is that clause, and only the removed title marks the removed one.
    pub reused: Option<Reuse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    pub from: NaiveDate,
    pub title: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// `None` only on a first step: it covers every earlier date.
    pub from: Option<NaiveDate>,
    pub amount: f64,
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdDef {
    pub name: String,
    pub title: String,
    pub used_by: String,
    pub steps: Vec<Step>,
}

impl ThresholdDef {
    /// The step in force on `d`; `None` before the first dated step (no duty yet).
    pub fn at(&self, d: NaiveDate) -> Option<&Step> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.from.is_none_or(|from| from <= d))
    }
}

/// One good on the E.O. 13126 list with the countries listed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedProduct {
    pub name: String,
    pub countries: Vec<String>,
    pub keywords: Vec<String>,
    pub psc: Vec<String>,
    pub naics: Vec<String>,
    /// Country entries taken off the list, each from its date.
    pub removed: Vec<Removal>,
}

/// A country entry removed from the E.O. 13126 list on `on` (DOL notice in the FR).
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    pub country: String,
    pub on: NaiveDate,
    pub source: String,
}

impl ListedProduct {
    /// The countries listed for this good on `d`: an entry stops applying on its removal.
    pub fn countries_on(&self, d: NaiveDate) -> impl Iterator<Item = &str> {
        self.countries.iter().map(String::as_str).filter(move |c| {
            !self
                .removed
                .iter()
                .any(|r| r.country.eq_ignore_ascii_case(c) && r.on <= d)
        })
    }
}

/// FAR 22.1503(b) / 52.222-19(a): end products from these countries at or above the value are
/// outside the child-labor requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeExclusion {
    pub countries: Vec<String>,
    pub at_least: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Eo13126 {
    pub source: String,
    pub note: String,
    pub confidence: Option<Confidence>,
    pub products: Vec<ListedProduct>,
    pub exclusions: Vec<TradeExclusion>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DodDef {
    pub agency_codes: Vec<String>,
    pub agency_code_prefixes: Vec<String>,
    pub names: Vec<String>,
    pub office_code_patterns: Vec<String>,
    pub confidence: Option<Confidence>,
}

/// Every legal fact the clause rules use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Legal {
    pub clauses: BTreeMap<String, ClauseDef>,
    pub removed: Vec<RemovedDef>,
    pub thresholds: BTreeMap<String, ThresholdDef>,
    pub eo13126: Eo13126,
    pub dod: DodDef,
    /// Files that failed to parse: references into them are not checked (no cascades).
    pub(super) unparsed: Vec<&'static str>,
}

impl Legal {
    pub fn clause(&self, number: &str) -> Option<&ClauseDef> {
        self.clauses.get(number)
    }

    pub fn threshold(&self, name: &str) -> Option<&ThresholdDef> {
        self.thresholds.get(name)
    }

    /// (title, number) pairs for the clause-reference parser (stripped-number references).
    pub fn titles(&self) -> Vec<(String, String)> {
        self.clauses
            .values()
            .map(|c| (c.title.clone(), c.number.clone()))
            .collect()
    }
}

// ---- raw file schemas ------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    date: Spanned<String>,
    effective: Spanned<toml::value::Datetime>,
    source: Spanned<String>,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlternate {
    number: Spanned<u8>,
    prescription: Option<String>,
    #[serde(default)]
    version: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClause {
    number: Spanned<String>,
    title: String,
    kind: ClauseKind,
    prescription: String,
    #[serde(rename = "in")]
    scope: Option<Vec<Scope>>,
    in_force_from: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    reached_via: Vec<Spanned<String>>,
    #[serde(default)]
    incorporates: Vec<RawIncorporation>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
    #[serde(default)]
    version: Vec<RawVersion>,
    #[serde(default)]
    alternate: Vec<RawAlternate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncorporation {
    number: Spanned<String>,
    through: Option<Spanned<String>>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoved {
    number: Spanned<String>,
    title: String,
    removed: Spanned<toml::value::Datetime>,
    source: Spanned<String>,
    confidence: Confidence,
    reused: Option<Spanned<toml::value::Datetime>>,
    reused_as: Option<String>,
    reused_source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FarFile {
    #[serde(default)]
    clause: Vec<RawClause>,
    #[serde(default)]
    removed: Vec<RawRemoved>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    from: Option<Spanned<toml::value::Datetime>>,
    amount: Spanned<f64>,
    source: Spanned<String>,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    name: Spanned<String>,
    title: String,
    used_by: String,
    step: Spanned<Vec<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsFile {
    threshold: Vec<RawThreshold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    source: String,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    name: Spanned<String>,
    countries: Vec<Spanned<String>>,
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    psc: Vec<Spanned<String>>,
    #[serde(default)]
    naics: Vec<Spanned<String>>,
    #[serde(default)]
    removed: Vec<RawRemoval>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoval {
    country: Spanned<String>,
    on: Spanned<toml::value::Datetime>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclusion {
    countries: Vec<Spanned<String>>,
    at_least: Spanned<f64>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Eo13126File {
    meta: RawMeta,
    product: Vec<RawProduct>,
    #[serde(default)]
    trade_exclusion: Vec<RawExclusion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDod {
    #[serde(default)]
    agency_codes: Vec<String>,
    #[serde(default)]
    agency_code_prefixes: Vec<String>,
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    office_code_patterns: Vec<Spanned<String>>,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenciesFile {
    dod: RawDod,
    /// Report grouping (department and bureau); read by `report::agencies`, validated here.
    #[serde(default, rename = "group")]
    _group: Vec<AgencyGroup>,
}

/// One `[[group]]` entry of `agencies.toml`, the department and bureau grouping of the
/// portfolio reports (validated strictly with the rest of the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyGroup {
    pub department: String,
    pub bureau: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub office_prefixes: Vec<String>,
}

// ---- conversion and validation ---------------------------------------------------------

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `OCT 2025` -> year 2025, month 10.
pub fn parse_clause_date(s: &str) -> Option<ClauseDate> {
    let (m, y) = s.trim().split_once(' ')?;
    let month = MONTHS
        .iter()
        .position(|x| x.eq_ignore_ascii_case(m.trim()))? as u32
        + 1;
    let year: i32 = y.trim().parse().ok()?;
    (1900..=2200)
        .contains(&year)
        .then_some(ClauseDate { year, month })
}

/// `ClauseDate` as printed in a clause heading: `OCT 2025`.
pub fn format_clause_date(d: ClauseDate) -> String {
    let m = MONTHS
        .get((d.month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("???");
    format!("{m} {}", d.year)
}

fn to_date(d: &mut Diags, v: &Spanned<toml::value::Datetime>, field: &str) -> Option<NaiveDate> {
    let dt = v.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(date), None, None) => {
            let nd = NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32);
            if nd.is_none() {
                d.on(v, field, format!("{dt} is not a valid date"));
            }
            nd
        }
        _ => {
            d.on(
                v,
                field,
                format!("{dt} must be a date without a time (YYYY-MM-DD)"),
            );
            None
        }
    }
}

fn versions(d: &mut Diags, raw: &[RawVersion], field: &str) -> Vec<Version> {
    let mut out: Vec<Version> = Vec::new();
    for (k, v) in raw.iter().enumerate() {
        let field = &format!("{field}[{k}]");
        let date = parse_clause_date(v.date.get_ref());
        if date.is_none() {
            d.on(
                &v.date,
                format!("{field}.date"),
                format!(
                    "'{}' is not a clause date like \"OCT 2025\"",
                    v.date.get_ref()
                ),
            );
        }
        source_given(d, &v.source, &format!("{field}.source"));
        let effective = to_date(d, &v.effective, &format!("{field}.effective"));
        let (Some(date), Some(effective)) = (date, effective) else {
            continue;
        };
        if let Some(prev) = out.last() {
            if effective <= prev.effective {
                d.on(
                    &v.effective,
                    format!("{field}.effective"),
                    format!(
                        "versions must be in order: {effective} is not after the previous version's {}",
                        prev.effective
                    ),
                );
            }
            if date <= prev.date {
                d.on(
                    &v.date,
                    format!("{field}.date"),
                    format!(
                        "versions must be in order: ({}) is not after ({})",
                        format_clause_date(date),
                        format_clause_date(prev.date)
                    ),
                );
            }
        }
        out.push(Version {
            date,
            effective,
            source: v.source.get_ref().clone(),
            confidence: v.confidence,
        });
    }
    out
}

fn incorporations(d: &mut Diags, raw: &[RawIncorporation], f: &str) -> Vec<Incorporation> {
    let mut out = Vec::new();
    for (k, r) in raw.iter().enumerate() {
        let field = format!("{f}.incorporates[{k}]");
        let number = r.number.get_ref().trim().to_string();
        if !valid_number(&number) {
            d.on(
                &r.number,
                format!("{field}.number"),
                format!("'{number}' is not a clause number like 52.222-50"),
            );
            continue;
        }
        let through = match &r.through {
            None => None,
            Some(t) => match parse_clause_date(t.get_ref()) {
                Some(date) => Some(date),
                None => {
                    d.on(
                        t,
                        format!("{field}.through"),
                        format!("'{}' is not a clause date like \"JUL 2014\"", t.get_ref()),
                    );
                    continue;
                }
            },
        };
        source_given(d, &r.source, &format!("{field}.source"));
        out.push(Incorporation {
            number,
            through,
            source: r.source.get_ref().clone(),
        });
    }
    out
}

/// Every fact names its source: a Federal Register citation, a FAR/DFARS paragraph, or a list
/// and its date. An empty source, or one that points at a project file instead, is an error.
pub(super) fn source_given(d: &mut Diags, source: &Spanned<String>, field: &str) {
    if let Some(problem) = source_problem(source.get_ref()) {
        d.on(source, field, problem);
    }
}

/// Why `source` is not a source, if it is not.
pub fn source_problem(source: &str) -> Option<String> {
    let s = source.trim();
    if s.is_empty() {
        return Some(
            "no source: name the FR citation, FAR/DFARS paragraph, or list and date".into(),
        );
    }
    const INTERNAL: [&str; 4] = ["REFERENCE.md", "CONTRACT.md", "DESIGN.md", "[U]"];
    INTERNAL
        .iter()
        .find(|x| s.contains(*x))
        .map(|x| format!("'{s}' cites {x}, not a public source: name the FR citation, FAR/DFARS paragraph, or list and date"))
}

fn valid_number(n: &str) -> bool {
    // 52.222-50, 252.225-7060: a part, a dot, a section, a hyphen, a sequence.
    let Some((head, seq)) = n.split_once('-') else {
        return false;
    };
    let Some((part, sec)) = head.split_once('.') else {
        return false;
    };
    [part, sec, seq]
        .iter()
        .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn load_far(d: &mut Diags, legal: &mut Legal) {
    let Some(file) = d.parse::<FarFile>() else {
        legal.unparsed.push("far.toml");
        return;
    };
    for (i, c) in file.clause.iter().enumerate() {
        if let Some(def) = clause_def(d, legal, i, c) {
            legal.clauses.insert(def.number.clone(), def);
        }
    }
    check_clause_links(d, legal, &file.clause);
    for (i, r) in file.removed.iter().enumerate() {
        if let Some(def) = removed_def(d, legal, i, r) {
            legal.removed.push(def);
        }
    }
}

/// `clause[i]`, or None when its number is malformed or already catalogued.
fn clause_def(d: &mut Diags, legal: &Legal, i: usize, c: &RawClause) -> Option<ClauseDef> {
    let f = format!("clause[{i}]");
    let number = c.number.get_ref().trim().to_string();
    if !valid_number(&number) {
        d.on(
            &c.number,
            format!("{f}.number"),
            format!("'{number}' is not a clause number like 52.222-50"),
        );
        return None;
    }
    if legal.clauses.contains_key(&number) {
        d.on(
            &c.number,
            format!("{f}.number"),
            format!("duplicate clause {number}"),
        );
        return None;
    }
    let vs = versions(d, &c.version, &format!("{f}.version"));
    let alternates = alternates(d, &c.alternate, &f);
    let scope = c.scope.clone().unwrap_or_else(|| match c.kind {
        ClauseKind::Provision => vec![Scope::Solicitation],
        ClauseKind::Clause => vec![Scope::Solicitation, Scope::Award],
    });
    let in_force_from = c
        .in_force_from
        .as_ref()
        .and_then(|v| to_date(d, v, &format!("{f}.in_force_from")));
    Some(ClauseDef {
        number,
        title: c.title.clone(),
        kind: c.kind,
        prescription: c.prescription.clone(),
        scope,
        in_force_from,
        reached_via: c.reached_via.iter().map(|v| v.get_ref().clone()).collect(),
        incorporates: incorporations(d, &c.incorporates, &f),
        when: clause_conditions(d, &c.when, &f),
        versions: vs,
        alternates,
    })
}

/// The alternates of clause `f`; one with number 0 or a repeated number is left out.
fn alternates(d: &mut Diags, raw: &[RawAlternate], f: &str) -> Vec<AlternateDef> {
    let mut out: Vec<AlternateDef> = Vec::new();
    for (j, a) in raw.iter().enumerate() {
        let n = *a.number.get_ref();
        if n == 0 || out.iter().any(|x| x.number == n) {
            d.on(
                &a.number,
                format!("{f}.alternate[{j}].number"),
                format!("alternate number {n} must be 1 or more and unique"),
            );
            continue;
        }
        out.push(AlternateDef {
            number: n,
            prescription: a.prescription.clone(),
            versions: versions(d, &a.version, &format!("{f}.alternate[{j}].version")),
        });
    }
    out
}

/// The `when` conditions of clause `f`; thresholds belong to rules, not clauses.
fn clause_conditions(d: &mut Diags, when: &[Spanned<String>], f: &str) -> Vec<super::Predicate> {
    when.iter()
        .filter_map(|w| match super::Predicate::parse(w.get_ref()) {
            Ok(p) if p.threshold().is_none() => Some(p),
            Ok(_) => {
                d.on(
                    w,
                    format!("{f}.when"),
                    "a clause condition cannot name a threshold: put it in the rule's `when`",
                );
                None
            }
            Err(e) => {
                d.on(w, format!("{f}.when"), e);
                None
            }
        })
        .collect()
}

/// reached_via and incorporates must name catalogued clauses (once every clause is known).
fn check_clause_links(d: &mut Diags, legal: &Legal, clauses: &[RawClause]) {
    for (i, c) in clauses.iter().enumerate() {
        for (k, v) in c.incorporates.iter().enumerate() {
            if !legal.clauses.contains_key(v.number.get_ref().trim()) {
                d.on(
                    &v.number,
                    format!("clause[{i}].incorporates[{k}].number"),
                    format!("unknown clause {} (not in far.toml)", v.number.get_ref()),
                );
            }
        }
        for v in &c.reached_via {
            if !legal.clauses.contains_key(v.get_ref()) {
                d.on(
                    v,
                    format!("clause[{i}].reached_via"),
                    format!("unknown clause {} (not in far.toml)", v.get_ref()),
                );
            }
        }
    }
}

/// `removed[i]`, or None when its number or dates cannot be read or it is listed twice.
fn removed_def(d: &mut Diags, legal: &Legal, i: usize, r: &RawRemoved) -> Option<RemovedDef> {
    let f = format!("removed[{i}]");
    let number = r.number.get_ref().trim().to_string();
    if !valid_number(&number) {
        d.on(
            &r.number,
            format!("{f}.number"),
            format!("'{number}' is not a clause number"),
        );
        return None;
    }
    if legal.clauses.contains_key(&number) || legal.removed.iter().any(|x| x.number == number) {
        d.on(
            &r.number,
            format!("{f}.number"),
            format!("{number} is listed twice (as a clause or as removed)"),
        );
        return None;
    }
    source_given(d, &r.source, &format!("{f}.source"));
    let removed = to_date(d, &r.removed, &format!("{f}.removed"))?;
    let reused = match (&r.reused, &r.reused_as, &r.reused_source) {
        (None, None, None) => None,
        (Some(from), Some(title), Some(source)) => {
            let from = to_date(d, from, &format!("{f}.reused"))?;
            if from <= removed {
                d.on(
                    r.reused.as_ref().expect("reused is set"),
                    format!("{f}.reused"),
                    format!("{from} is not after the removal on {removed}"),
                );
            }
            Some(Reuse {
                from,
                title: title.clone(),
                source: source.clone(),
            })
        }
        _ => {
            d.on(
                &r.number,
                format!("{f}.reused"),
                "reused, reused_as and reused_source go together",
            );
            None
        }
    };
    Some(RemovedDef {
        number,
        title: r.title.clone(),
        removed,
        source: r.source.get_ref().clone(),
        confidence: r.confidence,
        reused,
    })
}

pub(super) fn load_thresholds(d: &mut Diags, legal: &mut Legal) {
    let Some(file) = d.parse::<ThresholdsFile>() else {
        legal.unparsed.push("thresholds.toml");
        return;
    };
    for (i, t) in file.threshold.iter().enumerate() {
        let f = format!("threshold[{i}]");
        let name = t.name.get_ref().clone();
        if legal.thresholds.contains_key(&name) {
            d.on(
                &t.name,
                format!("{f}.name"),
                format!("duplicate threshold {name}"),
            );
            continue;
        }
        if t.step.get_ref().is_empty() {
            d.on(
                &t.step,
                format!("{f}.step"),
                "a threshold needs at least one step",
            );
        }
        let mut steps: Vec<Step> = Vec::new();
        for (j, s) in t.step.get_ref().iter().enumerate() {
            let sf = format!("{f}.step[{j}]");
            source_given(d, &s.source, &format!("{sf}.source"));
            let amount = *s.amount.get_ref();
            if !(amount.is_finite() && amount > 0.0) {
                d.on(
                    &s.amount,
                    format!("{sf}.amount"),
                    format!("{amount} is not a positive amount"),
                );
            }
            let from = match &s.from {
                Some(v) => match to_date(d, v, &format!("{sf}.from")) {
                    Some(date) => Some(date),
                    None => continue,
                },
                None if j > 0 => {
                    d.on(
                        &s.amount,
                        format!("{sf}.from"),
                        "only the first step may omit `from`",
                    );
                    continue;
                }
                None => None,
            };
            if let (Some(from), Some(prev)) = (from, steps.last())
                && prev.from.is_some_and(|p| from <= p)
            {
                d.on(
                    s.from.as_ref().expect("from is set"),
                    format!("{sf}.from"),
                    format!("steps must be in order: {from} is not after the previous step"),
                );
            }
            steps.push(Step {
                from,
                amount,
                source: s.source.get_ref().clone(),
                confidence: s.confidence,
            });
        }
        legal.thresholds.insert(
            name.clone(),
            ThresholdDef {
                name,
                title: t.title.clone(),
                used_by: t.used_by.clone(),
                steps,
            },
        );
    }
}

pub(super) fn load_eo13126(d: &mut Diags, legal: &mut Legal) {
    let Some(file) = d.parse::<Eo13126File>() else {
        return;
    };
    let mut names = BTreeSet::new();
    let mut products = Vec::new();
    for (i, p) in file.product.iter().enumerate() {
        let f = format!("product[{i}]");
        if !names.insert(p.name.get_ref().clone()) {
            d.on(
                &p.name,
                format!("{f}.name"),
                format!("duplicate product {}", p.name.get_ref()),
            );
        }
        products.push(listed_product(d, p, &f));
    }
    let exclusions = file
        .trade_exclusion
        .iter()
        .enumerate()
        .map(|(i, x)| trade_exclusion(d, x, &format!("trade_exclusion[{i}]")))
        .collect();
    legal.eo13126 = Eo13126 {
        source: file.meta.source,
        note: file.meta.note,
        confidence: Some(file.meta.confidence),
        products,
        exclusions,
    };
}

/// Product `f` of the EO 13126 list, its countries, keywords and codes checked.
fn listed_product(d: &mut Diags, p: &RawProduct, f: &str) -> ListedProduct {
    country_codes(d, &p.countries, f);
    if p.countries.is_empty() {
        d.on(&p.name, format!("{f}.countries"), "no country listed");
    }
    for k in &p.keywords {
        if k.get_ref().trim().is_empty() {
            d.on(k, format!("{f}.keywords"), "empty keyword");
        }
    }
    for (key, codes) in [("psc", &p.psc), ("naics", &p.naics)] {
        for c in codes {
            if c.get_ref().trim().is_empty()
                || !c.get_ref().bytes().all(|b| b.is_ascii_alphanumeric())
            {
                d.on(
                    c,
                    format!("{f}.{key}"),
                    format!("'{}' is not a code", c.get_ref()),
                );
            }
        }
    }
    let list = |v: &[Spanned<String>]| v.iter().map(|s| s.get_ref().trim().to_string()).collect();
    ListedProduct {
        name: p.name.get_ref().clone(),
        countries: list(&p.countries),
        keywords: list(&p.keywords),
        psc: list(&p.psc),
        naics: list(&p.naics),
        removed: removals(d, p, f),
    }
}

/// Countries taken off product `f`'s listing; each must be one the product lists.
fn removals(d: &mut Diags, p: &RawProduct, f: &str) -> Vec<Removal> {
    let mut removed = Vec::new();
    for (k, r) in p.removed.iter().enumerate() {
        let rf = format!("{f}.removed[{k}]");
        if !p
            .countries
            .iter()
            .any(|c| c.get_ref() == r.country.get_ref())
        {
            d.on(
                &r.country,
                format!("{rf}.country"),
                format!("{} is not listed for this product", r.country.get_ref()),
            );
        }
        source_given(d, &r.source, &format!("{rf}.source"));
        if let Some(on) = to_date(d, &r.on, &format!("{rf}.on")) {
            removed.push(Removal {
                country: r.country.get_ref().clone(),
                on,
                source: r.source.get_ref().clone(),
            });
        }
    }
    removed
}

fn trade_exclusion(d: &mut Diags, x: &RawExclusion, f: &str) -> TradeExclusion {
    country_codes(d, &x.countries, f);
    let at_least = *x.at_least.get_ref();
    if !(at_least.is_finite() && at_least > 0.0) {
        d.on(
            &x.at_least,
            format!("{f}.at_least"),
            format!("{at_least} is not a positive amount"),
        );
    }
    source_given(d, &x.source, &format!("{f}.source"));
    TradeExclusion {
        countries: x.countries.iter().map(|c| c.get_ref().clone()).collect(),
        at_least,
        source: x.source.get_ref().clone(),
    }
}

fn country_codes(d: &mut Diags, countries: &[Spanned<String>], f: &str) {
    for c in countries {
        let code = c.get_ref();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            d.on(
                c,
                format!("{f}.countries"),
                format!("'{code}' is not an ISO 3166-1 alpha-3 code like CHN"),
            );
        }
    }
}

pub(super) fn load_agencies(d: &mut Diags, legal: &mut Legal) {
    let Some(file) = d.parse::<AgenciesFile>() else {
        return;
    };
    for p in &file.dod.office_code_patterns {
        if let Err(e) = regex::Regex::new(p.get_ref()) {
            d.on(
                p,
                "dod.office_code_patterns",
                format!("not a valid regular expression: {e}"),
            );
        }
    }
    for n in &file.dod.names {
        if n.get_ref().trim().is_empty() {
            d.on(n, "dod.names", "empty name");
        }
    }
    let dod = file.dod;
    legal.dod = DodDef {
        agency_codes: dod.agency_codes,
        agency_code_prefixes: dod.agency_code_prefixes,
        names: dod.names.into_iter().map(|s| s.into_inner()).collect(),
        office_code_patterns: dod
            .office_code_patterns
            .into_iter()
            .map(|s| s.into_inner())
            .collect(),
        confidence: Some(dod.confidence),
    };
}

//! The types every layer shares: the inputs found, audit results (findings, statuses,
//! severities, outcomes) and what a run exits with.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Text many findings carry alike (a rule's id, kind, cite and fix, a sheet's column
/// header): made once, where the rules load or the header is read, and cloned by
/// reference count rather than copied into every finding. Reads, compares, prints and
/// serialises as the `str` it holds.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One [`Text`] per distinct string: what a report keeps for each of a million contracts
/// (vendor, agency, office, file, sheet, the finding it shows) mostly repeats, and held
/// this way it costs a reference each instead of a copy each.
#[derive(Debug, Default)]
pub struct Interner(std::collections::HashSet<Text>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.0.insert(t.clone());
        t
    }

    /// `t` itself if no equal text is held yet, else the one held.
    pub fn share(&mut self, t: &Text) -> Text {
        if let Some(held) = self.0.get(t.as_str()) {
            return held.clone();
        }
        self.0.insert(t.clone());
        t.clone()
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Arc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Arc::from(s.as_str()))
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    // Straight from the parser's `&str` into the shared allocation (serde's own
    // `Arc<str>` goes through a `Box<str>` first).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::from(v))
            }
        }
        d.deserialize_str(Visit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Gaps,
    Incomplete,
    Review,
    Compliant,
}

/// Statuses in report order, worst first: every count, table, legend and chart uses it.
pub const STATUSES: [Status; 4] = [
    Status::Gaps,
    Status::Incomplete,
    Status::Review,
    Status::Compliant,
];

/// Risks in report order, highest first.
pub const RISKS: [Risk; 4] = [Risk::High, Risk::Medium, Risk::Low, Risk::None];

impl Status {
    /// Position in [`STATUSES`] (0 is the worst).
    pub fn index(self) -> usize {
        match self {
            Status::Gaps => 0,
            Status::Incomplete => 1,
            Status::Review => 2,
            Status::Compliant => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Gaps => "gaps",
            Status::Incomplete => "incomplete",
            Status::Review => "review",
            Status::Compliant => "compliant",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    None,
    Low,
    Medium,
    High,
}

impl Risk {
    /// Position in [`RISKS`] (0 is the highest).
    pub fn index(self) -> usize {
        match self {
            Risk::High => 0,
            Risk::Medium => 1,
            Risk::Low => 2,
            Risk::None => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::None => "none",
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// Rule kinds as CONTRACT.md names them.
pub mod kind {
    pub const MISSING_CLAUSE: &str = "missing_clause";
    pub const WRONG_ALTERNATE: &str = "wrong_alternate";
    pub const MISSING_PROVISION: &str = "missing_provision";
    pub const MISSING_EVIDENCE: &str = "missing_evidence";
    pub const OUTDATED_CLAUSE: &str = "outdated_clause";
    pub const INCORPORATED_BY_REFERENCE: &str = "incorporated_by_reference";
    pub const OBSOLETE_CLAUSE: &str = "obsolete_clause";
    pub const HIGH_RISK_GOODS: &str = "high_risk_goods";
    pub const XINJIANG_ORIGIN: &str = "xinjiang_origin";
    pub const XINJIANG_NAME: &str = "xinjiang_name";
    pub const ENTITY_MATCH: &str = "entity_match";
    pub const BEST_PRACTICE_GAP: &str = "best_practice_gap";
    pub const DATA_ISSUE: &str = "data_issue";
}

/// One finding on one record. Field order is the `findings.jsonl` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Text,
    pub kind: Text,
    pub severity: Severity,
    pub message: String,
    pub cite: Text,
    /// Header text of the column the finding points to, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<Text>,
    pub fix: Text,
    /// 0-based column index of the cell the finding points to (for notes and links).
    #[serde(skip)]
    pub col_index: Option<u32>,
    /// For a record read from a contract document: the PDF page of the evidence.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
    /// For a record read from a contract document: the text line (DOCX paragraph).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u32>,
}

/// Where a record's clause evidence came from (`clause_sources` in `findings.jsonl`): a
/// clause report's sheet, or a contract document and the page or line of its clause list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ClauseSourceRef {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u32>,
}

impl std::fmt::Display for ClauseSourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " / {s}")?;
        }
        if let Some(p) = self.page {
            write!(f, " p. {p}")?;
        }
        if let Some(l) = self.line {
            write!(f, " line {l}")?;
        }
        Ok(())
    }
}

/// Clause evidence (`--clauses`) that matched no record of the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnmatchedEvidence {
    /// The contract id as the evidence prints it.
    pub contract_id: String,
    /// Clause references it holds.
    pub clauses: usize,
    pub sources: Vec<ClauseSourceRef>,
}

/// What the run's `--clauses` evidence was and what it reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceOutcome {
    /// Evidence files read (clause reports and contract documents).
    pub files: usize,
    /// Distinct contract ids in the evidence.
    pub contracts: usize,
    /// Evidence for contract ids no record of the run has.
    pub unmatched: Vec<UnmatchedEvidence>,
}

/// `row` in `findings.jsonl`: a record read from a contract document has none (`null`);
/// it is 0 in memory.
mod row_or_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(row: &u32, s: S) -> Result<S::Ok, S::Error> {
        if *row == 0 {
            s.serialize_none()
        } else {
            s.serialize_u32(*row)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        Ok(Option::<u32>::deserialize(d)?.unwrap_or(0))
    }
}

/// The verdict on one record (one spreadsheet row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordResult {
    pub file: String,
    pub sheet: String,
    /// 1-based row number as the spreadsheet shows it; 0 (`null` in JSON) for a record read
    /// from a contract document.
    #[serde(with = "row_or_null")]
    pub row: u32,
    pub contract_id: String,
    /// Modification number, when the sheet has one (duplicates are judged by id + mod).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub modification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transaction: Option<String>,
    pub status: Status,
    pub risk: Risk,
    pub risk_categories: Vec<String>,
    pub findings: Vec<Finding>,
    /// Where the record's clauses came from, when clause evidence (`--clauses`, or the
    /// document the record was read from) supplied them.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub clause_sources: Vec<ClauseSourceRef>,
    /// Grouping facts carried for the gap report (not part of the verdict).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub office: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<f64>,
}

impl RecordResult {
    /// What makes a record unique in a batch: contract id (case-folded), parent IDV,
    /// modification and transaction number.
    pub fn identity(&self) -> (String, Option<String>, Option<String>, Option<String>) {
        (
            self.contract_id.trim().to_ascii_uppercase(),
            self.parent_id.clone(),
            self.modification.clone(),
            self.transaction.clone(),
        )
    }
}

/// Status from findings, CONTRACT.md section 3: the first rule that holds.
pub fn status_of(findings: &[Finding]) -> Status {
    let gap = findings.iter().any(|f| {
        f.kind != kind::DATA_ISSUE && matches!(f.severity, Severity::High | Severity::Medium)
    });
    if gap {
        Status::Gaps
    } else if findings.iter().any(|f| f.rule == "DATA001") {
        Status::Incomplete
    } else if findings.iter().any(|f| f.severity == Severity::Low) {
        Status::Review
    } else {
        Status::Compliant
    }
}

/// Risk from findings: the highest severity among RISK/ENT findings.
pub fn risk_of(findings: &[Finding]) -> Risk {
    findings
        .iter()
        .filter(|f| f.rule.starts_with("RISK") || f.rule.starts_with("ENT"))
        .map(|f| match f.severity {
            Severity::High => Risk::High,
            Severity::Medium => Risk::Medium,
            Severity::Low | Severity::Info => Risk::Low,
        })
        .max()
        .unwrap_or(Risk::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rule: &str, kind: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            kind: kind.into(),
            severity,
            message: String::new(),
            cite: Text::default(),
            column: None,
            fix: Text::default(),
            col_index: None,
            page: None,
            line: None,
        }
    }

    #[test]
    fn status_order() {
        assert_eq!(status_of(&[]), Status::Compliant);
        assert_eq!(
            status_of(&[f("DATA002", kind::DATA_ISSUE, Severity::Info)]),
            Status::Compliant
        );
        assert_eq!(
            status_of(&[f("TIP006", kind::INCORPORATED_BY_REFERENCE, Severity::Low)]),
            Status::Review
        );
        // A medium data issue is not a gap, but DATA001 makes the record incomplete.
        assert_eq!(
            status_of(&[
                f("DATA001", kind::DATA_ISSUE, Severity::Medium),
                f("TIP006", kind::INCORPORATED_BY_REFERENCE, Severity::Low)
            ]),
            Status::Incomplete
        );
        assert_eq!(
            status_of(&[
                f("DATA001", kind::DATA_ISSUE, Severity::Medium),
                f("TIP001", kind::MISSING_CLAUSE, Severity::High)
            ]),
            Status::Gaps
        );
    }

    #[test]
    fn order_arrays_match_index() {
        for (i, s) in STATUSES.into_iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?}");
        }
        for (i, r) in RISKS.into_iter().enumerate() {
            assert_eq!(r.index(), i, "{r:?}");
        }
    }

    #[test]
    fn tally_counts_and_takes_back() {
        let mut r = RecordResult {
            file: "a.csv".into(),
            sheet: "a".into(),
            row: 2,
            contract_id: "X1".into(),
            modification: None,
            parent_id: None,
            transaction: None,
            status: Status::Review,
            risk: Risk::Low,
            risk_categories: Vec::new(),
            findings: vec![
                f("RISK001", kind::HIGH_RISK_GOODS, Severity::Low),
                f("RISK001", kind::HIGH_RISK_GOODS, Severity::Low),
            ],
            clause_sources: Vec::new(),
            agency: None,
            office: None,
            vendor: None,
            value: Some(10.0),
        };
        let mut t = Tally::default();
        t.add(&r);
        t.add_value(r.value);
        t.add_value(Some(f64::NAN));
        assert_eq!(
            (t.records, t.status, t.risk),
            (1, [0, 0, 1, 0], [0, 0, 1, 0])
        );
        assert_eq!(t.rules.get("RISK001"), Some(&1));
        assert_eq!(t.value, 10.0);
        t.remove(&r);
        r.status = Status::Gaps;
        r.risk = Risk::High;
        t.add(&r);
        assert_eq!((t.gaps(), t.high_risk(), t.records), (1, 1, 1));
        assert_eq!(t.status, [1, 0, 0, 0]);
        let mut sum = t.clone();
        sum.absorb(&t);
        assert_eq!((sum.records, sum.risk, sum.value), (2, [2, 0, 0, 0], 20.0));
    }

    #[test]
    fn risk_is_highest_risk_finding() {
        assert_eq!(
            risk_of(&[f("TIP001", kind::MISSING_CLAUSE, Severity::High)]),
            Risk::None
        );
        assert_eq!(
            risk_of(&[
                f("RISK001", kind::HIGH_RISK_GOODS, Severity::Medium),
                f("ENT001", kind::ENTITY_MATCH, Severity::High)
            ]),
            Risk::High
        );
    }
}

/// What happened to one sheet of an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetOutcome {
    pub name: String,
    /// True when a header with a contract-id column was found and rows were audited.
    pub audited: bool,
    /// 0-based header row, when audited.
    pub header_row: Option<u32>,
    pub records: usize,
    /// Why the sheet was not audited, or how it was used (e.g. "long-form clause list").
    pub note: Option<String>,
    /// Practice evidence fields the sheet has a column for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Records with no clause data at all (no clause column, no long-form sheet, no
    /// `--clauses` evidence): clause compliance was not checked for them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub no_clause_data: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Records of the batch with no clause data (see `SheetOutcome::no_clause_data`).
pub fn no_clause_data(files: &[FileOutcome]) -> usize {
    files
        .iter()
        .flat_map(|f| &f.sheets)
        .map(|s| s.no_clause_data)
        .sum()
}

/// The sentence every report gives when records had no clause data, `None` when all had.
pub fn clauses_not_checked(files: &[FileOutcome]) -> Option<String> {
    let n = no_clause_data(files);
    (n > 0).then(|| {
        format!(
            "clause compliance not checked for {} record{}: no clause data; add the \
             clause report with --clauses",
            group_digits(n as u64),
            if n == 1 { "" } else { "s" }
        )
    })
}

/// What happened to one input file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileOutcome {
    /// The path as given on the command line (or the walked directory joined with the rest).
    pub file: String,
    /// `None` when audited; the error message when the file could not be audited.
    pub error: Option<String>,
    pub sheets: Vec<SheetOutcome>,
    /// This file's records, held only while the file is finished (the annotated copy's
    /// `FileSink::finish` reads them when the sink asks for them). Always empty in a
    /// `BatchOutcome`: memory must not grow with the portfolio, so the batch's records live
    /// in `findings.jsonl` and are read back with `BatchOutcome::results`.
    #[serde(skip)]
    pub results: Vec<RecordResult>,
    /// Number of records audited in this file (its lines in `findings.jsonl`).
    pub records: usize,
    /// The annotated copy written for this input, if any.
    pub annotated: Option<std::path::PathBuf>,
}

impl FileOutcome {
    /// An input that could not be audited.
    pub fn failed(file: String, error: String) -> FileOutcome {
        FileOutcome {
            file,
            error: Some(error),
            ..FileOutcome::default()
        }
    }
}

/// Counts of records by status and risk, the one counting type of every output: the run's
/// totals (kept while records stream past, so the summary and the exit code never need the
/// records themselves), and each group, file or category of the reports. The rule counts,
/// highest severity and value are filled only by the methods that take them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    pub records: usize,
    /// Indexed like [`STATUSES`].
    pub status: [usize; 4],
    /// Indexed like [`RISKS`].
    pub risk: [usize; 4],
    /// Records with at least one finding of the rule, by rule id.
    pub rules: BTreeMap<String, usize>,
    /// The highest severity of any finding.
    pub max_severity: Option<Severity>,
    /// Sum of the known values (USD) given to [`Tally::add_value`].
    pub value: f64,
}

impl Tally {
    /// Count one record by its status and risk only.
    pub fn count(&mut self, status: Status, risk: Risk) {
        self.records += 1;
        self.status[status.index()] += 1;
        self.risk[risk.index()] += 1;
    }

    /// Add a value to the total; a missing or non-finite value adds nothing.
    pub fn add_value(&mut self, value: Option<f64>) {
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.value += v;
        }
    }

    /// Records with status `gaps`.
    pub fn gaps(&self) -> usize {
        self.status[Status::Gaps.index()]
    }

    /// Records with high risk.
    pub fn high_risk(&self) -> usize {
        self.risk[Risk::High.index()]
    }

    /// Count one record with its rules and highest severity.
    pub fn add(&mut self, r: &RecordResult) {
        self.add_parts(
            r.status,
            r.risk,
            r.findings.iter().map(|f| (f.rule.as_str(), f.severity)),
        );
    }

    /// Count one record from its status, risk and (rule, severity) of each finding.
    pub fn add_parts<'a>(
        &mut self,
        status: Status,
        risk: Risk,
        findings: impl Iterator<Item = (&'a str, Severity)> + Clone,
    ) {
        self.change(status, risk, findings.clone(), 1);
        self.max_severity = self.max_severity.max(findings.map(|(_, s)| s).max());
    }

    /// Take a record back out (before re-adding it with a finding appended). The highest
    /// severity only ever grows, so it is left as is.
    pub fn remove(&mut self, r: &RecordResult) {
        let findings = r.findings.iter().map(|f| (f.rule.as_str(), f.severity));
        self.change(r.status, r.risk, findings, -1);
    }

    fn change<'a>(
        &mut self,
        status: Status,
        risk: Risk,
        findings: impl Iterator<Item = (&'a str, Severity)> + Clone,
        by: isize,
    ) {
        let bump = |n: &mut usize| *n = n.wrapping_add_signed(by);
        bump(&mut self.records);
        bump(&mut self.status[status.index()]);
        bump(&mut self.risk[risk.index()]);
        for (i, (rule, _)) in findings.clone().enumerate() {
            // Count each rule once per record without allocating a set.
            if findings.clone().take(i).any(|(g, _)| g == rule) {
                continue;
            }
            match self.rules.get_mut(rule) {
                Some(n) => bump(n),
                None => {
                    let mut n = 0;
                    bump(&mut n);
                    self.rules.insert(rule.to_string(), n);
                }
            }
        }
    }

    pub fn absorb(&mut self, other: &Tally) {
        self.records += other.records;
        for (mine, theirs) in self.status.iter_mut().zip(other.status) {
            *mine += theirs;
        }
        for (mine, theirs) in self.risk.iter_mut().zip(other.risk) {
            *mine += theirs;
        }
        for (k, v) in &other.rules {
            *self.rules.entry(k.clone()).or_default() += v;
        }
        self.max_severity = self.max_severity.max(other.max_severity);
        self.value += other.value;
    }
}

/// One input to audit: the path to open and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: std::path::PathBuf,
    /// The path as given (or the walked directory as given joined with the rest).
    pub display: String,
}

/// The inputs found from the command line, plus what could not be used.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<Input>,
    /// Named paths that are missing or of another type, and walk errors: (path, message).
    pub errors: Vec<(String, String)>,
    /// Files in walked directories that are not audited inputs, each with the reason.
    pub skipped: Vec<Skipped>,
}

/// A file found in a walked directory and not audited.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// Exit codes (CONTRACT.md section 1).
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// The lowest severity that makes a run exit 1 (`--fail-on`); `Never` keeps it at 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    High,
    Medium,
    Low,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Never => None,
        }
    }
}

/// `1234567` -> `1,234,567`, as every output shows counts.
pub fn group_digits(n: u64) -> String {
    let mut out = String::new();
    push_grouped(&mut out, &n.to_string());
    out
}

/// Appends a string of ASCII digits to `out`, grouped by thousands with commas: the one
/// grouping behind every count and dollar amount the outputs print.
pub fn push_grouped(out: &mut String, digits: &str) {
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
}

/// The whole run, in input order: what every report is built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchOutcome {
    pub files: Vec<FileOutcome>,
    /// Files in walked directories skipped because of their type.
    pub skipped_files: usize,
    /// The `--as-of` date used for records without a date (ISO).
    pub as_of: String,
    /// Where the rule data came from (`built-in` or a directory).
    pub rules_origin: String,
    /// Counts over every record (cross-file duplicates included).
    pub tally: Tally,
    /// The `findings.jsonl` holding every record, in input order.
    pub findings: std::path::PathBuf,
    /// M-20-01 practices no audited sheet has an evidence column for, with the column that
    /// would enable each (`BP-02: "TIP Policy Notice Issued"`).
    pub practices_unchecked: Vec<String>,
    /// The `--clauses` evidence and what it did not reach.
    pub evidence: EvidenceOutcome,
}

impl BatchOutcome {
    /// 2 when an input failed, else 1 when a finding reaches `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        if self.files.iter().any(|f| f.error.is_some()) {
            return EXIT_ERROR;
        }
        let Some(min) = fail_on.threshold() else {
            return EXIT_CLEAN;
        };
        let hit = self.tally.max_severity.is_some_and(|s| s >= min);
        if hit { EXIT_FINDINGS } else { EXIT_CLEAN }
    }

    /// Every record in input order, read back from `findings.jsonl` one at a time (bounded
    /// memory). `Finding::col_index` is not in the JSON, so it is `None` here; error lines
    /// are not records and are left out (they are `files[].error`).
    pub fn results(&self) -> anyhow::Result<Results> {
        let file = std::fs::File::open(&self.findings)
            .map_err(|e| anyhow::anyhow!("cannot read back {}: {e}", self.findings.display()))?;
        Ok(Results {
            lines: std::io::BufRead::lines(std::io::BufReader::with_capacity(1 << 16, file)),
            left: self.tally.records,
            ready: std::collections::VecDeque::new(),
        })
    }
}

/// Lines parsed at a time by [`Results`]: enough to share among cores, little memory.
const RESULTS_CHUNK: usize = 512;

/// Records streamed back from `findings.jsonl` (see `BatchOutcome::results`). Lines are
/// parsed a chunk at a time on every core (parsing is most of the cost of a pass), and
/// handed out in file order.
pub struct Results {
    lines: std::io::Lines<std::io::BufReader<std::fs::File>>,
    left: usize,
    ready: std::collections::VecDeque<anyhow::Result<RecordResult>>,
}

impl Results {
    fn refill(&mut self) {
        use rayon::prelude::*;
        let mut chunk = Vec::with_capacity(RESULTS_CHUNK.min(self.left));
        // Record lines come first; the error lines after them are not records.
        while chunk.len() < RESULTS_CHUNK && self.left > 0 {
            self.left -= 1;
            match self.lines.next() {
                Some(line) => chunk.push(line),
                None => break,
            }
        }
        let parsed: Vec<anyhow::Result<RecordResult>> = chunk
            .into_par_iter()
            .map(|line| Ok(serde_json::from_str(&line?)?))
            .collect();
        self.ready.extend(parsed);
    }
}

impl Iterator for Results {
    type Item = anyhow::Result<RecordResult>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() {
            self.refill();
        }
        self.ready.pop_front()
    }
}

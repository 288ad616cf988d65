//! What the portfolio reports count, built one record at a time: totals, rules, data
//! issues, categories, files, contracts, the top-risk candidates and the listed samples.
//! Each input builds a part of its own while its records stream past; parts merge in input
//! order, so the result is the same whichever thread audited which file, and the same as
//! one pass over `findings.jsonl`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::contracts::{ContractIndex, is_compliance_gap, is_exposure_gap};
use super::portfolio::{DATA_SAMPLE, DataIssue, GAP_SAMPLE, RuleRow, TOP_RISK_ROWS};
use crate::model::{BatchOutcome, RecordResult, Risk, Severity, Status, Tally, kind};

/// The aggregate of a run of records in input order: one file's (a part) or the batch's.
#[derive(Debug, Default)]
pub struct Aggregate {
    /// Records added or merged: the position of the next one.
    pub(super) records: usize,
    /// Records by status and risk (values are summed apart, below).
    pub(super) totals: Tally,
    /// Summed known values of every record and of the records with gaps.
    pub(super) value: f64,
    pub(super) gap_value: f64,
    /// A part keeps its known values, with whether the record has gaps, instead of summing
    /// them: a sum continued in input order across parts is the same as one pass's, bit
    /// for bit.
    values: Option<Vec<Value>>,
    pub(super) findings: usize,
    /// Gap rules and data-issue rules by id (titles are filled in by the reports).
    pub(super) rules: BTreeMap<String, RuleRow>,
    pub(super) data: BTreeMap<String, RuleRow>,
    pub(super) data_issues: usize,
    /// Records by category.
    pub(super) categories: BTreeMap<String, Tally>,
    /// (file as records name it, its records by status and risk, its findings).
    pub(super) files: Vec<(String, Tally, usize)>,
    pub(super) contracts: ContractIndex,
    /// Top-risk candidates with their position; at least the [`TOP_RISK_ROWS`] best.
    pub(super) top: Vec<(usize, RecordResult)>,
    pub(super) gap_count: usize,
    pub(super) gap_sample: Vec<RecordResult>,
    pub(super) data_sample: Vec<DataIssue>,
    /// The position of each sample's records, where a patched record is found.
    gap_at: Vec<usize>,
    data_at: Vec<usize>,
    pub(super) gap_records_compliance: usize,
    pub(super) gap_records_exposure: usize,
    pub(super) no_clause_data: usize,
    /// The listing rows of the records, spooled per input in input order
    /// ([`super::listings`]); `None` when some records have none there.
    pub(super) rows: Option<Vec<PathBuf>>,
}

/// A known value kept by a part, with its record's position and whether it has gaps.
#[derive(Debug, Clone, Copy)]
struct Value {
    value: f64,
    /// A part is one input's records, far fewer than 2^32.
    at: u32,
    gap: bool,
}

/// A DATA001 finding that says the record has no clause data (whether 52.222-50 is cited
/// cannot be determined).
fn is_no_clause_data(f: &crate::model::Finding) -> bool {
    f.rule == "DATA001" && f.message.starts_with("clauses ")
}

/// Ranking key of the top-risk table: highest risk, then most high-severity findings, then
/// most findings, then largest value; input order breaks ties.
fn risk_score(r: &RecordResult) -> (Risk, usize, usize) {
    let high = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::High)
        .count();
    (r.risk, high, r.findings.len())
}

pub(super) fn rank_top(v: &mut Vec<(usize, RecordResult)>) {
    v.sort_by(|(ia, a), (ib, b)| {
        risk_score(b)
            .cmp(&risk_score(a))
            .then(
                b.value
                    .unwrap_or(0.0)
                    .partial_cmp(&a.value.unwrap_or(0.0))
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then(ia.cmp(ib))
    });
    v.truncate(TOP_RISK_ROWS);
}

/// A record as `findings.jsonl` gives it back: a value that is not finite is written as
/// `null`. Kept copies are normalised so the reports say the same from either source.
fn kept(r: &RecordResult) -> RecordResult {
    let mut r = r.clone();
    r.value = r.value.filter(|v| v.is_finite());
    r
}

/// A record the top-risk table may list.
fn is_top_candidate(r: &RecordResult) -> bool {
    r.risk != Risk::None || r.status == Status::Gaps
}

/// Take a record's status and risk back out of a count.
fn uncount(t: &mut Tally, r: &RecordResult) {
    t.records -= 1;
    t.status[r.status.index()] -= 1;
    t.risk[r.risk.index()] -= 1;
}

fn data_issue(r: &RecordResult, fd: &crate::model::Finding) -> DataIssue {
    DataIssue {
        file: r.file.clone(),
        sheet: r.sheet.clone(),
        row: r.row,
        contract_id: r.contract_id.clone(),
        rule: fd.rule.to_string(),
        severity: fd.severity,
        column: fd.column.as_deref().map(String::from),
        message: fd.message.clone(),
    }
}

impl Aggregate {
    /// An empty part, for one file's records.
    pub fn part() -> Aggregate {
        Aggregate {
            values: Some(Vec::new()),
            ..Aggregate::default()
        }
    }

    /// An empty aggregate whose parts spool their listing rows.
    pub fn spooled() -> Aggregate {
        Aggregate {
            rows: Some(Vec::new()),
            ..Aggregate::default()
        }
    }

    /// The records added here have their listing rows in `path`.
    pub fn set_rows(&mut self, path: PathBuf) {
        self.rows = Some(vec![path]);
    }

    /// Every record of a finished batch, read back from its `findings.jsonl`.
    pub fn read(batch: &BatchOutcome) -> anyhow::Result<Aggregate> {
        let mut agg = Aggregate::default();
        for r in batch.results()? {
            agg.add(&r?);
        }
        Ok(agg)
    }

    /// A finished part, made as small as it can be while it waits to be merged: only its
    /// best top-risk candidates can make the table.
    pub fn finish_part(mut self) -> Aggregate {
        if self.top.len() > TOP_RISK_ROWS {
            rank_top(&mut self.top);
        }
        self.top.shrink_to_fit();
        self
    }

    /// Records added or merged so far.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Count one more record, the next in input order.
    pub fn add(&mut self, r: &RecordResult) {
        let at = self.records;
        self.records += 1;
        self.totals.count(r.status, r.risk);
        let is_gap = r.status == Status::Gaps;
        if let Some(v) = r.value.filter(|v| v.is_finite()) {
            self.add_value(v, is_gap, at);
        }
        self.contracts.add(r);
        self.count_flags(r, 1);
        match self.files.last_mut() {
            Some((file, counts, findings)) if *file == r.file => {
                counts.count(r.status, r.risk);
                *findings += r.findings.len();
            }
            _ => {
                let mut counts = Tally::default();
                counts.count(r.status, r.risk);
                self.files.push((r.file.clone(), counts, r.findings.len()));
            }
        }
        self.findings += r.findings.len();
        for c in &r.risk_categories {
            if let Some(t) = self.categories.get_mut(c) {
                t.count(r.status, r.risk);
            } else {
                let mut t = Tally::default();
                t.count(r.status, r.risk);
                self.categories.insert(c.clone(), t);
            }
        }
        self.count_findings(r, 0, at);
        if is_gap {
            self.gap_count += 1;
            self.sample_gap(r, at);
        }
        if is_top_candidate(r) {
            self.top.push((at, kept(r)));
            // Keep the candidate list bounded: re-rank once it doubles.
            if self.top.len() >= 2 * TOP_RISK_ROWS {
                rank_top(&mut self.top);
            }
        }
    }

    /// Count record `at` again after findings were appended to it (a cross-file duplicate's
    /// DATA003): `new` is `old` with more findings and the status and risk they give,
    /// neither of which is ever better. Leaves the part exactly as counting every record
    /// again with `new` in its place would; only a part can be patched (its values are
    /// kept apart).
    pub fn patch(&mut self, at: usize, old: &RecordResult, new: &RecordResult) {
        debug_assert!(new.findings.len() >= old.findings.len());
        let recount = |t: &mut Tally| {
            uncount(t, old);
            t.count(new.status, new.risk);
        };
        recount(&mut self.totals);
        for c in &new.risk_categories {
            if let Some(t) = self.categories.get_mut(c) {
                recount(t);
            }
        }
        let added = new.findings.len() - old.findings.len();
        if let Some((_, t, findings)) = self.files.iter_mut().rev().find(|f| f.0 == new.file) {
            recount(t);
            *findings += added;
        }
        self.findings += added;
        self.contracts.patch(at, old, new);
        self.count_flags(old, -1);
        self.count_flags(new, 1);
        self.count_findings(new, old.findings.len(), at);
        let is_gap = new.status == Status::Gaps;
        if old.status == Status::Gaps {
            if let Ok(i) = self.gap_at.binary_search(&at) {
                self.gap_sample[i] = kept(new);
            }
        } else if is_gap {
            self.gap_count += 1;
            self.sample_gap(new, at);
            let value = new.value.filter(|v| v.is_finite());
            if let (Some(values), Some(v)) = (&mut self.values, value) {
                // Values are kept in record order.
                let pos = values.partition_point(|x| (x.at as usize) < at);
                if let Some(x) = values.get_mut(pos).filter(|x| x.at as usize == at) {
                    debug_assert_eq!(x.value.to_bits(), v.to_bits());
                    x.gap = true;
                }
            }
        }
        if is_top_candidate(new) {
            // The record's score only grew, so it may rank where it was not kept before;
            // every other record ranks as before or lower, so the part's best are still
            // among its candidates.
            match self.top.iter_mut().find(|(i, _)| *i == at) {
                Some((_, r)) => *r = kept(new),
                None => self.top.push((at, kept(new))),
            }
        }
    }

    fn add_value(&mut self, value: f64, gap: bool, at: usize) {
        match &mut self.values {
            Some(values) => values.push(Value {
                value,
                at: at as u32,
                gap,
            }),
            None => {
                self.value += value;
                if gap {
                    self.gap_value += value;
                }
            }
        }
    }

    /// Count (`by` 1) or take back (-1) what a record adds to the no-clause-data and gap
    /// axis counts.
    fn count_flags(&mut self, r: &RecordResult, by: isize) {
        let bump = |n: &mut usize, yes: bool| {
            if yes {
                *n = n.wrapping_add_signed(by);
            }
        };
        bump(
            &mut self.no_clause_data,
            r.findings.iter().any(is_no_clause_data),
        );
        if r.status == Status::Gaps {
            bump(
                &mut self.gap_records_compliance,
                r.findings.iter().any(is_compliance_gap),
            );
            bump(
                &mut self.gap_records_exposure,
                r.findings.iter().any(is_exposure_gap),
            );
        }
    }

    /// Keep gap record `at` if it is among the first [`GAP_SAMPLE`].
    fn sample_gap(&mut self, r: &RecordResult, at: usize) {
        let pos = self.gap_at.partition_point(|i| *i < at);
        if pos < GAP_SAMPLE {
            self.gap_sample.insert(pos, kept(r));
            self.gap_at.insert(pos, at);
            self.gap_sample.truncate(GAP_SAMPLE);
            self.gap_at.truncate(GAP_SAMPLE);
        }
    }

    /// Count the findings of record `at` from the `from`-th on by rule (gaps and data
    /// issues apart), and keep the first data issues.
    fn count_findings(&mut self, r: &RecordResult, from: usize, at: usize) {
        for (i, fd) in r.findings.iter().enumerate().skip(from) {
            let is_data = fd.kind == kind::DATA_ISSUE;
            if is_data {
                self.data_issues += 1;
                // After the record's earlier data issues and those of the records before.
                let pos = self.data_at.partition_point(|j| *j <= at);
                if pos < DATA_SAMPLE {
                    self.data_sample.insert(pos, data_issue(r, fd));
                    self.data_at.insert(pos, at);
                    self.data_sample.truncate(DATA_SAMPLE);
                    self.data_at.truncate(DATA_SAMPLE);
                }
            }
            let map = if is_data {
                &mut self.data
            } else {
                &mut self.rules
            };
            let e = match map.get_mut(fd.rule.as_str()) {
                Some(e) => e,
                None => map.entry(fd.rule.to_string()).or_insert_with(|| RuleRow {
                    rule: fd.rule.to_string(),
                    title: String::new(),
                    kind: fd.kind.to_string(),
                    severity: fd.severity,
                    findings: 0,
                    records: 0,
                }),
            };
            e.severity = e.severity.max(fd.severity);
            e.findings += 1;
            // Count each rule once per record.
            if !r.findings[..i].iter().any(|g| g.rule == fd.rule) {
                e.records += 1;
            }
        }
    }

    /// Append `next`, whose records follow this aggregate's in input order.
    pub fn merge(&mut self, next: Aggregate) {
        let base = self.records;
        self.records += next.records;
        self.totals.absorb(&next.totals);
        match next.values {
            Some(values) => {
                for v in values {
                    self.add_value(v.value, v.gap, base + v.at as usize);
                }
            }
            // Already summed (not a part): its sums go in as they are.
            None => {
                self.value += next.value;
                self.gap_value += next.gap_value;
            }
        }
        self.findings += next.findings;
        for (mine, theirs) in [(&mut self.rules, next.rules), (&mut self.data, next.data)] {
            for (rule, row) in theirs {
                match mine.get_mut(&rule) {
                    Some(e) => {
                        e.severity = e.severity.max(row.severity);
                        e.findings += row.findings;
                        e.records += row.records;
                    }
                    None => {
                        mine.insert(rule, row);
                    }
                }
            }
        }
        self.data_issues += next.data_issues;
        for (c, t) in next.categories {
            self.categories.entry(c).or_default().absorb(&t);
        }
        let mut files = next.files.into_iter();
        if let (Some(last), Some(first)) = (self.files.last_mut(), files.as_slice().first())
            && last.0 == first.0
        {
            last.1.absorb(&first.1);
            last.2 += first.2;
            files.next();
        }
        self.files.extend(files);
        self.contracts.merge(next.contracts);
        self.top
            .extend(next.top.into_iter().map(|(i, r)| (base + i, r)));
        if self.top.len() >= 2 * TOP_RISK_ROWS {
            rank_top(&mut self.top);
        }
        self.gap_count += next.gap_count;
        let room = GAP_SAMPLE - self.gap_sample.len();
        self.gap_sample
            .extend(next.gap_sample.into_iter().take(room));
        self.gap_at
            .extend(next.gap_at.into_iter().take(room).map(|i| base + i));
        let room = DATA_SAMPLE - self.data_sample.len();
        self.data_sample
            .extend(next.data_sample.into_iter().take(room));
        self.data_at
            .extend(next.data_at.into_iter().take(room).map(|i| base + i));
        self.gap_records_compliance += next.gap_records_compliance;
        self.gap_records_exposure += next.gap_records_exposure;
        self.no_clause_data += next.no_clause_data;
        match next.rows {
            Some(rows) => {
                if let Some(mine) = &mut self.rows {
                    mine.extend(rows);
                }
            }
            None if next.records > 0 => self.rows = None,
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, risk_of, status_of};

    fn finding(rule: &str, kind: &str, severity: Severity, text: &str) -> Finding {
        Finding {
            rule: rule.into(),
            kind: kind.into(),
            severity,
            message: format!("{rule} {text}"),
            cite: "FAR".into(),
            column: None,
            fix: format!("fix {text}").into(),
            col_index: None,
            page: None,
            line: None,
        }
    }

    /// Records of several contracts whose actions spread over the whole list, with values
    /// that do not add up exactly in floating point, varying statuses and rules.
    fn records() -> Vec<RecordResult> {
        many(60, 20)
    }

    /// `n` records, `per_file` to a file.
    fn many(n: u32, per_file: u32) -> Vec<RecordResult> {
        (0..n)
            .map(|i| {
                let mut findings = Vec::new();
                if i % 3 == 1 {
                    findings.push(finding("DATA001", kind::DATA_ISSUE, Severity::Info, "c"));
                    findings[0].message = "clauses not given".into();
                }
                if i % 3 == 0 {
                    findings.push(finding("TIP001", "missing_clause", Severity::High, "a"));
                }
                if i % 4 == 1 {
                    findings.push(finding("RISK001", "forced_labor", Severity::Medium, "b"));
                }
                if i % 5 == 2 {
                    findings.push(finding("DATA002", kind::DATA_ISSUE, Severity::Low, "c"));
                }
                if i % 7 == 3 {
                    findings.push(finding("TIP006", "practice", Severity::Low, &i.to_string()));
                }
                RecordResult {
                    file: format!("f{}.xlsx", i / per_file),
                    sheet: "S".into(),
                    row: i + 2,
                    contract_id: format!("C-{}", i % 9),
                    modification: Some(format!("P{i}")),
                    parent_id: None,
                    transaction: None,
                    status: status_of(&findings),
                    risk: risk_of(&findings),
                    risk_categories: if i % 4 == 1 {
                        vec![format!("cat{}", i % 3)]
                    } else {
                        vec![]
                    },
                    findings,
                    clause_sources: Vec::new(),
                    agency: Some(format!("A{}", i % 2)),
                    office: None,
                    vendor: (i % 6 != 0).then(|| format!("V{i}")),
                    value: match i % 5 {
                        0 => None,
                        1 => Some(0.0),
                        2 => Some(f64::NAN),
                        _ => Some(0.1 * f64::from(i) + 1e6 / f64::from(i + 1)),
                    },
                }
            })
            .collect()
    }

    type Seen = (
        usize,
        Tally,
        f64,
        f64,
        Vec<RuleRow>,
        Vec<RuleRow>,
        Vec<(String, Tally)>,
        Vec<(String, Tally, usize)>,
        Vec<super::super::contracts::Contract>,
        Vec<(usize, RecordResult)>,
        Vec<RecordResult>,
        (Vec<DataIssue>, [usize; 4]),
    );

    fn seen(a: Aggregate) -> Seen {
        let mut top = a.top;
        rank_top(&mut top);
        (
            a.records,
            a.totals,
            a.value,
            a.gap_value,
            a.rules.into_values().collect(),
            a.data.into_values().collect(),
            a.categories.into_iter().collect(),
            a.files,
            a.contracts.finish(),
            top,
            a.gap_sample,
            (
                a.data_sample,
                [
                    a.gap_count,
                    a.gap_records_compliance,
                    a.gap_records_exposure,
                    a.no_clause_data,
                ],
            ),
        )
    }

    #[test]
    fn parts_merged_in_input_order_equal_one_pass() {
        let all = records();
        let mut one = Aggregate::default();
        for r in &all {
            one.add(r);
        }
        // Split unevenly, two parts cutting through one file's records.
        let mut merged = Aggregate::default();
        for chunk in [&all[..7], &all[7..20], &all[20..21], &all[21..]] {
            let mut part = Aggregate::part();
            for r in chunk {
                part.add(r);
            }
            merged.merge(part);
        }
        let (one, merged) = (seen(one), seen(merged));
        assert_eq!(one.0, 60);
        assert!(one.2 > 0.0 && one.3 > 0.0);
        assert_eq!(
            one.2.to_bits(),
            merged.2.to_bits(),
            "value summed bit for bit"
        );
        assert_eq!(one.3.to_bits(), merged.3.to_bits());
        assert_eq!(one.7.len(), 3, "one row per file");
        assert!(one.8.len() == 9 && one.8.iter().all(|c| c.actions > 1));
        assert_eq!(format!("{one:?}"), format!("{merged:?}"));
    }

    /// Parts patched with appended findings (a low data issue, as DATA003 is, or a high
    /// gap, as a rules directory may make it) equal one pass over the changed records:
    /// marked records first and last in their file, changing status and not, ranked into
    /// the top-risk table from below its cut, inserted into full data samples.
    #[test]
    fn patched_parts_equal_one_pass_over_the_changed_records() {
        let per_file = 1500;
        let all = many(3 * per_file, per_file);
        let marked = |i: usize| i % 37 == 5 || i.is_multiple_of(1500) || i % 1500 == 1499;
        let top_of = |records: &[RecordResult]| {
            let mut one = Aggregate::default();
            records.iter().for_each(|r| one.add(r));
            let mut top = one.top;
            rank_top(&mut top);
            top.into_iter().map(|(i, _)| i).collect::<Vec<_>>()
        };
        let before = top_of(&all);
        for (kind, severity) in [
            (kind::DATA_ISSUE, Severity::Low),
            ("missing_clause", Severity::High),
        ] {
            let changed: Vec<RecordResult> = all
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut r = r.clone();
                    if marked(i) {
                        r.findings.push(finding("DATA003", kind, severity, "dup"));
                        r.status = status_of(&r.findings);
                        r.risk = risk_of(&r.findings);
                    }
                    r
                })
                .collect();
            let after = top_of(&changed);
            assert!(
                after.iter().any(|i| marked(*i) && !before.contains(i)),
                "a marked record ranks into the table from below its cut"
            );
            assert!(all.iter().zip(&changed).any(|(a, b)| a.status != b.status));
            let mut one = Aggregate::default();
            changed.iter().for_each(|r| one.add(r));
            let mut merged = Aggregate::default();
            for (f, chunk) in all.chunks(per_file as usize).enumerate() {
                let mut part = Aggregate::part();
                chunk.iter().for_each(|r| part.add(r));
                let mut part = part.finish_part();
                assert!(part.data_sample.len() == DATA_SAMPLE && part.top.len() == TOP_RISK_ROWS);
                for (j, r) in chunk.iter().enumerate() {
                    let at = f * per_file as usize + j;
                    if marked(at) {
                        part.patch(j, r, &changed[at]);
                    }
                }
                merged.merge(part);
            }
            assert_eq!(format!("{:?}", seen(one)), format!("{:?}", seen(merged)));
        }
    }
}

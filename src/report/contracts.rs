//! Records grouped into contracts, the unit a contracting officer acts on. A contract is a
//! base award with its modifications (same contract id, same parent IDV); an order is a
//! contract of its own that names its IDV, and the IDV counts its orders. Ids compare
//! without case, spaces, dashes and dots, as clause evidence is joined (`W912DY-24-C-0007`
//! is `W912DY24C0007`).
//!
//! A contract's status is the worst of its actions (the status order of the record rules),
//! its risk the highest, and its value the base-and-all-options value stated on its latest
//! action that states one: modifications of an IDV repeat or restate the ceiling, so a sum
//! of actions counts the same money many times. A modification that states `$0` or a
//! negative amount (an administrative change, or a decrease written as a change) does not
//! replace the value before it.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

use crate::model::{Finding, Interner, RecordResult, Risk, Severity, Status, Text, kind};

/// Where one action sits in its input: for the link from a report row to its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub file: Text,
    pub sheet: Text,
    pub row: u32,
}

/// The findings of one rule across a contract's actions.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHit {
    pub rule: Text,
    pub kind: Text,
    pub severity: Severity,
    /// The most severe action's message, fix and cite (the same rule reads the same way on
    /// every modification of one contract); empty for data issues and low or info findings,
    /// which the work list does not show.
    pub message: Text,
    pub fix: Text,
    pub cite: Text,
    /// Actions with this rule.
    pub actions: usize,
    /// Ordinals (among the index's actions) of the first action with this rule and of the
    /// one whose severity and text the hit keeps: where a finding added to an action later
    /// falls ([`ContractIndex::patch`]).
    first_at: usize,
    text_at: usize,
}

/// One contract: its actions folded together.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// The contract id as the first action shows it.
    pub contract_id: String,
    /// The IDV this contract is an order under, if any.
    pub parent_id: Option<String>,
    pub actions: usize,
    pub modifications: usize,
    /// Orders in the batch that name this contract as their IDV.
    pub orders: usize,
    pub status: Status,
    pub risk: Risk,
    pub risk_categories: Vec<Text>,
    pub value: Option<f64>,
    pub agency: Option<Text>,
    pub office: Option<Text>,
    pub vendor: Option<Text>,
    /// Rules found on any action, most severe first (data issues last).
    pub rules: Vec<RuleHit>,
    /// The action whose findings decide the status (the first with the worst status).
    pub worst: Place,
    /// Its ordinal among the index's actions.
    worst_at: usize,
}

/// Forced-labor exposure: the RISK and ENT rules, the findings a record's `risk` comes from.
pub fn is_exposure(rule: &str) -> bool {
    rule.starts_with("RISK") || rule.starts_with("ENT")
}

/// Compliance: what the contract file is missing or cites wrongly (clauses, provisions,
/// plans, dates, practices): every rule that is neither exposure nor a data issue.
pub fn is_compliance(rule: &str, f_kind: &str) -> bool {
    !is_exposure(rule) && f_kind != kind::DATA_ISSUE
}

fn is_gap_severity(s: Severity) -> bool {
    matches!(s, Severity::High | Severity::Medium)
}

/// A finding that makes a record `gaps` on the compliance axis.
pub fn is_compliance_gap(f: &Finding) -> bool {
    is_compliance(&f.rule, &f.kind) && is_gap_severity(f.severity)
}

/// A finding that makes a record `gaps` on the exposure axis.
pub fn is_exposure_gap(f: &Finding) -> bool {
    is_exposure(&f.rule) && is_gap_severity(f.severity)
}

impl Contract {
    pub fn compliance_gaps(&self) -> impl Iterator<Item = &RuleHit> {
        self.rules
            .iter()
            .filter(|h| is_compliance(&h.rule, &h.kind) && is_gap_severity(h.severity))
    }

    pub fn exposure(&self) -> impl Iterator<Item = &RuleHit> {
        self.rules
            .iter()
            .filter(|h| is_exposure(&h.rule) && is_gap_severity(h.severity))
    }

    pub fn has_rule(&self, rule: &str) -> bool {
        self.rules.iter().any(|h| h.rule == rule)
    }
}

/// The characters of a contract id as ids compare: without case, spaces, dashes, dots
/// and underscores.
fn norm_chars(id: &str) -> impl Iterator<Item = char> + '_ {
    id.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '_'))
        .flat_map(char::to_uppercase)
}

/// Contract ids compare without case, spaces, dashes and dots.
pub fn norm_id(id: &str) -> String {
    norm_chars(id).collect()
}

/// A contract's key: its id and its IDV's (none when blank), each as ids compare.
#[derive(Clone, Copy)]
struct Key<'a> {
    id: &'a str,
    parent: Option<&'a str>,
}

impl<'a> Key<'a> {
    fn of(r: &'a RecordResult) -> Key<'a> {
        Key {
            id: &r.contract_id,
            parent: r.parent_id.as_deref(),
        }
    }

    fn of_contract(c: &'a Contract) -> Key<'a> {
        Key {
            id: &c.contract_id,
            parent: c.parent_id.as_deref(),
        }
    }

    fn parent_chars(&self) -> impl Iterator<Item = char> + 'a {
        self.parent.into_iter().flat_map(norm_chars)
    }

    fn hash(&self, state: &RandomState) -> u64 {
        let mut h = state.build_hasher();
        norm_chars(self.id).for_each(|c| h.write_u32(c.into()));
        // Not a char: ends the id.
        h.write_u32(u32::MAX);
        self.parent_chars().for_each(|c| h.write_u32(c.into()));
        h.finish()
    }

    fn is(&self, other: &Key) -> bool {
        norm_chars(self.id).eq(norm_chars(other.id)) && self.parent_chars().eq(other.parent_chars())
    }
}

/// Folds records into contracts as they stream past (memory grows with contracts, not
/// with actions).
#[derive(Debug, Default)]
pub struct ContractIndex {
    /// Each contract's position, found by its [`Key`], which is read from the contract
    /// itself when compared: a million contracts keep no second copy of their ids.
    by_key: hashbrown::HashTable<usize>,
    hasher: RandomState,
    contracts: Vec<Contract>,
    /// Actions added or merged: the ordinal of the next one.
    actions: usize,
    /// The names, places and finding texts the contracts hold, one copy of each.
    texts: Interner,
}

fn place_of(r: &RecordResult, texts: &mut Interner) -> Place {
    Place {
        file: texts.get(&r.file),
        sheet: texts.get(&r.sheet),
        row: r.row,
    }
}

impl ContractIndex {
    /// The position of the contract with `key`, or the key's hash to [`push`](Self::push)
    /// it with.
    fn find(&self, key: Key) -> Result<usize, u64> {
        let hash = key.hash(&self.hasher);
        let contracts = &self.contracts;
        self.by_key
            .find(hash, |&i| Key::of_contract(&contracts[i]).is(&key))
            .copied()
            .ok_or(hash)
    }

    /// Adds `c`, whose key is not in the index yet, at the end.
    fn push(&mut self, c: Contract, hash: u64) -> usize {
        let n = self.contracts.len();
        self.contracts.push(c);
        let (contracts, hasher) = (&self.contracts, &self.hasher);
        self.by_key
            .insert_unique(hash, n, |&i| Key::of_contract(&contracts[i]).hash(hasher));
        n
    }

    pub fn add(&mut self, r: &RecordResult) {
        let at = self.actions;
        self.actions += 1;
        let i = match self.find(Key::of(r)) {
            Ok(i) => i,
            Err(hash) => {
                let first = Self::first_action(r, at, &mut self.texts);
                self.push(first, hash)
            }
        };
        let texts = &mut self.texts;
        let c = &mut self.contracts[i];
        c.actions += 1;
        if r.modification
            .as_deref()
            .is_some_and(|m| !m.trim().is_empty() && m.trim() != "0")
        {
            c.modifications += 1;
        }
        // A lower index in the status order is a worse status.
        if r.status.index() < c.status.index() {
            c.status = r.status;
            c.worst = place_of(r, texts);
            c.worst_at = at;
        }
        c.risk = c.risk.max(r.risk);
        for cat in &r.risk_categories {
            if !c.risk_categories.iter().any(|c| c == cat) {
                c.risk_categories.push(texts.get(cat));
            }
        }
        // Latest stated value; a blank, $0 or negative amount (an administrative change or
        // a decrease stated as a change) keeps the one before, and a negative amount is
        // never a contract's value.
        if let Some(v) = r.value.filter(|v| v.is_finite())
            && (v > 0.0 || (v == 0.0 && c.value.is_none()))
        {
            c.value = Some(v);
        }
        // Names: the latest action that states one (a vendor's name can change by novation).
        for (slot, v) in [
            (&mut c.agency, &r.agency),
            (&mut c.office, &r.office),
            (&mut c.vendor, &r.vendor),
        ] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty())
                && slot.as_deref() != Some(v)
            {
                *slot = Some(texts.get(v));
            }
        }
        Self::add_rule_hits(c, r, at, 0, texts);
    }

    /// Count action `at` again after findings were appended to it: `new` is `old` with
    /// more findings and the status and risk they give (neither ever better). The same
    /// contracts as adding every action again with `new` in its place.
    pub fn patch(&mut self, at: usize, old: &RecordResult, new: &RecordResult) {
        let Ok(i) = self.find(Key::of(new)) else {
            return;
        };
        let c = &mut self.contracts[i];
        // The first action with the worst status: this one, if it now has that status
        // and comes before the one that had it.
        if new.status.index() < c.status.index() || (new.status == c.status && at < c.worst_at) {
            c.status = new.status;
            c.worst = place_of(new, &mut self.texts);
            c.worst_at = at;
        }
        c.risk = c.risk.max(new.risk);
        Self::add_rule_hits(c, new, at, old.findings.len(), &mut self.texts);
    }

    /// A contract as its first action shows it; later actions update it.
    fn first_action(r: &RecordResult, at: usize, texts: &mut Interner) -> Contract {
        Contract {
            contract_id: r.contract_id.trim().to_string(),
            parent_id: r.parent_id.clone(),
            actions: 0,
            modifications: 0,
            orders: 0,
            status: r.status,
            risk: r.risk,
            risk_categories: Vec::new(),
            value: None,
            agency: None,
            office: None,
            vendor: None,
            rules: Vec::new(),
            worst: place_of(r, texts),
            worst_at: at,
        }
    }

    /// Fold the findings of action `at` from the `from`-th on into the contract's rule
    /// hits, which stay in the order of their first action (then of the findings on it).
    fn add_rule_hits(
        c: &mut Contract,
        r: &RecordResult,
        at: usize,
        from: usize,
        texts: &mut Interner,
    ) {
        for (j, f) in r.findings.iter().enumerate().skip(from) {
            let first_on_record = !r.findings[..j].iter().any(|g| g.rule == f.rule);
            // Only gaps reach the work list: other findings keep no text, so memory
            // per contract stays small on a portfolio of incomplete records.
            let keep = f.kind != kind::DATA_ISSUE && is_gap_severity(f.severity);
            let Some(h) = c.rules.iter().position(|h| h.rule == f.rule) else {
                let message = texts.get(if keep { &f.message } else { "" });
                let mut text = |t: &Text| if keep { texts.share(t) } else { texts.get("") };
                // Added in input order this is the end; patched in, before the hits
                // first found on later actions.
                let to = c.rules.partition_point(|h| h.first_at <= at);
                // A contract has a handful of rules: room for exactly them, where doubling
                // would leave a third of a million contracts' hits empty.
                c.rules.reserve_exact(1);
                c.rules.insert(
                    to,
                    RuleHit {
                        rule: f.rule.clone(),
                        kind: f.kind.clone(),
                        severity: f.severity,
                        message,
                        fix: text(&f.fix),
                        cite: text(&f.cite),
                        actions: 1,
                        first_at: at,
                        text_at: at,
                    },
                );
                continue;
            };
            let hit = &mut c.rules[h];
            // The text is the first action's at the highest severity.
            if f.severity > hit.severity || (f.severity == hit.severity && at < hit.text_at) {
                hit.severity = f.severity;
                hit.text_at = at;
                if keep {
                    hit.message = texts.get(&f.message);
                    hit.fix = texts.share(&f.fix);
                    hit.cite = texts.share(&f.cite);
                }
            }
            if first_on_record {
                hit.actions += 1;
                if at < hit.first_at {
                    hit.first_at = at;
                    let moved = c.rules.remove(h);
                    let to = c.rules.partition_point(|h| h.first_at <= at);
                    c.rules.insert(to, moved);
                }
            }
        }
    }

    /// Fold in `next`, whose actions follow this index's in input order: the same contracts
    /// as adding its actions here one by one.
    pub fn merge(&mut self, next: ContractIndex) {
        // Into an empty index the part is the result as it stands: moved, not rebuilt (a
        // single input's index is the whole portfolio's, and rebuilding held it twice).
        if self.actions == 0 && self.contracts.is_empty() {
            *self = next;
            return;
        }
        let base = self.actions;
        self.actions += next.actions;
        // In the order of their first actions, as they were added there.
        for mut b in next.contracts {
            b.worst_at += base;
            for h in &mut b.rules {
                h.first_at += base;
                h.text_at += base;
            }
            match self.find(Key::of_contract(&b)) {
                Ok(at) => Self::fold(&mut self.contracts[at], b),
                Err(hash) => {
                    self.push(b, hash);
                }
            }
        }
    }

    /// Fold contract `b`, made of later actions, into `a`.
    fn fold(a: &mut Contract, b: Contract) {
        a.actions += b.actions;
        a.modifications += b.modifications;
        if b.status.index() < a.status.index() {
            a.status = b.status;
            a.worst = b.worst;
            a.worst_at = b.worst_at;
        }
        a.risk = a.risk.max(b.risk);
        for cat in b.risk_categories {
            if !a.risk_categories.contains(&cat) {
                a.risk_categories.push(cat);
            }
        }
        // `b.value` is its actions' value by the rule in `add`, which applied once more
        // gives the value of all the actions.
        if let Some(v) = b.value
            && (v > 0.0 || (v == 0.0 && a.value.is_none()))
        {
            a.value = Some(v);
        }
        for (slot, v) in [
            (&mut a.agency, b.agency),
            (&mut a.office, b.office),
            (&mut a.vendor, b.vendor),
        ] {
            if v.is_some() {
                *slot = v;
            }
        }
        for h in b.rules {
            match a.rules.iter_mut().find(|g| g.rule == h.rule) {
                Some(g) => {
                    // The text is the first action's at the highest severity.
                    if h.severity > g.severity {
                        g.severity = h.severity;
                        g.text_at = h.text_at;
                        if h.kind != kind::DATA_ISSUE && is_gap_severity(h.severity) {
                            g.message = h.message;
                            g.fix = h.fix;
                            g.cite = h.cite;
                        }
                    }
                    g.actions += h.actions;
                }
                None => a.rules.push(h),
            }
        }
    }

    /// The contracts in the order their first action appeared, with order counts filled in
    /// and each contract's rules most severe first (compliance before exposure among
    /// equals, data issues last).
    pub fn finish(mut self) -> Vec<Contract> {
        // An IDV's orders are the contracts that name it: each order is one contract.
        let mut orders: HashMap<String, usize> = HashMap::new();
        for c in &self.contracts {
            let idv = Key::of_contract(c).parent_chars().collect::<String>();
            if !idv.is_empty() {
                *orders.entry(idv).or_default() += 1;
            }
        }
        // Counted on the first contract with the IDV's id and no IDV of its own.
        for c in &mut self.contracts {
            if c.parent_id.is_none()
                && let Some(n) = orders.remove(&norm_id(&c.contract_id))
            {
                c.orders = n;
            }
        }
        for c in &mut self.contracts {
            c.rules.sort_by_key(|h| {
                (
                    h.kind == kind::DATA_ISSUE,
                    std::cmp::Reverse(h.severity),
                    is_exposure(&h.rule),
                )
            });
        }
        self.contracts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, m: &str, value: Option<f64>, findings: Vec<Finding>) -> RecordResult {
        RecordResult {
            file: "in.csv".into(),
            sheet: "S".into(),
            row: 2,
            contract_id: id.into(),
            modification: Some(m.into()),
            parent_id: None,
            transaction: None,
            status: crate::model::status_of(&findings),
            risk: crate::model::risk_of(&findings),
            risk_categories: vec![],
            findings,
            agency: None,
            office: None,
            vendor: None,
            value,
            clause_sources: Vec::new(),
        }
    }

    fn fd(rule: &str, kind: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            kind: kind.into(),
            severity,
            message: format!("{rule} message"),
            cite: "FAR".into(),
            column: None,
            fix: format!("{rule} fix").into(),
            col_index: None,
            page: None,
            line: None,
        }
    }

    #[test]
    fn modifications_fold_into_one_contract_with_the_latest_value_and_worst_status() {
        let mut ix = ContractIndex::default();
        ix.add(&rec("W912DY-24-C-0007", "0", Some(1e9), vec![]));
        let mut gap = rec(
            "w912dy24c0007",
            "P00001",
            Some(0.0),
            vec![fd("TIP001", kind::MISSING_CLAUSE, Severity::High)],
        );
        gap.row = 3;
        ix.add(&gap);
        ix.add(&rec("W912DY24C0007", "P00002", Some(1.2e9), vec![]));
        ix.add(&rec("W912DY24C0007", "P00003", None, vec![]));
        ix.add(&rec("W912DY24C0007", "P00004", Some(-5e6), vec![]));
        let mut only_decrease = ContractIndex::default();
        only_decrease.add(&rec("X-1", "P00001", Some(-5e6), vec![]));
        assert_eq!(only_decrease.finish()[0].value, None);
        let cs = ix.finish();
        assert_eq!(cs.len(), 1);
        let c = &cs[0];
        assert_eq!(c.actions, 5);
        assert_eq!(c.modifications, 4);
        assert_eq!(c.status, Status::Gaps);
        assert_eq!(c.worst.row, 3);
        // Never the sum (2.2e9); $0, blank and negative modifications keep the stated value.
        assert_eq!(c.value, Some(1.2e9));
        assert_eq!(c.compliance_gaps().count(), 1);
        assert_eq!(c.exposure().count(), 0);
    }

    #[test]
    fn orders_are_contracts_of_their_own_and_counted_on_their_idv() {
        let mut ix = ContractIndex::default();
        ix.add(&rec("IDV-1", "0", Some(5e6), vec![]));
        for (id, m) in [("ORD-1", "0"), ("ORD-1", "P00001"), ("ORD-2", "0")] {
            let mut o = rec(id, m, Some(1e5), vec![]);
            o.parent_id = Some("idv1".into());
            ix.add(&o);
        }
        let cs = ix.finish();
        assert_eq!(cs.len(), 3);
        assert_eq!(cs[0].orders, 2);
        assert_eq!(cs[1].actions, 2);
    }

    #[test]
    fn rules_are_ordered_worst_first_and_counted_per_action() {
        let mut ix = ContractIndex::default();
        for m in ["0", "1"] {
            ix.add(&rec(
                "C1",
                m,
                None,
                vec![
                    fd("DATA001", kind::DATA_ISSUE, Severity::Medium),
                    fd("RISK001", kind::HIGH_RISK_GOODS, Severity::High),
                    fd("RISK001", kind::HIGH_RISK_GOODS, Severity::High),
                    fd("TIP001", kind::MISSING_CLAUSE, Severity::High),
                ],
            ));
        }
        let c = &ix.finish()[0];
        let order: Vec<&str> = c.rules.iter().map(|h| h.rule.as_str()).collect();
        assert_eq!(order, ["TIP001", "RISK001", "DATA001"]);
        assert_eq!(c.rules[1].actions, 2);
        assert_eq!(c.value, None);
    }

    /// Parts merged in input order, into an empty index as a batch starts, are one pass.
    #[test]
    fn parts_merged_into_an_empty_index_equal_one_pass() {
        let mut records = Vec::new();
        for (i, (id, vendor, finding)) in [
            ("C1", "Vendor A", Some(("TIP001", Severity::High))),
            ("C2", "Vendor B", None),
            ("C1", "Vendor A2", Some(("RISK001", Severity::Medium))),
            ("C3", "Vendor A", Some(("TIP001", Severity::High))),
            ("C2", "Vendor B", Some(("DATA001", Severity::Medium))),
        ]
        .into_iter()
        .enumerate()
        {
            let findings = finding
                .map(|(rule, sev)| {
                    let k = if rule.starts_with("DATA") {
                        kind::DATA_ISSUE
                    } else {
                        kind::MISSING_CLAUSE
                    };
                    vec![fd(rule, k, sev)]
                })
                .unwrap_or_default();
            let mut r = rec(id, &i.to_string(), Some(1e6 + i as f64), findings);
            r.row = 2 + i as u32;
            r.vendor = Some(vendor.into());
            r.agency = Some("Department of the Army".into());
            r.risk_categories = vec!["apparel".into()];
            records.push(r);
        }
        let mut whole = ContractIndex::default();
        records.iter().for_each(|r| whole.add(r));
        let whole = whole.finish();
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0].vendor.as_deref(), Some("Vendor A2"));
        for split in 0..=records.len() {
            let (mut a, mut b) = (ContractIndex::default(), ContractIndex::default());
            records[..split].iter().for_each(|r| a.add(r));
            records[split..].iter().for_each(|r| b.add(r));
            let mut merged = ContractIndex::default();
            merged.merge(a);
            merged.merge(b);
            assert_eq!(whole, merged.finish(), "split at {split}");
        }
    }

    /// An action patched with a finding after its index was built (a cross-file DATA003)
    /// gives the index that adding the changed actions gives: the first action with the
    /// worst status, rule hits in the order of their first action, the text of the first
    /// action at the highest severity.
    #[test]
    fn a_patched_action_equals_adding_it_changed() {
        let actions = |n: usize| {
            let mut a = vec![
                rec("C1", "0", None, vec![]),
                rec(
                    "C1",
                    "1",
                    None,
                    vec![fd("DATA002", kind::DATA_ISSUE, Severity::Low)],
                ),
                rec(
                    "C1",
                    "2",
                    None,
                    vec![fd("TIP001", kind::MISSING_CLAUSE, Severity::Medium)],
                ),
                rec(
                    "C1",
                    "3",
                    None,
                    vec![fd("TIP006", kind::MISSING_CLAUSE, Severity::Medium)],
                ),
            ];
            for (i, r) in a.iter_mut().enumerate() {
                r.row = 2 + i as u32;
            }
            a.truncate(n);
            a
        };
        for (n, at, extra) in [
            // Compliant to review, before the action in review.
            (2, 0, fd("DATA003", kind::DATA_ISSUE, Severity::Low)),
            (4, 0, fd("DATA003", kind::DATA_ISSUE, Severity::Low)),
            (4, 1, fd("TIP006", kind::MISSING_CLAUSE, Severity::Medium)),
            (4, 0, fd("TIP001", kind::MISSING_CLAUSE, Severity::High)),
            (4, 0, fd("TIP006", kind::MISSING_CLAUSE, Severity::Medium)),
        ] {
            let old = actions(n);
            let mut new = old.clone();
            let mut extra = extra;
            extra.message = format!("{at} {}", extra.rule);
            new[at].findings.push(extra.clone());
            new[at].status = crate::model::status_of(&new[at].findings);
            let mut whole = ContractIndex::default();
            new.iter().for_each(|r| whole.add(r));
            let whole = whole.finish();
            // In one part, or two with the patch in the first, as a batch merges files.
            for split in [2, n] {
                let (mut patched, mut second) =
                    (ContractIndex::default(), ContractIndex::default());
                old.iter().take(split).for_each(|r| patched.add(r));
                old.iter().skip(split).for_each(|r| second.add(r));
                patched.patch(at, &old[at], &new[at]);
                patched.merge(second);
                assert_eq!(whole, patched.finish(), "{extra:?} on action {at}");
            }
        }
    }
}

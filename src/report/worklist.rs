//! The work list: one row per contract that needs action, in the order to work them. Both
//! `gap-report.xlsx` (its first sheet) and `report.html` (its first table) render this list,
//! so they agree by construction.
//!
//! Priority tiers, then value (largest first) within a tier:
//! 1. compliance gaps on high-risk goods (a missing clause, provision or plan where the
//!    goods carry forced-labor exposure),
//! 2. a listed entity (ENT001) without compliance gaps,
//! 3. other compliance gaps,
//! 4. forced-labor exposure without compliance gaps.

use super::contracts::{Contract, RuleHit};
use crate::model::Status;

/// Rule findings listed in one work-list cell before "and N more".
const SHOWN_RULES: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    ComplianceOnRiskGoods = 1,
    ListedEntity = 2,
    Compliance = 3,
    Exposure = 4,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::ComplianceOnRiskGoods => "1 compliance gap on high-risk goods",
            Tier::ListedEntity => "2 listed entity",
            Tier::Compliance => "3 compliance gap",
            Tier::Exposure => "4 forced-labor exposure",
        }
    }
}

/// One row of the work list. Its texts are made by [`WorkItem::describe`] when the row is
/// written, so the list itself holds a few words per contract however long it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkItem {
    /// 1-based position in the list.
    pub rank: usize,
    pub tier: Tier,
    /// Index into the portfolio's contracts.
    pub contract: usize,
}

/// What a work-list row says about its contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// What is wrong, in words, one line per rule: compliance first, then exposure.
    pub wrong: Vec<String>,
    /// The rules' fix texts, in the same order, each once.
    pub fix: Vec<String>,
    pub cite: String,
    pub rules: String,
}

impl WorkItem {
    pub fn describe(&self, contracts: &[Contract]) -> Description {
        describe(&contracts[self.contract])
    }
}

pub fn tier(c: &Contract) -> Option<Tier> {
    if c.status != Status::Gaps {
        return None;
    }
    let compliance = c.compliance_gaps().next().is_some();
    let exposure = c.exposure().next().is_some();
    Some(if compliance && exposure {
        Tier::ComplianceOnRiskGoods
    } else if c.has_rule("ENT001") {
        Tier::ListedEntity
    } else if compliance {
        Tier::Compliance
    } else {
        Tier::Exposure
    })
}

/// The rules a work-list row speaks of: compliance gaps, then exposure, each at most once.
fn acted_on(c: &Contract) -> Vec<&RuleHit> {
    c.compliance_gaps().chain(c.exposure()).collect()
}

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for s in items {
        let s = s.trim();
        if !s.is_empty() && !seen.iter().any(|x| x == s) {
            seen.push(s.to_string());
        }
    }
    seen
}

fn describe(c: &Contract) -> Description {
    let hits = acted_on(c);
    let shown = &hits[..hits.len().min(SHOWN_RULES)];
    let more = hits.len() - shown.len();
    let per_action = |h: &RuleHit| {
        if c.actions > 1 {
            format!(" ({} of {} actions)", h.actions, c.actions)
        } else {
            String::new()
        }
    };
    let mut wrong: Vec<String> = shown
        .iter()
        .map(|h| format!("{}: {}{}", h.rule, h.message, per_action(h)))
        .collect();
    if more > 0 {
        wrong.push(format!("and {more} more (see the annotated copy)"));
    }
    let fix = distinct(shown.iter().map(|h| h.fix.as_str()));
    let cite = distinct(hits.iter().map(|h| h.cite.as_str())).join("; ");
    let rules = distinct(hits.iter().map(|h| h.rule.as_str())).join(", ");
    Description {
        wrong,
        fix,
        cite,
        rules,
    }
}

/// The ordered work list over a portfolio's contracts.
pub fn build(contracts: &[Contract]) -> Vec<WorkItem> {
    let mut items: Vec<(Tier, usize)> = contracts
        .iter()
        .enumerate()
        .filter_map(|(i, c)| tier(c).map(|t| (t, i)))
        .collect();
    items.sort_by(|(ta, a), (tb, b)| {
        let (ca, cb) = (&contracts[*a], &contracts[*b]);
        ta.cmp(tb)
            .then(cb.risk.cmp(&ca.risk))
            .then(
                cb.value
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&ca.value.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(a.cmp(b))
    });
    items
        .into_iter()
        .enumerate()
        .map(|(rank, (tier, contract))| WorkItem {
            rank: rank + 1,
            tier,
            contract,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, RecordResult, Severity, kind};
    use crate::report::contracts::ContractIndex;

    fn rec(id: &str, value: f64, rules: &[(&str, &str, Severity)]) -> RecordResult {
        let findings: Vec<Finding> = rules
            .iter()
            .map(|(r, k, s)| Finding {
                rule: (*r).into(),
                kind: (*k).into(),
                severity: *s,
                message: format!("{r} is wrong"),
                cite: format!("cite {r}").into(),
                column: None,
                fix: format!("fix {r}").into(),
                col_index: None,
                page: None,
                line: None,
            })
            .collect();
        RecordResult {
            file: "f.csv".into(),
            sheet: "f".into(),
            row: 2,
            contract_id: id.into(),
            modification: None,
            parent_id: None,
            transaction: None,
            status: crate::model::status_of(&findings),
            risk: crate::model::risk_of(&findings),
            risk_categories: vec![],
            findings,
            agency: None,
            office: None,
            vendor: None,
            value: Some(value),
            clause_sources: Vec::new(),
        }
    }

    #[test]
    fn tiers_then_value_order_the_list() {
        use Severity::*;
        let tip = ("TIP001", kind::MISSING_CLAUSE, High);
        let risk = ("RISK001", kind::HIGH_RISK_GOODS, High);
        let ent = ("ENT001", kind::ENTITY_MATCH, High);
        let mut ix = ContractIndex::default();
        for r in [
            rec("RISK-ONLY-BIG", 9e9, &[risk]),
            rec("CLAUSE-SMALL", 1e3, &[tip]),
            rec("CLAUSE-BIG", 1e6, &[tip]),
            rec("ENTITY", 1.0, &[ent]),
            rec("BOTH", 5.0, &[tip, risk]),
            rec("CLEAN", 9e9, &[]),
            rec(
                "LOW-ONLY",
                9e9,
                &[("TIP006", kind::INCORPORATED_BY_REFERENCE, Low)],
            ),
        ] {
            ix.add(&r);
        }
        let cs = ix.finish();
        let list = build(&cs);
        let order: Vec<&str> = list
            .iter()
            .map(|w| cs[w.contract].contract_id.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "BOTH",
                "ENTITY",
                "CLAUSE-BIG",
                "CLAUSE-SMALL",
                "RISK-ONLY-BIG"
            ]
        );
        assert_eq!(list[0].tier, Tier::ComplianceOnRiskGoods);
        let both = list[0].describe(&cs);
        // Compliance before exposure, with the rule's own fix text.
        assert_eq!(
            both.wrong,
            ["TIP001: TIP001 is wrong", "RISK001: RISK001 is wrong"]
        );
        assert_eq!(both.fix, ["fix TIP001", "fix RISK001"]);
        assert_eq!(both.rules, "TIP001, RISK001");
    }
}

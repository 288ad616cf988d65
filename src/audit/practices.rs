//! BP01..BP25: M-20-01 / FAR 52.222-50 practice evidence (CONTRACT.md section 3).
//! Checked for records with risk medium or high, or with `P > T(D)`; reported only where the
//! sheet has an evidence column for the practice and the record shows no evidence there.

use super::Ctx;
use crate::model::{Finding, Risk, Severity, risk_of};
use crate::record::{Evidence, Field, Record};
use crate::risk::portion::plan_duty;
use crate::risk::practices::{Good, PracticeBasis};

fn state(f: &Field<Evidence>) -> &'static str {
    match f {
        Field::Absent | Field::Blank { .. } => "blank",
        Field::Bad { .. } => "unreadable",
        Field::Ok {
            value: Evidence::No,
            ..
        } => "no",
        Field::Ok { .. } => "yes",
    }
}

/// Run after the risk checks: the gate reads the risk of the findings so far.
pub fn check(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) {
    let risk = risk_of(out);
    let date = record.date.value().copied().unwrap_or(ctx.as_of);
    let duty = plan_duty(&ctx.engine.rules.legal, record, date) == Some(true);
    let gated = risk >= Risk::Medium || duty;
    for p in &ctx.engine.risk.practices {
        if p.covered_by.is_some() {
            continue;
        }
        // An incident-triggered practice applies once its fact is shown (then it is
        // required, whatever the risk); without the fact it is no gap at all.
        let triggered = match &p.trigger {
            Some(t) => {
                let shown = record
                    .evidence
                    .get(&t.field)
                    .and_then(|f| f.value())
                    .is_some_and(|v| v.is_present());
                if !shown {
                    continue;
                }
                true
            }
            None if !gated => continue,
            None => false,
        };
        let present: Vec<_> = p
            .evidence
            .iter()
            .filter_map(|e| record.evidence.get(&e.field).map(|f| (e, f)))
            .filter(|(_, f)| !matches!(f, Field::Absent))
            .collect();
        let Some((first, first_field)) = present.first() else {
            continue;
        };
        let shown = present.iter().any(|(e, f)| match (f.value(), e.good) {
            (Some(v), Good::Yes) => v.is_present(),
            (Some(v), Good::No) => *v == Evidence::No,
            (None, _) => false,
        });
        if shown {
            continue;
        }
        let required = triggered
            || match p.basis {
                PracticeBasis::ReqAll => true,
                PracticeBasis::ReqPlan => duty,
                PracticeBasis::Bp => false,
            };
        let why = if let (true, Some(t)) = (triggered, &p.trigger) {
            format!("required once {} is shown ({})", t.field, p.source)
        } else if required {
            format!("required ({}, {})", p.basis.as_str(), p.source)
        } else if p.basis == PracticeBasis::ReqPlan {
            format!(
                "best practice here: {} applies above the threshold",
                p.source
            )
        } else {
            format!("best practice ({})", p.source)
        };
        let mut f = ctx.engine.rules.finding(
            &p.rule_id(),
            &[
                ("practice", p.practice.clone()),
                ("field", first.field.clone()),
                ("state", state(first_field).into()),
                ("why", why),
            ],
            first_field.col(),
        );
        f.severity = if required {
            Severity::Medium
        } else {
            Severity::Low
        };
        out.push(f);
    }
}

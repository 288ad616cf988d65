//! FAR subpart 22.17 clause checks.

use super::Ctx;
use crate::model::Finding;
use crate::record::Record;

const TIP_CLAUSE: &str = "52.222-50";
const VIA_CLAUSES: &[&str] = &["52.212-5", "52.213-4"];

pub fn check(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) {
    let rules = &ctx.engine.rules;
    let Some(source) = &record.clauses_source else {
        out.push(rules.finding(
            "DATA001",
            &[
                ("field", "clauses".into()),
                ("problem", "absent".into()),
                ("needed_for", "whether 52.222-50 is cited".into()),
            ],
            None,
        ));
        return;
    };
    for c in &record.clauses {
        if let Some(raw) = &c.malformed {
            out.push(rules.finding(
                "DATA002",
                &[("raw", raw.clone()), ("clause", c.number.clone())],
                Some(c.col),
            ));
        }
    }
    if !record.cites(TIP_CLAUSE) && !VIA_CLAUSES.iter().any(|v| record.cites(v)) {
        out.push(rules.finding(
            "TIP001",
            &[("current_date", "OCT 2025".into())],
            source.col(),
        ));
    }
}

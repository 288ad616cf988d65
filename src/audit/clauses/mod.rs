//! Clause rules (CONTRACT.md section 3): FAR 22.17 trafficking (TIP001-TIP007), child labor
//! (CL001), DFARS Xinjiang (XJ001) and the data issues they meet (DATA001, DATA002).
//!
//! Rules run in registry order, each by the check it names in rules.toml: `clause_present`
//! is the generic requirement (TIP001, TIP003, CL001, XJ001, and any rule added in data); the
//! other checks have a small function each. Legal facts come from `RuleSet::legal`, never code.

mod facts;
#[cfg(test)]
mod tests;

pub use facts::Compiled;
// For naming the user's column in findings (audit::check).
pub(crate) use facts::field_problem as column_of_field;

use facts::{Facts, Tri, field_problem};

use super::Ctx;
use crate::model::{Finding, Severity};
use crate::parse::clauseref::{ClauseCite, Mark};
use crate::record::{ClauseSource, Record};
use crate::rules::legal::{ClauseDef, Scope, format_clause_date};
use crate::rules::{Check, Predicate, Requirement, RuleDef, RuleSet};

type Vars = Vec<(&'static str, String)>;

/// The cell a cite was read from; none for a long-form clause sheet (another sheet's cell).
fn cite_col(record: &Record, cite: &ClauseCite) -> Option<u32> {
    match record.clauses_source {
        Some(ClauseSource::Sheet(_)) => None,
        _ => Some(cite.col),
    }
}

pub fn check(record: &Record, ctx: &Ctx, out: &mut Vec<Finding>) {
    let rules = &ctx.engine.rules;
    let mut facts = Facts::new(record, &rules.legal, &ctx.engine.clause_facts, ctx.as_of);
    for rule in rules.rules() {
        match rule.check {
            Check::MalformedReference => malformed_reference(rule, record, rules, out),
            Check::Alternate => alternate(rule, &mut facts, rules, out),
            Check::EvidencePresent => evidence_present(rule, &mut facts, rules, out),
            Check::ClauseVersion => clause_version(rule, &mut facts, rules, out),
            Check::RemovedClause => removed_clause(rule, &mut facts, rules, out),
            Check::ClausePresent => clause_present(rule, &mut facts, rules, out),
            // Raised by the `clause_present` rule that names it as `via_rule`.
            Check::ReachedVia => {}
            // Runs last, when every other check has said what it could not determine.
            Check::BlockingFields => {}
            // Run by the batch, risk and practice checks.
            Check::DuplicateContractId
            | Check::RiskCategory
            | Check::XinjiangLocation
            | Check::XinjiangName
            | Check::EntityMatch
            | Check::PracticeEvidence => {}
        }
    }
    for rule in rules.rules() {
        if rule.check == Check::BlockingFields {
            blocking_fields(rule, &facts, ctx, rules, out);
        }
    }
}

/// The printed date of the version of `number` in force on D: `OCT 2025`.
fn current_date(facts: &Facts, number: &str, alternate: u8) -> String {
    facts
        .legal
        .clause(number)
        .and_then(|c| c.version_at(alternate, facts.d))
        .map_or_else(
            || format!("the version in force on {}", facts.d),
            |v| format_clause_date(v.date),
        )
}

fn alt_suffix(alternate: u8) -> String {
    if alternate == 0 {
        String::new()
    } else {
        let r = Requirement {
            number: String::new(),
            alternate,
        };
        r.to_string()
    }
}

/// A reference printed with an empty check box (`[ ] 52.222-50` in a pasted 52.212-5 list)
/// is a clause the contracting officer did not select: it is not cited.
fn selected(c: &ClauseCite) -> bool {
    c.mark != Mark::Unchecked
}

/// Does the record cite this requirement? An alternate cite counts for its basic clause, and
/// a clause list that incorporates the basic clause with no box (52.213-4; 52.212-5 versions
/// with it in paragraph (a)) cites it.
fn cites(
    record: &Record,
    legal: &crate::rules::legal::Legal,
    d: chrono::NaiveDate,
    q: &Requirement,
) -> bool {
    record.clauses.iter().filter(|c| selected(c)).any(|c| {
        (c.number == q.number && (q.alternate == 0 || c.alternate == q.alternate))
            || (q.alternate == 0
                && c.alternate == 0
                && legal.clause(&c.number).is_some_and(|l| {
                    l.incorporates
                        .iter()
                        .any(|i| i.number == q.number && i.covers(c.date, d))
                }))
    })
}

/// Is the box of `number` known to be unchecked in a check-list that reaches it? A checked box
/// is a citation (see `cites`); the box is known unchecked when the reference is printed with
/// an empty box, or the list was seen with its boxes and this one is unchecked or absent.
/// Otherwise (a bare number in a sheet) its state is unknown.
fn box_unchecked(record: &Record, number: &str) -> bool {
    record.boxes_known
        || record
            .clauses
            .iter()
            .any(|c| c.number == number && c.mark == Mark::Unchecked)
}

/// "the clause list is cut off mid-entry": a clause not found cannot be called missing.
fn note_truncated(facts: &mut Facts, q: &Requirement) {
    facts.note_unknown(
        &["clauses"],
        &format!("whether {q} is cited (it could not be verified)"),
    );
}

/// `clause_present`, the generic requirement: every clause in `requires` must be cited where
/// the clause is prescribed (record type, in force on D) and the rule's `when` holds.
fn clause_present(rule: &RuleDef, facts: &mut Facts, rules: &RuleSet, out: &mut Vec<Finding>) {
    let record = facts.record;
    for q in &rule.requires {
        let Some(c) = facts.legal.clause(&q.number) else {
            continue;
        };
        if cites(record, facts.legal, facts.d, q) {
            continue;
        }
        let via = checked_lists_reaching(record, c);
        let unchecked = !via.is_empty() && box_unchecked(record, &q.number);
        if !via.is_empty() && !unchecked && c.exists_on(q.alternate, facts.d) {
            if let Some(via_rule) = &rule.via_rule {
                out.push(rules.finding(
                    via_rule,
                    &[
                        ("via", via_names(&via)),
                        ("clause", q.number.clone()),
                        ("current_date", current_date(facts, &q.number, q.alternate)),
                    ],
                    cite_col(record, via[0]),
                ));
            }
            continue;
        }
        let mut vars: Vars = Vec::new();
        let gate = requirement_gate(rule, c, facts, &mut vars);
        if gate == Tri::No {
            continue;
        }
        // Whether a clause was required yet depends on the date.
        if c.first_effective(q.alternate).is_some() {
            facts.note_date_used(&format!("whether {q} was in force"));
        }
        if !c.exists_on(q.alternate, facts.d) {
            continue;
        }
        let what = format!("whether {q} is required ({})", rule.id);
        let Some(source) = &record.clauses_source else {
            facts.note_unknown(&["clauses"], &format!("whether {q} is cited"));
            if let Tri::Unknown(fields) = gate {
                facts.note_unknown(&fields, &what);
            }
            continue;
        };
        match gate {
            Tri::No => {}
            Tri::Unknown(fields) => facts.note_unknown(&fields, &what),
            Tri::Yes if record.clauses_truncated => note_truncated(facts, q),
            Tri::Yes => {
                let missing = Missing {
                    rule,
                    q,
                    c,
                    source,
                    unchecked_via: unchecked.then(|| via_names(&via)),
                };
                out.push(missing.finding(facts, rules, vars));
            }
        }
    }
}

/// The selected cites of the clause lists (52.212-5, 52.213-4) that can reach `c` by a
/// check box.
fn checked_lists_reaching<'r>(record: &'r Record, c: &ClauseDef) -> Vec<&'r ClauseCite> {
    c.reached_via
        .iter()
        .filter_map(|v| {
            record
                .clauses
                .iter()
                .find(|x| &x.number == v && selected(x))
        })
        .collect()
}

fn via_names(via: &[&ClauseCite]) -> String {
    let names: Vec<&str> = via.iter().map(|x| x.number.as_str()).collect();
    names.join(" / ")
}

/// The predicate of the document kind a clause is prescribed for alone, if only one:
/// provisions go in solicitations, most clauses in awards.
fn scope_predicate(c: &ClauseDef) -> Option<Predicate> {
    match (
        c.prescribed_for(Scope::Solicitation),
        c.prescribed_for(Scope::Award),
    ) {
        (true, false) => Some(Predicate::Solicitation),
        (false, true) => Some(Predicate::Award),
        _ => None,
    }
}

/// Whether the requirement applies to the record: the clause's own scope and `when`, then
/// the rule's `when`, stopping at the first that does not hold.
fn requirement_gate(rule: &RuleDef, c: &ClauseDef, facts: &mut Facts, vars: &mut Vars) -> Tri {
    let scope = scope_predicate(c);
    let mut gate = Tri::Yes;
    for p in scope.iter().chain(c.when.iter()).chain(rule.when.iter()) {
        gate = gate.and(facts.holds(p, vars));
        if gate == Tri::No {
            break;
        }
    }
    gate
}

/// A required clause the record does not cite, where its clause list was read.
struct Missing<'a> {
    rule: &'a RuleDef,
    q: &'a Requirement,
    c: &'a ClauseDef,
    source: &'a ClauseSource,
    /// The checked lists that print the clause's box unchecked, if that is why it is missing.
    unchecked_via: Option<String>,
}

impl Missing<'_> {
    fn finding(&self, facts: &Facts, rules: &RuleSet, mut vars: Vars) -> Finding {
        let (rule, q, c) = (self.rule, self.q, self.c);
        if let Some(via) = &self.unchecked_via {
            vars.push(("via", via.clone()));
        }
        vars.extend([
            ("clause", q.to_string()),
            ("clause_title", c.title.clone()),
            ("clause_kind", c.kind.as_str().to_string()),
            ("current_date", current_date(facts, &q.number, q.alternate)),
            (
                "clause_from",
                c.first_effective(q.alternate)
                    .map_or("-".into(), |d| d.to_string()),
            ),
            ("date", facts.date_str()),
        ]);
        let mut f = rules.finding(&rule.id, &vars, self.source.col());
        if let (Some(_), Some(m)) = (&self.unchecked_via, &rule.unchecked_message) {
            f.message = crate::rules::fill(m, &vars);
        }
        f
    }
}

/// `alternate` (TIP002): Alternate I for work outside the US; high when directives were
/// notified, low (confirm) when `directives_notified` is blank.
fn alternate(rule: &RuleDef, facts: &mut Facts, rules: &RuleSet, out: &mut Vec<Finding>) {
    let record = facts.record;
    let Some(q) = rule.requires.first() else {
        return;
    };
    let Some(c) = facts.legal.clause(&q.number) else {
        return;
    };
    if cites(record, facts.legal, facts.d, q) {
        return;
    }
    if !c.exists_on(q.alternate, facts.d) {
        return;
    }
    let directives = record.directives_notified.value().copied();
    if directives == Some(false) {
        return;
    }
    let mut vars: Vars = Vec::new();
    let gate = facts.all(&rule.when, &mut vars);
    let what = format!("whether {q} is required ({})", rule.id);
    match gate {
        Tri::No => {}
        // Without a place neither finding can be decided, not even the low "confirm" one:
        // a record whose place is missing is incomplete, never compliant (CONTRACT.md 3).
        Tri::Unknown(fields) => facts.note_unknown(&fields, &what),
        // The low finding asks about the directives, which no clause list answers: it stands
        // whether or not the clauses are known.
        Tri::Yes if record.clauses_source.is_none() && directives == Some(true) => {
            facts.note_unknown(&["clauses"], &format!("whether {q} is cited"))
        }
        Tri::Yes if record.clauses_truncated && directives == Some(true) => {
            note_truncated(facts, q)
        }
        Tri::Yes => {
            let notified = directives == Some(true);
            let alt_date = current_date(facts, &q.number, q.alternate);
            vars.extend([
                (
                    "directives",
                    if notified {
                        " and the contracting officer was notified of US directives".to_string()
                    } else {
                        " and directives_notified is blank".to_string()
                    },
                ),
                (
                    "action",
                    if notified {
                        format!("Insert {q} ({alt_date}) and fill in the directives table")
                    } else {
                        format!(
                            "Confirm whether the contracting officer was notified of US directives for the place of performance; if so, insert {q} ({alt_date})"
                        )
                    },
                ),
                ("alt_date", alt_date),
                ("date", facts.date_str()),
            ]);
            let mut f = rules.finding(
                &rule.id,
                &vars,
                record.clauses_source.as_ref().and_then(|s| s.col()),
            );
            if !notified {
                f.severity = rule.severities.first().copied().unwrap_or(Severity::Low);
            }
            out.push(f);
        }
    }
}

/// `evidence_present` (TIP004): a contract or order over the plan threshold shows no plan or
/// certification.
fn evidence_present(rule: &RuleDef, facts: &mut Facts, rules: &RuleSet, out: &mut Vec<Finding>) {
    let record = facts.record;
    let has_evidence = rule.evidence.iter().any(|name| {
        record
            .evidence
            .get(name)
            .and_then(|f| f.value())
            .is_some_and(|e| e.is_present())
    });
    if has_evidence {
        return;
    }
    let mut vars: Vars = Vec::new();
    match facts.all(&rule.when, &mut vars) {
        Tri::No => {}
        Tri::Unknown(fields) => facts.note_unknown(
            &fields,
            &format!("whether a compliance plan is required ({})", rule.id),
        ),
        Tri::Yes => {
            vars.push(("date", facts.date_str()));
            let col = facts.portion_col();
            out.push(rules.finding(&rule.id, &vars, col));
        }
    }
}

/// `clause_version` (TIP005): a cited clause dated before the version in force on D.
fn clause_version(rule: &RuleDef, facts: &mut Facts, rules: &RuleSet, out: &mut Vec<Finding>) {
    let record = facts.record;
    let mut seen: Vec<(&str, u8, (i32, u32))> = Vec::new();
    for cite in record.clauses.iter().filter(|c| selected(c)) {
        // A deviation is an agency's own text with its own date.
        let (Some(date), false) = (cite.date, cite.deviation) else {
            continue;
        };
        let Some(c) = facts.legal.clause(&cite.number) else {
            continue;
        };
        if c.versions_of(cite.alternate).is_empty() {
            continue;
        }
        facts.note_date_used("the clause versions in force");
        let Some(v) = c.version_at(cite.alternate, facts.d) else {
            continue;
        };
        let key = (
            cite.number.as_str(),
            cite.alternate,
            (date.year, date.month),
        );
        if date >= v.date || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let note = if v.confidence == crate::rules::legal::Confidence::Unverified {
            " (date not confirmed against the Federal Register)".to_string()
        } else {
            String::new()
        };
        out.push(rules.finding(
            &rule.id,
            &[
                ("clause", cite.number.clone()),
                ("alt", alt_suffix(cite.alternate)),
                ("cited_date", format_clause_date(date)),
                ("current_date", format_clause_date(v.date)),
                ("current_from", v.effective.to_string()),
                ("date", facts.date_str()),
                ("note", note),
            ],
            cite_col(record, cite),
        ));
    }
}

/// `removed_clause` (TIP007): a clause removed on or before D is cited.
fn removed_clause(rule: &RuleDef, facts: &mut Facts, rules: &RuleSet, out: &mut Vec<Finding>) {
    let record = facts.record;
    let mut seen: Vec<&str> = Vec::new();
    for cite in record.clauses.iter().filter(|c| selected(c)) {
        let Some(x) = facts.legal.removed.iter().find(|x| x.number == cite.number) else {
            continue;
        };
        facts.note_date_used(&format!("whether {} was removed", x.number));
        if facts.d < x.removed || seen.contains(&x.number.as_str()) {
            continue;
        }
        // A reused number is the new clause from its reuse on, unless the removed title is
        // what was cited: never flag it from the number alone.
        if x.reused.as_ref().is_some_and(|u| facts.d >= u.from) && !cite.trafficking_title {
            continue;
        }
        seen.push(&x.number);
        out.push(rules.finding(
            &rule.id,
            &[
                ("clause", x.number.clone()),
                ("clause_title", x.title.clone()),
                ("removed", x.removed.to_string()),
                ("source", x.source.clone()),
                ("date", facts.date_str()),
            ],
            cite_col(record, cite),
        ));
    }
}

/// `malformed_reference` (DATA002): every malformed reference that was normalised.
fn malformed_reference(rule: &RuleDef, record: &Record, rules: &RuleSet, out: &mut Vec<Finding>) {
    for c in &record.clauses {
        if let Some(raw) = &c.malformed {
            out.push(rules.finding(
                &rule.id,
                &[("raw", raw.clone()), ("clause", c.number.clone())],
                cite_col(record, c),
            ));
        }
    }
}

/// Fields whose unreadable cells are always DATA001.
const UNREADABLE_CHECKED: [&str; 12] = [
    "date",
    "value",
    "value_outside_us",
    "record_type",
    "place_of_performance",
    "country_of_origin",
    "place_of_manufacture",
    "directives_notified",
    "commercial",
    "cots",
    "psc",
    "naics",
];

/// `blocking_fields` (DATA001): one finding per field that blocked a determination, naming
/// what it blocked; and the date, when a blank or unreadable one was replaced by --as-of for a
/// date-dependent determination.
fn blocking_fields(
    rule: &RuleDef,
    facts: &Facts,
    ctx: &Ctx,
    rules: &RuleSet,
    out: &mut Vec<Finding>,
) {
    let record = facts.record;
    let date_missing = matches!(
        record.date,
        crate::record::Field::Blank { .. } | crate::record::Field::Bad { .. }
    );
    let mut entries: Vec<(&str, Vec<String>, String)> = facts
        .unknown
        .iter()
        .map(|(f, w)| (*f, w.clone(), String::new()))
        .collect();
    if date_missing && !facts.used_date.is_empty() {
        entries.insert(
            0,
            (
                "date",
                facts.used_date.clone(),
                format!(" (the --as-of date {} was used)", ctx.as_of),
            ),
        );
    }
    // A cell that holds something unreadable is reported even when no determination
    // needed it this time: it is a data error the user should see, and the record must not
    // pass as compliant while it stands.
    for field in UNREADABLE_CHECKED {
        let bad =
            matches!(field_problem(record, field), (p, Some(_)) if p.starts_with("unreadable"));
        if bad && !entries.iter().any(|(f, _, _)| f == &field) {
            entries.push((field, vec!["the checks that use it".into()], String::new()));
        }
    }
    for (field, whats, detail) in entries {
        let (problem, col) = field_problem(record, field);
        out.push(rules.finding(
            &rule.id,
            &[
                ("field", field.to_string()),
                ("problem", problem),
                ("needed_for", whats.join("; ")),
                ("detail", detail),
            ],
            col,
        ));
    }
}

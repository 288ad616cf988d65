//! What `tipaudit rules` and `tipaudit explain RULE` print, rendered from the loaded data
//! (thresholds and clause histories come from the TOML files, never from code).

use serde_json::{Value, json};

use super::legal::{ClauseDef, Confidence, Version, format_clause_date};
use super::{Check, Predicate, RuleDef, RuleSet};

/// `$712,000.00`; negative amounts as `-$1,000.00`.
pub fn money(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u128;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${grouped}.{frac:02}")
}

/// "high", or "high / low" when the rule can raise other severities.
fn severity_text(r: &RuleDef) -> String {
    std::iter::once(r.severity)
        .chain(r.severities.iter().copied())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The human table of `tipaudit rules`: id, kind, severity, cite, title.
pub fn render_rules_table(rs: &RuleSet) -> String {
    let header = ["ID", "KIND", "SEVERITY", "CITE", "TITLE"];
    let rows: Vec<[String; 5]> = rs
        .rules()
        .iter()
        .map(|r| {
            [
                r.id.to_string(),
                r.kind.to_string(),
                severity_text(r),
                r.cite.to_string(),
                r.title.clone(),
            ]
        })
        .collect();
    let mut width = header.map(str::len);
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(width).enumerate() {
            if i == 4 {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out.push_str(&format!(
        "\n{} rules (rule data: {})\n",
        rows.len(),
        rs.origin
    ));
    out
}

/// `tipaudit rules --format json`: an array with one object per rule, in registry order.
pub fn rules_json(rs: &RuleSet) -> Value {
    let rules: Vec<Value> = rs
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "check": r.check.name(),
                "kind": r.kind,
                "severity": r.severity.as_str(),
                "severities": std::iter::once(r.severity)
                    .chain(r.severities.iter().copied())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>(),
                "title": r.title,
                "cite": r.cite,
                "requires": r.requires.iter().map(|q| q.to_string()).collect::<Vec<_>>(),
                "when": r.when.iter().map(Predicate::name).collect::<Vec<_>>(),
                "message": r.message,
                "fix": r.fix,
                "explain": explain(rs, &r.id),
            })
        })
        .collect();
    Value::Array(rules)
}

fn confidence_mark(c: Confidence) -> &'static str {
    match c {
        Confidence::Verified => "",
        Confidence::Secondary => "  [secondary source]",
        Confidence::Unverified => "  [date not confirmed against the Federal Register]",
    }
}

fn version_lines(out: &mut String, label: &str, versions: &[Version]) {
    for v in versions {
        out.push_str(&format!(
            "  {label}({})  in force from {}  ({}){}\n",
            format_clause_date(v.date),
            v.effective,
            v.source,
            confidence_mark(v.confidence)
        ));
    }
}

fn clause_history(out: &mut String, c: &ClauseDef, alternate: u8) {
    out.push_str(&format!(
        "\n{} {} ({}, {}):\n",
        c.number,
        c.title,
        c.kind.as_str(),
        c.prescription
    ));
    if let Some(from) = c.first_effective(alternate) {
        out.push_str(&format!("  required from {from}\n"));
    }
    if alternate == 0 {
        version_lines(out, "", &c.versions);
    }
    for a in c
        .alternates
        .iter()
        .filter(|a| alternate == 0 || a.number == alternate)
    {
        let alt = super::Requirement {
            number: String::new(),
            alternate: a.number,
        };
        version_lines(out, &format!("{} ", alt.to_string().trim()), &a.versions);
    }
    if c.versions.is_empty() && c.alternates.is_empty() {
        out.push_str("  (no dated versions kept)\n");
    }
    if !c.reached_via.is_empty() {
        out.push_str(&format!(
            "  also incorporated through the check box of: {}\n",
            c.reached_via.join(", ")
        ));
    }
}

/// `tipaudit explain RULE`: what the rule checks, why, its gates, the clause versions and
/// threshold history it uses (from the data files), and how to fix it.
pub fn explain(rs: &RuleSet, id: &str) -> Option<String> {
    let r = rs.lookup(id)?;
    let mut out = format!(
        "{} {}\nkind: {}   severity: {}   cite: {}\ncheck: {}, which {}\n\n{}\n",
        r.id,
        r.title,
        r.kind,
        severity_text(r),
        r.cite,
        r.check.name(),
        r.check.describe(),
        r.explain.trim()
    );
    if !r.when.is_empty() {
        out.push_str("\nApplies when all of these hold:\n");
        for p in &r.when {
            out.push_str(&format!("  {}: {}\n", p.name(), p.describe()));
        }
    }
    if !r.evidence.is_empty() {
        out.push_str(&format!(
            "\nEvidence fields (any one with yes, a date or a reference satisfies it): {}\n",
            r.evidence.join(", ")
        ));
    }
    let legal = &rs.legal;
    explain_requires(&mut out, legal, r);
    explain_thresholds(&mut out, legal, r);
    explain_check_data(&mut out, legal, r);
    explain_gate_lists(&mut out, legal, r);
    explain_finding(&mut out, r);
    Some(out)
}

/// The clauses a rule requires: history, the clause lists that incorporate each, its conditions.
fn explain_requires(out: &mut String, legal: &super::legal::Legal, r: &RuleDef) {
    let mut shown = Vec::new();
    for q in &r.requires {
        if let Some(c) = legal.clause(&q.number)
            && !shown.contains(&q.number)
        {
            out.push_str(if shown.is_empty() { "\nRequires:" } else { "" });
            clause_history(out, c, q.alternate);
            // Clause lists that incorporate it with no box (52.213-4; 52.212-5 paragraph (a)).
            for l in legal.clauses.values() {
                for i in l.incorporates.iter().filter(|i| i.number == q.number) {
                    let through = i.through.map_or(String::new(), |d| {
                        format!(" through ({})", format_clause_date(d))
                    });
                    out.push_str(&format!(
                        "  incorporated with no box by: {}{through} ({})\n",
                        l.number, i.source
                    ));
                }
            }
            if !c.when.is_empty() {
                let when: Vec<String> = c.when.iter().map(Predicate::describe).collect();
                out.push_str(&format!("  prescribed when: {}\n", when.join("; ")));
            }
            shown.push(q.number.clone());
        }
    }
}

/// The history of each threshold the rule's conditions name.
fn explain_thresholds(out: &mut String, legal: &super::legal::Legal, r: &RuleDef) {
    let mut thresholds: Vec<&str> = r.when.iter().filter_map(Predicate::threshold).collect();
    thresholds.dedup();
    for t in thresholds {
        let Some(def) = legal.threshold(t) else {
            continue;
        };
        out.push_str(&format!(
            "\nThreshold history: {} ({}; thresholds.toml `{}`):\n",
            def.title, def.used_by, def.name
        ));
        if let Some(first) = def.steps.first().and_then(|s| s.from) {
            out.push_str(&format!(
                "  before {first}  no threshold: the duty does not apply\n"
            ));
        }
        for (i, s) in def.steps.iter().enumerate() {
            let when = match (s.from, def.steps.get(i + 1).and_then(|n| n.from)) {
                (Some(f), _) => format!("from {f}"),
                (None, Some(next)) => format!("before {next}"),
                (None, None) => "always".to_string(),
            };
            out.push_str(&format!(
                "  {when}  {}  ({}){}\n",
                money(s.amount),
                s.source,
                confidence_mark(s.confidence)
            ));
        }
    }
}

/// The far.toml entries the rule's check reads as a whole.
fn explain_check_data(out: &mut String, legal: &super::legal::Legal, r: &RuleDef) {
    match r.check {
        Check::ClauseVersion => {
            out.push_str("\nClause versions checked (far.toml):");
            for c in legal.clauses.values() {
                if !c.versions.is_empty() || c.alternates.iter().any(|a| !a.versions.is_empty()) {
                    clause_history(out, c, 0);
                }
            }
        }
        Check::RemovedClause => {
            out.push_str("\nRemoved clauses (far.toml [[removed]]):\n");
            for x in &legal.removed {
                out.push_str(&format!(
                    "  {} {}: removed {} ({}){}\n",
                    x.number,
                    x.title,
                    x.removed,
                    x.source,
                    confidence_mark(x.confidence)
                ));
            }
        }
        _ => {}
    }
}

/// The lists behind a rule's gates, as far.toml and rules.toml name them.
fn explain_gate_lists(out: &mut String, legal: &super::legal::Legal, r: &RuleDef) {
    let gates: Vec<&Predicate> = r
        .when
        .iter()
        .chain(
            r.requires
                .iter()
                .filter_map(|q| legal.clause(&q.number))
                .flat_map(|c| c.when.iter()),
        )
        .collect();
    if gates
        .iter()
        .any(|p| matches!(p, Predicate::Eo13126Listed | Predicate::Eo13126Product))
    {
        let eo = &legal.eo13126;
        out.push_str(&format!(
            "\nE.O. 13126 list (eo13126.toml): {} products; {}{}\n",
            eo.products.len(),
            eo.source,
            if eo.note.is_empty() {
                String::new()
            } else {
                format!(". Note: {}", eo.note)
            }
        ));
        for p in &eo.products {
            let removed: Vec<String> = p
                .removed
                .iter()
                .map(|r| format!("{} removed {} ({})", r.country, r.on, r.source))
                .collect();
            let removed = if removed.is_empty() {
                String::new()
            } else {
                format!("; {}", removed.join("; "))
            };
            out.push_str(&format!(
                "  {}: {}{removed}\n",
                p.name,
                p.countries.join(", ")
            ));
        }
    }
    if gates.iter().any(|p| matches!(p, Predicate::Dod)) {
        let dod = &legal.dod;
        out.push_str(&format!(
            "\nDoD agencies (agencies.toml){}: codes {}; code prefixes {}; names: {}\n",
            dod.confidence.map_or("", confidence_mark),
            dod.agency_codes.join(", "),
            dod.agency_code_prefixes.join(", "),
            dod.names.join(", ")
        ));
    }
}

/// What a finding says, then what each mark shown above means.
fn explain_finding(out: &mut String, r: &RuleDef) {
    let unverified = out.contains("[date not confirmed against the Federal Register]");
    let secondary = out.contains("[secondary source]");
    out.push_str(&format!(
        "\nWhat a finding says (the parts in braces are filled from the row):\n  message: {}\n  fix: {}\n",
        r.message, r.fix
    ));
    // Every mark shown is explained.
    if secondary {
        out.push_str(
            "\n[secondary source]: the fact was read only in a secondary source (not yet in the \
             official text); confirm it there.\n",
        );
    }
    if unverified {
        out.push_str(
            "\n[date not confirmed against the Federal Register]: the fact was not found in the \
             official text; findings that rest on it say so. Confirm it before relying on the \
             result.\n",
        );
    }
}

/// Replace the internal field names in a finding's message and fix (`directives_notified is
/// blank`) with the user's column header (`"US Directives Notified" is blank`), as
/// `header_of` names the field. A name with an underscore is replaced wherever it
/// stands; a one-word name (`date`, `value`) only where the template puts a field name, so
/// ordinary words stay.
pub fn name_columns(f: &mut crate::model::Finding, header_of: &dyn Fn(&str) -> Option<String>) {
    use std::sync::LazyLock;
    static FIELD: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|^[a-z]+ is\b|\([a-z]+ is\b|\bFill in [a-z]+$|\bthe [a-z]+ column\b",
        )
        .expect("valid")
    });
    let fix = |text: &str| -> Option<String> {
        let mut changed = false;
        let out = FIELD.replace_all(text, |c: &regex::Captures| {
            let m = &c[0];
            let name = m.trim_start_matches('(').trim_end_matches(" is");
            // (a one-word name at the start is matched with its " is")
            let name = name
                .trim_start_matches("Fill in ")
                .trim_start_matches("the ");
            let name = name.trim_end_matches(" column");
            match header_of(name) {
                Some(h) => {
                    changed = true;
                    m.replacen(name, &h, 1)
                }
                None => m.to_string(),
            }
        });
        changed.then(|| out.into_owned())
    };
    if let Some(m) = fix(&f.message) {
        f.message = m;
    }
    if let Some(x) = fix(&f.fix) {
        f.fix = x.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_the_users_columns() {
        let header_of = |f: &str| match f {
            "directives_notified" => Some("\"US Directives Notified\"".to_string()),
            "date" => Some("\"Award Date\"".to_string()),
            "tip_policy_notice" => Some("\"Policy Notice\"".to_string()),
            _ => None,
        };
        let mut f = crate::model::Finding {
            rule: "DATA001".into(),
            kind: "data_issue".into(),
            severity: crate::model::Severity::Medium,
            message: "date is blank: the threshold cannot be determined (the --as-of date 2026-01-02 was used); directives_notified is blank".into(),
            cite: Default::default(),
            column: None,
            fix: "Fill in date".into(),
            col_index: None,
            page: None,
            line: None,
        };
        name_columns(&mut f, &header_of);
        assert_eq!(
            f.message,
            "\"Award Date\" is blank: the threshold cannot be determined (the --as-of date 2026-01-02 was used); \"US Directives Notified\" is blank"
        );
        assert_eq!(f.fix, "Fill in \"Award Date\"");
        f.message = "BP02 Notice: no evidence (tip_policy_notice is blank); required".into();
        f.fix = "Record the evidence of BP02 in the tip_policy_notice column".into();
        name_columns(&mut f, &header_of);
        assert_eq!(
            f.message,
            "BP02 Notice: no evidence (\"Policy Notice\" is blank); required"
        );
        assert_eq!(
            f.fix,
            "Record the evidence of BP02 in the \"Policy Notice\" column"
        );
        // Unknown names and ordinary words stay.
        f.message = "value_outside_us is absent".into();
        name_columns(&mut f, &header_of);
        assert_eq!(f.message, "value_outside_us is absent");
    }

    #[test]
    fn money_format() {
        assert_eq!(money(712_000.0), "$712,000.00");
        assert_eq!(money(699_999.99), "$699,999.99");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(1_234_567.5), "$1,234,567.50");
        assert_eq!(money(-1000.0), "-$1,000.00");
        assert_eq!(money(999.999), "$1,000.00");
    }
}

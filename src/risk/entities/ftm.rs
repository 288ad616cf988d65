//! FollowTheMoney entities, one JSON object per line (OpenSanctions exports).

use super::EntityEntry;
use super::load::entry_from;

pub(super) fn parse_ftm(text: &str, origin: &str) -> anyhow::Result<Vec<EntityEntry>> {
    // Schemas that name an organisation; sanctions, ownerships, addresses and people are
    // skipped (see the CSL note on individuals).
    const SCHEMAS: &[&str] = &[
        "Company",
        "Organization",
        "LegalEntity",
        "Vessel",
        "PublicBody",
    ];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| not_json(i + 1, &e))?;
        let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or("");
        if !SCHEMAS.contains(&schema) {
            continue;
        }
        let prop = |k: &str| -> Vec<String> {
            v.get("properties")
                .and_then(|p| p.get(k))
                .and_then(|a| a.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut names = prop("name");
        if names.is_empty() {
            continue;
        }
        let primary = names.remove(0);
        names.extend(prop("alias"));
        names.extend(prop("previousName"));
        let list = v
            .get("datasets")
            .and_then(|d| d.as_array())
            .and_then(|d| d.first())
            .and_then(|d| d.as_str())
            .map(str::to_string)
            .or_else(|| prop("program").into_iter().next())
            .unwrap_or_else(|| "FollowTheMoney".into());
        let id = v.get("id").and_then(|s| s.as_str()).unwrap_or("");
        let source = match prop("sourceUrl").into_iter().next() {
            Some(u) => format!("{id} ({origin}); {u}"),
            None => format!("{id} ({origin})"),
        };
        let date = v
            .get("first_seen")
            .and_then(|s| s.as_str())
            .map(|s| s.chars().take(10).collect())
            .unwrap_or_default();
        out.extend(entry_from(&primary, names, list, source, date));
    }
    Ok(out)
}

/// A line that does not parse, at the column serde_json stopped (its own line number counts
/// from the start of the one line given it, so its message's position is left out).
fn not_json(line: usize, e: &serde_json::Error) -> anyhow::Error {
    let what = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = what.strip_suffix(&suffix).unwrap_or(&what);
    anyhow::anyhow!(
        "line {line}, column {}: not a JSON object: {what}",
        e.column()
    )
}

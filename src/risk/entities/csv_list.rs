//! CSV screening lists: plain, trade.gov Consolidated Screening List, OpenSanctions.

use anyhow::Context;

use super::EntityEntry;
use super::load::{ListFormat, entry_from, split_multi};

pub(super) fn parse_csv(
    text: &str,
    origin: &str,
    fmt: ListFormat,
) -> anyhow::Result<Vec<EntityEntry>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr.headers()?.clone();
    let headers: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    // `detect_format` looks past blank lines; the CSV reader takes a line of spaces as the
    // header, so such a file reaches here without a `name` column.
    let Some(name_col) = col("name") else {
        let line = header.position().map_or(1, |p| p.line());
        let found = if headers.iter().all(|h| h.is_empty()) {
            "a blank line".to_string()
        } else {
            format!("`{}`", header.iter().collect::<Vec<_>>().join(","))
        };
        anyhow::bail!(
            "{origin}: line {line}: expected the CSV header with a `name` column as the first \
             line, found {found}"
        );
    };
    let get = |r: &csv::StringRecord, c: Option<usize>| {
        c.and_then(|c| r.get(c)).unwrap_or("").trim().to_string()
    };
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{origin}: CSV record {}", i + 2))?;
        let name = get(&rec, Some(name_col));
        if name.is_empty() {
            continue;
        }
        let entry = match fmt {
            ListFormat::Csl => {
                // Individuals are screened by no field here (vendors are firms), and short
                // personal names would match unrelated firms.
                if get(&rec, col("type")).eq_ignore_ascii_case("individual") {
                    continue;
                }
                let list = Some(get(&rec, col("source")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "Consolidated Screening List".into());
                let frn = get(&rec, col("federal_register_notice"));
                let source = if frn.is_empty() {
                    format!("Consolidated Screening List ({origin})")
                } else {
                    format!("Consolidated Screening List ({origin}); {frn}")
                };
                entry_from(
                    &name,
                    split_multi(&get(&rec, col("alt_names"))),
                    list,
                    source,
                    get(&rec, col("start_date")),
                )
            }
            ListFormat::OpenSanctions => {
                if get(&rec, col("schema")).eq_ignore_ascii_case("person") {
                    continue;
                }
                let dataset = get(&rec, col("dataset"));
                let sanctions = get(&rec, col("sanctions"));
                let first_sanction = split_multi(&sanctions).into_iter().next();
                let first_sanction = first_sanction.unwrap_or_default();
                let program = first_sanction.split(" - ").next().unwrap_or("").trim();
                // "program - reason - status - startDate - endDate": the first ISO date.
                let start = first_sanction
                    .split([' ', ';'])
                    .find(|w| {
                        w.len() == 10 && chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok()
                    })
                    .unwrap_or("")
                    .to_string();
                let list = Some(program.to_string())
                    .filter(|s| !s.is_empty())
                    .or_else(|| split_multi(&dataset).into_iter().next())
                    .unwrap_or_else(|| "OpenSanctions".into());
                let source = format!("OpenSanctions {} ({origin})", get(&rec, col("id")));
                entry_from(
                    &name,
                    split_multi(&get(&rec, col("aliases"))),
                    list,
                    source,
                    start,
                )
            }
            _ => {
                let aliases = col("aliases").or(col("alt_names")).or(col("alias"));
                let list = Some(get(&rec, col("list")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| origin.to_string());
                let source = Some(get(&rec, col("source")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| origin.to_string());
                entry_from(
                    &name,
                    split_multi(&get(&rec, aliases)),
                    list,
                    source,
                    get(&rec, col("date")),
                )
            }
        };
        out.extend(entry);
    }
    Ok(out)
}

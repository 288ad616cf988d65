//! CSV screening lists: plain, trade.gov Consolidated Screening List, OpenSanctions.

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
    let cols = Columns::new(&header)?;
    let mut out = Vec::new();
    let mut records = 0;
    let mut named = 0;
    // The line of the last record, if it has a line break inside a cell.
    let mut last_multiline = None;
    for rec in rdr.records() {
        let rec = rec?;
        records += 1;
        last_multiline = rec
            .iter()
            .any(|f| f.contains(['\n', '\r']))
            .then(|| rec.position().map(|p| p.line()))
            .flatten();
        let row = ListRow {
            cols: &cols,
            rec: &rec,
        };
        let name = row.get("name");
        if name.is_empty() {
            continue;
        }
        named += 1;
        out.extend(match fmt {
            ListFormat::Csl => row.csl_entry(&name, origin),
            ListFormat::OpenSanctions => row.open_sanctions_entry(&name, origin),
            _ => row.plain_entry(&name, origin),
        });
    }
    // An odd number of quotes and a last record spanning lines: a quote opened there was
    // never closed, and every entry after it was read into one cell.
    if let Some(line) = last_multiline
        && text.matches('"').count() % 2 == 1
    {
        anyhow::bail!(
            "line {line}: a quoted cell is never closed; the rest of the list was read into \
             it (an unmatched \" character?)"
        );
    }
    if records > 0 && named == 0 {
        anyhow::bail!("the `name` column is empty on every line: no entity to screen");
    }
    Ok(out)
}

/// A list's header: lower-cased column names, one of them `name`.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn new(header: &csv::StringRecord) -> anyhow::Result<Columns> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        // `detect_format` looks past blank lines; the CSV reader takes a line of spaces as
        // the header, so such a file reaches here without a `name` column.
        if !names.iter().any(|h| h == "name") {
            let line = header.position().map_or(1, |p| p.line());
            let found = if names.iter().all(|h| h.is_empty()) {
                "a blank line".to_string()
            } else {
                format!("`{}`", header.iter().collect::<Vec<_>>().join(","))
            };
            anyhow::bail!(
                "line {line}: expected the CSV header with a `name` column as the \
                 first line, found {found}"
            );
        }
        Ok(Columns { names })
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }
}

/// One record of a list, read by column name.
struct ListRow<'a> {
    cols: &'a Columns,
    rec: &'a csv::StringRecord,
}

impl ListRow<'_> {
    /// The trimmed value of the first of `columns` the list has; empty when it has none.
    fn get_any(&self, columns: &[&str]) -> String {
        columns
            .iter()
            .find_map(|c| self.cols.col(c))
            .and_then(|c| self.rec.get(c))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    fn get(&self, column: &str) -> String {
        self.get_any(&[column])
    }

    /// A trimmed value, or `default` when it is blank.
    fn get_or(&self, column: &str, default: impl FnOnce() -> String) -> String {
        Some(self.get(column))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(default)
    }

    fn csl_entry(&self, name: &str, origin: &str) -> Option<EntityEntry> {
        // Individuals are screened by no field here (vendors are firms), and short personal
        // names would match unrelated firms.
        if self.get("type").eq_ignore_ascii_case("individual") {
            return None;
        }
        let list = self.get_or("source", || "Consolidated Screening List".into());
        let frn = self.get("federal_register_notice");
        let source = if frn.is_empty() {
            format!("Consolidated Screening List ({origin})")
        } else {
            format!("Consolidated Screening List ({origin}); {frn}")
        };
        entry_from(
            name,
            split_multi(&self.get("alt_names")),
            list,
            source,
            self.get("start_date"),
        )
    }

    fn open_sanctions_entry(&self, name: &str, origin: &str) -> Option<EntityEntry> {
        if self.get("schema").eq_ignore_ascii_case("person") {
            return None;
        }
        let sanctions = self.get("sanctions");
        let first_sanction = split_multi(&sanctions).into_iter().next();
        let (program, start) = program_and_start(&first_sanction.unwrap_or_default());
        let list = Some(program)
            .filter(|s| !s.is_empty())
            .or_else(|| split_multi(&self.get("dataset")).into_iter().next())
            .unwrap_or_else(|| "OpenSanctions".into());
        let source = format!("OpenSanctions {} ({origin})", self.get("id"));
        entry_from(name, split_multi(&self.get("aliases")), list, source, start)
    }

    fn plain_entry(&self, name: &str, origin: &str) -> Option<EntityEntry> {
        entry_from(
            name,
            split_multi(&self.get_any(&["aliases", "alt_names", "alias"])),
            self.get_or("list", || origin.to_string()),
            self.get_or("source", || origin.to_string()),
            self.get("date"),
        )
    }
}

/// An OpenSanctions sanction, "program - reason - status - startDate - endDate": its program
/// and its first ISO date.
fn program_and_start(sanction: &str) -> (String, String) {
    let program = sanction.split(" - ").next().unwrap_or("").trim();
    let start = sanction
        .split([' ', ';'])
        .find(|w| w.len() == 10 && chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok())
        .unwrap_or("");
    (program.to_string(), start.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sanction_gives_its_program_and_first_iso_date() {
        let p = program_and_start;
        assert_eq!(
            p("OFAC SDN - Forced labor - Active - 2021-06-24 - 2030-01-01"),
            ("OFAC SDN".to_string(), "2021-06-24".to_string())
        );
        assert_eq!(
            p("UFLPA Entity List"),
            ("UFLPA Entity List".into(), String::new())
        );
        assert_eq!(p(""), (String::new(), String::new()));
        // A 10-character word that is not a date is not the start.
        assert_eq!(p("X - 2021-13-40 2022-01-05").1, "2022-01-05");
    }
}

//! Screening-list files: format detection, and the entry every loader builds.

use std::path::Path;

use anyhow::Context;

use super::EntityEntry;
use super::grammar::{name_tokens, parse_official_name};

/// Which screening-list layout a file has, detected from its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// CSV with a `name` column (optional `aliases`, `list`, `source`, `date`).
    Plain,
    /// trade.gov Consolidated Screening List CSV (`_id,source,...,name,...,alt_names,...`).
    Csl,
    /// OpenSanctions `targets.simple.csv` (`id,schema,name,aliases,...,sanctions,dataset`).
    OpenSanctions,
    /// FollowTheMoney entities, one JSON object per line.
    FtmJson,
}

pub fn detect_format(text: &str) -> anyhow::Result<ListFormat> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if first.trim_start().starts_with('{') {
        return Ok(ListFormat::FtmJson);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes());
    let header: Vec<String> = rdr
        .records()
        .next()
        .transpose()?
        .map(|r| r.iter().map(|h| h.trim().to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let has = |n: &str| header.iter().any(|h| h == n);
    if has("_id") && has("alt_names") && has("name") {
        Ok(ListFormat::Csl)
    } else if has("schema") && has("aliases") && has("name") {
        Ok(ListFormat::OpenSanctions)
    } else if has("name") {
        Ok(ListFormat::Plain)
    } else {
        anyhow::bail!(
            "not a screening list: expected a CSV header with a `name` column (plain, \
             Consolidated Screening List or OpenSanctions) or FollowTheMoney JSON lines"
        )
    }
}

pub(super) fn split_multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn entry_from(
    raw_name: &str,
    extra_aliases: Vec<String>,
    list: String,
    source: String,
    date: String,
) -> Option<EntityEntry> {
    let (name, mut aliases, subsidiaries) = parse_official_name(raw_name);
    if name_tokens(&name).is_empty() {
        return None;
    }
    for a in extra_aliases {
        let (a, more, _) = parse_official_name(&a);
        aliases.push(a);
        aliases.extend(more);
    }
    aliases.retain(|a| !a.is_empty());
    Some(EntityEntry {
        name,
        aliases,
        list,
        source,
        date,
        subsidiaries,
    })
}

/// Parse a screening list; `origin` names it where the file gives no list name. An error says
/// where in the text it is (line, column), not which file: the caller names the file.
pub fn parse_entities(text: &str, origin: &str) -> anyhow::Result<Vec<EntityEntry>> {
    let text = text.trim_start_matches('\u{feff}');
    match detect_format(text)? {
        ListFormat::FtmJson => super::ftm::parse_ftm(text, origin),
        fmt => super::csv_list::parse_csv(text, origin, fmt),
    }
}

/// Load a screening list given with `--entities FILE` (format detected from the header). As
/// with `parse_entities`, an error does not name the file: the caller says which list failed.
pub fn load_entities(path: &Path) -> anyhow::Result<Vec<EntityEntry>> {
    let bytes = std::fs::read(path).context("cannot read the file")?;
    let text = String::from_utf8_lossy(&bytes);
    let origin = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    parse_entities(&text, &origin)
}

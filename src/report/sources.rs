//! Which edition of the rule data a report rests on, in words for its reader: the FAC the
//! clause table is current to, the screening lists and their latest dates, the DOL list
//! year. Read from the rule files the batch ran with, so a `--rules` directory reports its
//! own.

use std::collections::BTreeMap;

use crate::rules::DataFiles;

/// The rules a batch ran with: the directory named by `--rules` if it is still there, else
/// the built-in set.
pub fn data_files(rules_origin: &str) -> DataFiles {
    if rules_origin == "built-in" {
        DataFiles::builtin()
    } else {
        DataFiles::from_dir(std::path::Path::new(rules_origin))
            .unwrap_or_else(|_| DataFiles::builtin())
    }
}

/// The largest `PREFIX YYYY-NN` or `PREFIX YYYY` found in `text`.
fn latest(text: &str, prefix: &str, with_number: bool) -> Option<String> {
    let pat = if with_number {
        format!(r"{}\s+(\d{{4}}-\d{{2}})", regex::escape(prefix))
    } else {
        format!(r"{}\s+(\d{{4}})", regex::escape(prefix))
    };
    let re = regex::Regex::new(&pat).ok()?;
    re.captures_iter(text).map(|c| c[1].to_string()).max()
}

/// One line per data set: what it is and its edition.
pub fn versions(files: &DataFiles) -> Vec<String> {
    let mut out = Vec::new();
    let far = files.get("far.toml").unwrap_or("");
    match latest(far, "FAC", true) {
        Some(fac) => out.push(format!(
            "FAR and DFARS clause table: current to Federal Acquisition Circular {fac}"
        )),
        None => out.push("FAR and DFARS clause table: edition not stated".into()),
    }
    // Screening lists: entries and the latest listing date per list.
    let mut lists: BTreeMap<String, (usize, Option<String>)> = BTreeMap::new();
    if let Some(csv_text) = files.get("entities.csv") {
        let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = rd.headers().cloned().unwrap_or_default();
        let col = |n: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        };
        let (list_col, date_col) = (col("list"), col("date"));
        for rec in rd.records().flatten() {
            let list = list_col
                .and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("screening list")
                .to_string();
            let date = date_col
                .and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let e = lists.entry(list).or_default();
            e.0 += 1;
            if date > e.1 {
                e.1 = date;
            }
        }
    }
    for (list, (n, date)) in lists {
        out.push(match date {
            Some(d) => {
                format!("{list}: {n} entries in the built-in seed list, latest listing dated {d}")
            }
            None => format!("{list}: {n} entries in the built-in seed list"),
        });
    }
    let risk = files.get("risk.toml").unwrap_or("");
    if let Some(y) = latest(risk, "DOL TVPRA list", false) {
        out.push(format!(
            "DOL List of Goods Produced by Child Labor or Forced Labor: {y} edition"
        ));
    }
    let eo = files.get("eo13126.toml").unwrap_or("");
    if let Some(y) = regex::Regex::new(r"\((\d{4}) edition")
        .ok()
        .and_then(|re| re.captures(eo).map(|c| c[1].to_string()))
    {
        out.push(format!(
            "E.O. 13126 List of Products (child labor): {y} edition"
        ));
    }
    if files.origin != "built-in" {
        out.push(format!("Rule data read from {}", files.origin));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_versions_name_the_fac_and_the_lists() {
        let v = versions(&DataFiles::builtin()).join("\n");
        assert!(v.contains("Federal Acquisition Circular 2026-01"), "{v}");
        assert!(v.contains("UFLPA Entity List: "), "{v}");
        assert!(v.contains("DOL List of Goods"), "{v}");
        assert!(v.contains("2023 edition"), "{v}");
        assert!(!v.contains("built-in\n"), "{v}");
    }
}

//! Accuracy against the hand-labelled set in `tests/data/accuracy/` (`labels.csv`: 620 real FPDS
//! and USAspending records; `documents.csv`: real solicitation documents, each one record;
//! labels written before the tool ran on them; see the README there).
//! Runs the binary on the real files in `../shared/data/real`, joins `findings.jsonl` to the
//! labels by file and row (contract id checked), and reports precision and recall per core rule
//! and per risk category plus status agreement. Fails below 0.97 for a core rule and 0.90 for a
//! category where the metric has at least 3 records behind it (precision: records the tool
//! flagged; recall: records labelled), and on any record called `compliant` against its label.
//! Run with `--nocapture` to see the table.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";
const CORE_RULES: [&str; 14] = [
    "TIP001", "TIP002", "TIP003", "TIP004", "TIP005", "TIP006", "TIP007", "CL001", "XJ001",
    "RISK001", "RISK002", "RISK003", "ENT001", "DATA001",
];
const RULE_FLOOR: f64 = 0.97;
const CATEGORY_FLOOR: f64 = 0.90;
const MIN_SUPPORT: usize = 3;

/// Rules whose floor is reported, not enforced, each with the reason: (table, rule, reason).
/// A disagreement that stays here is a tool limitation written down in docs/accuracy.md.
const REPORTED_ONLY: [(&str, &str, &str); 0] = [];

fn reported_only(kind: &str, rule: &str) -> Option<&'static str> {
    REPORTED_ONLY
        .iter()
        .find(|(k, r, _)| *k == kind && *r == rule)
        .map(|(_, _, why)| *why)
}

/// One labelled record. `file` is the input's path below `shared/data/real`; `row` is empty for
/// a contract document (one record per document, CONTRACT.md section 4: `row` is null).
struct Label {
    file: String,
    row: Option<u64>,
    contract_id: String,
    status: String,
    rules: BTreeSet<String>,
    categories: BTreeSet<String>,
    reason: String,
}

struct Got {
    contract_id: String,
    status: String,
    rules: BTreeSet<String>,
    categories: BTreeSet<String>,
}

fn words(s: &str) -> BTreeSet<String> {
    s.split_whitespace().map(str::to_string).collect()
}

const LABEL_FILES: [&str; 2] = ["labels.csv", "documents.csv"];

fn read_labels() -> Vec<Label> {
    LABEL_FILES
        .iter()
        .flat_map(|f| read_label_file(f))
        .collect()
}

fn read_label_file(name: &str) -> Vec<Label> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/accuracy")
        .join(name);
    let mut rdr = csv::Reader::from_path(&path).unwrap();
    rdr.deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            Label {
                file: r["file"].clone(),
                row: (!r["row"].is_empty()).then(|| r["row"].parse().unwrap()),
                contract_id: r["contract_id"].clone(),
                status: r["status"].clone(),
                rules: words(&r["rules"]),
                categories: words(&r["categories"]),
                reason: r["reason"].clone(),
            }
        })
        .collect()
}

impl Label {
    fn at(&self) -> String {
        match self.row {
            Some(row) => format!("{}:{row}", self.file),
            None => self.file.clone(),
        }
    }
}

/// A contract id as CONTRACT.md 2a compares them: without case, spaces, dashes and dots.
fn norm_id(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{2013}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The labelled input files, in the order they first appear.
fn sources(labels: &[Label]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for l in labels {
        if !v.contains(&l.file) {
            v.push(l.file.clone());
        }
    }
    v
}

/// The sources split so that no batch holds two renderings of one document: PDFs, Word files,
/// and everything else (the spreadsheets, `.txt` and `.md`).
fn batches(sources: &[String]) -> Vec<Vec<String>> {
    let kind = |s: &String| match Path::new(s).extension().and_then(|e| e.to_str()) {
        Some("pdf") => 1,
        Some("docx") => 2,
        _ => 0,
    };
    (0..3)
        .map(|k| sources.iter().filter(|s| kind(s) == k).cloned().collect())
        .filter(|b: &Vec<String>| !b.is_empty())
        .collect()
}

/// Audit the labelled files and key each record by (path below `real`, row).
fn run_tool(real: &Path, sources: &[String]) -> HashMap<(String, Option<u64>), Got> {
    let out = common::tmp();
    let inputs: Vec<PathBuf> = sources.iter().map(|s| real.join(s)).collect();
    let mut cmd = common::tipaudit();
    cmd.arg("audit")
        .args(&inputs)
        .arg("-o")
        .arg(out.path())
        .args([
            "--as-of",
            AS_OF,
            "--no-annotate",
            "--fail-on",
            "never",
            "-q",
        ]);
    let o = cmd.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "tipaudit failed on the real files: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let core: BTreeSet<&str> = CORE_RULES.into_iter().collect();
    let mut got = HashMap::new();
    for rec in common::jsonl(out.path()) {
        let Some(file) = rec["file"].as_str() else {
            continue;
        };
        // `file` is the path as given on the command line (a directory input adds the path below it).
        let Some(rel) = inputs
            .iter()
            .zip(sources)
            .find_map(|(p, s)| Path::new(file).starts_with(p).then(|| s.clone()))
        else {
            continue;
        };
        let row = rec["row"].as_u64();
        let rules = common::rules_of(&rec)
            .into_iter()
            .filter(|r| core.contains(r.as_str()))
            .collect();
        let categories = rec["risk_categories"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        got.insert(
            (rel, row),
            Got {
                contract_id: rec["contract_id"].as_str().unwrap_or("").to_string(),
                status: rec["status"].as_str().unwrap_or("").to_string(),
                rules,
                categories,
            },
        );
    }
    got
}

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn add(&mut self, expected: bool, got: bool) {
        match (expected, got) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> Option<f64> {
        let n = self.tp + self.fp;
        (n > 0).then(|| self.tp as f64 / n as f64)
    }
    fn recall(&self) -> Option<f64> {
        let n = self.tp + self.fn_;
        (n > 0).then(|| self.tp as f64 / n as f64)
    }
    /// The metrics below `floor` that have at least MIN_SUPPORT records behind them:
    /// ("precision" | "recall", value).
    fn below(&self, floor: f64) -> Vec<(&'static str, f64)> {
        let mut v = Vec::new();
        if self.tp + self.fp >= MIN_SUPPORT && self.precision().unwrap() < floor {
            v.push(("precision", self.precision().unwrap()));
        }
        if self.tp + self.fn_ >= MIN_SUPPORT && self.recall().unwrap() < floor {
            v.push(("recall", self.recall().unwrap()));
        }
        v
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".into(), |x| format!("{x:.3}"))
}

fn table(title: &str, tallies: &BTreeMap<String, Tally>, floor: f64) -> String {
    let mut s = format!(
        "\n{title:<32} {:>9} {:>6} {:>9} {:>6} {:>4} {:>4} {:>4}  floor {floor}\n",
        "precision", "n", "recall", "n", "tp", "fp", "fn"
    );
    for (k, t) in tallies {
        let flag = t
            .below(floor)
            .iter()
            .map(|(m, _)| format!("  {} BELOW", m.to_uppercase()))
            .collect::<String>();
        s += &format!(
            "{k:<32} {:>9} {:>6} {:>9} {:>6} {:>4} {:>4} {:>4}{flag}\n",
            fmt(t.precision()),
            t.tp + t.fp,
            fmt(t.recall()),
            t.tp + t.fn_,
            t.tp,
            t.fp,
            t.fn_
        );
    }
    s
}

fn join(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "-".into()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(" ")
    }
}

#[test]
fn accuracy_on_hand_labelled_real_records() {
    let Some(real) = common::real_data() else {
        return;
    };
    let labels = read_labels();
    let sources = sources(&labels);
    // Each missing source is named (and fails the test under CI).
    let missing = sources
        .iter()
        .filter(|s| common::real_file(s).is_none())
        .count();
    if missing > 0 {
        return;
    }
    assert!(
        labels.len() >= 400,
        "only {} labelled records",
        labels.len()
    );
    // The PDF and Word renderings of a solicitation carry the same number as its text: in one
    // batch they would be DATA003 (a repeated contract id) and `review`, which no label is
    // about. Each rendering kind is audited in a batch of its own.
    let mut got = HashMap::new();
    for batch in batches(&sources) {
        got.extend(run_tool(&real, &batch));
    }

    let mut rules: BTreeMap<String, Tally> = CORE_RULES
        .iter()
        .map(|r| (r.to_string(), Tally::default()))
        .collect();
    // The documents alone as well: they are the only records with clause lists, and the
    // spreadsheet rows would drown their DATA001 figures.
    let mut doc_rules: BTreeMap<String, Tally> = CORE_RULES
        .iter()
        .map(|r| (r.to_string(), Tally::default()))
        .collect();
    let mut cats: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut status_agree, mut false_compliant) = (0, Vec::new());
    let mut disagreements = Vec::new();
    let (mut documents, mut id_agree) = (0, 0);
    let mut unmatched = Vec::new();
    for l in &labels {
        let Some(g) = got.get(&(l.file.clone(), l.row)) else {
            unmatched.push(l.at());
            disagreements.push(format!(
                "{} {}: no record in findings.jsonl ({})",
                l.at(),
                l.contract_id,
                l.reason
            ));
            continue;
        };
        // A row joins by its number, so a different id is a broken join; a document joins by
        // its file, and the id read from its text is one of the things measured.
        if l.row.is_some() {
            assert_eq!(
                g.contract_id,
                l.contract_id,
                "{} joins a different contract id",
                l.at()
            );
        } else {
            documents += 1;
            if norm_id(&g.contract_id) == norm_id(&l.contract_id) {
                id_agree += 1;
            } else {
                disagreements.push(format!(
                    "{}: contract id expected {}, read {}",
                    l.at(),
                    l.contract_id,
                    g.contract_id
                ));
            }
        }
        for r in CORE_RULES {
            rules
                .get_mut(r)
                .unwrap()
                .add(l.rules.contains(r), g.rules.contains(r));
            if l.row.is_none() {
                doc_rules
                    .get_mut(r)
                    .unwrap()
                    .add(l.rules.contains(r), g.rules.contains(r));
            }
        }
        for c in l.categories.union(&g.categories) {
            cats.entry(c.clone())
                .or_default()
                .add(l.categories.contains(c), g.categories.contains(c));
        }
        if g.status == l.status {
            status_agree += 1;
        } else if g.status == "compliant" {
            false_compliant.push(format!("{} {}", l.at(), l.contract_id));
        }
        if g.status != l.status || g.rules != l.rules || g.categories != l.categories {
            disagreements.push(format!(
                "{} {}: expected {} [{}] {{{}}}, got {} [{}] {{{}}} -- {}",
                l.at(),
                l.contract_id,
                l.status,
                join(&l.rules),
                join(&l.categories),
                g.status,
                join(&g.rules),
                join(&g.categories),
                l.reason
            ));
        }
    }

    let mut report = format!(
        "accuracy on {} hand-labelled records (--as-of {AS_OF}): status agreement {}/{} = {:.3}",
        labels.len(),
        status_agree,
        labels.len(),
        status_agree as f64 / labels.len() as f64
    );
    report += &format!(
        "\n{} spreadsheet rows, {documents} contract documents (contract id read as labelled: {id_agree}/{documents})",
        labels.len() - documents
    );
    report += &table("core rule", &rules, RULE_FLOOR);
    report += &table("core rule, documents only", &doc_rules, RULE_FLOOR);
    report += &table("risk category", &cats, CATEGORY_FLOOR);
    println!("{report}");

    let mut failures = Vec::new();
    for (kind, tallies, floor) in [
        ("rule", &rules, RULE_FLOOR),
        ("rule (documents)", &doc_rules, RULE_FLOOR),
        ("category", &cats, CATEGORY_FLOOR),
    ] {
        for (k, t) in tallies {
            for (m, v) in t.below(floor) {
                let msg = format!("{kind} {k} {m} {v:.3} (floor {floor})");
                match reported_only(kind, k) {
                    Some(why) => println!("reported only: {msg}: {why}"),
                    None => failures.push(msg),
                }
            }
        }
    }
    if !unmatched.is_empty() {
        failures.push(format!("no record for {}", unmatched.join(", ")));
    }
    if !false_compliant.is_empty() {
        failures.push(format!(
            "called compliant against the label: {}",
            false_compliant.join(", ")
        ));
    }
    println!(
        "\n{} records disagree with their label:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{}\n\nbelow the floor: {}\n\ndisagreements ({}):\n{}",
        report,
        failures.join("; "),
        disagreements.len(),
        disagreements.join("\n")
    );
}

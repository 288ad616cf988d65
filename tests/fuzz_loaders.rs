//! A short, bounded property run of the loaders that read user files: `--entities` screening
//! lists, the TOML files of a `--rules` directory, and `--mapping` files. Each must load or
//! return an error that names the file; none may panic. The rules files are mutated copies of
//! the built-in ones, so most cases get past the TOML parser into the checks behind it.

mod common;

use std::path::Path;

use common::config;
use proptest::prelude::*;
use tipaudit::audit::Engine;
use tipaudit::risk::{Screener, check_dir, load_entities};
use tipaudit::rules::DataFiles;

/// Cell-like text mixed with anything at all (quotes, separators and brackets included).
fn cellish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z .,;&()\\[\\]（）-]{0,40}",
        "[\"',;{}\\[\\]: \t]{0,8}",
        Just(String::new()),
        Just("   ".to_string()),
        Just("Hoshine Silicon Industry Co. Ltd (including one alias: Hoshine)".to_string()),
        Just("X and its subordinate and affiliated entities".to_string()),
    ]
}

/// A header cell: the column names the list formats use, or anything.
fn header_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_string()),
        Just(" Name ".to_string()),
        Just("aliases".to_string()),
        Just("list".to_string()),
        Just("source".to_string()),
        Just("date".to_string()),
        Just("_id".to_string()),
        Just("alt_names".to_string()),
        Just("type".to_string()),
        Just("schema".to_string()),
        Just("sanctions".to_string()),
        Just("dataset".to_string()),
        cellish(),
    ]
}

/// A FollowTheMoney-like JSON line: well formed or not.
fn ftm_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop_oneof![
                Just("Company"),
                Just("Organization"),
                Just("Person"),
                Just("Sanction")
            ],
            proptest::collection::vec(cellish(), 0..3),
            proptest::collection::vec(cellish(), 0..3),
        )
            .prop_map(|(schema, names, aliases)| {
                serde_json::json!({
                    "id": "x",
                    "schema": schema,
                    "properties": {"name": names, "alias": aliases},
                    "datasets": ["us_dhs_uflpa"],
                })
                .to_string()
            }),
        "\\{[\"a-z:,\\[\\]{} 0-9]{0,40}",
        cellish(),
    ]
}

/// A screening-list file: a CSV header and rows (blank lines possible), or JSON lines.
fn entities_text() -> impl Strategy<Value = String> {
    let csv = (
        proptest::collection::vec(prop_oneof![Just("\n"), Just(" \t\n")], 0..3),
        proptest::collection::vec(header_cell(), 0..7),
        proptest::collection::vec(proptest::collection::vec(cellish(), 0..8), 0..6),
    )
        .prop_map(|(lead, header, rows)| {
            let quote = |c: &String| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            };
            let mut text: String = lead.concat();
            text.push_str(&header.iter().map(quote).collect::<Vec<_>>().join(","));
            for r in rows {
                text.push('\n');
                text.push_str(&r.iter().map(quote).collect::<Vec<_>>().join(","));
            }
            text
        });
    let ftm = proptest::collection::vec(ftm_line(), 0..5).prop_map(|l| l.join("\n"));
    prop_oneof![3 => csv, 1 => ftm, 1 => any::<String>()]
}

/// One edit to a file's lines: (kind, line, text).
fn edit() -> impl Strategy<Value = (u8, usize, String)> {
    (
        0u8..5,
        any::<usize>(),
        prop_oneof![
            cellish(),
            "[a-z_]{1,12} = (\"[^\"\n]{0,12}\"|[0-9-]{1,8}|true|\\[\\]|\\{\\})",
            "\\[\\[?[a-z_]{1,10}\\]\\]?",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        ],
    )
}

/// Apply edits: replace, delete, insert or duplicate a line, or cut the text short there.
fn mutate(text: &str, edits: &[(u8, usize, String)]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (kind, at, new) in edits {
        if lines.is_empty() {
            lines.push(new.clone());
            continue;
        }
        let i = at % lines.len();
        match kind {
            0 => lines[i] = new.clone(),
            1 => {
                lines.remove(i);
            }
            2 => lines.insert(i, new.clone()),
            3 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            _ => {
                // Cut inside the line at a character boundary.
                let l = &lines[i];
                let cut = l
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(at % (l.chars().count() + 1))
                    .unwrap_or(l.len());
                lines[i] = l[..cut].to_string();
                lines.truncate(i + 1);
            }
        }
    }
    lines.join("\n")
}

/// The rules-directory TOML files a user may replace.
const RULE_FILES: &[&str] = &[
    "rules.toml",
    "far.toml",
    "thresholds.toml",
    "practices.toml",
    "risk.toml",
    "fields.toml",
    "eo13126.toml",
    "agencies.toml",
];

fn names_a_file(msg: &str) -> bool {
    RULE_FILES
        .iter()
        .chain(&["entities.csv", "places.toml"])
        .any(|f| msg.contains(f))
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn entities_lists_load_or_say_what_is_wrong(text in entities_text(), probe in cellish()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("list-under-test.csv");
        std::fs::write(&p, &text).unwrap();
        match load_entities(&p) {
            Ok(entries) => {
                // What loads must also index and screen.
                let s = Screener::new(entries);
                let _ = s.screen(&probe);
                for e in s.entries() {
                    let _ = s.screen(&e.name);
                }
            }
            Err(e) => {
                // The caller names the file (`screening list FILE: ...`), once.
                let msg = format!("{e:#}");
                prop_assert!(!msg.is_empty() && !msg.contains("list-under-test.csv"), "{msg}");
            }
        }
    }
}

proptest! {
    // Each case loads the whole rule data twice (check-rules and the audit's engine).
    #![proptest_config(config(24))]

    #[test]
    fn rules_files_load_or_name_the_file(
        which in 0..RULE_FILES.len(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let name = RULE_FILES[which];
        let text = mutate(DataFiles::builtin().get(name).unwrap(), &edits);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), &text).unwrap();
        let checked = check_dir(dir.path());
        if let Err(errors) = &checked {
            prop_assert!(!errors.is_empty());
            for msg in errors {
                prop_assert!(names_a_file(msg), "{msg}");
            }
        }
        let engine = Engine::load(&DataFiles::from_dir(dir.path()).unwrap());
        if let Err(e) = &engine {
            let msg = format!("{e:#}");
            prop_assert!(names_a_file(&msg), "{msg}");
        }
        // check-rules accepts exactly the rule data an audit accepts.
        prop_assert_eq!(checked.is_ok(), engine.is_ok(), "{}:\n{}", name, text);
    }
}

/// A mapping file: `field = value` lines with known and unknown fields, any TOML value.
fn mapping_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("contract_id"),
        Just("vendor"),
        Just("clauses"),
        Just("value"),
        Just("date"),
        Just("nonsense"),
        Just("\"quoted key\""),
    ];
    let value = prop_oneof![
        cellish().prop_map(|s| format!("{:?}", s)),
        proptest::collection::vec(cellish(), 0..3).prop_map(|v| format!("{v:?}")),
        Just("3".to_string()),
        Just("[1, \"x\"]".to_string()),
        Just("{ a = 1 }".to_string()),
        cellish(),
    ];
    prop_oneof![
        4 => proptest::collection::vec((key, value), 0..5).prop_map(|kv| {
            kv.into_iter().map(|(k, v)| format!("{k} = {v}\n")).collect::<String>()
        }),
        1 => any::<String>(),
    ]
}

fn run_with_mapping(dir: &Path, mapping: &str) -> (i32, String) {
    let input = dir.join("in.csv");
    std::fs::write(
        &input,
        "Contract Number,Vendor Name,Clauses\nM-1,Acme Widgets Co,52.222-50\n",
    )
    .unwrap();
    let map = dir.join("map-under-test.toml");
    std::fs::write(&map, mapping).unwrap();
    let (code, _, err) = common::audit(
        &[&input],
        &dir.join("out"),
        &["--mapping", map.to_str().unwrap(), "--no-annotate"],
    );
    (code, err)
}

proptest! {
    // Through the binary: a process per case.
    #![proptest_config(config(24))]

    #[test]
    fn mapping_files_load_or_name_the_file(text in mapping_text()) {
        let dir = tempfile::tempdir().unwrap();
        let (code, err) = run_with_mapping(dir.path(), &text);
        prop_assert!(!err.contains("internal error") && !err.contains("panicked"), "{err}");
        // 0 or 1 by the findings when the mapping loads; 2 naming the file when it does not.
        prop_assert!(code == 0 || code == 1 || code == 2, "exit {code}: {err}");
        if code == 2 {
            prop_assert!(err.contains("map-under-test.toml"), "{err}");
        }
    }
}

//! Batch determinism, sharding and merge, through the binary on generated workbooks.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_xlsxwriter::Workbook;

/// A workbook of `rows` contracts; ids `{prefix}-{i}` plus any `extra` ids (duplicates
/// across files), some citing 52.222-50 and some not.
fn workbook(path: &Path, prefix: &str, rows: usize, extra: &[&str]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Portfolio export").unwrap();
    let headers = [
        "Contract Number",
        "Vendor Name",
        "Base and All Options Value",
        "Clauses",
        "Description of Requirement",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let ids: Vec<String> = (0..rows)
        .map(|i| format!("{prefix}-{i:04}"))
        .chain(extra.iter().map(|s| s.to_string()))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, id).unwrap();
        ws.write_string(r, 1, format!("Vendor {}", i % 7)).unwrap();
        ws.write_number(r, 2, 1000.0 * (i as f64 + 1.0)).unwrap();
        let clauses = if i % 3 == 0 {
            "52.212-4; 52.204-21"
        } else {
            "52.222-50 (NOV 2021), 52.222-19"
        };
        ws.write_string(r, 3, clauses).unwrap();
        ws.write_string(r, 4, "Uniforms and boots").unwrap();
    }
    wb.save(path).unwrap();
}

/// A portfolio folder: 9 workbooks, contract ids repeated across files (so cross-file
/// DATA003 findings depend on the global input order), one broken file, one CSV.
fn portfolio(root: &Path) -> PathBuf {
    let dir = root.join("portfolio");
    std::fs::create_dir_all(dir.join("east")).unwrap();
    std::fs::create_dir_all(dir.join("west")).unwrap();
    for i in 0..8 {
        let sub = if i % 2 == 0 { "east" } else { "west" };
        // Each file repeats ids of the files before it, and one id shared by all.
        let prev = format!("F{}-0001", i.max(1) - 1);
        let extra = ["SHARED-1", prev.as_str()];
        workbook(
            &dir.join(sub).join(format!("book{i}.xlsx")),
            &format!("F{i}"),
            20 + i,
            &extra,
        );
    }
    std::fs::write(dir.join("broken.xlsx"), b"not a zip at all").unwrap();
    std::fs::write(
        dir.join("west/extra.csv"),
        "Contract Number,Vendor Name,Clauses\nF3-0002,Acme,52.222-50\nSHARED-1,Acme,\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.jpg"), "skip me").unwrap();
    dir
}

fn tipaudit() -> Command {
    Command::cargo_bin("tipaudit").unwrap()
}

fn audit(inputs: &[&Path], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = tipaudit();
    cmd.arg("audit")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(["--as-of", "2025-06-30", "--no-annotate"])
        .args(extra);
    cmd.output().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn output_is_identical_between_runs_and_job_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = portfolio(tmp.path());
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    let out_a = audit(&[&dir], &a, &["-j", "1"]);
    assert_eq!(out_a.status.code(), Some(2), "a broken input exits 2");
    audit(&[&dir], &b, &["-j", "2"]);
    audit(&[&dir], &c, &["-j", "2"]);
    let fa = read(&a.join("findings.jsonl"));
    assert_eq!(fa, read(&b.join("findings.jsonl")), "-j1 vs -j2");
    assert_eq!(fa, read(&c.join("findings.jsonl")), "two -j2 runs");

    // Input order, and cross-file duplicates marked against the earliest file.
    let lines: Vec<serde_json::Value> = fa
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let records = lines.iter().filter(|l| l["status"] != "error").count();
    assert_eq!(records, (0..8).map(|i| 22 + i).sum::<usize>() + 2);
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    let first_east = files.iter().position(|f| f.contains("east")).unwrap();
    let last_east = files.iter().rposition(|f| f.contains("east")).unwrap();
    assert!(
        files[first_east..=last_east]
            .iter()
            .all(|f| f.contains("east"))
    );
    assert!(lines.last().unwrap()["status"] == "error");
    let shared: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["contract_id"] == "SHARED-1")
        .collect();
    assert_eq!(shared.len(), 9);
    let dup = |l: &serde_json::Value| {
        l["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "DATA003")
    };
    assert!(!dup(shared[0]), "the first occurrence is not a duplicate");
    assert!(shared[1..].iter().all(|l| dup(l)));
    let first_file = shared[0]["file"].as_str().unwrap();
    let msg = shared[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DATA003")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains(first_file), "{msg} names {first_file}");
    assert!(
        !a.read_dir()
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with('.')),
        "temporary spool files are removed"
    );
}

#[test]
fn three_shards_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = portfolio(tmp.path());
    let missing = tmp.path().join("missing.xlsx");
    let single = tmp.path().join("single");
    let single_out = audit(&[&dir, &missing], &single, &["--format", "json"]);
    let code = single_out.status.code();
    let mut shard_dirs = Vec::new();
    let mut audited = 0;
    // Which shard gets which file depends on the (random) temporary path, so a shard may
    // be empty; the missing-shard check below leaves out one that is not.
    let mut nonempty = None;
    for k in 1..=3 {
        let out = tmp.path().join(format!("shard{k}"));
        audit(&[&dir, &missing], &out, &["--shard", &format!("{k}/3")]);
        let run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
        let n = run["files"].as_array().unwrap().len();
        if n > 0 {
            nonempty = Some(k);
        }
        audited += n;
        shard_dirs.push(out);
    }
    assert_eq!(audited, 10, "the shards partition the inputs");

    let merged = tmp.path().join("merged");
    let out = tipaudit()
        .arg("merge")
        .args(&shard_dirs)
        .arg("-o")
        .arg(&merged)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        code,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let single_findings = read(&single.join("findings.jsonl"));
    assert!(single_findings.contains("DATA003"));
    assert_eq!(read(&merged.join("findings.jsonl")), single_findings);
    let mut summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = single_findings.lines().count();
    assert_eq!(summary["records"].as_u64().unwrap() as usize, lines - 2);
    assert_eq!(summary["files_failed"], 2);
    assert_eq!(summary["files_skipped"], 1);
    // The whole summary equals the single run's but for the output directory; no sheet
    // here has an evidence column for the M-20-01 practices, so both list them.
    let mut single_summary: serde_json::Value = serde_json::from_slice(&single_out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&single_out.stdout)));
    assert!(
        !single_summary["practices_unchecked"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The report names each unchecked practice as the summary does (rule id and column).
    let html = read(&single.join("report.html"));
    for p in single_summary["practices_unchecked"].as_array().unwrap() {
        let p = p
            .as_str()
            .unwrap()
            .replace('&', "&amp;")
            .replace('"', "&quot;");
        assert!(p.starts_with("BP") && html.contains(&p), "{p}");
    }
    assert_ne!(summary["out_dir"], single_summary["out_dir"]);
    summary["out_dir"] = serde_json::Value::Null;
    single_summary["out_dir"] = serde_json::Value::Null;
    assert_eq!(summary, single_summary);

    // The merged run file and portfolio reports equal the single run's.
    assert_eq!(
        read(&merged.join("run.json")),
        read(&single.join("run.json"))
    );
    assert_eq!(
        read(&merged.join("report.html")),
        read(&single.join("report.html"))
    );
    assert_eq!(
        xlsx_parts(&merged.join("gap-report.xlsx")),
        xlsx_parts(&single.join("gap-report.xlsx"))
    );

    // A missing shard that held files is refused, naming it.
    let k = nonempty.expect("some shard has files");
    let partial: Vec<_> = shard_dirs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i + 1 != k)
        .map(|(_, d)| d.clone())
        .collect();
    let out = tipaudit()
        .arg("merge")
        .args(&partial)
        .arg("-o")
        .arg(tmp.path().join("partial"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{k}/3")), "{err}");
}

/// Every part of an xlsx package but the document properties (which carry a timestamp).
fn xlsx_parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with("docProps/") {
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        parts.push((name, bytes));
    }
    assert!(parts.iter().any(|(n, _)| n.starts_with("xl/worksheets/")));
    parts
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("one.xlsx");
    workbook(&f, "A", 50, &[]);
    let out = audit(&[&f], &tmp.path().join("o"), &[]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = audit(&[&f], &tmp.path().join("q"), &["-q"]);
    assert!(out.stderr.is_empty());
}

#[test]
fn big_sheet_streams_through_the_pipeline_in_order() {
    // More rows than several channel batches, so the reader thread runs ahead.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("big.xlsx");
    workbook(&f, "B", 3000, &["B-0007"]);
    let out_dir = tmp.path().join("o");
    audit(&[&f], &out_dir, &["-j", "1"]);
    let text = read(&out_dir.join("findings.jsonl"));
    let rows: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["row"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(rows.len(), 3001);
    assert_eq!(rows, (4..4 + 3001).collect::<Vec<u64>>());
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert!(
        last.to_string().contains("DATA003"),
        "within-file duplicate: {last}"
    );
}

#[test]
fn merge_refuses_a_directory_that_is_not_an_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tipaudit()
        .arg("merge")
        .arg(tmp.path())
        .arg("-o")
        .arg(tmp.path().join("m"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run.json"));
}

/// The last files' annotated copies are saved while the batch's other outputs are written.
/// When such a save fails, those outputs are written again: the input is reported failed
/// everywhere, its records stay, and the other copies are saved. A copy saved as its file
/// finishes (the first file here, with `-j 1`) fails the same way.
#[test]
fn a_failed_save_is_reported_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let names = ["a", "b", "c"];
    let inputs: Vec<PathBuf> = names
        .iter()
        .map(|n| {
            let p = tmp.path().join(format!("{n}.xlsx"));
            workbook(&p, &n.to_uppercase(), 30, &[]);
            p
        })
        .collect();
    let out = tmp.path().join("out");
    // Directories where a's and c's copies go: the copies are written, then cannot take
    // their names.
    for n in ["a", "c"] {
        std::fs::create_dir_all(out.join(format!("{n}.audited.xlsx")).join("keep")).unwrap();
    }
    let run = tipaudit()
        .arg("audit")
        .args(&inputs)
        .arg("-o")
        .arg(&out)
        .args(["--as-of", "2025-06-30", "-j", "1", "-q"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "a failed output exits 2");
    // Errors go to stderr, the summary to stdout.
    let stderr = String::from_utf8_lossy(&run.stderr);
    for n in ["a", "c"] {
        assert!(
            stderr.contains(&format!(
                "tipaudit: error: {}: cannot write the annotated copy",
                tmp.path().join(format!("{n}.xlsx")).display()
            )),
            "{stderr}"
        );
        assert!(out.join(format!("{n}.audited.xlsx")).join("keep").is_dir());
    }
    assert!(out.join("b.audited.xlsx").is_file());

    let findings = read(&out.join("findings.jsonl"));
    let lines: Vec<serde_json::Value> = findings
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let records_of = |f: &str| {
        lines
            .iter()
            .filter(|l| l["file"].as_str().unwrap().ends_with(f) && l["status"] != "error")
            .count()
    };
    for n in names {
        assert_eq!(records_of(&format!("{n}.xlsx")), 30, "{n}'s records stay");
    }
    let errors: Vec<&serde_json::Value> = lines.iter().filter(|l| l["status"] == "error").collect();
    assert_eq!(errors.len(), 2);
    for (e, n) in errors.iter().zip(["a.xlsx", "c.xlsx"]) {
        assert!(e["file"].as_str().unwrap().ends_with(n));
        let error = e["error"].as_str().unwrap();
        assert!(
            error.starts_with("cannot write the annotated copy"),
            "{error}"
        );
    }
    assert!(
        lines.last().unwrap()["status"] == "error",
        "error lines come last"
    );

    let run_json = read(&out.join("run.json"));
    assert_eq!(
        run_json.matches("cannot write the annotated copy").count(),
        2
    );
    let html = read(&out.join("report.html"));
    assert!(html.contains("cannot write the annotated copy"));
    assert!(html.contains("href=\"b.audited.xlsx\""));
    assert!(!html.contains("href=\"c.audited.xlsx\""));
}

/// The annotated copy's Findings sheet is written on a thread of its own while the rows
/// are copied; the copy still comes out the same on every run, styles included (only the
/// document properties carry the time).
#[test]
fn annotated_copies_are_the_same_on_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("big.xlsx");
    // Several channel batches, records with findings and risky text in the Findings sheet.
    workbook(&f, "=C", 1500, &["=C-0003"]);
    let run = |name: &str| {
        let out = tmp.path().join(name);
        let done = tipaudit()
            .arg("audit")
            .arg(&f)
            .arg("-o")
            .arg(&out)
            .args(["--as-of", "2025-06-30", "-q"])
            .output()
            .unwrap();
        assert_eq!(done.status.code(), Some(1), "{done:?}");
        xlsx_parts(&out.join("big.audited.xlsx"))
    };
    let first = run("a");
    let findings_sheet = first
        .iter()
        .find(|(n, b)| n.starts_with("xl/worksheets/") && b.windows(4).any(|w| w == b"Cite"))
        .expect("a Findings sheet");
    assert!(findings_sheet.1.len() > 100_000, "every finding is listed");
    for name in ["b", "c"] {
        assert!(run(name) == first, "run {name} differs from the first");
    }
}

/// A folder of CSV inputs where each file starts and ends with records that repeat ids of
/// the file before it (cross-file DATA003): compliant ones that become review, gaps,
/// high-risk ones below a file's top-risk cut that the extra finding ranks into the table,
/// the first and the last record of a file.
fn cross_file_duplicates(root: &Path) -> PathBuf {
    let dir = root.join("dups");
    std::fs::create_dir_all(&dir).unwrap();
    let descs = [
        "Bleacher seating systems",
        "Cotton uniforms and boots",
        "Solar panels and polysilicon modules",
        "Janitorial services",
        "Office furniture",
    ];
    let clauses = [
        "52.222-50 Combating Trafficking in Persons (OCT 2025)",
        "52.204-24 (NOV 2021)",
        "52.222-50 Combating Trafficking in Persons (OCT 2025); 52.222-19",
        "52.222.50 (OCT 2025)",
        "",
    ];
    let line = |f: usize, i: usize| {
        format!(
            "FA{f:03}Q{i:04},Solicitation,2025-01-12,\"${},000\",,Texas,No,\"{}\",{}\n",
            i % 97 + 1,
            descs[(i * 7 + f) % 5],
            clauses[(i * 3 + f) % 5]
        )
    };
    let rows = 600;
    for f in 0..4 {
        let mut text = String::from(
            "Solicitation Number,Document Type,Issue Date,Estimated Value,Value Outside US,Place of Performance,COTS,Description,Section I\n",
        );
        let repeats = |range: std::ops::Range<usize>| -> String {
            if f == 0 {
                String::new()
            } else {
                range.map(|i| line(f - 1, i)).collect()
            }
        };
        text += &repeats(0..40);
        text += &(0..rows - 50).map(|i| line(f, i)).collect::<String>();
        text += &repeats(rows - 60..rows - 50);
        std::fs::write(dir.join(format!("f{f}.csv")), text).unwrap();
    }
    dir
}

/// The DATA003 findings of a cross-file duplicate are patched into the records they touch
/// once a file is done; `merge` of that one output directory counts every record afresh
/// (no patch), so every output of the run must equal the merge's.
#[test]
fn cross_file_duplicates_patched_equal_every_record_counted_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cross_file_duplicates(tmp.path());
    let single = tmp.path().join("single");
    let out = audit(&[&dir], &single, &["--format", "json"]);
    let findings = read(&single.join("findings.jsonl"));
    let recs: Vec<serde_json::Value> = findings
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dup = |r: &serde_json::Value| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "DATA003")
    };
    let dups: Vec<&serde_json::Value> = recs.iter().filter(|r| dup(r)).collect();
    assert_eq!(dups.len(), 3 * 50);
    for status in ["review", "gaps"] {
        assert!(dups.iter().any(|r| r["status"] == status), "{status}");
    }
    assert!(dups.iter().any(|r| r["risk"] == "high"));
    assert!(
        dup(&recs[550]) && dup(&recs[550 + 599]),
        "first and last of a file"
    );
    // Review records are the compliant ones that the duplicate finding moved.
    assert!(dups.iter().all(|r| r["status"] != "compliant"));

    let merged = tmp.path().join("merged");
    let m = tipaudit()
        .arg("merge")
        .arg(&single)
        .arg("-o")
        .arg(&merged)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(m.status.code(), out.status.code());
    assert_eq!(read(&merged.join("findings.jsonl")), findings);
    let json = |b: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
        v["out_dir"] = serde_json::Value::Null;
        v
    };
    assert_eq!(json(&out.stdout), json(&m.stdout));
    let html = read(&single.join("report.html"));
    assert_eq!(read(&merged.join("report.html")), html);
    assert_eq!(
        xlsx_parts(&merged.join("gap-report.xlsx")),
        xlsx_parts(&single.join("gap-report.xlsx"))
    );
    // Some duplicate is in the top-risk table with its DATA003.
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(single.join("gap-report.xlsx")).unwrap();
    let sheet = wb
        .sheet_names()
        .into_iter()
        .find(|n| n.to_lowercase().contains("top"))
        .expect("a top-risk sheet");
    use calamine::Reader;
    let top = wb.worksheet_range(&sheet).unwrap();
    assert!(
        top.rows()
            .any(|r| r.iter().any(|c| c.to_string().contains("DATA003"))),
        "a duplicate among the top-risk records"
    );
}

//! Finding the inputs: walking folders, skipping what is not a contract file, shards, and the
//! annotated copies' names.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::ingest::Format;

// Defined with the outcome types so that coverage and the reports need not depend on the batch.
pub use crate::model::{Input, Inputs, Skipped};

/// Reasons a walked file is skipped (stable texts: `run.json` and scripts read them).
pub const SKIP_LOCK: &str = "Excel lock file (the workbook is open in Excel)";
pub const SKIP_TYPE: &str = "not a supported input type";
pub const SKIP_README: &str = "a read-me or notes file, not a contract document";

/// Text files that travel with a folder of contracts (`README.md`, `NOTES.txt`, ...): found by
/// walking a folder, they are not contract documents. Named on the command line, they are read.
pub fn is_readme(path: &Path) -> bool {
    const NAMES: &[&str] = &[
        "readme",
        "changelog",
        "changes",
        "license",
        "licence",
        "notes",
        "notice",
    ];
    let is_text = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("txt"));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    is_text
        && NAMES
            .iter()
            .any(|n| stem == *n || stem.starts_with(&format!("{n}.")))
}

/// Excel writes `~$name.xlsx` beside a workbook while it is open: a few bytes holding the
/// user name, never a workbook.
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// Expand files and directories (recursively, sorted by path for a stable order).
pub fn find_inputs(paths: &[PathBuf]) -> Inputs {
    find_inputs_skipping(paths, None)
}

/// `find_inputs`, not descending into `skip_dir` (the output directory, when it lies inside
/// a walked folder: a second run must not audit the first run's outputs or refuse to
/// overwrite them). Files named on the command line are always taken.
pub fn find_inputs_skipping(paths: &[PathBuf], skip_dir: Option<&Path>) -> Inputs {
    let skip = skip_dir.and_then(|d| std::fs::canonicalize(d).ok());
    let mut out = Inputs::default();
    let mut seen = HashSet::new();
    for p in paths {
        let display = p.display().to_string();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_string()
                } else {
                    format!("cannot read: {e}")
                };
                out.errors.push((display, msg));
                continue;
            }
        };
        if meta.is_dir() {
            walk_folder(p, &display, skip.as_deref(), &mut out, &mut seen);
        } else {
            take_named_file(p, &meta, display, &mut out, &mut seen);
        }
    }
    out
}

/// Every file under folder `p` (named `display`), skipping `skip` and whatever is not an
/// input; files already taken (by canonical path) are not taken twice.
fn walk_folder(
    p: &Path,
    display: &str,
    skip: Option<&Path>,
    out: &mut Inputs,
    seen: &mut HashSet<PathBuf>,
) {
    let walker = walkdir::WalkDir::new(p)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let is_out = e.depth() > 0
                && e.file_type().is_dir()
                && skip.is_some_and(|s| canonical(e.path()) == s);
            !is_out
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path().to_path_buf();
                let rel = path.strip_prefix(p).unwrap_or(&path);
                let display = p.join(rel).display().to_string();
                if let Some(reason) = skip_reason(&path) {
                    out.skipped.push(Skipped {
                        file: display,
                        reason: reason.to_string(),
                    });
                    continue;
                }
                if seen.insert(canonical(&path)) {
                    out.files.push(Input { path, display });
                }
            }
            Ok(_) => {}
            Err(e) => out.errors.push(walk_error(&e, display)),
        }
    }
}

/// Why a file found in a folder is not audited, if it is not.
fn skip_reason(path: &Path) -> Option<&'static str> {
    if is_lock_file(path) {
        Some(SKIP_LOCK)
    } else if !is_input_type(path) {
        Some(SKIP_TYPE)
    } else if is_readme(path) {
        Some(SKIP_README)
    } else {
        None
    }
}

/// The place and message for an entry of folder `display` that could not be walked.
fn walk_error(e: &walkdir::Error, display: &str) -> (String, String) {
    let where_ = e
        .path()
        .map(|x| x.display().to_string())
        .unwrap_or_else(|| display.to_string());
    let broken_link = e
        .io_error()
        .is_some_and(|x| x.kind() == std::io::ErrorKind::NotFound)
        && e.path()
            .is_some_and(|x| x.symlink_metadata().is_ok_and(|m| m.is_symlink()));
    let msg = if e.loop_ancestor().is_some() {
        "symbolic link loop; not followed".to_string()
    } else if broken_link {
        "broken symbolic link; not followed".to_string()
    } else {
        format!(
            "cannot read: {}",
            e.io_error()
                .map(|x| x.to_string())
                .unwrap_or_else(|| e.to_string())
        )
    };
    (where_, msg)
}

/// A path named on the command line that is not a folder: taken whatever its name, unless
/// it is not a regular file, a lock file or not a supported type (each an error).
fn take_named_file(
    p: &Path,
    meta: &std::fs::Metadata,
    display: String,
    out: &mut Inputs,
    seen: &mut HashSet<PathBuf>,
) {
    if !meta.is_file() {
        // A named pipe or device would block or never end.
        out.errors
            .push((display, "not a regular file (a pipe or device?)".into()));
    } else if is_lock_file(p) {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().replacen("~$", "", 1));
        out.errors.push((
            display,
            format!(
                "this is Excel's lock file for a workbook that is open in Excel, not a \
                 workbook; audit the workbook itself (such as {})",
                name.unwrap_or_default()
            ),
        ));
    } else if !is_input_type(p) {
        out.errors.push((
            display,
            format!("not a supported input type ({})", crate::ingest::SUPPORTED),
        ));
    } else if seen.insert(canonical(p)) {
        out.files.push(Input {
            path: p.to_path_buf(),
            display,
        });
    }
}

/// A spreadsheet, or a contract document audited as one record (CONTRACT.md 2a).
fn is_input_type(p: &Path) -> bool {
    Format::of(p).is_some() || crate::evidence::document::is_document(p)
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Keep only the inputs of shard `k` of `n` (1-based), by a stable hash of the reported path.
pub fn shard(files: Vec<Input>, k: u32, n: u32) -> Vec<Input> {
    files.into_iter().filter(|f| in_shard(f, k, n)).collect()
}

/// Whether `input` belongs to shard `k` of `n` (1-based).
pub fn in_shard(input: &Input, k: u32, n: u32) -> bool {
    fnv1a(input.display.as_bytes()) % u64::from(n) == u64::from(k - 1)
}

/// FNV-1a: a fixed, documented hash so shards are the same on every machine and release.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Annotated output names: `<stem>.audited.xlsx`, made unique in input order.
pub fn output_names(files: &[Input]) -> Vec<String> {
    let mut used = HashSet::new();
    // Per file name, the next suffix to try, so many inputs sharing a name stay linear.
    let mut next_suffix: HashMap<String, u64> = HashMap::new();
    files
        .iter()
        .map(|f| {
            let name = |s: Option<&std::ffi::OsStr>| {
                s.map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "input".into())
            };
            let stem = name(f.path.file_stem());
            let full = name(f.path.file_name());
            let pick = if used.insert(stem.to_ascii_lowercase()) {
                stem
            } else if used.insert(full.to_ascii_lowercase()) {
                full
            } else {
                let counter = next_suffix.entry(full.to_ascii_lowercase()).or_insert(2);
                loop {
                    let candidate = format!("{full}-{counter}");
                    *counter += 1;
                    if used.insert(candidate.to_ascii_lowercase()) {
                        break candidate;
                    }
                }
            };
            format!("{pick}.audited.xlsx")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_unique() {
        let mk = |p: &str| Input {
            path: PathBuf::from(p),
            display: p.into(),
        };
        let names = output_names(&[mk("a/x.xlsx"), mk("b/x.xlsx"), mk("x.csv"), mk("b/X.xlsx")]);
        assert_eq!(
            names,
            vec![
                "x.audited.xlsx",
                "x.xlsx.audited.xlsx",
                "x.csv.audited.xlsx",
                "X.xlsx-2.audited.xlsx"
            ]
        );
    }

    #[test]
    fn output_names_stay_unique_for_many_inputs_sharing_a_name() {
        let n = 10_050;
        let files: Vec<Input> = (0..n)
            .map(|i| Input {
                path: PathBuf::from(format!("d{i}/Same.xlsx")),
                display: format!("d{i}/Same.xlsx"),
            })
            .collect();
        let mut with_taken = files.clone();
        // A file whose stem is a suffixed name of the others: that name is skipped, not reused.
        with_taken.insert(
            0,
            Input {
                path: PathBuf::from("same.xlsx-3.csv"),
                display: "same.xlsx-3.csv".into(),
            },
        );
        let names = output_names(&with_taken);
        assert_eq!(names.len(), n + 1);
        assert_eq!(names[0], "same.xlsx-3.audited.xlsx");
        assert_eq!(names[1], "Same.audited.xlsx");
        assert_eq!(names[2], "Same.xlsx.audited.xlsx");
        assert_eq!(names[3], "Same.xlsx-2.audited.xlsx");
        assert_eq!(names[4], "Same.xlsx-4.audited.xlsx");
        assert_eq!(names[n], format!("Same.xlsx-{}.audited.xlsx", n));
        let distinct: HashSet<String> = names.iter().map(|s| s.to_ascii_lowercase()).collect();
        assert_eq!(distinct.len(), names.len());
    }

    #[test]
    fn shards_partition_the_inputs() {
        let files: Vec<Input> = (0..50)
            .map(|i| Input {
                path: PathBuf::from(format!("f{i}.xlsx")),
                display: format!("f{i}.xlsx"),
            })
            .collect();
        let mut all: Vec<String> = (1..=4)
            .flat_map(|k| shard(files.clone(), k, 4))
            .map(|f| f.display)
            .collect();
        all.sort();
        let mut want: Vec<String> = files.iter().map(|f| f.display.clone()).collect();
        want.sort();
        assert_eq!(all, want);
    }
}

//! Outputs of a previous run in the output directory. A re-run into the same `--out` with
//! other inputs must not leave the old annotated copies beside the new gap report, so the
//! annotated copies the previous run's `run.json` names are removed, and nothing else: a
//! file that `run.json` does not name is never touched.

use std::path::{Path, PathBuf};

use crate::merge::{RUN_FILE, RunJson};

/// The suffix of every annotated copy (`batch::output_names`).
const ANNOTATED_SUFFIX: &str = ".audited.xlsx";

/// Annotated copies named by `out/run.json` that this run will not write again (`keep`
/// are the file names it writes). Only a plain file name ending in `.audited.xlsx`, looked
/// up in `out` itself, is ever returned.
pub fn stale_outputs(out: &Path, keep: &[String]) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(out.join(RUN_FILE)) else {
        return Vec::new();
    };
    let Ok(run) = serde_json::from_str::<RunJson>(&text) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = run
        .files
        .iter()
        .filter_map(|f| f.annotated.as_deref()?.file_name()?.to_str())
        .filter(|n| n.ends_with(ANNOTATED_SUFFIX) && !n.starts_with('.'))
        .filter(|n| !keep.iter().any(|k| k.eq_ignore_ascii_case(n)))
        .map(|n| out.join(n))
        .filter(|p| p.is_file())
        .collect();
    stale.sort();
    stale.dedup();
    stale
}

/// Remove the previous run's stale annotated copies; returns the file names removed.
pub fn remove_stale(out: &Path, keep: &[String]) -> anyhow::Result<Vec<String>> {
    let mut removed = Vec::new();
    for p in stale_outputs(out, keep) {
        std::fs::remove_file(&p).map_err(|e| {
            anyhow::anyhow!(
                "cannot remove {}, an output of the previous run in {}: {e}; remove it or choose another --out",
                p.display(),
                out.display()
            )
        })?;
        if let Some(n) = p.file_name() {
            removed.push(n.to_string_lossy().into_owned());
        }
    }
    Ok(removed)
}

/// The note said when outputs of a previous run were removed.
pub fn removed_note(out: &Path, removed: &[String]) -> String {
    let shown: Vec<&str> = removed.iter().take(5).map(String::as_str).collect();
    let more = if removed.len() > shown.len() {
        format!(" and {} more", removed.len() - shown.len())
    } else {
        String::new()
    };
    format!(
        "removed {} annotated cop{} of the previous run in {} (named in its {RUN_FILE}): {}{more}",
        removed.len(),
        if removed.len() == 1 { "y" } else { "ies" },
        out.display(),
        shown.join(", ")
    )
}

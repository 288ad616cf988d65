//! Atomic output files: written to a temporary file in the destination directory and
//! renamed into place, so a failure or an interrupt never leaves a half-written file.
//!
//! Temporary files are named `.tipaudit-*.tmp` and registered while they live. On SIGINT,
//! SIGTERM or SIGHUP the handler removes every registered temporary file and any stray
//! `.tipaudit-*.tmp` in the output directory, then exits 130. It holds the registry lock
//! while it exits, so no new temporary file can appear and no rename can complete after the
//! clean-up: every output is either complete or absent.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use anyhow::{Context, bail};

/// Exit code after an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static OUT_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HANDLER: OnceLock<()> = OnceLock::new();

fn lock<T>(m: &'static Mutex<T>) -> MutexGuard<'static, T> {
    // A panic while holding the lock cannot leave the list inconsistent (push/retain only).
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Install the SIGINT/SIGTERM/SIGHUP handler once per process.
pub fn install_interrupt_handler() {
    HANDLER.get_or_init(|| {
        // If a handler cannot be installed (one exists already), outputs stay atomic anyway.
        let _ = ctrlc::set_handler(on_interrupt);
    });
}

/// Also sweep `dir` for stray temporary files on interrupt.
pub fn watch_out_dir(dir: &Path) {
    lock(&OUT_DIRS).push(dir.to_path_buf());
}

fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let live = lock(&LIVE);
    for p in live.iter() {
        let _ = std::fs::remove_file(p);
    }
    for dir in lock(&OUT_DIRS).iter() {
        remove_stray_temps(dir);
    }
    eprintln!("tipaudit: interrupted; partial outputs removed");
    // Exit while still holding LIVE: writers block on it and never rename afterwards.
    std::process::exit(EXIT_INTERRUPTED);
}

/// Remove `.tipaudit-*.tmp` files (and spool directories) left in `dir`.
pub fn remove_stray_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !is_temp_name(&name) {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_file() => {
                let _ = std::fs::remove_file(e.path());
            }
            Ok(t) if t.is_dir() => {
                let _ = std::fs::remove_dir_all(e.path());
            }
            _ => {}
        }
    }
}

pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(".tipaudit-") && name.ends_with(".tmp")
}

/// A temporary file next to `path`, to be renamed onto it once complete. Readable like any
/// file the user creates (0644 on Unix), not the 0600 temporary-file default, so a shared
/// output directory stays usable by colleagues.
pub fn temp_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    use anyhow::Context;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The `.tipaudit-` prefix is what the interrupt handler sweeps (see `output`).
    let prefix = format!(".tipaudit-{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o644));
    }
    b.tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// Write `path` atomically with `fill`.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut tmp = {
        let mut live = lock(&LIVE);
        if INTERRUPTED.load(Ordering::SeqCst) {
            bail!("interrupted");
        }
        let tmp = temp_beside(path)?;
        live.push(tmp.path().to_path_buf());
        tmp
    };
    let tmp_path = tmp.path().to_path_buf();
    let written = (|| -> anyhow::Result<()> {
        let mut w = BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
        Ok(())
    })();
    let mut live = lock(&LIVE);
    live.retain(|p| p != &tmp_path);
    // On error the temporary file is dropped, which removes it.
    written?;
    if INTERRUPTED.load(Ordering::SeqCst) {
        bail!("interrupted");
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    drop(live);
    Ok(())
}

/// Temporary files currently registered (for tests).
pub fn live_temp_files() -> HashSet<PathBuf> {
    lock(&LIVE).iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("findings.jsonl");
        let r = write_atomic(&target, |w| {
            w.write_all(b"half")?;
            anyhow::bail!("disk on fire")
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomic(&target, |w| Ok(w.write_all(b"whole")?)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        assert!(live_temp_files().is_empty());
    }

    #[test]
    fn stray_temps_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".tipaudit-abc.tmp"), b"x").unwrap();
        std::fs::write(dir.path().join("keep.tmp"), b"x").unwrap();
        remove_stray_temps(dir.path());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("keep.tmp")]);
    }
}

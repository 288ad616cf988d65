//! The progress display on stderr (only when stderr is a terminal, never with `-q`): files
//! done of total, rows read, an estimate of the time left, then the report-writing phase.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use std::io::IsTerminal;

use crate::model::Input;
use crate::model::group_digits;

pub struct Progress {
    bar: indicatif::ProgressBar,
    rows: AtomicU64,
    start: Instant,
    /// Input sizes by reported name: the estimate of time left goes by bytes done, which
    /// tracks work better than a count of files of very different sizes.
    sizes: HashMap<String, u64>,
    bytes_total: u64,
    bytes_done: AtomicU64,
    /// When the message was last set, in ms since `start`.
    shown_ms: AtomicU64,
}

/// No estimate before this much time: early rates mislead.
const ETA_AFTER: Duration = Duration::from_secs(3);

impl Progress {
    /// A progress bar for `files`, or `None` when disabled or stderr is not a terminal.
    pub fn start(enabled: bool, files: &[Input]) -> Option<Progress> {
        if !enabled || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:20} {pos}/{len} files, {wide_msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message("reading");
        bar.enable_steady_tick(Duration::from_millis(200));
        let sizes: HashMap<String, u64> = files
            .iter()
            .map(|f| {
                let len = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
                (f.display.clone(), len)
            })
            .collect();
        Some(Progress {
            bar,
            rows: AtomicU64::new(0),
            start: Instant::now(),
            bytes_total: sizes.values().sum(),
            sizes,
            bytes_done: AtomicU64::new(0),
            shown_ms: AtomicU64::new(0),
        })
    }

    pub fn add_rows(&self, n: u64) {
        let rows = self.rows.fetch_add(n, Relaxed) + n;
        // A new message at most every 250 ms (one thread wins the slot), so the counts
        // move while a large file is read without costing anything per row.
        let now = self.start.elapsed().as_millis() as u64;
        let last = self.shown_ms.load(Relaxed);
        if now >= last + 250
            && self
                .shown_ms
                .compare_exchange(last, now, Relaxed, Relaxed)
                .is_ok()
        {
            self.show(rows);
        }
    }

    fn show(&self, rows: u64) {
        let elapsed = self.start.elapsed();
        let secs = elapsed.as_secs_f64().max(1e-3);
        let done = self.bytes_done.load(Relaxed);
        // The estimate first: on a narrow terminal the end of the line is cut.
        // Files in flight count as nothing done, so the estimate waits until a quarter of
        // the bytes are in finished files: before that it swings by minutes.
        let eta = if elapsed >= ETA_AFTER && done * 4 >= self.bytes_total && self.bytes_total > done
        {
            let left = secs * (self.bytes_total - done) as f64 / done as f64;
            format!("~{} left, ", human_secs(left))
        } else {
            String::new()
        };
        self.bar.set_message(format!(
            "{eta}{} rows read ({}/s)",
            group_digits(rows),
            group_digits((rows as f64 / secs) as u64)
        ));
    }

    pub fn file_done(&self, file: &str) {
        let size = self.sizes.get(file).copied().unwrap_or(0);
        self.bytes_done.fetch_add(size, Relaxed);
        self.bar.inc(1);
        self.show(self.rows.load(Relaxed));
    }

    /// Every file is read: the reports are being written.
    pub fn writing(&self) {
        let style =
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        self.bar.set_style(style);
        self.bar.set_message(format!(
            "{} files read; writing the reports and annotated copies",
            self.bar.length().unwrap_or(0)
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `45s`, `3m 05s`, `1h 02m`: whole units, so the estimate does not flicker.
fn human_secs(s: f64) -> String {
    let s = s.round() as u64;
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn human_secs() {
        assert_eq!(super::human_secs(9.4), "9s");
        assert_eq!(super::human_secs(185.0), "3m 05s");
        assert_eq!(super::human_secs(3720.0), "1h 02m");
    }
}

//! Check-box marks printed before a reference (`[X]`, `___`, `N/A`).

use super::grammar::group;
use super::text::floor_boundary;
use super::{ClauseParser, Mark};

/// How far back (bytes, same line) a check-box mark is looked for.
const MARK_WINDOW: usize = 64;

/// Whether the `mark` regex can match in `s`: every mark holds `[`, `_`, `X` or `N/A`.
fn may_hold_mark(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'[' | b'_' | b'X')) || s.contains("N/A")
}

impl ClauseParser {
    /// The mark printed before `start` on the same line, if any.
    pub(super) fn mark_before(&self, text: &str, start: usize) -> Mark {
        let from = floor_boundary(text, start.saturating_sub(MARK_WINDOW));
        let Some(slice) = text.get(from..start) else {
            return Mark::None;
        };
        let slice = match slice.rfind(['\n', '\r']) {
            Some(i) => &slice[i + 1..],
            None => slice,
        };
        if !may_hold_mark(slice) {
            return Mark::None;
        }
        let Some(m) = self.mark.captures(slice).and_then(|c| c.get(group::MARK)) else {
            return Mark::None;
        };
        let s = m.as_str();
        if s.eq_ignore_ascii_case("n/a") {
            Mark::Unchecked
        } else if s.contains(['x', 'X', '✓', '✔', '√']) {
            Mark::Checked
        } else {
            Mark::Unchecked
        }
    }
}

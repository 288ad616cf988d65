//! Merged ranges: which ones Excel accepts, and laying them down as the rows stream past.

use super::formats::Formats;
use super::sheet::OpenSheet;
use super::{MAX_COLS, MAX_ROWS};
use crate::cell::Merge;

/// A merged range is padded cell by cell; ranges larger than this are not carried.
const MAX_MERGE_CELLS: u64 = 1_000_000;

#[derive(Default)]
pub(super) struct Rejected {
    pub(super) overlapping: usize,
    pub(super) too_large: usize,
}

impl Rejected {
    /// What the Summary says about the ranges left out.
    pub(super) fn remarks(&self) -> Vec<String> {
        let mut remarks = Vec::new();
        if self.overlapping > 0 {
            remarks.push(format!(
                "{} merged range(s) overlapping an earlier one not carried (Excel forbids overlaps)",
                self.overlapping
            ));
        }
        if self.too_large > 0 {
            remarks.push(format!(
                "{} merged range(s) larger than {MAX_MERGE_CELLS} cells not carried",
                self.too_large
            ));
        }
        remarks
    }
}

/// Merges Excel will accept, sorted by first row: no single cells, nothing past the grid,
/// no overlaps (the first one listed wins, as Excel keeps it when repairing a file).
pub(super) fn accept_merges(merges: &[Merge]) -> (Vec<Merge>, Rejected) {
    let mut rejected = Rejected::default();
    let mut accepted: Vec<Merge> = Vec::with_capacity(merges.len());
    for m in merges {
        let m = Merge {
            first_row: m.first_row.min(m.last_row),
            last_row: m.first_row.max(m.last_row),
            first_col: m.first_col.min(m.last_col),
            last_col: m.first_col.max(m.last_col),
        };
        if m.last_row >= MAX_ROWS || m.last_col >= MAX_COLS {
            rejected.too_large += 1;
            continue;
        }
        if m.first_row == m.last_row && m.first_col == m.last_col {
            continue;
        }
        let cells =
            u64::from(m.last_row - m.first_row + 1) * u64::from(m.last_col - m.first_col + 1);
        if cells > MAX_MERGE_CELLS {
            rejected.too_large += 1;
            continue;
        }
        let overlaps = accepted.iter().any(|a| {
            a.first_row <= m.last_row
                && m.first_row <= a.last_row
                && a.first_col <= m.last_col
                && m.first_col <= a.last_col
        });
        if overlaps {
            rejected.overlapping += 1;
            continue;
        }
        accepted.push(m);
    }
    accepted.sort_by_key(|m| (m.first_row, m.first_col));
    (accepted, rejected)
}

impl OpenSheet {
    /// Apply every merge starting at or above `row`, in order: a constant-memory sheet only
    /// moves forward, so a merge must be laid down before any later row is written.
    pub(super) fn apply_merges_through(&mut self, row: u32, fmt: &Formats) -> anyhow::Result<()> {
        while let Some(m) = self.merges.get(self.next_merge) {
            if m.first_row > row {
                break;
            }
            // The top-left value, if any, arrives with its row and overwrites this blank.
            self.ws.merge_range(
                m.first_row,
                m.first_col as u16,
                m.last_row,
                m.last_col as u16,
                "",
                &fmt.merge,
            )?;
            self.next_merge += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlap_and_size() {
        let m = |a, b, c, d| Merge {
            first_row: a,
            first_col: b,
            last_row: c,
            last_col: d,
        };
        let (ok, rej) = accept_merges(&[
            m(5, 0, 6, 1),
            m(0, 0, 0, 3),
            m(0, 2, 1, 2),
            m(3, 3, 3, 3),
            m(0, 0, 2_000_000, 1),
        ]);
        assert_eq!(ok, vec![m(0, 0, 0, 3), m(5, 0, 6, 1)]);
        assert_eq!(rej.overlapping, 1);
        assert_eq!(rej.too_large, 1);
    }
}

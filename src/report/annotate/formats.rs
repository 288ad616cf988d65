//! The formats of the copy: status fills, header styles, date formats.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::model::Status;

const FILL_GAPS: u32 = 0xF8CBAD;
const FILL_INCOMPLETE: u32 = 0xFFE699;
const FILL_REVIEW: u32 = 0xDDEBF7;
const FILL_COMPLIANT: u32 = 0xC6EFCE;
const FILL_HEADER: u32 = 0xD9D9D9;
const FILL_ADDED_HEADER: u32 = 0x1F4E79;

/// Fill colour and meaning of each status, for legends here and in the gap report.
pub const STATUS_LEGEND: [(Status, u32, &str); 4] = [
    (
        Status::Gaps,
        FILL_GAPS,
        "a required clause, provision or evidence is missing, or a medium/high risk finding",
    ),
    (
        Status::Incomplete,
        FILL_INCOMPLETE,
        "a field needed for a determination is blank or unreadable (DATA001)",
    ),
    (
        Status::Review,
        FILL_REVIEW,
        "only low-severity findings: confirm by hand",
    ),
    (Status::Compliant, FILL_COMPLIANT, "no finding above info"),
];

// Style slots: which fill a cell gets, and what kind of value it holds.
pub(super) const FILL_NONE: usize = 0;
pub(super) const FILL_HDR: usize = 5;
pub(super) const KIND_PLAIN: usize = 0;
pub(super) const KIND_DATE: usize = 1;
pub(super) const KIND_DATETIME: usize = 2;

/// The fill slot of a status: the slots after `FILL_NONE` follow the status order.
pub(super) fn fill_slot(status: Status) -> usize {
    status.index() + 1
}

/// Every format the copy uses, created once per workbook (rust_xlsxwriter deduplicates by
/// value, but building a `Format` per cell would still allocate per cell).
pub(super) struct Formats {
    /// `[fill][kind]`
    pub(super) cell: Vec<[Format; 3]>,
    /// Quote-prefix variants of `cell[fill][KIND_PLAIN]`, for risky text.
    pub(super) quoted: Vec<Format>,
    /// `[fill]` (plain, quote-prefixed) that wrap at the top: the Findings cell.
    pub(super) wrapped: Vec<[Format; 2]>,
    pub(super) added_header: Format,
    pub(super) merge: Format,
    pub(super) plain: Format,
    pub(super) bold: Format,
    pub(super) title: Format,
    pub(super) wrap: Format,
    pub(super) link: Format,
    /// Conditional-format fills, indexed like `STATUS_LEGEND`.
    pub(super) status_fill: [Format; 4],
}

impl Formats {
    pub(super) fn new() -> Formats {
        let fills: [Option<u32>; 6] = [
            None,
            Some(FILL_GAPS),
            Some(FILL_INCOMPLETE),
            Some(FILL_REVIEW),
            Some(FILL_COMPLIANT),
            Some(FILL_HEADER),
        ];
        let mut cell = Vec::new();
        let mut quoted = Vec::new();
        let mut wrapped = Vec::new();
        for (i, fill) in fills.iter().enumerate() {
            let mut base = Format::new();
            if let Some(c) = fill {
                base = base.set_background_color(Color::RGB(*c));
            }
            if i == FILL_HDR {
                base = base.set_bold().set_border_bottom(FormatBorder::Thin);
            }
            quoted.push(base.clone().set_quote_prefix());
            let w = base.clone().set_text_wrap().set_align(FormatAlign::Top);
            wrapped.push([w.clone(), w.set_quote_prefix()]);
            cell.push([
                base.clone(),
                base.clone().set_num_format("yyyy-mm-dd"),
                base.set_num_format("yyyy-mm-dd hh:mm:ss"),
            ]);
        }
        Formats {
            cell,
            quoted,
            wrapped,
            added_header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(FILL_ADDED_HEADER))
                .set_border_bottom(FormatBorder::Thin),
            merge: Format::new().set_align(FormatAlign::Top),
            plain: Format::new(),
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            status_fill: STATUS_LEGEND
                .map(|(_, c, _)| Format::new().set_background_color(Color::RGB(c))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_follows_the_status_order() {
        let legend: Vec<Status> = STATUS_LEGEND.iter().map(|(s, _, _)| *s).collect();
        assert_eq!(legend, crate::model::STATUSES);
        for s in crate::model::STATUSES {
            assert_eq!(STATUS_LEGEND[fill_slot(s) - 1].0, s);
        }
    }
}

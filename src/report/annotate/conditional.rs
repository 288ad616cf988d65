//! Conditional formats of an audited sheet: the row fill by status and the risk colour.

use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{ConditionalFormatFormula, Format};

use super::formats::{Formats, STATUS_LEGEND};
use super::sheet::OpenSheet;

impl OpenSheet {
    /// The status fill: one conditional format per status over the sheet's record rows,
    /// keyed on each row's `Audit Status` cell, so the fill follows a reviewer who edits
    /// the status and no cell carries a fill format of its own.
    pub(super) fn add_status_fills(
        &mut self,
        first: u32,
        last: u32,
        end_col: u16,
        fmt: &Formats,
    ) -> anyhow::Result<()> {
        let status_col = column_number_to_name(self.added_start as u16);
        for (status, _, _) in STATUS_LEGEND {
            let rule = ConditionalFormatFormula::new()
                .set_rule(format!("=${status_col}{}=\"{}\"", first + 1, status.as_str()).as_str())
                .set_format(&fmt.status_fill[status.index()]);
            self.ws
                .add_conditional_format(first, 0, last, end_col, &rule)?;
        }
        Ok(())
    }

    /// Risk in colour: one rule per level, keyed on the cell like the status fill.
    pub(super) fn add_risk_colours(&mut self, first: u32, last: u32) -> anyhow::Result<()> {
        let risk_col = self.added_start as u16 + 1;
        for (level, color) in [("high", 0xC00000), ("medium", 0xC55A11), ("low", 0x7F6000)] {
            let rule = rust_xlsxwriter::ConditionalFormatCell::new()
                .set_rule(rust_xlsxwriter::ConditionalFormatCellRule::EqualTo(
                    format!("\"{level}\""),
                ))
                .set_format(Format::new().set_bold().set_font_color(color));
            self.ws
                .add_conditional_format(first, risk_col, last, risk_col, &rule)?;
        }
        Ok(())
    }
}

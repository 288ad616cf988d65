//! The Summary sheet: what was audited, the counts by status, risk and rule, and what
//! happened to each sheet.

use rust_xlsxwriter::{Url, Worksheet};

use super::AnnotatedWriter;
use super::formats::{FILL_HDR, FILL_NONE, Formats, KIND_PLAIN, STATUS_LEGEND, fill_slot};
use super::tallies::Tallies;
use crate::model::{FileOutcome, RISKS};
use crate::report::text::write_text_with;

impl AnnotatedWriter {
    pub(super) fn summary_sheet(
        &mut self,
        name: &str,
        findings_name: &str,
        outcome: &FileOutcome,
        t: &Tallies,
    ) -> anyhow::Result<Worksheet> {
        let fmt = &self.fmt;
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        ws.set_column_width(0, 34)?;
        ws.set_column_width(1, 14)?;
        ws.set_column_width(2, 14)?;
        ws.set_column_width(3, 14)?;
        ws.set_column_width(4, 80)?;
        let q = &fmt.quoted[FILL_NONE];
        let bold = Some(&fmt.bold);

        ws.write_string_with_format(0, 0, "tipaudit: audit summary", &fmt.title)?;
        ws.write_string(1, 0, "Input file")?;
        write_text_with(&mut ws, 1, 1, &outcome.file, bold, q)?;
        ws.write_string(2, 0, "Records audited")?;
        ws.write_number(2, 1, t.counts.records as f64)?;
        ws.write_string(3, 0, "Findings")?;
        ws.write_number(3, 1, t.findings as f64)?;
        ws.write_url_with_text(
            3,
            2,
            Url::new(format!(
                "internal:'{}'!A1",
                findings_name.replace('\'', "''")
            )),
            "list all",
        )?;
        if let Some(e) = &outcome.error {
            ws.write_string(4, 0, "Error")?;
            write_text_with(&mut ws, 4, 1, e, None, q)?;
        }

        let mut row = Self::summary_status_rows(&mut ws, fmt, t)?;

        row += 1;
        row = Self::summary_risk_rows(&mut ws, fmt, t, row)?;

        row += 1;
        row = Self::summary_rule_rows(&mut ws, fmt, t, row)?;

        row += 1;
        row = self.summary_sheet_rows(&mut ws, outcome, row)?;

        row += 1;
        ws.write_string_with_format(row, 0, "Not carried over from the input", &fmt.bold)?;
        row += 1;
        ws.merge_range(
            row,
            0,
            row,
            4,
            "Cell styles, fonts, colours, column widths, number formats other than dates, data validation, \
             conditional formats, charts, images, comments and macros of the input are not copied. \
             Values, formulas with their last calculated results, dates and merged ranges are.",
            &fmt.wrap,
        )?;
        ws.set_row_height(row, 48)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(ws)
    }

    /// The status legend with the file's counts, from row 6; the row after it.
    fn summary_status_rows(ws: &mut Worksheet, fmt: &Formats, t: &Tallies) -> anyhow::Result<u32> {
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        let mut row = 6;
        ws.write_string_with_format(row, 0, "Row colours (Audit Status)", &fmt.bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, "Status", hdr)?;
        ws.write_string_with_format(row, 1, "Records", hdr)?;
        ws.merge_range(row, 2, row, 4, "What it means", hdr)?;
        row += 1;
        for (i, (status, _, meaning)) in STATUS_LEGEND.into_iter().enumerate() {
            let cnt = t.counts.status[i];
            ws.write_string_with_format(
                row,
                0,
                status.as_str(),
                &fmt.cell[fill_slot(status)][KIND_PLAIN],
            )?;
            ws.write_number(row, 1, cnt as f64)?;
            ws.merge_range(row, 2, row, 4, meaning, &fmt.plain)?;
            row += 1;
        }
        Ok(row)
    }

    /// Records by risk from `row`; the row after them.
    fn summary_risk_rows(
        ws: &mut Worksheet,
        fmt: &Formats,
        t: &Tallies,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Risk (forced-labor exposure)", &fmt.bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, "Risk", hdr)?;
        ws.write_string_with_format(row, 1, "Records", hdr)?;
        row += 1;
        for (i, risk) in RISKS.into_iter().enumerate() {
            let cnt = t.counts.risk[i];
            ws.write_string(row, 0, risk.as_str())?;
            ws.write_number(row, 1, cnt as f64)?;
            row += 1;
        }
        Ok(row)
    }

    /// Findings by rule from `row`; the row after them.
    fn summary_rule_rows(
        ws: &mut Worksheet,
        fmt: &Formats,
        t: &Tallies,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let q = &fmt.quoted[FILL_NONE];
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Findings by rule", &fmt.bold)?;
        row += 1;
        header_row(
            ws,
            row,
            &["Rule", "Severity", "Findings", "Records", "Example message"],
            hdr,
        )?;
        row += 1;
        let by_rule = &t.by_rule;
        if by_rule.is_empty() {
            ws.write_string(row, 0, "no findings")?;
            row += 1;
        }
        for (rule, (sev, n, recs, msg)) in by_rule {
            write_text_with(ws, row, 0, rule, None, q)?;
            ws.write_string(row, 1, sev.as_str())?;
            ws.write_number(row, 2, *n as f64)?;
            ws.write_number(row, 3, *recs as f64)?;
            write_text_with(ws, row, 4, msg, None, q)?;
            row += 1;
        }
        Ok(row)
    }

    /// What happened to each sheet, from `row`; the row after them.
    fn summary_sheet_rows(
        &self,
        ws: &mut Worksheet,
        outcome: &FileOutcome,
        row: u32,
    ) -> anyhow::Result<u32> {
        let mut row = row;
        let fmt = &self.fmt;
        let q = &fmt.quoted[FILL_NONE];
        let hdr = &fmt.cell[FILL_HDR][KIND_PLAIN];
        ws.write_string_with_format(row, 0, "Sheets", &fmt.bold)?;
        row += 1;
        header_row(
            ws,
            row,
            &["Sheet", "Audited", "Header row", "Records", "Notes"],
            hdr,
        )?;
        row += 1;
        for info in &self.sheets {
            let so = outcome.sheets.iter().find(|s| s.name == info.input_name);
            write_text_with(ws, row, 0, &info.name, None, q)?;
            let audited = so.map_or(info.added_start.is_some(), |s| s.audited);
            ws.write_string(row, 1, if audited { "yes" } else { "no" })?;
            if let Some(h) = so.and_then(|s| s.header_row) {
                ws.write_number(row, 2, h + 1)?;
            }
            if let Some(s) = so {
                ws.write_number(row, 3, s.records as f64)?;
            }
            let mut notes: Vec<String> = Vec::new();
            if let Some(n) = info.note.as_ref().or(so.and_then(|s| s.note.as_ref())) {
                notes.push(n.clone());
            }
            if info.name != info.input_name {
                notes.push(format!(
                    "renamed from {:?} (Excel sheet-name rules)",
                    info.input_name
                ));
            }
            notes.extend(info.remarks.iter().cloned());
            if !notes.is_empty() {
                write_text_with(ws, row, 4, &notes.join("; "), Some(&fmt.wrap), q)?;
            }
            row += 1;
        }
        Ok(row)
    }
}

/// A row of bold table headings starting at column A.
fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    headings: &[&str],
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, format)?;
    }
    Ok(())
}

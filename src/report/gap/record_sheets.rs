//! The record listings, streamed row by row: Top-risk records, Gap records and Data issues.

use anyhow::Context;
use rust_xlsxwriter::{Workbook, Worksheet};

use super::{
    C, ColumnFormat, Fmts, HEADER_ROW, MAX_ROWS, end_table, fit_row, put_row_in_formatted_columns,
    set_column_formats, start_table, wrapped_lines,
};
use crate::report::listings::{self, DataRow, RecordRow};
use crate::report::portfolio::{Portfolio, file_name};
use crate::report::text::fit;

/// Columns of the record listings (top-risk and gap records).
const RECORD_HEADERS: [(&str, f64); 13] = [
    ("File", 26.0),
    ("Sheet", 14.0),
    ("Row", 7.0),
    ("Contract ID", 22.0),
    ("Vendor", 26.0),
    ("Agency", 22.0),
    ("Office", 18.0),
    ("Value", 14.0),
    ("Status", 10.0),
    ("Risk", 8.0),
    ("Risk categories", 18.0),
    ("Rule IDs", 18.0),
    ("Main finding", 60.0),
];

/// The record listings' columns that carry their cells' format: Value and Main finding.
const RECORD_FORMATS: [(u16, ColumnFormat); 2] =
    [(7, ColumnFormat::Money), (12, ColumnFormat::Wrap)];

/// Columns of the data-issue listing.
const DATA_HEADERS: [(&str, f64); 8] = [
    ("File", 26.0),
    ("Sheet", 14.0),
    ("Row", 7.0),
    ("Contract ID", 22.0),
    ("Rule", 9.0),
    ("Severity", 9.0),
    ("Column", 20.0),
    ("Message", 70.0),
];

/// The data-issue listing's column that carries its cells' format: Message.
const DATA_FORMATS: [(u16, ColumnFormat); 1] = [(7, ColumnFormat::Wrap)];

/// A listing sheet streamed row by row (constant memory: the gap records and data issues
/// can run to a million rows), and what it needs to close it.
pub(super) struct Listing {
    pub(super) index: usize,
    row: u32,
    left_out: usize,
    ncols: usize,
}

impl Listing {
    fn start(
        wb: &mut Workbook,
        name: &str,
        title: &str,
        subtitle: &str,
        headers: &[(&str, f64)],
        formats: &[(u16, ColumnFormat)],
        f: &Fmts,
    ) -> anyhow::Result<Listing> {
        let ws = wb.add_worksheet_with_constant_memory()?;
        start_table(ws, name, title, subtitle, headers, f)?;
        set_column_formats(ws, headers.len() as u16, formats, f)?;
        Ok(Listing {
            index: wb.worksheets().len() - 1,
            row: HEADER_ROW,
            left_out: 0,
            ncols: headers.len(),
        })
    }

    /// A sheet of records (top-risk or gap records), titled with its name.
    fn records(wb: &mut Workbook, name: &str, subtitle: &str, f: &Fmts) -> anyhow::Result<Listing> {
        let (headers, formats) = (&RECORD_HEADERS, &RECORD_FORMATS);
        Listing::start(wb, name, name, subtitle, headers, formats, f)
    }

    /// The row for one more line, or `None` (counted) past Excel's row limit, which keeps
    /// one row for the line saying how many were left out.
    fn next_row(&mut self) -> Option<u32> {
        if self.row + 2 >= MAX_ROWS {
            self.left_out += 1;
            return None;
        }
        self.row += 1;
        Some(self.row)
    }

    pub(super) fn finish(mut self, wb: &mut Workbook, what: &str, f: &Fmts) -> anyhow::Result<()> {
        let ws = wb.worksheet_from_index(self.index)?;
        if self.left_out > 0 {
            self.row += 1;
            ws.write_string_with_format(
                self.row,
                0,
                format!(
                    "{} more {what} not listed: Excel's row limit (see findings.jsonl)",
                    self.left_out
                ),
                &f.bold,
            )?;
        } else if self.row == HEADER_ROW {
            self.row += 1;
            ws.write_string(self.row, 0, "None.")?;
        }
        end_table(ws, self.row, self.ncols)
    }
}

fn put_record(ws: &mut Worksheet, row: u32, r: &RecordRow, f: &Fmts) -> anyhow::Result<()> {
    put_row_in_formatted_columns(
        ws,
        row,
        &[
            C::T(file_name(&r.file)),
            C::T(&r.sheet),
            // A record read from a contract document has no row.
            if r.row == 0 {
                C::Blank
            } else {
                C::N(f64::from(r.row))
            },
            C::T(&r.contract_id),
            C::T(&r.vendor),
            C::T(&r.agency),
            C::T(&r.office),
            r.value.filter(|v| v.is_finite()).map_or(C::Blank, C::Money),
            C::Blank,
            C::T(&r.risk),
            C::T(&r.categories),
            C::T(&r.rule_ids),
            C::W(&r.headline),
        ],
        f,
    )?;
    ws.write_string_with_format(row, 8, r.status.as_str(), &f.status_top[r.status.index()])?;
    // Main finding: 60 wide.
    fit_row(ws, row, wrapped_lines(&r.headline, 66))
}

fn put_data_issue(ws: &mut Worksheet, row: u32, d: &DataRow, f: &Fmts) -> anyhow::Result<()> {
    put_row_in_formatted_columns(
        ws,
        row,
        &[
            C::T(file_name(&d.file)),
            C::T(&d.sheet),
            C::N(f64::from(d.row)),
            C::T(&d.contract_id),
            C::T(&d.rule),
            C::T(&d.severity),
            d.column.as_deref().map_or(C::Blank, C::T),
            C::W(&d.message),
        ],
        f,
    )?;
    // Message: 70 wide.
    fit_row(ws, row, wrapped_lines(&d.message, 76))
}

pub(super) fn top_risk_sheet(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let name = "Top-risk records";
    let subtitle = format!(
        "The {} records to look at first: highest risk, then most high-severity findings, then largest value",
        p.top_risk.len()
    );
    let mut list = Listing::records(wb, name, &subtitle, f)?;
    let ws = wb.worksheet_from_index(list.index)?;
    for r in &p.top_risk {
        if let Some(row) = list.next_row() {
            put_record(ws, row, &RecordRow::of(r), f)?;
        }
    }
    list.finish(wb, "records", f)
}

/// The "Gap records" and "Data issues" sheets with their titles, in that order; [`fill`]
/// writes their rows.
pub(super) fn start_listings(
    wb: &mut Workbook,
    p: &Portfolio,
    f: &Fmts,
) -> anyhow::Result<(Listing, Listing)> {
    let name = "Gap records";
    let subtitle = format!(
        "All {} records with status gaps, in input order",
        p.gap_count
    );
    let gaps = Listing::records(wb, name, &subtitle, f)?;
    let mut sub = format!("{} data issues", p.data_issues);
    for r in &p.data_by_rule {
        sub.push_str(&format!(" · {} {} ({})", r.findings, r.rule, r.title));
    }
    let data = Listing::start(
        wb,
        "Data issues",
        "Data issues: what could not be read or decided",
        &fit(&sub, 2000),
        &DATA_HEADERS,
        &DATA_FORMATS,
        f,
    )?;
    Ok((gaps, data))
}

/// The gap records and data issues, in one pass over the listing rows spooled as records
/// were judged (or over findings.jsonl for a batch read back): every gap record and every
/// data issue, never all in memory. `gaps_ws` and `data_ws` are the sheets of `gaps` and
/// `data`.
pub(super) fn fill(
    (gaps, gaps_ws): (&mut Listing, &mut Worksheet),
    (data, data_ws): (&mut Listing, &mut Worksheet),
    p: &Portfolio,
    f: &Fmts,
) -> anyhow::Result<()> {
    let mut put = |row: listings::Row| -> anyhow::Result<()> {
        match row {
            listings::Row::Record(r) => {
                if let Some(at) = gaps.next_row() {
                    put_record(gaps_ws, at, &r, f)?;
                }
            }
            listings::Row::Data(d) => {
                if let Some(at) = data.next_row() {
                    put_data_issue(data_ws, at, &d, f)?;
                }
            }
        }
        Ok(())
    };
    match &p.listing_rows {
        Some(paths) => {
            for path in paths {
                let file = std::fs::File::open(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let mut rows =
                    listings::Reader::new(std::io::BufReader::with_capacity(1 << 16, file));
                while let Some(row) = rows.next_row()? {
                    put(row)?;
                }
            }
        }
        None => {
            // The same rows as spooled, from each record read back.
            let mut buf = Vec::new();
            for r in p.batch.results()? {
                buf.clear();
                listings::write(&mut buf, &r?)?;
                let mut rows = listings::Reader::new(&buf[..]);
                while let Some(row) = rows.next_row()? {
                    put(row)?;
                }
            }
        }
    }
    Ok(())
}

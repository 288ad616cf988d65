//! The Work list sheet: one row per contract that needs action, in priority order.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::{Fmts, HEADER_ROW, MAX_ROWS, end_table, fit_row, start_table};
use crate::report::contracts::Contract;
use crate::report::portfolio::{Portfolio, place_text};
use crate::report::text::{count, write_text_with};

/// Columns of the work list: what to do, then where, then the office's tracking columns.
const WORK_HEADERS: [(&str, f64); 18] = [
    ("#", 5.0),
    ("Priority", 16.0),
    ("Contract ID", 20.0),
    ("Order under IDV", 16.0),
    ("Vendor", 24.0),
    ("Department / bureau", 24.0),
    ("Value (latest)", 16.0),
    ("Actions", 8.0),
    ("Status", 10.0),
    ("Risk", 8.0),
    ("What is wrong", 60.0),
    ("Fix", 44.0),
    ("Cite", 24.0),
    ("Record in its annotated copy", 30.0),
    ("Owner", 14.0),
    ("Due", 11.0),
    ("Response", 30.0),
    ("Closed", 11.0),
];

/// Excel refuses a worksheet with more hyperlinks than this (it offers to repair the file).
pub const MAX_LINKS: usize = 65_530;

/// The format of a Work list column. They are set as column formats, so the cells are
/// written without a format of their own: that is how Excel stores them, and it spares
/// rust_xlsxwriter a format lookup (a hash of the whole format) per cell.
fn column_format(col: usize, f: &Fmts) -> &Format {
    match col {
        6 => &f.money_top,
        15 | 17 => &f.date_top,
        1 | 4 | 5 | 10 | 11 | 12 | 13 | 16 => &f.wrap,
        _ => &f.top,
    }
}

/// The first sheet: one row per contract that needs action, in priority order, with a link
/// to the record's row in its annotated copy and empty columns for the office to track it.
/// Adds the sheet with its title and column formats and returns its index; [`fill`] writes
/// its rows.
pub(super) fn start(wb: &mut Workbook, p: &Portfolio, f: &Fmts) -> anyhow::Result<usize> {
    // One row per contract needing action: written top to bottom and streamed to disk, so a
    // portfolio of 100,000 records does not hold the sheet in memory.
    let ws = wb.add_worksheet_with_constant_memory()?;
    work_list_head(ws, p, f)?;
    for (col, (_, w)) in WORK_HEADERS.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
        ws.set_column_format(col as u16, column_format(col, f))?;
    }
    Ok(wb.worksheets().len() - 1)
}

/// The Work list's rows, below the head [`start`] wrote.
pub(super) fn fill(ws: &mut Worksheet, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let annotated: HashMap<&str, &str> = p
        .by_file
        .iter()
        .filter_map(|r| r.annotated.as_deref().map(|a| (r.file.as_str(), a)))
        .collect();
    let mut row = HEADER_ROW;
    let mut links = 0;
    for w in &p.work {
        if row + 1 >= MAX_ROWS {
            break;
        }
        row += 1;
        let c = &p.contracts[w.contract];
        let d = w.describe(&p.contracts);
        let (dept, bureau) = &p.agency_of[w.contract];
        let org = if bureau.is_empty() {
            dept.to_string()
        } else {
            format!("{dept} / {bureau}")
        };
        // The column's format applies: see `column_format`.
        let put = |ws: &mut Worksheet, col: u16, s: &str| {
            write_text_with(ws, row, col, s, None, &f.quoted)
        };
        ws.write_number(row, 0, w.rank as f64)?;
        put(ws, 1, w.tier.label())?;
        put(ws, 2, &c.contract_id)?;
        put(ws, 3, c.parent_id.as_deref().unwrap_or(""))?;
        put(ws, 4, c.vendor.as_deref().unwrap_or(""))?;
        put(ws, 5, &org)?;
        match c.value.filter(|v| v.is_finite()) {
            Some(v) => {
                ws.write_number(row, 6, v)?;
            }
            // Text in the money column keeps the plain top alignment it had.
            None => write_text_with(ws, row, 6, "not stated", Some(&f.top), &f.quoted)?,
        };
        ws.write_number(row, 7, c.actions as f64)?;
        ws.write_string_with_format(row, 8, c.status.as_str(), &f.status_top[c.status.index()])?;
        put(ws, 9, c.risk.as_str())?;
        let (wrong, fix) = (d.wrong.join("\n"), d.fix.join("\n"));
        put(ws, 10, &wrong)?;
        put(ws, 11, &fix)?;
        put(ws, 12, &d.cite)?;
        record_place(ws, row, c, &annotated, &mut links, &f.wrap, f)?;
        // About 60 characters per line in the widest column.
        let lines = |items: &[String], width: usize| -> usize {
            items.iter().map(|t| t.chars().count() / width + 1).sum()
        };
        let lines = lines(&d.wrong, 60).max(lines(&d.fix, 44));
        fit_row(ws, row, lines.max(2))?;
    }
    if p.work.is_empty() {
        row += 1;
        ws.write_string(row, 0, "No contract needs action.")?;
    }
    end_table(ws, row, WORK_HEADERS.len())
}

/// The Work list's title, the subtitle that explains the order, and the frozen panes.
fn work_list_head(ws: &mut Worksheet, p: &Portfolio, f: &Fmts) -> anyhow::Result<()> {
    let mut subtitle = format!(
        "{} contracts need action. Priority: 1 compliance gaps on high-risk goods, 2 listed entities, 3 other compliance gaps, 4 forced-labor exposure without compliance gaps; by value within each. Fill in Owner, Due, Response and Closed to track them.",
        p.work.len()
    );
    if p.work.len() > MAX_LINKS {
        subtitle.push_str(&format!(
            " Excel allows {} links in a sheet: past them, Record gives the file and row as text.",
            count(MAX_LINKS)
        ));
    }
    start_table(ws, "Work list", "Work list", &subtitle, &WORK_HEADERS, f)?;
    // The contract id stays in view while scrolling right.
    ws.set_freeze_panes(HEADER_ROW + 1, 3)?;
    Ok(())
}

/// Where the contract's worst record is: a link into its annotated copy while Excel allows
/// more links in the sheet, else the place as text.
fn record_place(
    ws: &mut Worksheet,
    row: u32,
    c: &Contract,
    annotated: &HashMap<&str, &str>,
    links: &mut usize,
    wrap: &Format,
    f: &Fmts,
) -> anyhow::Result<()> {
    let place = place_text(&c.worst);
    match annotated.get(c.worst.file.as_str()) {
        // A relative link to the row in the copy next to this report.
        Some(name)
            if *links < MAX_LINKS
                && !name.contains(['#', '%'])
                && !c.worst.sheet.contains('\'') =>
        {
            *links += 1;
            let url = rust_xlsxwriter::Url::new(format!(
                "file:///{name}#'{}'!A{}",
                c.worst.sheet, c.worst.row
            ))
            .set_text(format!("{name}, row {}", c.worst.row))
            .set_tip(&place);
            ws.write_url_with_format(row, 13, url, wrap)?;
        }
        _ => write_text_with(ws, row, 13, &place, None, &f.quoted)?,
    }
    Ok(())
}

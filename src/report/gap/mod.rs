//! `gap-report.xlsx`: the [`Portfolio`] as a workbook. This file holds the entry points, the
//! formats and the table helpers every sheet shares; each sheet is written in the file named
//! for it.

mod overview;
mod record_sheets;
mod sheets;
mod work_list;

use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::annotate::STATUS_LEGEND;
use super::portfolio::Portfolio;
use super::text::{MONEY_FORMAT, write_text_with};
use crate::model::BatchOutcome;
use overview::overview;
use record_sheets::{Listing, start_listings, top_risk_sheet};
use sheets::{
    categories_sheet, evidence_sheet, files_sheet, group_sheet, not_audited_sheet, rules_sheet,
};

const MAX_ROWS: u32 = 1_048_576;
/// Tables start below a title and a subtitle; this is the header row (0-based).
const HEADER_ROW: u32 = 3;

/// Rows past this one keep the default height. rust_xlsxwriter keeps a row's options for the
/// life of its sheet, about 470 bytes a row even in constant-memory mode, so a height on
/// every row of a million-row listing would hold hundreds of megabytes; Excel fits such
/// rows to their wrapped text as it opens the file, LibreOffice shows their first line.
const LAST_FITTED_ROW: u32 = HEADER_ROW + 65_536;

/// Lines `text` takes wrapped at about `width` characters, each of its own lines at least one.
/// Calibri 11 sets about 1.1 characters of running text per unit of column width.
fn wrapped_lines(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|l| l.chars().count().div_ceil(width).max(1))
        .sum()
}

/// Gives `row` the height of `lines` lines (at most 12) up to [`LAST_FITTED_ROW`]; a row of
/// one line keeps the default.
fn fit_row(ws: &mut Worksheet, row: u32, lines: usize) -> anyhow::Result<()> {
    if lines > 1 && row <= LAST_FITTED_ROW {
        ws.set_row_height(row, 15.0 * lines.min(12) as f64)?;
    }
    Ok(())
}

/// Chart colours per status (stronger than the row fills, which are too pale for a chart).
pub const STATUS_CHART_COLORS: [u32; 4] = [0xC0504D, 0xE6A118, 0x5B9BD5, 0x70AD47];
/// Chart colours per risk, indexed like [`RISKS`](crate::model::RISKS).
pub const RISK_CHART_COLORS: [u32; 4] = [0xC00000, 0xED7D31, 0xFFC000, 0xA5A5A5];

struct Fmts {
    title: Format,
    subtitle: Format,
    header: Format,
    bold: Format,
    money: Format,
    pct: Format,
    quoted: Format,
    wrap: Format,
    status: [Format; 4],
    /// The long sheets' formats, at the top of rows that wrap to many lines.
    top: Format,
    money_top: Format,
    date_top: Format,
    status_top: [Format; 4],
    as_of: String,
}

impl Fmts {
    fn new(as_of: &str) -> Fmts {
        let fill = |c: u32| Format::new().set_background_color(Color::RGB(c));
        Fmts {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F4E79))
                .set_border(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format(MONEY_FORMAT),
            pct: Format::new().set_num_format("0%"),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            status: STATUS_LEGEND.map(|(_, c, _)| fill(c)),
            top: Format::new().set_align(FormatAlign::Top),
            money_top: Format::new()
                .set_num_format(MONEY_FORMAT)
                .set_align(FormatAlign::Top),
            date_top: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            status_top: STATUS_LEGEND.map(|(_, c, _)| fill(c).set_align(FormatAlign::Top)),
            as_of: as_of.to_string(),
        }
    }
}

/// One cell of a table row.
enum C<'s> {
    T(&'s str),
    /// Text that wraps (long messages).
    W(&'s str),
    N(f64),
    Money(f64),
    Pct(f64),
    Blank,
}

fn put_row(ws: &mut Worksheet, row: u32, cells: &[C], f: &Fmts) -> anyhow::Result<()> {
    put_cells(ws, row, cells, f, true)
}

/// [`put_row`] for a sheet whose wrapped and money columns have column formats
/// ([`set_column_formats`]): those cells are written without a format of their own, as
/// Excel stores them, which spares a format lookup (a hash of the whole format) per cell.
fn put_row_in_formatted_columns(
    ws: &mut Worksheet,
    row: u32,
    cells: &[C],
    f: &Fmts,
) -> anyhow::Result<()> {
    put_cells(ws, row, cells, f, false)
}

fn put_cells(
    ws: &mut Worksheet,
    row: u32,
    cells: &[C],
    f: &Fmts,
    own_formats: bool,
) -> anyhow::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        let col = i as u16;
        match c {
            C::T(s) => write_text_with(ws, row, col, s, None, &f.quoted)?,
            C::W(s) => write_text_with(ws, row, col, s, own_formats.then_some(&f.wrap), &f.quoted)?,
            C::N(n) => {
                ws.write_number(row, col, *n)?;
            }
            C::Money(n) if !own_formats => {
                ws.write_number(row, col, *n)?;
            }
            C::Money(n) => {
                ws.write_number_with_format(row, col, *n, &f.money)?;
            }
            C::Pct(n) => {
                ws.write_number_with_format(row, col, *n, &f.pct)?;
            }
            C::Blank => {}
        }
    }
    Ok(())
}

/// A column format a table's column carries, for [`put_row_in_formatted_columns`].
#[derive(Clone, Copy)]
enum ColumnFormat {
    /// Wrapped text ([`C::W`]).
    Wrap,
    /// A dollar amount ([`C::Money`]).
    Money,
}

/// Gives each of a table's `ncols` columns its format: `columns` name the wrapped and money
/// ones, and every other is aligned to the top, beside the wrapped text of its row.
fn set_column_formats(
    ws: &mut Worksheet,
    ncols: u16,
    columns: &[(u16, ColumnFormat)],
    f: &Fmts,
) -> anyhow::Result<()> {
    for col in 0..ncols {
        let format = match columns.iter().find(|(c, _)| *c == col) {
            Some((_, ColumnFormat::Wrap)) => &f.wrap,
            Some((_, ColumnFormat::Money)) => &f.money_top,
            None => &f.top,
        };
        ws.set_column_format(col, format)?;
    }
    Ok(())
}

/// Title, subtitle, header row and print setup shared by every table sheet.
fn start_table(
    ws: &mut Worksheet,
    name: &str,
    title: &str,
    subtitle: &str,
    headers: &[(&str, f64)],
    f: &Fmts,
) -> anyhow::Result<()> {
    let as_of = f.as_of.as_str();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, title, &f.title)?;
    write_text_with(ws, 1, 0, subtitle, Some(&f.subtitle), &f.quoted)?;
    for (i, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, i as u16, *h, &f.header)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_row_height(HEADER_ROW, 30)?;
    print_setup(ws, Some(HEADER_ROW), as_of)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

fn end_table(ws: &mut Worksheet, last_row: u32, ncols: usize) -> anyhow::Result<()> {
    ws.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW), (ncols - 1) as u16)?;
    Ok(())
}

fn print_setup(ws: &mut Worksheet, repeat: Option<u32>, as_of: &str) -> anyhow::Result<()> {
    ws.set_landscape();
    ws.set_paper_size(1); // US Letter: the readers are US federal offices.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_header("&L&\"Calibri,Bold\"tipaudit gap report&R&A");
    // The batch's as-of date, not the print date (&D): the report is about that day.
    ws.set_footer(format!(
        "&LAs of {}&RPage &P of &N",
        as_of.replace('&', "&&")
    ));
    if let Some(r) = repeat {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

pub fn write_gap_report(path: &Path, batch: &BatchOutcome) -> anyhow::Result<()> {
    write_portfolio(path, &Portfolio::new(batch)?)
}

/// Write `gap-report.xlsx` for an aggregated portfolio.
pub fn write_portfolio(path: &Path, p: &Portfolio) -> anyhow::Result<()> {
    let batch = p.batch;
    let f = Fmts::new(&batch.as_of);
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(super::ZIP_LEVEL);
    // Dated the as-of day rather than "now", so the same run gives the same bytes.
    let mut props = DocProperties::new()
        .set_title("tipaudit gap report")
        .set_subject(format!(
            "Trafficking-in-persons and forced-labor gaps as of {}",
            batch.as_of
        ));
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&batch.as_of, "%Y-%m-%d") {
        props = props.set_creation_datetime(&d);
    }
    wb.set_properties(&props);

    let work = work_list::start(&mut wb, p, &f)?;
    overview(&mut wb, p, &f)?;
    rules_sheet(&mut wb, p, &f)?;
    group_sheet(
        &mut wb,
        "By agency",
        "Contracts by department and bureau",
        &["Department", "Bureau"],
        &p.by_agency,
        &f,
    )?;
    group_sheet(
        &mut wb,
        "By vendor",
        "Contracts by vendor",
        &["Vendor"],
        &p.by_vendor,
        &f,
    )?;
    files_sheet(&mut wb, p, &f)?;
    categories_sheet(&mut wb, p, &f)?;
    top_risk_sheet(&mut wb, p, &f)?;
    let (mut gaps, mut data) = start_listings(&mut wb, p, &f)?;
    fill_long_sheets(&mut wb, work, (&mut gaps, &mut data), p, &f)?;
    gaps.finish(&mut wb, "records", &f)?;
    data.finish(&mut wb, "data issues", &f)?;
    not_audited_sheet(&mut wb, p, &f)?;
    if batch.evidence.files > 0 {
        evidence_sheet(&mut wb, p, &f)?;
    }

    save_atomically(&mut wb, path)
}

/// The Work list and the two record listings, the sheets that grow with the portfolio,
/// filled side by side: each is a constant-memory sheet streaming to a file of its own.
fn fill_long_sheets(
    wb: &mut Workbook,
    work: usize,
    (gaps, data): (&mut Listing, &mut Listing),
    p: &Portfolio,
    f: &Fmts,
) -> anyhow::Result<()> {
    let [work_ws, gaps_ws, data_ws] = wb
        .worksheets_mut()
        .get_disjoint_mut([work, gaps.index, data.index])
        .context("the gap report's sheets are distinct")?;
    let (listed, listings) = rayon::join(
        || work_list::fill(work_ws, p, f),
        || record_sheets::fill((gaps, gaps_ws), (data, data_ws), p, f),
    );
    listed?;
    listings
}

/// Save atomically: readers never see half a report.
pub(crate) fn save_atomically(wb: &mut Workbook, path: &Path) -> anyhow::Result<()> {
    super::save_atomic(path, |w| {
        wb.save_to_writer(w)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

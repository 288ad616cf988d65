//! `tipaudit template -o FILE.xlsx`: a blank portfolio workbook whose headers tipaudit
//! recognises without a mapping file, each with a note saying what goes in it, drop-downs
//! where the answer is a choice, and one example row.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Note, Workbook,
};

use super::gap::save_atomically;
use super::text::{MONEY_FORMAT, write_text};

/// What a column accepts, which decides its validation and number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    YesNo,
    RecordType,
    Date,
    Money,
}

/// One template column: header (a synonym from `clauses/fields.toml`, or an evidence
/// column name), the field it feeds, what goes in it, and the example row's value.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub field: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    pub example: &'static str,
}

const fn col(
    header: &'static str,
    field: &'static str,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Column {
    Column {
        header,
        field,
        kind,
        help,
        example,
    }
}

/// The canonical columns (CONTRACT.md section 2), then evidence columns for the compliance
/// plan, certifications and M-20-01 practices (REFERENCE.md BP-xx).
pub const COLUMNS: &[Column] = &[
    col(
        "Contract Number",
        "contract_id",
        Kind::Text,
        "Required. PIID, order number or solicitation number. Rows without it are not audited.",
        "W911QY-25-C-0042",
    ),
    col(
        "Record Type",
        "record_type",
        Kind::RecordType,
        "solicitation, contract, order or modification. Blank means contract.",
        "contract",
    ),
    col(
        "Award Date",
        "date",
        Kind::Date,
        "Solicitation issue date, award date or action date. The thresholds and clause versions in force on this date apply; blank uses --as-of.",
        "2025-11-03",
    ),
    col(
        "Base and All Options Value",
        "value",
        Kind::Money,
        "Estimated total value including all options, in US dollars ($1,234.50, 1.2M and 700K are read too).",
        "1250000",
    ),
    col(
        "Value Outside US",
        "value_outside_us",
        Kind::Money,
        "The part of the value performed or acquired outside the United States, if known. Blank: tipaudit uses the whole value when the place of performance or origin is outside the US.",
        "900000",
    ),
    col(
        "Place of Performance Country",
        "place_of_performance",
        Kind::Text,
        "Country (or US state) where the work is performed: a name or an ISO code.",
        "JOR",
    ),
    col(
        "Country of Origin",
        "country_of_origin",
        Kind::Text,
        "Country the supplies come from (name or ISO code).",
        "CHN",
    ),
    col(
        "Place of Manufacture",
        "place_of_manufacture",
        Kind::Text,
        "Where the supplies are manufactured (country, or region such as Xinjiang).",
        "China",
    ),
    col(
        "Commercial Item Acquisition",
        "commercial",
        Kind::YesNo,
        "yes when acquired under FAR Part 12 (commercial products or services).",
        "yes",
    ),
    col(
        "COTS",
        "cots",
        Kind::YesNo,
        "yes only when every item is commercially available off-the-shelf; COTS buys are exempt from the compliance-plan duty.",
        "no",
    ),
    col(
        "US Directives Notified",
        "directives_notified",
        Kind::YesNo,
        "yes when the contracting officer has been notified of US directives for the place of performance (this calls for 52.222-50 Alternate I).",
        "yes",
    ),
    col(
        "Vendor Name",
        "vendor",
        Kind::Text,
        "Awardee name as registered in SAM; screened against the UFLPA Entity List and WRO entities.",
        "Acme Uniform Supply LLC",
    ),
    col(
        "UEI",
        "vendor_id",
        Kind::Text,
        "Unique Entity ID (or DUNS for older records).",
        "ABCDEF123456",
    ),
    col(
        "Manufacturer",
        "manufacturer",
        Kind::Text,
        "Producer of the goods, if known; screened like the vendor.",
        "Example Textiles Co",
    ),
    col(
        "Description of Requirement",
        "description",
        Kind::Text,
        "Free text of what is bought; matched against high-risk goods categories.",
        "Cotton combat uniforms, 20,000 sets",
    ),
    col(
        "PSC",
        "psc",
        Kind::Text,
        "Product or Service Code (\"8415\" or \"8415: CLOTHING, SPECIAL PURPOSE\").",
        "8415",
    ),
    col(
        "NAICS Code",
        "naics",
        Kind::Text,
        "Six-digit NAICS code.",
        "315990",
    ),
    col(
        "Contracting Agency",
        "agency",
        Kind::Text,
        "Contracting agency or department; used for grouping and the DoD (DFARS) rules.",
        "Department of the Army",
    ),
    col(
        "Contracting Office",
        "office",
        Kind::Text,
        "Contracting office; used for grouping.",
        "ACC-APG",
    ),
    col(
        "Clauses",
        "clauses",
        Kind::Text,
        "Every FAR/DFARS clause and provision in the solicitation or contract, any separators; dates and alternates help (\"52.222-50 (NOV 2021) ALT I\").",
        "52.222-50 (NOV 2021) ALT I; 52.222-56; 52.222-19; 252.225-7060",
    ),
    col(
        "Compliance Plan on File",
        "evidence",
        Kind::YesNo,
        "yes when the contractor's anti-trafficking compliance plan (52.222-50(h)) is on file. Required above the threshold for work or supplies outside the US.",
        "yes",
    ),
    col(
        "Annual Certification Date",
        "evidence",
        Kind::Date,
        "Date of the contractor's latest annual certification (52.222-50(h)(5)).",
        "2025-10-15",
    ),
    col(
        "Certification Received",
        "evidence",
        Kind::Date,
        "Date the pre-award certification under 52.222-56 was received.",
        "2025-09-30",
    ),
    col(
        "TIP Policy Notice Issued",
        "evidence",
        Kind::Date,
        "Date employees and agents were told of the anti-trafficking policy and sanctions (52.222-50(c)(1)).",
        "2025-11-10",
    ),
    col(
        "Awareness Training",
        "evidence",
        Kind::Date,
        "Date of the contractor's awareness program or training.",
        "2025-12-01",
    ),
    col(
        "Hotline Notice Posted",
        "evidence",
        Kind::YesNo,
        "yes when the Global Human Trafficking Hotline notice is posted for workers.",
        "yes",
    ),
    col(
        "Recruitment and Wage Plan",
        "evidence",
        Kind::YesNo,
        "yes when the recruitment and wage plan (no recruitment fees, host-country wages) is in the compliance plan.",
        "yes",
    ),
    col(
        "Sub-tier Monitoring",
        "evidence",
        Kind::YesNo,
        "yes when subcontractors and agents are monitored and flow-down is confirmed.",
        "no",
    ),
    col(
        "Risk Assessment Date",
        "evidence",
        Kind::Date,
        "Date of the latest forced-labor risk assessment of the goods, geography and labor.",
        "2025-08-20",
    ),
];

/// Rows given validation and formats: enough for a large portfolio without bloating the
/// file (Excel stores a validation as one range, so the row count costs nothing).
const DATA_ROWS: u32 = 100_000;

/// `example`: add the example row (grey italics) under the header; it is a contract like
/// any other to the audit, so a blank template has none by default.
pub fn write_template(path: &Path, example_row: bool) -> anyhow::Result<()> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F4E79))
        .set_border(FormatBorder::Thin);
    let evidence_header = header.clone().set_background_color(Color::RGB(0x2E75B6));
    let example = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x7F7F7F));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let example_date = example.clone().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format(MONEY_FORMAT);
    let example_money = example.clone().set_num_format(MONEY_FORMAT);

    let ws = wb.add_worksheet();
    ws.set_name("Contracts")?;
    for (i, c) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        let hf = if c.field == "evidence" {
            &evidence_header
        } else {
            &header
        };
        ws.write_string_with_format(0, col, c.header, hf)?;
        let field_note = if c.field == "evidence" {
            "evidence column"
        } else {
            c.field
        };
        let note = Note::new(format!("{}\n\n({field_note})", c.help))
            .set_author("tipaudit")
            .add_author_prefix(false)
            .set_width(320)
            .set_height(110);
        ws.insert_note(0, col, &note)?;
        let width: f64 = match c.kind {
            Kind::Text if c.field == "description" || c.field == "clauses" => 40.0,
            Kind::Text => 20.0,
            Kind::Money => 16.0,
            _ => 14.0,
        };
        ws.set_column_width(col, width.max(c.header.len() as f64 * 0.9))?;

        // The example row, in grey italics so it reads as an example.
        match c.kind {
            _ if !example_row => match c.kind {
                Kind::Date => ws.set_column_format(col, &date).map(|_| ())?,
                Kind::Money => ws.set_column_format(col, &money).map(|_| ())?,
                _ => {}
            },
            Kind::Date => {
                let d = NaiveDate::parse_from_str(c.example, "%Y-%m-%d")?;
                ws.write_datetime_with_format(1, col, d, &example_date)?;
                ws.set_column_format(col, &date)?;
            }
            Kind::Money => {
                ws.write_number_with_format(1, col, c.example.parse::<f64>()?, &example_money)?;
                ws.set_column_format(col, &money)?;
            }
            _ => write_text(ws, 1, col, c.example, Some(&example))?,
        }

        let dv = validation(c.kind)?;
        if let Some(dv) = dv {
            ws.add_data_validation(1, col, DATA_ROWS, col, &dv)?;
        }
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, 1, (COLUMNS.len() - 1) as u16)?;

    help_sheet(&mut wb)?;

    save_atomically(&mut wb, path)
}

/// The data validation of a column of this kind: a list, a date or amount range, or none.
fn validation(kind: Kind) -> anyhow::Result<Option<DataValidation>> {
    Ok(match kind {
        Kind::YesNo => Some(
            DataValidation::new()
                .allow_list_strings(&["yes", "no"])?
                // A date or "Y" is also read as yes: warn, don't refuse.
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("yes or no")?
                .set_error_message(
                    "tipaudit reads yes/no (also Y, X, TRUE, 1 or a date as yes).",
                )?,
        ),
        Kind::RecordType => Some(
            DataValidation::new()
                .allow_list_strings(&["solicitation", "contract", "order", "modification"])?
                .set_error_title("Record type")?
                .set_error_message(
                    "One of solicitation, contract, order, modification (blank means contract).",
                )?,
        ),
        Kind::Date => Some(
            DataValidation::new()
                .allow_date(DataValidationRule::Between(
                    NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid"),
                    NaiveDate::from_ymd_opt(2099, 12, 31).expect("valid"),
                ))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Date")?
                .set_error_message("Enter a date such as 2025-11-03.")?,
        ),
        Kind::Money => Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Amount in US dollars")?
                .set_error_message("Enter a number of dollars, e.g. 1250000.")?,
        ),
        Kind::Text => None,
    })
}

/// The "How to fill" sheet.
fn help_sheet(wb: &mut Workbook) -> anyhow::Result<()> {
    // A second sheet with the same help, for printing. One sentence per cell: a cell holding
    // just a header name would make tipaudit take this sheet for a record sheet.
    let help = wb.add_worksheet();
    help.set_name("How to fill")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    help.write_string_with_format(
        0,
        0,
        "How to fill the Contracts sheet: one row per solicitation, contract, order or modification. \
         Keep the headers; extra columns are fine and are carried into the annotated copy. \
         Each header also has a note with this text. The examples below are not in the Contracts sheet \
         (with --example, row 2 holds them: delete that row before auditing, or it is audited as a contract).",
        &wrap,
    )?;
    help.set_row_height(0, 48)?;
    help.set_column_width(0, 120)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        let r = 2 + i as u32;
        let field = if c.field == "evidence" {
            "evidence column".to_string()
        } else {
            format!("field {}", c.field)
        };
        let text = format!("{} ({field}): {} Example: {}", c.header, c.help, c.example);
        write_text(help, r, 0, &text, Some(if i == 0 { &bold } else { &wrap }))?;
    }
    help.set_landscape();
    help.set_print_fit_to_pages(1, 0);
    Ok(())
}

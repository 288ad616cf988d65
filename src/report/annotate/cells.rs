//! Copying one input cell: values, formulas with their cached results, dates.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::{Format, Formula, IntoExcelDateTime, Worksheet};

use super::formats::{FILL_NONE, Formats, KIND_DATE, KIND_DATETIME, KIND_PLAIN};
use crate::cell::{Cell, Value};
use crate::report::text::write_text_with;

/// Write one input cell; returns its display width estimate in characters.
///
/// Only header cells carry a fill format (Excel applies a row format only to the cells a
/// row leaves out); record rows are filled by the sheet's conditional formats.
/// rust_xlsxwriter hashes the `Format` on every formatted write (about 6% of a run), so
/// other cells are written without one unless they need it (dates, quote-prefixed text).
pub(super) fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    cell: &Cell,
    fill: usize,
    fmt: &Formats,
) -> anyhow::Result<u16> {
    let col = cell.col as u16;
    let plain = (fill != FILL_NONE).then(|| &fmt.cell[fill][KIND_PLAIN]);
    if let Some(formula) = &cell.formula {
        let (result, kind) = formula_result(&cell.value);
        let f = Formula::new(formula).set_result(result);
        if kind == KIND_PLAIN && plain.is_none() {
            ws.write_formula(row, col, f)?;
        } else {
            ws.write_formula_with_format(row, col, f, &fmt.cell[fill][kind])?;
        }
        return Ok(12);
    }
    let width = match &cell.value {
        Value::Empty => 0,
        Value::Text(s) | Value::Error(s) => {
            write_text_with(ws, row, col, s, plain, &fmt.quoted[fill])?;
            s.len().min(80) as u16
        }
        Value::Int(i) => {
            write_number(ws, row, col, *i as f64, plain)?;
            12
        }
        Value::Float(x) if x.is_finite() => {
            write_number(ws, row, col, *x, plain)?;
            12
        }
        Value::Float(x) => {
            // Excel has no NaN or infinity; keep what the input said, as text.
            write_text_with(ws, row, col, &x.to_string(), plain, &fmt.quoted[fill])?;
            8
        }
        Value::Bool(b) => {
            match plain {
                Some(f) => ws.write_boolean_with_format(row, col, *b, f)?,
                None => ws.write_boolean(row, col, *b)?,
            };
            5
        }
        Value::DateTime(d) => {
            if excel_date_ok(d) {
                let (kind, w) = if d.time() == NaiveTime::MIN {
                    (KIND_DATE, 10)
                } else {
                    (KIND_DATETIME, 19)
                };
                ws.write_datetime_with_format(row, col, d, &fmt.cell[fill][kind])?;
                w
            } else {
                // Before 1900 Excel has no serial date: keep the date as ISO text.
                write_text_with(
                    ws,
                    row,
                    col,
                    &cell.value.to_text(),
                    plain,
                    &fmt.quoted[fill],
                )?;
                10
            }
        }
    };
    Ok(width)
}

fn write_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    n: f64,
    format: Option<&Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match format {
        Some(f) => ws.write_number_with_format(row, col, n, f)?,
        None => ws.write_number(row, col, n)?,
    };
    Ok(())
}

fn excel_date_ok(d: &NaiveDateTime) -> bool {
    (1900..=9999).contains(&d.year())
        && d.date() >= NaiveDate::from_ymd_opt(1900, 3, 1).expect("valid")
}

/// A formula's cached result as rust_xlsxwriter wants it (text), and the format kind that
/// displays it (a date result needs a date format to show as a date).
fn formula_result(v: &Value) -> (String, usize) {
    match v {
        Value::Empty => (String::new(), KIND_PLAIN),
        Value::Text(s) | Value::Error(s) => (s.clone(), KIND_PLAIN),
        Value::Int(i) => (i.to_string(), KIND_PLAIN),
        Value::Float(f) => (f.to_string(), KIND_PLAIN),
        Value::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), KIND_PLAIN),
        Value::DateTime(d) if excel_date_ok(d) => {
            let serial = d.to_excel_serial_date();
            let kind = if d.time() == NaiveTime::MIN {
                KIND_DATE
            } else {
                KIND_DATETIME
            };
            (serial.to_string(), kind)
        }
        Value::DateTime(_) => (v.to_text(), KIND_PLAIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_date_results_are_excel_serials() {
        let at = |h| {
            Value::DateTime(
                NaiveDate::from_ymd_opt(2024, 3, 16)
                    .expect("valid")
                    .and_hms_opt(h, 0, 0)
                    .expect("valid"),
            )
        };
        assert_eq!(formula_result(&at(0)), ("45367".to_string(), KIND_DATE));
        assert_eq!(
            formula_result(&at(12)),
            ("45367.5".to_string(), KIND_DATETIME)
        );
        let early = Value::DateTime(
            NaiveDate::from_ymd_opt(1899, 1, 1)
                .expect("valid")
                .and_time(NaiveTime::MIN),
        );
        assert_eq!(formula_result(&early).1, KIND_PLAIN);
    }
}

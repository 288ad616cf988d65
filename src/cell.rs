//! The cell model shared by every reader and writer: what a spreadsheet cell holds once
//! read, independent of the file format it came from.

use chrono::NaiveDateTime;

/// One cell value as read from any supported format.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date or date-time (Excel serials already converted, 1900 and 1904 systems).
    DateTime(NaiveDateTime),
    /// A cell error such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// [`Value::to_text`], borrowed when the cell holds text (no copy per cell read).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Text(s) | Value::Error(s) => std::borrow::Cow::Borrowed(s),
            _ => std::borrow::Cow::Owned(self.to_text()),
        }
    }

    /// The value as display text (numbers without a trailing `.0`, dates as ISO).
    pub fn to_text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_float(*f),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Value::Error(e) => e.clone(),
        }
    }
}

/// Format a float the way a person expects to see it: `315250.0` becomes `315250`.
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// One non-empty cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// 0-based column index.
    pub col: u32,
    pub value: Value,
    /// Formula text without the leading `=`, when the cell holds a formula; `value` is then
    /// its cached result.
    pub formula: Option<String>,
}

/// One row of a sheet: its 0-based index and its non-empty cells in column order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&Value> {
        // Cells are sorted by column; rows are short, so a binary search beats a map.
        self.cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .map(|i| &self.cells[i].value)
    }
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_text() {
        assert_eq!(format_float(315250.0), "315250");
        assert_eq!(format_float(1.5), "1.5");
    }
}

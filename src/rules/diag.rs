//! Diagnostics for rule data: every error names the file, the line and column, and the
//! field, as cargo-deny does for its configuration.

use std::ops::Range;

use toml::Spanned;

/// One problem found in a rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The key the problem is about (`when`, `rule TIP003 (rule[2]).requires`, ...); empty when the file
    /// itself does not parse.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Diag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "field `{}`: ", self.field)?;
        }
        write!(f, "{}", self.message)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Collects diagnostics for one file.
pub struct Diags<'a> {
    pub file: String,
    text: &'a str,
    pub list: Vec<Diag>,
}

impl<'a> Diags<'a> {
    pub fn new(file: String, text: &'a str) -> Diags<'a> {
        Diags {
            file,
            text,
            list: Vec::new(),
        }
    }

    pub fn at(&mut self, span: Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.list.push(Diag {
            file: self.file.clone(),
            line,
            column,
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn on<T>(&mut self, v: &Spanned<T>, field: impl Into<String>, message: impl Into<String>) {
        self.at(v.span(), field, message);
    }

    /// Parse a whole file, turning a TOML or schema error (unknown key, wrong type, missing
    /// key) into a diagnostic at its position.
    pub fn parse<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        match toml::from_str::<T>(self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                // serde names the offending key in its message ("unknown field `foo`");
                // pull it out so the diagnostic has a field like every other one.
                let field = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.contains("field `"))
                    .unwrap_or("")
                    .to_string();
                self.at(span, field, message);
                None
            }
        }
    }
}

//! The rows of the gap report's record listings ("Gap records", "Data issues"), spooled
//! per input as its records are judged and read back in input order when the report is
//! written: the texts those sheets show, length-prefixed, instead of whole records to
//! parse from `findings.jsonl` again. Memory stays one row, however many records.
//!
//! In an input's spool each record's rows are framed with its ordinal and their length,
//! so that when a cross-file duplicate adds a finding to a few records once the input is
//! done, their rows are replaced and every other row is copied as bytes ([`patch`]).

use std::io::{self, BufRead, Read, Write};

use super::portfolio::{headline, rule_ids};
use crate::model::{RecordResult, Status, kind};

/// One row of the gap-record listings (and the top-risk table).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    pub file: String,
    pub sheet: String,
    /// 0 for a record read from a contract document.
    pub row: u32,
    pub contract_id: String,
    pub vendor: String,
    pub agency: String,
    pub office: String,
    pub value: Option<f64>,
    pub status: Status,
    pub risk: String,
    pub categories: String,
    pub rule_ids: String,
    pub headline: String,
}

impl RecordRow {
    pub fn of(r: &RecordResult) -> RecordRow {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        RecordRow {
            file: r.file.clone(),
            sheet: r.sheet.clone(),
            row: r.row,
            contract_id: r.contract_id.clone(),
            vendor: text(&r.vendor),
            agency: text(&r.agency),
            office: text(&r.office),
            value: r.value,
            status: r.status,
            risk: r.risk.as_str().to_string(),
            categories: r.risk_categories.join(", "),
            rule_ids: rule_ids(r),
            headline: headline(r).to_string(),
        }
    }
}

/// One row of the data-issue listing: a data-issue finding and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub contract_id: String,
    pub rule: String,
    pub severity: String,
    pub column: Option<String>,
    pub message: String,
}

const GAP: u8 = b'G';
const DATA: u8 = b'D';
/// Followed by the record's ordinal and its rows' length in bytes (u32 each).
const FRAME: u8 = b'R';

fn put(w: &mut dyn Write, s: &str) -> io::Result<()> {
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

/// Spool a record's listing rows: the record if it has gaps, then its data issues.
pub fn write(w: &mut dyn Write, r: &RecordResult) -> io::Result<()> {
    fn opt(s: &Option<String>) -> &str {
        s.as_deref().unwrap_or_default()
    }
    if r.status == Status::Gaps {
        w.write_all(&[GAP])?;
        put(w, &r.file)?;
        put(w, &r.sheet)?;
        w.write_all(&r.row.to_le_bytes())?;
        put(w, &r.contract_id)?;
        put(w, opt(&r.vendor))?;
        put(w, opt(&r.agency))?;
        put(w, opt(&r.office))?;
        // Not finite is never shown (and is `null` in findings.jsonl).
        match r.value.filter(|v| v.is_finite()) {
            Some(v) => {
                w.write_all(&[1])?;
                w.write_all(&v.to_le_bytes())?;
            }
            None => w.write_all(&[0])?,
        }
        put(w, r.risk.as_str())?;
        put(w, &r.risk_categories.join(", "))?;
        put(w, &rule_ids(r))?;
        put(w, headline(r))?;
    }
    for fd in r.findings.iter().filter(|fd| fd.kind == kind::DATA_ISSUE) {
        w.write_all(&[DATA])?;
        put(w, &r.file)?;
        put(w, &r.sheet)?;
        w.write_all(&r.row.to_le_bytes())?;
        put(w, &r.contract_id)?;
        put(w, &fd.rule)?;
        put(w, fd.severity.as_str())?;
        match &fd.column {
            Some(c) => {
                w.write_all(&[1])?;
                put(w, c)?;
            }
            None => w.write_all(&[0])?,
        }
        put(w, &fd.message)?;
    }
    Ok(())
}

/// Spool record `ordinal`'s listing rows framed (nothing when it has none); `buf` is
/// scratch space.
pub fn write_framed(
    w: &mut dyn Write,
    buf: &mut Vec<u8>,
    ordinal: usize,
    r: &RecordResult,
) -> io::Result<()> {
    buf.clear();
    write(buf, r)?;
    if buf.is_empty() {
        return Ok(());
    }
    let (Ok(ordinal), Ok(len)) = (u32::try_from(ordinal), u32::try_from(buf.len())) else {
        return Err(io::Error::other("listing spool: record beyond 2^32"));
    };
    w.write_all(&[FRAME])?;
    w.write_all(&ordinal.to_le_bytes())?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(buf)
}

/// Copy an input's framed rows from `src` to `dst` with the rows of each of `records`
/// (ordinal and record, by increasing ordinal) in place of those spooled for it.
pub fn patch(
    src: &mut impl BufRead,
    dst: &mut impl Write,
    records: &[(usize, RecordResult)],
) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut records = records.iter().peekable();
    let mut frame = [0u8; 9];
    loop {
        let end = src.fill_buf()?.is_empty();
        let ordinal = if end {
            usize::MAX
        } else {
            src.read_exact(&mut frame)?;
            if frame[0] != FRAME {
                return Err(bad_tag(frame[0]));
            }
            u32::from_le_bytes([frame[1], frame[2], frame[3], frame[4]]) as usize
        };
        let mut replaced = false;
        while let Some((at, r)) = records.next_if(|(at, _)| *at <= ordinal) {
            write_framed(dst, &mut buf, *at, r)?;
            replaced = *at == ordinal;
        }
        if end {
            return Ok(());
        }
        let len = u64::from(u32::from_le_bytes([frame[5], frame[6], frame[7], frame[8]]));
        let rows = &mut src.by_ref().take(len);
        let copied = if replaced {
            io::copy(rows, &mut io::sink())?
        } else {
            dst.write_all(&frame)?;
            io::copy(rows, dst)?
        };
        if copied != len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}

fn bad_tag(b: u8) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("listing spool: unexpected tag {b}"),
    )
}

/// A row read back.
pub enum Row {
    Record(RecordRow),
    Data(DataRow),
}

/// Rows spooled by [`write`], in the order written.
pub struct Reader<R> {
    r: R,
}

impl<R: BufRead> Reader<R> {
    pub fn new(r: R) -> Reader<R> {
        Reader { r }
    }

    fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.r.read_exact(&mut b)?;
        Ok(b[0])
    }

    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        self.r.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn text(&mut self) -> io::Result<String> {
        let n = self.u32()? as usize;
        let mut b = vec![0u8; n];
        self.r.read_exact(&mut b)?;
        String::from_utf8(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The next row, or `None` at the end.
    pub fn next_row(&mut self) -> io::Result<Option<Row>> {
        let mut tag = FRAME;
        while tag == FRAME {
            if self.r.fill_buf()?.is_empty() {
                return Ok(None);
            }
            tag = self.byte()?;
            if tag == FRAME {
                // The ordinal and length matter only to `patch`.
                self.r.read_exact(&mut [0u8; 8])?;
            }
        }
        match tag {
            GAP => {
                let file = self.text()?;
                let sheet = self.text()?;
                let row = self.u32()?;
                let contract_id = self.text()?;
                let vendor = self.text()?;
                let agency = self.text()?;
                let office = self.text()?;
                let value = match self.byte()? {
                    0 => None,
                    _ => {
                        let mut b = [0u8; 8];
                        self.r.read_exact(&mut b)?;
                        Some(f64::from_le_bytes(b))
                    }
                };
                Ok(Some(Row::Record(RecordRow {
                    file,
                    sheet,
                    row,
                    contract_id,
                    vendor,
                    agency,
                    office,
                    value,
                    status: Status::Gaps,
                    risk: self.text()?,
                    categories: self.text()?,
                    rule_ids: self.text()?,
                    headline: self.text()?,
                })))
            }
            DATA => {
                let file = self.text()?;
                let sheet = self.text()?;
                let row = self.u32()?;
                let contract_id = self.text()?;
                let rule = self.text()?;
                let severity = self.text()?;
                let column = match self.byte()? {
                    0 => None,
                    _ => Some(self.text()?),
                };
                Ok(Some(Row::Data(DataRow {
                    file,
                    sheet,
                    row,
                    contract_id,
                    rule,
                    severity,
                    column,
                    message: self.text()?,
                })))
            }
            b => Err(bad_tag(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, Risk, Severity};

    fn finding(rule: &str, kind: &str, severity: Severity, column: Option<&str>) -> Finding {
        Finding {
            rule: rule.into(),
            kind: kind.into(),
            severity,
            message: format!("{rule} says ü"),
            cite: Default::default(),
            column: column.map(Into::into),
            fix: Default::default(),
            col_index: None,
            page: None,
            line: None,
        }
    }

    #[test]
    fn rows_read_back_as_written_in_order() {
        let gap = RecordResult {
            file: "d/a.xlsx".into(),
            sheet: "Awards".into(),
            row: 7,
            contract_id: "W912".into(),
            modification: None,
            parent_id: None,
            transaction: None,
            status: Status::Gaps,
            risk: Risk::High,
            risk_categories: vec!["solar".into(), "cotton".into()],
            findings: vec![
                finding("DATA002", kind::DATA_ISSUE, Severity::Low, Some("Value")),
                finding("TIP001", "missing_clause", Severity::High, None),
                finding("DATA001", kind::DATA_ISSUE, Severity::Info, None),
            ],
            clause_sources: Vec::new(),
            agency: Some("Army".into()),
            office: None,
            vendor: Some("V".into()),
            value: Some(1.5e6),
        };
        let mut review = gap.clone();
        review.status = Status::Review;
        review.row = 0;
        review.value = Some(f64::NAN);
        let mut buf = Vec::new();
        write(&mut buf, &gap).unwrap();
        write(&mut buf, &review).unwrap();
        let mut rd = Reader::new(&buf[..]);
        let mut rows = Vec::new();
        while let Some(r) = rd.next_row().unwrap() {
            rows.push(r);
        }
        assert_eq!(rows.len(), 5, "one record row, then two data rows each");
        let Row::Record(rec) = &rows[0] else {
            panic!("a record row first")
        };
        assert_eq!(*rec, RecordRow::of(&gap));
        assert_eq!(rec.rule_ids, "DATA002, TIP001, DATA001");
        assert_eq!(rec.headline, "TIP001 says ü");
        let data: Vec<(String, Option<String>, u32)> = rows[1..]
            .iter()
            .map(|r| match r {
                Row::Data(d) => (d.rule.clone(), d.column.clone(), d.row),
                Row::Record(_) => panic!("only data rows after the record"),
            })
            .collect();
        assert_eq!(
            data,
            [
                ("DATA002".to_string(), Some("Value".to_string()), 7),
                ("DATA001".to_string(), None, 7),
                ("DATA002".to_string(), Some("Value".to_string()), 0),
                ("DATA001".to_string(), None, 0),
            ]
        );
    }

    /// Patched framed rows equal the rows of the changed records framed afresh: records
    /// with rows and without, the first and the last changed, one gaining rows.
    #[test]
    fn patched_rows_equal_the_changed_records_framed() {
        let rec = |i: u32, status: Status, findings: Vec<Finding>| RecordResult {
            file: "a.csv".into(),
            sheet: "S".into(),
            row: i + 2,
            contract_id: format!("C{i}"),
            modification: None,
            parent_id: None,
            transaction: None,
            status,
            risk: Risk::None,
            risk_categories: Vec::new(),
            findings,
            clause_sources: Vec::new(),
            agency: None,
            office: None,
            vendor: None,
            value: None,
        };
        let data = || finding("DATA002", kind::DATA_ISSUE, Severity::Low, None);
        let gap = || finding("TIP001", "missing_clause", Severity::High, None);
        let old: Vec<RecordResult> = (0..6)
            .map(|i| match i % 3 {
                0 => rec(i, Status::Gaps, vec![gap(), data()]),
                1 => rec(i, Status::Compliant, vec![]),
                _ => rec(i, Status::Review, vec![data()]),
            })
            .collect();
        let framed = |records: &[RecordResult]| {
            let (mut out, mut buf) = (Vec::new(), Vec::new());
            for (i, r) in records.iter().enumerate() {
                write_framed(&mut out, &mut buf, i, r).unwrap();
            }
            out
        };
        let mut new = old.clone();
        let mut changed = Vec::new();
        for i in [0, 1, 3, 5] {
            new[i]
                .findings
                .push(finding("DATA003", kind::DATA_ISSUE, Severity::Low, None));
            changed.push((i, new[i].clone()));
        }
        let mut patched = Vec::new();
        patch(&mut &framed(&old)[..], &mut patched, &changed).unwrap();
        assert_eq!(patched, framed(&new));
        let mut rows = Reader::new(&patched[..]);
        let mut n = 0;
        while rows.next_row().unwrap().is_some() {
            n += 1;
        }
        assert_eq!(n, 2 * 3 + 4, "framed rows read back");
    }
}

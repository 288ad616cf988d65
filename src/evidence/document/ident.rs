//! A document's own number, type and date: standard-form blocks (SF 1449, SF 33, SF 26,
//! SF 30), labelled lines ("Solicitation Number:", "Contract No.", "RFQ number ... is"),
//! else a number-like token of the file name.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::super::document::IdFrom;
use crate::record::RecordType;

/// What the number labels say.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ident {
    pub id: Option<(String, IdFrom)>,
    pub parent_id: Option<String>,
    pub modification: Option<String>,
    pub record_type: Option<RecordType>,
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Solicitation,
    Contract,
    Order,
    /// SF 30 block 2 (amendment / modification number).
    ModNumber,
    /// SF 30 block 9A (the solicitation amended).
    AmendedSolicitation,
    /// SF 30 block 10A (the contract or order modified).
    ModifiedContract,
}

/// Only the first lines are searched for labels (form blocks and cover text sit there; a
/// "contract number" further in is usually a blank to fill in).
const HEAD_LINES: usize = 400;

static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)solicitation\s*/\s*contract\s*/\s*order\s+for\s+commercial|solicitation,\s*offer,?\s+and\s+award|award\s*/\s*contract|amendment\s+of\s+solicitation\s*/\s*modification\s+of\s+contract|\b(?:standard\s+form|sf)\s*-?\s*(?:1449|33|26|30)\b",
    )
    .expect("form regex")
});

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?P<block>\b\d{1,2}[a-c]?\.\s*)?
        (?:
            (?P<modc>modification\s+of\s+contract\s*/\s*order)
          | (?P<amds>amendment\s+of\s+solicitation)
          | (?P<mod>amendment\s*/\s*modification)
          | (?P<sol>solicitation(?:\s+or\s+contract)?|rfq|rfp|ifb|request\s+for\s+(?:quotations?|proposals?))
          | (?P<ord>(?:task\s+|delivery\s+|purchase\s+)?order)
          | (?P<con>contract)
        )
        [\s.]*(?P<word>number|no\b\.?|\#|nbr\.?)?
        [\s:\#.]*(?:is\s+)?(?:[(\x22'\x{201C}]\s*)?
        (?P<v>[A-Z0-9][A-Z0-9\-]{3,30}[A-Z0-9])\b",
    )
    .expect("label regex")
});

/// The labels of a document's own date: form blocks, and the "Date:" or "Posted Date:" heading
/// of a notice (at the start of a line, so a "date:" inside prose does not count).
const DATE_WHICH: &str = r"(?:solicitation\s+issue\s+date|date\s+issued|issue\s+date|award\s*/\s*effective\s+date|effective\s+date|date\s+signed|date\s+of\s+order|^\s*(?:posted\s+)?date\s*:)";

/// A date as forms and notices print it: 03/15/2012, 2012-03-15, 15 March 2012, March 15,
/// 2012, 12-Apr-2012 (DD-Mon-YYYY) and 2012 AUG 31 (YYYY MON DD, DLA forms), optionally
/// after a weekday ("Friday, August 27, 2010").
const DATE_VALUE: &str = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?P<d>[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}-[A-Za-z]{3}-[0-9]{4}|[0-9]{4}\s+[A-Za-z]{3,9}\.?\s+[0-9]{1,2}\b|[0-9]{1,2}\s+[A-Za-z]{3,9}\.?,?\s+[0-9]{4}|[A-Za-z]{3,9}\.?\s+[0-9]{1,2},?\s+[0-9]{4})";

static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i){DATE_WHICH}[\s:.]*{DATE_VALUE}")).expect("date regex")
});

/// A date label that ends its line: PDF text of a form puts the block's value a few lines
/// further down (SF 1449 block 6 "SOLICITATION ISSUE DATE", then block 7's label, then
/// "12-Apr-2012").
static DATE_LABEL_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i){DATE_WHICH}[\s:.]*$")).expect("date label regex"));

/// A line that is nothing but a date.
static DATE_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^\s*{DATE_VALUE}\s*$")).expect("date line regex"));

/// How many lines after a lone date label its value may sit.
const DATE_VALUE_LINES: usize = 8;

/// How many non-blank lines make a cover: a line that is nothing but a date there, as a title
/// page or a running page header prints the issue date ("...Telecom HS0021-11-P-0059" then
/// "March 3, 2011"), is the document's date when no label gives one.
const COVER_LINES: usize = 25;

/// A line that ends with a date: a running page header as PDF text joins it ("...Telecom
/// HS0021-11-P-0059 March 3, 2011"); it dates the document when the same line heads a later page.
static DATE_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^(?P<before>.*\S)\s+{DATE_VALUE}\s*$")).expect("date-at-end regex")
});

/// A line that labels the value below it as some other date ("Proposals due:").
static OTHER_DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:due|deadline|closing|closes|until|expires?|by|date|time)\b[\s:.]*$")
        .expect("other date label regex")
});

static SOLICITATION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)combined\s+synopsis\s*/\s*solicitation|request\s+for\s+(?:quotations?|proposals?)|invitation\s+for\s+bids?|\bRF[QP]\b|solicitation,\s*offer,?\s+and\s+award",
    )
    .expect("solicitation regex")
});

/// A plausible contract, order or solicitation number: at least six letters and digits,
/// at least two digits, not a date, a phone number or a plain year.
pub fn plausible_id(v: &str) -> bool {
    let alnum = v.chars().filter(char::is_ascii_alphanumeric).count();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if alnum < 6 || digits < 2 || v.starts_with('-') || v.ends_with('-') || v.contains("--") {
        return false;
    }
    let all_digits = v.chars().all(|c| c.is_ascii_digit() || c == '-');
    // 703-555-1212, 2014-05-01, 20140501: not ids.
    let groups: Vec<&str> = v.split('-').collect();
    let phone = all_digits && groups.len() == 3 && groups[0].len() == 3 && groups[1].len() == 3;
    let dashed_date = all_digits && groups.len() == 3 && groups[0].len() == 4;
    // A clause number (52.212-1 reads as 212-1 here) or a page reference is not an id.
    let clause_like = all_digits && groups.len() == 2 && groups[0].len() <= 3;
    !(phone || dashed_date || clause_like)
}

fn label_of(c: &regex::Captures<'_>) -> Option<Label> {
    Some(if c.name("modc").is_some() {
        Label::ModifiedContract
    } else if c.name("amds").is_some() {
        Label::AmendedSolicitation
    } else if c.name("mod").is_some() {
        Label::ModNumber
    } else if c.name("sol").is_some() {
        Label::Solicitation
    } else if c.name("ord").is_some() {
        Label::Order
    } else if c.name("con").is_some() {
        Label::Contract
    } else {
        return None;
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.replace([',', '.'], "");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in [
        "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y",
        "%d-%b-%Y", "%Y %b %d", "%Y %B %d",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, f) {
            return Some(d);
        }
    }
    None
}

/// The date a label gives: on the label's line, or a few lines below a label that ends its line.
#[derive(Default)]
struct LabelledDate {
    date: Option<NaiveDate>,
    /// Lines left in which a lone date label's value may still come.
    pending: usize,
    /// A date label ended its line: when its value is not found, no bare line dates the
    /// document either.
    label_seen: bool,
}

impl LabelledDate {
    fn see(&mut self, line: &str) {
        if self.date.is_some() {
            return;
        }
        if let Some(c) = DATE_LABEL.captures(line) {
            self.date = c.name("d").and_then(|d| parse_date(d.as_str()));
        } else if DATE_LABEL_ALONE.is_match(line) {
            self.pending = DATE_VALUE_LINES;
            self.label_seen = true;
        } else if self.pending > 0 {
            self.pending -= 1;
            if let Some(c) = DATE_ALONE.captures(line) {
                self.date = c.name("d").and_then(|d| parse_date(d.as_str()));
            } else if line.to_ascii_lowercase().contains("date") {
                // Another block's date label: the lone label's block was left blank.
                self.pending = 0;
            }
        }
    }
}

/// The date a document prints without a label: a cover line that is nothing but a date, or a
/// cover line ending with a date that heads a later page again (a running header).
#[derive(Default)]
struct CoverDate<'a> {
    alone: Option<NaiveDate>,
    header: Option<NaiveDate>,
    lines_seen: usize,
    previous: &'a str,
    /// Cover lines ending with a date, waiting to be seen again.
    header_lines: Vec<(&'a str, NaiveDate)>,
}

impl<'a> CoverDate<'a> {
    fn see(&mut self, line: &'a str) {
        if line.trim().is_empty() {
            return;
        }
        if let Some(h) = self.header_lines.iter().find(|h| h.0 == line) {
            self.header = self.header.or(Some(h.1));
        } else if self.lines_seen < COVER_LINES {
            self.lines_seen += 1;
            if self.alone.is_none() && !OTHER_DATE_LABEL.is_match(self.previous) {
                self.alone = DATE_ALONE.captures(line).and_then(|c| parse_date(&c["d"]));
            }
            if let Some(c) = DATE_AT_END.captures(line)
                && !OTHER_DATE_LABEL.is_match(&c["before"])
                && let Some(d) = parse_date(&c["d"])
            {
                self.header_lines.push((line, d));
            }
        }
        self.previous = line;
    }

    fn date(&self) -> Option<NaiveDate> {
        self.alone.or(self.header)
    }
}

/// The number-like values this line labels as a contract, order, solicitation or modification
/// number, in order: (label, value, whether a form block numbered it).
fn push_labels(line: &str, found: &mut Vec<(Label, String, bool)>) {
    for c in LABEL.captures_iter(line) {
        let (Some(label), Some(v)) = (label_of(&c), c.name("v")) else {
            continue;
        };
        let v = v.as_str();
        // "for contract HS-0021-11-F-0017" in prose names some contract; only a
        // labelled "Contract No." / "Order Number" names this document's.
        if matches!(label, Label::Contract | Label::Order) && c.name("word").is_none() {
            continue;
        }
        // "Contract No. 3. Award/Effective date": a label followed by the next block.
        if !plausible_id(v)
            || !v.bytes().any(|b| b.is_ascii_uppercase() || b == b'-') && v.len() < 7
        {
            continue;
        }
        found.push((label, v.to_string(), c.name("block").is_some()));
    }
}

/// Read the number, type and date from the document's lines and, failing a number there,
/// from the file name (`file_stem`).
pub fn identify<'a>(lines: impl Iterator<Item = &'a str>, file_stem: &str) -> Ident {
    let mut form = false;
    let mut found: Vec<(Label, String, bool)> = Vec::new();
    let mut solicitation_words = false;
    let mut labelled = LabelledDate::default();
    let mut cover = CoverDate::default();
    for line in lines.take(HEAD_LINES) {
        cover.see(line);
        form |= FORM.is_match(line);
        solicitation_words |= SOLICITATION_WORDS.is_match(line);
        push_labels(line, &mut found);
        labelled.see(line);
    }
    let first = |l: Label| found.iter().find(|f| f.0 == l);
    let how = |f: &(Label, String, bool)| {
        if form && f.2 {
            IdFrom::FormBlock
        } else {
            IdFrom::Label
        }
    };
    // A form's bare dates are other blocks' values; only a labelled block dates it.
    let mut ident = Ident {
        date: labelled
            .date
            .or(cover.date().filter(|_| !form && !labelled.label_seen)),
        ..Ident::default()
    };
    let sol = first(Label::Solicitation);
    let mut con = first(Label::Contract);
    // A solicitation that names a contract number after its own ("Example: Invoice No. 1 of
    // Contract No. DTFH6114C00001") is still the solicitation; an award form names the
    // contract first.
    let pos = |f: &(Label, String, bool)| found.iter().position(|g| std::ptr::eq(g, f));
    if let (Some(s), Some(c)) = (sol, con)
        && pos(s) < pos(c)
    {
        con = None;
    }
    let ord = first(Label::Order);
    let modn = first(Label::ModNumber);
    let modified = first(Label::ModifiedContract).or(first(Label::AmendedSolicitation));
    if let (Some(m), Some(base)) = (modn, modified) {
        ident.id = Some((base.1.clone(), how(base)));
        ident.parent_id = Some(base.1.clone());
        ident.modification = Some(m.1.clone());
        ident.record_type = Some(if base.0 == Label::AmendedSolicitation {
            RecordType::Solicitation
        } else {
            RecordType::Modification
        });
    } else if let (Some(o), Some(c)) = (ord, con) {
        ident.id = Some((o.1.clone(), how(o)));
        ident.parent_id = Some(c.1.clone());
        ident.record_type = Some(RecordType::Order);
    } else if let Some(c) = con {
        ident.id = Some((c.1.clone(), how(c)));
        ident.record_type = Some(RecordType::Contract);
    } else if let Some(s) = sol {
        ident.id = Some((s.1.clone(), how(s)));
        ident.record_type = Some(RecordType::Solicitation);
    } else if let Some(o) = ord {
        ident.id = Some((o.1.clone(), how(o)));
        ident.record_type = Some(RecordType::Order);
    }
    if ident.id.is_none() {
        ident.id = file_name_id(file_stem).map(|v| (v, IdFrom::FileName));
    }
    if ident.record_type.is_none() && solicitation_words {
        ident.record_type = Some(RecordType::Solicitation);
    }
    ident
}

/// The first number-like token of a file name (`RED_HS0021-11-P-0017` -> `HS0021-11-P-0017`,
/// `FA301625Q0050_JBSA_RFQ` -> `FA301625Q0050`).
pub fn file_name_id(stem: &str) -> Option<String> {
    stem.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map(|t| t.trim_matches('-'))
        .find(|t| plausible_id(t))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Ident {
        identify(text.lines(), "x")
    }

    #[test]
    fn labelled_numbers() {
        let i = id("Solicitation Number:         F3BTS23210AC01");
        assert_eq!(i.id, Some(("F3BTS23210AC01".into(), IdFrom::Label)));
        assert_eq!(i.record_type, Some(RecordType::Solicitation));
        let i = id(
            "The solicitation number is FA301625Q0050 and is issued as a Request for Quotation (RFQ).",
        );
        assert_eq!(i.id.unwrap().0, "FA301625Q0050");
        let i = id("RFQ# DOC52PAPT1200013 BROADBAND INTERNET SERVICES");
        assert_eq!(i.id.unwrap().0, "DOC52PAPT1200013");
        let i = id("SOLICITATION OR CONTRACT NUMBER:  RRB13Q013");
        assert_eq!(i.id.unwrap().0, "RRB13Q013");
        let i = identify(
            "the Representative for contract HS-0021-11-F-0017".lines(),
            "RED_HS0021-11-P-0017",
        );
        assert_eq!(i.id, Some(("HS0021-11-P-0017".into(), IdFrom::FileName)));
        // Blank form blocks followed by the next block's label are not values.
        let i = id(
            "2. CONTRACT NO. 3. AWARD/EFFECTIVE DATE 4. ORDER NUMBER\n1. REQUISITION NUMBER 0053912421 5. SOLICITATION NUMBER SP4705-14-R-0026",
        );
        assert_eq!(i.id, Some(("SP4705-14-R-0026".into(), IdFrom::Label)));
    }

    #[test]
    fn form_blocks_orders_and_modifications() {
        let i = id(
            "SOLICITATION/CONTRACT/ORDER FOR COMMERCIAL ITEMS\n2. CONTRACT NO. GS-07F-0123X 3. AWARD/EFFECTIVE DATE 03/15/2012 4. ORDER NUMBER HSHQDC-12-F-00042",
        );
        assert_eq!(i.id, Some(("HSHQDC-12-F-00042".into(), IdFrom::FormBlock)));
        assert_eq!(i.parent_id.as_deref(), Some("GS-07F-0123X"));
        assert_eq!(i.record_type, Some(RecordType::Order));
        assert_eq!(i.date, NaiveDate::from_ymd_opt(2012, 3, 15));
        let i = id(
            "AMENDMENT OF SOLICITATION/MODIFICATION OF CONTRACT\n2. AMENDMENT/MODIFICATION NO. P00003 3. EFFECTIVE DATE 2024-02-01\n10A. MODIFICATION OF CONTRACT/ORDER NO. W912DY-24-C-0007",
        );
        assert_eq!(i.id, Some(("W912DY-24-C-0007".into(), IdFrom::FormBlock)));
        assert_eq!(i.modification.as_deref(), Some("P00003"));
        assert_eq!(i.record_type, Some(RecordType::Modification));
    }

    #[test]
    fn dates_as_forms_and_notices_print_them() {
        let on = |text: &str| id(text).date;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        // SF 1449 as PDF text: block 6's value comes after block 7's label.
        let split = "5. SOLICITATION NUMBER\n\n6. SOLICITATION ISSUE DATE\n\nFA8224-12-T-0030\n7. FOR SOLICITATION INFORMATION CALL: a. NAME\n\n12-Apr-2012\n8. OFFER DUE DATE/LOCAL TIME";
        assert_eq!(on(split), d(2012, 4, 12));
        assert_eq!(
            on("6. SOLICITATION ISSUE DATE\n\n07/11/2011\n"),
            d(2011, 7, 11)
        );
        assert_eq!(
            on("6. SOLICITATION ISSUE DATE 2012 AUG 31 8. OFFER DUE DATE/ LOCAL TIME 2012 SEP 14"),
            d(2012, 8, 31)
        );
        assert_eq!(
            on("Date: Friday, August 27, 2010 Contracting Office Address:"),
            d(2010, 8, 27)
        );
        assert_eq!(on("Date:\tAugust 1, 2011"), d(2011, 8, 1));
        assert_eq!(
            on("Posted Date:                 23 August 2013"),
            d(2013, 8, 23)
        );
        // A blank block is not filled from the next block's value.
        assert_eq!(
            on("6. SOLICITATION ISSUE DATE\n\n8. OFFER DUE DATE/LOCAL TIME\n\n26 Apr 2012\n"),
            None
        );
        // A due date, a date in prose, a blank signature line and a date far below are not the document's.
        assert_eq!(
            on("Quotes are due by December 10, 2010 at 10:00 a.m."),
            None
        );
        assert_eq!(on("the update date: March 3, 2011 applies"), None);
        assert_eq!(on("Date: ____________"), None);
        let far = format!(
            "6. SOLICITATION ISSUE DATE\n{}07/11/2011\n",
            "text\n".repeat(10)
        );
        assert_eq!(on(&far), None);
        // A cover or running header that prints the date alone on a line dates the document;
        // a bare date under a due-date label, far down, or on a form does not.
        assert_eq!(
            on("DSS RFQ Hanover MD Telecom HS0021-11-P-0059\nMarch 3, 2011\n\nThe DSS requires"),
            d(2011, 3, 3)
        );
        assert_eq!(
            on("Request for Proposals\n\n\n\nOctober 25, 2012\n\nStatement of Work"),
            d(2012, 10, 25)
        );
        assert_eq!(on("RFQ 123456\nProposals are due:\nMarch 3, 2011\n"), None);
        assert_eq!(
            on(&format!(
                "RFQ 123456\n{}March 3, 2011\n",
                "text\n".repeat(30)
            )),
            None
        );
        assert_eq!(
            on(
                "STANDARD FORM 1449\nSOLICITATION/CONTRACT/ORDER FOR COMMERCIAL ITEMS\n26 Apr 2012\n"
            ),
            None
        );
        // A title line ending with a date that heads a later page again is a running header.
        let header = "DSS RFQ Hanover MD Telecom HS0021-11-P-0059 March 3, 2011";
        assert_eq!(
            on(&format!(
                "{header}\n\nThe DSS requires\n1\n{header}\nSchedule"
            )),
            d(2011, 3, 3)
        );
        assert_eq!(on(&format!("{header}\n\nThe DSS requires\n")), None);
        assert_eq!(
            on("Offers are due March 3, 2011\nbody\nOffers are due March 3, 2011\n"),
            None
        );
        // A labelled date wins over a bare cover date.
        assert_eq!(
            on("RFQ 123456\nMarch 3, 2011\nIssue Date: 04/01/2011\n"),
            d(2011, 4, 1)
        );
    }

    #[test]
    fn file_name_fallback() {
        let i = identify("no number here".lines(), "GREEN_14-233-SOL-00490");
        assert_eq!(i.id, Some(("14-233-SOL-00490".into(), IdFrom::FileName)));
        assert_eq!(
            file_name_id("FA301625Q0050_JBSA_bleacher_seating_RFQ").as_deref(),
            Some("FA301625Q0050")
        );
        assert_eq!(file_name_id("scanned_no_text_layer"), None);
        assert_eq!(file_name_id("notes 2024-05-01"), None);
        assert!(!plausible_id("703-555-1212") && !plausible_id("212-1") && plausible_id("1732702"));
    }
}

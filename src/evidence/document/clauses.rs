//! Clause references of a whole document with the page or line each is on, whether the
//! 52.212-5 check-list shows its boxes, and whether a clause list is cut off.

use std::sync::LazyLock;

use regex::Regex;

use super::super::Loc;
use super::super::document::DocClause;
use crate::parse::clauseref::{ClauseParser, Mark};

/// What the clause scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub clauses: Vec<DocClause>,
    pub boxes_known: bool,
    /// Where a list is cut off mid-entry, if one is.
    pub truncated_at: Option<Loc>,
}

/// References after a 52.212-5 reference among which its check-list marks must start:
/// paragraph (a) holds fewer than ten, so (b) begins within these. Counting only these keeps
/// a 52.212-5 cited by reference from borrowing the boxes of a later check-list (52.204-8).
const CHECKLIST_REACH: usize = 25;
/// Marked references a check-list must show for its boxes to count as seen.
const MIN_MARKS: usize = 3;
/// Dated entries before an undated last one that make a run a dated list.
const DATED_RUN: usize = 3;

/// Check-box glyphs that are boxes wherever they appear: `☒ ☑` (and the Wingdings code
/// points PDF text layers keep for them) checked, `☐` not checked; rewritten as the typed
/// marks the clause parser reads.
pub fn normalise_marks(s: &str) -> std::borrow::Cow<'_, str> {
    const BOXES: [char; 8] = [
        '☒', '☑', '☐', '\u{F0FE}', '\u{F0FD}', '\u{F078}', '\u{F0A8}', '\u{2327}',
    ];
    if !s.contains(BOXES) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '☒' | '☑' | '\u{F0FE}' | '\u{F0FD}' | '\u{F078}' | '\u{2327}' => {
                out.push_str("[X]")
            }
            '☐' | '\u{F0A8}' => out.push_str("[ ]"),
            c => out.push(c),
        }
    }
    out.into()
}

/// A number cut off after a dated entry: `... May 2001 52.` then a blank line or the end.
static CUT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:19|20)[0-9]{2}\)?|\))[ \t]+(?:2?52|[0-9]{1,2}52)\.(?:[0-9]{1,3}-?)?[ \t]*(?:\n[ \t]*\n|\n?[ \t]*\z)")
        .expect("cut regex")
});

/// Words a clause title never ends with: an entry that stops on one was cut.
const OPEN_ENDS: &[&str] = &[
    "of", "from", "the", "and", "for", "on", "to", "in", "with", "or", "a", "an", "by", "at",
    "under", "-", ",",
];

pub fn scan(units: &[String], loc: fn(u32) -> Loc, parser: &ClauseParser) -> Scan {
    let mut text = String::with_capacity(units.iter().map(|u| u.len() + 1).sum());
    let mut starts = Vec::with_capacity(units.len());
    for u in units {
        starts.push(text.len());
        text.push_str(&normalise_marks(u));
        text.push('\n');
    }
    let unit_of = |pos: usize| (starts.partition_point(|&s| s <= pos).max(1) - 1) as u32 + 1;
    let mut found = parser.extract_spans(&text);
    drop_unmarked_alternates(&text, &mut found);

    let boxes_known = found.iter().enumerate().any(|(i, (c, _))| {
        c.number == "52.212-5"
            && found[i + 1..]
                .iter()
                .take(CHECKLIST_REACH)
                .filter(|(c2, _)| c2.mark != Mark::None)
                .count()
                >= MIN_MARKS
    });

    let mut truncated_at = CUT_NUMBER.find(&text).map(|m| loc(unit_of(m.start() + 1)));
    if truncated_at.is_none() {
        truncated_at = cut_entry(&text, &found).map(|p| loc(unit_of(p)));
    }

    Scan {
        clauses: found
            .into_iter()
            .map(|(cite, r)| DocClause {
                cite,
                loc: loc(unit_of(r.start)),
            })
            .collect(),
        boxes_known,
        truncated_at,
    }
}

/// The end of a clause's text: the FAR closes every clause with "(End of clause)".
static END_OF_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\(\s*end\s+of\s+clause\s*\)").expect("end regex"));

type Spans = Vec<(crate::parse::clauseref::ClauseCite, std::ops::Range<usize>)>;

/// Inside the text of a 52.212-5 an alternate is a selection only when its box is checked:
/// the FAR prints "Alternate I (date) of 52.222-50" with a box the contracting officer
/// checks (paragraph (a) or (b)), and the flow-down list of paragraph (e) repeats it as the
/// clause's own text. A text layer that lost the box leaves the choice unknown, so such an
/// alternate is dropped rather than read as cited: every alternate without a mark where the
/// check-list shows its boxes, and the check-list's "Alternate I ... of NUMBER" wording
/// without a mark where it does not.
fn drop_unmarked_alternates(text: &str, found: &mut Spans) {
    // (text range, the check-list shows its boxes)
    let mut bodies: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    for (i, (c, r)) in found.iter().enumerate() {
        if c.number != "52.212-5" || bodies.last().is_some_and(|b| b.0.end > r.start) {
            continue;
        }
        let end = END_OF_CLAUSE
            .find(&text[r.end..])
            .map_or(text.len(), |m| r.end + m.start());
        let marked = found[i + 1..]
            .iter()
            .take_while(|(_, r2)| r2.start < end)
            .filter(|(c2, _)| c2.mark != Mark::None)
            .count();
        bodies.push((r.end..end, marked >= MIN_MARKS));
    }
    if bodies.is_empty() {
        return;
    }
    found.retain(|(c, r)| {
        if c.alternate == 0 || c.mark != Mark::None {
            return true;
        }
        let span = text[r.clone()].to_ascii_lowercase();
        let of_form = span.starts_with("alternate") && span.contains(" of ");
        !bodies
            .iter()
            .any(|(b, boxes)| b.contains(&r.start) && (*boxes || of_form))
    });
}

/// The start of an undated entry that ends a run of dated ones with a title left open
/// ("252.225-7007 Prohibition on Acquisition of Certain Items from" then a heading).
fn cut_entry(
    text: &str,
    found: &[(crate::parse::clauseref::ClauseCite, std::ops::Range<usize>)],
) -> Option<usize> {
    for (i, (c, r)) in found.iter().enumerate() {
        if c.date.is_some() || i < DATED_RUN {
            continue;
        }
        let run = &found[i - DATED_RUN..i];
        // A list: dated entries close together (each within a few hundred bytes).
        let close = run
            .windows(2)
            .chain(std::iter::once(&found[i - 1..=i]))
            .all(|w| w[1].1.start.saturating_sub(w[0].1.end) < 400);
        if !close || run.iter().any(|(c, _)| c.date.is_none()) {
            continue;
        }
        let rest = &text[r.end..];
        let stop = [rest.find("\n\n"), rest.find("\n#"), rest.find("\n \n")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        if found
            .get(i + 1)
            .is_some_and(|(_, n)| n.start < r.end + stop)
        {
            continue;
        }
        let tail = rest[..stop].trim_end();
        let last = tail
            .rsplit(|ch: char| ch.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let open = OPEN_ENDS.contains(&last.as_str()) || tail.ends_with(['-', ',']);
        if open && !tail.is_empty() {
            return Some(r.start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> ClauseParser {
        ClauseParser::new(&[(
            "Combating Trafficking in Persons".to_string(),
            "52.222-50".to_string(),
        )])
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn references_carry_their_line() {
        let s = scan(
            &lines(
                "Section I\n\n52.212-4 Contract Terms (JAN 2017)\n52.222-50 Combating Trafficking in Persons (MAR 2015)",
            ),
            Loc::Line,
            &parser(),
        );
        let got: Vec<_> = s
            .clauses
            .iter()
            .map(|c| (c.cite.number.as_str(), c.loc))
            .collect();
        assert_eq!(
            got,
            [("52.212-4", Loc::Line(3)), ("52.222-50", Loc::Line(4))]
        );
        assert!(!s.boxes_known && s.truncated_at.is_none());
    }

    #[test]
    fn the_checklist_shows_its_boxes_in_any_glyph() {
        let text = "52.212-5 Contract Terms and Conditions Required To Implement Statutes (MAR 2026)\n(b)\n☒ (1) 52.203-6, Restrictions (JUN 2020)\n☐ (2) 52.204-10, Reporting (JUN 2020)\n[ X ] (39)(i) 52.222-50, Combating Trafficking in Persons (NOV 2021)\n___ (ii) Alternate I (MAR 2015) of 52.222-50";
        let s = scan(&lines(text), Loc::Line, &parser());
        assert!(s.boxes_known);
        let marks: Vec<_> = s
            .clauses
            .iter()
            .map(|c| (c.cite.number.as_str(), c.cite.alternate, c.cite.mark))
            .collect();
        assert_eq!(
            marks,
            [
                ("52.212-5", 0, Mark::None),
                ("52.203-6", 0, Mark::Checked),
                ("52.204-10", 0, Mark::Unchecked),
                ("52.222-50", 0, Mark::Checked),
                ("52.222-50", 1, Mark::Unchecked),
            ]
        );
        // A 52.212-5 cited by reference in a list, and another check-list further on
        // (52.204-8's): its boxes are not 52.212-5's.
        let mut ibr = String::from("52.212-5 Contract Terms and Conditions (MAR 2026)\n");
        for i in 0..30 {
            ibr.push_str(&format!(
                "52.2{:02}-{} Some Clause (JAN 2020)\n",
                3 + i % 20,
                i + 1
            ));
        }
        ibr.push_str("52.204-8 Annual Representations\n[X] (i) 52.204-17\n[ ] (ii) 52.204-20\n[X] (iii) 52.222-48\n");
        assert!(!scan(&lines(&ibr), Loc::Line, &parser()).boxes_known);
        // The same list without marks: the boxes are not known.
        let bare = text
            .replace("☒", "")
            .replace("☐", "")
            .replace("[ X ]", "")
            .replace("___", "");
        assert!(!scan(&lines(&bare), Loc::Line, &parser()).boxes_known);
    }

    #[test]
    fn an_alternate_without_its_box_in_a_checklist_is_not_cited() {
        // 52.212-5 (SEP 2009) as a text layer prints it: the box before (a)'s Alternate I
        // lost, (b) with its boxes, the (e) flow-down repeating the alternate.
        let text = "52.212-5 Contract Terms and Conditions Required to Implement Statutes (SEP 2009) (a) (1) 52.222-50, Combating Trafficking in Persons (FEB 2009) (22 U.S.C. 7104(g)). Alternate I (Aug 2007) of 52.222-50 (22 U.S.C. 7104(g)). (b) x ___ (1) 52.203-6, Restrictions (SEP 2006), with Alternate I (OCT 1995). x ___ (2) 52.203-13, Ethics (DEC 2008). ___ (3) 52.203-15, Whistleblower (MAR 2009). (e)(1) (ix) 52.222-50, Combating Trafficking in Persons (FEB 2009). Alternate I (AUG 2007) of 52.222-50. (End of clause)\nSection I\n52.222-50 Combating Trafficking in Persons (FEB 2009), Alternate I (AUG 2007)";
        let cites = |s: &Scan| -> Vec<(String, u8, Mark)> {
            s.clauses
                .iter()
                .map(|c| (c.cite.number.clone(), c.cite.alternate, c.cite.mark))
                .collect()
        };
        let got = cites(&scan(&lines(text), Loc::Line, &parser()));
        let alts: Vec<_> = got.iter().filter(|c| c.1 > 0).collect();
        // 52.203-6's alternate shares its checked box; the one after "(End of clause)" is a
        // citation of its own; the two inside the 52.212-5 text without a box are dropped.
        assert_eq!(
            alts,
            [
                &("52.203-6".to_string(), 1, Mark::Checked),
                &("52.222-50".to_string(), 1, Mark::None)
            ],
            "{got:?}"
        );
        // A checked or an unchecked box is read as printed.
        let checked = text.replacen(". Alternate I (Aug", ". _X__ Alternate I (Aug", 1);
        let got = cites(&scan(&lines(&checked), Loc::Line, &parser()));
        assert!(
            got.contains(&("52.222-50".to_string(), 1, Mark::Checked)),
            "{got:?}"
        );
        // Without boxes in the check-list, the check-list's "Alternate I ... of 52.222-50"
        // wording is still not a selection; an alternate written after its clause is kept.
        let bare = text.replace("x ___", "").replace("___", "");
        let got = cites(&scan(&lines(&bare), Loc::Line, &parser()));
        let alts: Vec<_> = got
            .iter()
            .filter(|c| c.1 > 0)
            .map(|c| c.0.as_str())
            .collect();
        assert_eq!(alts, ["52.203-6", "52.222-50"], "{got:?}");
        // Outside a 52.212-5 the same wording is a citation.
        let alone = "Section I\n52.222-50 Combating Trafficking in Persons (FEB 2009)\nAlternate I (AUG 2007) of 52.222-50";
        let got = cites(&scan(&lines(alone), Loc::Line, &parser()));
        assert!(
            got.contains(&("52.222-50".to_string(), 1, Mark::None)),
            "{got:?}"
        );
    }

    #[test]
    fn a_list_cut_mid_entry_is_truncated() {
        let list = "52.204-13 System for Award Management Maintenance. Oct 2018 52.204-18 Commercial and Government Entity Code Maintenance. Aug 2020 52.223-6 Drug-Free Workplace. May 2001";
        let cut = format!("{list} 52.");
        let s = scan(&lines(&cut), Loc::Line, &parser());
        assert_eq!(s.truncated_at, Some(Loc::Line(1)));
        let cut =
            format!("FAR\n{list} 52.\n\n### DFARS Clauses\n252.204-7012 Safeguarding (MAY 2024)");
        assert_eq!(
            scan(&lines(&cut), Loc::Line, &parser()).truncated_at,
            Some(Loc::Line(2))
        );
        let dfars = "252.203-7000 Requirements Relating to Compensation of Former DoD Officials. Sep 2011 252.203-7001 Prohibition on Persons Convicted of Fraud. Jan 2023 252.223-7008 Prohibition of Hexavalent Chromium. Jan 2023 252.225-7007 Prohibition on Acquisition of Certain Items from \n\n### FAR Clauses Incorporated by Full Text";
        assert_eq!(
            scan(&lines(dfars), Loc::Line, &parser()).truncated_at,
            Some(Loc::Line(1))
        );
        // A complete list, and an undated entry that is complete, are not.
        assert_eq!(scan(&lines(list), Loc::Line, &parser()).truncated_at, None);
        let whole = format!("{list} 52.252-2 Clauses Incorporated by Reference\n\nEnd");
        assert_eq!(
            scan(&lines(&whole), Loc::Line, &parser()).truncated_at,
            None
        );
    }
}

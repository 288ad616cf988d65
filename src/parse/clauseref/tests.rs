//! The clause grammar's cases, hostile inputs, and the real solicitation corpus.

use super::numbers::canonical_shape;
use super::*;

impl ClauseParser {
    /// `extract` without the title flag, so the tables below compare numbers, dates
    /// and marks only (the flag has its own test).
    fn extract_plain(&self, text: &str) -> Vec<ClauseCite> {
        let mut v = self.extract(text);
        for c in &mut v {
            c.trafficking_title = false;
        }
        v
    }
}

#[test]
fn trafficking_title_after_the_number() {
    let p = parser();
    let cases = [
        (
            "252.222-7006 Combating Trafficking in Persons (JAN 2006)",
            true,
        ),
        (
            "252.222-7006 Restrictions on the Use of Mandatory Arbitration Agreements",
            false,
        ),
        (
            "252.222-7006; 52.222-50 Combating Trafficking in Persons",
            false,
        ),
    ];
    for (t, want) in cases {
        let c = p.extract(t);
        assert_eq!(c[0].number, "252.222-7006", "{t}");
        assert_eq!(c[0].trafficking_title, want, "{t}");
    }
}

fn parser() -> ClauseParser {
    ClauseParser::new(&[
        ("Combating Trafficking in Persons".to_string(), "52.222-50".to_string()),
        (
            "Prohibition on Contracting for Certain Telecommunications and Video Surveillance Services or Equipment"
                .to_string(),
            "52.204-25".to_string(),
        ),
        ("Child Labor--Cooperation with Authorities and Remedies".to_string(), "52.222-19".to_string()),
    ])
}

fn d(year: i32, month: u32) -> Option<ClauseDate> {
    Some(ClauseDate { year, month })
}

fn cite(number: &str, alternate: u8, date: Option<ClauseDate>) -> ClauseCite {
    ClauseCite {
        number: number.to_string(),
        alternate,
        date,
        deviation: false,
        malformed: None,
        col: 0,
        mark: Mark::None,
        trafficking_title: false,
    }
}

fn bad(mut c: ClauseCite, written: &str) -> ClauseCite {
    c.malformed = Some(written.to_string());
    c
}

fn marked(mut c: ClauseCite, mark: Mark) -> ClauseCite {
    c.mark = mark;
    c
}

fn one(text: &str) -> ClauseCite {
    let got = parser().extract_plain(text);
    assert_eq!(got.len(), 1, "{text:?} -> {got:#?}");
    got.into_iter().next().unwrap()
}

fn numbers(text: &str) -> Vec<String> {
    parser()
        .extract_plain(text)
        .into_iter()
        .map(|c| c.number)
        .collect()
}

#[test]
fn bracketed_underscore_marks() {
    let got = parser().extract("[_X_] (29) 52.222-26, Equal Opportunity (Mar 2007)\n[___] (30) 52.222-35, Equal Opportunity (Sep 2010)\nx ___ (19) 52.222-3, Convict Labor (JUNE 2003)\n ___ (24) 52.222-36 (JUN 1998)\n(x) ___ 52.222-37");
    let marks: Vec<_> = got.iter().map(|c| c.mark).collect();
    assert_eq!(
        marks,
        [
            Mark::Checked,
            Mark::Unchecked,
            Mark::Checked,
            Mark::Unchecked,
            Mark::Unchecked
        ]
    );
}

#[test]
fn an_alternate_with_its_clause_shares_the_box() {
    let got = parser().extract(
        "___ (1) 52.203-6, Restrictions on Subcontractor Sales to the Government (Sept 2006), with Alternate I (Oct 1995) (41 U.S.C. 253g). _X_ (2) 52.203-13",
    );
    let marks: Vec<_> = got.iter().map(|c| (c.alternate, c.mark)).collect();
    assert_eq!(
        marks,
        [
            (0, Mark::Unchecked),
            (1, Mark::Unchecked),
            (0, Mark::Checked)
        ]
    );
}

#[test]
fn a_parenthesised_date_may_wrap_across_lines() {
    let text = "[_X_] (30) 52.222-35, Equal Opportunity for Special Disabled Veterans (Sep\n2010)(38 U.S.C. 4212).";
    assert_eq!(one(text).date, d(2010, 9));
    assert_eq!(one("52.222-35 (Sep\n\n2010)").date, d(2010, 9));
}

fn no_tip(text: &str) {
    let got = parser().extract_plain(text);
    assert!(
        got.iter().all(|c| c.number != "52.222-50"),
        "{text:?} -> {got:#?}"
    );
}

#[test]
fn plain_numbers_and_prefixes() {
    for t in [
        "52.222-50",
        "FAR 52.222-50",
        "FAR Clause 52.222-50",
        "Clause 52.222-50",
        "§ 52.222-50",
        "§52.222-50",
        "...........52.222-50",
        "Persons ....... 52.222-50",
        "far 52.222-50",
    ] {
        assert_eq!(one(t), cite("52.222-50", 0, None), "{t}");
    }
    assert_eq!(one("52.212-5"), cite("52.212-5", 0, None));
    assert_eq!(one("52.204-25"), cite("52.204-25", 0, None));
    assert_eq!(one("DFARS 252.225-7060"), cite("252.225-7060", 0, None));
    assert_eq!(one("252.222-7007"), cite("252.222-7007", 0, None));
    assert_eq!(one("GSAR 552.238-72"), cite("552.238-72", 0, None));
    assert_eq!(one("1352.209-73"), cite("1352.209-73", 0, None));
    assert_eq!(one("52.222-500"), cite("52.222-500", 0, None));
}

#[test]
fn unicode_dashes_are_silent() {
    for t in ["52.222–50", "52.222—50", "52.222‑50", "52.222−50"] {
        assert_eq!(one(t), cite("52.222-50", 0, None), "{t}");
    }
}

#[test]
fn typos_are_normalised_and_reported() {
    for (t, w) in [
        ("52.222.50", "52.222.50"),
        ("52.22-50", "52.22-50"),
        ("52.22250", "52.22250"),
        ("FAR52.222-50", "FAR52.222-50"),
        ("FAR 52.22250, Combating", "52.22250"),
        ("52. 222-50", "52. 222-50"),
        ("52.222 -50", "52.222 -50"),
        ("52.222- 50", "52.222- 50"),
        ("52.222 – 50", "52.222 – 50"),
        (
            "Clause 52.222.50, Combating Trafficking in Persons; Clause",
            "52.222.50",
        ),
    ] {
        assert_eq!(one(t), bad(cite("52.222-50", 0, None), w), "{t}");
    }
    assert_eq!(
        one("(2) 52.2333, Protest After Award"),
        bad(cite("52.233-3", 0, None), "52.2333")
    );
    assert_eq!(
        one("(x) 52.22251, Exemption from Application"),
        bad(cite("52.222-51", 0, None), "52.22251")
    );
    // The two-digit repair is only for FAR Part 52 and only when the result is in range.
    assert!(parser().extract_plain("552.38-72").is_empty());
    assert!(parser().extract_plain("52.26-5").is_empty());
    assert_eq!(
        one("DFARS 252.225.7060"),
        bad(cite("252.225-7060", 0, None), "252.225.7060")
    );
}

#[test]
fn traps() {
    for t in [
        "drug trafficking",
        "The contractor shall report drug trafficking on site.",
        "Antiterrorism Level I, Combating Trafficking in Persons",
        "Training: Antiterrorism Level I, Combating Trafficking in Persons, OPSEC",
        "52.222-500",
        "252.222-50",
        "152.222-50",
        "352.222-501",
        "1052.222-50",
        "$52.22",
        "52.22%",
        "$52.22-50",
        "52.2024",
        "dated 52.2024",
        "(210) 652-2250",
        "210.522.2250",
        "555.52.222.50",
        "FAR 22.1705",
        "FAR 22.1705(a)(1)",
        "52.222",
        "52.222 alone",
        "52.222-50.5",
        "52.222-5000",
        "ABC52.222-50",
        "52.222-50%",
    ] {
        no_tip(t);
    }
    assert_eq!(numbers("52.222-500"), vec!["52.222-500"]);
    assert!(numbers("252.222-50 152.222-50 352.222-501 $52.22 52.2024 FAR 22.1705").is_empty());
    assert!(numbers("52.222-5000 99999952.222-50").is_empty());
}

#[test]
fn alternates() {
    let alt1 = cite("52.222-50", 1, None);
    for t in [
        "52.222-50 ALT I",
        "52.222-50, Alt. I",
        "52.222-50 Alternate I",
        "52.222-50 Alt 1",
        "52.222-50 alt i",
    ] {
        assert_eq!(one(t), alt1, "{t}");
    }
    assert_eq!(
        one("52.222-50 (MAR 2015) Alternate I (MAR 2015)"),
        cite("52.222-50", 1, d(2015, 3))
    );
    assert_eq!(
        one("52.222-50 (FEB 2009) with Alternate I (AUG 2007)"),
        cite("52.222-50", 1, d(2007, 8))
    );
    assert_eq!(
        one("52.222-50 Alt I (Mar 2015)"),
        cite("52.222-50", 1, d(2015, 3))
    );
    assert_eq!(
        one("Alternate I (Aug 2007) of 52.222-50"),
        cite("52.222-50", 1, d(2007, 8))
    );
    assert_eq!(
        one("___ Alternate I (AUG 2007) of 52.222-50."),
        marked(cite("52.222-50", 1, d(2007, 8)), Mark::Unchecked)
    );
    assert_eq!(
        one("[X] (ii) Alternate I (Mar 2015) of 52.222-50"),
        marked(cite("52.222-50", 1, d(2015, 3)), Mark::Checked)
    );
    assert_eq!(one("52.219-9 Alt II"), cite("52.219-9", 2, None));
    assert_eq!(one("52.219-9 Alternate III"), cite("52.219-9", 3, None));
    assert_eq!(one("52.219-9 Alt IV"), cite("52.219-9", 4, None));
    assert_eq!(one("52.219-9 Alt V"), cite("52.219-9", 5, None));
    assert_eq!(one("52.219-9 Alt 5"), cite("52.219-9", 5, None));
    assert_eq!(
        one("Alternate I of 52.222-50 (Mar 2015)"),
        cite("52.222-50", 1, d(2015, 3))
    );
    assert_eq!(
        one("Alternate I to the clause at FAR 52.225-3"),
        cite("52.225-3", 1, None)
    );
    assert_eq!(
        one("Alternate I (Aug 2007) of 52.22250 (22 U.S.C. 7104(g))."),
        bad(cite("52.222-50", 1, d(2007, 8)), "52.22250")
    );
    // Basic and Alt I both cited: both returned.
    assert_eq!(
        parser().extract_plain("52.222-50; 52.222-50 Alt I"),
        vec![cite("52.222-50", 0, None), cite("52.222-50", 1, None)]
    );
}

#[test]
fn pasted_52_212_5_text() {
    let t = "(a) The Contractor shall comply with the following FAR clauses:\n\
             (1) 52.222-50, Combating Trafficking in Persons (FEB 2009) (22 U.S.C. 7104(g)).\n\
             ___ Alternate I (AUG 2007) of 52.222-50 (22 U.S.C. 7104(g)).\n\
             (2) 52.233-3, Protest After Award (AUG 1996) (31 U.S.C. 3553).\n\
             [ X ] (27) 52.222-19, Child Labor--Cooperation with Authorities and Remedies (Mar 2012) (E.O. 13126).\n\
             [ ] (39)(i) 52.222-50, Combating Trafficking in Persons (MAR 2015)\n\
             [X] (ii) Alternate I (Mar 2015) of 52.222-50\n\
             _X_ (3) 52.204-25, Prohibition on Contracting (Nov 2021)\n\
             _X__ (4) 52.204-24\n\
             X (5) 52.222-54\n\
             (X) 52.222-55\n";
    let got = parser().extract_plain(t);
    let want = vec![
        cite("52.222-50", 0, d(2009, 2)),
        marked(cite("52.222-50", 1, d(2007, 8)), Mark::Unchecked),
        cite("52.233-3", 0, d(1996, 8)),
        marked(cite("52.222-19", 0, d(2012, 3)), Mark::Checked),
        marked(cite("52.222-50", 0, d(2015, 3)), Mark::Unchecked),
        marked(cite("52.222-50", 1, d(2015, 3)), Mark::Checked),
        marked(cite("52.204-25", 0, d(2021, 11)), Mark::Checked),
        marked(cite("52.204-24", 0, None), Mark::Checked),
        marked(cite("52.222-54", 0, None), Mark::Checked),
        marked(cite("52.222-55", 0, None), Mark::Checked),
    ];
    assert_eq!(got, want);
    // (x) in lower case is a paragraph label, not a mark.
    assert_eq!(one("(x) 52.222-51, Exemption"), cite("52.222-51", 0, None));
    assert_eq!(
        one("[ ](5) 52.222-51"),
        marked(cite("52.222-51", 0, None), Mark::Unchecked)
    );
    assert_eq!(
        one("N/A Alternate I (Aug 2007) of 52.222-50"),
        marked(cite("52.222-50", 1, d(2007, 8)), Mark::Unchecked)
    );
}

#[test]
fn stripped_numbers_and_titles() {
    let t = "(1) , Combating Trafficking in Persons (Feb 2009) (). \n\n___Alternate I (Aug 2007) of  (). \n";
    let got = parser().extract_plain(t);
    assert_eq!(
        got,
        vec![
            bad(
                cite("52.222-50", 0, d(2009, 2)),
                "Combating Trafficking in Persons (Feb 2009)"
            ),
            marked(
                bad(
                    cite("52.222-50", 1, d(2007, 8)),
                    "Alternate I (Aug 2007) of  ()"
                ),
                Mark::Unchecked
            ),
        ]
    );
    assert_eq!(
        one("DEC 2010) COMBATTING  TRAFFICKING IN\nPERSONS. (FEB 2009) Employment"),
        bad(
            cite("52.222-50", 0, d(2009, 2)),
            "COMBATTING  TRAFFICKING IN\nPERSONS. (FEB 2009)"
        )
    );
    assert_eq!(
        one("Combating Trafficking in Persons MAR 2015"),
        bad(
            cite("52.222-50", 0, d(2015, 3)),
            "Combating Trafficking in Persons MAR 2015"
        )
    );
    assert_eq!(
        one("Child Labor - Cooperation with Authorities and Remedies (JAN 2025)").number,
        "52.222-19"
    );
    assert_eq!(
        one("Child Labor—Cooperation With Authorities and Remedies (JAN 2025)").number,
        "52.222-19"
    );
    // No date: a mention, not a cite.
    no_tip("Combating Trafficking in Persons");
    no_tip("complete Combating Trafficking in Persons training by (FEB 2009)");
    // Number next to the title: one cite.
    assert_eq!(
        one("52.222-50 Combating Trafficking in Persons (MAR 2015)"),
        cite("52.222-50", 0, d(2015, 3))
    );
    assert_eq!(
        one("52.222-50, COMBATTING TRAFFICKING IN PERSONS (FEB 2009)"),
        cite("52.222-50", 0, d(2009, 2))
    );
    assert_eq!(
        one("52.222-50 (FEB 2009) Combating Trafficking in Persons (FEB 2009)"),
        cite("52.222-50", 0, d(2009, 2))
    );
    assert_eq!(
        one("Combating Trafficking in Persons (MAR 2015) 52.222-50"),
        cite("52.222-50", 0, None)
    );
    // Without titles nothing is inferred.
    assert!(
        ClauseParser::new(&[])
            .extract_plain("(1) , Combating Trafficking in Persons (Feb 2009) ()")
            .is_empty()
    );
}

#[test]
fn dates() {
    for (t, want) in [
        ("52.222-50 (MAR 2015)", d(2015, 3)),
        ("52.222-50 (Mar 2015)", d(2015, 3)),
        ("52.222-50 MAR 2015", d(2015, 3)),
        ("52.222-50 (July2010)", d(2010, 7)),
        ("52.222-50 (Sept 1989)", d(1989, 9)),
        ("52.222-50 (SEPT 2023)", d(2023, 9)),
        ("52.222-50 (Oct. 2025)", d(2025, 10)),
        ("52.222-50 (October 2025)", d(2025, 10)),
        (
            "52.222-50 Combating Trafficking in Persons FEB 2009",
            d(2009, 2),
        ),
        ("52.222-50 (FOO 2015)", None),
        ("52.222-50 (Mar 3015)", None),
    ] {
        assert_eq!(one(t), cite("52.222-50", 0, want), "{t}");
    }
    let c = one("FAR 52.222-50 (OCT 2025) (DEVIATION 2021-O0001)");
    assert_eq!(
        (c.date, c.deviation, c.malformed),
        (d(2025, 10), true, None)
    );
    let c = one(
        "52.223-10 Waste Reduction Program. (DEVIATION 2025-O0004) May 2024 Deviation 2025-O0004",
    );
    assert_eq!(
        (c.number.as_str(), c.date, c.deviation),
        ("52.223-10", d(2024, 5), true)
    );
    let c = one("52.203-99 Prohibition (DEVIATION2021O0001) (Nov 2020)");
    assert_eq!((c.date, c.deviation), (d(2020, 11), true));
    let c = one("252.222-7999 Combating Race and Sex Stereotyping (DEVIATION 2021-O0001)");
    assert_eq!((c.date, c.deviation), (None, false));
    // A date for the next clause of a number-only list is not taken.
    assert_eq!(
        parser().extract_plain("52.222-50 52.222-54 (JAN 2025)"),
        vec![cite("52.222-50", 0, None), cite("52.222-54", 0, d(2025, 1))]
    );
}

#[test]
fn paragraph_suffixes() {
    assert_eq!(one("52.222-50(h)"), cite("52.222-50", 0, None));
    assert_eq!(one("FAR 52.222-50(h)"), cite("52.222-50", 0, None));
    assert_eq!(one("52.222-50 (b)(4)"), cite("52.222-50", 0, None));
    assert_eq!(
        one("52.222-50(h) (MAR 2015)"),
        cite("52.222-50", 0, d(2015, 3))
    );
}

#[test]
fn separators_and_lists() {
    assert_eq!(
        numbers("52.222-50; 52.222-19, 52.204-25 | 52.212-5/52.213-4"),
        vec![
            "52.222-50",
            "52.222-19",
            "52.204-25",
            "52.212-5",
            "52.213-4"
        ]
    );
    assert_eq!(
        numbers("52.222-50\n52.222-54\r\n52.223-1"),
        vec!["52.222-50", "52.222-54", "52.223-1"]
    );
    assert_eq!(
        numbers("52.222-50 52.222-54 52.223-1"),
        vec!["52.222-50", "52.222-54", "52.223-1"]
    );
    assert_eq!(
        numbers("52.222-50,52.222-54;;52.223-1\t252.225-7060"),
        vec!["52.222-50", "52.222-54", "52.223-1", "252.225-7060"]
    );
    let got = parser().extract_plain(
        "Compensation For Professional Employees FEB 1993 52.222-50 Combating Trafficking in Persons FEB 2009 52.223-18 Encouraging Contractor Policies",
    );
    assert_eq!(
        got,
        vec![cite("52.222-50", 0, d(2009, 2)), cite("52.223-18", 0, None)]
    );
}

#[test]
fn headers() {
    let p = parser();
    for (h, n, alt) in [
        ("52.222-50", "52.222-50", 0),
        ("FAR 52.222-50", "52.222-50", 0),
        ("52.222-50 Alt I", "52.222-50", 1),
        ("52.222-50 Combating Trafficking in Persons", "52.222-50", 0),
        ("DFARS 252.225-7060", "252.225-7060", 0),
        ("  FAR Clause 52.204-25 ", "52.204-25", 0),
        ("52.222-50 (MAR 2015)", "52.222-50", 0),
    ] {
        let c = p.parse_header(h).unwrap_or_else(|| panic!("{h}"));
        assert_eq!((c.number.as_str(), c.alternate), (n, alt), "{h}");
    }
    for h in [
        "Clauses",
        "Value 52",
        "FY 2024",
        "",
        "Combating Trafficking in Persons (MAR 2015)",
        "52.222-50 / 52.222-54",
        "Date 52.222-50 signed",
        "52.222-50 Plan 2024",
        "252.222-50",
    ] {
        assert_eq!(p.parse_header(h), None, "{h}");
    }
    assert_eq!(
        p.parse_header("52.222.50").and_then(|c| c.malformed),
        Some("52.222.50".into())
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    let p = parser();
    let long_digits = "5".repeat(100_000) + ".222-50";
    assert!(p.extract_plain(&long_digits).is_empty());
    let dots = "52.".repeat(30_000);
    let _ = p.extract_plain(&dots);
    let mixed = "\u{0}\u{7}52.222-50\u{1b}[X]\u{feff}Αλτ I 😀 52.222–50 (MAR 2015)\u{85}";
    let got = p.extract_plain(mixed);
    assert_eq!(got.len(), 2);
    let _ = p.extract_plain("٥٢.٢٢٢-٥٠ ５２.２２２-５０ Alternate I of ");
    let _ = p.parse_header("\u{0}");
}

#[test]
fn big_section_i_reads_every_block() {
    let p = parser();
    let block = "(ix) 52.222-50, Combating Trafficking in Persons (FEB 2009) (22 U.S.C. 7104(g)).\n\
                 ___ Alternate I (AUG 2007) of 52.222-50 (22 U.S.C. 7104(g)).\n\
                 [ X ] (x) 52.222-51, Exemption (NOV 2007) 12345678901234567890 $52.22 \n";
    let mut text = String::new();
    while text.len() < 200_000 {
        text.push_str(block);
    }
    let got = p.extract_plain(&text);
    let blocks = text.len() / block.len();
    assert_eq!(got.len(), 3 * blocks);
    // Every block reads the same three cites, the last block as the first.
    for (i, c) in got.iter().enumerate() {
        let (number, alternate, date) = [
            ("52.222-50", 0, d(2009, 2)),
            ("52.222-50", 1, d(2007, 8)),
            ("52.222-51", 0, d(2007, 11)),
        ][i % 3];
        assert_eq!(
            (c.number.as_str(), c.alternate, c.date),
            (number, alternate, date),
            "cite {i}"
        );
    }
}

#[test]
fn fuzz_lcg() {
    let p = parser();
    let pieces = [
        "52",
        ".",
        "-",
        "222",
        "50",
        "2",
        "5",
        "0",
        " ",
        "Alt",
        "Alternate",
        " I",
        "II",
        "(",
        ")",
        "MAR",
        " 2015",
        "–",
        "—",
        "‑",
        "§",
        "FAR",
        "252",
        "7060",
        "[X]",
        "___",
        "\n",
        "of ",
        "ü",
        "😀",
        "\u{0}",
        "Combating Trafficking in Persons",
        "Combatting",
        ",",
        "1352",
        "1",
        "9",
        "(Oct. 2025)",
        "DEVIATION",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    for _ in 0..4000 {
        let n = next() % 24;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(pieces[next() % pieces.len()]);
        }
        for c in p.extract_plain(&s) {
            assert!(canonical_shape(&c.number), "{s:?} -> {c:?}");
            assert!(c.alternate <= 5);
        }
        let _ = p.parse_header(&s);
    }
}

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real/srt_solicitations")
}

// One pass over the corpus keeps every tally beside the file it came from; split, the
// counters would have to travel between functions.
#[test]
fn real_srt_corpus() {
    let dir = corpus_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing ({e}): CI needs ../shared/data/real beside the clone",
                dir.display()
            );
            eprintln!("skipped: {} not found", dir.display());
            return;
        }
    };
    let p = parser();
    let (mut files, mut with_tip, mut exact, mut malformed_f, mut title_only, mut alt1) =
        (0, 0, 0, 0, 0, 0);
    let mut dotted_found = false;
    let mut traps_seen = 0;
    let mut names: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for path in names {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        let cites = p.extract_plain(&text);
        let tip: Vec<_> = cites.iter().filter(|c| c.number == "52.222-50").collect();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !tip.is_empty() {
            with_tip += 1;
        }
        if tip.iter().any(|c| c.malformed.is_none()) {
            exact += 1;
        }
        if tip
            .iter()
            .any(|c| c.malformed.as_deref().is_some_and(|m| m.starts_with("52.")))
        {
            malformed_f += 1;
        }
        if tip.iter().any(|c| {
            c.malformed
                .as_deref()
                .is_some_and(|m| m.to_lowercase().starts_with("comba"))
        }) {
            title_only += 1;
        }
        if tip.iter().any(|c| c.alternate == 1) {
            alt1 += 1;
        }
        if tip
            .iter()
            .any(|c| c.malformed.as_deref() == Some("52.222.50"))
        {
            dotted_found = true;
        }
        // Only "drug trafficking" / the CTIP training requirement: no clause.
        if matches!(
            name.as_str(),
            "RED_F3Z3560117A001.txt" | "YELLOW_EOKWK1RH111.txt" | "YELLOW_HQ0423-10-T-0012.txt"
        ) {
            traps_seen += 1;
            assert!(tip.is_empty(), "{name}: {tip:#?}");
        }
        if name == "YELLOW_RFQ0040-11.txt" {
            assert!(
                tip.iter()
                    .any(|c| c.malformed.as_deref() == Some("52.222.50")),
                "{name}: {tip:#?}"
            );
        }
        for c in &cites {
            assert!(canonical_shape(&c.number), "{name}: {c:?}");
        }
    }
    if files == 0 {
        assert!(
            std::env::var_os("CI").is_none(),
            "no .txt solicitations in {}",
            dir.display()
        );
        eprintln!("skipped: no .txt solicitations in {}", dir.display());
        return;
    }
    eprintln!(
        "SRT corpus: {files} files, 52.222-50 in {with_tip} (well-formed {exact}, malformed number {malformed_f}, title only {title_only}, Alt I {alt1})"
    );
    assert!(with_tip >= 30, "{with_tip}");
    assert!(dotted_found);
    assert_eq!(traps_seen, 3);
}

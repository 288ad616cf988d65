//! The regular expressions of the clause grammar, built once in [`ClauseParser::new`], and
//! the numbers of their capture groups.

use regex::Regex;

use super::ClauseParser;

/// Capture group numbers of the regexes built in [`ClauseParser::new`] (a name lookup
/// hashes the name on every call); `new` checks them against the names.
pub(super) mod group {
    // `number`
    pub const PFX: usize = 1;
    pub const PGAP: usize = 2;
    pub const PART: usize = 3;
    pub const S1: usize = 4;
    pub const S2: usize = 5;
    pub const SEC: usize = 6;
    pub const SEP: usize = 7;
    pub const SEQ: usize = 8;
    // `date_core` and `date_anchored`
    pub const M1: usize = 1;
    pub const Y1: usize = 2;
    pub const M2: usize = 3;
    pub const Y2: usize = 4;
    // `mark`, `alt`, `connector`
    pub const MARK: usize = 1;
    pub const ALT_N: usize = 1;
    pub const CONN_W: usize = 1;
}

/// Panics unless the group named `name` of `re` is number `index`.
fn check_group(re: &Regex, name: &str, index: usize) {
    let at = re.capture_names().position(|n| n == Some(name));
    assert_eq!(at, Some(index), "clause regex group {name}");
}

impl ClauseParser {
    /// `titles`: (clause title, canonical number) pairs, e.g. ("Combating Trafficking in
    /// Persons", "52.222-50"), used to recognise references whose number was stripped
    /// ("(1) , Combating Trafficking in Persons (Feb 2009) ()").
    pub fn new(titles: &[(String, String)]) -> ClauseParser {
        let re = |s: &str| Regex::new(s).expect("built-in clause regex");
        const DASH: &str = r"[-\x{2010}-\x{2015}\x{2212}\x{FE63}\x{FF0D}]";
        const MONTH: &str = r"(?i:january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)";
        let date_core = format!(
            r"(?:\(\s*(?P<m1>[A-Za-z]{{3,9}})\.?\s*,?\s*(?P<y1>[0-9]{{4}})\s*\)|(?-u:\b)(?P<m2>{MONTH})\.?[\p{{Zs}}\t]*,?[\p{{Zs}}\t]*(?P<y2>[0-9]{{4}})(?-u:\b))"
        );
        let number = format!(
            r"(?:(?P<pfx>(?-u:\b)(?i:dfars|dfar|far)(?:[\p{{Zs}}\t]+(?i:clause))?|(?-u:\b)(?i:clause)|§)(?P<pgap>[\p{{Zs}}\t]{{0,3}}))?(?P<part>[0-9]+)(?P<s1>[\p{{Zs}}\t]{{0,2}})\.(?P<s2>[\p{{Zs}}\t]{{0,2}})(?P<sec>[0-9]+)(?:(?P<sep>[\p{{Zs}}\t]{{0,2}}{DASH}[\p{{Zs}}\t]{{0,2}}|\.)(?P<seq>[0-9]+))?"
        );
        let titles = Self::build_titles(titles);
        let parser = ClauseParser {
            number: re(&number),
            date_anchored: re(&format!(r"^[\s,.:;\-]{{0,6}}{date_core}")),
            date_core: re(&date_core),
            deviation: re(r"^[\p{Zs}\t,]{0,3}\(?[\p{Zs}\t]*(?i:deviation)[^)\n]{0,40}\)?"),
            deviation_any: re(r"\(?(?i:deviation)[^)\n]{0,40}\)?"),
            para: re(r"^(?:[\p{Zs}\t]?\((?:[a-z]{1,4}|[0-9]{1,2})\))+"),
            alt: re(r"(?i)(?:alternate|alt)(?-u:\b)\.?[\p{Zs}\t]*(?P<n>iv|v|i{1,3}|[1-5])(?-u:\b)"),
            connector: re(
                r"^[ \t,]*(?P<w>(?i:of|to))(?-u:\b)[\p{Zs}\t]*(?:(?i:the)[\p{Zs}\t]+)?(?:(?i:clause)[\p{Zs}\t]+(?i:at)[\p{Zs}\t]+)?",
            ),
            stripped: re(r"^[\p{Zs}\t]*(?:\([\p{Zs}\t]*\)|[.;,]|\r?\n|$)"),
            with_gap: re(r"^[ \t,;:]{0,4}(?:(?i:with)[\p{Zs}\t]+)?"),
            mark: re(
                r"(?P<m>\[[\p{Zs}\t]*[xX✓✔√][\p{Zs}\t]*\]|\[[\p{Zs}\t]*\]|(?-u:\b)[xX][\p{Zs}\t]+_{2,}|\[?(?:_*[xX✓✔]_+|_+[xX✓✔]_*|_{2,})\]?|\([\p{Zs}\t]*X[\p{Zs}\t]*\)|(?-u:\b)N/A|(?-u:\b)X(?-u:\b))[\p{Zs}\t]*(?:\([\p{Zs}\t]*[0-9a-zA-Z]{1,6}[\p{Zs}\t]*\)[\p{Zs}\t]*)*,?[\p{Zs}\t]*$",
            ),
            header_prefix: re(
                r"^[\s§#:.,\-]*(?:(?i:dfars|dfar|far)[\s:.\-]*)?(?:(?i:clause)[\s:.\-]*)?(?:(?i:no)\.?[\s:]*)?$",
            ),
            titles,
        };
        parser.check_groups();
        parser
    }

    fn check_groups(&self) {
        use group::*;
        let number = [
            ("pfx", PFX),
            ("pgap", PGAP),
            ("part", PART),
            ("s1", S1),
            ("s2", S2),
            ("sec", SEC),
            ("sep", SEP),
            ("seq", SEQ),
        ];
        for (name, i) in number {
            check_group(&self.number, name, i);
        }
        for re in [&self.date_core, &self.date_anchored] {
            for (name, i) in [("m1", M1), ("y1", Y1), ("m2", M2), ("y2", Y2)] {
                check_group(re, name, i);
            }
        }
        check_group(&self.mark, "m", MARK);
        check_group(&self.alt, "n", ALT_N);
        check_group(&self.connector, "w", CONN_W);
    }
}

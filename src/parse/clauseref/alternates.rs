//! "Alternate I" phrases: after their clause, `of NUMBER`, or on a line of their own.

use super::grammar::group;
use super::numbers::{NumTok, num_at};
use super::text::contains_ascii_ci;
use super::{ClauseCite, ClauseDate, ClauseParser, Found, Kind, Mark};

/// How far (bytes) before a stand-alone "Alternate I" the clause it belongs to may end.
const ALT_WINDOW: usize = 200;

fn roman(s: &str) -> u8 {
    match s.to_ascii_lowercase().as_str() {
        "i" | "1" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        "iv" | "4" => 4,
        "v" | "5" => 5,
        _ => 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conn {
    None,
    /// `... of 52.222-50`: index into the number tokens.
    Num(usize),
    /// `... of  ()`: the number was stripped.
    Stripped,
}

#[derive(Debug, Clone)]
pub(super) struct AltTok {
    pub(super) start: usize,
    /// End of `Alternate I (date) (deviation)`.
    pub(super) end: usize,
    /// End including a stripped connector.
    pub(super) full_end: usize,
    pub(super) n: u8,
    pub(super) date: Option<ClauseDate>,
    pub(super) deviation: bool,
    pub(super) conn: Conn,
}

impl ClauseParser {
    /// Every "Alternate I (date) [of NUMBER]" phrase in `text`, in order.
    pub(super) fn alt_tokens(&self, text: &str, nums: &[NumTok]) -> Vec<AltTok> {
        let mut alts: Vec<AltTok> = Vec::new();
        let alt_matches = contains_ascii_ci(text, "alt")
            .then(|| self.alt.captures_iter(text))
            .into_iter()
            .flatten();
        for c in alt_matches {
            let (Some(m), Some(n)) = (c.get(0), c.get(group::ALT_N)) else {
                continue;
            };
            // `\b` would reject `___Alternate` (`_` is a word character): check by hand.
            if text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|ch| ch.is_alphanumeric())
            {
                continue;
            }
            let mut end = m.end();
            let mut date = None;
            if let Some((e, d)) = self.date_at(text, end) {
                end = e;
                date = d;
            }
            let mut deviation = false;
            if let Some(e) = self.deviation_at(text, end) {
                end = e;
                deviation = true;
            }
            let mut conn = Conn::None;
            let mut full_end = end;
            if let Some(cm) = self.connector.captures(&text[end..]) {
                let q = end + cm.get(0).map_or(0, |x| x.end());
                if let Some(i) = num_at(nums, q) {
                    conn = Conn::Num(i);
                } else if cm
                    .get(group::CONN_W)
                    .is_some_and(|w| w.as_str().eq_ignore_ascii_case("of"))
                    && let Some(sm) = self.stripped.find(&text[q..])
                {
                    conn = Conn::Stripped;
                    full_end = q + sm.end();
                }
            }
            alts.push(AltTok {
                start: m.start(),
                end,
                full_end,
                n: roman(n.as_str()),
                date,
                deviation,
                conn,
            });
        }
        alts
    }

    /// Alternates not joined to the number before them: `of NUMBER`, a stripped `of ()`, or a
    /// bare line that belongs to the cite ending at most `ALT_WINDOW` bytes before it.
    pub(super) fn lone_alternates(
        &self,
        text: &str,
        nums: &[NumTok],
        alts: &[AltTok],
        alt_used: &[bool],
        found: &mut Vec<Found>,
    ) {
        let mut alt_found: Vec<Found> = Vec::new();
        for (ai, a) in alts.iter().enumerate() {
            if alt_used[ai] {
                continue;
            }
            let mut mark = self.mark_before(text, a.start);
            let (number, malformed, end) = match a.conn {
                Conn::Num(i) => (
                    nums[i].number.clone(),
                    nums[i].malformed.clone(),
                    nums[i].end,
                ),
                Conn::None | Conn::Stripped => {
                    let Some(base) = base_of(found, &alt_found, a.start) else {
                        continue;
                    };
                    // `[X] 52.203-6, Title (SEP 2006), with Alternate I (OCT 1995)`: one box
                    // for the clause and its alternate.
                    let joined = text[base.end..a.start]
                        .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace());
                    if mark == Mark::None
                        && (joined.is_empty() || joined.eq_ignore_ascii_case("with"))
                    {
                        mark = base.cite.mark;
                    }
                    let malformed = if a.conn == Conn::Stripped {
                        Some(text[a.start..a.full_end].trim_end().to_string())
                    } else {
                        base.cite.malformed.clone()
                    };
                    (base.cite.number.clone(), malformed, a.full_end)
                }
            };
            // `Alternate I of 52.222-50 (MAR 2015)`: the date may follow the number.
            let (date, end) = match (a.date, a.conn) {
                (None, Conn::Num(_)) => match self.date_at(text, end) {
                    Some((e, d)) => (d, e),
                    None => (None, end),
                },
                _ => (a.date, end),
            };
            alt_found.push(Found {
                cite: ClauseCite {
                    number,
                    alternate: a.n,
                    date,
                    deviation: a.deviation,
                    malformed,
                    col: 0,
                    mark,
                    trafficking_title: false,
                },
                start: a.start,
                num_start: a.start,
                end,
                kind: Kind::Alt,
            });
        }
        found.extend(alt_found);
        found.sort_by_key(|f| f.start);
    }
}

/// The cite a bare alternate starting at `start` belongs to: the one ending last before it
/// (among the few cites before it and the alternates already read), at most `ALT_WINDOW`
/// bytes before it.
fn base_of<'a>(found: &'a [Found], alt_found: &'a [Found], start: usize) -> Option<&'a Found> {
    let fi = found.partition_point(|f| f.end <= start);
    let base = found[..fi]
        .iter()
        .rev()
        .take(4)
        .filter(|f| f.end <= start)
        .max_by_key(|f| f.end);
    let base = match (base, alt_found.last()) {
        (Some(b), Some(l)) if l.end > b.end => Some(l),
        (None, Some(l)) => Some(l),
        (b, _) => b,
    };
    base.filter(|b| start - b.end <= ALT_WINDOW)
}

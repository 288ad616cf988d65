//! The place lists of `clauses/places.toml`: the ISO codes inside "the United States", and
//! Xinjiang / XUAR in free text, by the region's names and spellings and its prefectures,
//! cities and counties. Region names are unambiguous anywhere; place names only where the text
//! is a place (a location field), since some are words or places elsewhere too (Aksu is also
//! in Turkey). The location parser, the risk checks and the entity screener all read this list.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use super::normalize;

/// The built-in place data (the location parser runs without a rules directory).
const PLACES_TOML: &str = include_str!("../../clauses/places.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitedStates {
    /// ISO 3166-1 alpha-3 codes inside "the United States" (FAR 22.1702).
    pub codes: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XinjiangList {
    pub source: String,
    pub region: Vec<String>,
    pub places: Vec<String>,
    pub cjk: Vec<String>,
    pub not_followed_by: Vec<[String; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Places {
    pub united_states: UnitedStates,
    pub xinjiang: XinjiangList,
}

/// Parse `places.toml` text, checking that each list names its source: `source_problem`
/// says why a source is not one (the rule data's test, passed in since the rules sit above
/// the parsers).
pub fn parse_places(
    text: &str,
    source_problem: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Places> {
    let p: Places = toml::from_str(text)?;
    for (what, src) in [
        ("united_states", &p.united_states.source),
        ("xinjiang", &p.xinjiang.source),
    ] {
        if let Some(problem) = source_problem(src) {
            anyhow::bail!("{what}.source: {problem}");
        }
    }
    if p.xinjiang.region.is_empty() || p.xinjiang.places.is_empty() {
        anyhow::bail!("xinjiang: region and places must not be empty");
    }
    Ok(p)
}

/// The built-in place lists. Their sources are checked by `risk::check_dir` and the tests.
pub fn places() -> &'static Places {
    static P: OnceLock<Places> = OnceLock::new();
    P.get_or_init(|| {
        parse_places(PLACES_TOML, |_| None).expect("built-in clauses/places.toml is valid")
    })
}

/// The one Xinjiang matcher built from the built-in list.
pub fn global() -> &'static XinjiangMatcher {
    static M: OnceLock<XinjiangMatcher> = OnceLock::new();
    M.get_or_init(XinjiangMatcher::new)
}

pub struct XinjiangMatcher {
    region: AhoCorasick,
    places: AhoCorasick,
    place_words: Vec<String>,
}

impl Default for XinjiangMatcher {
    fn default() -> Self {
        XinjiangMatcher::new()
    }
}

impl XinjiangMatcher {
    pub fn new() -> XinjiangMatcher {
        let list = &places().xinjiang;
        let norm = |v: &[String]| -> Vec<String> {
            v.iter().map(|s| normalize(s).trim().to_string()).collect()
        };
        let build = |pats: &[String]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(pats)
                .expect("place patterns compile")
        };
        let place_words = norm(&list.places);
        XinjiangMatcher {
            region: build(&norm(&list.region)),
            places: build(&place_words),
            place_words,
        }
    }

    /// The first whole-word match not followed by a word that puts it elsewhere
    /// ("Aral Sea", "Altay Krai").
    fn whole_word(ac: &AhoCorasick, norm: &str) -> Option<String> {
        let b = norm.as_bytes();
        let not_after = &places().xinjiang.not_followed_by;
        ac.find_overlapping_iter(norm)
            .filter(|m| m.start() > 0 && b[m.start() - 1] == b' ' && b.get(m.end()) == Some(&b' '))
            .map(|m| (&norm[m.start()..m.end()], &norm[m.end() + 1..]))
            .find(|(word, rest)| {
                !not_after
                    .iter()
                    .any(|[w, next]| w == word && rest.split(' ').next() == Some(next.as_str()))
            })
            .map(|(w, _)| w.to_string())
    }

    fn cjk_in(text: &str, region_only: bool) -> Option<String> {
        let cjk = &places().xinjiang.cjk;
        let list = if region_only {
            &cjk[..1.min(cjk.len())]
        } else {
            &cjk[..]
        };
        list.iter().find(|w| text.contains(w.as_str())).cloned()
    }

    /// The region named in any text (names, descriptions): `Some(the spelling found)`.
    pub fn region_in(&self, text: &str) -> Option<String> {
        Self::whole_word(&self.region, &normalize(text)).or_else(|| Self::cjk_in(text, true))
    }

    /// The region or one of its places named in a location value.
    pub fn place_in(&self, text: &str) -> Option<String> {
        let norm = normalize(text);
        Self::whole_word(&self.region, &norm)
            .or_else(|| Self::whole_word(&self.places, &norm))
            .or_else(|| Self::cjk_in(text, false))
    }

    /// Is this single lower-case token one of the region's names or places (for weighing a
    /// company name's words)?
    pub fn is_place_word(&self, token: &str) -> bool {
        self.place_words.iter().any(|w| w == token)
            || places().xinjiang.region.iter().any(|w| w == token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        let m = XinjiangMatcher::new();
        for t in [
            "Xinjiang",
            "XINJIANG UYGHUR AUTONOMOUS REGION",
            "CHN: China (XUAR)",
            "Xin-jiang",
            "Uighur Autonomous Region",
            "Sinkiang",
        ] {
            assert!(m.region_in(t).is_some(), "{t}");
        }
        for t in [
            "Urumqi, China",
            "Kashgar",
            "Hotan",
            "Hetian",
            "Aksu",
            "Turpan",
            "Shihezi",
        ] {
            assert!(m.place_in(t).is_some(), "{t}");
            assert!(m.region_in(t).is_none(), "{t} is no region name");
        }
        // The one list: every place it names is found, Kuqa included.
        for p in &places().xinjiang.places {
            assert!(m.place_in(p).is_some(), "{p}");
            assert!(
                crate::parse::country::mentions_xinjiang(p),
                "the location parser reads the same list: {p}"
            );
        }
        assert!(m.place_in("Kuqa County, Aksu").is_some());
        assert!(m.place_in("the Aral Sea basin").is_none());
        assert!(m.place_in("Altay Krai, Russia").is_none());
        assert!(m.place_in("乌鲁木齐").is_some());
        for t in [
            "China",
            "Beijing",
            "Shanghai",
            "Xinhua News",
            "Jiangsu",
            "Uyghur language",
            "Hamilton",
        ] {
            assert!(m.place_in(t).is_none(), "{t}");
        }
    }
}

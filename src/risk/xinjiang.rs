//! Xinjiang / XUAR in free text: the region's names and spellings, and its prefectures and
//! cities. Region names are unambiguous anywhere; city names only where the text is a place
//! (a location field), since some are words or places elsewhere too (Aksu is also in Turkey).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::categories::normalize;

/// Names of the region itself (normalised form: lower case, punctuation as spaces).
const REGION: &[&str] = &[
    "xinjiang",
    "xin jiang",
    "sinkiang",
    "xuar",
    "uyghur autonomous region",
    "uighur autonomous region",
    "uygur autonomous region",
    "uyghur region",
    "uighur region",
    "east turkestan",
    "east turkistan",
    "xpcc",
    "bingtuan",
    "xinjiang production and construction corps",
];

/// Prefectures, cities and counties of the XUAR, with common romanisations.
const PLACES: &[&str] = &[
    "urumqi",
    "urumchi",
    "wulumuqi",
    "kashgar",
    "kashi",
    "hotan",
    "hetian",
    "khotan",
    "aksu",
    "akesu",
    "turpan",
    "turfan",
    "tulufan",
    "shihezi",
    "karamay",
    "kelamayi",
    "hami",
    "kumul",
    "korla",
    "kuerle",
    "yining",
    "ghulja",
    "ili kazakh",
    "changji",
    "bortala",
    "kizilsu",
    "bayingolin",
    "tacheng",
    "altay prefecture",
    "lop county",
    "luopu",
    "shanshan county",
    "pichan",
    "kuqa",
    "kuche",
    "yarkant",
    "shache",
    "wujiaqu",
    "tumxuk",
    "alar",
    "beitun",
];

pub struct XinjiangMatcher {
    region: AhoCorasick,
    places: AhoCorasick,
}

impl Default for XinjiangMatcher {
    fn default() -> Self {
        XinjiangMatcher::new()
    }
}

impl XinjiangMatcher {
    pub fn new() -> XinjiangMatcher {
        let build = |pats: &[&str]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(pats)
                .expect("static patterns compile")
        };
        XinjiangMatcher {
            region: build(REGION),
            places: build(PLACES),
        }
    }

    fn whole_word(ac: &AhoCorasick, norm: &str) -> Option<String> {
        let b = norm.as_bytes();
        ac.find_overlapping_iter(norm)
            .find(|m| m.start() > 0 && b[m.start() - 1] == b' ' && b.get(m.end()) == Some(&b' '))
            .map(|m| norm[m.start()..m.end()].to_string())
    }

    /// The region named in any text (names, descriptions): `Some(the spelling found)`.
    pub fn region_in(&self, text: &str) -> Option<String> {
        Self::whole_word(&self.region, &normalize(text))
    }

    /// The region or one of its places named in a location value.
    pub fn place_in(&self, text: &str) -> Option<String> {
        let norm = normalize(text);
        Self::whole_word(&self.region, &norm).or_else(|| Self::whole_word(&self.places, &norm))
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

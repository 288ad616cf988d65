//! The matcher compiled from the high-risk goods categories once per run: one Aho-Corasick
//! automaton over every keyword and exclusion phrase, plus code tables for PSC and NAICS.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::categories::{
    Category, Code, Specificity, WordLists, load_categories, load_words, variants,
};
use crate::memo::Memo;
use crate::parse::normalize;
use crate::rules::DataFiles;

/// How far a basis or HTS heading is established, in words for `tipaudit categories`.
fn tag_words(tag: &str) -> &'static str {
    match tag {
        "V" => "verified",
        "S" => "secondary source",
        _ => "not confirmed against a primary source",
    }
}

/// A record's PSC or NAICS reduced to its code: `8415`, `8415: CLOTHING` and ` 8415 ` are
/// `8415`; NAICS read as a float (`315220.0`) loses its `.0`.
pub fn code_key(raw: &str) -> String {
    let t = raw.trim();
    let t = t.split([':', ' ', '-']).next().unwrap_or("");
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.to_ascii_uppercase()
}

/// A keyword hit: (category, specificity or `None` for a context word, index in `terms`).
type Hit = (usize, Option<Specificity>, usize);

#[derive(Debug, Clone, Copy)]
enum Pat {
    /// `spec` is `None` for a context word.
    Keyword {
        cat: usize,
        spec: Option<Specificity>,
        term: usize,
    },
    Exclude {
        cat: usize,
    },
}

/// The evidence that matched one category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryHit {
    pub category: usize,
    pub specificity: Specificity,
    /// Keywords found in the description (as written in risk.toml), in text order.
    pub keywords: Vec<String>,
    pub psc: Option<(String, String, Specificity)>,
    pub naics: Option<(String, String, Specificity)>,
}

/// Categories compiled for matching.
pub struct CategoryMatcher {
    pub categories: Vec<Category>,
    ac: Option<AhoCorasick>,
    /// Pattern id -> what it stands for (several meanings when two entries share a string).
    pats: Vec<Vec<Pat>>,
    terms: Vec<String>,
    psc: HashMap<String, Vec<(usize, usize)>>,
    naics: HashMap<String, Vec<(usize, usize)>>,
    /// Keys this matcher's cached keyword hits ([`crate::memo`]).
    owner: u64,
    pub words: WordLists,
}

impl CategoryMatcher {
    pub fn new(categories: Vec<Category>) -> anyhow::Result<CategoryMatcher> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut strings: Vec<String> = Vec::new();
        let mut pats: Vec<Vec<Pat>> = Vec::new();
        let mut terms = Vec::new();
        let mut add = |s: String, p: Pat, pats: &mut Vec<Vec<Pat>>| {
            let id = *index.entry(s.clone()).or_insert_with(|| {
                strings.push(s);
                pats.push(Vec::new());
                pats.len() - 1
            });
            pats[id].push(p);
        };
        for (ci, c) in categories.iter().enumerate() {
            let groups = [
                (&c.keywords.high, Some(Specificity::High)),
                (&c.keywords.medium, Some(Specificity::Medium)),
                (&c.keywords.low, Some(Specificity::Low)),
                (&c.keywords.context, None),
            ];
            for (list, spec) in groups {
                for k in list {
                    terms.push(k.clone());
                    let term = terms.len() - 1;
                    for v in variants(k) {
                        add(
                            v,
                            Pat::Keyword {
                                cat: ci,
                                spec,
                                term,
                            },
                            &mut pats,
                        );
                    }
                }
            }
            for e in &c.exclude {
                for v in variants(e) {
                    add(v, Pat::Exclude { cat: ci }, &mut pats);
                }
            }
        }
        let ac = if strings.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&strings)?,
            )
        };
        let mut psc: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut naics: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (ci, c) in categories.iter().enumerate() {
            for (i, code) in c.psc.iter().enumerate() {
                psc.entry(code_key(&code.code)).or_default().push((ci, i));
            }
            for (i, code) in c.naics.iter().enumerate() {
                naics.entry(code_key(&code.code)).or_default().push((ci, i));
            }
        }
        Ok(CategoryMatcher {
            words: WordLists::default(),
            owner: crate::memo::new_owner(),
            categories,
            ac,
            pats,
            terms,
            psc,
            naics,
        })
    }

    pub fn load(files: &DataFiles) -> anyhow::Result<CategoryMatcher> {
        let mut m = CategoryMatcher::new(load_categories(files)?)?;
        m.words = load_words(files)?;
        Ok(m)
    }

    /// Keyword hits in `text`: (category, specificity, keyword), exclusions applied, in text
    /// order, each keyword once. The specificity is `None` for a context word.
    pub fn keyword_hits(&self, text: &str) -> Vec<(usize, Option<Specificity>, &str)> {
        thread_local! {
            // Descriptions repeat across a portfolio's rows.
            static HITS: RefCell<Memo<Vec<Hit>>> = RefCell::default();
        }
        let hits = HITS.with_borrow_mut(|m| {
            m.owned_by(self.owner)
                .get_or(text, || self.keyword_hits_uncached(text))
        });
        hits.into_iter()
            .map(|(cat, spec, term)| (cat, spec, self.terms[term].as_str()))
            .collect()
    }

    /// [`CategoryMatcher::keyword_hits`] with each keyword as its index in `terms`.
    fn keyword_hits_uncached(&self, text: &str) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let norm = normalize(text);
        let bytes = norm.as_bytes();
        let mut hits = Vec::new();
        let mut excluded: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(&norm) {
            // Whole words only: the normalised text has a space at each word edge.
            let (s, e) = (m.start(), m.end());
            if s == 0 || bytes[s - 1] != b' ' || e >= bytes.len() || bytes[e] != b' ' {
                continue;
            }
            for p in &self.pats[m.pattern().as_usize()] {
                match *p {
                    Pat::Keyword { cat, spec, term } => hits.push((s, e, cat, spec, term)),
                    Pat::Exclude { cat } => excluded.push((s, e, cat)),
                }
            }
        }
        hits.retain(|&(s, e, cat, _, _)| {
            !excluded
                .iter()
                .any(|&(xs, xe, xc)| xc == cat && xs <= s && e <= xe)
        });
        hits.sort_by_key(|h| (h.0, std::cmp::Reverse(h.1)));
        let mut out: Vec<Hit> = Vec::new();
        for (_, _, cat, spec, term) in hits {
            let t = self.terms[term].as_str();
            if !out.iter().any(|&(c, _, k)| c == cat && self.terms[k] == t) {
                out.push((cat, spec, term));
            }
        }
        out
    }

    /// Every category the description, PSC and NAICS point to. Codes of low specificity
    /// count only next to a keyword of the same category (REFERENCE.md: "use only with
    /// keywords"); a description-only hit on a service record is low (the goods may be
    /// incidental, e.g. uniform laundry).
    pub fn classify(
        &self,
        description: Option<&str>,
        psc: Option<&str>,
        naics: Option<&str>,
    ) -> Vec<CategoryHit> {
        let psc_key = psc.map(code_key).filter(|k| !k.is_empty());
        let naics_key = naics.map(code_key).filter(|k| !k.is_empty());
        let service = psc_key
            .as_deref()
            .is_some_and(|k| k.starts_with(|c: char| c.is_ascii_alphabetic()));
        let mut by_cat: Vec<Option<CategoryHit>> = vec![None; self.categories.len()];
        let mut kw_spec: Vec<Option<Specificity>> = vec![None; self.categories.len()];
        // Context words per category: they let a `context` code count, nothing else.
        let mut context: Vec<Vec<String>> = vec![Vec::new(); self.categories.len()];
        self.add_keywords(
            description,
            psc_key.as_deref(),
            &mut by_cat,
            &mut kw_spec,
            &mut context,
        );
        let code_tables = [
            (&psc_key, &self.psc, true),
            (&naics_key, &self.naics, false),
        ];
        for (key, table, is_psc) in code_tables {
            let Some(key) = key else { continue };
            let Some(list) = table.get(key) else { continue };
            self.add_codes(list, is_psc, &mut by_cat, &kw_spec, &context);
        }
        settle_specificity(by_cat, &kw_spec, service)
    }

    /// The description's keywords into `by_cat` and `kw_spec`, its context words into
    /// `context`; words of a category whose PSC the category excludes do not count.
    fn add_keywords(
        &self,
        description: Option<&str>,
        psc_key: Option<&str>,
        by_cat: &mut [Option<CategoryHit>],
        kw_spec: &mut [Option<Specificity>],
        context: &mut [Vec<String>],
    ) {
        // A study, survey or test sample of a good is not the good: its words do not count.
        let hits = description.map_or_else(Vec::new, |t| self.keyword_hits(t));
        // The word lists are read only when a keyword matched (most descriptions match none).
        let norm = if hits.is_empty() {
            String::new()
        } else {
            description.map(normalize).unwrap_or_default()
        };
        let has = |list: &[String]| list.iter().any(|w| norm.contains(w.as_str()));
        let about_the_good = !hits.is_empty() && has(&self.words.not_the_good);
        let product_word = !hits.is_empty() && has(&self.words.product_words);
        if !about_the_good {
            for (ci, spec, term) in hits {
                let c = &self.categories[ci];
                if let Some(k) = psc_key
                    && c.exclude_psc.iter().any(|x| code_key(x) == k)
                {
                    continue;
                }
                let Some(spec) = spec else {
                    context[ci].push(term.to_string());
                    continue;
                };
                let hit = hit_entry(by_cat, ci);
                hit.keywords.push(term.to_string());
                kw_spec[ci] = kw_spec[ci].max(Some(spec));
            }
        }
        // A word of low specificity ("copper", "steel") counts only next to a product word
        // ("copper wire", "stainless steel blanks") or another keyword of its category.
        for ci in 0..kw_spec.len() {
            if kw_spec[ci] == Some(Specificity::Low)
                && !product_word
                && !self.categories[ci].low_keywords_are_goods
            {
                kw_spec[ci] = None;
                by_cat[ci] = None;
            }
        }
    }

    /// The PSC (`is_psc`) or NAICS codes of `list` into `by_cat`; a code that needs a keyword
    /// counts only with one of its category, or with a context word when the code allows it.
    fn add_codes(
        &self,
        list: &[(usize, usize)],
        is_psc: bool,
        by_cat: &mut [Option<CategoryHit>],
        kw_spec: &[Option<Specificity>],
        context: &[Vec<String>],
    ) {
        for &(ci, i) in list {
            let c = &self.categories[ci];
            let code = if is_psc { &c.psc[i] } else { &c.naics[i] };
            let needs_kw =
                c.code_needs_keyword || code.with_keyword || code.specificity == Specificity::Low;
            let by_context = kw_spec[ci].is_none() && code.context && !context[ci].is_empty();
            if needs_kw && kw_spec[ci].is_none() && !by_context {
                continue;
            }
            let hit = hit_entry(by_cat, ci);
            if by_context && hit.keywords.is_empty() {
                hit.keywords = context[ci].clone();
            }
            let v = Some((code.code.clone(), code.title.clone(), code.specificity));
            if is_psc {
                hit.psc = v;
            } else {
                hit.naics = v;
            }
        }
    }

    /// `tipaudit categories`: every category with its basis, codes and keywords.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.categories {
            let _ = writeln!(out, "{}  {}", c.id, c.name);
            for b in &c.basis {
                // The text names its kind ("UFLPA high-priority sector", "CBP WRO", "DOL ...").
                let _ = writeln!(out, "    basis  {} ({})", b.text, tag_words(&b.tag));
            }
            let codes = |v: &[Code]| {
                v.iter()
                    .map(|c| {
                        let kw = if c.with_keyword {
                            ", with keyword"
                        } else if c.context {
                            ", with keyword or context word"
                        } else {
                            ""
                        };
                        format!("{} ({}{kw})", c.code, c.specificity.letter())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !c.psc.is_empty() {
                let _ = writeln!(out, "    PSC    {}", codes(&c.psc));
            }
            if !c.naics.is_empty() {
                let _ = writeln!(out, "    NAICS  {}", codes(&c.naics));
            }
            if !c.hts.is_empty() {
                let hts: Vec<String> = c
                    .hts
                    .iter()
                    .map(|h| format!("{} ({})", h.code, tag_words(&h.tag)))
                    .collect();
                let _ = writeln!(out, "    HTS    {}", hts.join(", "));
            }
            let kw: Vec<&str> = c
                .keywords
                .high
                .iter()
                .chain(&c.keywords.medium)
                .chain(&c.keywords.low)
                .map(String::as_str)
                .collect();
            if !kw.is_empty() {
                let _ = writeln!(out, "    words  {}", kw.join(", "));
            }
            if !c.keywords.context.is_empty() {
                let _ = writeln!(
                    out,
                    "    context words (with a context code only)  {}",
                    c.keywords.context.join(", ")
                );
            }
            if c.china_origin_only {
                let _ = writeln!(out, "    only with China or Xinjiang origin");
            }
            if let Some(n) = &c.note {
                let _ = writeln!(out, "    note   {n}");
            }
        }
        out
    }
}

/// The hit of category `ci`, started at low specificity with nothing matched if there is none.
fn hit_entry(by_cat: &mut [Option<CategoryHit>], ci: usize) -> &mut CategoryHit {
    by_cat[ci].get_or_insert_with(|| CategoryHit {
        category: ci,
        specificity: Specificity::Low,
        keywords: Vec::new(),
        psc: None,
        naics: None,
    })
}

/// Each category's specificity from its keywords and codes; on a service record (`service`)
/// the text alone is no category.
fn settle_specificity(
    by_cat: Vec<Option<CategoryHit>>,
    kw_spec: &[Option<Specificity>],
    service: bool,
) -> Vec<CategoryHit> {
    let mut out = Vec::new();
    for (ci, hit) in by_cat.into_iter().enumerate() {
        let Some(mut hit) = hit else { continue };
        let code_spec = [&hit.psc, &hit.naics]
            .into_iter()
            .flatten()
            .map(|(_, _, s)| *s)
            // Low codes corroborate a keyword but never raise the specificity.
            .filter(|s| *s > Specificity::Low)
            .max();
        let mut text_spec = kw_spec[ci];
        // A context word on a service record: the NAICS of the vendor does not make the
        // service a purchase of the good.
        if service && hit.psc.is_none() && text_spec.is_none() && code_spec.is_none() {
            continue;
        }
        if service && hit.psc.is_none() && text_spec.is_some() {
            // A service about a good (laundry of uniforms, cable installation in a
            // telecommunications service) does not acquire the good: without a code of
            // the category the text is no category.
            if code_spec.is_none() {
                continue;
            }
            text_spec = Some(Specificity::Low);
        }
        hit.specificity = text_spec.max(code_spec).unwrap_or(Specificity::Low);
        out.push(hit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> CategoryMatcher {
        CategoryMatcher::load(&DataFiles::builtin()).unwrap()
    }

    fn cats(m: &CategoryMatcher, text: &str) -> Vec<String> {
        let mut v: Vec<String> = m
            .classify(Some(text), None, None)
            .into_iter()
            .map(|h| m.categories[h.category].id.clone())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn normalise_and_codes() {
        assert_eq!(
            normalize("Poly-Cotton T-Shirts, 50/50!"),
            " poly cotton t shirts 50 50 "
        );
        assert_eq!(code_key("8415: CLOTHING, SPECIAL PURPOSE"), "8415");
        assert_eq!(code_key("315220.0"), "315220");
        assert_eq!(code_key(" y1mg "), "Y1MG");
    }

    #[test]
    fn every_category_has_a_positive() {
        let m = matcher();
        let cases = [
            ("cotton_textiles", "COTTON DUCK FABRIC, 100% cotton"),
            ("cotton_textiles", "Bath towels and bed sheets"),
            ("cotton_textiles", "cotton swabs, sterile"),
            ("apparel", "Uniforms for TSA officers"),
            ("apparel", "MEN'S TROUSERS AND T-SHIRTS"),
            ("apparel", "surgical gowns, isolation gowns"),
            ("footwear", "Combat boots, hot weather"),
            ("footwear", "SAFETY SHOES"),
            ("gloves", "nitrile exam gloves, powder free"),
            ("hair_products", "human hair wigs for cancer patients"),
            ("tomatoes", "TOMATOES, CANNED, DICED"),
            ("tomatoes", "Ketchup packets"),
            ("polysilicon_solar", "Solar panels for remote site"),
            ("polysilicon_solar", "photovoltaic array installation"),
            ("polysilicon_solar", "solar-powered light tower rental"),
            ("aluminum", "aluminum extrusion 6061"),
            ("pvc", "PVC pipe, schedule 40"),
            ("pvc", "polyvinyl chloride sheet"),
            ("seafood", "Frozen shrimp and pollock fillets"),
            ("seafood", "canned tuna"),
            ("steel", "Stainless steel rebar"),
            ("copper", "copper wire, bare"),
            ("lithium_batteries", "Lithium-ion batteries BB-2590"),
            ("lithium_batteries", "Li-ion battery pack"),
            ("caustic_soda", "Sodium hydroxide 50% solution"),
            ("caustic_soda", "caustic soda, flake"),
            ("red_dates", "dried red dates (jujube)"),
            ("electronics", "laptop computers"),
            ("toys", "plush toys for outreach events"),
            ("bricks", "firebrick, refractory"),
            ("coal", "bituminous coal for heating plant"),
            ("fireworks", "fireworks display, July 4"),
            ("nails", "roofing nails, galvanized"),
            (
                "artificial_flowers_decorations",
                "artificial flowers and Christmas ornaments",
            ),
        ];
        let mut covered = std::collections::HashSet::new();
        for (want, text) in cases {
            let got = cats(&m, text);
            assert!(
                got.iter().any(|c| c == want),
                "{text:?}: {got:?}, want {want}"
            );
            covered.insert(want);
        }
        for c in &m.categories {
            assert!(
                covered.contains(c.id.as_str()),
                "no positive test for {}",
                c.id
            );
        }
    }

    #[test]
    fn traps_do_not_match() {
        let m = matcher();
        let traps = [
            "Uniform Contract Format Section I",
            "Uniform Commercial Code filing",
            "Solaris operating system licenses",
            "Solar Turbines Inc. gas turbine overhaul",
            "Solar wind research, solar radiation measurements",
            "US Fish and Wildlife Service office support",
            "drug screening services",
            "lithium grease, 14 oz tubes",
            "Mailing address update",
            "epoxy coating of tanks",
            "boot camp training facilitation",
            "brake shoes for HMMWV",
            "glove box, nitrogen purge",
            "silicone sealant",
            "lawsuit support services",
            "Tomahawk missile components",
            "blanket purchase agreement for office supplies",
            "nail polish and nail files",
            "screw thread gauges",
            "present value (PV) analysis",
            "hair dryer replacement",
            "charcoal grey paint",
            "coal tar sealer for parking lot",
            "fish passage study on the Columbia",
            "boot disk imaging and secure boot settings",
            "capital planning and dress rehearsal",
            "brick and mortar retail study",
            "COD analysis of wastewater",
            "ATSP4 is a uniform technical and management approach",
            "Domestic uniform guard services",
            "security thread for currency",
        ];
        for t in traps {
            assert!(cats(&m, t).is_empty(), "{t:?} matched {:?}", cats(&m, t));
        }
        // Lithium carbonate as a drug (PSC 6505) is no battery input.
        assert!(
            m.classify(Some("lithium carbonate 300mg"), Some("6505"), None)
                .is_empty()
        );
    }

    #[test]
    fn narrowed_codes_and_words_and_new_signals() {
        let m = matcher();
        let ids = |h: Vec<CategoryHit>| -> Vec<String> {
            let mut v: Vec<String> = h
                .into_iter()
                .map(|h| m.categories[h.category].id.clone())
                .collect();
            v.sort();
            v
        };
        // Codes of low specificity alone are no category.
        assert!(
            ids(m.classify(None, None, Some("334413"))).is_empty(),
            "chips"
        );
        assert!(
            ids(m.classify(None, Some("6140"), Some("335911"))).is_empty(),
            "batteries"
        );
        assert!(ids(m.classify(Some("concrete block"), Some("5620"), None)).is_empty());
        assert_eq!(
            ids(m.classify(Some("lithium-ion batteries"), Some("6140"), None)),
            ["lithium_batteries"]
        );
        // Words that also name other things.
        for t in [
            "paper towels, dispensers",
            "emery cloth",
            "cable jacket, water jacket",
            "brads and staples",
            "distinctive currency paper",
            "alternative metals study for circulating coinage",
            "copper",
            "aluminum ladder",
        ] {
            assert!(cats(&m, t).is_empty(), "{t}: {:?}", cats(&m, t));
        }
        // A low word counts next to a product word.
        assert_eq!(cats(&m, "copper cable, 500 ft"), ["copper"]);
        // New signals.
        assert_eq!(cats(&m, "silicon metal, 98.5%"), ["polysilicon_solar"]);
        assert_eq!(cats(&m, "industrial silicon"), ["polysilicon_solar"]);
        assert_eq!(cats(&m, "viscose rayon staple"), ["cotton_textiles"]);
        assert_eq!(cats(&m, "tool steel"), ["steel"]);
        assert_eq!(cats(&m, "stainless steel round blanks"), ["steel"]);
        let cs = m
            .categories
            .iter()
            .find(|c| c.id == "caustic_soda")
            .unwrap();
        assert!(cs.basis.iter().any(|b| b.text.contains("Tangshan Sanyou")));
    }

    #[test]
    fn plurals_and_whole_words() {
        let m = matcher();
        assert_eq!(cats(&m, "TOMATOES"), ["tomatoes"]);
        assert_eq!(cats(&m, "batteries, lithium"), ["lithium_batteries"]);
        assert!(cats(&m, "coatings").is_empty());
        assert!(cats(&m, "addresses").is_empty());
        assert!(cats(&m, "uniformity testing").is_empty());
    }

    #[test]
    fn specificity_from_codes_and_text() {
        let m = matcher();
        // PSC 8415 alone is apparel (H); gloves need a keyword.
        let h = m.classify(None, Some("8415"), None);
        assert_eq!(h.len(), 1);
        assert_eq!(m.categories[h[0].category].id, "apparel");
        assert_eq!(h[0].specificity, Specificity::High);
        // A low code alone is nothing; with a keyword it corroborates.
        assert!(m.classify(None, Some("9530"), None).is_empty());
        let h = m.classify(Some("aluminum bar stock"), Some("9530"), None);
        let al = h
            .iter()
            .find(|h| m.categories[h.category].id == "aluminum")
            .unwrap();
        assert_eq!(al.specificity, Specificity::Medium);
        assert!(al.psc.is_some());
        // A code that needs a keyword: PSC 8905 is mostly meat.
        assert!(
            m.classify(Some("beef, frozen"), Some("8905"), None)
                .is_empty()
        );
        let h = m.classify(Some("salmon fillets"), Some("8905"), None);
        assert_eq!(h[0].specificity, Specificity::High);
        // NAICS as a float.
        let h = m.classify(None, None, Some("315220.0"));
        assert_eq!(m.categories[h[0].category].id, "apparel");
        // A service about a good is not the good: no category from its text alone.
        assert!(
            m.classify(Some("laundry of uniforms"), Some("S209"), None)
                .is_empty()
        );
        assert!(
            m.classify(Some("COPPER CABLES"), Some("D304"), Some("517311"))
                .is_empty()
        );
        assert!(
            m.classify(Some("FIBER AND COPPER"), Some("D399"), None)
                .is_empty()
        );
        assert!(
            m.classify(
                Some("ORTHOSTATIC INTOLERANCE GARMENT"),
                Some("AN11"),
                Some("541715")
            )
            .is_empty()
        );
        // A service code of the category: the text is not capped, the code counts alone.
        let h = m.classify(Some("repair solar panels"), Some("Z2MG"), None);
        assert_eq!(h[0].specificity, Specificity::High);
        let h = m.classify(Some("site maintenance"), Some("Z1MG"), None);
        assert_eq!(h[0].specificity, Specificity::Medium);
    }

    #[test]
    fn context_words_count_under_context_codes_only() {
        let m = matcher();
        let electronics = |d: &str, psc: Option<&str>, naics: Option<&str>| {
            m.classify(Some(d), psc, naics)
                .into_iter()
                .find(|h| m.categories[h.category].id == "electronics")
        };
        // General IT hardware codes with a word naming the hardware: low, the word as evidence.
        let sewp = "SEWP: Unix, Linux and Windows desktops and servers, peripherals";
        let h = electronics(sewp, Some("7035"), Some("541519")).expect("PSC 7035");
        assert_eq!(h.specificity, Specificity::Low);
        assert_eq!(h.keywords, ["desktop", "server", "peripheral"]);
        assert!(electronics("IT hardware (HW)", Some("7025"), Some("334111")).is_some());
        assert!(electronics("ITES-3 hardware", None, Some("334111")).is_some());
        assert!(electronics("two Dell R430 servers", Some("5895"), None).is_some());
        // The same words without a context code, or under an L code without the flag: nothing.
        assert!(electronics(sewp, None, None).is_none());
        assert!(electronics(sewp, Some("5961"), Some("334413")).is_none());
        assert!(electronics("food servers and hardware store", Some("7310"), None).is_none());
        // A context code with no word: nothing.
        assert!(electronics("SEWP V category B, group C", Some("7035"), Some("334111")).is_none());
        // Services, licences, studies and program names are not the hardware.
        for d in [
            "server maintenance and desktop support",
            "Windows Server licenses",
            "IT hardware maintenance",
            "study of data center servers",
            "Common Hardware Systems (CHS-5) battery and 6 bay battery charger",
        ] {
            assert!(
                electronics(d, Some("7035"), Some("334111")).is_none(),
                "{d}"
            );
        }
        // A service record whose vendor NAICS is a computer code does not buy the servers.
        assert!(electronics("servers and storage devices", Some("D302"), Some("334111")).is_none());
        // Keywords of the category still count alone, with or without a code.
        assert!(electronics("rugged laptops", None, None).is_some());
        assert!(electronics("circuit card assembly", Some("5995"), Some("334419")).is_some());
    }

    #[test]
    fn render_lists_every_category_with_basis() {
        let m = matcher();
        let out = m.render();
        for c in &m.categories {
            assert!(out.contains(&c.id));
            assert!(out.contains(&c.basis[0].text));
        }
        assert!(out.contains("UFLPA"));
    }
}

//! Entity screening (ENT001): screening-list loaders (plain CSV, trade.gov Consolidated
//! Screening List, OpenSanctions targets.simple.csv, FollowTheMoney JSON lines), name
//! normalisation and a scored fuzzy matcher with an inverted index built once per run.
//!
//! Precision first: a legal form or a generic word alone never matches, and a list entry
//! made only of generic words and place names (e.g. "Xinjiang Energy (Group) Co., Ltd.")
//! matches only the same name.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;

/// One screening-list entry, keeping the list it came from for the finding.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityEntry {
    /// The primary name, cleaned of the official alias grammar.
    pub name: String,
    pub aliases: Vec<String>,
    /// The list: "UFLPA Entity List", "CBP WRO/Finding", "Entity List (EL) - Bureau of ...".
    pub list: String,
    /// Where the entry was read: notice, page or file.
    pub source: String,
    /// Effective or listing date as given (free text; may be empty).
    pub date: String,
    /// The list names the entity "and subsidiaries" / "subordinate and affiliated entities".
    pub subsidiaries: bool,
}

/// Score at and above which a name is reported.
pub const MATCH_THRESHOLD: f64 = 0.8;

/// Legal forms and filler: dropped before comparing (REFERENCE.md 7.2 name grammar).
const LEGAL_FORMS: &[&str] = &[
    "co",
    "company",
    "companies",
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "plc",
    "lp",
    "llp",
    "gmbh",
    "ag",
    "sa",
    "bv",
    "nv",
    "pte",
    "pty",
    "srl",
    "spa",
    "group",
    "holding",
    "holdings",
    "jsc",
    "ojsc",
    "pjsc",
    "oao",
    "zao",
    "ooo",
    "sdn",
    "bhd",
    "tbk",
    "the",
    "and",
    "of",
    "dba",
];

/// Words that say what a company does, not which one it is: they count a quarter.
const GENERIC: &[&str] = &[
    "technology",
    "technologies",
    "tech",
    "science",
    "sciences",
    "industry",
    "industries",
    "industrial",
    "trade",
    "trading",
    "business",
    "international",
    "intl",
    "global",
    "new",
    "energy",
    "material",
    "materials",
    "product",
    "products",
    "manufacturing",
    "mfg",
    "development",
    "enterprise",
    "enterprises",
    "import",
    "export",
    "national",
    "service",
    "services",
    "supply",
    "supplies",
    "solution",
    "solutions",
    "system",
    "systems",
    "engineering",
    "construction",
    "garment",
    "garments",
    "apparel",
    "textile",
    "textiles",
    "fashion",
    "clothing",
    "solar",
    "mining",
    "metal",
    "metals",
    "nonferrous",
    "silicon",
    "chemical",
    "chemicals",
    "electronic",
    "electronics",
    "information",
    "communication",
    "communications",
    "digital",
    "equipment",
    "park",
    "county",
    "city",
    "province",
    "region",
    "autonomous",
    "fruit",
    "fruits",
    "vegetable",
    "vegetables",
    "agricultural",
    "hair",
    "accessories",
    "cotton",
    "linen",
    "sugar",
    "gold",
    "copper",
    "zinc",
    "magnesium",
    "rare",
    "earth",
    "green",
    "power",
    "ocean",
    "fishing",
    "vessel",
    "vessels",
    "center",
    "centre",
    "education",
    "training",
    "vocational",
    "skills",
    "economic",
    "investment",
    "resources",
    "resource",
    "mine",
    "building",
    "logistics",
    "shipping",
    "usa",
    "america",
    "american",
    "us",
    "china",
    "chinese",
    "east",
    "west",
    "western",
    "eastern",
    "north",
    "south",
    "northern",
    "southern",
    "central",
    "factory",
    "works",
    "branch",
    "office",
    "subsidiary",
    "associates",
    "partners",
    "management",
    "consulting",
    "federal",
    "government",
    "new",
    "general",
    "united",
    "state",
    "states",
    "no",
    "llc",
    "medical",
    "health",
    "security",
];

/// Provinces, cities and regions outside Xinjiang: they locate a company more than they name
/// it. Xinjiang's own names and places come from the one list in `clauses/places.toml`.
const PLACES: &[&str] = &[
    "anhui",
    "jiangsu",
    "guangdong",
    "sichuan",
    "zhejiang",
    "shandong",
    "hubei",
    "henan",
    "hunan",
    "fujian",
    "hebei",
    "jiangxi",
    "shanxi",
    "shaanxi",
    "yunnan",
    "guizhou",
    "gansu",
    "qinghai",
    "ningxia",
    "liaoning",
    "jilin",
    "heilongjiang",
    "guangxi",
    "hainan",
    "inner",
    "mongolia",
    "beijing",
    "shanghai",
    "tianjin",
    "chongqing",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "hefei",
    "huizhou",
    "tangshan",
    "dalian",
    "baotou",
    "baoding",
    "donghai",
    "hong",
    "kong",
];

fn weight(token: &str) -> f64 {
    if GENERIC.contains(&token) {
        0.25
    } else if PLACES.contains(&token)
        || super::xinjiang::global().is_place_word(token)
        || token.len() <= 2
        || token.bytes().all(|b| b.is_ascii_digit())
    {
        0.5
    } else {
        1.0
    }
}

/// Split off a balanced `( ... )` group starting at byte `open`; returns its inner text and
/// the byte index after the closing bracket (or the end of the text when unclosed).
fn bracket_group(s: &str, open: usize) -> (&str, usize) {
    let mut depth = 0usize;
    for (i, ch) in s[open..].char_indices() {
        match ch {
            '(' | '[' | '（' => depth += 1,
            ')' | ']' | '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let inner_start = open + s[open..].chars().next().map_or(1, char::len_utf8);
                    return (&s[inner_start..open + i], open + i + ch.len_utf8());
                }
            }
            _ => {}
        }
    }
    let inner_start = open + s[open..].chars().next().map_or(1, char::len_utf8);
    (&s[inner_start..], s.len())
}

/// Alias lists inside an official name: `A; B; and C`.
fn split_aliases(list: &str) -> Vec<String> {
    list.split(';')
        .map(|a| {
            let a = a.trim();
            let a = a.strip_prefix("and ").unwrap_or(a);
            a.trim().trim_end_matches(['.', ',']).trim().to_string()
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// Read the official name grammar (REFERENCE.md 7.2): "NAME (including one alias: A) and
/// subsidiaries"; "NAME (including N aliases: A; B; and C)"; "NAME and its subordinate and
/// affiliated entities"; "NAME and its eight PLACE-based subsidiaries, which include ...";
/// "NAME, and Subsidiaries"; "(formerly known as ...)"; "(aka ...)". Other brackets (place
/// names, "Group") stay in the name; normalisation drops them when comparing.
pub fn parse_official_name(raw: &str) -> (String, Vec<String>, bool) {
    let mut name = String::new();
    let mut aliases = Vec::new();
    let mut rest = raw.trim();
    while let Some(open) = rest.find(['(', '[', '（']) {
        let (inner, after) = bracket_group(rest, open);
        // ASCII folding keeps byte offsets, so `lower` indexes `inner` too.
        let lower = inner.trim().to_ascii_lowercase();
        let alias_text = ["including one alias:", "including"]
            .iter()
            .find(|p| lower.starts_with(*p) && lower.contains("alias"))
            .and_then(|_| inner.split_once(':').map(|(_, a)| a))
            .or_else(|| {
                [
                    "formerly known as",
                    "also known as",
                    "a.k.a.",
                    "aka",
                    "f.k.a.",
                    "fka",
                    "formerly",
                ]
                .iter()
                .find(|p| lower.starts_with(*p))
                .map(|p| {
                    inner
                        .trim()
                        .get(p.len()..)
                        .unwrap_or("")
                        .trim_start_matches([':', ' '])
                })
            });
        match alias_text {
            Some(a) => {
                aliases.extend(split_aliases(a));
                name.push_str(&rest[..open]);
            }
            None => name.push_str(&rest[..after]),
        }
        rest = &rest[after..];
    }
    name.push_str(rest);
    let lower = name.to_ascii_lowercase();
    let mut subsidiaries = false;
    let cut = [
        ", and subsidiaries",
        " and subsidiaries",
        " and its ",
        " and their ",
        ", and its ",
        " and affiliates",
        " and affiliated entities",
    ]
    .iter()
    .filter_map(|p| lower.find(p))
    .min();
    if let Some(at) = cut {
        let tail = &lower[at..];
        if tail.contains("subsidiar") || tail.contains("affiliat") || tail.contains("subordinate") {
            subsidiaries = true;
            name.truncate(at);
        }
    }
    let name = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([',', ';'])
        .trim()
        .to_string();
    (name, aliases, subsidiaries)
}

/// Name -> comparable tokens: brackets dropped (place names, "Group"), `&` as "and", case
/// and punctuation folded, legal forms dropped.
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut plain = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find(['(', '[', '（']) {
        plain.push_str(&rest[..open]);
        plain.push(' ');
        rest = &rest[bracket_group(rest, open).1..];
    }
    plain.push_str(rest);
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let lower = plain.to_lowercase();
    // "co.,ltd" and "s.a." fold to letters; apostrophes join ("mink's" -> "minks").
    for ch in lower.chars() {
        if ch.is_alphanumeric() {
            cur.push(ch);
        } else if ch == '\'' || ch == '’' || (ch == '.' && cur.len() == 1) {
            continue;
        } else if !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens.retain(|t| !LEGAL_FORMS.contains(&t.as_str()));
    tokens
}

/// Levenshtein distance up to 1 (enough for one typo); false beyond.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Token deletions used to find one-typo neighbours through the index.
fn deletions(t: &str) -> Vec<String> {
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

#[derive(Debug)]
struct IndexedName {
    entry: usize,
    display: String,
    tokens: Vec<String>,
    weights: Vec<f64>,
    total: f64,
    /// At least one token with full weight: fuzzy matching is allowed.
    distinctive: bool,
    concat: String,
}

/// A screening hit.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMatch<'a> {
    pub entry: &'a EntityEntry,
    /// The list name (primary or alias) that matched.
    pub matched_name: &'a str,
    /// 0..1; 1 is the same name after normalisation.
    pub score: f64,
}

/// Entity screener: every entry's names indexed by their telling tokens.
#[derive(Debug, Default)]
pub struct Screener {
    entries: Vec<EntityEntry>,
    names: Vec<IndexedName>,
    by_token: HashMap<String, Vec<usize>>,
    by_concat: HashMap<String, Vec<usize>>,
    /// Keys the per-thread cache of screening results ([`crate::memo`]); a new value each
    /// time the index changes (0: empty).
    owner: u64,
}

const FUZZY_MIN_LEN: usize = 5;

thread_local! {
    // A portfolio names the same few suppliers on row after row; screening one is the
    // costliest step of a record, and its result depends on the name alone.
    static SCREENED: std::cell::RefCell<crate::memo::Memo<Option<(f64, usize)>>> =
        std::cell::RefCell::default();
}

impl Screener {
    pub fn new(entries: Vec<EntityEntry>) -> Screener {
        let mut s = Screener::default();
        s.extend(entries);
        s
    }

    pub fn entries(&self) -> &[EntityEntry] {
        &self.entries
    }

    /// Add entries (from `--entities FILE`) to the index.
    pub fn extend(&mut self, entries: Vec<EntityEntry>) {
        self.owner = crate::memo::new_owner();
        for e in entries {
            let ei = self.entries.len();
            let mut seen = HashSet::new();
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let tokens = name_tokens(n);
                if tokens.is_empty() || !seen.insert(tokens.clone()) {
                    continue;
                }
                let weights: Vec<f64> = tokens.iter().map(|t| weight(t)).collect();
                let ni = self.names.len();
                let concat: String = tokens.concat();
                for (t, w) in tokens.iter().zip(&weights) {
                    if *w >= 0.5 {
                        self.by_token.entry(t.clone()).or_default().push(ni);
                    }
                    if *w >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN {
                        for d in deletions(t) {
                            self.by_token.entry(d).or_default().push(ni);
                        }
                    }
                }
                self.by_concat.entry(concat.clone()).or_default().push(ni);
                self.names.push(IndexedName {
                    entry: ei,
                    display: n.clone(),
                    distinctive: weights.iter().any(|w| *w >= 1.0),
                    total: weights.iter().sum(),
                    tokens,
                    weights,
                    concat,
                });
            }
            self.entries.push(e);
        }
    }

    fn score(name: &IndexedName, cand: &[String]) -> f64 {
        if name.tokens == cand {
            return 1.0;
        }
        if name.concat == cand.concat() {
            // "Hik Vision" for "Hikvision": the same letters, split differently.
            return 0.95;
        }
        if !name.distinctive {
            return 0.0;
        }
        let mut used = vec![false; cand.len()];
        let mut matched = 0.0;
        let mut matched_distinctive = false;
        for (t, w) in name.tokens.iter().zip(&name.weights) {
            let exact = (0..cand.len()).find(|&j| !used[j] && cand[j] == *t);
            // "Hik Vision" for "Hikvision": two adjacent candidate words make the list word.
            let split = || {
                (0..cand.len().saturating_sub(1)).find(|&j| {
                    !used[j]
                        && !used[j + 1]
                        && cand[j].len() + cand[j + 1].len() == t.len()
                        && t.starts_with(cand[j].as_str())
                        && t.ends_with(cand[j + 1].as_str())
                })
            };
            if exact.is_none()
                && let Some(j) = split()
            {
                used[j] = true;
                used[j + 1] = true;
                matched += w;
                matched_distinctive |= *w >= 1.0;
                continue;
            }
            let found = exact.map(|j| (j, 1.0)).or_else(|| {
                (*w >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN)
                    .then(|| {
                        (0..cand.len()).find(|&j| {
                            !used[j]
                                && cand[j].chars().count() >= FUZZY_MIN_LEN
                                && within_one_edit(&cand[j], t)
                        })
                    })
                    .flatten()
                    .map(|j| (j, 0.8))
            });
            if let Some((j, f)) = found {
                used[j] = true;
                matched += w * f;
                matched_distinctive |= *w >= 1.0;
            }
        }
        if !matched_distinctive {
            return 0.0;
        }
        // Extra generic or place words in the candidate cost half (subsidiaries add them:
        // "X USA Inc."); an extra distinctive word, or a missing word of the list name, costs
        // in full ("Century Sunshine Landscaping" is not "Century Sunshine Group").
        let extra: f64 = cand
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| {
                if weight(t) >= 1.0 {
                    1.0
                } else {
                    0.5 * weight(t)
                }
            })
            .sum();
        matched / (name.total + extra)
    }

    /// The best list entry for `name` scoring at least [`MATCH_THRESHOLD`].
    pub fn screen(&self, name: &str) -> Option<EntityMatch<'_>> {
        let best =
            SCREENED.with_borrow_mut(|m| m.owned_by(self.owner).get_or(name, || self.best(name)));
        best.map(|(score, ni)| {
            let n = &self.names[ni];
            EntityMatch {
                entry: &self.entries[n.entry],
                matched_name: &n.display,
                score: (score * 100.0).round() / 100.0,
            }
        })
    }

    /// The best (score, name index) for `name`, uncached.
    fn best(&self, name: &str) -> Option<(f64, usize)> {
        let cand = name_tokens(name);
        if cand.is_empty() {
            return None;
        }
        let mut ids: Vec<usize> = Vec::new();
        if let Some(v) = self.by_concat.get(&cand.concat()) {
            ids.extend(v);
        }
        for pair in cand.windows(2) {
            if let Some(v) = self.by_token.get(&pair.concat()) {
                ids.extend(v);
            }
        }
        for t in &cand {
            if let Some(v) = self.by_token.get(t) {
                ids.extend(v);
            }
            if weight(t) >= 1.0 && t.chars().count() >= FUZZY_MIN_LEN {
                for d in deletions(t).iter().chain(std::iter::once(t)) {
                    if let Some(v) = self.by_token.get(d) {
                        ids.extend(v);
                    }
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut best: Option<(f64, usize)> = None;
        for ni in ids {
            let s = Self::score(&self.names[ni], &cand);
            if s >= MATCH_THRESHOLD && best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, ni));
            }
        }
        best
    }
}

// ---- list loaders ---------------------------------------------------------------------

/// Which screening-list layout a file has, detected from its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// CSV with a `name` column (optional `aliases`, `list`, `source`, `date`).
    Plain,
    /// trade.gov Consolidated Screening List CSV (`_id,source,...,name,...,alt_names,...`).
    Csl,
    /// OpenSanctions `targets.simple.csv` (`id,schema,name,aliases,...,sanctions,dataset`).
    OpenSanctions,
    /// FollowTheMoney entities, one JSON object per line.
    FtmJson,
}

pub fn detect_format(text: &str) -> anyhow::Result<ListFormat> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if first.trim_start().starts_with('{') {
        return Ok(ListFormat::FtmJson);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes());
    let header: Vec<String> = rdr
        .records()
        .next()
        .transpose()?
        .map(|r| r.iter().map(|h| h.trim().to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let has = |n: &str| header.iter().any(|h| h == n);
    if has("_id") && has("alt_names") && has("name") {
        Ok(ListFormat::Csl)
    } else if has("schema") && has("aliases") && has("name") {
        Ok(ListFormat::OpenSanctions)
    } else if has("name") {
        Ok(ListFormat::Plain)
    } else {
        anyhow::bail!(
            "not a screening list: expected a CSV header with a `name` column (plain, \
             Consolidated Screening List or OpenSanctions) or FollowTheMoney JSON lines"
        )
    }
}

fn split_multi(v: &str) -> Vec<String> {
    v.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn entry_from(
    raw_name: &str,
    extra_aliases: Vec<String>,
    list: String,
    source: String,
    date: String,
) -> Option<EntityEntry> {
    let (name, mut aliases, subsidiaries) = parse_official_name(raw_name);
    if name_tokens(&name).is_empty() {
        return None;
    }
    for a in extra_aliases {
        let (a, more, _) = parse_official_name(&a);
        aliases.push(a);
        aliases.extend(more);
    }
    aliases.retain(|a| !a.is_empty());
    Some(EntityEntry {
        name,
        aliases,
        list,
        source,
        date,
        subsidiaries,
    })
}

/// Parse a screening list; `origin` names it where the file gives no list name.
pub fn parse_entities(text: &str, origin: &str) -> anyhow::Result<Vec<EntityEntry>> {
    let text = text.trim_start_matches('\u{feff}');
    match detect_format(text)? {
        ListFormat::FtmJson => parse_ftm(text, origin),
        fmt => parse_csv(text, origin, fmt),
    }
}

fn parse_csv(text: &str, origin: &str, fmt: ListFormat) -> anyhow::Result<Vec<EntityEntry>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr.headers()?.clone();
    let headers: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    // `detect_format` looks past blank lines; the CSV reader takes a line of spaces as the
    // header, so such a file reaches here without a `name` column.
    let Some(name_col) = col("name") else {
        let line = header.position().map_or(1, |p| p.line());
        let found = if headers.iter().all(|h| h.is_empty()) {
            "a blank line".to_string()
        } else {
            format!("`{}`", header.iter().collect::<Vec<_>>().join(","))
        };
        anyhow::bail!(
            "{origin}: line {line}: expected the CSV header with a `name` column as the first \
             line, found {found}"
        );
    };
    let get = |r: &csv::StringRecord, c: Option<usize>| {
        c.and_then(|c| r.get(c)).unwrap_or("").trim().to_string()
    };
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{origin}: CSV record {}", i + 2))?;
        let name = get(&rec, Some(name_col));
        if name.is_empty() {
            continue;
        }
        let entry = match fmt {
            ListFormat::Csl => {
                // Individuals are screened by no field here (vendors are firms), and short
                // personal names would match unrelated firms.
                if get(&rec, col("type")).eq_ignore_ascii_case("individual") {
                    continue;
                }
                let list = Some(get(&rec, col("source")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "Consolidated Screening List".into());
                let frn = get(&rec, col("federal_register_notice"));
                let source = if frn.is_empty() {
                    format!("Consolidated Screening List ({origin})")
                } else {
                    format!("Consolidated Screening List ({origin}); {frn}")
                };
                entry_from(
                    &name,
                    split_multi(&get(&rec, col("alt_names"))),
                    list,
                    source,
                    get(&rec, col("start_date")),
                )
            }
            ListFormat::OpenSanctions => {
                if get(&rec, col("schema")).eq_ignore_ascii_case("person") {
                    continue;
                }
                let dataset = get(&rec, col("dataset"));
                let sanctions = get(&rec, col("sanctions"));
                let first_sanction = split_multi(&sanctions).into_iter().next();
                let first_sanction = first_sanction.unwrap_or_default();
                let program = first_sanction.split(" - ").next().unwrap_or("").trim();
                // "program - reason - status - startDate - endDate": the first ISO date.
                let start = first_sanction
                    .split([' ', ';'])
                    .find(|w| {
                        w.len() == 10 && chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok()
                    })
                    .unwrap_or("")
                    .to_string();
                let list = Some(program.to_string())
                    .filter(|s| !s.is_empty())
                    .or_else(|| split_multi(&dataset).into_iter().next())
                    .unwrap_or_else(|| "OpenSanctions".into());
                let source = format!("OpenSanctions {} ({origin})", get(&rec, col("id")));
                entry_from(
                    &name,
                    split_multi(&get(&rec, col("aliases"))),
                    list,
                    source,
                    start,
                )
            }
            _ => {
                let aliases = col("aliases").or(col("alt_names")).or(col("alias"));
                let list = Some(get(&rec, col("list")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| origin.to_string());
                let source = Some(get(&rec, col("source")))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| origin.to_string());
                entry_from(
                    &name,
                    split_multi(&get(&rec, aliases)),
                    list,
                    source,
                    get(&rec, col("date")),
                )
            }
        };
        out.extend(entry);
    }
    Ok(out)
}

fn parse_ftm(text: &str, origin: &str) -> anyhow::Result<Vec<EntityEntry>> {
    // Schemas that name an organisation; sanctions, ownerships, addresses and people are
    // skipped (see the CSL note on individuals).
    const SCHEMAS: &[&str] = &[
        "Company",
        "Organization",
        "LegalEntity",
        "Vessel",
        "PublicBody",
    ];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{origin}: line {}: not a JSON object", i + 1))?;
        let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or("");
        if !SCHEMAS.contains(&schema) {
            continue;
        }
        let prop = |k: &str| -> Vec<String> {
            v.get("properties")
                .and_then(|p| p.get(k))
                .and_then(|a| a.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut names = prop("name");
        if names.is_empty() {
            continue;
        }
        let primary = names.remove(0);
        names.extend(prop("alias"));
        names.extend(prop("previousName"));
        let list = v
            .get("datasets")
            .and_then(|d| d.as_array())
            .and_then(|d| d.first())
            .and_then(|d| d.as_str())
            .map(str::to_string)
            .or_else(|| prop("program").into_iter().next())
            .unwrap_or_else(|| "FollowTheMoney".into());
        let id = v.get("id").and_then(|s| s.as_str()).unwrap_or("");
        let source = match prop("sourceUrl").into_iter().next() {
            Some(u) => format!("{id} ({origin}); {u}"),
            None => format!("{id} ({origin})"),
        };
        let date = v
            .get("first_seen")
            .and_then(|s| s.as_str())
            .map(|s| s.chars().take(10).collect())
            .unwrap_or_default();
        out.extend(entry_from(&primary, names, list, source, date));
    }
    Ok(out)
}

/// Load a screening list given with `--entities FILE` (format detected from the header).
pub fn load_entities(path: &Path) -> anyhow::Result<Vec<EntityEntry>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let origin = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    parse_entities(&text, &origin).with_context(|| format!("{}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> EntityEntry {
        let (name, aliases, subsidiaries) = parse_official_name(name);
        EntityEntry {
            name,
            aliases,
            list: "test".into(),
            source: "test".into(),
            date: String::new(),
            subsidiaries,
        }
    }

    #[test]
    fn official_grammar() {
        let (n, a, s) = parse_official_name(
            "Hoshine Silicon Industry (Shanshan) Co., Ltd (including one alias: Hesheng Silicon Industry (Shanshan) Co.) and subsidiaries",
        );
        assert_eq!(n, "Hoshine Silicon Industry (Shanshan) Co., Ltd");
        assert_eq!(a, vec!["Hesheng Silicon Industry (Shanshan) Co"]);
        assert!(s);
        let (n, a, _) = parse_official_name(
            "Acme Textile Co. (including 3 aliases: Acme Tex; Acme Ltd.; and Acme Cotton)",
        );
        assert_eq!(n, "Acme Textile Co.");
        assert_eq!(a, vec!["Acme Tex", "Acme Ltd", "Acme Cotton"]);
        let (n, _, s) = parse_official_name(
            "Xinjiang Production and Construction Corps and its subordinate and affiliated entities",
        );
        assert_eq!(n, "Xinjiang Production and Construction Corps");
        assert!(s);
        let (n, _, s) = parse_official_name(
            "Western Gold Co., Ltd. and its eight Xinjiang-based subsidiaries, which include Hami Gold Mine Co.",
        );
        assert_eq!(n, "Western Gold Co., Ltd.");
        assert!(s);
        let (n, a, s) = parse_official_name("Tangshan Sanyou Group, and Subsidiaries");
        assert_eq!(n, "Tangshan Sanyou Group");
        assert!(a.is_empty() && s);
        let (n, a, _) = parse_official_name(
            "Xinjiang Zhonghe Co., Ltd. (formerly known as Xinjiang Joinworld Co., Ltd.)",
        );
        assert_eq!(n, "Xinjiang Zhonghe Co., Ltd.");
        assert_eq!(a, vec!["Xinjiang Joinworld Co., Ltd"]);
        // "and" inside a name is no subsidiaries clause.
        let (n, _, s) = parse_official_name("Baoding LYSZD Trade and Business Co., Ltd.");
        assert_eq!(n, "Baoding LYSZD Trade and Business Co., Ltd.");
        assert!(!s);
    }

    #[test]
    fn tokens() {
        assert_eq!(
            name_tokens("Hoshine Silicon Industry (Shanshan) Co., Ltd"),
            ["hoshine", "silicon", "industry"]
        );
        assert_eq!(
            name_tokens("HOSHINE SILICON INDUSTRY COMPANY LIMITED"),
            ["hoshine", "silicon", "industry"]
        );
        assert_eq!(
            name_tokens("Hongchang Fruits & Vegetable Products Co.,Ltd."),
            ["hongchang", "fruits", "vegetable", "products"]
        );
        assert_eq!(name_tokens("Co., Ltd."), Vec::<String>::new());
    }

    #[test]
    fn hostile_names_do_not_panic() {
        let s = seeds();
        let long = "Hoshine ".repeat(20_000);
        for n in [
            "((((",
            "))))",
            "（（ Hoshine",
            "A\u{212A}A Hoshine (A\u{212A}A Hesheng)",
            "İSTANBUL TEKSTİL and its İSTANBUL subsidiaries",
            "Hoshine (including one alias:",
            "",
            " ; ; ",
            long.as_str(),
            "\u{0}\u{feff}Ltd",
        ] {
            let _ = parse_official_name(n);
            let _ = name_tokens(n);
            let _ = s.screen(n);
        }
    }

    #[test]
    fn edits() {
        assert!(within_one_edit("hoshine", "hoshing"));
        assert!(within_one_edit("hoshine", "hoshines"));
        assert!(within_one_edit("hoshine", "hshine"));
        assert!(!within_one_edit("hoshine", "hashing"));
    }

    fn seeds() -> Screener {
        let text = include_str!("../../clauses/entities.csv");
        Screener::new(parse_entities(text, "entities.csv").unwrap())
    }

    #[test]
    fn seed_labels_and_aliases() {
        let s = seeds();
        let cases = [
            (
                "Xinjiang GCL New Energy Material Technology Co., Ltd.",
                "Xinjiang GCL",
            ),
            ("XINJIANG GCL NEW ENERGY MATERIAL", "Xinjiang GCL"),
            ("Xinjiang Great New Energy Co., Ltd.", "Xinjiang Daqo"),
            ("Xinjiang Daqin Energy Co Ltd", "Xinjiang Daqo"),
            ("HY Solar Co., Ltd.", "Hongyuan"),
            ("COFCO Sugar Holdings", "COFCO Sugar"),
        ];
        for (name, want) in cases {
            let m = s.screen(name).unwrap_or_else(|| panic!("{name} unmatched"));
            assert!(m.entry.name.starts_with(want), "{name}: {}", m.entry.name);
        }
        // UFLPA Entity List membership from the initial list of 2022-06-21, also for entities
        // CBP named in a WRO first.
        let m = s.screen("Hetian Taida Apparel Co., Ltd.").unwrap();
        assert!(
            m.entry.list.contains("UFLPA Entity List"),
            "{}",
            m.entry.list
        );
        assert_eq!(m.entry.date, "2022-06-21");
        // Every seed names a public source.
        for e in parse_entities(include_str!("../../clauses/entities.csv"), "x").unwrap() {
            assert!(
                crate::rules::legal::source_problem(&e.source).is_none(),
                "{}: {}",
                e.name,
                e.source
            );
        }
    }

    #[test]
    fn variants_match() {
        let s = seeds();
        let cases = [
            ("HOSHINE SILICON INDUSTRY CO LTD", "Hoshine"),
            (
                "Hoshine Silicon Industry (Shanshan) Company Limited",
                "Hoshine",
            ),
            ("hoshine silicon", "Hoshine"),
            ("Hesheng Silicon Industry", "Hoshine"),
            ("Hoshing Silicon Industry Co", "Hoshine"),
            (
                "Xinjiang Production & Construction Corps.",
                "Xinjiang Production",
            ),
            ("XPCC", "Xinjiang Production"),
            ("Huawei Technologies USA Inc.", "Huawei"),
            ("HUAWEI TECHNOLOGIES CO., LTD.", "Huawei"),
            ("Hik Vision Digital Technology", "Hangzhou Hikvision"),
            (
                "Hangzhou Hikvision Digital Technology Co., Ltd.",
                "Hangzhou Hikvision",
            ),
            ("Esquel Enterprises Ltd", "Esquel Group"),
            ("Xinjiang Energy Co., Ltd.", "Xinjiang Energy"),
            ("Zijin Mining Group Company Limited", "Zijin Mining"),
            ("Xinjiang Joinworld Co., Ltd.", "Xinjiang Zhonghe"),
            ("Dalian Ocean Fishing Company", "Dalian Ocean Fishing"),
            ("ZTE Corp", "ZTE"),
        ];
        for (name, want) in cases {
            let m = s
                .screen(name)
                .unwrap_or_else(|| panic!("{name} should match"));
            assert!(m.entry.name.starts_with(want), "{name} -> {}", m.entry.name);
        }
    }

    /// Hard negatives: real vendor-like names that share words with list entries.
    /// Precision on them is reported in the closing note; every one must stay unmatched.
    pub const HARD_NEGATIVES: &[&str] = &[
        "Co., Ltd.",
        "Company Limited",
        "China Trading Co",
        "Xinjiang",
        "Solar Technology Co., Ltd.",
        "Green Energy LLC",
        "JA Solar USA Inc",
        "COFCO International",
        "Dahua Construction LLC",
        "Huawei Device Co",
        "Hero Industries",
        "Century Sunshine Landscaping",
        "Western Gold Exploration Inc",
        "Zhonghe Trading",
        "Meike Photo Supply",
        "Hongyuan Textile Co",
        "Tangshan Steel Works",
        "Sunshine Group Inc",
        "Ocean Fishing Supply",
        "Rare Earth Metals Inc",
        "East Hope Church",
        "Mink Industrial Supply",
        "Bitland Information Systems",
        "Energy Group Co",
        "Silicon Materials Inc",
        "Hair Products Inc",
        "Vocational Skills Training Center LLC",
        "Taida Fashion",
        "Esquire Textile Co",
        "Hoshizaki America Inc",
        "ZTEC Instruments",
        "Dahl Technology Co",
        "Huafu Restaurant",
        "Jingwei Tech",
        "Xinya Trading",
        "VF Imagewear Inc",
        "Perimeter Solutions LP",
        "American Apparel Inc",
        "Solar Turbines Inc",
        "Hytec Communications",
    ];

    #[test]
    fn hard_negatives_stay_unmatched() {
        let s = seeds();
        let fp: Vec<String> = HARD_NEGATIVES
            .iter()
            .filter_map(|n| {
                s.screen(n)
                    .map(|m| format!("{n} -> {} ({})", m.entry.name, m.score))
            })
            .collect();
        assert!(fp.is_empty(), "false positives: {fp:?}");
    }

    #[test]
    fn generic_tokens_alone_never_match() {
        let s = Screener::new(vec![
            entry("Xinjiang Energy (Group) Co., Ltd."),
            entry("Acme Solar Co"),
        ]);
        assert!(s.screen("Energy").is_none());
        assert!(s.screen("Xinjiang").is_none());
        assert!(s.screen("Solar Co").is_none());
        assert!(s.screen("Ltd").is_none());
        assert!(s.screen("Xinjiang Energy Company").is_some());
        assert!(s.screen("Acme Solar").is_some());
    }

    #[test]
    fn formats_detected() {
        let csl = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n\
1,Entity List (EL) - Bureau of Industry and Security,,Entity,,Xinjiang Sailing Textile Co. Ltd.,,,85 FR 44159,2020-07-22,,,,,,,,,,,,,Sailing Textile; Xinjiang Sailing,,,,,,\n\
2,Specially Designated Nationals (SDN) - Treasury Department,,Individual,,ZHANG Wei,,,,,,,,,,,,,,,,,,,,,,,\n";
        assert_eq!(detect_format(csl).unwrap(), ListFormat::Csl);
        let v = parse_entities(csl, "csl.csv").unwrap();
        assert_eq!(v.len(), 1, "individuals skipped");
        assert_eq!(
            v[0].list,
            "Entity List (EL) - Bureau of Industry and Security"
        );
        assert_eq!(v[0].aliases, ["Sailing Textile", "Xinjiang Sailing"]);
        assert_eq!(v[0].date, "2020-07-22");

        let os = "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\n\
us-uflpa-1,Company,Acme Silicon Co. Ltd.,Acme Si;Acme Silicon Holdings,,cn,,,UFLPA Entity List - 2(d)(2)(B)(ii) - - 2022-06-21 - ,,,US DHS UFLPA Entity List,2022-06-21,2025-01-01,2025-01-01\n\
us-x-2,Person,Some Body,,,,,,,,,x,,,\n";
        assert_eq!(detect_format(os).unwrap(), ListFormat::OpenSanctions);
        let v = parse_entities(os, "targets.simple.csv").unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].list, "UFLPA Entity List");
        assert_eq!(v[0].date, "2022-06-21");

        let ftm = r#"{"id":"us-uflpa-x","schema":"Company","properties":{"name":["Acme Cotton Co., Ltd."],"alias":["Acme Tex"],"country":["cn"]},"datasets":["us_dhs_uflpa"],"first_seen":"2023-01-01T00:00:00"}
{"id":"s1","schema":"Sanction","properties":{"program":["UFLPA"]},"datasets":["us_dhs_uflpa"]}
"#;
        assert_eq!(detect_format(ftm).unwrap(), ListFormat::FtmJson);
        let v = parse_entities(ftm, "entities.ftm.json").unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].list, "us_dhs_uflpa");
        assert_eq!(v[0].aliases, ["Acme Tex"]);
        assert_eq!(v[0].date, "2023-01-01");

        let plain = "Name\nAcme Widgets (Xinjiang) Co\n";
        assert_eq!(detect_format(plain).unwrap(), ListFormat::Plain);
        let v = parse_entities(plain, "mine.csv").unwrap();
        assert_eq!(v[0].list, "mine.csv");
        assert!(detect_format("foo,bar\n1,2\n").is_err());
    }

    #[test]
    fn loads_from_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("list.csv");
        std::fs::write(&p, "name,list\nAcme Widgets Co,My List\n").unwrap();
        let v = load_entities(&p).unwrap();
        assert_eq!(v[0].list, "My List");
        assert!(load_entities(&dir.path().join("missing.csv")).is_err());
    }
}

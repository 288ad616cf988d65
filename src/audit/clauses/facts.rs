//! The predicates behind `when = [...]`: typed facts about one record, each true, false or
//! unknown (naming the fields that would decide it). Unknown facts become DATA001.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex::{Regex, RegexSet};

use crate::parse::country::Location;
use crate::record::{Field, Record, RecordType};
use crate::rules::Predicate;
use crate::rules::legal::Legal;
use crate::rules::render::money;

/// Data compiled once per run from eo13126.toml and agencies.toml.
pub struct Compiled {
    /// One pattern per E.O. 13126 product (same order as `Legal::eo13126.products`).
    products: Option<RegexSet>,
    dod_names: Option<Regex>,
    dod_offices: Vec<Regex>,
}

/// `(?i)\b(?:a|b|c)\b` over escaped words; `None` for an empty list.
fn words_regex(words: &[String]) -> Option<String> {
    let alts: Vec<String> = words
        .iter()
        .filter(|w| !w.trim().is_empty())
        .map(|w| regex::escape(w.trim()).replace(r"\ ", r"\s+"))
        .collect();
    (!alts.is_empty()).then(|| format!(r"(?i)\b(?:{})\b", alts.join("|")))
}

impl Compiled {
    /// Patterns were validated at load time, so compiling cannot fail on loaded data.
    pub fn new(legal: &Legal) -> anyhow::Result<Compiled> {
        let product_patterns: Vec<String> = legal
            .eo13126
            .products
            .iter()
            // A product with no keywords never matches by text (PSC/NAICS still can).
            .map(|p| words_regex(&p.keywords).unwrap_or_else(|| "[^\\s\\S]".into()))
            .collect();
        let products = if product_patterns.is_empty() {
            None
        } else {
            Some(RegexSet::new(&product_patterns)?)
        };
        let dod_names = words_regex(&legal.dod.names)
            .map(|p| Regex::new(&p))
            .transpose()?;
        let dod_offices = legal
            .dod
            .office_code_patterns
            .iter()
            .map(|p| Regex::new(p))
            .collect::<Result<_, _>>()?;
        Ok(Compiled {
            products,
            dod_names,
            dod_offices,
        })
    }
}

/// Three-valued truth: unknown names the fields that would decide it.
#[derive(Debug, Clone, PartialEq)]
pub enum Tri {
    Yes,
    No,
    Unknown(Vec<&'static str>),
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    /// Conjunction: any No wins; else unknown fields accumulate.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, x) | (x, Tri::Yes) => x,
            (Tri::Unknown(mut a), Tri::Unknown(b)) => {
                for f in b {
                    if !a.contains(&f) {
                        a.push(f);
                    }
                }
                Tri::Unknown(a)
            }
        }
    }
}

/// The possible outside-US portion P (CONTRACT.md section 3).
#[derive(Debug, Clone, PartialEq)]
pub enum Portion {
    Known {
        amount: f64,
        /// Why: "value_outside_us", "place of performance DEU", "inside the United States".
        basis: String,
        /// The cell the figure came from.
        col: Option<u32>,
    },
    Unknown {
        fields: Vec<&'static str>,
        /// P cannot exceed the record's value, when that is known.
        at_most: Option<f64>,
    },
}

/// Per-record evaluation state: the date used, facts computed once, and what is unknown.
pub struct Facts<'a> {
    pub record: &'a Record,
    pub legal: &'a Legal,
    compiled: &'a Compiled,
    /// D: the record's date, or --as-of.
    pub d: NaiveDate,
    /// Determinations that depended on D (to report a blank or unreadable date).
    pub used_date: Vec<String>,
    /// Unknown fields and the determinations they blocked (DATA001).
    pub unknown: BTreeMap<&'static str, Vec<String>>,
    portion: Option<Portion>,
}

fn location_known(f: &Field<Location>) -> Option<&Location> {
    f.value().filter(|l| l.in_us.is_some())
}

/// `Germany (DEU)`; the text alone when it already shows the code (`CHN: CHINA`, `DEU`).
fn place_text(l: &Location) -> String {
    match &l.code {
        Some(c) if l.text.is_empty() => c.clone(),
        Some(c)
            if !l
                .text
                .to_ascii_uppercase()
                .contains(&c.to_ascii_uppercase()) =>
        {
            format!("{} ({c})", l.text)
        }
        _ => l.text.clone(),
    }
}

/// The code part of an FPDS "CODE: DESCRIPTION" cell, or the whole cell if it is one token.
fn code_part(text: &str) -> Option<&str> {
    let t = text.trim();
    let code = t.split_once(':').map_or(t, |(c, _)| c.trim());
    (!code.is_empty() && !code.contains(char::is_whitespace)).then_some(code)
}

impl<'a> Facts<'a> {
    pub fn new(
        record: &'a Record,
        legal: &'a Legal,
        compiled: &'a Compiled,
        as_of: NaiveDate,
    ) -> Self {
        let d = record.date.value().copied().unwrap_or(as_of);
        Facts {
            record,
            legal,
            compiled,
            d,
            used_date: Vec::new(),
            unknown: BTreeMap::new(),
            portion: None,
        }
    }

    pub fn date_str(&self) -> String {
        self.d.to_string()
    }

    /// Remember that `fields` blocked `what` (one DATA001 per field, listing all).
    pub fn note_unknown(&mut self, fields: &[&'static str], what: &str) {
        for f in fields {
            let list = self.unknown.entry(f).or_default();
            if !list.iter().any(|w| w == what) {
                list.push(what.to_string());
            }
        }
    }

    pub fn note_date_used(&mut self, what: &str) {
        if !self.used_date.iter().any(|w| w == what) {
            self.used_date.push(what.to_string());
        }
    }

    /// Record type, with the CONTRACT.md default: no type means a contract.
    fn record_type(&self) -> Result<RecordType, Vec<&'static str>> {
        match &self.record.record_type {
            Field::Ok { value, .. } => Ok(*value),
            Field::Absent | Field::Blank { .. } => Ok(RecordType::Contract),
            Field::Bad { .. } => Err(vec!["record_type"]),
        }
    }

    /// Is the record for supplies (Some(true)), services (Some(false)), or unknown? From
    /// the PSC: product codes are numeric, service codes start with a letter.
    fn supplies(&self) -> Option<bool> {
        let psc = self.record.psc.value()?;
        let first = psc.trim().chars().next()?;
        Some(first.is_ascii_digit())
    }

    /// P, computed once per record.
    pub fn portion(&mut self) -> Portion {
        if let Some(p) = &self.portion {
            return p.clone();
        }
        let p = self.compute_portion();
        self.portion = Some(p.clone());
        p
    }

    fn compute_portion(&self) -> Portion {
        let r = self.record;
        if let Field::Ok { value, col } = &r.value_outside_us {
            return Portion::Known {
                amount: *value,
                basis: "value_outside_us".into(),
                col: Some(*col),
            };
        }
        // Services are performed somewhere; supplies are acquired from somewhere.
        let fields: Vec<(&'static str, &Field<Location>)> = match self.supplies() {
            Some(false) => vec![("place_of_performance", &r.place_of_performance)],
            Some(true) => vec![
                ("country_of_origin", &r.country_of_origin),
                ("place_of_manufacture", &r.place_of_manufacture),
            ],
            None => vec![
                ("place_of_performance", &r.place_of_performance),
                ("country_of_origin", &r.country_of_origin),
                ("place_of_manufacture", &r.place_of_manufacture),
            ],
        };
        let outside = fields.iter().find_map(|(name, f)| {
            location_known(f)
                .filter(|l| l.in_us == Some(false))
                .map(|l| (*name, l))
        });
        let value = r.value.value().copied();
        match outside {
            Some((name, l)) => match value {
                Some(v) => Portion::Known {
                    amount: v,
                    basis: format!("{} {}", name.replace('_', " "), place_text(l)),
                    col: r.value.col(),
                },
                None => Portion::Unknown {
                    fields: vec!["value"],
                    at_most: None,
                },
            },
            None if fields.iter().any(|(_, f)| location_known(f).is_some()) => Portion::Known {
                amount: 0.0,
                basis: "inside the United States".into(),
                col: r.value.col(),
            },
            None => {
                // Name the columns that exist but said nothing; only when the sheet has none
                // of them, name them all.
                let present: Vec<&'static str> = fields
                    .iter()
                    .filter(|(_, f)| !matches!(f, Field::Absent))
                    .map(|(n, _)| *n)
                    .collect();
                let mut unknown = if present.is_empty() {
                    fields.iter().map(|(n, _)| *n).collect()
                } else {
                    present
                };
                if value.is_none() {
                    unknown.insert(0, "value");
                }
                if matches!(r.value_outside_us, Field::Bad { .. }) {
                    unknown.insert(0, "value_outside_us");
                }
                Portion::Unknown {
                    fields: unknown,
                    at_most: value,
                }
            }
        }
    }

    /// Performed outside the United States (Alternate I concerns employees at the place of
    /// performance): the place of performance decides; without one, a positive
    /// `value_outside_us` says part of the work is abroad.
    fn performed_outside(&self) -> Tri {
        let r = self.record;
        let vous = r.value_outside_us.value().copied();
        match location_known(&r.place_of_performance) {
            Some(l) => Tri::from_bool(l.in_us == Some(false)),
            None => match vous {
                Some(v) => Tri::from_bool(v > 0.0),
                None => Tri::Unknown(vec!["place_of_performance"]),
            },
        }
    }

    pub fn place_of_performance_text(&self) -> String {
        match location_known(&self.record.place_of_performance) {
            Some(l) => place_text(l),
            None => match self.record.value_outside_us.value() {
                Some(v) => format!("{} outside the US", money(*v)),
                None => "place unknown".into(),
            },
        }
    }

    /// DoD by agency or office (agencies.toml). A sheet without either column is non-DoD.
    fn dod(&self) -> (Tri, Option<String>) {
        let dod = &self.legal.dod;
        let is_dod_agency = |t: &str| {
            code_part(t).is_some_and(|c| {
                dod.agency_codes.iter().any(|x| x.eq_ignore_ascii_case(c))
                    || dod.agency_code_prefixes.iter().any(|p| {
                        c.len() == 4 && c.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase())
                    })
            }) || self
                .compiled
                .dod_names
                .as_ref()
                .is_some_and(|re| re.is_match(t))
        };
        let is_dod_office = |t: &str| {
            code_part(t).is_some_and(|c| {
                let c = c.to_ascii_uppercase();
                self.compiled.dod_offices.iter().any(|re| re.is_match(&c))
            }) || self
                .compiled
                .dod_names
                .as_ref()
                .is_some_and(|re| re.is_match(t))
        };
        if let Some(a) = self.record.agency.value().filter(|a| is_dod_agency(a)) {
            return (Tri::Yes, Some(format!("agency {a}")));
        }
        if let Some(o) = self.record.office.value().filter(|o| is_dod_office(o)) {
            return (Tri::Yes, Some(format!("office {o}")));
        }
        match (&self.record.agency, &self.record.office) {
            (Field::Blank { .. } | Field::Bad { .. }, o) if o.value().is_none() => {
                (Tri::Unknown(vec!["agency"]), None)
            }
            _ => (Tri::No, None),
        }
    }

    /// The E.O. 13126 goods the record names (description, PSC or NAICS) that are listed
    /// for some country on D.
    fn eo13126_products(&self) -> Vec<usize> {
        let r = self.record;
        let products = &self.legal.eo13126.products;
        let mut matched: Vec<usize> = Vec::new();
        if let (Some(set), Some(desc)) = (&self.compiled.products, r.description.value()) {
            matched.extend(set.matches(desc).iter());
        }
        let digits = |s: &str| -> String {
            let t = s.trim();
            let t = t.split_once(':').map_or(t, |(c, _)| c.trim());
            t.split('.').next().unwrap_or("").to_ascii_uppercase()
        };
        let psc = r.psc.value().map(|s| digits(s));
        let naics = r.naics.value().map(|s| digits(s));
        for (i, p) in products.iter().enumerate() {
            if psc.as_ref().is_some_and(|c| p.psc.iter().any(|x| x == c))
                || naics
                    .as_ref()
                    .is_some_and(|c| p.naics.iter().any(|x| x == c))
            {
                matched.push(i);
            }
        }
        matched.sort_unstable();
        matched.dedup();
        matched.retain(|&i| products[i].countries_on(self.d).next().is_some());
        matched
    }

    /// An end product of a type on the list on D, whatever its origin (FAR 22.1505(a)).
    fn eo13126_product(&self) -> (Tri, Option<String>) {
        let products = &self.legal.eo13126.products;
        let matched = self.eo13126_products();
        let Some(&i) = matched.first() else {
            return (Tri::No, None);
        };
        let p = &products[i];
        let countries: Vec<&str> = p.countries_on(self.d).collect();
        (
            Tri::Yes,
            Some(format!(
                "{} is a type of end product on the E.O. 13126 list (listed for {})",
                p.name,
                countries.join(", ")
            )),
        )
    }

    /// Supplies: a product PSC (numeric), else a listed end product named in the record. A
    /// blank or unreadable PSC with nothing else to go on is unknown; a sheet without a PSC
    /// column is taken as not showing supplies (as for DoD agencies).
    fn supplies_fact(&self) -> (Tri, Option<String>) {
        match self.supplies() {
            Some(true) => {
                let psc = self.record.psc.value().cloned().unwrap_or_default();
                (Tri::Yes, Some(format!("a supply acquisition (PSC {psc})")))
            }
            Some(false) => (Tri::No, None),
            None => {
                if let Some(&i) = self.eo13126_products().first() {
                    let name = &self.legal.eo13126.products[i].name;
                    return (Tri::Yes, Some(format!("a supply acquisition ({name})")));
                }
                match self.record.psc {
                    Field::Blank { .. } | Field::Bad { .. } => (Tri::Unknown(vec!["psc"]), None),
                    _ => (Tri::No, None),
                }
            }
        }
    }

    /// FAR 22.1503(b) / 52.222-19(a): origin in a listed trade-agreement country at or above
    /// its value takes the record out of the child-labor requirements.
    fn trade_excluded(&self) -> bool {
        let r = self.record;
        let Some(value) = r.value.value().copied() else {
            return false;
        };
        [&r.country_of_origin, &r.place_of_manufacture]
            .into_iter()
            .filter_map(|f| f.value())
            .filter_map(|l| l.code.as_deref())
            .any(|code| {
                self.legal.eo13126.exclusions.iter().any(|x| {
                    value >= x.at_least && x.countries.iter().any(|c| c.eq_ignore_ascii_case(code))
                })
            })
    }

    /// A product on the E.O. 13126 list from a country listed for it on D. Returns the
    /// product and origin for messages.
    fn eo13126(&self) -> (Tri, Option<(String, String)>) {
        let r = self.record;
        let products = &self.legal.eo13126.products;
        let matched = self.eo13126_products();
        if matched.is_empty() {
            // Only products the record names are checked: no description/PSC/NAICS is no match.
            return (Tri::No, None);
        }
        let origins: Vec<&Location> = [&r.country_of_origin, &r.place_of_manufacture]
            .into_iter()
            .filter_map(|f| f.value())
            .filter(|l| l.code.is_some())
            .collect();
        for &i in &matched {
            let p = &products[i];
            for l in &origins {
                let code = l.code.as_deref().unwrap_or_default();
                if p.countries_on(self.d).any(|c| c.eq_ignore_ascii_case(code)) {
                    return (Tri::Yes, Some((p.name.clone(), place_text(l))));
                }
            }
        }
        // A sheet with no origin column cannot say (as for DoD agencies); a blank or
        // unreadable origin cell is a gap in the data.
        let no_columns = matches!(r.country_of_origin, Field::Absent)
            && matches!(r.place_of_manufacture, Field::Absent);
        if origins.is_empty() && !no_columns {
            (Tri::Unknown(vec!["country_of_origin"]), None)
        } else {
            (Tri::No, None)
        }
    }

    /// Evaluate one predicate, adding the figures it used to `vars`.
    pub fn holds(&mut self, p: &Predicate, vars: &mut Vec<(&'static str, String)>) -> Tri {
        match p {
            Predicate::Solicitation => match self.record_type() {
                Ok(t) => Tri::from_bool(t == RecordType::Solicitation),
                Err(f) => Tri::Unknown(f),
            },
            Predicate::Award => match self.record_type() {
                Ok(t) => Tri::from_bool(t.is_award()),
                Err(f) => Tri::Unknown(f),
            },
            // Entirely COTS only when the `cots` column says so (CONTRACT.md section 3).
            Predicate::NotCots => Tri::from_bool(self.record.cots.value() != Some(&true)),
            Predicate::PerformedOutsideUs => {
                let t = self.performed_outside();
                vars.push(("place", self.place_of_performance_text()));
                t
            }
            Predicate::Dod => {
                let (t, basis) = self.dod();
                if let Some(b) = basis {
                    vars.push(("dod_basis", b));
                }
                t
            }
            Predicate::Eo13126Listed => {
                let (t, found) = self.eo13126();
                if let Some((product, origin)) = found {
                    vars.push(("product", product));
                    vars.push(("origin", origin));
                }
                t
            }
            Predicate::Eo13126Product => {
                self.note_date_used("the E.O. 13126 list in force");
                let (t, basis) = self.eo13126_product();
                if let Some(b) = basis {
                    vars.push(("basis", b));
                }
                t
            }
            Predicate::Supplies => {
                let (t, basis) = self.supplies_fact();
                if let Some(b) = basis
                    && !vars.iter().any(|(k, _)| *k == "basis")
                {
                    vars.push(("basis", b));
                }
                t
            }
            Predicate::NotTradeExcluded => Tri::from_bool(!self.trade_excluded()),
            Predicate::PortionAtLeast(name) | Predicate::PortionExceeds(name) => {
                let at_least = matches!(p, Predicate::PortionAtLeast(_));
                self.portion_vs(name, at_least, vars)
            }
            Predicate::ValueExceeds(name) => {
                let Some(step) = self
                    .legal
                    .threshold(name)
                    .and_then(|t| t.at(self.d))
                    .cloned()
                else {
                    self.note_date_used("the threshold in force");
                    return Tri::No;
                };
                self.note_date_used("the threshold in force");
                vars.push(("threshold", money(step.amount)));
                vars.push((
                    "threshold_from",
                    step.from.map_or("-".into(), |f| f.to_string()),
                ));
                match self.record.value.value() {
                    Some(v) => {
                        vars.push(("value", money(*v)));
                        Tri::from_bool(*v > step.amount)
                    }
                    None => Tri::Unknown(vec!["value"]),
                }
            }
        }
    }

    /// `P >= T(D)` (at_least) or `P > T(D)`.
    fn portion_vs(
        &mut self,
        name: &str,
        at_least: bool,
        vars: &mut Vec<(&'static str, String)>,
    ) -> Tri {
        let portion = self.portion();
        let could_be_positive = match &portion {
            Portion::Known { amount, .. } => *amount > 0.0,
            Portion::Unknown { at_most, .. } => at_most.is_none_or(|v| v > 0.0),
        };
        if could_be_positive {
            self.note_date_used("the threshold in force");
        }
        // Before the first step there is no duty (no plan or certification before 2015-03-02).
        let Some(step) = self
            .legal
            .threshold(name)
            .and_then(|t| t.at(self.d))
            .cloned()
        else {
            return Tri::No;
        };
        let cmp = |x: f64| {
            if at_least {
                x >= step.amount
            } else {
                x > step.amount
            }
        };
        vars.push(("threshold", money(step.amount)));
        vars.push((
            "threshold_from",
            step.from.map_or("-".into(), |f| f.to_string()),
        ));
        if let Some(v) = self.record.value.value() {
            vars.push(("value", money(*v)));
        }
        match portion {
            Portion::Known { amount, basis, .. } => {
                vars.push(("portion", money(amount)));
                vars.push(("portion_basis", basis));
                Tri::from_bool(cmp(amount))
            }
            // P <= value: a value below the threshold settles it without a location.
            Portion::Unknown {
                at_most: Some(v), ..
            } if !cmp(v) => Tri::No,
            Portion::Unknown { fields, .. } => Tri::Unknown(fields),
        }
    }

    /// The column the outside-US portion came from (for threshold findings).
    pub fn portion_col(&mut self) -> Option<u32> {
        match self.portion() {
            Portion::Known { col, .. } => col,
            Portion::Unknown { .. } => self.record.value.col(),
        }
    }

    /// All predicates of a rule, in order.
    pub fn all(&mut self, preds: &[Predicate], vars: &mut Vec<(&'static str, String)>) -> Tri {
        let mut acc = Tri::Yes;
        for p in preds {
            acc = acc.and(self.holds(p, vars));
            if acc == Tri::No {
                break;
            }
        }
        acc
    }
}

/// "blank", "unreadable ('TBD': ...)", "absent (no column)": what is wrong with a field.
pub fn field_problem(record: &Record, field: &str) -> (String, Option<u32>) {
    fn describe<T>(f: &Field<T>) -> (String, Option<u32>) {
        match f {
            Field::Absent => ("absent (the sheet has no such column)".into(), None),
            Field::Blank { col } => ("blank".into(), Some(*col)),
            Field::Bad { col, raw, reason } => {
                (format!("unreadable ('{raw}': {reason})"), Some(*col))
            }
            Field::Ok { col, .. } => ("not decisive".into(), Some(*col)),
        }
    }
    fn loc(f: &Field<Location>) -> (String, Option<u32>) {
        match f {
            Field::Ok { col, value } if value.in_us.is_none() => (
                format!("not a place inside or outside the US ('{}')", value.text),
                Some(*col),
            ),
            _ => describe(f),
        }
    }
    match field {
        "value" => describe(&record.value),
        "value_outside_us" => describe(&record.value_outside_us),
        "date" => describe(&record.date),
        "record_type" => describe(&record.record_type),
        "place_of_performance" => loc(&record.place_of_performance),
        "country_of_origin" => loc(&record.country_of_origin),
        "place_of_manufacture" => loc(&record.place_of_manufacture),
        "agency" => describe(&record.agency),
        "directives_notified" => describe(&record.directives_notified),
        "commercial" => describe(&record.commercial),
        "cots" => describe(&record.cots),
        "psc" => describe(&record.psc),
        "naics" => describe(&record.naics),
        "clauses" if record.clauses_truncated => (
            "cut off mid-entry (the clause list ends in the middle of an entry)".into(),
            record.clauses_source.as_ref().and_then(|s| s.col()),
        ),
        "clauses" => (
            "absent (no clause column or clause sheet for this record)".into(),
            None,
        ),
        _ => ("unknown".into(), None),
    }
}

//! The closed set of named predicates rule data may gate on. Their meaning is code
//! (`audit::clauses::facts`); which rule uses which is data (`when = [...]` in rules.toml).

/// One gating predicate, as named in `when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    /// The record is a solicitation.
    Solicitation,
    /// The record is a contract, order or modification (the default record type).
    Award,
    /// The record is not entirely COTS (only a `cots` yes makes it so).
    NotCots,
    /// The place of performance is outside the United States (else a positive
    /// `value_outside_us`).
    PerformedOutsideUs,
    /// The agency or office is Department of Defense (agencies.toml).
    Dod,
    /// A product on the E.O. 13126 list from a country listed for it (eo13126.toml).
    Eo13126Listed,
    /// An end product of a type on the E.O. 13126 list on the record's date, whatever its
    /// origin (FAR 22.1505(a)).
    Eo13126Product,
    /// An acquisition of supplies (a product PSC, or a listed end product).
    Supplies,
    /// Not excluded by FAR 22.1503(b) / 52.222-19(a): the end products' origin is not a
    /// trade-agreement country at or above its value.
    NotTradeExcluded,
    /// Outside-US portion `P >= T(D)` for the named threshold.
    PortionAtLeast(String),
    /// Outside-US portion `P > T(D)`.
    PortionExceeds(String),
    /// Record value `> T(D)`.
    ValueExceeds(String),
}

/// Every predicate name, for error messages and `explain`.
pub const PREDICATE_NAMES: &[&str] = &[
    "solicitation",
    "award",
    "not_cots",
    "performed_outside_us",
    "dod",
    "eo13126_listed",
    "eo13126_product",
    "supplies",
    "not_trade_excluded",
    "portion_at_least:<threshold>",
    "portion_exceeds:<threshold>",
    "value_exceeds:<threshold>",
];

impl Predicate {
    /// Parse a predicate name; the error says what is accepted.
    pub fn parse(s: &str) -> Result<Predicate, String> {
        let s = s.trim();
        let with_arg = |arg: &str, f: fn(String) -> Predicate| {
            if arg.is_empty() {
                Err(format!("predicate '{s}' needs a threshold name after ':'"))
            } else {
                Ok(f(arg.to_string()))
            }
        };
        match s.split_once(':') {
            Some(("portion_at_least", a)) => with_arg(a, Predicate::PortionAtLeast),
            Some(("portion_exceeds", a)) => with_arg(a, Predicate::PortionExceeds),
            Some(("value_exceeds", a)) => with_arg(a, Predicate::ValueExceeds),
            Some(_) => Err(unknown(s)),
            None => match s {
                "solicitation" => Ok(Predicate::Solicitation),
                "award" => Ok(Predicate::Award),
                "not_cots" => Ok(Predicate::NotCots),
                "performed_outside_us" => Ok(Predicate::PerformedOutsideUs),
                "dod" => Ok(Predicate::Dod),
                "eo13126_listed" => Ok(Predicate::Eo13126Listed),
                "eo13126_product" => Ok(Predicate::Eo13126Product),
                "supplies" => Ok(Predicate::Supplies),
                "not_trade_excluded" => Ok(Predicate::NotTradeExcluded),
                _ => Err(unknown(s)),
            },
        }
    }

    /// The threshold this predicate names, if any.
    pub fn threshold(&self) -> Option<&str> {
        match self {
            Predicate::PortionAtLeast(t)
            | Predicate::PortionExceeds(t)
            | Predicate::ValueExceeds(t) => Some(t),
            _ => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Predicate::Solicitation => "solicitation".into(),
            Predicate::Award => "award".into(),
            Predicate::NotCots => "not_cots".into(),
            Predicate::PerformedOutsideUs => "performed_outside_us".into(),
            Predicate::Dod => "dod".into(),
            Predicate::Eo13126Listed => "eo13126_listed".into(),
            Predicate::Eo13126Product => "eo13126_product".into(),
            Predicate::Supplies => "supplies".into(),
            Predicate::NotTradeExcluded => "not_trade_excluded".into(),
            Predicate::PortionAtLeast(t) => format!("portion_at_least:{t}"),
            Predicate::PortionExceeds(t) => format!("portion_exceeds:{t}"),
            Predicate::ValueExceeds(t) => format!("value_exceeds:{t}"),
        }
    }

    /// Plain-language meaning, for `tipaudit explain`.
    pub fn describe(&self) -> String {
        match self {
            Predicate::Solicitation => "the record is a solicitation".into(),
            Predicate::Award => "the record is a contract, order or modification".into(),
            Predicate::NotCots => "the acquisition is not entirely COTS (`cots` is not yes)".into(),
            Predicate::PerformedOutsideUs => {
                "the place of performance is outside the United States (FAR 22.1702)".into()
            }
            Predicate::Dod => "the agency or office is Department of Defense".into(),
            Predicate::Eo13126Listed => {
                "the product is on the E.O. 13126 list for its country of origin".into()
            }
            Predicate::Eo13126Product => {
                "the end product is of a type on the E.O. 13126 list on the record's date, whatever its origin (FAR 22.1505(a))".into()
            }
            Predicate::Supplies => "the acquisition is for supplies (a product PSC)".into(),
            Predicate::NotTradeExcluded => {
                "the end products are not from a FAR 22.1503(b) trade-agreement country at or above its value".into()
            }
            Predicate::PortionAtLeast(t) => {
                format!("the possible outside-US portion is at least the {t} threshold (>=)")
            }
            Predicate::PortionExceeds(t) => {
                format!("the outside-US portion exceeds the {t} threshold (>)")
            }
            Predicate::ValueExceeds(t) => format!("the value exceeds the {t} threshold (>)"),
        }
    }
}

fn unknown(s: &str) -> String {
    format!(
        "unknown predicate '{s}'; known: {}",
        PREDICATE_NAMES.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names() {
        assert_eq!(Predicate::parse("not_cots"), Ok(Predicate::NotCots));
        assert_eq!(
            Predicate::parse("portion_at_least:tip_plan"),
            Ok(Predicate::PortionAtLeast("tip_plan".into()))
        );
        assert!(Predicate::parse("portion_at_least:").is_err());
        assert!(
            Predicate::parse("is_cots")
                .unwrap_err()
                .contains("unknown predicate")
        );
        for n in PREDICATE_NAMES {
            let n = n.replace("<threshold>", "x");
            assert_eq!(Predicate::parse(&n).unwrap().name(), n);
        }
    }
}

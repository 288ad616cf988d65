//! `P`, the possible outside-US portion, and `T(D)`, the compliance-plan threshold
//! (CONTRACT.md section 3), as far as the BP gating needs them.
//!
//! The figure is the `tip_plan` threshold of `clauses/thresholds.toml` (REFERENCE.md
//! section 2), the same table TIP003/TIP004 use.

use chrono::NaiveDate;

use crate::record::{Field, Record};
use crate::rules::Legal;

/// The threshold name in `thresholds.toml`.
pub const PLAN_THRESHOLD: &str = "tip_plan";

/// The compliance-plan threshold in force on `date`; `None` before its first step (no plan
/// duty before 2015-03-02) or when the rule data has no such threshold.
pub fn plan_threshold(legal: &Legal, date: NaiveDate) -> Option<f64> {
    legal.threshold(PLAN_THRESHOLD)?.at(date).map(|s| s.amount)
}

/// Supplies (PSC starting with a digit) or services (a letter); `None` when no PSC.
pub fn is_service(record: &Record) -> Option<bool> {
    let psc = record.psc.value()?;
    let first = psc.trim().chars().next()?;
    Some(first.is_ascii_alphabetic())
}

/// `P`: `value_outside_us` if given; else the whole value when the place of performance
/// (services) or the origin / place of manufacture (supplies) is outside the US; else 0.
/// `None` when the value or every location field needed is blank or unreadable.
pub fn outside_portion(record: &Record) -> Option<f64> {
    if let Some(v) = record.value_outside_us.value() {
        return Some(*v);
    }
    let value = *record.value.value()?;
    let fields: Vec<&Field<crate::parse::country::Location>> = match is_service(record) {
        Some(true) => vec![&record.place_of_performance],
        Some(false) => vec![&record.country_of_origin, &record.place_of_manufacture],
        None => vec![
            &record.place_of_performance,
            &record.country_of_origin,
            &record.place_of_manufacture,
        ],
    };
    let known: Vec<bool> = fields
        .iter()
        .filter_map(|f| f.value().and_then(|l| l.in_us))
        .collect();
    if known.is_empty() {
        None
    } else if known.iter().any(|in_us| !in_us) {
        Some(value)
    } else {
        Some(0.0)
    }
}

/// `P > T(D)` for a record not entirely COTS: the plan duty applies. `None` when `P` is
/// unknown. Entirely COTS records and dates before 2015-03-02 have no plan duty.
pub fn plan_duty(legal: &Legal, record: &Record, date: NaiveDate) -> Option<bool> {
    if record.cots.value() == Some(&true) {
        return Some(false);
    }
    let Some(threshold) = plan_threshold(legal, date) else {
        return Some(false);
    };
    outside_portion(record).map(|p| p > threshold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::country::Location;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn loc(in_us: bool) -> Field<Location> {
        Field::Ok {
            col: 1,
            value: Location {
                code: Some(if in_us { "USA" } else { "DEU" }.into()),
                text: String::new(),
                in_us: Some(in_us),
                china: false,
                xinjiang: false,
            },
        }
    }

    fn legal() -> Legal {
        crate::rules::RuleSet::load(&crate::rules::DataFiles::builtin())
            .unwrap()
            .legal
    }

    #[test]
    fn thresholds_by_date() {
        let l = legal();
        assert_eq!(plan_threshold(&l, d(2015, 3, 1)), None);
        assert_eq!(plan_threshold(&l, d(2015, 3, 2)), Some(500_000.0));
        assert_eq!(plan_threshold(&l, d(2020, 9, 30)), Some(500_000.0));
        assert_eq!(plan_threshold(&l, d(2020, 10, 1)), Some(550_000.0));
        assert_eq!(plan_threshold(&l, d(2025, 10, 1)), Some(700_000.0));
    }

    #[test]
    fn portion() {
        let mut r = Record::default();
        assert_eq!(outside_portion(&r), None);
        r.value = Field::Ok {
            col: 0,
            value: 800_000.0,
        };
        assert_eq!(outside_portion(&r), None, "no location known");
        r.place_of_performance = loc(false);
        assert_eq!(outside_portion(&r), Some(800_000.0));
        r.psc = Field::Ok {
            col: 2,
            value: "8415".into(),
        };
        assert_eq!(
            outside_portion(&r),
            None,
            "supplies look at origin, not performance"
        );
        r.country_of_origin = loc(true);
        assert_eq!(outside_portion(&r), Some(0.0));
        r.value_outside_us = Field::Ok {
            col: 3,
            value: 900_000.0,
        };
        assert_eq!(outside_portion(&r), Some(900_000.0));
        let l = legal();
        assert_eq!(plan_duty(&l, &r, d(2026, 1, 1)), Some(true));
        assert_eq!(plan_duty(&l, &r, d(2014, 1, 1)), Some(false));
        r.cots = Field::Ok {
            col: 4,
            value: true,
        };
        assert_eq!(plan_duty(&l, &r, d(2026, 1, 1)), Some(false));
    }
}

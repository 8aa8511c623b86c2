//! The enforcement campaign's nouns: what a platform did with a reported listing, the
//! days a venue gives a seller to answer, and the calendar days the user types.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// What happened to one listing of one filing, as the user records answers coming in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum Outcome {
    /// Filed; no answer yet.
    #[serde(rename = "pending")]
    Pending,
    /// The platform says it took the listing down.
    #[serde(rename = "removed")]
    Removed,
    /// The platform refused the complaint (with its stated reason).
    #[serde(rename = "rejected")]
    Rejected,
    /// The seller answered with a counter-notice (with the seller's reason).
    #[serde(rename = "counter-noticed")]
    CounterNoticed,
    /// The listing was put back up after a removal.
    #[serde(rename = "reinstated")]
    Reinstated,
    /// The complainant withdrew the complaint.
    #[serde(rename = "withdrawn")]
    Withdrawn,
    /// The platform never answered.
    #[serde(rename = "no-answer")]
    NoAnswer,
}

impl Outcome {
    /// Every outcome, in the order a user meets them.
    pub const ALL: [Outcome; 7] = [
        Outcome::Pending,
        Outcome::Removed,
        Outcome::Rejected,
        Outcome::CounterNoticed,
        Outcome::Reinstated,
        Outcome::Withdrawn,
        Outcome::NoAnswer,
    ];

    /// The stable name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Removed => "removed",
            Outcome::Rejected => "rejected",
            Outcome::CounterNoticed => "counter-noticed",
            Outcome::Reinstated => "reinstated",
            Outcome::Withdrawn => "withdrawn",
            Outcome::NoAnswer => "no-answer",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Every stable name, comma-separated, for messages.
    pub fn names() -> String {
        Outcome::ALL.map(Outcome::as_str).join(", ")
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar day the user gives: `YYYY-MM-DD`, or an RFC 3339 time taken as its UTC day.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        // Four-digit years only: "20260-01-01" parses, and is a typo.
        return (s.len() == 10).then_some(d);
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc).date_naive())
}

/// `days` business days after `from` (Monday to Friday; public holidays are not known,
/// so a window that spans one closes a day or so later than shown here).
pub fn add_business_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// A window a venue gives the other side, counted from a filing or an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// What the window is for, in plain words.
    pub what: &'static str,
    /// Business days from its start.
    pub business_days: u32,
}

/// The windows a venue's rules give a seller after a filing. Alibaba IPP: a first
/// counter-notice within 3 business days, a further one within 27.
pub fn counter_notice_windows(venue: &str) -> &'static [Window] {
    match venue {
        "alibaba-ipp" => &[
            Window {
                what: "first counter-notice",
                business_days: 3,
            },
            Window {
                what: "last counter-notice",
                business_days: 27,
            },
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_their_names() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
            assert_eq!(
                serde_json::to_string(&o).ok(),
                Some(format!("\"{}\"", o.as_str()))
            );
        }
        assert_eq!(Outcome::parse("Removed"), None);
        assert_eq!(Outcome::parse("taken-down"), None);
    }

    #[test]
    fn days_parse_from_dates_and_times_in_utc() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_day("2026-03-02"), d(2026, 3, 2));
        assert_eq!(parse_day(" 2026-03-02 "), d(2026, 3, 2));
        assert_eq!(parse_day("2026-03-02T23:30:00-05:00"), d(2026, 3, 3));
        assert_eq!(parse_day("2026-03-02T01:00:00Z"), d(2026, 3, 2));
        for bad in [
            "",
            "2026-02-30",
            "02/03/2026",
            "2026-3-2",
            "20260-01-01",
            "yesterday",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn business_days_skip_weekends() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        // Friday + 3 business days is Wednesday.
        assert_eq!(add_business_days(day(2026, 3, 6), 3), day(2026, 3, 11));
        // Monday + 3 is Thursday.
        assert_eq!(add_business_days(day(2026, 3, 2), 3), day(2026, 3, 5));
        // Saturday + 1 is Monday.
        assert_eq!(add_business_days(day(2026, 3, 7), 1), day(2026, 3, 9));
        // 27 business days from Monday 2 March is Wednesday 8 April.
        assert_eq!(add_business_days(day(2026, 3, 2), 27), day(2026, 4, 8));
        assert_eq!(add_business_days(day(2026, 3, 2), 0), day(2026, 3, 2));
    }
}

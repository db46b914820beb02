//! Calendar dates for waiver expiry.
//!
//! Waivers expire on a day, not at an instant, and the rules must stay pure: the caller passes
//! "today" in the [`Context`](crate::Context). A plain year-month-day value is all that needs,
//! so the crate carries its own small, validated type instead of a date-time library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A valid Gregorian calendar date. Orders chronologically; written as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY-MM-DD`.
    #[error("date {0:?} is not of the form YYYY-MM-DD")]
    Format(String),
    /// The month is not 1–12 or the day does not exist in that month.
    #[error("{year:04}-{month:02}-{day:02} is not a calendar date")]
    OutOfRange {
        /// The year given.
        year: u16,
        /// The month given.
        month: u8,
        /// The day given.
        day: u8,
    },
}

impl DateError {
    /// Whether the text was malformed (as opposed to a well-formed but impossible date).
    pub fn is_format(&self) -> bool {
        matches!(self, DateError::Format(_))
    }
}

impl Date {
    /// The calendar date `days` days after 1970-01-01 (before it when negative), clamped to
    /// years 0..=9999. Callers turn a clock reading into "today" with it.
    pub fn from_days_since_epoch(days: i64) -> Self {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days.clamp(-719_468, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: u16::try_from(year.clamp(0, 9999)).unwrap_or(9999),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// A date, if it exists in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        if valid {
            Ok(Self { year, month, day })
        } else {
            Err(DateError::OutOfRange { year, month, day })
        }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let format_error = || DateError::Format(text.to_owned());
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(format_error());
        }
        let year = text[0..4].parse().map_err(|_| format_error())?;
        let month = text[5..7].parse().map_err(|_| format_error())?;
        let day = text[8..10].parse().map_err(|_| format_error())?;
        Date::new(year, month, day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> Self {
        date.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn dates_from_days_since_epoch() {
        let d = Date::from_days_since_epoch(0);
        assert_eq!((d.year(), d.month(), d.day()), (1970, 1, 1));
        let d = Date::from_days_since_epoch(20_780);
        assert_eq!((d.year(), d.month(), d.day()), (2026, 11, 23));
        let d = Date::from_days_since_epoch(11_016);
        assert_eq!((d.year(), d.month(), d.day()), (2000, 2, 29));
        let d = Date::from_days_since_epoch(-1);
        assert_eq!((d.year(), d.month(), d.day()), (1969, 12, 31));
    }

    use super::*;

    #[test]
    fn parses_and_displays_iso_dates() {
        let date: Date = "2025-02-28".parse().unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2025, 2, 28));
        assert_eq!(date.to_string(), "2025-02-28");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            "2025-02-29".parse::<Date>(),
            Err(DateError::OutOfRange { .. })
        ));
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!(Date::new(2025, 13, 1).is_err());
        assert!(Date::new(2025, 4, 31).is_err());
        assert!(Date::new(2025, 1, 0).is_err());
    }

    #[test]
    fn rejects_malformed_text() {
        for text in [
            "2025-2-28",
            "2025/02/28",
            "20250228",
            "+025-02-28",
            "",
            "2025-02-28 ",
        ] {
            let error = text.parse::<Date>().unwrap_err();
            assert!(error.is_format(), "{text:?}: {error}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let a = Date::new(2024, 12, 31).unwrap();
        let b = Date::new(2025, 1, 1).unwrap();
        let c = Date::new(2025, 1, 2).unwrap();
        assert!(a < b && b < c);
    }
}

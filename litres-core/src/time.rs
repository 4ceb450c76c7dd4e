//! Moscow time, the zone of every date-time LitRes sends or expects.
//!
//! LitRes writes `YYYY-MM-DD HH:MM:SS` with no zone. The offset used here,
//! UTC+3 with no daylight saving, is inferred from one recorded response
//! whose `Date:` header and feed timestamp differ by three hours; it is
//! kept in [`MOSCOW_OFFSET_SECONDS`] alone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};

/// Offset of LitRes times from UTC, in seconds (UTC+3, no DST).
pub const MOSCOW_OFFSET_SECONDS: i64 = 3 * 3600;

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A wall-clock time in Moscow, as LitRes writes it.
///
/// A separate type so that it cannot be mixed up with UTC: convert with
/// [`MoscowTime::from_utc`] and [`MoscowTime::to_utc`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MoscowTime(NaiveDateTime);

impl MoscowTime {
    /// Makes a Moscow time from its wall-clock reading.
    pub fn from_naive(local: NaiveDateTime) -> Self {
        Self(local)
    }

    /// Makes the Moscow time at 00:00 of a date.
    pub fn start_of_day(date: NaiveDate) -> Self {
        Self(date.and_time(chrono::NaiveTime::MIN))
    }

    /// Converts an instant to Moscow wall-clock time, dropping fractions of
    /// a second as LitRes times have none.
    pub fn from_utc(instant: DateTime<Utc>) -> Self {
        let whole = instant
            .naive_utc()
            .with_nanosecond(0)
            .unwrap_or(instant.naive_utc());
        Self(whole + Duration::seconds(MOSCOW_OFFSET_SECONDS))
    }

    /// Converts a Unix time in seconds to Moscow wall-clock time.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        DateTime::from_timestamp(seconds, 0).map(Self::from_utc)
    }

    /// Returns the instant this wall-clock time stands for.
    pub fn to_utc(self) -> DateTime<Utc> {
        (self.0 - Duration::seconds(MOSCOW_OFFSET_SECONDS)).and_utc()
    }

    /// Returns the wall-clock reading.
    pub fn naive(self) -> NaiveDateTime {
        self.0
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` or a bare date `YYYY-MM-DD` (midnight).
    pub fn parse(text: &str) -> Result<Self, TimeParseError> {
        let text = text.trim();
        if let Ok(time) = NaiveDateTime::parse_from_str(text, FORMAT) {
            return Ok(Self(time));
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Ok(Self::start_of_day(date)),
            Err(_) => Err(TimeParseError {
                input: text.to_owned(),
            }),
        }
    }
}

impl fmt::Display for MoscowTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(FORMAT))
    }
}

impl fmt::Debug for MoscowTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MoscowTime({self})")
    }
}

impl std::ops::Add<Duration> for MoscowTime {
    type Output = Self;

    fn add(self, delta: Duration) -> Self {
        Self(self.0 + delta)
    }
}

impl std::ops::Sub<Duration> for MoscowTime {
    type Output = Self;

    fn sub(self, delta: Duration) -> Self {
        Self(self.0 - delta)
    }
}

impl FromStr for MoscowTime {
    type Err = TimeParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl serde::Serialize for MoscowTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for MoscowTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A LitRes date-time that is neither `YYYY-MM-DD HH:MM:SS` nor `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid LitRes time {input:?}: expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DD")]
pub struct TimeParseError {
    input: String,
}

impl TimeParseError {
    /// Returns the text that failed to parse.
    pub fn input(&self) -> &str {
        &self.input
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moscow_is_three_hours_ahead_of_utc() {
        // 2015-08-01 07:50:28 UTC is 10:50:28 in Moscow.
        let utc = DateTime::from_timestamp(1_438_415_428, 0).unwrap();
        let moscow = MoscowTime::from_utc(utc);
        assert_eq!(moscow.to_string(), "2015-08-01 10:50:28");
        assert_eq!(moscow.to_utc(), utc);
    }

    #[test]
    fn from_utc_drops_fractions() {
        let utc = DateTime::from_timestamp(1_438_415_428, 999_000_000).unwrap();
        assert_eq!(MoscowTime::from_utc(utc).to_string(), "2015-08-01 10:50:28");
        assert_eq!(
            MoscowTime::from_utc(utc),
            MoscowTime::parse("2015-08-01 10:50:28").unwrap()
        );
    }

    #[test]
    fn parse_accepts_date_only() {
        let time = MoscowTime::parse("2015-10-08").unwrap();
        assert_eq!(time.to_string(), "2015-10-08 00:00:00");
    }

    #[test]
    fn parse_rejects_other_shapes() {
        let err = MoscowTime::parse("08.10.2015").unwrap_err();
        assert_eq!(err.input(), "08.10.2015");
        assert!(err.to_string().contains("YYYY-MM-DD"));
    }
}

//! Times on the pages: Stockholm's clock (see [`crate::clock::stockholm`]) in the
//! forms pages read and write.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

pub use crate::clock::stockholm::{from_local, local};

/// `2026-03-02 10:00`, local time.
pub fn show(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// `2026-03-02`, the local day: a deadline is a day, and its clock time (when the
/// stage was entered) means nothing to the reader.
pub fn day(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%d").to_string()
}

/// The value of an `<input type="datetime-local">`: `2026-03-02T10:00`.
pub fn input_value(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads an `<input type="datetime-local">` value (seconds optional).
pub fn parse_input(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(from_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn winter_is_cet_and_summer_is_cest() {
        assert_eq!(show(utc("2026-01-15T09:00:00Z")), "2026-01-15 10:00");
        assert_eq!(show(utc("2026-07-15T09:00:00Z")), "2026-07-15 11:00");
        assert_eq!(day(utc("2026-07-15T22:30:00Z")), "2026-07-16");
    }

    #[test]
    fn a_local_input_round_trips() {
        let at = parse_input("2026-06-01T13:30").expect("parses");
        assert_eq!(at.with_timezone(&Utc), utc("2026-06-01T11:30:00Z"));
        assert_eq!(input_value(at.with_timezone(&Utc)), "2026-06-01T13:30");
        assert!(parse_input("yesterday").is_none());
    }
}

//! Times as people in Sweden read them: Europe/Stockholm, CET in winter and CEST
//! from the last Sunday of March to the last Sunday of October (the EU rule since 1996,
//! switching at 01:00 UTC). Written out so no time-zone database is needed.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday,
};

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or_default();
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

/// Stockholm's offset from UTC at the instant `at`.
pub fn offset_at(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let summer_from = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let summer_until = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let hours = if at >= summer_from && at < summer_until {
        2
    } else {
        1
    };
    FixedOffset::east_opt(hours * 3600).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"))
}

/// The instant in Stockholm's local time.
pub fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&offset_at(at))
}

/// A wall-clock time in Stockholm as an instant. In the autumn hour that happens twice
/// the earlier is taken; a time in the spring gap is read as winter time.
pub fn from_local(wall: NaiveDateTime) -> DateTime<FixedOffset> {
    for hours in [2, 1] {
        let offset = FixedOffset::east_opt(hours * 3600).expect("valid offset");
        if let Some(at) = offset.from_local_datetime(&wall).single() {
            if offset_at(at.with_timezone(&Utc)) == offset {
                return at;
            }
        }
    }
    let winter = FixedOffset::east_opt(3600).expect("valid offset");
    winter.from_utc_datetime(&(wall - Duration::hours(1)))
}

/// `2026-03-02 10:00`, local time.
pub fn show(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%d %H:%M").to_string()
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
    }

    #[test]
    fn the_switch_happens_at_one_utc_on_the_last_sundays() {
        // 2026: last Sunday of March is the 29th, of October the 25th.
        assert_eq!(
            offset_at(utc("2026-03-29T00:59:00Z")).local_minus_utc(),
            3600
        );
        assert_eq!(
            offset_at(utc("2026-03-29T01:00:00Z")).local_minus_utc(),
            7200
        );
        assert_eq!(
            offset_at(utc("2026-10-25T00:59:00Z")).local_minus_utc(),
            7200
        );
        assert_eq!(
            offset_at(utc("2026-10-25T01:00:00Z")).local_minus_utc(),
            3600
        );
    }

    #[test]
    fn a_local_input_round_trips() {
        let at = parse_input("2026-06-01T13:30").expect("parses");
        assert_eq!(at.with_timezone(&Utc), utc("2026-06-01T11:30:00Z"));
        assert_eq!(input_value(at.with_timezone(&Utc)), "2026-06-01T13:30");
        assert!(parse_input("yesterday").is_none());
    }
}

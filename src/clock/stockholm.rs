//! Times as people in Sweden read them: Europe/Stockholm, CET in winter and CEST
//! from the last Sunday of March to the last Sunday of October (the EU rule since 1996,
//! switching at 01:00 UTC). Written out so no time-zone database is needed. Pages,
//! mails and the certificate all read Stockholm's clock through this module.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
    Weekday,
};

const HOUR: i32 = 3600;

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

fn offset(hours: i32) -> FixedOffset {
    // One or two hours east is always a valid offset; UTC is the fallback in name only.
    FixedOffset::east_opt(hours * HOUR).unwrap_or(Utc.fix())
}

/// Whether `at` falls in Stockholm's summer time.
pub fn is_summer(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let from = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let until = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .unwrap_or_default()
        .and_utc();
    at >= from && at < until
}

/// Stockholm's offset from UTC at the instant `at`.
pub fn offset_at(at: DateTime<Utc>) -> FixedOffset {
    offset(if is_summer(at) { 2 } else { 1 })
}

/// The instant in Stockholm's local time.
pub fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&offset_at(at))
}

/// The time on a clock in Stockholm, without its offset.
pub fn wall_clock(at: DateTime<Utc>) -> NaiveDateTime {
    local(at).naive_local()
}

/// The day it is in Stockholm at `at`.
pub fn today(at: DateTime<Utc>) -> NaiveDate {
    wall_clock(at).date()
}

/// A wall-clock time in Stockholm as an instant. In the autumn hour that happens twice
/// the earlier is taken; a time in the spring gap is read as winter time.
pub fn from_local(wall: NaiveDateTime) -> DateTime<FixedOffset> {
    for hours in [2, 1] {
        let offset = offset(hours);
        if let Some(at) = offset.from_local_datetime(&wall).single() {
            if offset_at(at.with_timezone(&Utc)) == offset {
                return at;
            }
        }
    }
    offset(1).from_utc_datetime(&(wall - Duration::hours(1)))
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
    fn stockholm_is_one_hour_ahead_in_winter_and_two_in_summer() {
        assert_eq!(
            wall_clock(utc("2026-01-15T09:00:00Z")).to_string(),
            "2026-01-15 10:00:00"
        );
        assert_eq!(
            wall_clock(utc("2026-07-15T09:00:00Z")).to_string(),
            "2026-07-15 11:00:00"
        );
    }

    #[test]
    fn the_switch_happens_at_one_utc_on_the_last_sundays() {
        // 2026: last Sunday of March is the 29th, of October the 25th.
        let hours = |s: &str| offset_at(utc(s)).local_minus_utc() / HOUR;
        assert_eq!(hours("2026-03-29T00:59:00Z"), 1);
        assert_eq!(hours("2026-03-29T01:00:00Z"), 2);
        assert_eq!(hours("2026-10-25T00:59:00Z"), 2);
        assert_eq!(hours("2026-10-25T01:00:00Z"), 1);
        assert_eq!(
            wall_clock(utc("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 03:00:00"
        );
        assert_eq!(
            wall_clock(utc("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 02:00:00"
        );
    }

    #[test]
    fn a_late_evening_in_stockholm_is_already_the_next_day() {
        assert_eq!(
            today(utc("2026-12-31T23:30:00Z")),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
        );
    }

    #[test]
    fn wall_clock_times_become_instants_in_both_seasons() {
        let wall = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("wall");
        assert_eq!(
            from_local(wall("2026-06-01 13:30")).with_timezone(&Utc),
            utc("2026-06-01T11:30:00Z")
        );
        assert_eq!(
            from_local(wall("2026-01-10 13:30")).with_timezone(&Utc),
            utc("2026-01-10T12:30:00Z")
        );
        // The autumn hour that happens twice: the earlier (summer) one.
        assert_eq!(
            from_local(wall("2026-10-25 02:30")).with_timezone(&Utc),
            utc("2026-10-25T00:30:00Z")
        );
    }
}

//! Dates and times as prose in the user's language, on Stockholm's clock: "tisdag
//! 10 mars 2026 kl. 10.00", "Tuesday 10 March 2026, 10:00".

use chrono::{DateTime, Datelike, Utc, Weekday};

use super::{lookup, text};
use crate::clock::stockholm;
use crate::domain::Language;

fn weekday(lang: Language, day: Weekday) -> &'static str {
    let key = match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    };
    lookup(lang, &format!("date.weekday.{key}")).unwrap_or(key)
}

fn month(lang: Language, month: u32) -> String {
    text(lang, &format!("date.month.{month}"), &[])
}

/// A date as prose: "10 mars 2026", "10 March 2026".
pub fn date(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm::wall_clock(at);
    text(
        lang,
        "date.date",
        &[
            ("day", local.day().to_string()),
            ("month", month(lang, local.month())),
            ("year", local.year().to_string()),
        ],
    )
}

/// A calendar day as prose: "10 mars 2026" (a day has no time zone).
pub fn day(on: chrono::NaiveDate, lang: Language) -> String {
    text(
        lang,
        "date.date",
        &[
            ("day", on.day().to_string()),
            ("month", month(lang, on.month())),
            ("year", on.year().to_string()),
        ],
    )
}

/// A clock time in Stockholm: "12.00" in Swedish, "12:00" in English.
pub fn time(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm::wall_clock(at);
    match lang {
        Language::Sv => local.format("%H.%M").to_string(),
        Language::En => local.format("%H:%M").to_string(),
    }
}

/// A weekday, date and Stockholm time: "tisdag 10 mars 2026 kl. 10.00".
pub fn date_time(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm::wall_clock(at);
    text(
        lang,
        "date.date_time",
        &[
            ("weekday", weekday(lang, local.weekday()).to_string()),
            ("date", date(at, lang)),
            ("time", time(at, lang)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn dates_read_as_prose_in_each_language() {
        let t = at("2026-03-10T09:00:00Z");
        assert_eq!(date_time(t, Language::Sv), "tisdag 10 mars 2026 kl. 10.00");
        assert_eq!(date_time(t, Language::En), "Tuesday 10 March 2026, 10:00");
        assert_eq!(
            date(at("2026-07-31T22:30:00Z"), Language::Sv),
            "1 augusti 2026"
        );
        assert_eq!(time(at("2026-07-31T22:30:00Z"), Language::En), "00:30");
    }
}

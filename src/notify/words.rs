//! The words mail shows, in Swedish and English, as GLOSSARY.md names them, and
//! times as people in Sweden read them (Europe/Stockholm: CET, CEST in summer).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};

use crate::domain::{Language, SessionKind, Severity, Stage, Status};

/// The name of a stage.
pub fn stage(stage: Stage, lang: Language) -> &'static str {
    let sv = lang == Language::Sv;
    match stage {
        Stage::Kickoff => pick(sv, "Uppstart", "Kickoff"),
        Stage::ValueWorkshops => pick(sv, "Värderingsverkstäder", "Value workshops"),
        Stage::IndividualReflection => pick(sv, "Individuell reflektion", "Individual reflection"),
        Stage::RoutineIntegration => pick(sv, "Integrering i rutiner", "Routine integration"),
        Stage::Audit => pick(sv, "Granskning", "Audit"),
        Stage::Certified => pick(sv, "Certifierad", "Certified"),
    }
}

/// The name of a case status.
pub fn status(status: Status, lang: Language) -> &'static str {
    let sv = lang == Language::Sv;
    match status {
        Status::Active => pick(sv, "Pågående", "Active"),
        Status::Paused => pick(sv, "Pausad", "Paused"),
        Status::Withdrawn => pick(sv, "Avbruten", "Withdrawn"),
        Status::Certified => pick(sv, "Certifierad", "Certified"),
        Status::Suspended => pick(sv, "Tillfälligt upphävd", "Suspended"),
        Status::Expired => pick(sv, "Utgången", "Expired"),
        Status::Revoked => pick(sv, "Återkallad", "Revoked"),
    }
}

/// The name of a kind of session.
pub fn session_kind(kind: SessionKind, lang: Language) -> &'static str {
    let sv = lang == Language::Sv;
    match kind {
        SessionKind::Kickoff => pick(sv, "Uppstartsmöte", "Kickoff meeting"),
        SessionKind::Workshop => pick(sv, "Verkstad", "Workshop"),
        SessionKind::Supervision => pick(sv, "Handledning", "Supervision"),
    }
}

/// The name of a finding's severity.
pub fn severity(severity: Severity, lang: Language) -> &'static str {
    let sv = lang == Language::Sv;
    match severity {
        Severity::Major => pick(sv, "Större avvikelse", "Major nonconformity"),
        Severity::Minor => pick(sv, "Mindre avvikelse", "Minor nonconformity"),
        Severity::Observation => pick(sv, "Iakttagelse", "Observation"),
    }
}

/// The name of a routine area of the default programme; other areas as they are keyed.
pub fn area(key: &str, lang: Language) -> String {
    let sv = lang == Language::Sv;
    match key {
        "apt" => pick(sv, "Arbetsplatsträffar (APT)", "Workplace meetings (APT)"),
        "work_environment" => pick(
            sv,
            "Systematiskt arbetsmiljöarbete (SAM)",
            "Systematic work-environment management",
        ),
        "quality" => pick(sv, "Kvalitetsarbete", "Quality management"),
        "equality_plan" => pick(
            sv,
            "Aktiva åtgärder mot diskriminering",
            "Active measures against discrimination",
        ),
        other => other,
    }
    .to_string()
}

fn pick(sv: bool, swedish: &'static str, english: &'static str) -> &'static str {
    if sv {
        swedish
    } else {
        english
    }
}

/// The last Sunday of a 31-day month, at 01:00 UTC: when Europe switches clocks.
fn switch(year: i32, month: u32) -> NaiveDateTime {
    let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    let back = i64::from(last.weekday().num_days_from_sunday());
    (last - Duration::days(back))
        .and_hms_opt(1, 0, 0)
        .unwrap_or_default()
}

/// The time on a clock in Stockholm.
pub fn stockholm(at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    let summer = utc >= switch(at.year(), 3) && utc < switch(at.year(), 10);
    utc + Duration::hours(if summer { 2 } else { 1 })
}

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday(day: Weekday, lang: Language) -> &'static str {
    let sv = lang == Language::Sv;
    match day {
        Weekday::Mon => pick(sv, "måndag", "Monday"),
        Weekday::Tue => pick(sv, "tisdag", "Tuesday"),
        Weekday::Wed => pick(sv, "onsdag", "Wednesday"),
        Weekday::Thu => pick(sv, "torsdag", "Thursday"),
        Weekday::Fri => pick(sv, "fredag", "Friday"),
        Weekday::Sat => pick(sv, "lördag", "Saturday"),
        Weekday::Sun => pick(sv, "söndag", "Sunday"),
    }
}

/// A date as Swedish or English prose: "10 mars 2026", "10 March 2026".
pub fn date(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm(at);
    let months = if lang == Language::Sv {
        &MONTHS_SV
    } else {
        &MONTHS_EN
    };
    format!(
        "{} {} {}",
        local.day(),
        months[local.month0() as usize],
        local.year()
    )
}

/// A weekday, date and Stockholm time: "tisdag 10 mars 2026 kl. 10.00".
pub fn date_time(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm(at);
    let day = weekday(local.weekday(), lang);
    match lang {
        Language::Sv => format!("{day} {} kl. {}", date(at, lang), local.format("%H.%M")),
        Language::En => format!("{day} {}, {}", date(at, lang), local.format("%H:%M")),
    }
}

/// A clock time in Stockholm: "12.00" or "12:00".
pub fn time(at: DateTime<Utc>, lang: Language) -> String {
    let local = stockholm(at);
    match lang {
        Language::Sv => local.format("%H.%M").to_string(),
        Language::En => local.format("%H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn stockholm_is_one_hour_ahead_in_winter_and_two_in_summer() {
        assert_eq!(
            stockholm(at("2026-01-15T09:00:00Z")).to_string(),
            "2026-01-15 10:00:00"
        );
        assert_eq!(
            stockholm(at("2026-07-15T09:00:00Z")).to_string(),
            "2026-07-15 11:00:00"
        );
        // 2026-03-29 and 2026-10-25 are the last Sundays of March and October.
        assert_eq!(
            stockholm(at("2026-03-29T00:59:00Z")).to_string(),
            "2026-03-29 01:59:00"
        );
        assert_eq!(
            stockholm(at("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 03:00:00"
        );
        assert_eq!(
            stockholm(at("2026-10-25T00:59:00Z")).to_string(),
            "2026-10-25 02:59:00"
        );
        assert_eq!(
            stockholm(at("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 02:00:00"
        );
    }

    #[test]
    fn dates_read_as_prose_in_each_language() {
        let t = at("2026-03-10T09:00:00Z");
        assert_eq!(date_time(t, Language::Sv), "tisdag 10 mars 2026 kl. 10.00");
        assert_eq!(date_time(t, Language::En), "Tuesday 10 March 2026, 10:00");
    }
}

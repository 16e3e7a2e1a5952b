//! The demo's open events: Helsingborg's kickoff on 9 September, 09.00–12.00 Stockholm
//! time, open to all, and three lärträffar (learning meetings) with sign-ups, the
//! second full with two on its waitlist. Made through the use cases, so the mails are
//! in the outbox like any others.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::error::AppError;
use super::event_inputs::{Everyone, NewEvent, NewRegistration, OpenToBody};
use super::open_events::{create, register};
use super::AppState;
use crate::app::email::EmailAddress;
use crate::clock::stockholm;
use crate::domain::{Actor, Language, SessionKind};

/// Stockholm wall-clock `hour`:00 on `day`.
fn at(day: NaiveDate, hour: u32) -> chrono::DateTime<chrono::FixedOffset> {
    stockholm::from_local(day.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

fn event(
    title: &str,
    kind: SessionKind,
    day: NaiveDate,
    hours: (u32, u32),
    capacity: Option<i32>,
    open_to: OpenToBody,
) -> NewEvent {
    NewEvent {
        title: title.into(),
        kind,
        starts_at: at(day, hours.0),
        ends_at: at(day, hours.1),
        location: Some("Helsingborgs stadshus, Drottninggatan 2".into()),
        description: Some(
            "Helsingborgs plan för lika möjligheter: hur når vi de sista 20 procenten, vilket språk använder vi och vilka fysiska och tekniska hinder finns kvar?".into(),
        ),
        audience: Some("Medarbetare i alla förvaltningar och bolag".into()),
        capacity,
        open_to,
        registration_closes_at: None,
        cohort_id: None,
    }
}

const PEOPLE: [&str; 9] = [
    "Amira Hassan",
    "Björn Lund",
    "Camilla Ek",
    "David Nilsson",
    "Elin Sjöberg",
    "Farid Karimi",
    "Greta Holm",
    "Hanna Berg",
    "Ivan Petrov",
];

/// The kickoff and three learning meetings, with `signups[i]` sign-ups each.
pub fn populate(
    state: &AppState,
    admin: &Actor,
    helsingborg: &str,
    units: &[&str],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let today = stockholm::today(now);
    let year = if (today.month(), today.day()) < (9, 9) {
        today.year()
    } else {
        today.year() + 1
    };
    let kickoff_day = NaiveDate::from_ymd_opt(year, 9, 9).unwrap_or(today);
    let ours = OpenToBody::Organisations(vec![helsingborg.to_string()]);
    let all = OpenToBody::Everyone(Everyone::All);
    let plan = [
        (
            "Kickoff: Helsingborgs plan för lika möjligheter",
            SessionKind::Kickoff,
            kickoff_day,
            (9, 12),
            None,
            all.clone(),
            6,
        ),
        (
            "Lärträff 1: de sista 20 procenten",
            SessionKind::LearningMeeting,
            today + Duration::days(14),
            (13, 16),
            Some(20),
            all,
            5,
        ),
        (
            "Lärträff 2: kommunikationens språk",
            SessionKind::LearningMeeting,
            today + Duration::days(28),
            (13, 16),
            Some(4),
            ours.clone(),
            6,
        ),
        (
            "Lärträff 3: fysiska och tekniska hinder",
            SessionKind::LearningMeeting,
            today + Duration::days(42),
            (13, 16),
            Some(25),
            ours,
            3,
        ),
    ];
    for (n, (title, kind, day, hours, capacity, open_to, signups)) in plan.into_iter().enumerate() {
        let created = create(
            state,
            admin,
            event(title, kind, day, hours, capacity, open_to),
        )?;
        for (i, name) in PEOPLE.iter().take(signups).enumerate() {
            let first = name.split(' ').next().unwrap_or("person").to_lowercase();
            register(
                state,
                "demo",
                &created.id,
                NewRegistration {
                    name: (*name).into(),
                    email: EmailAddress::sent(&format!("{first}.{n}@helsingborg.example")),
                    organisation_id: Some(helsingborg.to_string()),
                    unit_id: units.get(i % units.len().max(1)).map(|u| u.to_string()),
                    language: Some(if i == 3 { Language::En } else { Language::Sv }),
                },
            )?;
        }
    }
    Ok(())
}

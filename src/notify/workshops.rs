//! The mails of workshop requests: a new request to the staff who answer it (the
//! consultant of the unit's live case, or else every admin), and the answer to the
//! one who asked. Written in the transaction that records the request or its outcome.

use chrono::{DateTime, Utc};

use super::outbox_rows::insert;
use super::payload::{Details, Payload};
use super::recipients::{self, Recipient};
use super::words;
use super::NotifyError;
use crate::config::Settings;
use crate::domain::Language;
use crate::store::workshop_requests::{self, WorkshopRequestRow};
use crate::store::{cases, organisations, users, DbConnection};

/// What a workshop mail says of the session it became.
pub struct Booked {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
}

/// Where the request's page is, for the staff's mail.
pub fn request_url(settings: &Settings, id: &str) -> String {
    format!(
        "{}/workshop-requests/{id}",
        settings.server.public_url.trim_end_matches('/')
    )
}

fn names(
    conn: &mut DbConnection,
    row: &WorkshopRequestRow,
) -> diesel::QueryResult<(String, String)> {
    let organisation = organisations::by_id(conn, &row.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    let unit = match &row.unit_id {
        Some(id) => organisations::unit_by_id(conn, id)?.map(|u| u.name),
        None => None,
    };
    Ok((unit.unwrap_or_else(|| organisation.clone()), organisation))
}

fn send(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &WorkshopRequestRow,
    to: &[Recipient],
    details: &dyn Fn(Language) -> Details,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let (unit_name, organisation_name) = names(conn, row)?;
    for recipient in to {
        let payload = Payload {
            lang: recipient.language.as_str().to_string(),
            recipient_name: recipient.name.clone(),
            unit_name: unit_name.clone(),
            organisation_name: organisation_name.clone(),
            programme_name: String::new(),
            case_id: row.case_id.clone().unwrap_or_default(),
            public_url: settings.server.public_url.clone(),
            details: details(recipient.language),
        };
        insert(
            conn,
            settings,
            &payload,
            row.case_id.as_deref(),
            &recipient.email,
            now,
        )?;
    }
    Ok(to.len())
}

/// Who answers a request: the consultant of the unit's live case, or else the admins.
fn deciders(
    conn: &mut DbConnection,
    row: &WorkshopRequestRow,
) -> diesel::QueryResult<Vec<Recipient>> {
    let live = match &row.unit_id {
        Some(unit) => workshop_requests::live_case_of_unit(conn, unit)?,
        None => None,
    };
    let consultant = match live {
        Some(case_id) => match cases::by_id(conn, &case_id)? {
            Some((case, _, _)) => recipients::user(conn, case.consultant_id.as_deref())?,
            None => None,
        },
        None => None,
    };
    if let Some(consultant) = consultant {
        return Ok(vec![consultant]);
    }
    Ok(users::list(conn, Some("admin"), None, 1000)?
        .into_iter()
        .map(|user| Recipient {
            email: user.email,
            name: Some(user.name),
            language: user.language,
        })
        .collect())
}

/// A new request, to those who answer it; the number of mails written.
pub fn queue_requested(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &WorkshopRequestRow,
    wished: &[chrono::NaiveDate],
    perspectives: &[String],
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let to = deciders(conn, row)?;
    let requester_name = recipients::user(conn, Some(&row.requested_by))?
        .and_then(|r| r.name)
        .unwrap_or_default();
    let url = request_url(settings, &row.id);
    let details = |lang| Details::WorkshopRequested {
        requester_name: requester_name.clone(),
        audience: row.audience.clone(),
        wished_dates: wished.iter().map(|d| words::day(*d, lang)).collect(),
        perspectives: perspectives.to_vec(),
        message: row.message.clone(),
        request_url: url.clone(),
    };
    send(conn, settings, row, &to, &details, now)
}

fn requester(
    conn: &mut DbConnection,
    row: &WorkshopRequestRow,
) -> diesel::QueryResult<Vec<Recipient>> {
    Ok(recipients::user(conn, Some(&row.requested_by))?
        .into_iter()
        .collect())
}

/// The request accepted as a session, to the one who asked.
pub fn queue_accepted(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &WorkshopRequestRow,
    booked: &Booked,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let to = requester(conn, row)?;
    let details = |lang| {
        let same_day = words::date(booked.starts_at, lang) == words::date(booked.ends_at, lang);
        Details::WorkshopAccepted {
            audience: row.audience.clone(),
            starts: words::date_time(booked.starts_at, lang),
            ends: if same_day {
                words::time(booked.ends_at, lang)
            } else {
                words::date_time(booked.ends_at, lang)
            },
            location: booked.location.clone(),
            as_event: row.event_id.is_some(),
        }
    };
    send(conn, settings, row, &to, &details, now)
}

/// The request declined, with its reason, to the one who asked.
pub fn queue_declined(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &WorkshopRequestRow,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let to = requester(conn, row)?;
    let details = |_| Details::WorkshopDeclined {
        audience: row.audience.clone(),
        reason: row.reason.clone().unwrap_or_default(),
    };
    send(conn, settings, row, &to, &details, now)
}

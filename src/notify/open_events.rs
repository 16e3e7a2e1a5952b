//! The mails to an open event's registrants: confirmed (with the calendar entry),
//! waitlisted, moved up from the waitlist (with the calendar entry) and the reminder
//! the day before. A registrant is no user: the mail goes to the address they signed
//! up with, in the language of the page they signed up on, and carries a link that
//! cancels their registration (the page asks first).

use chrono::{DateTime, Utc};

use super::outbox_rows::insert;
use super::payload::{Details, Payload, SessionInfo};
use super::words;
use super::NotifyError;
use crate::config::Settings;
use crate::domain::{Language, SessionKind};
use crate::glossary;
use crate::store::open_events::{EventRow, RegistrationRow};
use crate::store::{from_db, DbConnection};

/// Which mail a registrant gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Confirmed,
    Waitlisted,
    MovedUp,
    Reminder,
}

impl Notice {
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Confirmed => "confirmed",
            Notice::Waitlisted => "waitlisted",
            Notice::MovedUp => "moved_up",
            Notice::Reminder => "reminder",
        }
    }
}

/// The page where a registrant cancels with the token their mail carries.
pub fn cancel_url(
    settings: &Settings,
    event_id: &str,
    registration_id: &str,
    token: &str,
) -> String {
    format!(
        "{}/events/{event_id}/cancel/{registration_id}?token={token}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// The event as the mail and its calendar entry show it.
fn event_info(event: &EventRow, lang: Language, now: DateTime<Utc>) -> SessionInfo {
    let starts_at = from_db(event.starts_at);
    let ends_at = from_db(event.ends_at);
    let same_day = words::date(starts_at, lang) == words::date(ends_at, lang);
    let kind = SessionKind::parse(&event.kind).unwrap_or(SessionKind::LearningMeeting);
    SessionInfo {
        id: event.id.clone(),
        sequence: 0,
        cancelled: false,
        kind_name: words::session_kind(kind, lang).to_string(),
        title: event.title.clone(),
        starts: words::date_time(starts_at, lang),
        ends: if same_day {
            words::time(ends_at, lang)
        } else {
            words::date_time(ends_at, lang)
        },
        starts_at: starts_at.to_rfc3339(),
        ends_at: ends_at.to_rfc3339(),
        location: event.location.clone(),
        stamp: now.to_rfc3339(),
        organizer: None,
    }
}

/// Writes `notice` to the registrant into the outbox, in the caller's transaction;
/// `token` is the one their cancel link carries. A registrant whose address is
/// erased gets nothing.
pub fn queue(
    conn: &mut DbConnection,
    settings: &Settings,
    event: &EventRow,
    registration: &RegistrationRow,
    notice: Notice,
    token: &str,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let (Some(email), Some(name)) = (&registration.email, &registration.name) else {
        return Ok(0);
    };
    let lang = Language::parse(&registration.language).unwrap_or_default();
    let key = notice.as_str();
    let title = [("title", event.title.clone())];
    let details = Details::EventRegistration {
        notice: key.to_string(),
        headline: glossary::text(lang, &format!("event_mail.{key}.subject"), &title),
        lead: glossary::text(lang, &format!("event_mail.{key}.lead"), &[]),
        registrant_name: name.clone(),
        event: event_info(event, lang, now),
        calendar: notice != Notice::Waitlisted,
        cancel_url: cancel_url(settings, &event.id, &registration.id, token),
        cancel_label: glossary::text(lang, "event_mail.cancel", &[]),
    };
    let payload = Payload {
        lang: lang.as_str().to_string(),
        recipient_name: Some(name.clone()),
        unit_name: String::new(),
        organisation_name: String::new(),
        programme_name: String::new(),
        case_id: String::new(),
        public_url: settings.server.public_url.clone(),
        details,
    };
    insert(conn, settings, &payload, None, email, now)?;
    Ok(1)
}

//! The reminder of a plan's action: to the responsible person, a copy to the
//! coordinator, each in their own language. A plan is no case: the mail names the
//! plan and its organisation instead of a unit and programme.

use chrono::{DateTime, NaiveDate, Utc};

use super::outbox_rows::insert;
use super::payload::{Details, Payload};
use super::recipients::Recipient;
use super::words;
use super::NotifyError;
use crate::config::Settings;
use crate::store::DbConnection;

/// What one action reminder says, whoever gets it.
pub struct ActionDue<'a> {
    pub organisation_name: &'a str,
    pub plan_title: &'a str,
    pub action_title: &'a str,
    pub responsible_name: &'a str,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// One outbox row to the responsible person and, when there is one (and it is
/// someone else), one to the coordinator; the number written.
pub fn queue_action_due(
    conn: &mut DbConnection,
    settings: &Settings,
    due: &ActionDue<'_>,
    responsible: Option<Recipient>,
    coordinator: Option<Recipient>,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let coordinator =
        coordinator.filter(|c| responsible.as_ref().is_none_or(|r| r.email != c.email));
    let to = [(responsible, false), (coordinator, true)];
    let mut written = 0;
    for (recipient, copy) in to {
        let Some(recipient) = recipient else { continue };
        let payload = Payload {
            lang: recipient.language.as_str().to_string(),
            recipient_name: recipient.name.clone(),
            unit_name: String::new(),
            organisation_name: due.organisation_name.to_string(),
            programme_name: String::new(),
            case_id: String::new(),
            public_url: settings.server.public_url.clone(),
            details: Details::ActionDue {
                plan_title: due.plan_title.to_string(),
                action_title: due.action_title.to_string(),
                due_date: words::day(due.due_on, recipient.language),
                overdue: due.overdue,
                copy,
                responsible_name: due.responsible_name.to_string(),
            },
        };
        insert(conn, settings, &payload, None, &recipient.email, now)?;
        written += 1;
    }
    Ok(written)
}

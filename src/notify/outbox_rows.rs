//! One outbox row per mail: its Message-ID, its subject for the admins' list and its
//! payload; every kind of mail, about a case or not, is written here.

use chrono::{DateTime, Utc};

use super::payload::Payload;
use super::render::renderer;
use super::NotifyError;
use crate::config::Settings;
use crate::store::rows::OutboxRow;
use crate::store::{ids, outbox, to_db, DbConnection};

/// Writes one outbox row: `payload` to `email`, about the case `case_id` if any.
pub fn insert(
    conn: &mut DbConnection,
    settings: &Settings,
    payload: &Payload,
    case_id: Option<&str>,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), NotifyError> {
    let domain = sender_domain(&settings.mail.from);
    let kind = payload.details.kind();
    // The subject is for the admins' list; a template error shows when sending.
    let subject = renderer()
        .and_then(|r| r.subject(payload))
        .unwrap_or_else(|_| kind.to_string());
    let id = ids::new_id();
    let row = OutboxRow {
        message_id: format!("<{id}@{domain}>"),
        id,
        kind: kind.to_string(),
        case_id: case_id.map(str::to_string),
        recipient: email.to_string(),
        language: payload.lang.clone(),
        payload: serde_json::to_string(payload).map_err(NotifyError::Payload)?,
        status: outbox::PENDING.into(),
        attempts: 0,
        next_attempt_at: to_db(now),
        lease_until: None,
        last_error: None,
        created_at: to_db(now),
        sent_at: None,
        subject,
        claimed_by: None,
    };
    outbox::insert(conn, &row)?;
    Ok(())
}

/// The domain of the sender address, for Message-IDs: `Stegvis <a@b.se>` → `b.se`.
pub fn sender_domain(from: &str) -> String {
    from.rsplit_once('@')
        .map(|(_, rest)| rest.trim_end_matches('>').trim().to_string())
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        })
        .unwrap_or_else(|| "stegvis".into())
}

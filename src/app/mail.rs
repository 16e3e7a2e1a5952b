//! The admins' view of the outbox: list mail by status, retry dead mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{Actor, ConflictCode};
use crate::store::outbox;
use crate::store::rows::OutboxRow;

/// Where a mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting to be sent, or to be retried.
    Pending,
    Sent,
    /// Failed for the last time; an admin may retry it.
    Dead,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => outbox::PENDING,
            MailStatus::Sent => outbox::SENT,
            MailStatus::Dead => outbox::DEAD,
        }
    }

    pub fn parse(s: &str) -> Option<MailStatus> {
        [MailStatus::Pending, MailStatus::Sent, MailStatus::Dead]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// One mail to one recipient.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailItem {
    pub id: String,
    /// What the mail is about, e.g. `session_scheduled`.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A page of mail; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailPage {
    pub items: Vec<MailItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl TryFrom<OutboxRow> for MailItem {
    type Error = AppError;

    fn try_from(row: OutboxRow) -> Result<MailItem, AppError> {
        Ok(MailItem {
            status: MailStatus::parse(&row.status).ok_or_else(|| {
                AppError::Internal(format!("mail {} has an unknown status", row.id))
            })?,
            id: row.id,
            kind: row.kind,
            recipient: row.recipient,
            subject: row.subject,
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: from_db(row.created_at),
            sent_at: row.sent_at.map(from_db),
        })
    }
}

/// The outbox, optionally of one status, oldest first (admin).
pub fn list(
    state: &AppState,
    actor: &Actor,
    status: Option<MailStatus>,
    page: PageRequest,
) -> Result<MailPage, AppError> {
    authorize(actor, Action::ManageMail, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let rows = outbox::list(
        &mut conn,
        status.map(MailStatus::as_str),
        page.cursor.as_deref(),
        page.limit + 1,
    )?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(MailPage {
        items: rows
            .into_iter()
            .map(MailItem::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// Puts a dead mail back in the queue, due now (admin); 409 when it is not dead.
pub fn retry(state: &AppState, actor: &Actor, id: &str) -> Result<MailItem, AppError> {
    authorize(actor, Action::ManageMail, &Target::DEPLOYMENT)?;
    let now = state.now();
    state.store.write(|conn| {
        let row = outbox::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        if outbox::revive(conn, id, to_db(now))? == 0 {
            return Err(AppError::Conflict(ConflictCode::DeadMailOnly));
        }
        tracing::info!(id, kind = %row.kind, "dead mail queued again by an admin");
        outbox::by_id(conn, id)?
            .ok_or(AppError::NotFound)
            .and_then(MailItem::try_from)
    })
}

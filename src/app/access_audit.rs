//! The access audit: who signed in, failed to, signed out, had their account changed,
//! reset a password, exported or erased personal data; when (the injected clock) and
//! from which client address. Never a password or a token; a failed sign-in of an
//! unknown address keeps the address only masked (`a…@example.se`).
//!
//! Every other sign-in route (single sign-on) records through [`record`] or
//! [`record_in`] with [`AccessKind::SignIn`] and a `detail` naming the route.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::Actor;
use crate::store::people::{self, AccessEventRow, AccessFilter};
use crate::store::{ids, DbConnection};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    SignIn,
    SignInFailed,
    SignOut,
    Deactivated,
    Reactivated,
    RoleChanged,
    PasswordResetRequested,
    PasswordResetCompleted,
    PasswordChanged,
    WelcomeSent,
    Export,
    Erasure,
    ContactErased,
}

impl AccessKind {
    pub const ALL: [AccessKind; 13] = [
        AccessKind::SignIn,
        AccessKind::SignInFailed,
        AccessKind::SignOut,
        AccessKind::Deactivated,
        AccessKind::Reactivated,
        AccessKind::RoleChanged,
        AccessKind::PasswordResetRequested,
        AccessKind::PasswordResetCompleted,
        AccessKind::PasswordChanged,
        AccessKind::WelcomeSent,
        AccessKind::Export,
        AccessKind::Erasure,
        AccessKind::ContactErased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessKind::SignIn => "sign_in",
            AccessKind::SignInFailed => "sign_in_failed",
            AccessKind::SignOut => "sign_out",
            AccessKind::Deactivated => "deactivated",
            AccessKind::Reactivated => "reactivated",
            AccessKind::RoleChanged => "role_changed",
            AccessKind::PasswordResetRequested => "password_reset_requested",
            AccessKind::PasswordResetCompleted => "password_reset_completed",
            AccessKind::PasswordChanged => "password_changed",
            AccessKind::WelcomeSent => "welcome_sent",
            AccessKind::Export => "export",
            AccessKind::Erasure => "erasure",
            AccessKind::ContactErased => "contact_erased",
        }
    }

    pub fn parse(text: &str) -> Option<AccessKind> {
        AccessKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One access event to record.
#[derive(Debug, Clone)]
pub struct AccessEvent {
    pub kind: AccessKind,
    /// Who did it (`None`: nobody signed in, e.g. a failed sign-in).
    pub actor_id: Option<String>,
    /// Whose account or data it concerned, when known.
    pub subject_id: Option<String>,
    /// The masked address, when the subject is not a known user.
    pub subject_hint: Option<String>,
    /// The client's address.
    pub client: Option<String>,
    /// A word more: the route (`password`, `web`, `oidc`), the role changed to, …
    pub detail: Option<String>,
}

impl AccessEvent {
    /// An event `actor` did to `subject`.
    pub fn new(kind: AccessKind, actor_id: Option<&str>, subject_id: Option<&str>) -> Self {
        AccessEvent {
            kind,
            actor_id: actor_id.map(str::to_string),
            subject_id: subject_id.map(str::to_string),
            subject_hint: None,
            client: None,
            detail: None,
        }
    }

    /// Something a person did to their own account (a sign-in, a reset).
    pub fn own(kind: AccessKind, user_id: &str) -> Self {
        AccessEvent::new(kind, Some(user_id), Some(user_id))
    }

    pub fn from_client(mut self, client: &str) -> Self {
        self.client = Some(client.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn about_address(mut self, email: &str) -> Self {
        self.subject_hint = Some(mask_email(email));
        self
    }
}

/// `anna.berg@example.se` → `a…@example.se`: enough to tell attempts apart, not to
/// read the address back.
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{}", domain.chars().take(100).collect::<String>())
        }
        None => "…".into(),
    }
}

/// Records `event` at `now` inside the caller's transaction.
pub fn record_in(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    event: AccessEvent,
) -> Result<(), AppError> {
    let row = AccessEventRow {
        id: ids::new_id(),
        at: to_db(now),
        kind: event.kind.as_str().to_string(),
        actor_id: event.actor_id,
        subject_id: event.subject_id,
        subject_hint: event.subject_hint,
        client: event.client,
        detail: event.detail,
    };
    people::insert_access(conn, &row)?;
    Ok(())
}

/// Records `event` now, in a transaction of its own.
pub fn record(state: &AppState, event: AccessEvent) -> Result<(), AppError> {
    let now = state.now();
    state.store.write(|conn| record_in(conn, now, event))
}

/// One access event as the audit log lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    pub kind: AccessKind,
    /// Who did it; null when nobody was signed in.
    pub actor_id: Option<String>,
    /// Whose account or data it concerned; null when unknown.
    pub subject_id: Option<String>,
    /// The masked address of a failed sign-in or reset of an unknown address.
    pub subject_hint: Option<String>,
    /// The client's address.
    pub client: Option<String>,
    /// The route or the change (`password`, `web`, `oidc`, the new role, …).
    pub detail: Option<String>,
}

impl AccessEntry {
    pub fn from_row(row: AccessEventRow) -> AccessEntry {
        AccessEntry {
            kind: AccessKind::parse(&row.kind).unwrap_or(AccessKind::SignIn),
            id: row.id,
            at: from_db(row.at),
            actor_id: row.actor_id,
            subject_id: row.subject_id,
            subject_hint: row.subject_hint,
            client: row.client,
            detail: row.detail,
        }
    }
}

/// A page of the access audit, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessPage {
    pub items: Vec<AccessEntry>,
    pub next_cursor: Option<String>,
}

/// What a page of the audit log is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub kind: Option<AccessKind>,
    pub user_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// A page of the access audit (admin).
pub fn list(
    state: &AppState,
    actor: &Actor,
    query: AuditQuery,
    page: PageRequest,
) -> Result<AccessPage, AppError> {
    authorize(actor, Action::ReadAuditLog, &Target::DEPLOYMENT)?;
    let filter = AccessFilter {
        kind: query.kind.map(|k| k.as_str().to_string()),
        user_id: query.user_id,
        since: query.since.map(to_db),
    };
    let mut conn = state.store.conn()?;
    let rows = people::list_access(&mut conn, &filter, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(AccessPage {
        items: rows.into_iter().map(AccessEntry::from_row).collect(),
        next_cursor,
    })
}

/// Every access event about `user_id` (theirs or done to them), oldest first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<AccessEntry>, AppError> {
    let filter = AccessFilter {
        user_id: Some(user_id.to_string()),
        ..AccessFilter::default()
    };
    let mut rows = people::list_access(conn, &filter, None, i64::MAX)?;
    rows.reverse();
    Ok(rows.into_iter().map(AccessEntry::from_row).collect())
}

#[cfg(test)]
mod tests {
    use super::{mask_email, AccessKind};

    #[test]
    fn a_masked_address_keeps_the_first_letter_and_the_domain() {
        assert_eq!(mask_email(" anna.berg@example.se "), "a…@example.se");
        assert_eq!(mask_email("nonsense"), "…");
    }

    #[test]
    fn every_kind_reads_back() {
        for kind in AccessKind::ALL {
            assert_eq!(AccessKind::parse(kind.as_str()), Some(kind));
        }
    }
}

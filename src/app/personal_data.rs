//! Personal data on request (GDPR articles 15 and 17): a person's data as JSON, and
//! erasure. Histories name people by user id, never by name or address, inside the
//! hashed records; erasure changes only the `users` row (and the outbox), so every
//! hash chain still verifies.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::access_audit::{self, AccessEntry, AccessEvent, AccessKind};
use super::users::person_of;
use super::views::User;
use super::{auth, from_db, AppState};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, authorize_on_user, Action, Target};
use crate::domain::{Actor, ConflictCode};
use crate::store::{ids, organisations, people, users};

/// One case event the person acted in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseEventLine {
    pub case_id: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub comment: Option<String>,
    /// The event's data as recorded.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// One plan event the person acted in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEventLine {
    pub plan_id: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// A mail written to the person: what and when, not its contents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailLine {
    pub kind: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// `pending`, `sent` or `dead`.
    pub status: String,
}

/// A record the person made or decided outside the histories above.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordLine {
    /// `evidence`, `finding`, `appeal`, `complaint`, `workshop_request`, `webhook`,
    /// `cohort` or `open_event`.
    pub kind: String,
    pub id: String,
    /// The person's part: `added`, `resolved`, `filed`, `decided`, `requested`,
    /// `created`.
    pub part: String,
    pub at: Option<DateTime<Utc>>,
}

/// Everything Stegvis keeps about one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalData {
    pub exported_at: DateTime<Utc>,
    pub profile: User,
    /// Their sign-ins, failed sign-ins, sign-outs and what was done to their account.
    pub access: Vec<AccessEntry>,
    pub case_events: Vec<CaseEventLine>,
    pub plan_events: Vec<PlanEventLine>,
    /// Evidence, findings, appeals, complaints, workshop requests, webhooks, rounds
    /// and open events they added, filed, resolved, decided or created.
    pub records: Vec<RecordLine>,
    pub mails: Vec<MailLine>,
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// `GET /users/{id}/export`: the admin, or the person themselves. Recorded in the
/// access audit.
pub fn export(
    state: &AppState,
    actor: &Actor,
    id: &str,
    client: &str,
) -> Result<PersonalData, AppError> {
    let now = state.now();
    state.store.write(|conn| {
        let user = users::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        authorize_on_user(actor, Action::ExportPersonalData, &person_of(&user))?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::new(AccessKind::Export, Some(&actor.id), Some(&user.id))
                .from_client(client),
        )?;
        let access = access_audit::of_user(conn, &user.id)?;
        let case_events = people::case_events_by(conn, &user.id)?
            .into_iter()
            .map(|e| CaseEventLine {
                case_id: e.case_id,
                seq: e.seq,
                at: from_db(e.at),
                kind: e.kind,
                comment: e.comment,
                data: json(&e.data),
            })
            .collect();
        let plan_events = people::plan_events_by(conn, &user.id)?
            .into_iter()
            .map(|e| PlanEventLine {
                plan_id: e.plan_id,
                seq: e.seq,
                at: from_db(e.at),
                kind: e.kind,
                data: json(&e.data),
            })
            .collect();
        let records = people::records_by(conn, &user.id)?
            .into_iter()
            .map(|(kind, id, part, at)| RecordLine {
                kind: kind.to_string(),
                id,
                part: part.to_string(),
                at: at.map(from_db),
            })
            .collect();
        let mails = people::mails_to(conn, &user.email)?
            .into_iter()
            .map(|(kind, subject, created, sent, status)| MailLine {
                kind,
                subject,
                created_at: from_db(created),
                sent_at: sent.map(from_db),
                status,
            })
            .collect();
        Ok(PersonalData {
            exported_at: now,
            profile: User::from_row(&user),
            access,
            case_events,
            plan_events,
            records,
            mails,
        })
    })
}

/// The name an erased person is known by: `Raderad användare 7F3K`.
fn pseudonym() -> (String, String) {
    let tag = ids::random_hex(2).to_uppercase();
    (
        format!("Raderad användare {tag}"),
        format!("raderad-{}@erased.invalid", ids::new_id().to_lowercase()),
    )
}

/// `POST /users/{id}/erase` (admin): the name and address become a pseudonym, the
/// account closes, every token, session and set-password link goes, mails not yet
/// sent to them are dropped and those sent lose their contents. Histories keep the
/// user id. Erasing oneself is 409.
pub fn erase(state: &AppState, actor: &Actor, id: &str, client: &str) -> Result<User, AppError> {
    // A password nobody knows, hashed outside the transaction.
    let unusable = auth::hash_password(&ids::random_hex(32))?;
    let now = state.now();
    state.store.write(|conn| {
        let user = users::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        authorize_on_user(actor, Action::ManageUsers, &person_of(&user))?;
        if user.id == actor.id {
            return Err(AppError::Conflict(ConflictCode::OwnAccount));
        }
        let (name, email) = pseudonym();
        people::pseudonymise_user(conn, &user.id, &name, &email, &unusable)?;
        users::delete_tokens_of(conn, &user.id, None)?;
        people::delete_links_of(conn, &user.id)?;
        people::drop_pending_mail_to(conn, &user.email)?;
        people::readdress_sent_mail(conn, &user.email, &email)?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::new(AccessKind::Erasure, Some(&actor.id), Some(&user.id))
                .from_client(client),
        )?;
        let erased = users::by_id(conn, &user.id)?.ok_or(AppError::NotFound)?;
        Ok(User::from_row(&erased))
    })
}

/// `POST /units/{id}/erase-contact` (admin): forgets a unit's contact address; mails
/// not yet sent to it are dropped and those sent lose their contents.
pub fn erase_unit_contact(
    state: &AppState,
    actor: &Actor,
    unit_id: &str,
    client: &str,
) -> Result<(), AppError> {
    authorize(actor, Action::ManageUsers, &Target::DEPLOYMENT)?;
    let now = state.now();
    state.store.write(|conn| {
        let unit = organisations::unit_by_id(conn, unit_id)?.ok_or(AppError::NotFound)?;
        if let Some(address) = &unit.contact_email {
            people::drop_pending_mail_to(conn, address)?;
            let (_, placeholder) = pseudonym();
            people::readdress_sent_mail(conn, address, &placeholder)?;
        }
        people::clear_unit_contact(conn, unit_id, crate::store::to_db(now))?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::new(AccessKind::ContactErased, Some(&actor.id), None)
                .from_client(client)
                .detail(unit_id),
        )
    })
}

//! Rows as stored: one struct per table, read and written as they are.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::*;
use crate::domain::{Language, Role, SessionKind, Severity, Stage, Status};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub org_number: Option<String>,
    pub created_at: NaiveDateTime,
    /// Listed in the public registry (opt-in).
    pub public_registry: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub department: Option<String>,
    pub headcount: i32,
    pub contact_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub role: Role,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub language: Language,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
    /// False once an admin closed the account: no route signs them in.
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub token_hash: String,
    pub user_id: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = programmes)]
pub struct ProgrammeRow {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
    pub workshops_required: i32,
    pub attendance_threshold_pct: i32,
    pub reflection_threshold_pct: i32,
    pub routine_areas: String,
    pub validity_months: i32,
    pub stage_deadline_days: String,
    pub created_at: NaiveDateTime,
    /// The path as JSON; `None` for a row written before paths (read as its flat path).
    pub path: Option<String>,
    pub description: Option<String>,
    pub finding_major_days: i32,
    pub finding_minor_days: i32,
    pub finding_observation_days: i32,
    pub surveillance_months: i32,
    pub surveillance_grace_days: i32,
    pub decision_by: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub unit_id: String,
    pub organisation_id: String,
    pub programme_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub stage: Stage,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: Status,
    pub version: i64,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
    pub cycle: i32,
    pub stage_entered_at: NaiveDateTime,
    pub stage_due_at: Option<NaiveDateTime>,
    pub paused_at: Option<NaiveDateTime>,
    pub reflections_completed: i32,
    pub audit_round: i32,
    pub last_hash: String,
    pub live_key: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub trained_completed: i32,
    pub next_surveillance_due: Option<NaiveDateTime>,
    pub suspended_for_surveillance: bool,
    pub appealable_since: Option<NaiveDateTime>,
    pub open_appeal_id: Option<String>,
    pub recommended_at: Option<NaiveDateTime>,
}

// `None` is bound as NULL rather than written as DEFAULT, so the INSERT's SQL is the
// same for every event and PostgreSQL keeps it prepared instead of planning it anew.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub case_id: String,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub kind: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub comment: Option<String>,
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub case_id: String,
    pub cycle: i32,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub location: Option<String>,
    pub attended: Option<i32>,
    pub cancelled: bool,
    pub sequence: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub audience: Option<String>,
    /// A JSON list of strings.
    pub themes: String,
    pub notes: Option<String>,
    pub documented_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = evidence)]
pub struct EvidenceRow {
    pub id: String,
    pub case_id: String,
    pub cycle: i32,
    pub area: String,
    pub description: String,
    pub link: Option<String>,
    pub added_by: String,
    pub added_at: NaiveDateTime,
    pub file_sha256: Option<String>,
    pub file_size: Option<i64>,
    pub file_media_type: Option<String>,
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = findings)]
pub struct FindingRow {
    pub id: String,
    pub case_id: String,
    pub cycle: i32,
    pub round: i32,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub severity: Severity,
    pub area: Option<String>,
    pub text: String,
    pub resolution: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<String>,
    pub created_at: NaiveDateTime,
    /// The day it must be resolved by; none for findings from before deadlines.
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub user_id: String,
    pub key: String,
    pub request_hash: String,
    pub status: Option<i32>,
    pub response_body: Option<String>,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub case_id: Option<String>,
    pub recipient: String,
    pub language: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub message_id: String,
    pub subject: String,
    pub claimed_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct WebhookEndpointRow {
    pub id: String,
    pub url: String,
    /// The event kinds, space-separated.
    pub events: String,
    pub secret: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct WebhookDeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
    pub response_status: Option<i32>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

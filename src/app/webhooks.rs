//! Webhook endpoints (admin): register one for some event kinds, list them, read one
//! with its recent deliveries, delete one, and send a dead delivery again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::mail::MailStatus;
use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::webhook::EventKind;
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError};
use crate::notify::webhook::{sign, target};
use crate::store::rows::{WebhookDeliveryRow, WebhookEndpointRow};
use crate::store::{ids, webhooks};

/// How many deliveries `GET /webhooks/{id}` shows, newest first.
const RECENT: i64 = 50;

/// The event kinds an endpoint may ask for (docs/operations.md).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub enum WebhookEventKind {
    #[serde(rename = "case.enrolled")]
    CaseEnrolled,
    #[serde(rename = "case.stage_changed")]
    CaseStageChanged,
    #[serde(rename = "case.status_changed")]
    CaseStatusChanged,
    #[serde(rename = "certificate.issued")]
    CertificateIssued,
    #[serde(rename = "certificate.suspended")]
    CertificateSuspended,
    #[serde(rename = "certificate.reinstated")]
    CertificateReinstated,
    #[serde(rename = "certificate.revoked")]
    CertificateRevoked,
    #[serde(rename = "certificate.expired")]
    CertificateExpired,
    #[serde(rename = "plan.action_changed")]
    PlanActionChanged,
}

/// `POST /webhooks`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// An http or https URL on a public address (`webhooks.allow_private` also admits
    /// private ones), not this server.
    #[validate(length(min = 1, max = 2000))]
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "https://example.org/hooks/stegvis"
    )]
    pub url: String,
    /// The event kinds to receive.
    #[schema(value_type = Vec<WebhookEventKind>, min_items = 1, max_items = 9)]
    pub events: Vec<String>,
    /// `whsec_` + base64 of 24 to 64 bytes; generated when left out.
    #[schema(max_length = 100)]
    pub secret: Option<String>,
}

/// A registered endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    #[schema(value_type = Vec<WebhookEventKind>)]
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// The answer of `POST /webhooks`: the endpoint and its secret, shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The signing secret (`whsec_…`); keep it, it is not shown again.
    pub secret: String,
}

/// A page of endpoints; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookPage {
    pub items: Vec<Webhook>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One delivery of one event to one endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDelivery {
    /// Also the `webhook-id` header.
    pub id: String,
    #[schema(value_type = WebhookEventKind)]
    pub event_type: String,
    pub status: MailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The HTTP status the endpoint answered last.
    pub response_status: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// An endpoint with its newest deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDetail {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The newest 50 deliveries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}

impl From<WebhookEndpointRow> for Webhook {
    fn from(row: WebhookEndpointRow) -> Webhook {
        Webhook {
            events: row.events.split(' ').map(String::from).collect(),
            id: row.id,
            url: row.url,
            created_at: from_db(row.created_at),
        }
    }
}

impl TryFrom<WebhookDeliveryRow> for WebhookDelivery {
    type Error = AppError;

    fn try_from(row: WebhookDeliveryRow) -> Result<WebhookDelivery, AppError> {
        let status = MailStatus::parse(&row.status).ok_or_else(|| {
            AppError::Internal(format!("delivery {} has an unknown status", row.id))
        })?;
        Ok(WebhookDelivery {
            next_attempt_at: (status == MailStatus::Pending).then(|| from_db(row.next_attempt_at)),
            status,
            id: row.id,
            event_type: row.event_type,
            attempts: row.attempts,
            last_error: row.last_error,
            response_status: row.response_status,
            created_at: from_db(row.created_at),
            sent_at: row.sent_at.map(from_db),
        })
    }
}

/// Registers an endpoint (admin); every bad field is named at once, nothing stored.
pub fn create(
    state: &AppState,
    actor: &Actor,
    input: NewWebhook,
) -> Result<CreatedWebhook, AppError> {
    authorize(actor, Action::ManageWebhooks, &Target::DEPLOYMENT)?;
    let mut errors = Vec::new();
    if let Err(refused) = target::check(&input.url, &state.settings) {
        errors.push(refused);
    }
    if input.events.is_empty() || input.events.len() > EventKind::ALL.len() {
        let max = EventKind::ALL.len();
        errors.push(
            FieldError::coded(
                "events",
                FieldCode::WebhookEventCount,
                format!("choose 1 to {max} events"),
            )
            .with("max", max),
        );
    }
    let mut events: Vec<&str> = Vec::new();
    for (i, kind) in input.events.iter().enumerate() {
        match EventKind::parse(kind) {
            Some(kind) if !events.contains(&kind.as_str()) => events.push(kind.as_str()),
            Some(_) => {}
            None => errors.push(unknown_kind(i)),
        }
    }
    let secret = input.secret.unwrap_or_else(sign::new_secret);
    if sign::key_of(&secret).is_none() {
        errors.push(FieldError::coded(
            "secret",
            FieldCode::WebhookSecret,
            "must be whsec_ followed by 24 to 64 bytes in base64",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = WebhookEndpointRow {
        id: ids::new_id(),
        url: input.url,
        events: events.join(" "),
        secret: secret.clone(),
        created_by: actor.id.clone(),
        created_at: to_db(state.now()),
    };
    state
        .store
        .write(|conn| webhooks::insert_endpoint(conn, &row).map_err(AppError::from))?;
    tracing::info!(id = %row.id, events = %row.events, "webhook endpoint registered");
    Ok(CreatedWebhook {
        webhook: Webhook::from(row),
        secret,
    })
}

fn unknown_kind(i: usize) -> FieldError {
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    let kinds = kinds.join(", ");
    FieldError::coded(
        format!("events[{i}]"),
        FieldCode::WebhookEvent,
        format!("must be one of {kinds}"),
    )
    .with("kinds", kinds)
}

/// A page of endpoints, oldest first (admin).
pub fn list(state: &AppState, actor: &Actor, page: PageRequest) -> Result<WebhookPage, AppError> {
    authorize(actor, Action::ManageWebhooks, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let rows = webhooks::endpoints_page(&mut conn, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(WebhookPage {
        items: rows.into_iter().map(Webhook::from).collect(),
        next_cursor,
    })
}

/// One endpoint with its newest deliveries (admin).
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<WebhookDetail, AppError> {
    authorize(actor, Action::ManageWebhooks, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let row = webhooks::endpoint(&mut conn, id)?.ok_or(AppError::NotFound)?;
    let deliveries = webhooks::recent_deliveries(&mut conn, id, RECENT)?
        .into_iter()
        .map(WebhookDelivery::try_from)
        .collect::<Result<_, _>>()?;
    Ok(WebhookDetail {
        webhook: Webhook::from(row),
        deliveries,
    })
}

/// Deletes an endpoint and its deliveries (admin).
pub fn delete(state: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    authorize(actor, Action::ManageWebhooks, &Target::DEPLOYMENT)?;
    let deleted = state
        .store
        .write(|conn| webhooks::delete_endpoint(conn, id).map_err(AppError::from))?;
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(id, "webhook endpoint deleted");
    Ok(())
}

/// Puts a dead delivery back in the queue, due now (admin); 409 when it is not dead.
pub fn retry(
    state: &AppState,
    actor: &Actor,
    endpoint_id: &str,
    delivery_id: &str,
) -> Result<WebhookDelivery, AppError> {
    authorize(actor, Action::ManageWebhooks, &Target::DEPLOYMENT)?;
    let now = state.now();
    state.store.write(|conn| {
        let row = webhooks::delivery(conn, delivery_id)?
            .filter(|d| d.endpoint_id == endpoint_id)
            .ok_or(AppError::NotFound)?;
        if webhooks::revive(conn, &row.id, to_db(now))? == 0 {
            return Err(AppError::Conflict(ConflictCode::DeadDeliveryOnly));
        }
        tracing::info!(id = %row.id, "dead webhook delivery queued again by an admin");
        webhooks::delivery(conn, &row.id)?
            .ok_or(AppError::NotFound)
            .and_then(WebhookDelivery::try_from)
    })
}

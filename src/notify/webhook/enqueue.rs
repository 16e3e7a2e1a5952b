//! From events to webhook deliveries: one row per (event kind, subscribed endpoint),
//! written inside the command's transaction, so a delivery exists exactly when its
//! change does. Payloads carry ids and states, never personal data.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::super::NotifyError;
use crate::domain::webhook::{kinds_of, EventKind};
use crate::domain::Event;
use crate::store::rows::{CaseRow, WebhookDeliveryRow, WebhookEndpointRow};
use crate::store::{ids, outbox, to_db, webhooks, DbConnection};

/// Writes the deliveries the events cause; the number written.
pub fn enqueue(
    conn: &mut DbConnection,
    case: &CaseRow,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let raised: Vec<(usize, EventKind)> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| kinds_of(&e.change).into_iter().map(move |k| (i, k)))
        .collect();
    if raised.is_empty() {
        return Ok(0);
    }
    let endpoints = webhooks::all_endpoints(conn)?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let certificate = if raised.iter().any(|(_, k)| k.is_certificate()) {
        webhooks::newest_certificate(conn, &case.id)?.map(|(id, number, status, until)| {
            json!({ "id": id, "number": number, "status": status, "valid_until": until })
        })
    } else {
        None
    };
    // The events were numbered after the case's version before the command.
    let first_seq = case.version - events.len() as i64 + 1;
    let mut written = 0;
    for (index, kind) in raised {
        let event = &events[index];
        let mut data = case_data(case, event, first_seq + index as i64);
        if kind.is_certificate() {
            data["certificate"] = certificate.clone().unwrap_or(Value::Null);
        }
        written += deliver(conn, &endpoints, kind, data, now)?;
    }
    Ok(written)
}

/// Writes a delivery of one event of `kind` with `data` to each endpoint that asked
/// for it; the number written.
fn deliver(
    conn: &mut DbConnection,
    endpoints: &[WebhookEndpointRow],
    kind: EventKind,
    data: Value,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let body = json!({
        "type": kind.as_str(),
        "timestamp": now.to_rfc3339_opts(SecondsFormat::Micros, true),
        "data": data,
    })
    .to_string();
    let mut written = 0;
    for endpoint in endpoints.iter().filter(|e| subscribes(e, kind)) {
        webhooks::insert_delivery(conn, &delivery(endpoint, kind, &body, now))?;
        written += 1;
    }
    Ok(written)
}

/// Writes the deliveries of one event about a plan (`plan.action_changed`) inside the
/// change's transaction; `data` holds ids and states only. The number written.
pub fn enqueue_plan(
    conn: &mut DbConnection,
    kind: EventKind,
    data: Value,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let endpoints = webhooks::all_endpoints(conn)?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    deliver(conn, &endpoints, kind, data, now)
}

/// True when the endpoint asked for `kind`.
fn subscribes(endpoint: &WebhookEndpointRow, kind: EventKind) -> bool {
    endpoint.events.split(' ').any(|k| k == kind.as_str())
}

/// What every event about a case says: where it is and what happened.
fn case_data(case: &CaseRow, event: &Event, seq: i64) -> Value {
    let (from, to) = event.change.stages();
    json!({
        "case_id": case.id,
        "organisation_id": case.organisation_id,
        "unit_id": case.unit_id,
        "programme_id": case.programme_id,
        "event": event.change.kind(),
        "event_seq": seq,
        "from_stage": from.map(|s| s.as_str()),
        "to_stage": to.map(|s| s.as_str()),
        "stage": case.stage.as_str(),
        "status": case.status.as_str(),
        "version": case.version,
    })
}

fn delivery(
    endpoint: &WebhookEndpointRow,
    kind: EventKind,
    body: &str,
    now: DateTime<Utc>,
) -> WebhookDeliveryRow {
    WebhookDeliveryRow {
        // The Standard Webhooks message id: stable across attempts.
        id: format!("msg_{}", ids::new_id()),
        endpoint_id: endpoint.id.clone(),
        event_type: kind.as_str().to_string(),
        payload: body.to_string(),
        status: outbox::PENDING.to_string(),
        attempts: 0,
        next_attempt_at: to_db(now),
        lease_until: None,
        claimed_by: None,
        last_error: None,
        response_status: None,
        created_at: to_db(now),
        sent_at: None,
    }
}

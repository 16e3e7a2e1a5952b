//! A plan's history: every change is an event, numbered and hash-chained exactly as a
//! case's events are (the same record and hash; the chain's subject id is the plan's),
//! written in the change's own transaction and never deleted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::error::AppError;
use super::AppState;
use crate::domain::hash::{verify_chain, ChainError, EventRecord, GENESIS_HASH};
use crate::domain::plan::event_kind;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::webhook::EventKind;
use crate::domain::Actor;
use crate::store::plans::{self as store, PlanEventRow};
use crate::store::{from_db, to_db, DbConnection};

/// One change to a plan, as kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who made the change; null for the system.
    pub actor_id: Option<String>,
    /// plan_created, action_added, action_updated or follow_up_added.
    pub kind: String,
    /// What changed: for actions, the action as it stood after the change.
    #[schema(value_type = Object)]
    pub data: Value,
    pub prev_hash: String,
    pub hash: String,
}

fn record_of(row: &PlanEventRow) -> EventRecord {
    EventRecord {
        case_id: row.plan_id.clone(),
        seq: row.seq.max(0) as u64,
        at: from_db(row.at),
        actor_id: row.actor_id.clone(),
        kind: row.kind.clone(),
        from_stage: None,
        to_stage: None,
        comment: None,
        data: serde_json::from_str(&row.data).unwrap_or(Value::Null),
        prev_hash: row.prev_hash.clone(),
    }
}

/// Appends an event to the plan's history, chained to the one before it. Call inside
/// the change's transaction; it takes the plan's lock first.
pub fn record(
    conn: &mut DbConnection,
    plan_id: &str,
    actor: &Actor,
    at: DateTime<Utc>,
    kind: &str,
    data: Value,
) -> Result<(), AppError> {
    store::lock(conn, plan_id)?;
    let last = store::last_event(conn, plan_id)?;
    let record = EventRecord {
        case_id: plan_id.to_string(),
        seq: last.as_ref().map_or(1, |e| e.seq.max(0) as u64 + 1),
        at,
        actor_id: Some(actor.id.clone()),
        kind: kind.to_string(),
        from_stage: None,
        to_stage: None,
        comment: None,
        data,
        prev_hash: last.map_or_else(|| GENESIS_HASH.to_string(), |e| e.hash),
    };
    let hash = record.hash();
    if kind != event_kind::PLAN_CREATED {
        action_changed(conn, plan_id, record.seq as i64, kind, &record.data, at)?;
    }
    store::insert_event(
        conn,
        &PlanEventRow {
            plan_id: record.case_id,
            seq: record.seq as i64,
            at: to_db(record.at),
            actor_id: record.actor_id,
            kind: record.kind,
            data: serde_json::to_string(&record.data)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            prev_hash: record.prev_hash,
            hash,
        },
    )?;
    Ok(())
}

/// The `plan.action_changed` webhook of an action's change, in the change's own
/// transaction: the plan, the history event, and the action as it stands now (ids and
/// states, no names or texts).
fn action_changed(
    conn: &mut DbConnection,
    plan_id: &str,
    seq: i64,
    kind: &str,
    data: &Value,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let organisation_id = store::plan(conn, plan_id)?.map(|p| p.organisation_id);
    let action = match data.get("action_id").and_then(Value::as_str) {
        Some(id) => store::action(conn, id)?,
        None => None,
    };
    let payload = json!({
        "plan_id": plan_id,
        "organisation_id": organisation_id,
        "event": kind,
        "event_seq": seq,
        "action": action.map(|a| json!({
            "id": a.id,
            "status": a.status,
            "due_on": a.due_on,
            "responsible_id": a.responsible_id,
            "coordinator_id": a.coordinator_id,
        })),
        "follow_up_id": data.get("follow_up_id"),
    });
    crate::notify::webhook::enqueue::enqueue_plan(conn, EventKind::PlanActionChanged, payload, at)?;
    Ok(())
}

/// The plan's history, oldest first (whoever sees its organisation).
pub fn history(state: &AppState, actor: &Actor, plan_id: &str) -> Result<Vec<PlanEvent>, AppError> {
    let mut conn = state.store.conn()?;
    let plan = store::plan(&mut conn, plan_id)?.ok_or(AppError::NotFound)?;
    authorize(
        actor,
        Action::Read,
        &Target {
            organisation_id: Some(&plan.organisation_id),
            ..Target::default()
        },
    )?;
    Ok(store::events_of(&mut conn, plan_id)?
        .into_iter()
        .map(|row| PlanEvent {
            data: serde_json::from_str(&row.data).unwrap_or(Value::Null),
            seq: row.seq,
            at: from_db(row.at),
            actor_id: row.actor_id,
            kind: row.kind,
            prev_hash: row.prev_hash,
            hash: row.hash,
        })
        .collect())
}

/// Checks one plan's stored history is an unbroken chain.
pub fn verify(conn: &mut DbConnection, plan_id: &str) -> Result<Result<(), ChainError>, AppError> {
    let stored: Vec<(EventRecord, String)> = store::events_of(conn, plan_id)?
        .into_iter()
        .map(|row| (record_of(&row), row.hash))
        .collect();
    Ok(verify_chain(&stored))
}

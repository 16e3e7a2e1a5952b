//! Cases as the API shows them: the row, the unit and programme it belongs to, and
//! the current stage's requirements, built for a whole page in a fixed number of queries.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub use super::certificate_views::{Certificate, CertificateProgramme};
use super::{from_db, AppState};
use crate::app::error::AppError;
use crate::domain::{evaluate, is_overdue, CaseFacts, Requirement, Stage, Status};
use crate::store::cases::CaseParts;
use crate::store::facts::{self, FactsKey};
use crate::store::rows::EventRow;
use crate::store::{programmes, DbConnection};

/// The unit a case belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseUnit {
    pub id: String,
    pub name: String,
    pub organisation_id: String,
    pub headcount: i32,
}

/// The programme version a case is pinned to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseProgramme {
    pub id: String,
    pub key: String,
    pub version: i32,
}

/// One unit's path through one programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: String,
    pub unit: CaseUnit,
    pub programme: CaseProgramme,
    pub stage: Stage,
    pub status: Status,
    /// Grows with every event in the case's history; send it back in `If-Match`.
    pub version: i64,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
    /// 1 for the first certification, 2 after the first renewal, …
    pub cycle: i32,
    pub stage_entered_at: DateTime<Utc>,
    pub stage_due_at: Option<DateTime<Utc>>,
    /// Active and past the stage's deadline.
    pub overdue: bool,
    /// The current stage's requirements and how far the case has come.
    pub requirements: Vec<Requirement>,
    /// The current certificate; null before the first approval.
    pub certificate: Option<Certificate>,
    /// When the certified case's next surveillance is due; null when none is.
    pub next_surveillance_due: Option<DateTime<Utc>>,
    /// When the auditor recommended certification and an admin's decision is awaited
    /// (programmes with `decision_by: admin`); null otherwise.
    pub recommended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One entry of a case's hash-chained history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub kind: String,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub comment: Option<String>,
    /// The event's details (ids, counts, times); never personal content.
    #[schema(value_type = Object)]
    pub data: Value,
    /// SHA-256 (hex) over the event's canonical content and `prev_hash`.
    pub hash: String,
    pub prev_hash: String,
}

impl From<EventRow> for CaseEvent {
    fn from(row: EventRow) -> Self {
        CaseEvent {
            seq: row.seq,
            at: from_db(row.at),
            actor_id: row.actor_id,
            kind: row.kind,
            from_stage: row.from_stage.as_deref().and_then(Stage::parse),
            to_stage: row.to_stage.as_deref().and_then(Stage::parse),
            comment: row.comment,
            data: serde_json::from_str(&row.data).unwrap_or(Value::Null),
            hash: row.hash,
            prev_hash: row.prev_hash,
        }
    }
}

/// The counts of each case in `parts`, keyed by case id.
pub fn facts_of(
    conn: &mut DbConnection,
    parts: &[CaseParts],
) -> Result<HashMap<String, CaseFacts>, AppError> {
    let keys: Vec<FactsKey> = parts
        .iter()
        .map(|(case, unit, _)| FactsKey {
            case_id: case.id.clone(),
            cycle: case.cycle,
            headcount: unit.headcount,
            reflections_completed: case.reflections_completed,
            trained_completed: case.trained_completed,
        })
        .collect();
    Ok(facts::load(conn, &keys)?)
}

/// The API view of every case in `parts`, in order.
pub fn build(
    conn: &mut DbConnection,
    parts: Vec<CaseParts>,
    state: &AppState,
) -> Result<Vec<Case>, AppError> {
    let facts = facts_of(conn, &parts)?;
    build_from(conn, parts, facts, state)
}

fn build_from(
    conn: &mut DbConnection,
    parts: Vec<CaseParts>,
    mut facts: HashMap<String, CaseFacts>,
    state: &AppState,
) -> Result<Vec<Case>, AppError> {
    let now = state.now();
    let ids: Vec<&str> = parts.iter().map(|(c, _, _)| c.id.as_str()).collect();
    let mut certificates = super::certificate_views::current_views(
        conn,
        &ids,
        &state.settings.server.public_url,
        now.date_naive(),
    )?;
    let mut rules_cache = HashMap::new();
    let mut views = Vec::with_capacity(parts.len());
    for (case, unit, programme) in parts {
        if !rules_cache.contains_key(&programme.id) {
            rules_cache.insert(programme.id.clone(), programmes::rules_of(&programme)?);
        }
        let rules = &rules_cache[&programme.id];
        let (stage, status) = (case.stage, case.status);
        let counts = facts.remove(&case.id).unwrap_or_default();
        let certificate = certificates.remove(&case.id);
        let stage_due_at = case.stage_due_at.map(from_db);
        views.push(Case {
            requirements: evaluate(stage, rules, &counts),
            overdue: is_overdue(status, stage_due_at, now),
            next_surveillance_due: case.next_surveillance_due.map(from_db),
            recommended_at: case.recommended_at.map(from_db),
            id: case.id,
            unit: CaseUnit {
                id: unit.id,
                name: unit.name,
                organisation_id: unit.organisation_id,
                headcount: unit.headcount,
            },
            programme: CaseProgramme {
                id: programme.id,
                key: programme.key,
                version: programme.version,
            },
            stage,
            status,
            version: case.version,
            consultant_id: case.consultant_id,
            auditor_id: case.auditor_id,
            cycle: case.cycle,
            stage_entered_at: from_db(case.stage_entered_at),
            stage_due_at,
            certificate,
            created_at: from_db(case.created_at),
            updated_at: from_db(case.updated_at),
        });
    }
    Ok(views)
}

/// The API view of one case whose counts are already known (`None`: load them).
pub fn build_one_with(
    conn: &mut DbConnection,
    parts: CaseParts,
    known: Option<CaseFacts>,
    state: &AppState,
) -> Result<Case, AppError> {
    let Some(mut counts) = known else {
        return build_one(conn, parts, state);
    };
    // The row is the truth for the measures; the rest is what the command started from.
    counts.reflections_completed = parts.0.reflections_completed.max(0) as u32;
    counts.trained_completed = parts.0.trained_completed.max(0) as u32;
    let facts = HashMap::from([(parts.0.id.clone(), counts)]);
    build_from(conn, vec![parts], facts, state)?
        .pop()
        .ok_or_else(|| AppError::Internal("a case view went missing".into()))
}

/// The API view of one case.
pub fn build_one(
    conn: &mut DbConnection,
    parts: CaseParts,
    state: &AppState,
) -> Result<Case, AppError> {
    build(conn, vec![parts], state)?
        .pop()
        .ok_or_else(|| AppError::Internal("a case view went missing".into()))
}

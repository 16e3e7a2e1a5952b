//! Writing a decided change: the case row, its hash-chained events, and the rows the
//! events project to (sessions, evidence, findings). Called inside the command's
//! one transaction.

use chrono::{DateTime, Utc};

use super::to_db;
use crate::app::error::AppError;
use crate::domain::event::{Change, Event};
use crate::domain::hash::EventRecord;
use crate::domain::{CaseState, ConflictCode, ProgrammeRules};
use crate::store::rows::{CaseRow, EventRow, EvidenceRow, FindingRow, SessionRow};
use crate::store::{cases, events, facts, DbConnection};

/// The case row for `state`, keeping the row's identity and creation time.
pub fn row_with_state(
    base: &CaseRow,
    state: &CaseState,
    programme_key: &str,
    last_hash: String,
    now: DateTime<Utc>,
) -> CaseRow {
    CaseRow {
        stage: state.stage,
        status: state.status,
        version: state.version as i64,
        consultant_id: state.consultant_id.clone(),
        auditor_id: state.auditor_id.clone(),
        cycle: state.cycle as i32,
        stage_entered_at: to_db(state.stage_entered_at),
        stage_due_at: state.stage_due_at.map(to_db),
        paused_at: state.paused_at.map(to_db),
        reflections_completed: state.reflections_completed as i32,
        trained_completed: state.trained_completed as i32,
        next_surveillance_due: state.next_surveillance_due.map(to_db),
        suspended_for_surveillance: state.suspended_for_surveillance,
        appealable_since: state.appealable_since.map(to_db),
        open_appeal_id: state.open_appeal_id.clone(),
        recommended_at: state.recommended_at.map(to_db),
        audit_round: state.audit_round as i32,
        last_hash,
        live_key: state
            .status
            .is_live()
            .then(|| format!("{}:{}", base.unit_id, programme_key)),
        updated_at: to_db(now),
        ..base.clone()
    }
}

/// The programme version a migration in `events` moved the case to.
pub fn migrated_to(events: &[Event]) -> Option<String> {
    events.iter().rev().find_map(|e| match &e.change {
        Change::ProgrammeMigrated { programme_id, .. } => Some(programme_id.clone()),
        _ => None,
    })
}

/// The stored rows of `new_events`, numbered after `version` and chained to `prev_hash`.
pub fn chain(case_id: &str, version: i64, prev_hash: &str, new_events: &[Event]) -> Vec<EventRow> {
    let mut prev = prev_hash.to_string();
    new_events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let (from, to) = event.change.stages();
            let record = EventRecord {
                case_id: case_id.to_string(),
                seq: (version + 1 + i as i64) as u64,
                at: event.at,
                actor_id: event.actor_id.clone(),
                kind: event.change.kind().to_string(),
                from_stage: from.map(|s| s.as_str().to_string()),
                to_stage: to.map(|s| s.as_str().to_string()),
                comment: event.comment.clone(),
                data: event.change.data(),
                prev_hash: prev.clone(),
            };
            let hash = record.hash();
            prev = hash.clone();
            EventRow {
                case_id: record.case_id,
                seq: record.seq as i64,
                at: to_db(record.at),
                actor_id: record.actor_id,
                kind: record.kind,
                from_stage: record.from_stage,
                to_stage: record.to_stage,
                comment: record.comment,
                data: serde_json::to_string(&record.data).unwrap_or_else(|_| "{}".into()),
                prev_hash: record.prev_hash,
                hash,
            }
        })
        .collect()
}

/// Writes the case row — a new one when `expected_version` is `None`, else only if
/// nobody else wrote since that version — then the events and their projections.
/// `PreconditionFailed` when another writer won; `Conflict` when the unit already has
/// a live case in the programme.
pub fn persist(
    conn: &mut DbConnection,
    row: &CaseRow,
    expected_version: Option<i64>,
    event_rows: &[EventRow],
    new_events: &[Event],
    rules: &ProgrammeRules,
) -> Result<(), AppError> {
    let live_conflict = |e: diesel::result::Error| {
        if crate::store::is_unique_violation(&e) {
            AppError::Conflict(ConflictCode::LiveCase)
        } else {
            e.into()
        }
    };
    match expected_version {
        None => cases::insert(conn, row).map_err(live_conflict)?,
        Some(expected) => {
            let written = cases::update_state(conn, row, expected).map_err(live_conflict)?;
            if written == 0 {
                return Err(AppError::PreconditionFailed {
                    sent: expected.to_string(),
                });
            }
        }
    }
    append(conn, row, event_rows, new_events, rules)
}

/// Inserts the events and their projections.
pub fn append(
    conn: &mut DbConnection,
    row: &CaseRow,
    event_rows: &[EventRow],
    new_events: &[Event],
    rules: &ProgrammeRules,
) -> Result<(), AppError> {
    for event_row in event_rows {
        events::insert(conn, event_row)?;
    }
    project_all(conn, row, new_events, rules)
}

/// Writes the rows `new_events` project to (sessions, evidence, findings).
pub fn project_all(
    conn: &mut DbConnection,
    row: &CaseRow,
    new_events: &[Event],
    rules: &ProgrammeRules,
) -> Result<(), AppError> {
    for event in new_events {
        project(conn, row, event, rules)?;
    }
    Ok(())
}

/// True when `event` changes the counts a case's requirements are judged on (it
/// projects to a session, evidence or finding row, or starts a new cycle).
pub fn changes_facts(event: &Event) -> bool {
    !matches!(
        event.change,
        Change::Enrolled { .. }
            | Change::SessionScheduled { .. }
            | Change::SessionChanged { .. }
            | Change::ReflectionsRecorded { .. }
            | Change::TrainedRecorded { .. }
            | Change::StageAdvanced { .. }
            | Change::AuditRequested { .. }
            | Change::Paused
            | Change::Resumed { .. }
            | Change::Withdrawn
            | Change::Suspended
            | Change::Reinstated
            | Change::Revoked
            | Change::Expired
            | Change::AppealFiled { .. }
            | Change::AppealDecided { .. }
            | Change::ComplaintReceived { .. }
            | Change::ComplaintDecided { .. }
    )
}

/// A session's themes as stored: a JSON list.
fn themes_json(themes: &[String]) -> String {
    serde_json::to_string(themes).unwrap_or_else(|_| "[]".into())
}

/// A row an event adds to the case: a session scheduled or evidence added.
pub enum NewRow {
    Session(SessionRow),
    Evidence(EvidenceRow),
}

/// The session or evidence row `event` adds to `case`, if it adds one.
pub fn new_row(case: &CaseRow, event: &Event) -> Option<NewRow> {
    let now = to_db(event.at);
    match &event.change {
        Change::SessionScheduled {
            session_id,
            session_kind,
            title,
            starts_at,
            ends_at,
            location,
            audience,
            themes,
        } => Some(NewRow::Session(SessionRow {
            id: session_id.clone(),
            case_id: case.id.clone(),
            cycle: case.cycle,
            kind: *session_kind,
            title: title.clone(),
            starts_at: to_db(*starts_at),
            ends_at: to_db(*ends_at),
            location: location.clone(),
            attended: None,
            cancelled: false,
            sequence: 0,
            created_at: now,
            updated_at: now,
            audience: audience.clone(),
            themes: themes_json(themes),
            notes: None,
            documented_at: None,
        })),
        Change::EvidenceAdded {
            evidence_id,
            area,
            description,
            link,
            file,
        } => Some(NewRow::Evidence(EvidenceRow {
            id: evidence_id.clone(),
            case_id: case.id.clone(),
            cycle: case.cycle,
            area: area.clone(),
            description: description.clone(),
            link: link.clone(),
            added_by: event.actor_id.clone().unwrap_or_default(),
            added_at: now,
            file_sha256: file.as_ref().map(|f| f.sha256.clone()),
            file_size: file.as_ref().map(|f| f.size as i64),
            file_media_type: file.as_ref().map(|f| f.media_type.clone()),
            file_name: file.as_ref().map(|f| f.name.clone()),
        })),
        _ => None,
    }
}

fn project(
    conn: &mut DbConnection,
    case: &CaseRow,
    event: &Event,
    rules: &ProgrammeRules,
) -> Result<(), AppError> {
    match new_row(case, event) {
        Some(NewRow::Session(row)) => return Ok(facts::insert_session(conn, &row)?),
        Some(NewRow::Evidence(row)) => return Ok(facts::insert_evidence(conn, &row)?),
        None => {}
    }
    let now = to_db(event.at);
    let actor = event.actor_id.clone().unwrap_or_default();
    match &event.change {
        Change::SessionDocumented {
            session_id,
            audience,
            themes,
            notes,
        } => facts::document_session(
            conn,
            session_id,
            audience.as_deref(),
            &themes_json(themes),
            notes.as_deref(),
            now,
        )?,
        Change::SessionChanged {
            session_id,
            title,
            starts_at,
            ends_at,
            location,
            sequence,
        } => facts::reschedule_session(
            conn,
            session_id,
            title,
            to_db(*starts_at),
            to_db(*ends_at),
            location.as_deref(),
            *sequence as i32,
            now,
        )?,
        Change::SessionCancelled {
            session_id,
            sequence,
        } => facts::cancel_session(conn, session_id, *sequence as i32, now)?,
        Change::AttendanceRecorded {
            session_id,
            attended,
        } => facts::record_attendance(conn, session_id, *attended as i32, now)?,
        Change::FindingResolved {
            finding_id,
            resolution,
        } => facts::resolve_finding(conn, finding_id, resolution, &actor, now)?,
        Change::AttendanceCorrected {
            session_id,
            attended,
        } => facts::correct_attendance(conn, session_id, attended.map(|n| n as i32), now)?,
        Change::ResolutionCorrected {
            finding_id,
            resolution: Some(resolution),
        } => facts::resolve_finding(conn, finding_id, resolution, &actor, now)?,
        Change::ResolutionCorrected {
            finding_id,
            resolution: None,
        } => facts::reopen_finding(conn, finding_id)?,
        Change::Approved {
            round, findings, ..
        }
        | Change::Recommended { round, findings }
        | Change::Returned {
            round, findings, ..
        }
        | Change::SurveillanceRecorded {
            round, findings, ..
        } => {
            for finding in findings {
                facts::insert_finding(
                    conn,
                    &FindingRow {
                        id: finding.id.clone(),
                        case_id: case.id.clone(),
                        cycle: case.cycle,
                        round: *round as i32,
                        severity: finding.severity,
                        area: finding.area.clone(),
                        text: finding.text.trim().to_string(),
                        resolution: None,
                        resolved_at: None,
                        resolved_by: None,
                        created_at: now,
                        due_on: Some(rules.finding_due_on(finding.severity, event.at)),
                    },
                )?;
            }
        }
        Change::AppealFiled { .. }
        | Change::AppealDecided { .. }
        | Change::ComplaintDecided { .. } => super::appeal_projection::project(conn, case, event)?,
        _ => {}
    }
    Ok(())
}

//! The appeals and complaints tables as the case's events say: a row per filed
//! appeal, and the outcome of an appeal or a complaint about a unit once decided.

use super::error::AppError;
use super::to_db;
use crate::domain::event::{Change, Event};
use crate::domain::ConflictCode;
use crate::store::appeals::{self as store, AppealRow, Decision};
use crate::store::rows::CaseRow;
use crate::store::DbConnection;

/// Writes what `event` projects to, if anything.
pub(crate) fn project(
    conn: &mut DbConnection,
    case: &CaseRow,
    event: &Event,
) -> Result<(), AppError> {
    let actor = event.actor_id.clone().unwrap_or_default();
    match &event.change {
        Change::AppealFiled { appeal_id, ground } => store::insert_appeal(
            conn,
            &AppealRow {
                id: appeal_id.clone(),
                case_id: case.id.clone(),
                ground: ground.as_str().to_string(),
                text: event.comment.clone().unwrap_or_default(),
                filed_by: actor,
                filed_at: to_db(event.at),
                outcome: None,
                comment: None,
                decided_by: None,
                decided_at: None,
            },
        )?,
        Change::AppealDecided {
            appeal_id, outcome, ..
        } => {
            store::decide_appeal(conn, appeal_id, &decision(event, outcome.as_str(), &actor))?;
        }
        Change::ComplaintDecided {
            complaint_id,
            outcome,
        } => {
            let decision = decision(event, outcome.as_str(), &actor);
            if store::decide_complaint(conn, complaint_id, &decision)? == 0 {
                return Err(AppError::Conflict(ConflictCode::AlreadyDecided));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The outcome `event` records, as stored.
fn decision<'a>(event: &'a Event, outcome: &'a str, actor: &'a str) -> Decision<'a> {
    Decision {
        outcome,
        comment: event.comment.as_deref(),
        decided_by: actor,
        decided_at: to_db(event.at),
    }
}

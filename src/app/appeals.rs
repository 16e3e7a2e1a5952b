//! Appeals: the unit (its contact or consultant) contests a return or a suspension,
//! and an admin who neither runs nor audits the case decides. Both are commands of
//! the case, so the appeal and its outcome are events of its history; the appeals
//! table is their projection, for the admins' list.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::appeal_inputs::{AppealDecisionRequest, AppealRequest};
use super::cases::visible_case;
use super::error::AppError;
use super::pipeline::{execute, state_of, target, Precondition, Subject};
use super::{from_db, paginate, AppState, PageRequest};
use crate::domain::appeals::appealable;
use crate::domain::policy::{authorize, may, Action, Target};
use crate::domain::{Actor, AppealGround, AppealOutcome, Command};
pub use crate::store::appeals::Standing;
use crate::store::appeals::{self as store, AppealRow};
use crate::store::{cases, ids, DbConnection};

/// An appeal and, once decided, its outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Appeal {
    pub id: String,
    pub case_id: String,
    pub ground: AppealGround,
    /// The appellant's statement, as given.
    pub text: String,
    /// The user who filed it.
    pub filed_by: String,
    pub filed_at: DateTime<Utc>,
    /// Null until decided.
    pub outcome: Option<AppealOutcome>,
    pub comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A page of appeals; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealPage {
    pub items: Vec<Appeal>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl TryFrom<AppealRow> for Appeal {
    type Error = AppError;

    fn try_from(row: AppealRow) -> Result<Appeal, AppError> {
        let unknown =
            |what: &str| AppError::Internal(format!("appeal {} has an unknown {what}", row.id));
        Ok(Appeal {
            ground: AppealGround::parse(&row.ground).ok_or_else(|| unknown("ground"))?,
            outcome: match row.outcome.as_deref() {
                Some(word) => Some(AppealOutcome::parse(word).ok_or_else(|| unknown("outcome"))?),
                None => None,
            },
            id: row.id,
            case_id: row.case_id,
            text: row.text,
            filed_by: row.filed_by,
            filed_at: from_db(row.filed_at),
            comment: row.comment,
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(from_db),
        })
    }
}

fn view(conn: &mut DbConnection, id: &str) -> Result<Appeal, AppError> {
    store::appeal(conn, id)?
        .ok_or(AppError::NotFound)
        .and_then(Appeal::try_from)
}

/// Files an appeal of the return or suspension in force on the case (409 when there
/// is none, or it was appealed already).
pub fn file(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: AppealRequest,
) -> Result<Appeal, AppError> {
    let appeal_id = ids::new_id();
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::FileAppeal {
                appeal_id: appeal_id.clone(),
                text: input.text.clone(),
            })
        },
        |conn, _, _| view(conn, &appeal_id),
    )
}

/// Decides an open appeal (an admin who neither runs nor audits the case); an upheld
/// one undoes the decision where it still stands.
pub fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: AppealDecisionRequest,
) -> Result<Appeal, AppError> {
    let row = {
        let mut conn = state.store.conn()?;
        store::appeal(&mut conn, id)?.ok_or(AppError::NotFound)?
    };
    let appeal = Appeal::try_from(row)?;
    execute(
        state,
        actor,
        Subject::Case(&appeal.case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::DecideAppeal {
                appeal_id: appeal.id.clone(),
                ground: appeal.ground,
                outcome: input.outcome,
                comment: input.comment.clone(),
            })
        },
        |conn, _, _| view(conn, id),
    )
}

/// One appeal: for whoever may read its case.
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Appeal, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::appeal(&mut conn, id)?.ok_or(AppError::NotFound)?;
    let (case, _, _) = cases::by_id(&mut conn, &row.case_id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &target(&case))?;
    Appeal::try_from(row)
}

/// What `actor` could appeal on the case now, by the rules [`file`] applies: the
/// policy's (403) and the domain's (409). A page asks it before it offers the form.
pub fn ground(state: &AppState, actor: &Actor, case_id: &str) -> Result<AppealGround, AppError> {
    let mut conn = state.store.conn()?;
    let (case, _, _) = visible_case(&mut conn, actor, case_id)?;
    authorize(actor, Action::Appeal, &target(&case))?;
    Ok(appealable(&state_of(&case))?)
}

/// Every appeal of a case, oldest first: for whoever may read the case.
pub fn of_case(state: &AppState, actor: &Actor, case_id: &str) -> Result<Vec<Appeal>, AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, case_id)?;
    store::appeals_of_case(&mut conn, case_id)?
        .into_iter()
        .map(Appeal::try_from)
        .collect()
}

/// An appeal as the admins' page shows it (an admin, who sees the case), and whether
/// `actor` may decide it: an admin who neither runs nor audits the case.
pub fn for_adjudication(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<(Appeal, bool), AppError> {
    let mut conn = state.store.conn()?;
    let row = store::appeal(&mut conn, id)?.ok_or(AppError::NotFound)?;
    let (case, _, _) = visible_case(&mut conn, actor, &row.case_id)?;
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let may_decide = may(actor, Action::Adjudicate, &target(&case));
    Ok((Appeal::try_from(row)?, may_decide))
}

/// The names of the units of `case_ids`, by case id, for the admins' lists.
pub fn unit_names(
    state: &AppState,
    actor: &Actor,
    case_ids: &[String],
) -> Result<HashMap<String, String>, AppError> {
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    Ok(store::unit_names(&mut conn, case_ids)?
        .into_iter()
        .collect())
}

/// Every appeal, oldest first, as `standing` narrows them (admin).
pub fn list(
    state: &AppState,
    actor: &Actor,
    standing: Standing,
    page: PageRequest,
) -> Result<AppealPage, AppError> {
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let rows = store::appeals(&mut conn, standing, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(AppealPage {
        items: rows
            .into_iter()
            .map(Appeal::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

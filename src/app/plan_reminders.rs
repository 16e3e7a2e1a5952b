//! Reminders of plans' actions: an open action due within 7 days, and again once it
//! is overdue, to its responsible person with a copy to its coordinator. Each is sent
//! once per threshold and due date: its key goes into `plan_reminders_sent` in the
//! same transaction as the outbox rows, so a rerun sends nothing new (a moved due
//! date is a new reminder). Reminders commit in batches, as the case reminders do.

use chrono::{DateTime, Duration, Utc};

use super::error::AppError;
use super::AppState;
use crate::clock::stockholm;
use crate::domain::plan::{is_overdue, ActionStatus};
use crate::notify::plans::{queue_action_due, ActionDue};
use crate::notify::recipients;
use crate::store::plans::{self as store, ActionRow};
use crate::store::{organisations, to_db, users, DbConnection};

/// How far ahead an action's due date is announced.
pub const ACTION_NOTICE_DAYS: i64 = 7;

/// Queues every action reminder due as of `now` not sent before; how many actions.
/// `batch` reminders commit in one transaction (at least one).
pub fn run(state: &AppState, now: DateTime<Utc>, batch: usize) -> Result<usize, AppError> {
    let today = stockholm::today(now);
    let due = {
        let mut conn = state.store.conn()?;
        store::open_actions_due_by(&mut conn, today + Duration::days(ACTION_NOTICE_DAYS))?
    };
    let mut sent = 0;
    for batch in due.chunks(batch.max(1)) {
        sent += state.store.write(|conn| {
            batch.iter().try_fold(0, |n, action| {
                Ok::<_, AppError>(n + usize::from(remind(conn, state, action, now)?))
            })
        })?;
    }
    Ok(sent)
}

/// Queues one action's reminder in the caller's transaction unless it was sent; true
/// when it was queued now.
fn remind(
    conn: &mut DbConnection,
    state: &AppState,
    action: &ActionRow,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let today = stockholm::today(now);
    let (Some(due_on), Some(status)) = (action.due_on, ActionStatus::parse(&action.status)) else {
        return Ok(false);
    };
    let overdue = is_overdue(status, Some(due_on), today);
    let key = format!(
        "{}:{}:{due_on}",
        if overdue {
            "action_overdue"
        } else {
            "action_due7"
        },
        action.id
    );
    // Read again inside the transaction: the action may have been closed or moved.
    let Some(current) = store::action(conn, &action.id)? else {
        return Ok(false);
    };
    let still_open = ActionStatus::parse(&current.status).is_some_and(ActionStatus::is_open);
    if !still_open || current.due_on != Some(due_on) {
        return Ok(false);
    }
    let Some(plan) = store::plan(conn, &current.plan_id)? else {
        return Ok(false);
    };
    if !store::record_reminder(conn, &key, &action.id, to_db(now))? {
        return Ok(false);
    }
    let organisation_name = organisations::by_id(conn, &plan.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    let responsible_name = users::names_of(conn, std::slice::from_ref(&current.responsible_id))?
        .into_iter()
        .next()
        .map(|(_, name)| name)
        .unwrap_or_default();
    let responsible = recipients::user(conn, Some(&current.responsible_id))?;
    let coordinator = recipients::user(conn, current.coordinator_id.as_deref())?;
    let due = ActionDue {
        organisation_name: &organisation_name,
        plan_title: &plan.title,
        action_title: &current.title,
        responsible_name: &responsible_name,
        due_on,
        overdue,
    };
    // Sent as soon as the worker runs: the as-of time decides only what is due.
    queue_action_due(
        conn,
        &state.settings,
        &due,
        responsible,
        coordinator,
        state.now(),
    )?;
    Ok(true)
}

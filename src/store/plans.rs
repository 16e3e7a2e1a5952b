//! Action plans, their actions and follow-ups, and each plan's append-only,
//! hash-chained history. Nothing here deletes: a dropped action keeps its row.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{plan_actions, plan_events, plan_follow_ups, plan_reminders_sent, plans};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plans)]
pub struct PlanRow {
    pub id: String,
    pub organisation_id: String,
    pub case_id: Option<String>,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = plan_actions, treat_none_as_null = true)]
pub struct ActionRow {
    pub id: String,
    pub plan_id: String,
    pub title: String,
    pub description: Option<String>,
    pub status: String,
    pub due_on: Option<NaiveDate>,
    pub responsible_id: String,
    pub coordinator_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_follow_ups)]
pub struct FollowUpRow {
    pub id: String,
    pub action_id: String,
    pub text: String,
    pub by_id: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_events)]
pub struct PlanEventRow {
    pub plan_id: String,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub kind: String,
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
}

pub fn insert_plan(conn: &mut DbConnection, row: &PlanRow) -> QueryResult<()> {
    diesel::insert_into(plans::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn plan(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PlanRow>> {
    plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// An organisation's plans, newest period first.
pub fn plans_of(conn: &mut DbConnection, organisation_id: &str) -> QueryResult<Vec<PlanRow>> {
    plans::table
        .filter(plans::organisation_id.eq(organisation_id))
        .order((plans::period_start.desc(), plans::id.asc()))
        .select(PlanRow::as_select())
        .load(conn)
}

/// The plans linked to a case.
pub fn plans_of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<PlanRow>> {
    plans::table
        .filter(plans::case_id.eq(case_id))
        .order(plans::id.asc())
        .select(PlanRow::as_select())
        .load(conn)
}

/// How many actions the plans linked to a case have together.
pub fn actions_of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<i64> {
    plan_actions::table
        .inner_join(plans::table)
        .filter(plans::case_id.eq(case_id))
        .count()
        .get_result(conn)
}

pub fn insert_action(conn: &mut DbConnection, row: &ActionRow) -> QueryResult<()> {
    diesel::insert_into(plan_actions::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn action(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ActionRow>> {
    plan_actions::table
        .find(id)
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

/// Writes every column of the action as given.
pub fn update_action(conn: &mut DbConnection, row: &ActionRow) -> QueryResult<usize> {
    diesel::update(plan_actions::table.find(&row.id))
        .set(row.clone())
        .execute(conn)
}

/// A plan's actions, in the order they were added.
pub fn actions_of(conn: &mut DbConnection, plan_id: &str) -> QueryResult<Vec<ActionRow>> {
    plan_actions::table
        .filter(plan_actions::plan_id.eq(plan_id))
        .order((plan_actions::created_at.asc(), plan_actions::id.asc()))
        .select(ActionRow::as_select())
        .load(conn)
}

/// Open actions (planned, in progress) due on or before `by`, for the reminders.
pub fn open_actions_due_by(conn: &mut DbConnection, by: NaiveDate) -> QueryResult<Vec<ActionRow>> {
    plan_actions::table
        .filter(plan_actions::due_on.le(by))
        .filter(plan_actions::status.eq_any(["planned", "in_progress"]))
        .order(plan_actions::id.asc())
        .select(ActionRow::as_select())
        .load(conn)
}

pub fn insert_follow_up(conn: &mut DbConnection, row: &FollowUpRow) -> QueryResult<()> {
    diesel::insert_into(plan_follow_ups::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// The follow-ups of a plan's actions, oldest first.
pub fn follow_ups_of(conn: &mut DbConnection, plan_id: &str) -> QueryResult<Vec<FollowUpRow>> {
    plan_follow_ups::table
        .inner_join(plan_actions::table)
        .filter(plan_actions::plan_id.eq(plan_id))
        .order((plan_follow_ups::at.asc(), plan_follow_ups::id.asc()))
        .select(FollowUpRow::as_select())
        .load(conn)
}

/// Takes the plan row's write lock for the rest of the transaction (a no-op UPDATE),
/// so concurrent changes to one plan number their history events one after another.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::update(plans::table.find(id))
        .set(plans::title.eq(plans::title))
        .execute(conn)
}

/// The plan's latest history event, if any.
pub fn last_event(conn: &mut DbConnection, plan_id: &str) -> QueryResult<Option<PlanEventRow>> {
    plan_events::table
        .filter(plan_events::plan_id.eq(plan_id))
        .order(plan_events::seq.desc())
        .select(PlanEventRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_event(conn: &mut DbConnection, row: &PlanEventRow) -> QueryResult<()> {
    diesel::insert_into(plan_events::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// A plan's history, oldest first.
pub fn events_of(conn: &mut DbConnection, plan_id: &str) -> QueryResult<Vec<PlanEventRow>> {
    plan_events::table
        .filter(plan_events::plan_id.eq(plan_id))
        .order(plan_events::seq.asc())
        .select(PlanEventRow::as_select())
        .load(conn)
}

/// The ids of every plan, for verifying all histories.
pub fn plan_ids(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    plans::table
        .select(plans::id)
        .order(plans::id.asc())
        .load(conn)
}

/// Records that the reminder `key` went out; false when it had already.
pub fn record_reminder(
    conn: &mut DbConnection,
    key: &str,
    action_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let known: i64 = plan_reminders_sent::table
        .filter(plan_reminders_sent::key.eq(key))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    diesel::insert_into(plan_reminders_sent::table)
        .values((
            plan_reminders_sent::key.eq(key),
            plan_reminders_sent::action_id.eq(action_id),
            plan_reminders_sent::sent_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Every plan of the deployment, newest period first (staff's list).
pub fn all_plans(conn: &mut DbConnection) -> QueryResult<Vec<PlanRow>> {
    plans::table
        .order((plans::period_start.desc(), plans::id.asc()))
        .select(PlanRow::as_select())
        .load(conn)
}

/// The plans with an action `user_id` is responsible for or coordinates.
pub fn plans_with_person(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<PlanRow>> {
    let ids = plan_actions::table
        .filter(
            plan_actions::responsible_id
                .eq(user_id)
                .or(plan_actions::coordinator_id.eq(user_id)),
        )
        .select(plan_actions::plan_id);
    plans::table
        .filter(plans::id.eq_any(ids))
        .order((plans::period_start.desc(), plans::id.asc()))
        .select(PlanRow::as_select())
        .load(conn)
}

/// The active users of an organisation who may own an action: (id, name), by name.
pub fn people_of(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    use super::schema::users;
    users::table
        .filter(users::organisation_id.eq(organisation_id))
        .filter(users::active.eq(true))
        .order((users::name.asc(), users::id.asc()))
        .select((users::id, users::name))
        .load(conn)
}

//! Action plans: an organisation's plan with actions, each carried out by a
//! responsible person and followed up by a coordinator (both users of that
//! organisation). Staff create plans; staff and the organisation's coordinators add
//! and change actions; an action's responsible person changes it and writes
//! follow-ups. Every change, with its history event, commits in one transaction; the
//! history is hash-chained as a case's is and never deleted.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::error::AppError;
use super::plan_history::record;
use super::plan_inputs::{ActionPatch, NewAction, NewFollowUp, NewPlan};
use super::AppState;
use crate::clock::stockholm;
use crate::domain::plan::{self, event_kind, ActionStatus};
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{Actor, FieldCode, FieldError};
use crate::store::plans::{self as store, ActionRow, FollowUpRow, PlanRow};
use crate::store::{cases, from_db, ids, to_db, users, DbConnection};

/// A person named on an action.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// A follow-up written on an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    pub id: String,
    pub text: String,
    /// Who wrote it.
    pub by: Person,
    pub at: DateTime<Utc>,
}

/// An action of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanAction {
    pub id: String,
    pub plan_id: String,
    pub title: String,
    pub description: Option<String>,
    pub status: ActionStatus,
    pub due_on: Option<NaiveDate>,
    /// Open (planned or in progress) and past its due date, as of today in Sweden.
    pub overdue: bool,
    pub responsible: Person,
    pub coordinator: Option<Person>,
    /// Oldest first.
    pub follow_ups: Vec<FollowUp>,
}

/// An action plan with its actions (overdue first, then by status and due date).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: String,
    pub organisation_id: String,
    /// The case the plan belongs to, if any.
    pub case_id: Option<String>,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub actions: Vec<PlanAction>,
}

fn organisation(id: &str) -> Target<'_> {
    Target {
        organisation_id: Some(id),
        ..Target::default()
    }
}

fn action_target<'a>(plan: &'a PlanRow, action: &'a ActionRow) -> Target<'a> {
    Target {
        organisation_id: Some(&plan.organisation_id),
        responsible_id: Some(&action.responsible_id),
        ..Target::default()
    }
}

fn unknown(what: &str, id: &str) -> AppError {
    AppError::Internal(format!("{what} {id} is not readable"))
}

/// The plan with its actions, people's names and follow-ups, as of `today`.
pub fn assemble(conn: &mut DbConnection, row: PlanRow, today: NaiveDate) -> Result<Plan, AppError> {
    let actions = store::actions_of(conn, &row.id)?;
    let follow_ups = store::follow_ups_of(conn, &row.id)?;
    let mut people: Vec<String> = actions
        .iter()
        .flat_map(|a| std::iter::once(a.responsible_id.clone()).chain(a.coordinator_id.clone()))
        .chain(follow_ups.iter().map(|f| f.by_id.clone()))
        .collect();
    people.sort();
    people.dedup();
    let names: std::collections::HashMap<String, String> =
        users::names_of(conn, &people)?.into_iter().collect();
    let person = |id: &str| Person {
        id: id.to_string(),
        name: names.get(id).cloned().unwrap_or_default(),
    };
    let mut views = Vec::with_capacity(actions.len());
    for action in actions {
        let status =
            ActionStatus::parse(&action.status).ok_or_else(|| unknown("action", &action.id))?;
        views.push(PlanAction {
            overdue: plan::is_overdue(status, action.due_on, today),
            responsible: person(&action.responsible_id),
            coordinator: action.coordinator_id.as_deref().map(person),
            follow_ups: follow_ups
                .iter()
                .filter(|f| f.action_id == action.id)
                .map(|f| FollowUp {
                    id: f.id.clone(),
                    text: f.text.clone(),
                    by: person(&f.by_id),
                    at: from_db(f.at),
                })
                .collect(),
            status,
            id: action.id,
            plan_id: action.plan_id,
            title: action.title,
            description: action.description,
            due_on: action.due_on,
        });
    }
    views.sort_by(|a, b| {
        plan::table_order(
            (a.overdue, a.status, a.due_on),
            (b.overdue, b.status, b.due_on),
        )
    });
    Ok(Plan {
        id: row.id,
        organisation_id: row.organisation_id,
        case_id: row.case_id,
        title: row.title,
        period_start: row.period_start,
        period_end: row.period_end,
        actions: views,
    })
}

/// The plan and the actor's standing on it: 404 unless they see its organisation.
fn readable(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<PlanRow, AppError> {
    let row = store::plan(conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &organisation(&row.organisation_id))?;
    Ok(row)
}

/// The action of the plan, readable by the actor (404 otherwise).
fn readable_action(
    conn: &mut DbConnection,
    actor: &Actor,
    plan_id: &str,
    action_id: &str,
) -> Result<(PlanRow, ActionRow), AppError> {
    let plan = readable(conn, actor, plan_id)?;
    let action = store::action(conn, action_id)?
        .filter(|a| a.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    Ok((plan, action))
}

/// A user of `organisation_id`, or a 422 on `field`.
fn member(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
    field: &str,
) -> Result<(), AppError> {
    let user = users::by_id(conn, user_id)?;
    if user.is_some_and(|u| u.organisation_id.as_deref() == Some(organisation_id)) {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::coded(
            field,
            FieldCode::OtherOrganisation,
            "must be a user of the plan's organisation",
        )]))
    }
}

fn blank(field: &str) -> AppError {
    AppError::Invalid(vec![FieldError::coded(
        field,
        FieldCode::Required,
        "must not be blank",
    )])
}

/// Trimmed optional text: blank is none.
fn text(value: Option<String>) -> Option<String> {
    value
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn today(state: &AppState) -> NaiveDate {
    stockholm::today(state.now())
}

/// Creates an organisation's plan (admin, consultants).
pub fn create(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    input: NewPlan,
) -> Result<Plan, AppError> {
    let mut conn = state.store.conn()?;
    crate::store::organisations::by_id(&mut conn, organisation_id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::CreatePlan, &organisation(organisation_id))?;
    plan::check_period(input.period_start, input.period_end)?;
    if let Some(case_id) = &input.case_id {
        let case = cases::by_id(&mut conn, case_id)?;
        if case.is_none_or(|(c, _, _)| c.organisation_id != organisation_id) {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "case_id",
                FieldCode::OtherOrganisation,
                "must be a case of the same organisation",
            )]));
        }
    }
    let now = state.now();
    let row = PlanRow {
        id: ids::new_id(),
        organisation_id: organisation_id.to_string(),
        case_id: input.case_id,
        title: input.title.into_string(),
        period_start: input.period_start,
        period_end: input.period_end,
        created_at: to_db(now),
    };
    state.store.write(|conn| -> Result<(), AppError> {
        store::insert_plan(conn, &row)?;
        record(
            conn,
            &row.id,
            actor,
            now,
            event_kind::PLAN_CREATED,
            json!({
                "title": row.title,
                "period_start": row.period_start,
                "period_end": row.period_end,
                "case_id": row.case_id,
            }),
        )
    })?;
    assemble(&mut conn, row, today(state))
}

/// The plans of an organisation, with their actions (whoever sees it).
pub fn list(state: &AppState, actor: &Actor, organisation_id: &str) -> Result<Vec<Plan>, AppError> {
    let mut conn = state.store.conn()?;
    crate::store::organisations::by_id(&mut conn, organisation_id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &organisation(organisation_id))?;
    let today = today(state);
    store::plans_of(&mut conn, organisation_id)?
        .into_iter()
        .map(|row| assemble(&mut conn, row, today))
        .collect()
}

/// One plan with its actions.
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Plan, AppError> {
    let mut conn = state.store.conn()?;
    let row = readable(&mut conn, actor, id)?;
    assemble(&mut conn, row, today(state))
}

/// The action as it reads in the plan now.
fn action_view(state: &AppState, plan_id: &str, action_id: &str) -> Result<PlanAction, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::plan(&mut conn, plan_id)?.ok_or(AppError::NotFound)?;
    assemble(&mut conn, row, today(state))?
        .actions
        .into_iter()
        .find(|a| a.id == action_id)
        .ok_or(AppError::NotFound)
}

fn snapshot(row: &ActionRow) -> Value {
    json!({
        "action_id": row.id,
        "title": row.title,
        "status": row.status,
        "due_on": row.due_on,
        "responsible_id": row.responsible_id,
        "coordinator_id": row.coordinator_id,
    })
}

/// Adds an action (admin, consultants, the organisation's coordinators).
pub fn add_action(
    state: &AppState,
    actor: &Actor,
    plan_id: &str,
    input: NewAction,
) -> Result<PlanAction, AppError> {
    let row = {
        let mut conn = state.store.conn()?;
        let plan = readable(&mut conn, actor, plan_id)?;
        authorize(
            actor,
            Action::ManagePlan,
            &organisation(&plan.organisation_id),
        )?;
        member(
            &mut conn,
            &plan.organisation_id,
            &input.responsible_id,
            "responsible_id",
        )?;
        if let Some(coordinator) = &input.coordinator_id {
            member(
                &mut conn,
                &plan.organisation_id,
                coordinator,
                "coordinator_id",
            )?;
        }
        ActionRow {
            id: ids::new_id(),
            plan_id: plan.id,
            title: input.title.into_string(),
            description: text(input.description),
            status: ActionStatus::Planned.as_str().to_string(),
            due_on: input.due_on,
            responsible_id: input.responsible_id,
            coordinator_id: input.coordinator_id,
            created_at: to_db(state.now()),
        }
    };
    let now = state.now();
    state.store.write(|conn| -> Result<(), AppError> {
        store::insert_action(conn, &row)?;
        record(
            conn,
            plan_id,
            actor,
            now,
            event_kind::ACTION_ADDED,
            snapshot(&row),
        )
    })?;
    action_view(state, plan_id, &row.id)
}

/// The action with `patch` applied, its owners checked.
fn patched(
    conn: &mut DbConnection,
    organisation_id: &str,
    current: &ActionRow,
    patch: ActionPatch,
) -> Result<ActionRow, AppError> {
    let mut next = current.clone();
    if let Some(title) = patch.title {
        next.title = title.into_string();
    }
    if let Some(description) = patch.description {
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 4000)
        {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "description",
                FieldCode::TooLong,
                "must be at most 4000 characters",
            )
            .with("max", 4000)]));
        }
        next.description = text(description);
    }
    if let Some(status) = patch.status {
        next.status = status.as_str().to_string();
    }
    if let Some(due_on) = patch.due_on {
        next.due_on = due_on;
    }
    if let Some(responsible) = patch.responsible_id {
        member(conn, organisation_id, &responsible, "responsible_id")?;
        next.responsible_id = responsible;
    }
    if let Some(coordinator) = patch.coordinator_id {
        if let Some(id) = &coordinator {
            member(conn, organisation_id, id, "coordinator_id")?;
        }
        next.coordinator_id = coordinator;
    }
    Ok(next)
}

/// Changes an action (those who manage the plan, and the action's responsible person).
pub fn update_action(
    state: &AppState,
    actor: &Actor,
    plan_id: &str,
    action_id: &str,
    patch: ActionPatch,
) -> Result<PlanAction, AppError> {
    let organisation_id = {
        let mut conn = state.store.conn()?;
        let (plan, action) = readable_action(&mut conn, actor, plan_id, action_id)?;
        authorize(
            actor,
            Action::UpdatePlanAction,
            &action_target(&plan, &action),
        )?;
        plan.organisation_id
    };
    let now = state.now();
    state.store.write(|conn| -> Result<(), AppError> {
        store::lock(conn, plan_id)?;
        // Patched from the row as it is inside the transaction, so a concurrent change
        // to another field is kept.
        let current = store::action(conn, action_id)?.ok_or(AppError::NotFound)?;
        let next = patched(conn, &organisation_id, &current, patch)?;
        store::update_action(conn, &next)?;
        record(
            conn,
            plan_id,
            actor,
            now,
            event_kind::ACTION_UPDATED,
            snapshot(&next),
        )
    })?;
    action_view(state, plan_id, action_id)
}

/// Writes a follow-up on an action that is not dropped (409 on a dropped one).
pub fn follow_up(
    state: &AppState,
    actor: &Actor,
    plan_id: &str,
    action_id: &str,
    input: NewFollowUp,
) -> Result<FollowUp, AppError> {
    let body = input.text.trim().to_string();
    if body.is_empty() {
        return Err(blank("text"));
    }
    {
        let mut conn = state.store.conn()?;
        let (plan, action) = readable_action(&mut conn, actor, plan_id, action_id)?;
        authorize(
            actor,
            Action::UpdatePlanAction,
            &action_target(&plan, &action),
        )?;
    }
    let now = state.now();
    let row = FollowUpRow {
        id: ids::new_id(),
        action_id: action_id.to_string(),
        text: body,
        by_id: actor.id.clone(),
        at: to_db(now),
    };
    state.store.write(|conn| -> Result<(), AppError> {
        store::lock(conn, plan_id)?;
        // Checked inside the transaction, so a follow-up never lands on an action
        // dropped a moment before.
        let status = store::action(conn, action_id)?
            .and_then(|a| ActionStatus::parse(&a.status))
            .ok_or(AppError::NotFound)?;
        plan::check_follow_up(status)?;
        store::insert_follow_up(conn, &row)?;
        record(
            conn,
            plan_id,
            actor,
            now,
            event_kind::FOLLOW_UP_ADDED,
            json!({"action_id": action_id, "follow_up_id": row.id}),
        )
    })?;
    let mut conn = state.store.conn()?;
    let name = users::names_of(&mut conn, std::slice::from_ref(&actor.id))?
        .into_iter()
        .next()
        .map(|(_, name)| name)
        .unwrap_or_default();
    Ok(FollowUp {
        id: row.id,
        text: row.text,
        by: Person {
            id: actor.id.clone(),
            name,
        },
        at: now,
    })
}

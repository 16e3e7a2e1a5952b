//! Action plans (`/organisations/{id}/plans`, `/plans/{pid}`), their actions and
//! follow-ups, and each plan's history.

use actix_web::{web, HttpResponse};

use super::extract::{Authenticated, JsonBody};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::plan_history::{self, PlanEvent};
use crate::app::plan_inputs::{ActionPatch, NewAction, NewFollowUp, NewPlan};
use crate::app::plans::{self, FollowUp, Plan, PlanAction};
use crate::app::AppState;
use crate::http::problem::Problem;

/// Creates an action plan of the organisation (admin, consultants). With `case_id`
/// (a case of the same organisation) the plan counts for that case's `action_plan`
/// requirement.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/plans", tag = "plans", request_body = NewPlan,
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 201, description = "The plan, with no actions yet", body = Plan, headers(("Location" = String, description = "The plan")))),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<NewPlan>,
) -> Result<HttpResponse, AppError> {
    let plan = blocking(move || plans::create(&state, &auth.0, &id, body.0)).await?;
    Ok(created(format!("/api/v1/plans/{}", plan.id), &plan))
}

/// The organisation's plans with their actions, newest period first (whoever sees
/// the organisation).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/plans", tag = "plans",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, description = "The plans", body = [Plan])),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let plans = blocking(move || plans::list(&state, &auth.0, &id)).await?;
    Ok(ok(&plans))
}

/// One plan with its actions: overdue first, then in progress, planned, done,
/// dropped, each by due date.
#[utoipa::path(get, path = "/api/v1/plans/{pid}", tag = "plans",
    params(("pid" = String, Path, description = "Plan id")),
    responses((status = 200, description = "The plan", body = Plan)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    pid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let plan = blocking(move || plans::get(&state, &auth.0, &pid)).await?;
    Ok(ok(&plan))
}

/// The plan's history, oldest first: every change, hash-chained, never deleted.
#[utoipa::path(get, path = "/api/v1/plans/{pid}/history", tag = "plans",
    params(("pid" = String, Path, description = "Plan id")),
    responses((status = 200, description = "The plan's events", body = [PlanEvent])),
    security(("bearer" = [])))]
pub async fn history(
    state: web::Data<AppState>,
    auth: Authenticated,
    pid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let events = blocking(move || plan_history::history(&state, &auth.0, &pid)).await?;
    Ok(ok(&events))
}

/// Adds an action (admin, consultants, the organisation's coordinators); the
/// responsible person and the coordinator are users of the plan's organisation.
#[utoipa::path(post, path = "/api/v1/plans/{pid}/actions", tag = "plans", request_body = NewAction,
    params(("pid" = String, Path, description = "Plan id")),
    responses((status = 201, description = "The action, planned", body = PlanAction, headers(("Location" = String, description = "The plan")))),
    security(("bearer" = [])))]
pub async fn add_action(
    state: web::Data<AppState>,
    auth: Authenticated,
    pid: web::Path<String>,
    body: JsonBody<NewAction>,
) -> Result<HttpResponse, AppError> {
    let plan_id = pid.clone();
    let action = blocking(move || plans::add_action(&state, &auth.0, &pid, body.0)).await?;
    Ok(created(format!("/api/v1/plans/{plan_id}"), &action))
}

/// Changes an action (those who add actions, and the action's responsible person).
#[utoipa::path(patch, path = "/api/v1/plans/{pid}/actions/{aid}", tag = "plans", request_body = ActionPatch,
    params(
        ("pid" = String, Path, description = "Plan id"),
        ("aid" = String, Path, description = "Action id"),
    ),
    responses((status = 200, description = "The action as changed", body = PlanAction)),
    security(("bearer" = [])))]
pub async fn update_action(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<ActionPatch>,
) -> Result<HttpResponse, AppError> {
    let (pid, aid) = path.into_inner();
    let action =
        blocking(move || plans::update_action(&state, &auth.0, &pid, &aid, body.0)).await?;
    Ok(ok(&action))
}

/// Writes a follow-up on an action (those who may change it); a dropped action
/// takes none (409).
#[utoipa::path(post, path = "/api/v1/plans/{pid}/actions/{aid}/follow-ups", tag = "plans", request_body = NewFollowUp,
    params(
        ("pid" = String, Path, description = "Plan id"),
        ("aid" = String, Path, description = "Action id"),
    ),
    responses(
        (status = 201, description = "The follow-up", body = FollowUp, headers(("Location" = String, description = "The plan"))),
        (status = 409, description = "The action is dropped", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn follow_up(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<NewFollowUp>,
) -> Result<HttpResponse, AppError> {
    let (pid, aid) = path.into_inner();
    let location = format!("/api/v1/plans/{pid}");
    let follow_up = blocking(move || plans::follow_up(&state, &auth.0, &pid, &aid, body.0)).await?;
    Ok(created(location, &follow_up))
}

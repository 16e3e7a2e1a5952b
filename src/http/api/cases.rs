//! Cases: enrolment, reads, history and transitions.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{precondition, Authenticated, JsonBody, QueryPairs};
use super::respond::{self, blocking, ok};
use crate::app::case_views::{Case, CaseEvent};
use crate::app::cases::{self, CaseQuery};
use crate::app::error::AppError;
use crate::app::inputs::{NewCase, TransitionRequest};
use crate::app::views::CasePage;
use crate::app::AppState;
use crate::domain::{Stage, Status};
use crate::http::problem::Problem;

/// Enrols a unit in a programme (admin, consultant); a consultant enrolling assigns themself.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCase,
    responses(
        (status = 201, description = "Enrolled at kickoff", body = Case,
            headers(("Location" = String, description = "The new case"), ("ETag" = String, description = "The case's version"))),
        (status = 409, description = "The unit already has a live case in this programme", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn enrol(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewCase>,
) -> Result<HttpResponse, AppError> {
    let case = blocking(move || cases::enrol(&state, &auth.0, body.0)).await?;
    Ok(respond::case_created(&case))
}

/// The cases the caller may see, filtered.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(
        ("organisation_id" = Option<String>, Query, description = "Only this organisation's cases"),
        ("unit_id" = Option<String>, Query, description = "Only this unit's cases"),
        ("stage" = Option<Stage>, Query, description = "Only cases in this stage"),
        ("status" = Option<Status>, Query, description = "Only cases with this status"),
        ("overdue" = Option<bool>, Query, description = "true: only overdue cases; false: only the others"),
        ("consultant_id" = Option<String>, Query, description = "Only this consultant's cases"),
        ("auditor_id" = Option<String>, Query, description = "Only cases assigned to this auditor"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of cases", body = CasePage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let q = QueryPairs::from_request(&req)?;
    let page = q.page()?;
    let text = |name: &str| q.get(name).filter(|v| !v.is_empty()).map(String::from);
    let query = CaseQuery {
        organisation_id: text("organisation_id"),
        unit_id: text("unit_id"),
        consultant_id: text("consultant_id"),
        auditor_id: text("auditor_id"),
        stage: q.parsed("stage", Stage::parse, "one of the six stages")?,
        status: q.parsed("status", Status::parse, "one of the seven statuses")?,
        overdue: q.parsed(
            "overdue",
            |v| match v {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            "true or false",
        )?,
    };
    let page = blocking(move || cases::list(&state, &auth.0, query, page)).await?;
    Ok(ok(&page))
}

/// One case, with its version as the ETag.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "The case", body = Case, headers(("ETag" = String, description = "The case's version")))),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let case = blocking(move || cases::get(&state, &auth.0, &id)).await?;
    Ok(respond::case(&case))
}

/// The case's history, oldest first, hash-chained.
#[utoipa::path(get, path = "/api/v1/cases/{id}/events", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "Every event", body = Vec<CaseEvent>)),
    security(("bearer" = [])))]
pub async fn events(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let events = blocking(move || cases::history(&state, &auth.0, &id)).await?;
    Ok(ok(&events))
}

/// Moves the case along its path or changes its status; needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "cases", request_body = TransitionRequest,
    params(
        ("id" = String, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The case's version as its ETag, e.g. \"7\" (W/\"7\" accepted)"),
    ),
    responses(
        (status = 200, description = "The case after the transition", body = Case, headers(("ETag" = String, description = "The case's new version"))),
        (status = 409, description = "Not possible from the case's stage or status (or the case is paused)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The case changed since the version in If-Match; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn transition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: JsonBody<TransitionRequest>,
) -> Result<HttpResponse, AppError> {
    let precondition = precondition(&req);
    let case =
        blocking(move || cases::transition(&state, &auth.0, &id, precondition, body.0)).await?;
    Ok(respond::case(&case))
}

//! Cohorts (`/cohorts`): programme rounds across several organisations.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::cohort_inputs::{NewCohort, NewCohortMember};
use crate::app::cohorts::{self, Cohort, CohortPage};
use crate::app::error::AppError;
use crate::app::AppState;
use crate::http::problem::Problem;

/// Creates a cohort: a programme round with its member organisations (admin,
/// consultant).
#[utoipa::path(post, path = "/api/v1/cohorts", tag = "cohorts", request_body = NewCohort,
    responses(
        (status = 201, description = "The cohort with its members' progress", body = Cohort, headers(("Location" = String, description = "The cohort"))),
    ),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewCohort>,
) -> Result<HttpResponse, AppError> {
    let cohort = blocking(move || cohorts::create(&state, &auth.0, body.0)).await?;
    Ok(created(format!("/api/v1/cohorts/{}", cohort.id), &cohort))
}

/// Lists cohorts: staff every one; coordinators and unit contacts those their
/// organisation belongs to, with only their own organisation listed.
#[utoipa::path(get, path = "/api/v1/cohorts", tag = "cohorts",
    params(
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of cohorts", body = CohortPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = QueryPairs::from_request(&req)?.page()?;
    let page = blocking(move || cohorts::list(&state, &auth.0, page)).await?;
    Ok(ok(&page))
}

/// One cohort with each member organisation's cases in its programme: stage,
/// status and requirements met. Coordinators see their own organisation's row only.
#[utoipa::path(get, path = "/api/v1/cohorts/{id}", tag = "cohorts",
    params(("id" = String, Path, description = "Cohort id")),
    responses((status = 200, description = "The cohort", body = Cohort)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cohort = blocking(move || cohorts::get(&state, &auth.0, &id)).await?;
    Ok(ok(&cohort))
}

/// Adds an organisation to a cohort (admin, consultant).
#[utoipa::path(post, path = "/api/v1/cohorts/{id}/organisations", tag = "cohorts", request_body = NewCohortMember,
    params(("id" = String, Path, description = "Cohort id")),
    responses(
        (status = 200, description = "The cohort with the new member", body = Cohort),
        (status = 409, description = "The organisation is already a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn add_organisation(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<NewCohortMember>,
) -> Result<HttpResponse, AppError> {
    let cohort = blocking(move || cohorts::add_organisation(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&cohort))
}

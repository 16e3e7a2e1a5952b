//! Workshop requests (`/workshop-requests`): asked for by a unit's contact or a
//! coordinator, accepted (scheduled) or declined by staff.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::workshop_inputs::{
    AcceptWorkshopRequest, DeclineWorkshopRequest, NewWorkshopRequest,
};
use crate::app::workshop_requests::{
    self as requests, RequestStatus, WorkshopRequest, WorkshopRequestPage,
};
use crate::app::AppState;
use crate::http::problem::Problem;

/// Asks for a workshop: a unit's contact for their unit; a coordinator for a unit of
/// their organisation or (without `unit_id`) the organisation as a whole. Staff who
/// answer requests are mailed.
#[utoipa::path(post, path = "/api/v1/workshop-requests", tag = "workshop requests", request_body = NewWorkshopRequest,
    responses(
        (status = 201, description = "The request, open", body = WorkshopRequest, headers(("Location" = String, description = "The request"))),
    ),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewWorkshopRequest>,
) -> Result<HttpResponse, AppError> {
    let request = blocking(move || requests::create(&state, &auth.0, body.0)).await?;
    Ok(created(
        format!("/api/v1/workshop-requests/{}", request.id),
        &request,
    ))
}

/// Lists workshop requests, oldest first: staff see every one, a coordinator their
/// organisation's, a unit's contact their unit's.
#[utoipa::path(get, path = "/api/v1/workshop-requests", tag = "workshop requests",
    params(
        ("status" = Option<String>, Query, description = "`open`, `accepted` or `declined`"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of workshop requests", body = WorkshopRequestPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let page = query.page()?;
    let status = query.parsed("status", RequestStatus::parse, "open, accepted or declined")?;
    let page = blocking(move || requests::list(&state, &auth.0, status, page)).await?;
    Ok(ok(&page))
}

/// One workshop request (staff, and those who may see its organisation or unit).
#[utoipa::path(get, path = "/api/v1/workshop-requests/{id}", tag = "workshop requests",
    params(("id" = String, Path, description = "Workshop request id")),
    responses((status = 200, description = "The request", body = WorkshopRequest)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let request = blocking(move || requests::get(&state, &auth.0, &id)).await?;
    Ok(ok(&request))
}

/// Accepts an open request by scheduling it (admin, consultant): `schedule_as:
/// session` (the default) schedules a workshop session on the unit's live case, as
/// `POST /cases/{id}/sessions` does, invitations included; `schedule_as: event`
/// creates an open event of kind workshop, open to the requester's organisation, as
/// `POST /events` does (its `event_id` is in the answer; no case is needed). The one
/// who asked is mailed.
#[utoipa::path(post, path = "/api/v1/workshop-requests/{id}/accept", tag = "workshop requests", request_body = AcceptWorkshopRequest,
    params(("id" = String, Path, description = "Workshop request id")),
    responses(
        (status = 200, description = "The request, accepted, with its case and session, or its event", body = WorkshopRequest),
        (status = 409, description = "The request is already decided, or the unit has no live case (or its case takes no session now)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn accept(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AcceptWorkshopRequest>,
) -> Result<HttpResponse, AppError> {
    let request = blocking(move || requests::accept(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&request))
}

/// Declines an open request with a reason (admin, consultant); the one who asked is
/// mailed the reason.
#[utoipa::path(post, path = "/api/v1/workshop-requests/{id}/decline", tag = "workshop requests", request_body = DeclineWorkshopRequest,
    params(("id" = String, Path, description = "Workshop request id")),
    responses(
        (status = 200, description = "The request, declined", body = WorkshopRequest),
        (status = 409, description = "The request is already decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn decline(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<DeclineWorkshopRequest>,
) -> Result<HttpResponse, AppError> {
    let request = blocking(move || requests::decline(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&request))
}

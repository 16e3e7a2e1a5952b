//! Programmes.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::inputs::{MigrationRequest, NewProgramme};
use crate::app::migration::{self, MigrationReport};
use crate::app::programmes::ProgrammePage;
use crate::app::programmes::{self, Programme};
use crate::app::AppState;

/// Every programme version.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes",
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of programmes", body = ProgrammePage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    _auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = QueryPairs::from_request(&req)?.page()?;
    let page = blocking(move || programmes::list(&state, page)).await?;
    Ok(ok(&page))
}

/// One programme version.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = String, Path, description = "Programme id")),
    responses((status = 200, description = "The programme", body = Programme)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    _auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let programme = blocking(move || programmes::get(&state, &id)).await?;
    Ok(ok(&programme))
}

/// Creates a programme, or the next version of an existing key (admin).
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programmes", request_body = NewProgramme,
    responses(
        (status = 201, description = "Created", body = Programme, headers(("Location" = String, description = "The new programme version"))),
        (status = 409, description = "Another version was created at the same moment", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewProgramme>,
) -> Result<HttpResponse, AppError> {
    let programme = blocking(move || programmes::create(&state, &auth.0, body.0)).await?;
    Ok(created(
        format!("/api/v1/programmes/{}", programme.id),
        &programme,
    ))
}

/// Moves the running (active or paused) cases of this programme version to a later
/// version of the same programme (admin). With `dry_run`, only answers where each case
/// would land and which requirements it would newly miss; otherwise moves them all in
/// one transaction, one `programme_migrated` event in each history.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/migrate", tag = "programmes", request_body = MigrationRequest,
    params(("id" = String, Path, description = "The programme version the cases are on")),
    responses(
        (status = 200, description = "What was done, or would be done, to each case", body = MigrationReport),
        (status = 409, description = "A case changed at the same moment; nothing was moved", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn migrate(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<MigrationRequest>,
) -> Result<HttpResponse, AppError> {
    let report = blocking(move || migration::migrate(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&report))
}

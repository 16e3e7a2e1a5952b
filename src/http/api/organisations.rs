//! Organisations and units.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::inputs::{NewOrganisation, NewUnit, OrganisationPatch, UnitPatch};
use crate::app::views::{Organisation, OrganisationPage, Unit, UnitPage};
use crate::app::{organisations, AppState};

/// Creates an organisation (admin).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = NewOrganisation,
    responses((status = 201, description = "Created", body = Organisation, headers(("Location" = String, description = "The new organisation")))),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewOrganisation>,
) -> Result<HttpResponse, AppError> {
    let org = blocking(move || organisations::create(&state, &auth.0, body.0)).await?;
    Ok(created(format!("/api/v1/organisations/{}", org.id), &org))
}

/// The organisations the caller may see.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of organisations", body = OrganisationPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = QueryPairs::from_request(&req)?.page()?;
    let orgs = blocking(move || organisations::list(&state, &auth.0, page)).await?;
    Ok(ok(&orgs))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, description = "The organisation", body = Organisation)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let org = blocking(move || organisations::get(&state, &auth.0, &id)).await?;
    Ok(ok(&org))
}

/// Renames an organisation, corrects its number or opts it in to (or out of) the
/// public registry (admin).
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", request_body = OrganisationPatch,
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, description = "The changed organisation", body = Organisation)),
    security(("bearer" = [])))]
pub async fn patch(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<OrganisationPatch>,
) -> Result<HttpResponse, AppError> {
    let org = blocking(move || organisations::patch(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&org))
}

/// Adds a unit to an organisation (admin, consultant).
#[utoipa::path(post, path = "/api/v1/organisations/{id}/units", tag = "units", request_body = NewUnit,
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 201, description = "Created", body = Unit, headers(("Location" = String, description = "The new unit")))),
    security(("bearer" = [])))]
pub async fn create_unit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<NewUnit>,
) -> Result<HttpResponse, AppError> {
    let unit = blocking(move || organisations::create_unit(&state, &auth.0, &id, body.0)).await?;
    Ok(created(format!("/api/v1/units/{}", unit.id), &unit))
}

/// The units the caller may see, optionally of one organisation.
#[utoipa::path(get, path = "/api/v1/units", tag = "units",
    params(
        ("organisation_id" = Option<String>, Query, description = "Only this organisation's units"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of units", body = UnitPage)),
    security(("bearer" = [])))]
pub async fn list_units(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let page = query.page()?;
    let org = query
        .get("organisation_id")
        .filter(|o| !o.is_empty())
        .map(String::from);
    let units =
        blocking(move || organisations::list_units(&state, &auth.0, org.as_deref(), page)).await?;
    Ok(ok(&units))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units",
    params(("id" = String, Path, description = "Unit id")),
    responses((status = 200, description = "The unit", body = Unit)),
    security(("bearer" = [])))]
pub async fn get_unit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let unit = blocking(move || organisations::get_unit(&state, &auth.0, &id)).await?;
    Ok(ok(&unit))
}

/// Changes a unit's name, department, headcount or contact (admin, consultant).
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", request_body = UnitPatch,
    params(("id" = String, Path, description = "Unit id")),
    responses((status = 200, description = "The changed unit", body = Unit)),
    security(("bearer" = [])))]
pub async fn patch_unit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<UnitPatch>,
) -> Result<HttpResponse, AppError> {
    let unit = blocking(move || organisations::patch_unit(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&unit))
}

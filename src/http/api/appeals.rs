//! Appeals (`/cases/{id}/appeals`, `/appeals`) and complaints (`/complaints`).

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::appeal_inputs::{
    AppealDecisionRequest, AppealRequest, ComplaintDecisionRequest, ComplaintRequest,
};
use crate::app::appeals::{self, Appeal, AppealPage, Standing};
use crate::app::complaints::{self, Complaint, ComplaintPage, ComplaintReceipt};
use crate::app::error::AppError;
use crate::app::AppState;
use crate::http::client_address::client_address;
use crate::http::problem::Problem;

/// `status=open` lists only the undecided.
fn open_only(query: &QueryPairs) -> Result<bool, AppError> {
    let open = query.parsed("status", |s| (s == "open").then_some(true), "open")?;
    Ok(open.unwrap_or(false))
}

/// The list `status=open` asks for: the undecided, else all.
fn standing(open_only: bool) -> Standing {
    if open_only {
        Standing::Open
    } else {
        Standing::All
    }
}

/// Appeals the return or suspension in force on the case (its unit's contacts and
/// its consultant). A return is in force until an audit is requested again; a
/// suspension while the certificate is suspended; each may be appealed once.
#[utoipa::path(post, path = "/api/v1/cases/{id}/appeals", tag = "appeals", request_body = AppealRequest,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 201, description = "The appeal, awaiting a decision", body = Appeal, headers(("Location" = String, description = "The appeal"))),
        (status = 409, description = "Nothing to appeal (no return or suspension in force, or it was appealed already), or an appeal is open", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn file(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AppealRequest>,
) -> Result<HttpResponse, AppError> {
    let appeal = blocking(move || appeals::file(&state, &auth.0, &id, body.0)).await?;
    Ok(created(format!("/api/v1/appeals/{}", appeal.id), &appeal))
}

/// Lists appeals, oldest first (admin).
#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals",
    params(
        ("status" = Option<String>, Query, description = "`open`: only those awaiting a decision"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of appeals", body = AppealPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let (page, open) = (query.page()?, open_only(&query)?);
    let page = blocking(move || appeals::list(&state, &auth.0, standing(open), page)).await?;
    Ok(ok(&page))
}

/// One appeal (whoever may read its case).
#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals",
    params(("id" = String, Path, description = "Appeal id")),
    responses((status = 200, description = "The appeal", body = Appeal)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let appeal = blocking(move || appeals::get(&state, &auth.0, &id)).await?;
    Ok(ok(&appeal))
}

/// Decides an appeal: an admin who is neither the case's consultant nor its auditor.
/// Upheld against a return, the case goes back to audit with the same auditor;
/// upheld against a suspension, the certificate is reinstated.
#[utoipa::path(patch, path = "/api/v1/appeals/{id}", tag = "appeals", request_body = AppealDecisionRequest,
    params(("id" = String, Path, description = "Appeal id")),
    responses(
        (status = 200, description = "The appeal with its outcome", body = Appeal),
        (status = 409, description = "The appeal is already decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn decide(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AppealDecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let appeal = blocking(move || appeals::decide(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&appeal))
}

/// Files a complaint, signed in or not: about a certified unit (`about`: its
/// certificate's verification code) or about the certifying body. Throttled per
/// client address like log-ins.
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", request_body = ComplaintRequest,
    responses(
        (status = 201, description = "Received", body = ComplaintReceipt),
        (status = 429, description = "Too many complaints from this address; `Retry-After` says when to try again", headers(("Retry-After" = u64, description = "Seconds to wait")), body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn complain(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<ComplaintRequest>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let receipt = blocking(move || complaints::file(&state, &client, body.0)).await?;
    Ok(created(
        format!("/api/v1/complaints/{}", receipt.id),
        &receipt,
    ))
}

/// Lists complaints, oldest first (admin; complainants' addresses included).
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints",
    params(
        ("status" = Option<String>, Query, description = "`open`: only those awaiting a decision"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of complaints", body = ComplaintPage)),
    security(("bearer" = [])))]
pub async fn complaints(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let (page, open) = (query.page()?, open_only(&query)?);
    let page = blocking(move || complaints::list(&state, &auth.0, standing(open), page)).await?;
    Ok(ok(&page))
}

/// One complaint (admin).
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "complaints",
    params(("id" = String, Path, description = "Complaint id")),
    responses((status = 200, description = "The complaint", body = Complaint)),
    security(("bearer" = [])))]
pub async fn complaint(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let complaint = blocking(move || complaints::get(&state, &auth.0, &id)).await?;
    Ok(ok(&complaint))
}

/// Decides a complaint: about a unit, an admin who is neither its case's consultant
/// nor its auditor; about the body, any admin. The outcome changes nothing else.
#[utoipa::path(patch, path = "/api/v1/complaints/{id}", tag = "complaints", request_body = ComplaintDecisionRequest,
    params(("id" = String, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint with its outcome", body = Complaint),
        (status = 409, description = "The complaint is already decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn decide_complaint(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<ComplaintDecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let complaint = blocking(move || complaints::decide(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&complaint))
}

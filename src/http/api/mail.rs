//! `GET /admin/mail` and `POST /admin/mail/{id}/retry`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, QueryPairs};
use super::respond::{blocking, ok};
use crate::app::error::AppError;
use crate::app::mail::{self, MailItem, MailPage, MailStatus};
use crate::app::AppState;
use crate::http::problem::Problem;

/// Lists the outbox, optionally of one status, oldest first (admin).
#[utoipa::path(get, path = "/api/v1/admin/mail", tag = "mail",
    params(
        ("status" = Option<MailStatus>, Query, description = "Only mail with this status"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of mail", body = MailPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let page = query.page()?;
    let status = query.parsed("status", MailStatus::parse, "one of pending, sent, dead")?;
    let mail = blocking(move || mail::list(&state, &auth.0, status, page)).await?;
    Ok(ok(&mail))
}

/// Puts a dead mail back in the queue (admin).
#[utoipa::path(post, path = "/api/v1/admin/mail/{id}/retry", tag = "mail",
    params(("id" = String, Path, description = "Mail id")),
    responses(
        (status = 200, description = "The mail, pending again", body = MailItem),
        (status = 409, description = "The mail is not dead", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn retry(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let item = blocking(move || mail::retry(&state, &auth.0, &id)).await?;
    Ok(ok(&item))
}

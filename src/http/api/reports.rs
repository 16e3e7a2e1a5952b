//! `GET /reports/pipeline` and `GET /reports/cases.csv`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, QueryPairs};
use super::respond::{blocking, ok};
use crate::app::error::AppError;
use crate::app::reports::{self, Pipeline};
use crate::app::AppState;

fn organisation(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let query = QueryPairs::from_request(req)?;
    Ok(query
        .get("organisation_id")
        .filter(|v| !v.is_empty())
        .map(String::from))
}

/// Live cases per stage, overdue, certified and expiring within 90 days (admin, consultant, coordinator).
#[utoipa::path(get, path = "/api/v1/reports/pipeline", tag = "reports",
    params(("organisation_id" = Option<String>, Query, description = "Only this organisation")),
    responses(
        (status = 200, description = "The pipeline", body = Pipeline),
        (status = 404, description = "No such organisation, or one the caller may not see", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn pipeline(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let org = organisation(&req)?;
    let report = blocking(move || reports::pipeline(&state, &auth.0, org.as_deref())).await?;
    Ok(ok(&report))
}

/// Every visible case as CSV: UTF-8 with BOM, `;`-separated (admin, consultant, coordinator).
#[utoipa::path(get, path = "/api/v1/reports/cases.csv", tag = "reports",
    params(("organisation_id" = Option<String>, Query, description = "Only this organisation")),
    responses(
        (status = 200, description = "One row per case", content_type = "text/csv", body = String),
        (status = 404, description = "No such organisation, or one the caller may not see", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn cases_csv(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let org = organisation(&req)?;
    let csv = blocking(move || reports::cases_csv(&state, &auth.0, org.as_deref())).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"cases.csv\"",
        ))
        .body(csv))
}

//! Liveness and readiness.

use actix_web::{web, HttpResponse};

use crate::app::error::AppError;
use crate::app::health::{readiness, Level};
use crate::app::AppState;

/// 200 while the process runs.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// 200 `ready` or `degraded` (a mail backlog or a long SQLite write queue; still
/// serving), 503 `down` (the database does not answer or the SQLite writer stopped);
/// the body says which check found what (docs/operations.md).
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let report = web::block(move || readiness(&state)).await?;
    let mut response = if report.status == Level::Down {
        HttpResponse::ServiceUnavailable()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(report))
}

//! Liveness and readiness.

use actix_web::{web, HttpResponse};

use crate::app::error::AppError;
use crate::app::AppState;
use crate::http::problem::PROBLEM_JSON;

/// 200 while the process runs.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let ready = web::block(move || state.store.ping()).await?;
    Ok(if ready {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready")
    } else {
        HttpResponse::ServiceUnavailable().content_type(PROBLEM_JSON).body(
            r#"{"type":"urn:stegvis:problem:unavailable","title":"Database unavailable","status":503,"detail":"the database does not answer"}"#,
        )
    })
}

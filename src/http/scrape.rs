//! `GET /metrics`: the Prometheus text format, rendered from the process's recorder
//! with the store's gauges read at that moment. Served on `server.bind`, or only on
//! `metrics.bind` when that is set; with `metrics.token` a scrape must send it as a
//! bearer token.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::app::error::AppError;
use crate::app::{metrics, AppState};

/// The content type of the Prometheus text exposition format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Registers `/metrics`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/metrics")
            .route(web::get().to(scrape))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(AppError::MethodNotAllowed { allow: "GET" })
            })),
    );
}

/// True when the request carries the configured token (compared as digests, so the
/// time taken says nothing about how much of it matched).
fn token_matches(req: &HttpRequest, expected: &str) -> bool {
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    Sha256::digest(sent.as_bytes()) == Sha256::digest(expected.as_bytes())
}

/// The scrape.
pub async fn scrape(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if let Some(expected) = state.settings.metrics.required_token() {
        if !token_matches(&req, expected) {
            return Err(AppError::Unauthorized(
                "the metrics token is missing or wrong",
            ));
        }
    }
    let text = web::block(move || metrics::render(&state)).await??;
    Ok(HttpResponse::Ok().content_type(TEXT_FORMAT).body(text))
}

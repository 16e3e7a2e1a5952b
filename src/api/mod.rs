//! The REST API under `/api/v1`: thin handlers that parse, call one use case and
//! answer; the OpenAPI document; the Idempotency-Key middleware.

pub mod auth;
pub mod case_items;
pub mod cases;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod inputs;
pub mod mail;
pub mod openapi;
pub mod organisations;
pub mod programmes;
pub mod respond;
pub mod users;

use actix_web::{web, HttpResponse};
use utoipa::OpenApi;

use crate::error::AppError;

/// Registers every API route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let not_allowed = || web::to(|| async { Err::<HttpResponse, _>(AppError::MethodNotAllowed) });
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .service(
            web::scope("/api/v1")
                .wrap(actix_web::middleware::from_fn(idempotency::idempotency))
                .route("/openapi.json", web::get().to(openapi_json))
                .service(
                    web::resource("/auth/token")
                        .route(web::post().to(auth::token))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/me")
                        .route(web::get().to(auth::me))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/users")
                        .route(web::post().to(users::create))
                        .route(web::get().to(users::list))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/organisations")
                        .route(web::post().to(organisations::create))
                        .route(web::get().to(organisations::list))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/organisations/{id}")
                        .route(web::get().to(organisations::get))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/organisations/{id}/units")
                        .route(web::post().to(organisations::create_unit))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/units")
                        .route(web::get().to(organisations::list_units))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/units/{id}")
                        .route(web::get().to(organisations::get_unit))
                        .route(web::patch().to(organisations::patch_unit))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/programmes")
                        .route(web::get().to(programmes::list))
                        .route(web::post().to(programmes::create))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/programmes/{id}")
                        .route(web::get().to(programmes::get))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases")
                        .route(web::post().to(cases::enrol))
                        .route(web::get().to(cases::list))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}")
                        .route(web::get().to(cases::get))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/events")
                        .route(web::get().to(cases::events))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/transitions")
                        .route(web::post().to(cases::transition))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/sessions")
                        .route(web::post().to(case_items::schedule))
                        .route(web::get().to(case_items::list))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/sessions/{sid}")
                        .route(web::patch().to(case_items::change))
                        .route(web::delete().to(case_items::cancel))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/sessions/{sid}/attendance")
                        .route(web::put().to(case_items::attendance))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/reflections")
                        .route(web::put().to(case_items::reflections))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/evidence")
                        .route(web::post().to(case_items::add_evidence))
                        .route(web::get().to(case_items::evidence))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/findings")
                        .route(web::get().to(case_items::findings))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/cases/{id}/findings/{fid}")
                        .route(web::put().to(case_items::resolve))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/admin/mail")
                        .route(web::get().to(mail::list))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/admin/mail/{id}/retry")
                        .route(web::post().to(mail::retry))
                        .default_service(not_allowed()),
                ),
        );
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(openapi::ApiDoc::openapi())
}

/// Anything no route matches.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

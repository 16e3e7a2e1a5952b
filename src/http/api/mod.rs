//! The REST API under `/api/v1`: thin handlers that parse, call one use case and
//! answer; the OpenAPI document; the Idempotency-Key middleware.

pub mod appeals;
pub mod auth;
pub mod case_items;
pub mod cases;
pub mod certificates;
pub mod cohorts;
pub mod docs;
pub mod events;
pub mod evidence_files;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod mail;
pub mod openapi;
pub mod organisations;
pub mod plans;
pub mod programmes;
pub mod registry;
pub mod reports;
pub mod respond;
pub mod users;
pub mod webhooks;
pub mod workshop_requests;

use actix_web::{web, HttpResponse};
use utoipa::OpenApi;

use crate::app::error::AppError;

/// Registers every route: health, verification, the keys, the API and its reference.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .route(web::get().to(health::healthz))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/readyz")
            .route(web::get().to(health::readyz))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/api/docs")
            .route(web::get().to(docs::api_docs))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/.well-known/jwks.json")
            .route(web::get().to(certificates::jwks))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/credentials/status/{list}")
            .route(web::get().to(certificates::status_list))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/registry")
            .route(web::get().to(crate::http::registry_page::registry_page))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/verify")
            .route(web::get().to(crate::http::verify::verify_form))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/verify/{code}")
            .route(web::get().to(crate::http::verify::verify_page))
            .default_service(allow("GET")),
    )
    .service(
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(idempotency::idempotency))
            .route("/openapi.json", web::get().to(openapi_json))
            .configure(api_routes),
    );
}

fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/auth/token")
            .route(web::post().to(auth::token))
            .route(web::delete().to(auth::revoke))
            .default_service(allow("POST, DELETE")),
    )
    .service(
        web::resource("/auth/password-reset")
            .route(web::post().to(auth::password_reset))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/auth/password-reset/{token}")
            .route(web::post().to(auth::password_reset_complete))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/me")
            .route(web::get().to(auth::me))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/users")
            .route(web::post().to(users::create))
            .route(web::get().to(users::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/users/{id}")
            .route(web::patch().to(users::patch))
            .default_service(allow("PATCH")),
    )
    .service(
        web::resource("/users/{id}/export")
            .route(web::get().to(users::export))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/users/{id}/erase")
            .route(web::post().to(users::erase))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/units/{id}/erase-contact")
            .route(web::post().to(users::erase_contact))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/audit-log")
            .route(web::get().to(users::audit_log))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/organisations")
            .route(web::post().to(organisations::create))
            .route(web::get().to(organisations::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/organisations/{id}")
            .route(web::get().to(organisations::get))
            .route(web::patch().to(organisations::patch))
            .default_service(allow("GET, PATCH")),
    )
    .service(
        web::resource("/organisations/{id}/units")
            .route(web::post().to(organisations::create_unit))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/units")
            .route(web::get().to(organisations::list_units))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/units/{id}")
            .route(web::get().to(organisations::get_unit))
            .route(web::patch().to(organisations::patch_unit))
            .default_service(allow("GET, PATCH")),
    )
    .service(
        web::resource("/registry")
            .route(web::get().to(registry::list))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/programmes")
            .route(web::get().to(programmes::list))
            .route(web::post().to(programmes::create))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/programmes/{id}")
            .route(web::get().to(programmes::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/programmes/{id}/migrate")
            .route(web::post().to(programmes::migrate))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cases")
            .route(web::post().to(cases::enrol))
            .route(web::get().to(cases::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/cases/{id}")
            .route(web::get().to(cases::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/events")
            .route(web::get().to(cases::events))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/transitions")
            .route(web::post().to(cases::transition))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cases/{id}/sessions")
            .route(web::post().to(case_items::schedule))
            .route(web::get().to(case_items::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/cases/{id}/sessions/{sid}")
            .route(web::patch().to(case_items::change))
            .route(web::delete().to(case_items::cancel))
            .default_service(allow("PATCH, DELETE")),
    )
    .service(
        web::resource("/cases/{id}/sessions/{sid}/attendance")
            .route(web::put().to(case_items::attendance))
            .default_service(allow("PUT")),
    )
    .service(
        web::resource("/cases/{id}/reflections")
            .route(web::put().to(case_items::reflections))
            .default_service(allow("PUT")),
    )
    .service(
        web::resource("/cases/{id}/measures/{measure}")
            .route(web::put().to(case_items::measure))
            .default_service(allow("PUT")),
    )
    .service(
        web::resource("/cases/{id}/surveillance")
            .route(web::post().to(case_items::surveillance))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cases/{id}/decision")
            .route(web::post().to(case_items::decision))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/organisations/{id}/plans")
            .route(web::post().to(plans::create))
            .route(web::get().to(plans::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/plans/{pid}")
            .route(web::get().to(plans::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/plans/{pid}/history")
            .route(web::get().to(plans::history))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/plans/{pid}/actions")
            .route(web::post().to(plans::add_action))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/plans/{pid}/actions/{aid}")
            .route(web::patch().to(plans::update_action))
            .default_service(allow("PATCH")),
    )
    .service(
        web::resource("/plans/{pid}/actions/{aid}/follow-ups")
            .route(web::post().to(plans::follow_up))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cases/{id}/appeals")
            .route(web::post().to(appeals::file))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/appeals")
            .route(web::get().to(appeals::list))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/appeals/{id}")
            .route(web::get().to(appeals::get))
            .route(web::patch().to(appeals::decide))
            .default_service(allow("GET, PATCH")),
    )
    .service(
        web::resource("/workshop-requests")
            .route(web::post().to(workshop_requests::create))
            .route(web::get().to(workshop_requests::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/workshop-requests/{id}")
            .route(web::get().to(workshop_requests::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/workshop-requests/{id}/accept")
            .route(web::post().to(workshop_requests::accept))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/workshop-requests/{id}/decline")
            .route(web::post().to(workshop_requests::decline))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cohorts")
            .route(web::post().to(cohorts::create))
            .route(web::get().to(cohorts::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/cohorts/{id}")
            .route(web::get().to(cohorts::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cohorts/{id}/organisations")
            .route(web::post().to(cohorts::add_organisation))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/complaints")
            .route(web::post().to(appeals::complain))
            .route(web::get().to(appeals::complaints))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/complaints/{id}")
            .route(web::get().to(appeals::complaint))
            .route(web::patch().to(appeals::decide_complaint))
            .default_service(allow("GET, PATCH")),
    )
    .service(
        web::resource("/cases/{id}/evidence/files")
            .route(web::post().to(evidence_files::add))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/cases/{id}/evidence/{eid}/file")
            .route(web::get().to(evidence_files::download))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/evidence")
            .route(web::post().to(case_items::add_evidence))
            .route(web::get().to(case_items::evidence))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/cases/{id}/findings")
            .route(web::get().to(case_items::findings))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/findings/{fid}")
            .route(web::put().to(case_items::resolve))
            .default_service(allow("PUT")),
    )
    .service(
        web::resource("/cases/{id}/certificate")
            .route(web::get().to(certificates::get))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/certificate.pdf")
            .route(web::get().to(certificates::pdf))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/cases/{id}/certificate.jwt")
            .route(web::get().to(certificates::jwt))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/verify/{code}")
            .route(web::get().to(certificates::verify))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/reports/pipeline")
            .route(web::get().to(reports::pipeline))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/reports/cases.csv")
            .route(web::get().to(reports::cases_csv))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/admin/mail")
            .route(web::get().to(mail::list))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/admin/mail/{id}/retry")
            .route(web::post().to(mail::retry))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/events")
            .route(web::post().to(events::create))
            .route(web::get().to(events::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/events/{id}")
            .route(web::get().to(events::get))
            .route(web::patch().to(events::patch))
            .default_service(allow("GET, PATCH")),
    )
    .service(
        web::resource("/events/{id}/registrations")
            .route(web::post().to(events::register))
            .route(web::get().to(events::registrations))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/events/{id}/registrations.csv")
            .route(web::get().to(events::registrations_csv))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/events/{id}/registrations/{rid}")
            .route(web::delete().to(events::cancel))
            .default_service(allow("DELETE")),
    )
    .service(
        web::resource("/events/{id}/attendance")
            .route(web::put().to(events::attendance))
            .default_service(allow("PUT")),
    )
    .service(
        web::resource("/webhooks")
            .route(web::post().to(webhooks::create))
            .route(web::get().to(webhooks::list))
            .default_service(allow("POST, GET")),
    )
    .service(
        web::resource("/webhooks/{id}")
            .route(web::get().to(webhooks::get))
            .route(web::delete().to(webhooks::delete))
            .default_service(allow("GET, DELETE")),
    )
    .service(
        web::resource("/webhooks/{id}/deliveries/{delivery_id}/retry")
            .route(web::post().to(webhooks::retry))
            .default_service(allow("POST")),
    );
}

/// The answer to a method a resource does not have: 405 with `Allow`.
fn allow(methods: &'static str) -> actix_web::Route {
    web::to(
        move || async move { Err::<HttpResponse, _>(AppError::MethodNotAllowed { allow: methods }) },
    )
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(openapi::ApiDoc::openapi())
}

/// Anything no route matches.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

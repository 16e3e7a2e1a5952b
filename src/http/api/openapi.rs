//! The OpenAPI 3 document, generated from the handlers and types so it cannot drift.
//! Error answers every operation shares are added here, in one place, by what the
//! operation has: a bearer token (401, 403), a path id (404), a body (400, 413, 422),
//! query parameters (422), POST (409/422 for Idempotency-Key, except the log-in, whose
//! answer is never stored), and 500 for all.

use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{
    appeals, auth, case_items, cases, certificates, cohorts, events, evidence_files, mail,
    organisations, plans, programmes, registry, reports, users, webhooks, workshop_requests,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Stegvis API", version = "1", description = "Certification workflow engine for inclusion programmes. Errors are application/problem+json (RFC 9457)."),
    paths(
        auth::token, auth::revoke, auth::me, auth::password_reset, auth::password_reset_complete,
        users::create, users::list, users::patch, users::export, users::erase, users::erase_contact, users::audit_log,
        organisations::create, organisations::list, organisations::get, organisations::patch,
        organisations::create_unit, organisations::list_units, organisations::get_unit, organisations::patch_unit,
        programmes::list, programmes::get, programmes::create, programmes::migrate,
        cases::enrol, cases::list, cases::get, cases::events, cases::transition,
        case_items::schedule, case_items::list, case_items::change, case_items::cancel, case_items::attendance,
        case_items::reflections, case_items::measure, case_items::surveillance, case_items::decision, case_items::add_evidence, case_items::evidence, evidence_files::add, evidence_files::download, case_items::findings, case_items::resolve,
        certificates::get, certificates::pdf, certificates::jwt, certificates::verify, certificates::jwks, certificates::status_list,
        registry::list,
        reports::pipeline, reports::cases_csv,
        mail::list, mail::retry,
        appeals::file, appeals::list, appeals::get, appeals::decide,
        appeals::complain, appeals::complaints, appeals::complaint, appeals::decide_complaint,
        plans::create, plans::list, plans::get, plans::history, plans::add_action, plans::update_action, plans::follow_up,
        webhooks::create, webhooks::list, webhooks::get, webhooks::delete, webhooks::retry,
        workshop_requests::create, workshop_requests::list, workshop_requests::get, workshop_requests::accept, workshop_requests::decline,
        cohorts::create, cohorts::list, cohorts::get, cohorts::add_organisation,
        events::create, events::list, events::get, events::patch, events::register,
        events::registrations, events::registrations_csv, events::cancel, events::attendance,
    ),
    components(schemas(crate::http::problem::Problem, crate::http::problem::ProblemField)),
    modifiers(&SharedAnswers),
)]
pub struct ApiDoc;

struct SharedAnswers;

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| problem(description));
}

fn idempotency_key() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Replays the first answer for the same key and body within 24 h; another body with the same key is 422; while the first is running, 409.",
        ))
        .schema(Some(utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).max_length(Some(255))))
        .build()
}

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_path_id = path.contains('{');
            let ops = [
                (&mut item.get, false),
                (&mut item.post, true),
                (&mut item.put, false),
                (&mut item.patch, false),
                (&mut item.delete, false),
            ];
            for (op, is_post) in ops {
                let Some(op) = op.as_mut() else { continue };
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add(op, "401", "No bearer token, or an unknown or expired one");
                    add(op, "403", "The caller's role may not do this");
                }
                if has_path_id {
                    add(
                        op,
                        "404",
                        "No such resource, or one outside the caller's organisation or unit",
                    );
                }
                if op.request_body.is_some() {
                    add(op, "400", "The body is not JSON");
                    add(op, "413", "The body is larger than 256 KiB");
                    add(op, "422", "Invalid input; `errors` names each field");
                }
                let has_query = op
                    .parameters
                    .as_ref()
                    .is_some_and(|ps| ps.iter().any(|p| p.parameter_in == ParameterIn::Query));
                if has_query {
                    add(op, "422", "An invalid query parameter; `errors` names it");
                }
                // The log-in's answer holds a secret, and a reset's path one: never
                // stored for replay (`/auth/*` ignores Idempotency-Key).
                if is_post && !path.starts_with("/api/v1/auth/") {
                    add(
                        op,
                        "409",
                        "A request with the same Idempotency-Key is still running",
                    );
                    add(op, "422", "The Idempotency-Key was used with another body");
                    op.parameters
                        .get_or_insert_with(Vec::new)
                        .push(idempotency_key());
                }
                add(op, "500", "The server failed; nothing was changed");
            }
        }
    }
}

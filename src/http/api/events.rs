//! Open events with public sign-up (`/events`): staff create them and see the
//! registrants; anyone reads an event and signs up; registrants cancel with their
//! mail's token.

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::event_inputs::{
    AttendanceRequest, Event, EventPage, EventPatch, NewEvent, NewRegistration, Registration,
    RegistrationReceipt,
};
use crate::app::open_events::{self, Canceller};
use crate::app::{event_attendance, event_views, AppState};
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::problem::Problem;

/// Creates an open event (admins and consultants). Sign-up closes at
/// `registration_closes_at`, or at the start.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = NewEvent,
    responses(
        (status = 201, description = "The event", body = Event, headers(("Location" = String, description = "The event"))),
    ),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewEvent>,
) -> Result<HttpResponse, AppError> {
    let event = blocking(move || open_events::create(&state, &auth.0, body.0)).await?;
    Ok(created(format!("/api/v1/events/{}", event.id), &event))
}

/// Lists events by start: staff see every event, coordinators and unit contacts those
/// open to their organisation.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of events", body = EventPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = QueryPairs::from_request(&req)?.page()?;
    let page = blocking(move || open_events::list(&state, &auth.0, page)).await?;
    Ok(ok(&page))
}

/// One event, public (no log-in): its counts, never who signed up.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, description = "The event", body = Event)))]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let event = blocking(move || open_events::get(&state, &id)).await?;
    Ok(ok(&event))
}

/// Changes the places (admins and consultants): never below the confirmed
/// registrations (409); more places move the first of the waitlist up, each told by
/// mail.
#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = "events", request_body = EventPatch,
    params(("id" = String, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event", body = Event),
        (status = 409, description = "The capacity is below the confirmed registrations", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn patch(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<EventPatch>,
) -> Result<HttpResponse, AppError> {
    let event = blocking(move || open_events::patch(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&event))
}

/// Signs up for an event, no log-in: a place while there is one, else the waitlist;
/// a mail says which (a confirmation carries the calendar entry) with a cancel link.
/// The same address twice (any case) is refused with 409 `already_registered`: the
/// first registration stands. Throttled per client address (never below 30 a minute).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "events", request_body = NewRegistration,
    params(("id" = String, Path, description = "Event id")),
    responses(
        (status = 201, description = "Signed up: `confirmed` or `waitlisted`", body = RegistrationReceipt),
        (status = 409, description = "Sign-up has closed, or the address is signed up already (the first registration stands)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address; `Retry-After` says when to try again", headers(("Retry-After" = u64, description = "Seconds to wait")), body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: JsonBody<NewRegistration>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let event_id = id.clone();
    let receipt =
        blocking(move || open_events::register(&state, &client, &event_id, body.0)).await?;
    Ok(created(
        format!("/api/v1/events/{}/registrations/{}", id, receipt.id),
        &receipt,
    ))
}

/// Every registration of the event in sign-up order (admins and consultants); name
/// and e-mail are null once erased.
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, description = "The registrations", body = [Registration])),
    security(("bearer" = [])))]
pub async fn registrations(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rows = blocking(move || open_events::registrations(&state, &auth.0, &id)).await?;
    Ok(ok(&rows))
}

/// The registrations as CSV (UTF-8 with BOM, `;`-separated), headed in `lang`, with
/// the names of organisations and units and Stockholm times.
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations.csv", tag = "events",
    params(
        ("id" = String, Path, description = "Event id"),
        ("lang" = Option<String>, Query, description = "`sv` (default) or `en`: the words of the header and statuses"),
    ),
    responses((status = 200, description = "One row per registration", content_type = "text/csv", body = String)),
    security(("bearer" = [])))]
pub async fn registrations_csv(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let lang = QueryPairs::from_request(&req)?
        .parsed("lang", Language::parse, "sv or en")?
        .unwrap_or_default();
    let (_, csv) =
        blocking(move || event_views::registrants_csv(&state, &auth.0, &id, lang)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"registrations.csv\"",
        ))
        .body(csv))
}

/// Cancels a registration: the registrant with `token` from their mail (no log-in),
/// or an admin or consultant. The first of the waitlist moves up and is told.
/// Cancelling again changes nothing; a wrong token answers 404.
#[utoipa::path(delete, path = "/api/v1/events/{id}/registrations/{rid}", tag = "events",
    params(
        ("id" = String, Path, description = "Event id"),
        ("rid" = String, Path, description = "Registration id"),
        ("token" = Option<String>, Query, description = "The token of the cancel link in the registrant's mail"),
    ),
    responses((status = 204, description = "Cancelled")),
    security((), ("bearer" = [])))]
pub async fn cancel(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let token = QueryPairs::from_request(&req)?
        .get("token")
        .map(str::to_string);
    let (event_id, registration_id) = path.into_inner();
    match token {
        Some(token) => {
            if token.is_empty() || token.len() > 128 {
                return Err(AppError::NotFound);
            }
            blocking(move || {
                open_events::cancel(
                    &state,
                    Canceller::Token(&token),
                    &event_id,
                    &registration_id,
                )
            })
            .await?
        }
        None => {
            let auth = Authenticated::extract(&req).await?;
            blocking(move || {
                open_events::cancel(
                    &state,
                    Canceller::Staff(&auth.0),
                    &event_id,
                    &registration_id,
                )
            })
            .await?
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Records who attended (admins and consultants), once the event has started: for
/// each unit with attendees, the event counts as a held session of its kind on the
/// unit's working case, with that unit's attendees as the attendance. Recording again
/// replaces the earlier attendance.
#[utoipa::path(put, path = "/api/v1/events/{id}/attendance", tag = "events", request_body = AttendanceRequest,
    params(("id" = String, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event with its attendance", body = Event),
        (status = 409, description = "The event has not started", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn attendance(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AttendanceRequest>,
) -> Result<HttpResponse, AppError> {
    let event = blocking(move || event_attendance::record(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&event))
}

//! `POST /users`, `GET /users`, `PATCH /users/{id}`, a person's export and erasure,
//! a unit contact's erasure and the access audit.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::access_audit::{self, AccessKind, AccessPage, AuditQuery};
use crate::app::error::AppError;
use crate::app::inputs::{NewUser, UserPatch};
use crate::app::personal_data::{self, PersonalData};
use crate::app::views::{User, UserPage};
use crate::app::{users, AppState};
use crate::domain::Role;
use crate::http::client_address::client_address;

/// Creates a user (admin). Without a password the user gets a welcome mail with a
/// link to choose one, valid 7 days.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = User, headers(("Location" = String, description = "The new user"))),
        (status = 409, description = "The e-mail address is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewUser>,
) -> Result<HttpResponse, AppError> {
    let user = blocking(move || users::create(&state, Some(&auth.0), body.0)).await?;
    Ok(created(format!("/api/v1/users/{}", user.id), &user))
}

/// Lists users, optionally of one role (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    params(
        ("role" = Option<Role>, Query, description = "Only users of this role"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of users", body = UserPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let page = query.page()?;
    let role = query.parsed(
        "role",
        Role::parse,
        "one of admin, consultant, auditor, coordinator, unit_contact",
    )?;
    let users = blocking(move || users::list(&state, &auth.0, role, page)).await?;
    Ok(ok(&users))
}

/// Changes a user's name, role, organisation, unit, language or whether the account
/// is open (admin). `active: false` ends every token and web session of theirs at once.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserPatch,
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The changed user", body = User),
        (status = 409, description = "An admin may not deactivate themselves or change their own role", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn patch(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<UserPatch>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let user = blocking(move || users::patch(&state, &auth.0, &id, body.0, &client)).await?;
    Ok(ok(&user))
}

/// Runs `act` as the caller on the path's id, naming the client's address.
async fn on_id<T: Send + 'static>(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: &HttpRequest,
    act: fn(&AppState, &crate::domain::Actor, &str, &str) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let client = client_address(req, &state.settings.server.trusted_proxies);
    blocking(move || act(&state, &auth.0, &id, &client)).await
}

/// Everything Stegvis keeps about a person, as JSON: the profile, their sign-ins and
/// other access events, every case and plan event they acted in, and the mails
/// written to them (kind, subject, times; not their contents). The admin, or the
/// person themselves. Recorded in the access audit.
#[utoipa::path(get, path = "/api/v1/users/{id}/export", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The person's data", body = PersonalData)),
    security(("bearer" = [])))]
pub async fn export(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let data = on_id(state, auth, id, &req, personal_data::export).await?;
    Ok(ok(&data))
}

/// Erases a person (admin): name and e-mail become a pseudonym, the account closes,
/// every token and session ends, mails not yet sent to them are dropped. Histories
/// keep the user id, so every hash chain still verifies. Erasing oneself is 409.
#[utoipa::path(post, path = "/api/v1/users/{id}/erase", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The erased user, under the pseudonym", body = User),
        (status = 409, description = "An admin may not erase themselves", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn erase(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let user = on_id(state, auth, id, &req, personal_data::erase).await?;
    Ok(ok(&user))
}

/// Forgets a unit's contact address (admin); mails not yet sent to it are dropped.
#[utoipa::path(post, path = "/api/v1/units/{id}/erase-contact", tag = "users",
    params(("id" = String, Path, description = "Unit id")),
    responses((status = 204, description = "The contact address is erased")),
    security(("bearer" = [])))]
pub async fn erase_contact(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    on_id(state, auth, id, &req, personal_data::erase_unit_contact).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The access audit, newest first (admin): sign-ins, failed sign-ins, sign-outs,
/// deactivations, reactivations, role changes, password resets, exports, erasures.
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "users",
    params(
        ("kind" = Option<AccessKind>, Query, description = "Only events of this kind"),
        ("user_id" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "Only events this user did or that were done to them"),
        ("since" = Option<String>, Query, format = DateTime, description = "Only events at or after this time (RFC 3339)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of access events", body = AccessPage)),
    security(("bearer" = [])))]
pub async fn audit_log(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = QueryPairs::from_request(&req)?;
    let page = query.page()?;
    let filter = audit_query(&query)?;
    let entries = blocking(move || access_audit::list(&state, &auth.0, filter, page)).await?;
    Ok(ok(&entries))
}

/// The audit log's filters from a query string.
fn audit_query(query: &QueryPairs) -> Result<AuditQuery, AppError> {
    let kind = query.parsed("kind", AccessKind::parse, "one of the access event kinds")?;
    let user_id = query
        .parsed(
            "user_id",
            |s| {
                (s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric()))
                    .then(|| s.to_string())
            },
            "a user id",
        )?
        .filter(|id| !id.is_empty());
    let since = query.parsed(
        "since",
        |s| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&chrono::Utc))
        },
        "a time in RFC 3339, e.g. 2026-03-01T00:00:00Z",
    )?;
    Ok(AuditQuery {
        kind,
        user_id,
        since,
    })
}

//! `POST /users`, `GET /users` and `PATCH /users/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::inputs::{NewUser, UserPatch};
use crate::app::views::{User, UserPage};
use crate::app::{users, AppState};
use crate::domain::Role;

/// Creates a user (admin).
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
) -> Result<HttpResponse, AppError> {
    let user = blocking(move || users::patch(&state, &auth.0, &id, body.0)).await?;
    Ok(ok(&user))
}

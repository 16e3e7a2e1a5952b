//! `POST /auth/token`, `DELETE /auth/token`, `GET /me` and the password reset.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{bearer_token, Authenticated, JsonBody};
use super::respond::{blocking, ok};
use crate::app::auth::{self, TokenGrant};
use crate::app::error::AppError;
use crate::app::inputs::LoginRequest;
use crate::app::password_reset::{self, NewPasswordRequest, ResetRequest};
use crate::app::views::User;
use crate::app::AppState;
use crate::http::client_address::client_address;
use crate::store::users;

/// Exchanges an e-mail address and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenGrant),
        (status = 401, description = "Wrong e-mail address or password", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed log-ins for this account from this address, or from this address; `Retry-After` says when to try again", headers(("Retry-After" = u64, description = "Seconds to wait")), body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let grant =
        blocking(move || auth::login(&state, &body.0.email, &body.0.password, &client)).await?;
    Ok(ok(&grant))
}

/// Revokes the caller's own bearer token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    responses(
        (status = 204, description = "The token is revoked"),
        (status = 401, description = "No bearer token, or an unknown or expired one", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn revoke(
    state: web::Data<AppState>,
    _auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let token = bearer_token(&req).ok_or(AppError::Unauthorized("no bearer token"))?;
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    blocking(move || auth::logout(&state, &token, &client)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, description = "The signed-in user", body = User)),
    security(("bearer" = [])))]
pub async fn me(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, AppError> {
    let user = blocking(move || {
        let mut conn = state.store.conn()?;
        users::by_id(&mut conn, &auth.0.id)?
            .map(|row| User::from_row(&row))
            .ok_or(AppError::Unauthorized("the user no longer exists"))
    })
    .await?;
    Ok(ok(&user))
}

/// Asks for a link to choose a new password. The same 202 whatever the address:
/// a known, active account gets a mail (in its language) with a link valid 60
/// minutes; a newer link makes the older ones stop working.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted; a mail goes out if the address has an account"),
        (status = 429, description = "Too many requests for this address or from this client; `Retry-After` says when to try again", headers(("Retry-After" = u64, description = "Seconds to wait")), body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    blocking(move || password_reset::request(&state, &body.0.email, &client)).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with a link's token. Every session and API token of the user
/// ends. A used, expired, superseded or unknown token, or one of a closed account,
/// is the same 404.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/{token}", tag = "auth", request_body = NewPasswordRequest,
    params(("token" = String, Path, description = "The token from the mail's link")),
    responses(
        (status = 204, description = "The password is set"),
        (status = 404, description = "The link is unknown, used, expired, superseded by a newer one, or its account is closed", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn password_reset_complete(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: JsonBody<NewPasswordRequest>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    blocking(move || password_reset::complete(&state, &token, &body.0.password, &client)).await?;
    Ok(HttpResponse::NoContent().finish())
}

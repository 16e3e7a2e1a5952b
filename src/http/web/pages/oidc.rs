//! Single sign-on (docs/people.md): `GET /auth/oidc/login?provider={id}` sends the
//! browser to the provider with a fresh `state`, which a cookie binds to this
//! browser; `GET /auth/oidc/callback` takes the state (once), checks the ID token
//! (`app::oidc`) and starts the same web session as the password log-in. Every
//! refusal is a page in the person's language, a log line without tokens or
//! addresses, and no session.

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

use crate::app::auth::TokenGrant;
use crate::app::oidc::{self, Refusal};
use crate::app::AppState;
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::web::chrome::{anonymous, render_page};
use crate::http::web::i18n::text;
use crate::http::web::session::{self, requested_language};

use super::auth::start_session;

/// The `state` of the log-in this browser began (HttpOnly, SameSite=Lax: sent on the
/// provider's top-level redirect back, not on other sites' requests).
pub const STATE_COOKIE: &str = "stegvis_oidc";

/// The single sign-on routes (web pages, not /api/v1).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/oidc/login", web::get().to(login))
        .route("/auth/oidc/callback", web::get().to(callback));
}

/// The first value of a query parameter.
fn param(req: &HttpRequest, name: &str) -> Option<String> {
    web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

/// Sends the browser to the provider.
pub async fn login(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = requested_language(&req).unwrap_or_default();
    let id = param(&req, "provider").unwrap_or_default();
    let Some(provider) = oidc::provider(&state, &id) else {
        return refused(lang, Refusal::UnknownProvider);
    };
    let authorization = match oidc::authorization(&state, provider).await {
        Ok(a) => a,
        Err(refusal) => return refused(lang, refusal),
    };
    let (s, row) = (state.clone(), authorization.row);
    match web::block(move || oidc::remember(&s, row)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return refused(lang, Refusal::from(e)),
        Err(_) => return refused(lang, Refusal::Internal),
    }
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, authorization.url))
        .finish();
    let _ = response.add_cookie(&session::cookie(
        &state,
        STATE_COOKIE,
        authorization.state,
        Some(600),
    ));
    response
}

/// Finishes a log-in: a session and the home page, or the refusal page.
pub async fn callback(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = requested_language(&req).unwrap_or_default();
    let mut response = match finish(&state, &req).await {
        Ok(grant) => start_session(&state, &req, grant, None),
        Err(refusal) => refused(lang, refusal),
    };
    let _ = response.add_cookie(&session::removal(&state, STATE_COOKIE));
    response
}

async fn finish(state: &web::Data<AppState>, req: &HttpRequest) -> Result<TokenGrant, Refusal> {
    let sent = param(req, "state")
        .filter(|s| !s.is_empty() && s.len() <= 256)
        .ok_or(Refusal::State)?;
    // Taken first: whatever happens next, this state is used up.
    let (s, taken) = (state.clone(), sent.clone());
    let login = web::block(move || oidc::take(&s, &taken))
        .await
        .map_err(|_| Refusal::Internal)??;
    if req.cookie(STATE_COOKIE).map(|c| c.value().to_string()) != Some(sent) {
        tracing::warn!("single sign-on: the state is not this browser's");
        return Err(Refusal::State);
    }
    if let Some(error) = param(req, "error") {
        // The provider's error code only (a short token of letters), never its text.
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        tracing::warn!(provider = %login.provider, %error, "single sign-on: the provider answered with an error");
        return Err(Refusal::ProviderError);
    }
    let code = param(req, "code")
        .filter(|c| !c.is_empty())
        .ok_or(Refusal::ProviderError)?;
    let provider = oidc::provider(state, &login.provider)
        .cloned()
        .ok_or(Refusal::UnknownProvider)?;
    let identity = oidc::identify(state, &provider, &login, &code).await?;
    let s = state.clone();
    let client = client_address(req, &state.settings.server.trusted_proxies);
    web::block(move || oidc::sign_in(&s, &provider, &identity, &client))
        .await
        .map_err(|_| Refusal::Internal)?
}

#[derive(Serialize)]
struct RefusalPage {
    heading: String,
    detail: String,
}

/// The refusal page (the error page's template) and its log line.
fn refused(lang: Language, refusal: Refusal) -> HttpResponse {
    tracing::warn!(reason = refusal.code(), "single sign-on refused");
    let data = RefusalPage {
        heading: text(lang, "oidc.refused.title", &[]),
        detail: text(lang, &format!("oidc.refused.{}", refusal.code()), &[]),
    };
    let chrome = anonymous(lang, data.heading.clone(), "/login", String::new());
    let status =
        StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    render_page(&chrome, "error", status, &data).unwrap_or_else(|e| e.error_response())
}

//! Log-in and log-out. The log-in form's CSRF token is keyed with a random
//! pre-session cookie; after log-in every form's token is keyed with the session.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::auth::TokenGrant;
use crate::app::error::AppError;
use crate::app::{auth, AppState};
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::web::chrome::{anonymous, home_of, render_page};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::session::{self, csrf_ok, csrf_token, requested_language, Viewer};
use crate::http::web::{attempt, see_other, WebError};
use crate::store::ids;

/// `/`: the signed-in person's home, or the log-in.
pub async fn home(state: web::Data<AppState>, viewer: Result<Viewer, WebError>) -> HttpResponse {
    match viewer {
        Ok(v) => see_other(&state, &home_of(&v.actor), None),
        Err(_) => see_other(&state, "/login", None),
    }
}

#[derive(Serialize)]
struct LoginPage {
    form: FormView,
    /// Single sign-on: one button per provider (`pages::oidc`).
    sso: Vec<super::oidc_buttons::SsoButton>,
}

/// Only a same-origin absolute path is a safe place to return to after log-in:
/// printable ASCII (browsers drop tabs and line breaks, which would turn `/\t/host`
/// into `//host`), no `//` and no backslash anywhere. Anything else goes home.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| {
        n.starts_with('/')
            && n.bytes().all(|b| b.is_ascii_graphic())
            && !n.contains("//")
            && !n.contains('\\')
    })
    .map(String::from)
}

fn login_form(lang: Language, next: Option<&str>) -> FormView {
    let mut form = FormView::new("login", "/login", text(lang, "login.submit", &[]))
        .field("email", "email", text(lang, "field.email", &[]))
        .required()
        .autocomplete("username")
        .field("password", "password", text(lang, "field.password", &[]))
        .required()
        .autocomplete("current-password");
    if let Some(next) = safe_next(next) {
        form = form.hidden("next", next);
    }
    form
}

fn render_login(
    state: &AppState,
    lang: Language,
    pre: &str,
    form: FormView,
    status: StatusCode,
    set_pre: bool,
) -> Result<HttpResponse, WebError> {
    let chrome = anonymous(
        lang,
        text(lang, "login.title", &[]),
        "/login",
        csrf_token(pre),
    );
    let mut response = render_page(
        &chrome,
        "login",
        status,
        &LoginPage {
            form: form.finish(),
            sso: super::oidc_buttons::buttons(state),
        },
    )?;
    if set_pre {
        let _ = response.add_cookie(&session::cookie(
            state,
            session::PRE_COOKIE,
            pre.to_string(),
            None,
        ));
    }
    Ok(response)
}

/// The pre-session secret the anonymous forms' CSRF tokens are keyed with, and
/// whether it is new (then no form can have been sent with it).
pub(crate) fn pre_secret(req: &HttpRequest) -> (String, bool) {
    match req
        .cookie(session::PRE_COOKIE)
        .map(|c| c.value().to_string())
    {
        Some(v) if v.len() == 64 => (v, false),
        _ => (ids::random_hex(32), true),
    }
}

/// The log-in page.
pub async fn login_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Result<Viewer, WebError>,
) -> Result<HttpResponse, WebError> {
    if let Ok(v) = viewer {
        return Ok(see_other(&state, &home_of(&v.actor), None));
    }
    let lang = requested_language(&req).unwrap_or_default();
    let next = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.iter().find(|(k, _)| k == "next").map(|(_, v)| v.clone()));
    let (pre, fresh) = pre_secret(&req);
    render_login(
        &state,
        lang,
        &pre,
        login_form(lang, next.as_deref()),
        StatusCode::OK,
        fresh,
    )
}

/// Checks the credentials with the API's own log-in (same throttling) and starts a
/// session holding the issued token.
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let (pre, fresh) = pre_secret(&req);
    if fresh || !csrf_ok(&pre, form.get("csrf").unwrap_or("")) {
        return Err(WebError::csrf(lang));
    }
    let next = safe_next(form.get("next"));
    let (email, password) = (
        form.text("email"),
        form.get("password").unwrap_or("").to_string(),
    );
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let s = state.clone();
    match attempt(lang, move || auth::login(&s, &email, &password, &client)).await? {
        Ok(grant) => Ok(start_session(&state, &req, grant, next)),
        Err(error) => {
            let retry_after = match &error {
                AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            let feedback = Feedback::from_error("login", error, lang, &form)?;
            let mut view = login_form(lang, next.as_deref());
            view.apply(&feedback, &|r| r.key.clone());
            let mut response = render_login(&state, lang, &pre, view, feedback.status, false)?;
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            Ok(response)
        }
    }
}

/// Starts the web session holding `grant`'s token and goes to `next` or home: the
/// password log-in and single sign-on (`pages::oidc`) alike.
pub(crate) fn start_session(
    state: &AppState,
    req: &HttpRequest,
    grant: TokenGrant,
    next: Option<String>,
) -> HttpResponse {
    let user_lang = grant.user.language;
    let home = home_of(&grant.user.actor());
    let ttl = i64::from(state.settings.auth.token_ttl_hours) * 3600;
    let mut response = see_other(state, &next.unwrap_or(home), None);
    let _ = response.add_cookie(&session::cookie(
        state,
        session::SESSION_COOKIE,
        grant.token,
        Some(ttl),
    ));
    let _ = response.add_cookie(&session::removal(state, session::PRE_COOKIE));
    if requested_language(req).is_none() {
        let _ = response.add_cookie(&session::cookie(
            state,
            session::LANG_COOKIE,
            user_lang.as_str().into(),
            Some(365 * 86400),
        ));
    }
    response
}

/// Ends the session and forgets its token.
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    if let Some(token) = req
        .cookie(session::SESSION_COOKIE)
        .map(|c| c.value().to_string())
    {
        let s = state.clone();
        let client = client_address(&req, &state.settings.server.trusted_proxies);
        attempt(viewer.lang, move || auth::logout(&s, &token, &client))
            .await?
            .ok();
    }
    let mut response = see_other(&state, "/login", None);
    let _ = response.add_cookie(&session::removal(&state, session::SESSION_COOKIE));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_origin_absolute_paths_are_returned_to() {
        for good in ["/cases", "/cases/abc?tab=2", "/"] {
            assert_eq!(safe_next(Some(good)).as_deref(), Some(good), "{good:?}");
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r/x",
            "/ /x",
            "/\\evil.example",
            "/a//b",
            "https://evil.example/",
            "evil",
            "/\u{0}x",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(safe_next(None), None);
    }
}

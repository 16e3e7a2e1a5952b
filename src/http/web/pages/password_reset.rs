//! "Glömt lösenordet?": asking for a link (`/password-reset`) and choosing a new
//! password with it (`/password-reset/{token}`). Both before log-in, so their CSRF
//! tokens are keyed with the pre-session cookie, as the log-in form's are.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::auth::pre_secret;
use super::t;
use crate::app::{password_reset, AppState};
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::web::chrome::{anonymous, render_page};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::{self, csrf_ok, csrf_token, requested_language};
use crate::http::web::{attempt, blocking, WebError};

#[derive(Serialize)]
struct ResetPage {
    heading: String,
    intro: String,
    /// Shown after a send instead of the form, or with it.
    notice: Option<String>,
    form: Option<FormView>,
    /// Where to go next: the log-in, or asking again.
    link: Option<(String, String)>,
}

fn request_form(lang: Language) -> FormView {
    FormView::new(
        "password_reset",
        "/password-reset",
        t(lang, "password_reset.send"),
    )
    .field("email", "email", t(lang, "field.email"))
    .required()
    .autocomplete("username")
}

fn set_form(lang: Language, token: &str) -> FormView {
    FormView::new(
        "new_password",
        format!("/password-reset/{token}"),
        t(lang, "password_reset.set"),
    )
    .field("password", "password", t(lang, "field.next_password"))
    .required()
    .autocomplete("new-password")
    .hint(t(lang, "hint.password"))
}

fn show(
    state: &AppState,
    req: &HttpRequest,
    path: &str,
    status: StatusCode,
    data: ResetPage,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(req).unwrap_or_default();
    let (pre, fresh) = pre_secret(req);
    let chrome = anonymous(lang, data.heading.clone(), path, csrf_token(&pre));
    let mut response = render_page(&chrome, "password_reset", status, &data)?;
    if fresh {
        let _ = response.add_cookie(&session::cookie(state, session::PRE_COOKIE, pre, None));
    }
    Ok(response)
}

fn check_csrf(req: &HttpRequest, form: &FormData, lang: Language) -> Result<(), WebError> {
    let (pre, fresh) = pre_secret(req);
    if fresh || !csrf_ok(&pre, form.get("csrf").unwrap_or("")) {
        return Err(WebError::csrf(lang));
    }
    Ok(())
}

fn ask_page(lang: Language, form: Option<FormView>, notice: Option<String>) -> ResetPage {
    ResetPage {
        heading: t(lang, "password_reset.title"),
        intro: t(lang, "password_reset.intro"),
        notice,
        form: form.map(FormView::finish),
        link: Some(("/login".into(), t(lang, "password_reset.back_to_login"))),
    }
}

/// `GET /password-reset`.
pub async fn request_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let data = ask_page(lang, Some(request_form(lang)), None);
    show(&state, &req, "/password-reset", StatusCode::OK, data)
}

/// `POST /password-reset`: the same answer whatever the address.
pub async fn request(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    check_csrf(&req, &form, lang)?;
    let email = form.text("email");
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let s = state.clone();
    let outcome = attempt(lang, move || password_reset::request(&s, &email, &client)).await?;
    let (status, data) = match outcome {
        Ok(()) => (
            StatusCode::OK,
            ask_page(lang, None, Some(t(lang, "password_reset.sent"))),
        ),
        Err(e) => {
            let feedback = Feedback::from_error("password_reset", e, lang, &form)?;
            let mut view = request_form(lang);
            view.apply(&feedback, &|r| r.key.clone());
            (feedback.status, ask_page(lang, Some(view), None))
        }
    };
    show(&state, &req, "/password-reset", status, data)
}

fn dead_link(lang: Language) -> ResetPage {
    ResetPage {
        heading: t(lang, "password_reset.title"),
        intro: t(lang, "password_reset.dead"),
        notice: None,
        form: None,
        link: Some((
            "/password-reset".into(),
            t(lang, "password_reset.ask_again"),
        )),
    }
}

fn choose_page(lang: Language, form: FormView) -> ResetPage {
    ResetPage {
        heading: t(lang, "password_reset.choose_title"),
        intro: t(lang, "password_reset.choose_intro"),
        notice: None,
        form: Some(form.finish()),
        link: None,
    }
}

/// `GET /password-reset/{token}`: the form while the link works; otherwise one and
/// the same 404 page, whatever is wrong with it.
pub async fn choose_page_for(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let token = token.into_inner();
    let (s, look) = (state.clone(), token.clone());
    let live = blocking(lang, move || password_reset::is_live(&s, &look)).await?;
    let path = format!("/password-reset/{token}");
    if live {
        let data = choose_page(lang, set_form(lang, &token));
        show(&state, &req, &path, StatusCode::OK, data)
    } else {
        show(&state, &req, &path, StatusCode::NOT_FOUND, dead_link(lang))
    }
}

/// `POST /password-reset/{token}`: sets the password; every session of the user ends.
pub async fn choose(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    check_csrf(&req, &form, lang)?;
    let token = token.into_inner();
    let path = format!("/password-reset/{token}");
    let password = form.get("password").unwrap_or("").to_string();
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let (s, used) = (state.clone(), token.clone());
    let outcome = attempt(lang, move || {
        password_reset::complete(&s, &used, &password, &client)
    })
    .await?;
    match outcome {
        Ok(()) => {
            let data = ResetPage {
                heading: t(lang, "password_reset.done_title"),
                intro: t(lang, "password_reset.done"),
                notice: None,
                form: None,
                link: Some(("/login".into(), t(lang, "login.submit"))),
            };
            show(&state, &req, &path, StatusCode::OK, data)
        }
        Err(crate::app::error::AppError::NotFound) => {
            show(&state, &req, &path, StatusCode::NOT_FOUND, dead_link(lang))
        }
        Err(e) => {
            let feedback = Feedback::from_error("new_password", e, lang, &form)?;
            let mut view = set_form(lang, &token);
            view.apply(&feedback, &|r| r.key.clone());
            show(
                &state,
                &req,
                &path,
                feedback.status,
                choose_page(lang, view),
            )
        }
    }
}

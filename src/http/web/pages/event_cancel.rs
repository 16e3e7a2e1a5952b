//! The cancel page a registrant's mail links to, `/events/{id}/cancel/{rid}?token=`:
//! no log-in. It shows the event and asks first; the form posts the token back with a
//! CSRF token keyed with the pre-session cookie, as the public complaint form does,
//! and cancels through the API's own use case (the first of the waitlist moves up).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::error::AppError;
use crate::app::open_events::{self, Canceller};
use crate::app::AppState;
use crate::domain::open_events::RegistrationStatus;
use crate::domain::Language;
use crate::glossary::dates::date_time;
use crate::http::web::chrome::{anonymous, render_page};
use crate::http::web::forms::FormData;
use crate::http::web::pages::auth::pre_secret;
use crate::http::web::pages::t;
use crate::http::web::session::{self, csrf_ok, csrf_token, requested_language};
use crate::http::web::{attempt, WebError};

#[derive(Serialize, Default)]
struct CancelPage {
    action: String,
    token: String,
    title: String,
    when: String,
    location: Option<String>,
    done: bool,
    already: bool,
    invalid: bool,
}

/// A page shown before log-in, its forms' CSRF token keyed with the pre-session
/// cookie `pre` (set on the answer when it is `fresh`), as the complaint form's are.
pub(super) fn public_page<T: Serialize>(
    state: &AppState,
    (lang, title, path): (Language, String, &str),
    (pre, fresh): (&str, bool),
    (template, page): (&str, &T),
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let chrome = anonymous(lang, title, path, csrf_token(pre));
    let mut response = render_page(&chrome, template, status, page)?;
    if fresh {
        let _ = response.add_cookie(&session::cookie(
            state,
            session::PRE_COOKIE,
            pre.to_string(),
            None,
        ));
    }
    Ok(response)
}

fn render(
    state: &AppState,
    lang: Language,
    pre: (&str, bool),
    page: &CancelPage,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let title = t(lang, "event_cancel.title");
    public_page(
        state,
        (lang, title, &page.action),
        pre,
        ("event_cancel", page),
        status,
    )
}

fn token_of(req: &HttpRequest) -> String {
    web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.iter().find(|(k, _)| k == "token").map(|(_, v)| v.clone()))
        .unwrap_or_default()
}

/// `GET`: the event and the question, or why the link does not cancel anything.
pub async fn ask(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let (event_id, registration_id) = path.into_inner();
    let token = token_of(&req);
    let (pre, fresh) = pre_secret(&req);
    let mut page = CancelPage {
        action: format!("/events/{event_id}/cancel/{registration_id}"),
        token: token.clone(),
        ..CancelPage::default()
    };
    let s = state.clone();
    let looked_up = attempt(lang, move || {
        let status = open_events::token_opens(&s, &event_id, &registration_id, &token)?;
        Ok((status, open_events::get(&s, &event_id)?))
    })
    .await?;
    let status = match looked_up {
        Ok((RegistrationStatus::Cancelled, _)) => {
            page.already = true;
            StatusCode::OK
        }
        Ok((_, event)) => {
            page.title = event.title;
            page.when = date_time(event.starts_at, lang);
            page.location = event.location;
            StatusCode::OK
        }
        Err(AppError::NotFound) => {
            page.invalid = true;
            page.token.clear();
            StatusCode::NOT_FOUND
        }
        Err(other) => return Err(WebError::app(other, lang)),
    };
    render(&state, lang, (&pre, fresh), &page, status)
}

/// A public form's language (the form's, else the request's) and the pre-session
/// secret, once its CSRF token is that secret's; otherwise 403.
pub(super) fn public_form(
    req: &HttpRequest,
    form: &FormData,
) -> Result<(Language, String), WebError> {
    let lang = form
        .get("language")
        .and_then(Language::parse)
        .or_else(|| requested_language(req))
        .unwrap_or_default();
    let (pre, fresh) = pre_secret(req);
    if fresh || !csrf_ok(&pre, form.get("csrf").unwrap_or("")) {
        return Err(WebError::csrf(lang));
    }
    Ok((lang, pre))
}

/// `POST`: cancels, and says so.
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let (lang, pre) = public_form(&req, &form)?;
    let (event_id, registration_id) = path.into_inner();
    let token = form.text("token");
    let mut page = CancelPage {
        action: format!("/events/{event_id}/cancel/{registration_id}"),
        ..CancelPage::default()
    };
    let s = state.clone();
    let cancelled = attempt(lang, move || {
        open_events::cancel(&s, Canceller::Token(&token), &event_id, &registration_id)
    })
    .await?;
    let status = match cancelled {
        Ok(()) => {
            page.done = true;
            StatusCode::OK
        }
        Err(AppError::NotFound) => {
            page.invalid = true;
            StatusCode::NOT_FOUND
        }
        Err(other) => return Err(WebError::app(other, lang)),
    };
    render(&state, lang, (&pre, false), &page, status)
}

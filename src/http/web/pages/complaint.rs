//! The public complaint form, `/complaints/new`: no log-in, so its CSRF token is
//! keyed with the pre-session cookie exactly as the log-in form's is. The complaint
//! is filed by the API's own use case (same checks, same throttle per address).

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::appeal_inputs::ComplaintRequest;
use crate::app::email::EmailAddress;
use crate::app::error::AppError;
use crate::app::validation::checked;
use crate::app::{complaints, AppState};
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::web::chrome::{anonymous, render_page};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::pages::auth::pre_secret;
use crate::http::web::pages::t;
use crate::http::web::session::{self, csrf_ok, csrf_token, requested_language};
use crate::http::web::{attempt, WebError};

const PATH: &str = "/complaints/new";

#[derive(Serialize)]
struct ComplaintPage {
    form: Option<FormView>,
    receipt: Option<String>,
}

fn complaint_form(lang: Language, about: &str) -> FormView {
    FormView::new("complaint", PATH, t(lang, "complaint.submit"))
        .field("about", "text", t(lang, "complaint.about"))
        .value(about)
        .hint(t(lang, "complaint.about_hint"))
        .field("text", "textarea", t(lang, "complaint.text"))
        .required()
        .field("email", "email", t(lang, "field.email"))
        .autocomplete("email")
        .hint(t(lang, "complaint.email_hint"))
        .hidden("language", lang.as_str())
}

fn render(
    state: &AppState,
    lang: Language,
    (pre, fresh): (&str, bool),
    page: &ComplaintPage,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let chrome = anonymous(lang, t(lang, "complaint.title"), PATH, csrf_token(pre));
    let mut response = render_page(&chrome, "complaint", status, page)?;
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

/// `GET /complaints/new[?about=CODE]`: the form, the code filled in when given.
pub async fn new(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let about = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.iter().find(|(k, _)| k == "about").map(|(_, v)| v.clone()))
        .unwrap_or_default();
    let (pre, fresh) = pre_secret(&req);
    let page = ComplaintPage {
        form: Some(complaint_form(lang, about.trim()).finish()),
        receipt: None,
    };
    render(&state, lang, (&pre, fresh), &page, StatusCode::OK)
}

/// The form read into the API's request, checked by the API's own length checks.
fn request(form: &FormData, lang: Language) -> Result<ComplaintRequest, AppError> {
    let email = match form.optional("email") {
        Some(raw) => {
            Some(EmailAddress::parse("email", &raw).map_err(|e| AppError::Invalid(vec![e]))?)
        }
        None => None,
    };
    checked(ComplaintRequest {
        about: form.optional("about"),
        text: form.text("text"),
        email,
        language: Some(lang),
    })
}

/// `POST /complaints/new`: files the complaint and thanks with its receipt number, or
/// shows the form again with what was typed and the refusal next to the fields.
pub async fn file(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = form
        .get("language")
        .and_then(Language::parse)
        .or_else(|| requested_language(&req))
        .unwrap_or_default();
    let (pre, fresh) = pre_secret(&req);
    if fresh || !csrf_ok(&pre, form.get("csrf").unwrap_or("")) {
        return Err(WebError::csrf(lang));
    }
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let s = state.clone();
    let input = request(&form, lang);
    let filed = attempt(lang, move || {
        input.and_then(|i| complaints::file(&s, &client, i))
    })
    .await?;
    match filed {
        Ok(receipt) => {
            let page = ComplaintPage {
                form: None,
                receipt: Some(receipt.id),
            };
            render(&state, lang, (&pre, false), &page, StatusCode::OK)
        }
        Err(error) => {
            let retry_after = match &error {
                AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            let mut feedback = Feedback::from_error("complaint", error, lang, &form)?;
            if let Some(secs) = retry_after {
                // The shared refusal speaks of log-ins; this throttle is the complaints'.
                feedback.message = Some(text(
                    lang,
                    "complaint.throttled",
                    &[("minutes", secs.div_ceil(60).to_string())],
                ));
            }
            let mut view = complaint_form(lang, "");
            view.apply(&feedback, &|r| r.key.clone());
            let page = ComplaintPage {
                form: Some(view.finish()),
                receipt: None,
            };
            let mut response = render(&state, lang, (&pre, false), &page, feedback.status)?;
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            Ok(response)
        }
    }
}

//! The public sign-up page of an open event, `/events/{id}`: no log-in, so its CSRF
//! token is keyed with the pre-session cookie as the public complaint form's is. It
//! signs up through the API's own use case (same throttle per address, duplicate rule
//! and closing time) and answers confirmed or waitlisted; a refusal comes back with
//! what was typed, every error at once next to its field and in a summary above.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::email::EmailAddress;
use crate::app::error::AppError;
use crate::app::event_inputs::{Event, NewRegistration};
use crate::app::event_views::{signup_choices, SignupChoices};
use crate::app::{open_events, AppState};
use crate::domain::open_events::RegistrationStatus;
use crate::domain::Language;
use crate::glossary::{self, dates};
use crate::http::client_address::client_address;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::pages::auth::pre_secret;
use crate::http::web::pages::event_cancel::{public_form, public_page};
use crate::http::web::pages::t;
use crate::http::web::session::requested_language;
use crate::http::web::{attempt, WebError};

#[derive(Serialize)]
struct SignupPage {
    title: String,
    kind: String,
    when: String,
    location: Option<String>,
    audience: Option<String>,
    description: Option<String>,
    places: String,
    closes: String,
    /// Why no form is shown: sign-up has closed.
    closed: Option<String>,
    form: Option<FormView>,
    /// After signing up: what the registrant is told.
    receipt: Option<String>,
}

fn path_of(event_id: &str) -> String {
    format!("/events/{event_id}")
}

fn signup_form(lang: Language, event_id: &str, choices: &SignupChoices) -> FormView {
    let restricted = !matches!(
        choices.event.open_to,
        crate::app::event_inputs::OpenToBody::Everyone(_)
    );
    let mut organisations = vec![(
        String::new(),
        t(
            lang,
            if restricted {
                "event_signup.choose_organisation"
            } else {
                "event_signup.no_organisation"
            },
        ),
    )];
    organisations.extend(
        choices
            .organisations
            .iter()
            .map(|o| (o.id.clone(), o.label.clone())),
    );
    let mut units = vec![(String::new(), t(lang, "event_signup.no_unit"))];
    units.extend(
        choices
            .units
            .iter()
            .map(|u| (u.id.clone(), u.label.clone())),
    );
    let form = FormView::new("signup", path_of(event_id), t(lang, "event_signup.submit"))
        .field("name", "text", t(lang, "field.person_name"))
        .required()
        .autocomplete("name")
        .field("email", "email", t(lang, "field.email"))
        .required()
        .autocomplete("email")
        .hint(t(lang, "event_signup.email_hint"))
        .field("organisation_id", "select", t(lang, "field.organisation"))
        .name_choices(organisations);
    let form = if restricted { form.required() } else { form };
    form.field("unit_id", "select", t(lang, "event_signup.unit"))
        .name_choices(units)
        .hint(t(lang, "event_signup.unit_hint"))
        .hidden("language", lang.as_str())
}

/// How many places are left, in a sentence.
fn places(lang: Language, event: &Event) -> String {
    match (event.capacity, event.seats_left) {
        (Some(capacity), Some(left)) if left > 0 => text(
            lang,
            "event_signup.places_left",
            &[
                ("left", left.to_string()),
                ("capacity", capacity.to_string()),
            ],
        ),
        (Some(_), _) => t(lang, "event_signup.full"),
        (None, _) => t(lang, "event_signup.places_unlimited"),
    }
}

fn page_of(lang: Language, choices: &SignupChoices) -> SignupPage {
    let event = &choices.event;
    let closed = (!event.registration_open).then(|| {
        t(
            lang,
            if event.seats_left == Some(0) {
                "event_signup.full_and_closed"
            } else {
                "event_signup.closed"
            },
        )
    });
    SignupPage {
        title: event.title.clone(),
        kind: glossary::session_kind(lang, event.kind).to_string(),
        when: text(
            lang,
            "event_signup.when_value",
            &[
                ("start", dates::date_time(event.starts_at, lang)),
                ("end", dates::time(event.ends_at, lang)),
            ],
        ),
        location: event.location.clone(),
        audience: event.audience.clone(),
        description: event.description.clone(),
        places: places(lang, event),
        closes: dates::date_time(event.registration_closes_at, lang),
        form: closed
            .is_none()
            .then(|| signup_form(lang, &event.id, choices).finish()),
        closed,
        receipt: None,
    }
}

fn render(
    state: &AppState,
    lang: Language,
    pre: (&str, bool),
    (path, page): (&str, &SignupPage),
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let title = page.title.clone();
    public_page(
        state,
        (lang, title, path),
        pre,
        ("event_signup", page),
        status,
    )
}

async fn choices_of(
    state: &web::Data<AppState>,
    lang: Language,
    event_id: String,
) -> Result<SignupChoices, WebError> {
    let s = state.clone();
    crate::http::web::blocking(lang, move || signup_choices(&s, &event_id)).await
}

/// `GET /events/{id}`: the event and the form while sign-up is open; 404 for an
/// unknown event.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = requested_language(&req).unwrap_or_default();
    let event_id = path.into_inner();
    let (pre, fresh) = pre_secret(&req);
    let choices = choices_of(&state, lang, event_id.clone()).await?;
    let page = page_of(lang, &choices);
    let path = path_of(&event_id);
    render(&state, lang, (&pre, fresh), (&path, &page), StatusCode::OK)
}

/// The form read into the API's request; the use case checks it whole.
fn request(form: &FormData, lang: Language) -> NewRegistration {
    NewRegistration {
        name: form.text("name").as_str().into(),
        email: EmailAddress::sent(&form.text("email")),
        organisation_id: form.optional("organisation_id"),
        unit_id: form.optional("unit_id"),
        language: Some(lang),
    }
}

/// The refused form: what was typed, each error next to its field and in the form's
/// error summary.
fn refused(lang: Language, choices: &SignupChoices, feedback: &Feedback) -> FormView {
    let mut view = signup_form(lang, &choices.event.id, choices);
    view.apply(feedback, &|r| r.key.clone());
    view.finish()
}

/// `POST /events/{id}`: signs up and says confirmed or waitlisted, or shows the form
/// again with the refusal.
pub async fn sign_up(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let (lang, pre) = public_form(&req, &form)?;
    let event_id = path.into_inner();
    let path = path_of(&event_id);
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let input = request(&form, lang);
    let (name, email) = (input.name.as_str().to_string(), form.text("email"));
    let (s, id) = (state.clone(), event_id.clone());
    let outcome = attempt(lang, move || open_events::register(&s, &client, &id, input)).await?;
    let choices = choices_of(&state, lang, event_id).await?;
    let mut page = page_of(lang, &choices);
    match outcome {
        Ok(receipt) => {
            let key = match receipt.status {
                RegistrationStatus::Waitlisted => "event_signup.waitlisted",
                _ => "event_signup.confirmed",
            };
            page.receipt = Some(text(
                lang,
                key,
                &[("name", name), ("email", email.to_lowercase())],
            ));
            page.form = None;
            render(&state, lang, (&pre, false), (&path, &page), StatusCode::OK)
        }
        Err(error) => {
            let retry_after = match &error {
                AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            let mut feedback = Feedback::from_error("signup", error, lang, &form)?;
            if let Some(secs) = retry_after {
                // The shared refusal speaks of log-ins; this throttle is the sign-up's.
                feedback.message = Some(text(
                    lang,
                    "event_signup.throttled",
                    &[("minutes", secs.div_ceil(60).to_string())],
                ));
            }
            // Closed since the page was opened: the page's sentence says so, no form.
            if page.closed.is_none() {
                page.form = Some(refused(lang, &choices, &feedback));
            }
            let mut response =
                render(&state, lang, (&pre, false), (&path, &page), feedback.status)?;
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            Ok(response)
        }
    }
}

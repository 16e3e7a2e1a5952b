//! `/profile`: every signed-in person's own name, language and password, and their
//! data as a file. A new password needs the current one and ends every other session.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use validator::Validate;

use super::admin_people::language_name;
use super::admin_users::download;
use super::t;
use crate::app::error::AppError;
use crate::app::name::Name;
use crate::app::validation::checked;
use crate::app::{password_reset, users, AppState};
use crate::domain::Language;
use crate::http::client_address::client_address;
use crate::http::web::forms::{Feedback, FormData, FormView, Unread};
use crate::http::web::session::{self, Viewer};
use crate::http::web::{attempt, page, see_other, WebError};

/// The profile form, checked as a user's name is anywhere else.
#[derive(Debug, Validate)]
struct OwnProfile {
    #[validate(length(min = 1, max = 200))]
    #[validate(custom(function = "crate::app::name::printable"))]
    name: Name,
    language: Language,
}

#[derive(Serialize)]
struct ProfilePage {
    email: String,
    role: String,
    profile: FormView,
    password: FormView,
    export_href: &'static str,
}

fn profile_form(viewer: &Viewer) -> FormView {
    let lang = viewer.lang;
    FormView::new("profile", "/profile", t(lang, "action.save"))
        .field("name", "text", t(lang, "field.person_name"))
        .required()
        .autocomplete("name")
        .value(viewer.user.name.clone())
        .field("language", "select", t(lang, "field.language"))
        .choices(vec![
            ("sv".into(), language_name(lang, Language::Sv)),
            ("en".into(), language_name(lang, Language::En)),
        ])
        .value(viewer.user.language.as_str())
}

fn password_form(lang: Language) -> FormView {
    FormView::new(
        "profile_password",
        "/profile/password",
        t(lang, "profile.change_password"),
    )
    .field(
        "current_password",
        "password",
        t(lang, "field.current_password"),
    )
    .required()
    .autocomplete("current-password")
    .field("password", "password", t(lang, "field.next_password"))
    .required()
    .autocomplete("new-password")
    .hint(t(lang, "hint.password_change"))
}

fn render(
    state: &AppState,
    viewer: &Viewer,
    profile: FormView,
    password: FormView,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let data = ProfilePage {
        email: viewer.user.email.clone(),
        role: crate::glossary::role(lang, viewer.actor.role).to_string(),
        profile: profile.finish(),
        password: password.finish(),
        export_href: "/profile/export",
    };
    page(
        state,
        viewer,
        "profile",
        t(lang, "profile.title"),
        status,
        &data,
    )
}

/// `GET /profile`.
pub async fn show(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    render(
        &state,
        &viewer,
        profile_form(&viewer),
        password_form(viewer.lang),
        StatusCode::OK,
    )
}

/// `POST /profile`: name and language; every error next to its field at once.
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = (|| -> Result<OwnProfile, AppError> {
        let mut unread = Unread::default();
        let language = unread.keep(form.word::<Language>("language"));
        let Some(language) = language else {
            return Err(unread.refusal());
        };
        checked(OwnProfile {
            name: form.text("name").into(),
            language,
        })
    })();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        let input = input?;
        users::update_own(&s, &actor, input.name.as_str(), input.language)
    })
    .await?;
    match outcome {
        Ok(user) => {
            let mut response = see_other(&state, "/profile", Some("profile_saved"));
            let _ = response.add_cookie(&session::cookie(
                &state,
                session::LANG_COOKIE,
                user.language.as_str().into(),
                Some(365 * 86400),
            ));
            Ok(response)
        }
        Err(e) => {
            let feedback = Feedback::from_error("profile", e, viewer.lang, &form)?;
            let mut view = profile_form(&viewer);
            view.apply(&feedback, &|r| r.key.clone());
            render(
                &state,
                &viewer,
                view,
                password_form(viewer.lang),
                feedback.status,
            )
        }
    }
}

/// `POST /profile/password`: the current password and a new one; every other
/// session and token of the person ends, this one stays.
pub async fn change_password(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let current = form.get("current_password").unwrap_or("").to_string();
    let new = form.get("password").unwrap_or("").to_string();
    let keep = req
        .cookie(session::SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let (s, id) = (state.clone(), viewer.actor.id.clone());
    let outcome = attempt(viewer.lang, move || {
        password_reset::change_own(&s, &id, &current, &new, keep.as_deref(), &client)
    })
    .await?;
    match outcome {
        Ok(()) => Ok(see_other(&state, "/profile", Some("password_changed"))),
        Err(e) => {
            let mut feedback = Feedback::from_error("profile_password", e, viewer.lang, &form)?;
            feedback.values.retain(|(k, _)| k != "current_password");
            let mut view = password_form(viewer.lang);
            view.apply(&feedback, &|r| r.key.clone());
            render(
                &state,
                &viewer,
                profile_form(&viewer),
                view,
                feedback.status,
            )
        }
    }
}

/// `GET /profile/export`: the person's own data as a JSON file.
pub async fn export(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let id = viewer.actor.id.clone();
    download(&state, &viewer, id, &req).await
}

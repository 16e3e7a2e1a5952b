//! One user's page for the admin (`/admin/users/{id}`): change the name, role,
//! organisation, unit and language; close or reopen the account; erase the person
//! (asks first); download their data.

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::admin_people::{account_state, language_name, placement_fields};
use super::confirm::{self, Confirmation};
use super::{all, t};
use crate::app::error::AppError;
use crate::app::inputs::UserPatch;
use crate::app::validation::checked;
use crate::app::views::User;
use crate::app::{organisations, personal_data, users, AppState};
use crate::domain::{Language, Role};
use crate::glossary;
use crate::http::client_address::client_address;
use crate::http::web::forms::{Feedback, FormData, FormView, Unread};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct UserPage {
    user: User,
    role: String,
    language: String,
    status: String,
    form: FormView,
    /// Close or reopen: the form's action, its button and whether it closes.
    active_action: String,
    active_label: String,
    closes: bool,
    erase_action: String,
    export_href: String,
    back: &'static str,
}

fn edit_form(
    lang: Language,
    user: &User,
    orgs: Vec<(String, String)>,
    units: Vec<(String, String)>,
) -> FormView {
    let form = FormView::new(
        "user_edit",
        format!("/admin/users/{}", user.id),
        t(lang, "action.save"),
    )
    .field("name", "text", t(lang, "field.person_name"))
    .required()
    .autocomplete("off")
    .value(user.name.clone());
    placement_fields(form, lang, orgs, units, Some(user))
}

async fn render_user(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (user, orgs, units) = blocking(lang, move || {
        let user = users::get(&s, &actor, &id)?;
        let orgs = organisations::list(&s, &actor, all())?.items;
        let units = organisations::list_units(&s, &actor, None, all())?.items;
        Ok((user, orgs, units))
    })
    .await?;
    let mut form = edit_form(
        lang,
        &user,
        orgs.into_iter().map(|o| (o.id, o.name)).collect(),
        units.into_iter().map(|u| (u.id, u.name)).collect(),
    );
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    if let Some(f) = &feedback {
        form.apply(f, &|r| r.key.clone());
    }
    let base = format!("/admin/users/{}", user.id);
    let data = UserPage {
        role: glossary::role(lang, user.role).to_string(),
        language: language_name(lang, user.language),
        status: account_state(lang, user.active),
        form: form.finish(),
        active_action: format!("{base}/active"),
        active_label: t(
            lang,
            if user.active {
                "users.deactivate"
            } else {
                "users.reactivate"
            },
        ),
        closes: user.active,
        erase_action: format!("{base}/erase"),
        export_href: format!("{base}/export"),
        back: "/admin/users",
        user,
    };
    let title = data.user.name.clone();
    page(state, viewer, "user", title, status, &data)
}

/// `GET /admin/users/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_user(&state, &viewer, id.into_inner(), None).await
}

/// The edit form as a patch: every field is sent, an empty select clears it.
fn patch_of(form: &FormData) -> Result<UserPatch, AppError> {
    let mut unread = Unread::default();
    let role = unread.keep(form.word::<Role>("role"));
    let language = unread.keep(form.word::<Language>("language"));
    let (Some(role), Some(language)) = (role, language) else {
        return Err(unread.refusal());
    };
    // An empty name is left to the use case, which names it with the placement's
    // errors, so every error shows at once.
    let name = form.text("name");
    let mut patch = checked(UserPatch {
        name: (!name.trim().is_empty()).then(|| name.clone().into()),
        role: Some(role),
        organisation_id: Some(form.optional("organisation_id")),
        unit_id: Some(form.optional("unit_id")),
        language: Some(language),
        active: None,
    })?;
    if patch.name.is_none() {
        patch.name = Some(name.into());
    }
    Ok(patch)
}

/// `POST /admin/users/{id}`: saves the edit form; errors next to their fields.
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = id.into_inner();
    match apply(&state, &viewer, &id, patch_of(&form), &req).await? {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/admin/users/{id}"),
            Some("user_saved"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("user_edit", e, viewer.lang, &form)?;
            render_user(&state, &viewer, id, Some(feedback)).await
        }
    }
}

/// Changes the user as the admin asks, from the client `req` came from.
async fn apply(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    patch: Result<UserPatch, AppError>,
    req: &HttpRequest,
) -> Result<Result<User, AppError>, WebError> {
    let client = client_address(req, &state.settings.server.trusted_proxies);
    let (s, actor, who) = (state.clone(), viewer.actor.clone(), id.to_string());
    attempt(viewer.lang, move || {
        users::patch(&s, &actor, &who, patch?, &client)
    })
    .await
}

/// `POST /admin/users/{id}/active`: `active=false` closes the account (every session
/// ends at once), `active=true` reopens it.
pub async fn set_active(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = id.into_inner();
    let active = form.text("active") == "true";
    let patch = UserPatch {
        name: None,
        role: None,
        organisation_id: None,
        unit_id: None,
        language: None,
        active: Some(active),
    };
    apply(&state, &viewer, &id, Ok(patch), &req)
        .await?
        .map_err(|e| WebError::app(e, viewer.lang))?;
    let flash = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    Ok(see_other(
        &state,
        &format!("/admin/users/{id}"),
        Some(flash),
    ))
}

/// `POST /admin/users/{id}/erase`: asks first (`step=review`), then erases.
pub async fn erase(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let lang = viewer.lang;
    let id = id.into_inner();
    if !confirm::confirmed(&form) {
        let (s, actor, who) = (state.clone(), viewer.actor.clone(), id.clone());
        let user = blocking(lang, move || users::get(&s, &actor, &who)).await?;
        return confirm::ask(
            &state,
            &viewer,
            &Confirmation {
                id: "erase_user".into(),
                action: format!("/admin/users/{id}/erase"),
                title: t(lang, "users.erase_title"),
                question: t(lang, "users.erase_question"),
                facts: vec![
                    (t(lang, "field.person_name"), user.name),
                    (t(lang, "field.email"), user.email),
                ],
                hidden: Vec::new(),
                confirm: t(lang, "users.erase"),
                destructive: true,
                back: format!("/admin/users/{id}"),
            },
        );
    }
    let client = client_address(&req, &state.settings.server.trusted_proxies);
    let (s, actor, who) = (state.clone(), viewer.actor.clone(), id.clone());
    blocking(lang, move || {
        personal_data::erase(&s, &actor, &who, &client)
    })
    .await?;
    Ok(see_other(
        &state,
        &format!("/admin/users/{id}"),
        Some("user_erased"),
    ))
}

/// `GET /admin/users/{id}/export` and `GET /profile/export`: the person's data as a
/// JSON file.
pub async fn export(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    download(&state, &viewer, id.into_inner(), &req).await
}

pub(crate) async fn download(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    req: &HttpRequest,
) -> Result<HttpResponse, WebError> {
    let client = client_address(req, &state.settings.server.trusted_proxies);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let data = blocking(viewer.lang, move || {
        personal_data::export(&s, &actor, &id, &client)
    })
    .await?;
    let body = serde_json::to_string_pretty(&data)
        .map_err(|e| WebError::internal(&format!("export: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"stegvis-{}.json\"", data.profile.id),
        ))
        .body(body))
}

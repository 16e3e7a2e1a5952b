//! A programme's pages (admin): a new programme with its path, a programme's page with
//! its versions, its path in words and the editor for its next version.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::programme_draft::{Draft, Op};
use super::programme_editor::{preview_of, PreviewStage};
use super::{all, t};
use crate::app::error::AppError;
use crate::app::programmes::{self, Programme};
use crate::app::AppState;
use crate::domain::policy::{authorize, may, Action, Target};
use crate::domain::{Path, ProgrammeRules};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

const FORM: &str = "programme-editor";

#[derive(Serialize)]
struct EditorPage {
    form: FormView,
    preview: Option<Vec<PreviewStage>>,
}

fn may_create(viewer: &Viewer) -> Result<(), WebError> {
    authorize(&viewer.actor, Action::CreateProgramme, &Target::DEPLOYMENT)
        .map_err(|denied| WebError::app(AppError::from(denied), viewer.lang))
}

/// The editor of `draft` with the refusal `feedback` on its fields.
fn editor(
    viewer: &Viewer,
    draft: &Draft,
    action: String,
    new: bool,
    feedback: Option<&Feedback>,
) -> EditorPage {
    let mut form = draft.view(viewer.lang, FORM, action, new);
    if let Some(feedback) = feedback {
        let mut placed = feedback.clone();
        for error in &mut placed.errors {
            error.field = draft.field_of(&error.field);
        }
        // The form already holds what was typed; the posted names may have moved
        // with a removed requirement.
        placed.values.clear();
        form.apply(&placed, &|r| r.key.clone());
    }
    EditorPage {
        form: form.finish(),
        preview: draft.preview(viewer.lang),
    }
}

fn render_new(
    state: &AppState,
    viewer: &Viewer,
    draft: &Draft,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = editor(
        viewer,
        draft,
        "/admin/programmes/new".into(),
        true,
        feedback.as_ref(),
    );
    let title = t(viewer.lang, "programme.new_title");
    page(state, viewer, "programme_new", title, status, &data)
}

/// `GET /admin/programmes/new`.
pub async fn new_page(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, WebError> {
    may_create(&viewer)?;
    render_new(&state, &viewer, &Draft::of(None), None)
}

/// What a posted editor asks: a changed form to show again, or a programme to save.
fn edited(form: &FormData) -> (Draft, Op) {
    let mut draft = Draft::read(form);
    let op = Op::of(form);
    draft.apply(&op);
    (draft, op)
}

/// The key a client posted (the pages post none: it is made from the name).
fn draft_key(draft: &Draft) -> Option<String> {
    Some(draft.key.trim().to_string()).filter(|key| !key.is_empty())
}

/// `POST /admin/programmes/new`: saves the programme, or shows the form again with a
/// requirement added or removed, or with the checklist.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    may_create(&viewer)?;
    let (draft, op) = edited(&form);
    if op != Op::Save {
        return render_new(&state, &viewer, &draft, None);
    }
    let (s, actor, saved) = (state.clone(), viewer.actor.clone(), draft.clone());
    let outcome = attempt(viewer.lang, move || {
        let key = match draft_key(&saved) {
            Some(key) => key,
            None => programmes::new_key(&s, &saved.name)?,
        };
        programmes::create(&s, &actor, saved.input(Some(&key))?)
    });
    match outcome.await? {
        Ok(p) => Ok(see_other(
            &state,
            &format!("/admin/programmes/{}", p.id),
            Some("programme_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error(FORM, e, viewer.lang, &form)?;
            render_new(&state, &viewer, &draft, Some(feedback))
        }
    }
}

#[derive(Serialize)]
struct Version {
    href: String,
    label: String,
    current: bool,
}

#[derive(Serialize)]
struct ProgrammePage {
    name: String,
    key: String,
    version: i32,
    description: Option<String>,
    validity: String,
    versions: Vec<Version>,
    path: Vec<PreviewStage>,
    migrate_href: Option<String>,
    editor: Option<EditorPage>,
}

/// The rules of a stored programme, for its path in words.
fn rules_of(p: &Programme) -> Result<ProgrammeRules, AppError> {
    let path = Path::from_plans(p.path.clone())
        .map_err(|_| AppError::Internal(format!("programme {} has a bad path", p.id)))?;
    Ok(ProgrammeRules {
        path,
        ..ProgrammeRules::inclusion_standard()
    })
}

async fn render_programme(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    draft: Option<Draft>,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let s = state.clone();
    let (programme, versions) = blocking(lang, move || {
        let p = programmes::get(&s, &id)?;
        let mut versions: Vec<Programme> = programmes::list(&s, all())?
            .items
            .into_iter()
            .filter(|v| v.key == p.key)
            .collect();
        versions.sort_by_key(|v| v.version);
        Ok((p, versions))
    })
    .await?;
    let rules = rules_of(&programme).map_err(|e| WebError::app(e, lang))?;
    let admin = may(&viewer.actor, Action::CreateProgramme, &Target::DEPLOYMENT);
    let draft = draft.unwrap_or_else(|| Draft::of(Some(&programme)));
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = ProgrammePage {
        versions: versions
            .iter()
            .map(|v| Version {
                href: format!("/admin/programmes/{}", v.id),
                label: format!("{} {}", t(lang, "case.version"), v.version),
                current: v.id == programme.id,
            })
            .collect(),
        path: preview_of(&rules, lang),
        migrate_href: admin.then(|| format!("/admin/programmes/{}/migrate", programme.id)),
        editor: admin.then(|| {
            let action = format!("/admin/programmes/{}", programme.id);
            editor(viewer, &draft, action, false, feedback.as_ref())
        }),
        validity: text(
            lang,
            "programme.months",
            &[("months", programme.validity_months.to_string())],
        ),
        name: programme.name.clone(),
        key: programme.key.clone(),
        version: programme.version,
        description: programme.description.clone(),
    };
    let title = format!(
        "{} ({} {})",
        programme.name,
        t(lang, "case.version"),
        programme.version
    );
    page(state, viewer, "programme", title, status, &data)
}

/// `GET /admin/programmes/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_programme(&state, &viewer, id.into_inner(), None, None).await
}

/// `POST /admin/programmes/{id}`: the next version of the programme, from the editor.
pub async fn create_version(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    may_create(&viewer)?;
    let id = id.into_inner();
    let (draft, op) = edited(&form);
    if op != Op::Save {
        return render_programme(&state, &viewer, id, Some(draft), None).await;
    }
    let (s, actor, pid) = (state.clone(), viewer.actor.clone(), id.clone());
    let input_draft = draft.clone();
    let outcome = attempt(viewer.lang, move || {
        let current = programmes::get(&s, &pid)?;
        programmes::create(&s, &actor, input_draft.input(Some(&current.key))?)
    })
    .await?;
    match outcome {
        Ok(p) => Ok(see_other(
            &state,
            &format!("/admin/programmes/{}", p.id),
            Some("programme_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error(FORM, e, viewer.lang, &form)?;
            render_programme(&state, &viewer, id, Some(draft), Some(feedback)).await
        }
    }
}

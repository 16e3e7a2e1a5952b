//! Notes on a held session: what the group worked on, never anything about an
//! individual (the form says so beside the field). Written when or after the session
//! is held; saving mails them to the unit's contacts (`app::cases::change_session`).

use actix_web::{web, HttpResponse};

use super::case_forms::finish;
use super::t;
use crate::app::case_views::Case;
use crate::app::cases;
use crate::app::inputs::SessionPatch;
use crate::app::views::Session;
use crate::app::AppState;
use crate::domain::Language;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, WebError};

/// The notes form of session `s`, holding its notes so far.
pub fn notes_form(
    lang: Language,
    case: &Case,
    s: &Session,
    feedback: Option<&Feedback>,
) -> FormView {
    let mut form = FormView::new(
        format!("notes-{}", s.id),
        format!("/cases/{}/sessions/{}/notes", case.id, s.id),
        t(lang, "action.notes"),
    )
    .field(
        "notes",
        "textarea",
        text(lang, "field.notes_of", &[("title", s.title.clone())]),
    )
    .value(s.notes.clone().unwrap_or_default())
    .hint(t(lang, "hint.notes"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

/// `POST /cases/{id}/sessions/{sid}/notes`.
pub async fn save(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, session_id) = path.into_inner();
    let form_id = format!("notes-{session_id}");
    let input = SessionPatch::try_from(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::change_session(&s, &actor, &cid, &session_id, input?)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "notes_saved",
    )
    .await
}

//! The case page's forms: each reads its fields into the app's typed inputs
//! (checked exactly as the API checks them, `http::web::inputs`), calls the same
//! service function, and redirects (Post/Redirect/Get) or shows the page again with
//! the refusal.

use actix_web::{web, HttpResponse};

use super::confirm::confirmed;
use super::{case, case_confirm};
use crate::app::cases::{self, Precondition};
use crate::app::error::AppError;
use crate::app::inputs::{FindingResolution, NewSession, SessionPatch, TransitionRequest};
use crate::app::AppState;
use crate::domain::{FieldError, Measure};
use crate::http::web::forms::{return_to, Feedback, FormData};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, see_other, WebError};

/// Answers a form: on success a redirect with a flash message, else the case page
/// with the refusal next to the form.
pub async fn finish<T>(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form_id: &str,
    form: &FormData,
    outcome: Result<T, AppError>,
    flash: &str,
) -> Result<HttpResponse, WebError> {
    match outcome {
        Ok(_) => {
            let to = return_to(form, format!("/cases/{case_id}"));
            Ok(see_other(&state, &to, Some(flash)))
        }
        Err(error) => {
            let feedback = Feedback::from_error(form_id, error, viewer.lang, form)?;
            case::render(&state, &viewer, case_id, Some(feedback)).await
        }
    }
}

async fn refused(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form_id: &str,
    form: &FormData,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let feedback = Feedback::invalid(form_id, viewer.lang, errors, form);
    case::render(&state, &viewer, case_id, Some(feedback)).await
}

/// Schedules a session; local times are read as Stockholm time.
pub async fn schedule(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let input = NewSession::try_from(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::schedule_session(&s, &actor, &cid, input?)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        "schedule",
        &form,
        outcome,
        "session_scheduled",
    )
    .await
}

/// Records how many attended a session.
pub async fn attendance(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, session_id) = path.into_inner();
    let form_id = format!("attendance-{session_id}");
    let attended = match form.number("attended") {
        Ok(n) => n,
        Err(e) => return refused(state, viewer, case_id, &form_id, &form, vec![e]).await,
    };
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::record_attendance(&s, &actor, &cid, &session_id, attended)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "attendance_recorded",
    )
    .await
}

/// Cancels a session that has no attendance recorded, once asked and confirmed.
pub async fn cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, session_id) = path.into_inner();
    if !confirmed(&form) {
        return case_confirm::review_cancel(state, viewer, case_id, session_id).await;
    }
    let form_id = format!("cancel-{session_id}");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::cancel_session(&s, &actor, &cid, &session_id)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "session_cancelled",
    )
    .await
}

/// Records how many completed their reflection (only the count).
pub async fn reflections(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    measure(state, viewer, id.into_inner(), form, Measure::Reflections).await
}

/// Records how many of the staff are trained (only the count).
pub async fn trained(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    measure(state, viewer, id.into_inner(), form, Measure::Trained).await
}

/// A measure's count from its form (`completed`); the form and its flash are named
/// after the measure.
async fn measure(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form: FormData,
    measure: Measure,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let form_id = measure.as_str();
    let completed = match form.number("completed") {
        Ok(n) => n,
        Err(e) => return refused(state, viewer, case_id, form_id, &form, vec![e]).await,
    };
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::record_measure(&s, &actor, &cid, measure, completed)
    })
    .await?;
    let flash = format!("{form_id}_recorded");
    finish(state, viewer, case_id, form_id, &form, outcome, &flash).await
}

/// Resolves one finding of the last audit.
pub async fn resolve(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, finding_id) = path.into_inner();
    let form_id = format!("resolve-{finding_id}");
    let input = FindingResolution::try_from(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::resolve_finding(&s, &actor, &cid, &finding_id, &input?.resolution)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "finding_resolved",
    )
    .await
}

/// The version the page showed, sent back as If-Match.
pub fn precondition(form: &FormData) -> Precondition {
    match form.text("version").parse::<i64>() {
        Ok(v) => Precondition::Version(v),
        Err(_) => Precondition::Unmatchable(form.text("version").chars().take(20).collect()),
    }
}

/// advance, request_audit, pause, resume, withdraw, renew, suspend, reinstate, revoke;
/// withdraw, suspend and revoke run only once confirmed (`case_confirm`).
pub async fn transition(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let action = form.text("action");
    if case_confirm::asks_first(&action) && !confirmed(&form) {
        return case_confirm::review_transition(state, viewer, case_id, form).await;
    }
    let input = TransitionRequest::try_from(&form);
    let precondition = precondition(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::transition(&s, &actor, &cid, precondition, input?)
    })
    .await?;
    let flash = format!("done_{action}");
    let form_id = if action.is_empty() {
        "advance".to_string()
    } else {
        action.clone()
    };
    finish(state, viewer, case_id, &form_id, &form, outcome, &flash).await
}

/// `POST /cases/{id}/sessions/{sid}/notes`: the notes of a session (the rest of it
/// stays as it is).
pub async fn notes(
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

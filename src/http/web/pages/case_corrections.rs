//! The case page's corrections: an attendance figure or a finding's resolution saved
//! against the wrong item, put right with a reason (`app::corrections`; each a new
//! event in the history). A blank figure clears the attendance; a blank resolution
//! opens the finding again.

use actix_web::{web, HttpResponse};

use super::case;
use super::case_forms::finish;
use crate::app::corrections;
use crate::app::AppState;
use crate::domain::{FieldCode, FieldError};
use crate::http::web::forms::{Feedback, FormData};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, WebError};

/// The reason's error when it is blank, so that a form with a bad figure too names
/// both at once.
fn blank_reason(form: &FormData) -> Option<FieldError> {
    form.optional("reason")
        .is_none()
        .then(|| FieldError::coded("reason", FieldCode::Required, "must not be empty"))
}

/// `POST /cases/{id}/sessions/{sid}/attendance/correction`.
pub async fn attendance(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, session_id) = path.into_inner();
    let form_id = format!("correct-attendance-{session_id}");
    let attended = match form.optional_number("attended") {
        Ok(n) => n,
        Err(e) => {
            let errors = std::iter::once(e).chain(blank_reason(&form)).collect();
            let feedback = Feedback::invalid(&form_id, viewer.lang, errors, &form);
            return case::render(&state, &viewer, case_id, Some(feedback)).await;
        }
    };
    let reason = form.text("reason");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        corrections::correct_attendance(&s, &actor, &cid, &session_id, attended, &reason)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "attendance_corrected",
    )
    .await
}

/// `POST /cases/{id}/findings/{fid}/correction`.
pub async fn resolution(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, finding_id) = path.into_inner();
    let form_id = format!("correct-resolution-{finding_id}");
    let resolution = form.optional("resolution");
    let reason = form.text("reason");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        corrections::correct_resolution(&s, &actor, &cid, &finding_id, resolution, &reason)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        &form_id,
        &form,
        outcome,
        "resolution_corrected",
    )
    .await
}

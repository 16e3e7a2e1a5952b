//! The case page's forms: each parses its fields into the API's own input types
//! (validated exactly as the API validates them), calls the same service function,
//! and redirects (Post/Redirect/Get) or shows the page again with the refusal.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::case;
use crate::app::cases::{self, Precondition};
use crate::app::error::AppError;
use crate::app::inputs::{NewEvidence, NewSession, TransitionRequest};
use crate::app::AppState;
use crate::domain::{FieldCode, FieldError, Measure};
use crate::http::api::extract::parse_json;
use crate::http::web::forms::{Feedback, FormData};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, see_other, time, WebError};

/// Where to go after a form: the page it came from, if it is one of ours.
pub fn return_to(form: &FormData, default: String) -> String {
    form.get("return_to")
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .map(String::from)
        .unwrap_or(default)
}

/// A JSON body built from form fields, parsed like the API parses it.
pub fn as_input<T: serde::de::DeserializeOwned + validator::Validate>(
    body: Value,
) -> Result<T, AppError> {
    parse_json(body.to_string().as_bytes())
}

/// A whole number from a field, or the error naming it.
pub fn number(form: &FormData, field: &str) -> Result<i64, FieldError> {
    form.text(field)
        .parse::<i64>()
        .map_err(|_| FieldError::coded(field, FieldCode::WholeNumber, "must be a whole number"))
}

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
    let mut errors = Vec::new();
    let mut when = |field: &str| match time::parse_input(&form.text(field)) {
        Some(at) => Value::String(at.to_rfc3339()),
        None => {
            errors.push(FieldError::coded(
                field,
                FieldCode::DateTime,
                "must be a date and time",
            ));
            Value::Null
        }
    };
    let (starts_at, ends_at) = (when("starts_at"), when("ends_at"));
    if !errors.is_empty() {
        return refused(state, viewer, case_id, "schedule", &form, errors).await;
    }
    let body = json!({"kind": form.text("kind"), "title": form.text("title"), "starts_at": starts_at, "ends_at": ends_at, "location": form.optional("location")});
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        let input: NewSession = as_input(body)?;
        cases::schedule_session(&s, &actor, &cid, input)
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
    let attended = match number(&form, "attended") {
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

/// Cancels a session that has no attendance recorded.
pub async fn cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, session_id) = path.into_inner();
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
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let completed = match number(&form, "completed") {
        Ok(n) => n,
        Err(e) => return refused(state, viewer, case_id, "reflections", &form, vec![e]).await,
    };
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::record_measure(&s, &actor, &cid, Measure::Reflections, completed)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        "reflections",
        &form,
        outcome,
        "reflections_recorded",
    )
    .await
}

/// Adds evidence in a routine area.
pub async fn evidence(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let body = json!({"area": form.text("area"), "description": form.text("description"), "link": form.optional("link")});
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        let input: NewEvidence = as_input(body)?;
        cases::add_evidence(&s, &actor, &cid, input)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        "evidence",
        &form,
        outcome,
        "evidence_added",
    )
    .await
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
    let resolution = form.text("resolution");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        let input: crate::app::inputs::FindingResolution =
            as_input(json!({"resolution": resolution}))?;
        cases::resolve_finding(&s, &actor, &cid, &finding_id, &input.resolution)
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

/// advance, request_audit, pause, resume, withdraw, renew, suspend, reinstate, revoke.
pub async fn transition(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let action = form.text("action");
    let mut body = json!({"action": action, "comment": form.optional("comment")});
    if action == "request_audit" {
        body["auditor_id"] = json!(form.optional("auditor_id"));
    }
    let precondition = precondition(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        let input: TransitionRequest = as_input(body)?;
        cases::transition(&s, &actor, &cid, precondition, input)
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

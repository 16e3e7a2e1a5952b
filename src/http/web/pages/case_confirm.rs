//! The case page's steps that cannot be undone — withdraw the case, suspend or revoke
//! its certificate, cancel a meeting — each sent twice: the first send is checked by
//! the rules the use case applies (the policy, where the case stands, the reason the
//! history keeps) and answered with a confirmation page, storing nothing; only the
//! confirmation (`step=confirm`) runs the use case.

use actix_web::{web, HttpResponse};

use super::case;
use super::confirm::{ask, Confirmation};
use super::t;
use crate::app::error::AppError;
use crate::app::inputs::{Action as Move, TransitionRequest};
use crate::app::{case_page, cases, AppState};
use crate::domain::decide::check_transition_comment;
use crate::domain::{session_admits, CaseAction, SessionStanding};
use crate::http::web::forms::{return_to, Feedback, FormData};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, time, WebError};

/// The transitions the case page asks about first, as the form names them.
const ASKED_FIRST: [&str; 3] = ["withdraw", "suspend", "revoke"];

/// True when the transition form's `action` asks to confirm before it runs.
pub fn asks_first(action: &str) -> bool {
    ASKED_FIRST.contains(&action)
}

/// The case action a transition's word stands for (only those asked about first).
fn case_action(action: Move) -> Option<CaseAction> {
    match action {
        Move::Withdraw => Some(CaseAction::Withdraw),
        Move::Suspend => Some(CaseAction::Suspend),
        Move::Revoke => Some(CaseAction::Revoke),
        _ => None,
    }
}

/// Shows the case page with `error` next to the form `form_id`.
async fn refused(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form_id: &str,
    form: &FormData,
    error: AppError,
) -> Result<HttpResponse, WebError> {
    let feedback = Feedback::from_error(form_id, error, viewer.lang, form)?;
    case::render(&state, &viewer, case_id, Some(feedback)).await
}

/// The first send of a withdrawal, suspension or revocation: checked, then asked about.
pub async fn review_transition(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let word = form.text("action");
    let input = TransitionRequest::try_from(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let checked = attempt(lang, move || {
        let input = input?;
        let action = case_action(input.action).ok_or(AppError::NotFound)?;
        let comment = check_transition_comment(action, input.comment.as_deref())?;
        case_page::allowed(&s, &actor, &cid, action)?;
        let organisation = case_page::organisation_name(&s, &actor, &cid)?;
        let unit = cases::get(&s, &actor, &cid)?.unit.name;
        Ok((comment, unit, organisation))
    })
    .await?;
    let (comment, unit, organisation) = match checked {
        Ok(found) => found,
        Err(error) => return refused(state, viewer, case_id, &word, &form, error).await,
    };
    let back = return_to(&form, format!("/cases/{case_id}"));
    let reason_label = if word == "withdraw" {
        "field.reason_optional"
    } else {
        "field.reason"
    };
    let confirmation = Confirmation {
        id: format!("{word}-confirm"),
        action: format!("/cases/{case_id}/transitions"),
        title: t(lang, &format!("confirm.{word}.title")),
        question: text(
            lang,
            &format!("confirm.{word}.question"),
            &[("unit", unit.clone())],
        ),
        facts: vec![
            (t(lang, "field.organisation"), organisation),
            (t(lang, "col.unit"), unit),
            (
                t(lang, reason_label),
                comment.clone().unwrap_or_else(|| "–".into()),
            ),
        ],
        hidden: vec![
            ("action".into(), word.clone()),
            ("version".into(), form.text("version")),
            ("comment".into(), comment.unwrap_or_default()),
            ("return_to".into(), back.clone()),
        ],
        confirm: t(lang, &format!("confirm.{word}.button")),
        destructive: true,
        back,
    };
    ask(&state, &viewer, &confirmation)
}

/// The first send of a meeting's cancellation: the meeting named, then asked about.
pub async fn review_cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    session_id: String,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let form_id = format!("cancel-{session_id}");
    let (s, actor, cid, sid) = (
        state.clone(),
        viewer.actor.clone(),
        case_id.clone(),
        session_id.clone(),
    );
    let checked = attempt(lang, move || {
        let session = cases::sessions(&s, &actor, &cid)?
            .into_iter()
            .find(|x| x.id == sid)
            .ok_or(AppError::NotFound)?;
        case_page::allowed(&s, &actor, &cid, CaseAction::CancelSession)?;
        let standing = SessionStanding {
            starts_at: session.starts_at,
            cancelled: session.cancelled,
            attendance_recorded: session.attended.is_some(),
        };
        session_admits(CaseAction::CancelSession, standing, s.now())?;
        Ok(session)
    })
    .await?;
    let session = match checked {
        Ok(session) => session,
        Err(error) => {
            let form = FormData(Vec::new());
            return refused(state, viewer, case_id, &form_id, &form, error).await;
        }
    };
    let when = format!(
        "{} – {}",
        time::show(session.starts_at),
        time::local(session.ends_at).format("%H:%M")
    );
    let confirmation = Confirmation {
        id: format!("{form_id}-confirm"),
        action: format!("/cases/{case_id}/sessions/{session_id}/cancel"),
        title: text(
            lang,
            "confirm.cancel_session.title",
            &[("title", session.title.clone())],
        ),
        question: t(lang, "confirm.cancel_session.question"),
        facts: vec![
            (t(lang, "col.session"), session.title),
            (t(lang, "col.when"), when),
        ],
        hidden: Vec::new(),
        confirm: t(lang, "confirm.cancel_session.button"),
        destructive: true,
        back: format!("/cases/{case_id}#session-{session_id}"),
    };
    ask(&state, &viewer, &confirmation)
}

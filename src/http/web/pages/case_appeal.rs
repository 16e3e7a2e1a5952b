//! The case page's appeal and certification decision forms, as sent. Each is sent
//! twice: first checked by the use case's own rules and answered with a confirmation
//! page, then confirmed, which runs the same use case as `POST /cases/{id}/appeals`
//! or `POST /cases/{id}/decision`.

use actix_web::{web, HttpResponse};

use super::case;
use super::case_appeal_view::{decision_word, ground_words};
use super::case_forms::finish;
use super::confirm::{ask, confirmed, Confirmation};
use super::t;
use crate::app::appeal_inputs::{AppealRequest, DecisionRequest};
use crate::app::appeals;
use crate::app::error::AppError;
use crate::app::validation::checked;
use crate::app::{case_page, cases, AppState};
use crate::domain::decide::{check_comment, check_statement};
use crate::domain::DecisionOutcome;
use crate::http::web::forms::{Feedback, FormData};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, WebError};

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

/// `POST /cases/{id}/appeal`: checks the appeal and asks to confirm it; once confirmed,
/// files it by the API's use case.
pub async fn appeal(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, lang) = (id.into_inner(), viewer.lang);
    let typed = form.text("text");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    if confirmed(&form) {
        let outcome = attempt(lang, move || {
            appeals::file(&s, &actor, &cid, checked(AppealRequest { text: typed })?)
        })
        .await?;
        return finish(
            state,
            viewer,
            case_id,
            "appeal",
            &form,
            outcome,
            "appeal_filed",
        )
        .await;
    }
    let checked_text = typed.clone();
    let ground = attempt(lang, move || {
        check_statement(&checked_text)?;
        appeals::ground(&s, &actor, &cid)
    })
    .await?;
    match ground {
        Ok(ground) => ask(
            &state,
            &viewer,
            &Confirmation {
                id: "appeal-confirm".into(),
                action: format!("/cases/{case_id}/appeal"),
                title: t(lang, "appeal.confirm_title"),
                question: t(lang, "appeal.confirm_question"),
                facts: vec![
                    (t(lang, "appeal.ground"), ground_words(lang, ground)),
                    (t(lang, "appeal.text"), typed.trim().to_string()),
                ],
                hidden: vec![("text".into(), typed)],
                confirm: t(lang, "appeal.confirm"),
                destructive: false,
                back: format!("/cases/{case_id}"),
            },
        ),
        Err(error) => refused(state, viewer, case_id, "appeal", &form, error).await,
    }
}

/// The decision the form names; an unknown word is named as the field's error.
fn decision_request(form: &FormData) -> Result<DecisionRequest, AppError> {
    let outcome = super::adjudication::outcome::<DecisionOutcome>(form)?;
    checked(DecisionRequest {
        outcome,
        comment: form.optional("comment"),
    })
}

/// `POST /cases/{id}/decision`: checks the certification decision and asks to confirm
/// it; once confirmed, makes it by the API's use case.
pub async fn decision(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (case_id, lang) = (id.into_inner(), viewer.lang);
    let input = decision_request(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    if confirmed(&form) {
        let outcome = attempt(lang, move || {
            cases::decide_certification(&s, &actor, &cid, input?)
        })
        .await?;
        return finish(
            state, viewer, case_id, "decision", &form, outcome, "decided",
        )
        .await;
    }
    let checked_input = attempt(lang, move || {
        let input = input?;
        check_comment(input.comment.as_deref())?;
        case_page::decision_allowed(&s, &actor, &cid)?;
        Ok(input)
    })
    .await?;
    match checked_input {
        Ok(input) => {
            let word = decision_word(input.outcome);
            let comment = input.comment.unwrap_or_default();
            let mut facts = vec![(
                t(lang, "decision.outcome"),
                t(lang, &format!("decision.outcome.{word}")),
            )];
            if !comment.trim().is_empty() {
                facts.push((t(lang, "field.comment"), comment.trim().to_string()));
            }
            ask(
                &state,
                &viewer,
                &Confirmation {
                    id: "decision-confirm".into(),
                    action: format!("/cases/{case_id}/decision"),
                    title: t(lang, "decision.confirm_title"),
                    question: t(lang, &format!("decision.confirm_question.{word}")),
                    facts,
                    hidden: vec![("outcome".into(), word.into()), ("comment".into(), comment)],
                    confirm: t(lang, "decision.confirm"),
                    destructive: input.outcome == DecisionOutcome::Return,
                    back: format!("/cases/{case_id}"),
                },
            )
        }
        Err(error) => refused(state, viewer, case_id, "decision", &form, error).await,
    }
}

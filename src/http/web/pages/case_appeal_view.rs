//! What the case page shows of appeals and the certification decision: the appeals
//! filed on the case with their outcomes, and the two forms, each offered exactly
//! when its use case would accept it (`appeals::ground`,
//! `case_page::decision_allowed`).

use std::collections::HashMap;

use serde::Serialize;

use super::t;
use crate::app::appeals::{self, Appeal};
use crate::app::error::AppError;
use crate::app::{case_page, AppState};
use crate::domain::{Actor, AppealGround, DecisionOutcome, Language};
use crate::http::web::forms::{Feedback, FormView};
use crate::http::web::i18n::text;
use crate::http::web::time;

/// An appeal as the case page lists it.
#[derive(Debug, Serialize)]
pub struct AppealItem {
    pub heading: String,
    pub filed: String,
    pub text: String,
    pub outcome: Option<String>,
    pub decided: Option<String>,
    pub comment: Option<String>,
}

/// What the case page shows of appeals and the certification decision.
#[derive(Debug, Serialize, Default)]
pub struct AppealsView {
    pub appeals: Vec<AppealItem>,
    pub appeal_form: Option<FormView>,
    pub appeal_help: Option<String>,
    pub decision_form: Option<FormView>,
}

pub fn ground_words(lang: Language, ground: AppealGround) -> String {
    t(lang, &format!("appeal.ground.{}", ground.as_str()))
}

fn outcome_words(lang: Language, appeal: &Appeal) -> Option<String> {
    appeal
        .outcome
        .map(|o| t(lang, &format!("appeal.outcome.{}", o.as_str())))
}

/// One appeal, its filer and decider named.
pub fn item(lang: Language, people: &HashMap<String, String>, appeal: &Appeal) -> AppealItem {
    let name = |id: &str| {
        people
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "case.nobody"))
    };
    AppealItem {
        heading: text(
            lang,
            "appeal.of",
            &[("ground", ground_words(lang, appeal.ground))],
        ),
        filed: text(
            lang,
            "appeal.filed",
            &[
                ("when", time::show(appeal.filed_at)),
                ("who", name(&appeal.filed_by)),
            ],
        ),
        text: appeal.text.clone(),
        outcome: outcome_words(lang, appeal),
        decided: appeal.decided_at.map(|at| {
            text(
                lang,
                "appeal.decided",
                &[
                    ("when", time::show(at)),
                    (
                        "who",
                        name(appeal.decided_by.as_deref().unwrap_or_default()),
                    ),
                ],
            )
        }),
        comment: appeal.comment.clone(),
    }
}

fn appeal_form(lang: Language, case_id: &str) -> FormView {
    FormView::new(
        "appeal",
        format!("/cases/{case_id}/appeal"),
        t(lang, "appeal.review"),
    )
    .hidden("step", "review")
    .field("text", "textarea", t(lang, "appeal.text"))
    .required()
    .hint(t(lang, "appeal.text_hint"))
}

fn outcome_choices(lang: Language) -> Vec<(String, String)> {
    [DecisionOutcome::Certify, DecisionOutcome::Return]
        .into_iter()
        .map(|o| {
            let word = decision_word(o);
            (
                word.to_string(),
                t(lang, &format!("decision.outcome.{word}")),
            )
        })
        .collect()
}

pub fn decision_word(outcome: DecisionOutcome) -> &'static str {
    match outcome {
        DecisionOutcome::Certify => "certify",
        DecisionOutcome::Return => "return",
    }
}

fn decision_form(lang: Language, case_id: &str) -> FormView {
    FormView::new(
        "decision",
        format!("/cases/{case_id}/decision"),
        t(lang, "decision.review"),
    )
    .hidden("step", "review")
    .field("outcome", "select", t(lang, "decision.outcome"))
    .required()
    .choices(outcome_choices(lang))
    .field("comment", "textarea", t(lang, "field.comment"))
}

/// The appeals of the case and the forms `actor` is offered, each asked of the use
/// case's own rules (`appeals::ground`, `case_page::decision_allowed`).
pub fn build(
    state: &AppState,
    actor: &Actor,
    lang: Language,
    case_id: &str,
    people: &HashMap<String, String>,
    feedback: Option<&Feedback>,
) -> Result<AppealsView, AppError> {
    let finish = |mut form: FormView| {
        if let Some(f) = feedback {
            form.apply(f, &|r| r.key.clone());
        }
        form.finish()
    };
    let ground = appeals::ground(state, actor, case_id).ok();
    Ok(AppealsView {
        appeals: appeals::of_case(state, actor, case_id)?
            .iter()
            .map(|a| item(lang, people, a))
            .collect(),
        appeal_form: ground.map(|_| finish(appeal_form(lang, case_id))),
        appeal_help: ground.map(|g| t(lang, &format!("appeal.help.{}", g.as_str()))),
        decision_form: case_page::decision_allowed(state, actor, case_id)
            .is_ok()
            .then(|| finish(decision_form(lang, case_id))),
    })
}

//! The admins' appeals: `/admin/appeals` (awaiting a decision or decided, paged), the
//! page of one with the unit's case, and its decision behind a confirmation, made by
//! the same use case as `PATCH /appeals/{id}`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::adjudication::{
    self, decide_form, detail_page, list_page, list_query, Deciding, Detail, Kind, Line,
};
use super::t;
use crate::app::appeal_inputs::AppealDecisionRequest;
use crate::app::appeals::{self, Appeal};
use crate::app::validation::checked;
use crate::app::{case_page, cases, AppState};
use crate::domain::{AppealOutcome, Language};
use crate::http::web::forms::{Feedback, FormData};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, time, WebError};

const KIND: Kind = Kind {
    base: "/admin/appeals",
    words: "appeals",
};

fn ground_words(lang: Language, appeal: &Appeal) -> String {
    t(lang, &format!("appeal.ground.{}", appeal.ground.as_str()))
}

fn outcome_words(lang: Language, outcome: AppealOutcome) -> String {
    t(lang, &format!("appeal.outcome.{}", outcome.as_str()))
}

/// `GET /admin/appeals[?status=decided][&cursor=...]`.
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let (lang, query) = (viewer.lang, list_query(&req));
    let (s, actor, standing, page) = (
        state.clone(),
        viewer.actor.clone(),
        query.standing(),
        query.page.clone(),
    );
    let (found, units) = blocking(lang, move || {
        let found = appeals::list(&s, &actor, standing, page)?;
        let ids: Vec<String> = found.items.iter().map(|a| a.case_id.clone()).collect();
        let units = appeals::unit_names(&s, &actor, &ids)?;
        Ok((found, units))
    })
    .await?;
    let lines = found
        .items
        .iter()
        .map(|a| Line {
            href: format!("{}/{}", KIND.base, a.id),
            received: time::show(a.filed_at),
            about: units.get(&a.case_id).cloned().unwrap_or_default(),
            summary: text(lang, "appeal.of", &[("ground", ground_words(lang, a))]),
            outcome: a
                .outcome
                .map_or_else(|| t(lang, "appeal.awaiting"), |o| outcome_words(lang, o)),
        })
        .collect();
    list_page(&state, &viewer, KIND, &query, lines, found.next_cursor)
}

/// `GET /admin/appeals/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render(&state, &viewer, id.into_inner(), None).await
}

async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (appeal, may_decide, unit, people) = blocking(lang, move || {
        let (appeal, may_decide) = appeals::for_adjudication(&s, &actor, &id)?;
        let case = cases::get(&s, &actor, &appeal.case_id)?;
        let people = case_page::people(&s, &actor, &appeal.case_id)?;
        Ok((appeal, may_decide, case.unit.name, people))
    })
    .await?;
    let open = appeal.outcome.is_none();
    let detail = Detail {
        title: text(
            lang,
            "appeal.of",
            &[("ground", ground_words(lang, &appeal))],
        ),
        back_href: KIND.base.to_string(),
        back: t(lang, "appeals.back"),
        facts: vec![
            (t(lang, "adjudication.unit"), unit.clone()),
            (
                t(lang, "adjudication.received"),
                time::show(appeal.filed_at),
            ),
            (
                t(lang, "adjudication.filed_by"),
                name(lang, &people, &appeal.filed_by),
            ),
        ],
        case_href: Some(format!("/cases/{}", appeal.case_id)),
        case_label: Some(text(lang, "adjudication.case_of", &[("unit", unit)])),
        statement_label: t(lang, "appeal.text"),
        statement: appeal.text.clone(),
        outcome: appeal.outcome.map(|o| outcome_words(lang, o)),
        decided: appeal.decided_at.map(|at| {
            text(
                lang,
                "appeal.decided",
                &[
                    ("when", time::show(at)),
                    (
                        "who",
                        name(lang, &people, appeal.decided_by.as_deref().unwrap_or("")),
                    ),
                ],
            )
        }),
        comment: appeal.comment.clone(),
        form: (open && may_decide).then(|| {
            let outcomes = AppealOutcome::ALL
                .iter()
                .map(|o| (o.as_str().to_string(), outcome_words(lang, *o)))
                .collect();
            decide_form(lang, KIND, &appeal.id, outcomes)
        }),
        not_yours: (open && !may_decide).then(|| t(lang, "adjudication.not_yours")),
        message: None,
    };
    detail_page(state, viewer, detail, feedback.as_ref())
}

fn name(lang: Language, people: &HashMap<String, String>, id: &str) -> String {
    people
        .get(id)
        .cloned()
        .unwrap_or_else(|| t(lang, "case.nobody"))
}

/// Deciding an appeal on its page, by the API's use cases.
static DECIDING: Deciding<AppealOutcome> = Deciding {
    kind: KIND,
    flash: "appeal_decided",
    outcome: |lang, outcome| (outcome.as_str(), outcome_words(lang, outcome)),
    standing: |state, actor, id| {
        let (appeal, may_decide) = appeals::for_adjudication(state, actor, id)?;
        Ok((may_decide, appeal.outcome.is_some()))
    },
    decide: |state, actor, id, outcome, comment| {
        let request = checked(AppealDecisionRequest { outcome, comment })?;
        appeals::decide(state, actor, id, request).map(|_| ())
    },
};

/// `POST /admin/appeals/{id}`: checks the decision and asks to confirm it; once
/// confirmed, decides by the API's use case.
pub async fn decide(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    match adjudication::decide(&state, &viewer, &id, &form, &DECIDING).await? {
        Ok(response) => Ok(response),
        Err(feedback) => render(&state, &viewer, id, Some(feedback)).await,
    }
}

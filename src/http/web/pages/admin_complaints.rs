//! The admins' complaints: `/admin/complaints` (awaiting a decision or decided,
//! paged), the page of one with the unit's case when it is about a unit, and its
//! decision behind a confirmation, made by the same use case as
//! `PATCH /complaints/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::adjudication::{
    self, decide_form, detail_page, list_page, list_query, Deciding, Detail, Kind, Line,
};
use super::t;
use crate::app::appeal_inputs::ComplaintDecisionRequest;
use crate::app::appeals;
use crate::app::complaints::{self, Complaint};
use crate::app::validation::checked;
use crate::app::AppState;
use crate::domain::{ComplaintOutcome, Language};
use crate::http::web::forms::{Feedback, FormData};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, time, WebError};

const KIND: Kind = Kind {
    base: "/admin/complaints",
    words: "complaints",
};

/// How much of a complaint's text its line in the list shows.
const GIST: usize = 80;

fn outcome_words(lang: Language, outcome: ComplaintOutcome) -> String {
    t(lang, &format!("complaint.outcome.{}", outcome.as_str()))
}

/// Whom the complaint is about: the unit, or the certifying body.
fn about(lang: Language, complaint: &Complaint, unit: Option<&String>) -> String {
    match unit {
        Some(unit) => unit.clone(),
        None if complaint.case_id.is_none() => t(lang, "complaints.about_body"),
        None => String::new(),
    }
}

fn gist(text: &str) -> String {
    let mut gist: String = text.chars().take(GIST).collect();
    if text.chars().count() > GIST {
        gist.push('…');
    }
    gist
}

/// `GET /admin/complaints[?status=decided][&cursor=...]`.
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
        let found = complaints::list(&s, &actor, standing, page)?;
        let ids: Vec<String> = found
            .items
            .iter()
            .filter_map(|c| c.case_id.clone())
            .collect();
        let units = appeals::unit_names(&s, &actor, &ids)?;
        Ok((found, units))
    })
    .await?;
    let lines = found
        .items
        .iter()
        .map(|c| Line {
            href: format!("{}/{}", KIND.base, c.id),
            received: time::show(c.received_at),
            about: about(lang, c, c.case_id.as_ref().and_then(|id| units.get(id))),
            summary: gist(&c.text),
            outcome: c
                .outcome
                .map_or_else(|| t(lang, "appeal.awaiting"), |o| outcome_words(lang, o)),
        })
        .collect();
    list_page(&state, &viewer, KIND, &query, lines, found.next_cursor)
}

/// `GET /admin/complaints/{id}`.
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
    let (complaint, may_decide, units) = blocking(lang, move || {
        let (complaint, may_decide) = complaints::for_adjudication(&s, &actor, &id)?;
        let ids: Vec<String> = complaint.case_id.iter().cloned().collect();
        let units = appeals::unit_names(&s, &actor, &ids)?;
        Ok((complaint, may_decide, units))
    })
    .await?;
    let unit = complaint.case_id.as_ref().and_then(|id| units.get(id));
    let open = complaint.outcome.is_none();
    let mut facts = vec![
        (t(lang, "adjudication.about"), about(lang, &complaint, unit)),
        (
            t(lang, "adjudication.received"),
            time::show(complaint.received_at),
        ),
    ];
    if let Some(code) = &complaint.certificate_code {
        facts.push((t(lang, "complaint.about"), code.clone()));
    }
    if let Some(email) = &complaint.email {
        facts.push((t(lang, "complaints.answer_to"), email.clone()));
    }
    let detail = Detail {
        title: t(lang, "complaints.one"),
        back_href: KIND.base.to_string(),
        back: t(lang, "complaints.back"),
        facts,
        case_href: complaint.case_id.as_ref().map(|id| format!("/cases/{id}")),
        case_label: unit.map(|u| text(lang, "adjudication.case_of", &[("unit", u.clone())])),
        statement_label: t(lang, "complaints.text"),
        statement: complaint.text.clone(),
        outcome: complaint.outcome.map(|o| outcome_words(lang, o)),
        decided: complaint
            .decided_at
            .map(|at| text(lang, "complaints.decided", &[("when", time::show(at))])),
        comment: complaint.comment.clone(),
        form: (open && may_decide).then(|| {
            let outcomes = ComplaintOutcome::ALL
                .iter()
                .map(|o| (o.as_str().to_string(), outcome_words(lang, *o)))
                .collect();
            decide_form(lang, KIND, &complaint.id, outcomes)
        }),
        not_yours: (open && !may_decide).then(|| t(lang, "adjudication.not_yours")),
        message: None,
    };
    detail_page(state, viewer, detail, feedback.as_ref())
}

/// Deciding an complaint on its page, by the API's use cases.
static DECIDING: Deciding<ComplaintOutcome> = Deciding {
    kind: KIND,
    flash: "complaint_decided",
    outcome: |lang, outcome| (outcome.as_str(), outcome_words(lang, outcome)),
    standing: |state, actor, id| {
        let (complaint, may_decide) = complaints::for_adjudication(state, actor, id)?;
        Ok((may_decide, complaint.outcome.is_some()))
    },
    decide: |state, actor, id, outcome, comment| {
        let request = checked(ComplaintDecisionRequest { outcome, comment })?;
        complaints::decide(state, actor, id, request).map(|_| ())
    },
};

/// `POST /admin/complaints/{id}`: checks the decision and asks to confirm it; once
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

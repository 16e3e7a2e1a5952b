//! Cohorts (programme rounds): the list with a form to start one (staff), and a
//! cohort's page with a table of each member organisation's cases and progress and a
//! form to add an organisation. A coordinator sees their own organisation's row only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;

use super::{all, t};
use crate::app::cohort_inputs::{NewCohort, NewCohortMember};
use crate::app::cohorts::{self, Cohort, CohortSummary};
use crate::app::error::AppError;
use crate::app::{organisations, programmes, AppState};
use crate::domain::policy::{may, Action, Target};
use crate::domain::{FieldCode, FieldError, Language};
use crate::glossary;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct ListLine {
    id: String,
    name: String,
    programme: String,
    period: String,
    members: String,
}

#[derive(Serialize)]
struct ListPage {
    cohorts: Vec<ListLine>,
    form: Option<FormView>,
}

#[derive(Serialize)]
struct ProgressLine {
    organisation: String,
    unit: String,
    case_href: Option<String>,
    stage: String,
    status: String,
    overdue: bool,
    requirements: String,
}

#[derive(Serialize)]
struct CohortPage {
    name: String,
    programme: String,
    period: String,
    lines: Vec<ProgressLine>,
    form: Option<FormView>,
}

fn may_manage(viewer: &Viewer) -> bool {
    may(&viewer.actor, Action::ManageCohorts, &Target::DEPLOYMENT)
}

fn line(summary: CohortSummary) -> ListLine {
    ListLine {
        period: format!("{} – {}", summary.period_start, summary.period_end),
        programme: summary.programme.name,
        members: summary
            .organisations
            .into_iter()
            .map(|o| o.name)
            .collect::<Vec<_>>()
            .join(", "),
        id: summary.id,
        name: summary.name,
    }
}

fn create_form(
    lang: Language,
    choices: Vec<(String, String)>,
    feedback: Option<&Feedback>,
) -> FormView {
    let mut form = FormView::new("cohort", "/cohorts", t(lang, "cohorts.create"))
        .field("name", "text", t(lang, "field.name"))
        .required()
        .field("programme_id", "select", t(lang, "field.programme"))
        .required()
        .name_choices(choices)
        .field("period_start", "date", t(lang, "cohorts.period_start"))
        .required()
        .field("period_end", "date", t(lang, "cohorts.period_end"))
        .required();
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

async fn render_list(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let manage = may_manage(viewer);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (list, programmes) = blocking(lang, move || {
        let list = cohorts::list(&s, &actor, all())?;
        let programmes = if manage {
            programmes::list(&s, all())?.items
        } else {
            Vec::new()
        };
        Ok((list, programmes))
    })
    .await?;
    let choices = programmes
        .into_iter()
        .map(|p| (p.id, format!("{} ({})", p.name, p.version)))
        .collect();
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = ListPage {
        cohorts: list.items.into_iter().map(line).collect(),
        form: manage.then(|| create_form(lang, choices, feedback.as_ref())),
    };
    page(
        state,
        viewer,
        "cohorts",
        t(lang, "cohorts.title"),
        status,
        &data,
    )
}

/// `GET /cohorts`.
pub async fn list(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    render_list(&state, &viewer, None).await
}

fn date(form: &FormData, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(form.text(field).trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::coded(field, FieldCode::Date, "must be a date YYYY-MM-DD"))
}

/// `POST /cohorts`: starts a round without members; they are added on its page.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let dates = (date(&form, "period_start"), date(&form, "period_end"));
    let (name, programme_id) = (form.text("name"), form.text("programme_id"));
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        let (period_start, period_end) = match dates {
            (Ok(start), Ok(end)) => (start, end),
            (start, end) => {
                let errors = [start.err(), end.err()].into_iter().flatten().collect();
                return Err(AppError::Invalid(errors));
            }
        };
        let input = crate::app::validation::checked(NewCohort {
            name: name.as_str().into(),
            programme_id,
            period_start,
            period_end,
            organisation_ids: Vec::new(),
        })?;
        cohorts::create(&s, &actor, input)
    })
    .await?;
    match outcome {
        Ok(cohort) => Ok(see_other(
            &state,
            &format!("/cohorts/{}", cohort.id),
            Some("cohort_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("cohort", e, viewer.lang, &form)?;
            render_list(&state, &viewer, Some(feedback)).await
        }
    }
}

fn progress(lang: Language, cohort: Cohort) -> Vec<ProgressLine> {
    let mut lines = Vec::new();
    for member in cohort.organisations {
        if member.cases.is_empty() {
            lines.push(ProgressLine {
                organisation: member.name.clone(),
                unit: t(lang, "cohorts.no_case"),
                case_href: None,
                stage: "–".into(),
                status: "–".into(),
                overdue: false,
                requirements: "–".into(),
            });
        }
        for case in member.cases {
            lines.push(ProgressLine {
                organisation: member.name.clone(),
                unit: case.unit_name,
                case_href: Some(format!("/cases/{}", case.id)),
                stage: glossary::stage(lang, case.stage).to_string(),
                status: glossary::status(lang, case.status).to_string(),
                overdue: case.overdue,
                requirements: format!("{} / {}", case.requirements_met, case.requirements_total),
            });
        }
    }
    lines
}

async fn render_cohort(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let manage = may_manage(viewer);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (cohort, organisations) = blocking(lang, move || {
        let cohort = cohorts::get(&s, &actor, &id)?;
        let organisations = if manage {
            organisations::list(&s, &actor, all())?.items
        } else {
            Vec::new()
        };
        Ok((cohort, organisations))
    })
    .await?;
    let choices: Vec<(String, String)> = organisations
        .into_iter()
        .filter(|o| !cohort.organisations.iter().any(|m| m.id == o.id))
        .map(|o| (o.id, o.name))
        .collect();
    let form = (manage && !choices.is_empty()).then(|| {
        let mut form = FormView::new(
            "cohort-member",
            format!("/cohorts/{}/organisations", cohort.id),
            t(lang, "cohorts.add_organisation"),
        )
        .field("organisation_id", "select", t(lang, "field.organisation"))
        .required()
        .name_choices(choices);
        if let Some(f) = feedback.as_ref() {
            form.apply(f, &|r| r.key.clone());
        }
        form.finish()
    });
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = CohortPage {
        name: cohort.name.clone(),
        programme: cohort.programme.name.clone(),
        period: format!("{} – {}", cohort.period_start, cohort.period_end),
        lines: progress(lang, cohort),
        form,
    };
    let title = data.name.clone();
    page(state, viewer, "cohort", title, status, &data)
}

/// `GET /cohorts/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_cohort(&state, &viewer, path.into_inner(), None).await
}

/// `POST /cohorts/{id}/organisations`.
pub async fn add_organisation(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = path.into_inner();
    let input = NewCohortMember {
        organisation_id: form.text("organisation_id"),
    };
    let (s, actor, cohort) = (state.clone(), viewer.actor.clone(), id.clone());
    match attempt(viewer.lang, move || {
        cohorts::add_organisation(&s, &actor, &cohort, input)
    })
    .await?
    {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/cohorts/{id}"),
            Some("cohort_member_added"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("cohort-member", e, viewer.lang, &form)?;
            render_cohort(&state, &viewer, id, Some(feedback)).await
        }
    }
}

//! Moving a programme version's running cases to a later version (admin): choose the
//! version, see a dry run as a table, then confirm (the move cannot be undone) and see
//! what was done.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::error::AppError;
use crate::app::inputs::MigrationRequest;
use crate::app::migration::{self, MigrationReport};
use crate::app::programmes::{self, Programme};
use crate::app::validation::checked;
use crate::app::AppState;
use crate::domain::policy::{authorize, Action, Target};
use crate::glossary;
use crate::http::web::forms::{whole_number, Feedback, FormData, FormView};
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::words::requirement;
use crate::http::web::{attempt, blocking, page, WebError};

#[derive(Serialize)]
struct Row {
    unit: String,
    organisation: String,
    from_stage: String,
    to_stage: String,
    unmet: Vec<String>,
}

#[derive(Serialize)]
struct Report {
    caption: String,
    dry_run: bool,
    done: Option<String>,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct MigratePage {
    title: String,
    programme_href: String,
    programme_label: String,
    choose: Option<FormView>,
    report: Option<Report>,
    confirm: Option<FormView>,
}

fn report_of(viewer: &Viewer, report: &MigrationReport) -> Report {
    let lang = viewer.lang;
    let version = [("version", report.to_version.to_string())];
    Report {
        caption: text(
            lang,
            if report.dry_run {
                "migrate.caption"
            } else {
                "migrate.done_caption"
            },
            &version,
        ),
        dry_run: report.dry_run,
        done: (!report.dry_run).then(|| {
            text(
                lang,
                "migrate.done",
                &[
                    ("count", report.cases.len().to_string()),
                    version[0].clone(),
                ],
            )
        }),
        rows: report
            .cases
            .iter()
            .map(|c| Row {
                unit: c.unit_name.clone(),
                organisation: c.organisation_name.clone(),
                from_stage: glossary::stage(lang, c.from_stage).to_string(),
                to_stage: glossary::stage(lang, c.to_stage).to_string(),
                unmet: c.newly_unmet.iter().map(|r| requirement(lang, r)).collect(),
            })
            .collect(),
    }
}

async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    report: Option<MigrationReport>,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let s = state.clone();
    let (programme, later) = blocking(lang, move || {
        let p = programmes::get(&s, &id)?;
        let mut later: Vec<Programme> = programmes::list(&s, all())?
            .items
            .into_iter()
            .filter(|v| v.key == p.key && v.version > p.version)
            .collect();
        later.sort_by_key(|v| v.version);
        Ok((p, later))
    })
    .await?;
    let action = format!("/admin/programmes/{}/migrate", programme.id);
    let version_label = |v: i32| format!("{} {}", t(lang, "case.version"), v);
    let choose = (!later.is_empty()).then(|| {
        let mut form = FormView::new("migrate", action.clone(), t(lang, "action.dry_run"))
            .hidden("step", "dry_run")
            .field("to_version", "select", t(lang, "field.to_version"))
            .required()
            .choices(
                later
                    .iter()
                    .map(|v| (v.version.to_string(), version_label(v.version)))
                    .collect(),
            );
        if let Some(report) = &report {
            form = form.value(report.to_version.to_string());
        }
        if let Some(f) = &feedback {
            form.apply(f, &|r| r.key.clone());
        }
        form.finish()
    });
    // The real move is offered only after a dry run that found cases to move.
    let confirm = report
        .as_ref()
        .filter(|r| r.dry_run && !r.cases.is_empty())
        .map(|r| {
            FormView::new("migrate-confirm", action.clone(), t(lang, "action.migrate"))
                .hidden("step", "confirm")
                .hidden("to_version", r.to_version.to_string())
                .finish()
        });
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let title = text(
        lang,
        "migrate.title",
        &[
            ("name", programme.name.clone()),
            ("version", programme.version.to_string()),
        ],
    );
    let data = MigratePage {
        title: title.clone(),
        programme_href: format!("/admin/programmes/{}", programme.id),
        programme_label: format!("{} ({})", programme.name, version_label(programme.version)),
        choose,
        report: report.as_ref().map(|r| report_of(viewer, r)),
        confirm,
    };
    page(state, viewer, "programme_migrate", title, status, &data)
}

fn may_migrate(viewer: &Viewer) -> Result<(), WebError> {
    authorize(&viewer.actor, Action::CreateProgramme, &Target::DEPLOYMENT)
        .map_err(|denied| WebError::app(AppError::from(denied), viewer.lang))
}

/// `GET /admin/programmes/{id}/migrate`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    may_migrate(&viewer)?;
    render(&state, &viewer, id.into_inner(), None, None).await
}

/// `POST /admin/programmes/{id}/migrate`: `step=dry_run` reports, `step=confirm` moves.
pub async fn migrate(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    may_migrate(&viewer)?;
    let id = id.into_inner();
    let dry_run = form.text("step") != "confirm";
    let input = whole_number("to_version", &form.text("to_version"))
        .map_err(|e| AppError::Invalid(vec![e]))
        .and_then(|to_version| {
            checked(MigrationRequest {
                to_version,
                dry_run,
            })
        });
    let (s, actor, pid) = (state.clone(), viewer.actor.clone(), id.clone());
    let outcome = attempt(viewer.lang, move || {
        migration::migrate(&s, &actor, &pid, input?)
    })
    .await?;
    match outcome {
        Ok(report) => render(&state, &viewer, id, Some(report), None).await,
        Err(e) => {
            let feedback = Feedback::from_error("migrate", e, viewer.lang, &form)?;
            render(&state, &viewer, id, None, Some(feedback)).await
        }
    }
}

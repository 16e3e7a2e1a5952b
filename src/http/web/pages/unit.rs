//! A unit contact's page: our path, what is left, upcoming sessions (each as an .ics
//! file), our evidence and a form to add more, our certificate.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::case_view::{self, CaseData};
use super::cases::{all_cases, item, CaseItem};
use crate::app::cases::{self, CaseQuery};
use crate::app::error::AppError;
use crate::app::AppState;
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, WebError};
use crate::notify::calendar::{self, CalendarEvent};

#[derive(Serialize)]
struct UnitPage {
    unit: String,
    current: Option<CaseData>,
    others: Vec<CaseItem>,
}

/// `GET /unit`.
pub async fn show(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let unit_id = viewer
        .actor
        .unit_id
        .clone()
        .ok_or(WebError::app(AppError::NotFound, lang))?;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let data = blocking(lang, move || {
        let unit = crate::app::organisations::get_unit(&s, &actor, &unit_id)?;
        let mut found = all_cases(
            &s,
            &actor,
            CaseQuery {
                unit_id: Some(unit_id),
                ..CaseQuery::default()
            },
        )?;
        // The live case first, then the newest.
        found.sort_by_key(|c| (!c.status.is_live(), std::cmp::Reverse(c.created_at)));
        let mut current = match found.first() {
            Some(c) => Some(case_view::build(&s, &actor, lang, &c.id, None, "/unit")?),
            None => None,
        };
        // A certified unit's page says what comes next instead of offering an
        // evidence form the stage asks nothing of.
        if let Some(c) = current.as_mut().filter(|c| c.next_steps.is_some()) {
            c.forms.evidence = None;
        }
        let others = found.iter().skip(1).map(|c| item(lang, c)).collect();
        Ok(UnitPage {
            unit: unit.name,
            current,
            others,
        })
    })
    .await?;
    let title = text(lang, "unit.title", &[("unit", data.unit.clone())]);
    page(&state, &viewer, "unit", title, StatusCode::OK, &data)
}

/// `GET /cases/{id}/sessions/{sid}/calendar.ics`: one session for a calendar.
pub async fn session_ics(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (case_id, session_id) = path.into_inner();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (session, unit, now) = blocking(lang, move || {
        let case = cases::get(&s, &actor, &case_id)?;
        let session = cases::sessions(&s, &actor, &case_id)?
            .into_iter()
            .find(|x| x.id == session_id)
            .ok_or(AppError::NotFound)?;
        Ok((session, case.unit.name, s.now()))
    })
    .await?;
    let uid = calendar::uid(&session.id);
    let summary = format!("{} – {}", session.title, unit);
    let description = glossary::session_kind(lang, session.kind);
    let body = calendar::download(&CalendarEvent {
        uid: &uid,
        sequence: 0,
        summary: &summary,
        location: session.location.as_deref(),
        description: Some(description),
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        stamp: now,
        cancelled: session.cancelled,
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"session-{}.ics\"", session.id),
        ))
        .body(body))
}

/// The case's certificate PDF for a signed-in person (the API wants a bearer token).
pub async fn certificate_pdf(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let case_id = path.into_inner();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (name, bytes) = blocking(lang, move || {
        crate::app::certificates::pdf_of_case(&s, &actor, &case_id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}

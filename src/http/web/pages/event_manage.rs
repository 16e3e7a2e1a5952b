//! An event's page for staff, `/events/{id}/manage` (admins and consultants): the
//! registrants (their CSV is `event_csv`), cancelling a registration (asks first), the places, and
//! the attendance form, each through the API's own use case.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::confirm::{self, Confirmation};
use super::event_list::Check;
use super::t;
use crate::app::error::AppError;
use crate::app::event_inputs::{AttendanceRequest, EventPatch};
use crate::app::event_views::{registrants, EventRegistrants};
use crate::app::open_events::{self, Canceller};
use crate::app::validation::checked;
use crate::app::{event_attendance, AppState};
use crate::domain::open_events::RegistrationStatus;
use crate::domain::{Actor, Language};
use crate::glossary::{self, dates};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, time, WebError};

#[derive(Serialize)]
struct Row {
    name: String,
    email: String,
    organisation: String,
    unit: String,
    status: String,
    registered: String,
    /// Where its cancel button posts; none once cancelled.
    cancel_action: Option<String>,
}

#[derive(Serialize)]
struct AttendanceForm {
    action: String,
    message: Option<String>,
    checks: Vec<Check>,
}

#[derive(Serialize)]
struct ManagePage {
    title: String,
    when: String,
    kind: String,
    location: Option<String>,
    public_href: String,
    csv_href: String,
    confirmed: i64,
    waitlisted: i64,
    capacity: String,
    attended: i64,
    rows: Vec<Row>,
    capacity_form: FormView,
    attendance: Option<AttendanceForm>,
}

fn manage_path(id: &str) -> String {
    format!("/events/{id}/manage")
}

fn rows(lang: Language, event_id: &str, view: &EventRegistrants) -> Vec<Row> {
    let word = |key: &str| t(lang, &format!("events.csv.{key}"));
    view.registrants
        .iter()
        .map(|r| {
            let reg = &r.registration;
            Row {
                name: reg.name.clone().unwrap_or_else(|| word("erased")),
                email: reg.email.clone().unwrap_or_default(),
                organisation: r.organisation.clone().unwrap_or_default(),
                unit: r.unit.clone().unwrap_or_default(),
                status: word(&format!("status_{}", reg.status.as_str())),
                registered: time::show(reg.registered_at),
                cancel_action: (reg.status != RegistrationStatus::Cancelled)
                    .then(|| format!("/events/{event_id}/registrations/{}/cancel", reg.id)),
            }
        })
        .collect()
}

fn attendance_form(
    lang: Language,
    event_id: &str,
    view: &EventRegistrants,
    feedback: Option<&Feedback>,
) -> Option<AttendanceForm> {
    if !view.attendance_open {
        return None;
    }
    let sent: Option<Vec<&str>> = feedback.filter(|f| f.form == "attendance").map(|f| {
        f.values
            .iter()
            .filter(|(k, _)| k == "attended")
            .map(|(_, v)| v.as_str())
            .collect()
    });
    let checks = view
        .registrants
        .iter()
        .map(|r| &r.registration)
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .map(|r| Check {
            id: format!("attended-{}", r.id),
            value: r.id.clone(),
            label: r
                .name
                .clone()
                .unwrap_or_else(|| t(lang, "events.csv.erased")),
            checked: sent
                .as_ref()
                .map_or(r.attended, |s| s.contains(&r.id.as_str())),
        })
        .collect();
    Some(AttendanceForm {
        action: format!("/events/{event_id}/attendance"),
        message: feedback.filter(|f| f.form == "attendance").map(|f| {
            f.message
                .iter()
                .chain(f.errors.iter().map(|e| &e.message))
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        }),
        checks,
    })
}

async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor, event_id) = (state.clone(), viewer.actor.clone(), id.clone());
    let view = blocking(lang, move || registrants(&s, &actor, &event_id)).await?;
    let event = &view.event;
    let mut capacity_form = FormView::new(
        "capacity",
        format!("/events/{id}/capacity"),
        t(lang, "event_manage.capacity_save"),
    )
    .field("capacity", "number", t(lang, "events.capacity"))
    .value(event.capacity.map(|c| c.to_string()).unwrap_or_default())
    .range(Some(1), Some(100_000));
    if let Some(f) = feedback.as_ref() {
        capacity_form.apply(f, &|r| r.key.clone());
    }
    let data = ManagePage {
        title: event.title.clone(),
        when: dates::date_time(event.starts_at, lang),
        kind: glossary::session_kind(lang, event.kind).to_string(),
        location: event.location.clone(),
        public_href: format!("/events/{id}"),
        csv_href: format!("/events/{id}/registrations.csv"),
        confirmed: event.confirmed,
        waitlisted: event.waitlisted,
        capacity: event
            .capacity
            .map_or_else(|| t(lang, "events.unlimited"), |c| c.to_string()),
        attended: event.attended,
        rows: rows(lang, &id, &view),
        capacity_form: capacity_form.finish(),
        attendance: attendance_form(lang, &id, &view, feedback.as_ref()),
    };
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let title = data.title.clone();
    page(state, viewer, "event_manage", title, status, &data)
}

/// `GET /events/{id}/manage`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render(&state, &viewer, path.into_inner(), None).await
}

/// `POST /events/{id}/registrations/{rid}/cancel`: asks first, then cancels; the
/// first of the waitlist moves up and is told.
pub async fn cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let lang = viewer.lang;
    let (id, rid) = path.into_inner();
    if !confirm::confirmed(&form) {
        let (s, actor, event_id) = (state.clone(), viewer.actor.clone(), id.clone());
        let view = blocking(lang, move || registrants(&s, &actor, &event_id)).await?;
        let Some(r) = view.registrants.iter().find(|r| r.registration.id == rid) else {
            return Err(WebError::app(AppError::NotFound, lang));
        };
        let name = r.registration.name.clone().unwrap_or_default();
        let confirmation = Confirmation {
            id: "cancel-registration".into(),
            action: format!("/events/{id}/registrations/{rid}/cancel"),
            title: t(lang, "event_manage.cancel_title"),
            question: t(lang, "event_manage.cancel_question"),
            facts: vec![
                (t(lang, "event_cancel.event"), view.event.title.clone()),
                (t(lang, "events.csv.name"), name),
                (
                    t(lang, "events.csv.email"),
                    r.registration.email.clone().unwrap_or_default(),
                ),
            ],
            hidden: Vec::new(),
            confirm: t(lang, "event_manage.cancel_confirm"),
            destructive: true,
            back: manage_path(&id),
        };
        return confirm::ask(&state, &viewer, &confirmation);
    }
    let (s, actor, event_id) = (state.clone(), viewer.actor.clone(), id.clone());
    blocking(lang, move || {
        open_events::cancel(&s, Canceller::Staff(&actor), &event_id, &rid)
    })
    .await?;
    Ok(see_other(
        &state,
        &manage_path(&id),
        Some("registration_cancelled"),
    ))
}

/// Runs a form's use case for the event `id`: back to the event's page with `flash`,
/// or the page again with the refusal next to the form `form_id`.
async fn act<T, F>(
    (state, viewer): (web::Data<AppState>, Viewer),
    id: String,
    form: &FormData,
    (form_id, flash): (&str, &str),
    run: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(&AppState, &Actor, &str) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let (s, actor, event_id) = (state.clone(), viewer.actor.clone(), id.clone());
    match attempt(viewer.lang, move || run(&s, &actor, &event_id)).await? {
        Ok(_) => Ok(see_other(&state, &manage_path(&id), Some(flash))),
        Err(e) => {
            let feedback = Feedback::from_error(form_id, e, viewer.lang, form)?;
            render(&state, &viewer, id, Some(feedback)).await
        }
    }
}

/// `POST /events/{id}/capacity`: an empty field means as many places as sign up.
pub async fn capacity(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = form
        .optional_number("capacity")
        .map_err(|e| AppError::Invalid(vec![e]))
        .and_then(|c| {
            checked(EventPatch {
                capacity: c.map(|c| i32::try_from(c).unwrap_or(i32::MAX)),
            })
        });
    act(
        (state, viewer),
        path.into_inner(),
        &form,
        ("capacity", "capacity_changed"),
        move |s, actor, id| input.and_then(|i| open_events::patch(s, actor, id, i)),
    )
    .await
}

/// `POST /events/{id}/attendance`: exactly the ticked registrants attended.
pub async fn attendance(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = checked(AttendanceRequest {
        attended: form
            .0
            .iter()
            .filter(|(k, _)| k == "attended")
            .map(|(_, v)| v.clone())
            .collect(),
    });
    act(
        (state, viewer),
        path.into_inner(),
        &form,
        ("attendance", "attendance_recorded"),
        move |s, actor, id| input.and_then(|i| event_attendance::record(s, actor, id, i)),
    )
    .await
}

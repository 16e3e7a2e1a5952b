//! Workshop requests: a unit's contact or a coordinator asks for a workshop and sees
//! their requests; staff see the queue (open first) and, on a request's page, book it
//! (a workshop session on the unit's case, or an open event for the organisation) or
//! decline it with a reason, which asks first. Every change is
//! `app::workshop_requests`'s, the API's use cases.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;

use super::confirm::{ask, confirmed, Confirmation};
use super::plans::{date, refused};
use super::t;
use crate::app::error::AppError;
use crate::app::inputs::Theme;
use crate::app::validation::checked;
use crate::app::workshop_inputs::{
    AcceptWorkshopRequest, DeclineWorkshopRequest, NewWorkshopRequest, ScheduleAs,
};
use crate::app::workshop_page::{self, RequestView};
use crate::app::workshop_requests::{self as requests, RequestStatus};
use crate::app::AppState;
use crate::domain::policy::{may, Action, Target};
use crate::domain::{FieldCode, FieldError, Language, Role};
use crate::glossary::dates;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::time::parse_input;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

/// How many wished dates the form offers.
const WISHED: usize = 3;

#[derive(Serialize)]
struct Line {
    href: String,
    organisation: String,
    unit: String,
    audience: String,
    wished: String,
    requested_at: String,
    status: String,
    open: bool,
}

#[derive(Serialize)]
struct ListPage {
    staff: bool,
    requests: Vec<Line>,
    form: Option<FormView>,
}

fn status_word(lang: Language, status: RequestStatus) -> String {
    t(lang, &format!("workshops.status.{}", status.as_str()))
}

fn wished(lang: Language, view: &RequestView) -> String {
    view.request
        .wished_dates
        .iter()
        .map(|d| dates::day(*d, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unit_words(lang: Language, view: &RequestView) -> String {
    if view.unit.is_empty() {
        t(lang, "workshops.whole_organisation")
    } else {
        view.unit.clone()
    }
}

/// True when the viewer may ask for a workshop (a coordinator for their organisation,
/// a unit's contact for their unit).
fn may_ask(viewer: &Viewer) -> bool {
    let actor = &viewer.actor;
    may(
        actor,
        Action::RequestWorkshop,
        &Target {
            organisation_id: actor.organisation_id.as_deref(),
            unit_id: actor.unit_id.as_deref(),
            ..Target::default()
        },
    )
}

fn staff(viewer: &Viewer) -> bool {
    may(
        &viewer.actor,
        Action::DecideWorkshopRequest,
        &Target::DEPLOYMENT,
    )
}

fn ask_form(
    lang: Language,
    units: Option<Vec<(String, String)>>,
    feedback: Option<&Feedback>,
) -> FormView {
    let mut form = FormView::new(
        "workshop-request",
        "/workshop-requests",
        t(lang, "workshops.send"),
    )
    .field("audience", "text", t(lang, "workshops.audience"))
    .required();
    if let Some(units) = units {
        let mut choices = vec![(String::new(), t(lang, "workshops.whole_organisation"))];
        choices.extend(units);
        form = form
            .field("unit_id", "select", t(lang, "workshops.for"))
            .name_choices(choices);
    }
    for i in 0..WISHED {
        let label =
            crate::glossary::text(lang, "workshops.wished_date", &[("n", (i + 1).to_string())]);
        form = form.field(&format!("wished_dates[{i}]"), "date", label);
        if i == 0 {
            form = form.required().hint(t(lang, "workshops.wished_date_hint"));
        }
    }
    form = form
        .field("perspectives", "text", t(lang, "workshops.perspectives"))
        .hint(t(lang, "workshops.perspectives_hint"))
        .field("message", "textarea", t(lang, "workshops.message"));
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
    let asks = may_ask(viewer);
    let coordinator = viewer.actor.role == Role::Coordinator;
    let organisation = viewer.actor.organisation_id.clone();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (list, units) = blocking(lang, move || {
        let list = workshop_page::visible(&s, &actor)?;
        let units = match (asks && coordinator, organisation) {
            (true, Some(org)) => Some(workshop_page::units_of(&s, &actor, &org)?),
            _ => None,
        };
        Ok((list, units))
    })
    .await?;
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = ListPage {
        staff: staff(viewer),
        requests: list
            .iter()
            .map(|v| Line {
                href: format!("/workshop-requests/{}", v.request.id),
                organisation: v.organisation.clone(),
                unit: unit_words(lang, v),
                audience: v.request.audience.clone(),
                wished: wished(lang, v),
                requested_at: dates::date(v.request.requested_at, lang),
                status: status_word(lang, v.request.status),
                open: v.request.status == RequestStatus::Open,
            })
            .collect(),
        form: asks.then(|| ask_form(lang, units, feedback.as_ref())),
    };
    page(
        state,
        viewer,
        "workshop_requests",
        t(lang, "workshops.title"),
        status,
        &data,
    )
}

/// `GET /workshop-requests`.
pub async fn list(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    render_list(&state, &viewer, None).await
}

/// The request the form asks for, or every field that cannot be read. The wished
/// dates are sent in the order filled in; `positions` maps each one's place in the
/// list to its field, so the use case's errors land next to the right field.
fn new_request(form: &FormData) -> (Result<NewWorkshopRequest, AppError>, Vec<usize>) {
    let mut unread = Vec::new();
    let mut dates: Vec<NaiveDate> = Vec::new();
    let mut positions = Vec::new();
    for i in 0..WISHED {
        let field = format!("wished_dates[{i}]");
        if form.optional(&field).is_none() {
            continue;
        }
        match date(form, &field) {
            Ok(d) => {
                dates.push(d);
                positions.push(i);
            }
            Err(e) => unread.push(e),
        }
    }
    if dates.is_empty() && unread.is_empty() {
        unread.push(FieldError::coded(
            "wished_dates[0]",
            FieldCode::Required,
            "at least one date",
        ));
    }
    let perspectives = form
        .text("perspectives")
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Theme(p.to_string()))
        .collect();
    let input = NewWorkshopRequest {
        unit_id: form.optional("unit_id"),
        audience: form.text("audience").as_str().into(),
        wished_dates: dates,
        perspectives,
        message: form.optional("message"),
    };
    (refused(unread, checked(input)), positions)
}

/// The use case's errors on `wished_dates[i]` named by the form's field.
fn placed(error: AppError, positions: &[usize]) -> AppError {
    match error {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    if let Some(i) = e
                        .field
                        .strip_prefix("wished_dates[")
                        .and_then(|rest| rest.strip_suffix(']'))
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        let at = positions.get(i).copied().unwrap_or(i);
                        e.field = format!("wished_dates[{at}]");
                    } else if e.field == "wished_dates" {
                        e.field = "wished_dates[0]".into();
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    }
}

/// `POST /workshop-requests`: asks for a workshop.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (input, positions) = new_request(&form);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || requests::create(&s, &actor, input?)).await?;
    match outcome {
        Ok(request) => Ok(see_other(
            &state,
            &format!("/workshop-requests/{}", request.id),
            Some("workshop_requested"),
        )),
        Err(e) => {
            let e = placed(e, &positions);
            let feedback = Feedback::from_error("workshop-request", e, viewer.lang, &form)?;
            render_list(&state, &viewer, Some(feedback)).await
        }
    }
}

#[derive(Serialize)]
struct RequestPage {
    audience: String,
    organisation: String,
    unit: String,
    requested_by: String,
    requested_at: String,
    wished: String,
    perspectives: String,
    message: Option<String>,
    status: String,
    decided_at: Option<String>,
    reason: Option<String>,
    case_href: Option<String>,
    as_event: bool,
    /// A refusal of a form the page no longer shows (the request was decided).
    notice: Option<String>,
    accept: Option<FormView>,
    decline: Option<FormView>,
}

fn accept_form(
    lang: Language,
    view: &RequestView,
    units: Vec<(String, String)>,
    feedback: Option<&Feedback>,
) -> FormView {
    let id = &view.request.id;
    let schedule = ["session", "event"]
        .into_iter()
        .map(|w| {
            (
                w.to_string(),
                t(lang, &format!("workshops.schedule_as.{w}")),
            )
        })
        .collect();
    let mut form = FormView::new(
        "workshop-accept",
        format!("/workshop-requests/{id}/accept"),
        t(lang, "workshops.accept"),
    )
    .field("schedule_as", "select", t(lang, "workshops.schedule_as"))
    .required()
    .choices(schedule);
    if view.request.unit_id.is_none() {
        let mut choices = vec![(String::new(), t(lang, "workshops.accept_unit_none"))];
        choices.extend(units);
        form = form
            .field("unit_id", "select", t(lang, "workshops.accept_unit"))
            .name_choices(choices);
    }
    form = form
        .field("title", "text", t(lang, "workshops.session_title"))
        .hint(t(lang, "workshops.session_title_hint"))
        .field("starts_at", "datetime-local", t(lang, "field.starts_at"))
        .required()
        .field("ends_at", "datetime-local", t(lang, "field.ends_at"))
        .required()
        .field("location", "text", t(lang, "field.location"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

fn decline_form(lang: Language, view: &RequestView, feedback: Option<&Feedback>) -> FormView {
    let mut form = FormView::new(
        "workshop-decline",
        format!("/workshop-requests/{}/decline", view.request.id),
        t(lang, "workshops.decline"),
    )
    .field("reason", "textarea", t(lang, "workshops.reason"))
    .required()
    .hidden("step", "review");
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

fn target_of(view: &RequestView) -> Target<'_> {
    Target {
        organisation_id: Some(&view.request.organisation_id),
        unit_id: view.request.unit_id.as_deref(),
        ..Target::default()
    }
}

async fn render_request(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (view, units) = blocking(lang, move || {
        let view = workshop_page::view(&s, &actor, &id)?;
        let units = if view.request.unit_id.is_none() {
            workshop_page::units_of(&s, &actor, &view.request.organisation_id)?
        } else {
            Vec::new()
        };
        Ok((view, units))
    })
    .await?;
    let decides = view.request.status == RequestStatus::Open
        && may(
            &viewer.actor,
            Action::DecideWorkshopRequest,
            &target_of(&view),
        );
    let r = &view.request;
    let data = RequestPage {
        audience: r.audience.clone(),
        organisation: view.organisation.clone(),
        unit: unit_words(lang, &view),
        requested_by: view.requested_by.clone(),
        requested_at: dates::date(r.requested_at, lang),
        wished: wished(lang, &view),
        perspectives: if r.perspectives.is_empty() {
            "–".into()
        } else {
            r.perspectives.join(", ")
        },
        message: r.message.clone(),
        status: status_word(lang, r.status),
        decided_at: r.decided_at.map(|at| dates::date(at, lang)),
        reason: r.reason.clone(),
        case_href: r.case_id.as_ref().map(|c| format!("/cases/{c}")),
        as_event: r.event_id.is_some(),
        notice: feedback
            .as_ref()
            .filter(|_| !decides)
            .and_then(|f| f.message.clone()),
        accept: decides.then(|| accept_form(lang, &view, units, feedback.as_ref())),
        decline: decides.then(|| decline_form(lang, &view, feedback.as_ref())),
    };
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let title = data.audience.clone();
    page(state, viewer, "workshop_request", title, status, &data)
}

/// `GET /workshop-requests/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_request(&state, &viewer, path.into_inner(), None).await
}

/// The booking the accept form asks for, or every field that cannot be read.
fn acceptance(form: &FormData) -> Result<AcceptWorkshopRequest, AppError> {
    let mut unread = Vec::new();
    let schedule_as = form
        .word::<ScheduleAs>("schedule_as")
        .map_err(|e| unread.push(e))
        .unwrap_or_default();
    let mut time = |field: &str| {
        parse_input(&form.text(field)).or_else(|| {
            unread.push(FieldError::coded(
                field,
                FieldCode::DateTime,
                "must be a date and time",
            ));
            None
        })
    };
    let (starts_at, ends_at) = (time("starts_at"), time("ends_at"));
    let placeholder = parse_input("2000-01-01T00:00");
    let (Some(starts), Some(ends)) = (starts_at.or(placeholder), ends_at.or(placeholder)) else {
        return Err(AppError::Invalid(unread));
    };
    let input = AcceptWorkshopRequest {
        schedule_as,
        unit_id: form.optional("unit_id"),
        title: form.optional("title").map(|t| t.as_str().into()),
        starts_at: starts,
        ends_at: ends,
        location: form.optional("location").map(|l| l.as_str().into()),
    };
    refused(unread, checked(input))
}

/// `POST /workshop-requests/{id}/accept`: books the request.
pub async fn accept(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = path.into_inner();
    let input = acceptance(&form);
    let (s, actor, rid) = (state.clone(), viewer.actor.clone(), id.clone());
    let outcome = attempt(viewer.lang, move || {
        requests::accept(&s, &actor, &rid, input?)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/workshop-requests/{id}"),
            Some("workshop_accepted"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("workshop-accept", e, viewer.lang, &form)?;
            render_request(&state, &viewer, id, Some(feedback)).await
        }
    }
}

/// `POST /workshop-requests/{id}/decline`: checks the reason and asks first; once
/// confirmed, declines by the API's use case.
pub async fn decline(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (id, lang) = (path.into_inner(), viewer.lang);
    let reason = form.text("reason");
    let input = checked(DeclineWorkshopRequest {
        reason: reason.clone(),
    })
    .and_then(|i| requests::check_reason(&i).map(|_| i));
    let (s, actor, rid) = (state.clone(), viewer.actor.clone(), id.clone());
    if confirmed(&form) {
        let outcome = attempt(lang, move || requests::decline(&s, &actor, &rid, input?)).await?;
        return match outcome {
            Ok(_) => Ok(see_other(
                &state,
                &format!("/workshop-requests/{id}"),
                Some("workshop_declined"),
            )),
            Err(e) => {
                let feedback = Feedback::from_error("workshop-decline", e, lang, &form)?;
                render_request(&state, &viewer, id, Some(feedback)).await
            }
        };
    }
    // The first send: the same checks as the use case's, then the question.
    let checked_view = attempt(lang, move || {
        requests::check_decidable(&s, &actor, &rid)?;
        input?;
        workshop_page::view(&s, &actor, &rid)
    })
    .await?;
    match checked_view {
        Ok(view) => ask(
            &state,
            &viewer,
            &Confirmation {
                id: "workshop-decline-confirm".into(),
                action: format!("/workshop-requests/{id}/decline"),
                title: t(lang, "workshops.decline_title"),
                question: t(lang, "workshops.decline_question"),
                facts: vec![
                    (
                        t(lang, "workshops.audience_shown"),
                        view.request.audience.clone(),
                    ),
                    (t(lang, "field.organisation"), view.organisation.clone()),
                    (t(lang, "workshops.reason"), reason.trim().to_string()),
                ],
                hidden: vec![("reason".into(), reason)],
                confirm: t(lang, "workshops.decline"),
                destructive: true,
                back: format!("/workshop-requests/{id}"),
            },
        ),
        Err(e) => {
            let feedback = Feedback::from_error("workshop-decline", e, lang, &form)?;
            render_request(&state, &viewer, id, Some(feedback)).await
        }
    }
}

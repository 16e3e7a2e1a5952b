//! `/events`: staff (admins and consultants) see every event, upcoming first (searched,
//! filtered, sorted and paged like every list), with its
//! counts, a link to its public page and to its own page, and a form to create one
//! (open to all, to chosen organisations or to a cohort); coordinators and unit
//! contacts see the events open to their organisation with a link to sign up.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::error::AppError;
use crate::app::event_inputs::{Event, Everyone, NewEvent, OpenToBody};
use crate::app::lists::{self, EventAsked, EventSort, Order};
use crate::app::validation::checked;
use crate::app::{cohorts, open_events, organisations, AppState};
use crate::domain::policy::{may, visibility, Action, Target, Visibility};
use crate::domain::{FieldCode, FieldError, Language, SessionKind};
use crate::glossary::{self, dates};
use crate::http::web::forms::{Feedback, FormData, FormView, Unread};
use crate::http::web::list_query::{ListQuery, ListSpec, ListView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, time, WebError};

#[derive(Serialize)]
struct Line {
    title: String,
    href: String,
    public_href: String,
    when: String,
    kind: String,
    confirmed: i64,
    waitlisted: i64,
    capacity: String,
    upcoming: bool,
}

/// One choice of a radio or checkbox group.
#[derive(Serialize)]
pub(super) struct Check {
    pub(super) id: String,
    pub(super) value: String,
    pub(super) label: String,
    pub(super) checked: bool,
}

#[derive(Serialize)]
struct CreateForm {
    view: FormView,
    open_to: Vec<Check>,
    organisations: Vec<Check>,
    open_to_error: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    manage: bool,
    #[serde(flatten)]
    list: ListView<Line>,
    form: Option<CreateForm>,
}

/// `/events`: searched by title, filtered by kind and by `time` (`upcoming`, `past`),
/// sorted by start or title (by default those ahead first, soonest first), paged.
pub const EVENTS: ListSpec = ListSpec {
    path: "/events",
    sorts: &["soonest", "when", "title"],
    ascending: true,
    filters: &["kind", "time"],
    sticky: &[],
};

/// Drops the filters whose value is none of their choices, then reads the search.
fn event_search(query: &mut ListQuery) -> (EventAsked, Order<EventSort>) {
    query.keep_only_known("kind", |v| SessionKind::parse(v).is_some());
    query.keep_only_known("time", |v| matches!(v, "upcoming" | "past"));
    let asked = (
        query.q.clone(),
        query.filter("kind").and_then(SessionKind::parse),
        query.filter("time").map(|v| v == "upcoming"),
    );
    let order = Order {
        sort: match query.sort {
            "when" => EventSort::Start,
            "title" => EventSort::Title,
            _ => EventSort::Soonest,
        },
        ascending: query.ascending,
        page: query.page,
    };
    (asked, order)
}

/// Whether the person manages events; otherwise whether they see those open to their
/// organisation; otherwise the page is not theirs.
fn manages(viewer: &Viewer) -> Result<bool, WebError> {
    if may(&viewer.actor, Action::ManageEvents, &Target::DEPLOYMENT) {
        return Ok(true);
    }
    match visibility(&viewer.actor) {
        Visibility::Organisation(_) | Visibility::Unit { .. } => Ok(false),
        Visibility::Everything | Visibility::Nothing => Err(WebError::app(
            AppError::Forbidden("events page"),
            viewer.lang,
        )),
    }
}

fn line(lang: Language, event: Event, now: chrono::DateTime<chrono::Utc>) -> Line {
    Line {
        href: format!("/events/{}/manage", event.id),
        public_href: format!("/events/{}", event.id),
        when: dates::date_time(event.starts_at, lang),
        kind: glossary::session_kind(lang, event.kind).to_string(),
        confirmed: event.confirmed,
        waitlisted: event.waitlisted,
        capacity: event
            .capacity
            .map_or_else(|| t(lang, "events.unlimited"), |c| c.to_string()),
        upcoming: event.ends_at > now,
        title: event.title,
    }
}

fn create_form(
    lang: Language,
    organisations: Vec<(String, String)>,
    cohorts: Vec<(String, String)>,
    feedback: Option<&Feedback>,
) -> CreateForm {
    let kinds = kind_choices(lang);
    let mut cohort_choices = vec![(String::new(), t(lang, "events.no_cohort"))];
    cohort_choices.extend(cohorts);
    let mut view = FormView::new("event", "/events", t(lang, "events.create"))
        .field("title", "text", t(lang, "field.title"))
        .required()
        .field("kind", "select", t(lang, "events.kind"))
        .required()
        .choices(kinds)
        .value(SessionKind::LearningMeeting.as_str())
        .field("starts_at", "datetime-local", t(lang, "field.starts_at"))
        .required()
        .field("ends_at", "datetime-local", t(lang, "field.ends_at"))
        .required()
        .field("location", "text", t(lang, "field.location"))
        .field("description", "textarea", t(lang, "field.description"))
        .field("audience", "text", t(lang, "field.audience"))
        .field("capacity", "number", t(lang, "events.capacity"))
        .range(Some(1), Some(100_000))
        .field(
            "registration_closes_at",
            "datetime-local",
            t(lang, "events.closes"),
        )
        .field("cohort_id", "select", t(lang, "events.cohort"))
        .name_choices(cohort_choices)
        .hint(t(lang, "events.cohort_hint"));
    let sent = |name: &str| -> Vec<String> {
        feedback
            .map(|f| {
                f.values
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let chosen_open_to = sent("open_to").pop().unwrap_or_else(|| "all".into());
    let chosen_organisations = sent("organisation_ids");
    let mut open_to_error = None;
    if let Some(f) = feedback {
        view.apply(f, &|r| r.key.clone());
        open_to_error = f
            .errors
            .iter()
            .find(|e| e.field.starts_with("open_to"))
            .map(|e| e.message.clone());
    }
    CreateForm {
        view: view.finish(),
        open_to: ["all", "organisations", "cohort"]
            .into_iter()
            .map(|v| Check {
                id: format!("event-open_to-{v}"),
                value: v.into(),
                label: t(lang, &format!("events.open_to.{v}")),
                checked: chosen_open_to == v,
            })
            .collect(),
        organisations: organisations
            .into_iter()
            .map(|(id, label)| Check {
                checked: chosen_organisations.contains(&id),
                id: format!("event-organisation-{id}"),
                value: id,
                label,
            })
            .collect(),
        open_to_error,
    }
}

/// Every kind of event, as (value, word).
fn kind_choices(lang: Language) -> Vec<(String, String)> {
    SessionKind::ALL
        .into_iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                glossary::session_kind(lang, k).into(),
            )
        })
        .collect()
}

async fn render_list(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
    mut query: ListQuery,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let manage = manages(viewer)?;
    let (asked, order) = event_search(&mut query);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (found, organisations, cohorts, now) = blocking(lang, move || {
        let found = lists::events(&s, &actor, asked, order)?;
        let (organisations, cohorts) = if manage {
            (
                organisations::list(&s, &actor, all())?.items,
                cohorts::list(&s, &actor, all())?.items,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok((found, organisations, cohorts, s.now()))
    })
    .await?;
    let counts = found.counts();
    let rows = found
        .items
        .into_iter()
        .map(|e| line(lang, e, now))
        .collect();
    let mut organisations: Vec<(String, String)> =
        organisations.into_iter().map(|o| (o.id, o.name)).collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    let cohorts = cohorts.into_iter().map(|c| (c.id, c.name)).collect();
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let selects = vec![
        query.select(lang, "kind", t(lang, "events.kind"), kind_choices(lang)),
        query.select(
            lang,
            "time",
            t(lang, "events.col.when"),
            vec![
                ("upcoming".into(), t(lang, "events.upcoming")),
                ("past".into(), t(lang, "events.past")),
            ],
        ),
    ];
    let mut columns = vec![
        ("title", t(lang, "events.col.title")),
        ("when", t(lang, "events.col.when")),
        ("", t(lang, "events.kind")),
    ];
    if manage {
        columns.extend([
            ("", t(lang, "events.col.confirmed")),
            ("", t(lang, "events.col.waitlisted")),
            ("", t(lang, "events.col.capacity")),
        ]);
    }
    columns.push(("", t(lang, "events.col.public")));
    let list = query.view(
        lang,
        t(lang, "events.search"),
        selects,
        columns,
        (rows, counts),
    );
    let data = ListPage {
        manage,
        list,
        form: manage.then(|| create_form(lang, organisations, cohorts, feedback.as_ref())),
    };
    page(
        state,
        viewer,
        "events",
        t(lang, "events.title"),
        status,
        &data,
    )
}

/// `GET /events` (see `EVENTS`).
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let query = ListQuery::parse(&EVENTS, req.query_string());
    render_list(&state, &viewer, None, query).await
}

/// The create form read into the API's request (times in Stockholm time), every field
/// that cannot be read refused at once with those the API's checks refuse.
fn new_event(form: &FormData) -> Result<NewEvent, AppError> {
    let mut unread = Unread::default();
    let when = |field: &str| {
        time::parse_input(&form.text(field))
            .ok_or_else(|| FieldError::coded(field, FieldCode::DateTime, "must be a date and time"))
    };
    let kind = unread.keep(form.word::<SessionKind>("kind"));
    let starts_at = unread.keep(when("starts_at"));
    let ends_at = unread.keep(when("ends_at"));
    let closes = match form.optional("registration_closes_at") {
        Some(_) => unread.keep(when("registration_closes_at").map(Some)),
        None => Some(None),
    };
    let capacity = unread.keep(form.optional_number("capacity"));
    let cohort_id = form.optional("cohort_id");
    let open_to = match form.text("open_to").as_str() {
        "organisations" => OpenToBody::Organisations(
            form.0
                .iter()
                .filter(|(k, v)| k == "organisation_ids" && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
        ),
        "cohort" if cohort_id.is_none() => {
            unread.keep::<()>(Err(FieldError::coded(
                "cohort_id",
                FieldCode::Required,
                "choose the cohort",
            )));
            OpenToBody::Everyone(Everyone::All)
        }
        _ => OpenToBody::Everyone(Everyone::All),
    };
    let (Some(kind), Some(starts_at), Some(ends_at), Some(closes), Some(capacity), true) = (
        kind,
        starts_at,
        ends_at,
        closes,
        capacity,
        unread.is_empty(),
    ) else {
        return Err(unread.refusal());
    };
    checked(NewEvent {
        title: form.text("title").as_str().into(),
        kind,
        starts_at,
        ends_at,
        location: form.optional("location").map(Into::into),
        description: form.optional("description"),
        audience: form.optional("audience").map(Into::into),
        capacity: capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX)),
        open_to,
        registration_closes_at: closes,
        cohort_id: (form.text("open_to") == "cohort")
            .then_some(cohort_id)
            .flatten(),
    })
}

/// `POST /events`: creates the event and opens its page.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = new_event(&form);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    match attempt(viewer.lang, move || {
        input.and_then(|i| open_events::create(&s, &actor, i))
    })
    .await?
    {
        Ok(event) => Ok(see_other(
            &state,
            &format!("/events/{}/manage", event.id),
            Some("event_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("event", e, viewer.lang, &form)?;
            let query = ListQuery::parse(&EVENTS, "");
            render_list(&state, &viewer, Some(feedback), query).await
        }
    }
}

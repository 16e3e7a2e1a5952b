//! Action plans: the list of the plans a person may see (searched, filtered, sorted,
//! paged) with a form to start one (staff), a plan's page (its actions as a table, overdue first, with the follow-ups,
//! a form to add an action, the history) and its CSV. The actions' own page and forms
//! are in `plan_action`. Every change goes through `app::plans`, the API's use cases.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;

use super::{all, t};
use crate::app::cases::{self, CaseQuery};
use crate::app::csv::CsvWriter;
use crate::app::error::AppError;
use crate::app::lists::{self, Order, Period, PlanSort};
use crate::app::plan_inputs::NewPlan;
use crate::app::plan_page::{self, HistoryLine, PlanView};
use crate::app::plans::{self, FollowUp, Person, Plan, PlanAction};
use crate::app::validation::checked;
use crate::app::{organisations, AppState};
use crate::domain::plan::ActionStatus;
use crate::domain::policy::{may, Action, Target};
use crate::domain::{FieldCode, FieldError, Language};
use crate::glossary::dates;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::list_query::{ListQuery, ListSpec, ListView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

/// The words of an action's status.
pub(crate) fn status_word(lang: Language, status: ActionStatus) -> String {
    t(lang, &format!("plans.status.{}", status.as_str()))
}

/// The choices of a status select, in the table's order.
pub(crate) fn status_choices(lang: Language) -> Vec<(String, String)> {
    [
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ]
    .into_iter()
    .map(|s| (s.as_str().to_string(), status_word(lang, s)))
    .collect()
}

/// The people of the organisation as select choices.
pub(crate) fn people_choices(people: &[Person]) -> Vec<(String, String)> {
    people
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

/// A date field of a form (`YYYY-MM-DD`), or the error naming it.
pub(crate) fn date(form: &FormData, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(form.text(field).trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::coded(field, FieldCode::Date, "must be a date YYYY-MM-DD"))
}

/// An optional date field: empty is none.
pub(crate) fn optional_date(form: &FormData, field: &str) -> Result<Option<NaiveDate>, FieldError> {
    form.optional(field).map(|_| date(form, field)).transpose()
}

/// Every error of a form at once: those of reading it, then those of its rules.
pub(crate) fn refused<T>(
    unread: Vec<FieldError>,
    rules: Result<T, AppError>,
) -> Result<T, AppError> {
    match (unread.is_empty(), rules) {
        (true, rules) => rules,
        (false, Err(AppError::Invalid(more))) => {
            Err(AppError::Invalid(unread.into_iter().chain(more).collect()))
        }
        (false, _) => Err(AppError::Invalid(unread)),
    }
}

fn organisation_target(id: &str) -> Target<'_> {
    Target {
        organisation_id: Some(id),
        ..Target::default()
    }
}

/// True when the viewer may change `action` (staff, the organisation's coordinators,
/// its responsible person).
pub(crate) fn may_update(viewer: &Viewer, plan: &Plan, action: &PlanAction) -> bool {
    may(
        &viewer.actor,
        Action::UpdatePlanAction,
        &Target {
            organisation_id: Some(&plan.organisation_id),
            responsible_id: Some(&action.responsible.id),
            ..Target::default()
        },
    )
}

#[derive(Serialize)]
struct ListLine {
    href: String,
    title: String,
    organisation: String,
    period: String,
    actions: usize,
    overdue: usize,
    done: usize,
}

/// `/plans`: searched by title, filtered by organisation and period (`running`,
/// `ahead`, `ended`), sorted by period (newest first), title or organisation, paged.
pub const PLANS: ListSpec = ListSpec {
    path: "/plans",
    sorts: &["period", "title", "organisation"],
    ascending: false,
    filters: &["organisation", "period"],
    sticky: &[],
};

/// The periods the filter offers, as (value, period).
const PERIODS: [(&str, Period); 3] = [
    ("running", Period::Running),
    ("ahead", Period::Ahead),
    ("ended", Period::Ended),
];

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    list: ListView<ListLine>,
    form: Option<FormView>,
}

/// The list as it first shows, under a form sent with a mistake.
fn unlisted() -> ListQuery {
    ListQuery::parse(&PLANS, "")
}

fn period(lang: Language, plan: &Plan) -> String {
    format!(
        "{} – {}",
        dates::day(plan.period_start, lang),
        dates::day(plan.period_end, lang)
    )
}

fn may_create(viewer: &Viewer) -> bool {
    may(&viewer.actor, Action::CreatePlan, &Target::DEPLOYMENT)
}

fn create_form(
    lang: Language,
    choices: Vec<(String, String)>,
    cases: Vec<(String, String)>,
    feedback: Option<&Feedback>,
) -> FormView {
    let mut case_choices = vec![(String::new(), t(lang, "plans.no_case"))];
    case_choices.extend(cases);
    let mut form = FormView::new("plan", "/plans", t(lang, "plans.create"))
        .field("title", "text", t(lang, "plans.plan_title"))
        .required()
        .field("organisation_id", "select", t(lang, "field.organisation"))
        .required()
        .name_choices(choices)
        .field("period_start", "date", t(lang, "plans.period_start"))
        .required()
        .field("period_end", "date", t(lang, "plans.period_end"))
        .required()
        .field("case_id", "select", t(lang, "plans.case"))
        .name_choices(case_choices)
        .hint(t(lang, "plans.case_hint"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

async fn render_list(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
    mut query: ListQuery,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let create = may_create(viewer);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (organisations, cases) = blocking(lang, move || {
        let organisations = organisations::list(&s, &actor, all())?.items;
        let cases = if create {
            cases::list(&s, &actor, CaseQuery::default(), all())?.items
        } else {
            Vec::new()
        };
        Ok((organisations, cases))
    })
    .await?;
    let choices: Vec<(String, String)> = organisations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    query.keep_only_known("organisation", |v| choices.iter().any(|(id, _)| id == v));
    query.keep_only_known("period", |v| PERIODS.iter().any(|(p, _)| *p == v));
    let asked = (
        query.q.clone(),
        query.filter("organisation").map(String::from),
        query
            .filter("period")
            .and_then(|v| PERIODS.iter().find(|(p, _)| *p == v))
            .map(|(_, period)| *period),
    );
    let order = Order {
        sort: match query.sort {
            "title" => PlanSort::Title,
            "organisation" => PlanSort::Organisation,
            _ => PlanSort::Period,
        },
        ascending: query.ascending,
        page: query.page,
    };
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || lists::plans(&s, &actor, asked, order)).await?;
    let names: std::collections::HashMap<String, String> =
        organisations.into_iter().map(|o| (o.id, o.name)).collect();
    let mut case_choices: Vec<(String, String)> = cases
        .into_iter()
        .map(|c| {
            let organisation = names
                .get(&c.unit.organisation_id)
                .cloned()
                .unwrap_or_default();
            (
                c.id,
                format!("{organisation}: {} ({})", c.unit.name, c.programme.key),
            )
        })
        .collect();
    case_choices.sort_by(|a, b| a.1.cmp(&b.1));
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let counts = found.counts();
    let rows = found
        .items
        .into_iter()
        .map(|s| ListLine {
            href: format!("/plans/{}", s.plan.id),
            period: period(lang, &s.plan),
            actions: s.plan.actions.len(),
            overdue: s.plan.actions.iter().filter(|a| a.overdue).count(),
            done: s
                .plan
                .actions
                .iter()
                .filter(|a| a.status == ActionStatus::Done)
                .count(),
            title: s.plan.title,
            organisation: s.organisation,
        })
        .collect();
    let mut selects = Vec::new();
    // A coordinator's one organisation is no choice.
    if choices.len() > 1 {
        selects.push(query.name_select(
            lang,
            "organisation",
            t(lang, "field.organisation"),
            choices.clone(),
        ));
    }
    let periods = PERIODS
        .iter()
        .map(|(value, _)| (value.to_string(), t(lang, &format!("plans.period_{value}"))))
        .collect();
    selects.push(query.select(lang, "period", t(lang, "plans.period"), periods));
    let columns = vec![
        ("title", t(lang, "plans.plan_title")),
        ("organisation", t(lang, "field.organisation")),
        ("period", t(lang, "plans.period")),
        ("", t(lang, "plans.actions")),
        ("", t(lang, "plans.overdue_count")),
        ("", t(lang, "plans.done_count")),
    ];
    let list = query.view(
        lang,
        t(lang, "plans.search"),
        selects,
        columns,
        (rows, counts),
    );
    let data = ListPage {
        list,
        form: create.then(|| create_form(lang, choices, case_choices, feedback.as_ref())),
    };
    page(
        state,
        viewer,
        "plans",
        t(lang, "plans.title"),
        status,
        &data,
    )
}

/// `GET /plans` (see `PLANS`).
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let query = ListQuery::parse(&PLANS, req.query_string());
    render_list(&state, &viewer, None, query).await
}

/// `POST /plans`: starts an organisation's plan (admin, consultants).
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    if !may_create(&viewer) {
        return Err(WebError::app(AppError::Forbidden("plans"), viewer.lang));
    }
    let (start, end) = (date(&form, "period_start"), date(&form, "period_end"));
    let (title, organisation_id, case_id) = (
        form.text("title"),
        form.text("organisation_id"),
        form.optional("case_id"),
    );
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        let unread: Vec<FieldError> = [start.as_ref().err(), end.as_ref().err()]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let placeholder = NaiveDate::default();
        let input = refused(
            unread,
            checked(NewPlan {
                title: title.as_str().into(),
                period_start: start.clone().unwrap_or(placeholder),
                period_end: end.clone().unwrap_or(placeholder),
                case_id,
            }),
        )?;
        if organisation_id.is_empty() {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "organisation_id",
                FieldCode::Required,
                "must not be blank",
            )]));
        }
        plans::create(&s, &actor, &organisation_id, input)
    })
    .await?;
    match outcome {
        Ok(plan) => Ok(see_other(
            &state,
            &format!("/plans/{}", plan.id),
            Some("plan_created"),
        )),
        // An organisation that is not there is a field of the form, not a page.
        Err(AppError::NotFound) => {
            let error = FieldError::coded(
                "organisation_id",
                FieldCode::UnknownOrganisation,
                "no organisation has this id",
            );
            let feedback = Feedback::invalid("plan", viewer.lang, vec![error], &form);
            render_list(&state, &viewer, Some(feedback), unlisted()).await
        }
        Err(e) => {
            let feedback = Feedback::from_error("plan", e, viewer.lang, &form)?;
            render_list(&state, &viewer, Some(feedback), unlisted()).await
        }
    }
}

#[derive(Serialize)]
pub(crate) struct FollowUpLine {
    at: String,
    by: String,
    text: String,
}

pub(crate) fn follow_up_lines(lang: Language, follow_ups: &[FollowUp]) -> Vec<FollowUpLine> {
    follow_ups
        .iter()
        .map(|f| FollowUpLine {
            at: dates::date(f.at, lang),
            by: f.by.name.clone(),
            text: f.text.clone(),
        })
        .collect()
}

#[derive(Serialize)]
struct ActionLine {
    href: String,
    title: String,
    responsible: String,
    coordinator: String,
    status: String,
    overdue: bool,
    due: String,
    follow_ups: Vec<FollowUpLine>,
}

#[derive(Serialize)]
struct HistoryItem {
    at: String,
    by: String,
    what: String,
}

#[derive(Serialize)]
struct PlanPage {
    title: String,
    organisation: String,
    period: String,
    case_href: Option<String>,
    csv_href: String,
    lines: Vec<ActionLine>,
    overdue: usize,
    form: Option<FormView>,
    history: Vec<HistoryItem>,
}

pub(crate) fn due_words(lang: Language, due: Option<NaiveDate>) -> String {
    due.map_or_else(|| "–".to_string(), |d| dates::day(d, lang))
}

fn history_item(lang: Language, line: HistoryLine) -> HistoryItem {
    let status = line
        .status
        .as_deref()
        .and_then(ActionStatus::parse)
        .map(|s| status_word(lang, s))
        .unwrap_or_default();
    HistoryItem {
        at: dates::date_time(line.at, lang),
        by: line.by,
        what: crate::glossary::text(
            lang,
            &format!("plans.history.{}", line.kind),
            &[("action", line.action), ("status", status)],
        ),
    }
}

fn add_form(lang: Language, view: &PlanView, feedback: Option<&Feedback>) -> FormView {
    let people = people_choices(&view.people);
    let mut coordinators = vec![(String::new(), t(lang, "plans.no_coordinator"))];
    coordinators.extend(people.iter().cloned());
    let mut form = FormView::new(
        "plan-action",
        format!("/plans/{}/actions", view.plan.id),
        t(lang, "plans.add_action"),
    )
    .field("title", "text", t(lang, "plans.action"))
    .required()
    .field("description", "textarea", t(lang, "plans.description"))
    .field("responsible_id", "select", t(lang, "plans.responsible"))
    .required()
    .name_choices(people)
    .field("coordinator_id", "select", t(lang, "plans.coordinator"))
    .name_choices(coordinators)
    .field("due_on", "date", t(lang, "plans.due_on"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

/// The plan's page, with `feedback` next to the add-action form.
async fn render_plan(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let view = blocking(lang, move || plan_page::view(&s, &actor, &id)).await?;
    let manage = may(
        &viewer.actor,
        Action::ManagePlan,
        &organisation_target(&view.plan.organisation_id),
    );
    let form = manage.then(|| add_form(lang, &view, feedback.as_ref()));
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let plan = &view.plan;
    let lines = plan
        .actions
        .iter()
        .map(|a| ActionLine {
            href: format!("/plans/{}/actions/{}", plan.id, a.id),
            title: a.title.clone(),
            responsible: a.responsible.name.clone(),
            coordinator: a
                .coordinator
                .as_ref()
                .map_or_else(|| "–".to_string(), |c| c.name.clone()),
            status: status_word(lang, a.status),
            overdue: a.overdue,
            due: due_words(lang, a.due_on),
            follow_ups: follow_up_lines(lang, &a.follow_ups),
        })
        .collect();
    let data = PlanPage {
        title: plan.title.clone(),
        organisation: view.organisation.clone(),
        period: period(lang, plan),
        case_href: plan.case_id.as_ref().map(|c| format!("/cases/{c}")),
        csv_href: format!("/plans/{}.csv", plan.id),
        overdue: plan.actions.iter().filter(|a| a.overdue).count(),
        lines,
        form,
        history: view
            .history
            .iter()
            .cloned()
            .map(|h| history_item(lang, h))
            .collect(),
    };
    let title = data.title.clone();
    page(state, viewer, "plan", title, status, &data)
}

/// `GET /plans/{pid}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_plan(&state, &viewer, path.into_inner(), None).await
}

/// `POST /plans/{pid}/actions`: adds an action (staff, the organisation's coordinators).
pub async fn add_action(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = path.into_inner();
    let due = optional_date(&form, "due_on");
    let input = crate::app::plan_inputs::NewAction {
        title: form.text("title").as_str().into(),
        description: form.optional("description"),
        responsible_id: form.text("responsible_id"),
        coordinator_id: form.optional("coordinator_id"),
        due_on: None,
    };
    let (s, actor, plan_id) = (state.clone(), viewer.actor.clone(), id.clone());
    let outcome = attempt(viewer.lang, move || {
        let unread: Vec<FieldError> = due.as_ref().err().cloned().into_iter().collect();
        let mut input = refused(unread, checked(input))?;
        input.due_on = due.ok().flatten();
        plans::add_action(&s, &actor, &plan_id, input)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/plans/{id}"),
            Some("plan_action_added"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("plan-action", e, viewer.lang, &form)?;
            render_plan(&state, &viewer, id, Some(feedback)).await
        }
    }
}

/// A file name of `title` a browser keeps as it is: ASCII letters and digits (å, ä and
/// ö as a, a and o), the rest as dashes.
pub(crate) fn file_name(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "plan".to_string()
    } else {
        trimmed.chars().take(80).collect()
    }
}

/// `GET /plans/{pid}.csv`: one row per action, in the table's order, with its latest
/// follow-up; headers and words in the viewer's language, names rather than ids.
pub async fn csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor, id) = (state.clone(), viewer.actor.clone(), path.into_inner());
    let plan = blocking(lang, move || plans::get(&s, &actor, &id)).await?;
    let mut out = CsvWriter::new();
    let headers = [
        "plans.csv.action",
        "plans.csv.responsible",
        "plans.csv.coordinator",
        "plans.csv.status",
        "plans.csv.due_on",
        "plans.csv.overdue",
        "plans.csv.follow_up",
        "plans.csv.follow_up_by",
        "plans.csv.follow_up_at",
    ];
    out.row(headers.iter().map(|h| t(lang, h)));
    for a in plan.actions {
        let latest = a.follow_ups.last();
        out.row([
            a.title.clone(),
            a.responsible.name.clone(),
            a.coordinator
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            status_word(lang, a.status),
            a.due_on.map(|d| d.to_string()).unwrap_or_default(),
            t(lang, if a.overdue { "csv.yes" } else { "csv.no" }),
            latest.map(|f| f.text.clone()).unwrap_or_default(),
            latest.map(|f| f.by.name.clone()).unwrap_or_default(),
            latest
                .map(|f| crate::http::web::time::show(f.at))
                .unwrap_or_default(),
        ]);
    }
    let name = file_name(&plan.title);
    let utf8 = crate::http::web::urlencode(&format!("{}.csv", plan.title)).replace('+', "%20");
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\"; filename*=UTF-8''{utf8}"),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out.finish()))
}

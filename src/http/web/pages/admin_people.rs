//! Users (create, search and filter) and programmes (list, create a new version):
//! the admin's. One user's page is `admin_users`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::inputs::{NewProgramme, NewUser};
use crate::app::programmes::Programme;
use crate::app::views::User;
use crate::app::{organisations, programmes, users, AppState};
use crate::domain::policy::{may, Action, Target};
use crate::domain::{Language, Role};
use crate::glossary;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::words;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct UserLine {
    href: String,
    name: String,
    email: String,
    role: String,
    organisation: String,
    language: String,
    status: String,
}

/// The search and filters of the user list, as sent in the query string.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UserFilter {
    pub q: String,
    pub role: String,
    pub organisation_id: String,
    /// `active`, `closed` or empty (both).
    pub status: String,
}

impl UserFilter {
    fn from_query(query: &str) -> UserFilter {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map(|q| q.into_inner())
            .unwrap_or_default();
        let get = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        UserFilter {
            q: get("q"),
            role: get("role"),
            organisation_id: get("organisation_id"),
            status: get("status"),
        }
    }

    /// Whether `user` is one the filter shows: the search in the name or the
    /// address (without case), the role, the organisation and the state all match.
    fn shows(&self, user: &User) -> bool {
        let q = self.q.to_lowercase();
        (q.is_empty()
            || user.name.to_lowercase().contains(&q)
            || user.email.to_lowercase().contains(&q))
            && (self.role.is_empty() || user.role.as_str() == self.role)
            && (self.organisation_id.is_empty()
                || user.organisation_id.as_deref() == Some(self.organisation_id.as_str()))
            && match self.status.as_str() {
                "active" => user.active,
                "closed" => !user.active,
                _ => true,
            }
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(options: Vec<(String, String)>, chosen: &str) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}

#[derive(Serialize)]
struct UsersPage {
    users: Vec<UserLine>,
    filter: UserFilter,
    roles: Vec<Choice>,
    organisations: Vec<Choice>,
    statuses: Vec<Choice>,
    /// How many users match, and whether only the first of them are listed.
    found: usize,
    more: bool,
    form: Option<FormView>,
}

/// Every role, as (value, word).
fn role_choices(lang: Language) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), glossary::role(lang, *r).to_string()))
        .collect()
}

/// Whether an account is open, in words.
pub(crate) fn account_state(lang: Language, active: bool) -> String {
    t(
        lang,
        if active {
            "users.status_active"
        } else {
            "users.status_closed"
        },
    )
}

/// The fields of where a user is placed and what they read: role, organisation,
/// unit, language (as words); `user`'s values when editing one.
pub(crate) fn placement_fields(
    form: FormView,
    lang: Language,
    orgs: Vec<(String, String)>,
    units: Vec<(String, String)>,
    user: Option<&User>,
) -> FormView {
    let mut org_choices = vec![(String::new(), t(lang, "field.none"))];
    org_choices.extend(orgs);
    let mut unit_choices = vec![(String::new(), t(lang, "field.none"))];
    unit_choices.extend(units);
    form.field("role", "select", t(lang, "field.role"))
        .required()
        .choices(role_choices(lang))
        .value(user.map_or("consultant", |u| u.role.as_str()))
        .field("organisation_id", "select", t(lang, "field.organisation"))
        .name_choices(org_choices)
        .value(
            user.and_then(|u| u.organisation_id.clone())
                .unwrap_or_default(),
        )
        .hint(t(lang, "hint.user_organisation"))
        .field("unit_id", "select", t(lang, "field.unit"))
        .name_choices(unit_choices)
        .value(user.and_then(|u| u.unit_id.clone()).unwrap_or_default())
        .hint(t(lang, "hint.user_unit"))
        .field("language", "select", t(lang, "field.language"))
        .choices(vec![
            ("sv".into(), language_name(lang, Language::Sv)),
            ("en".into(), language_name(lang, Language::En)),
        ])
        .value(user.map_or("sv", |u| u.language.as_str()))
}

/// The language of an account, as a word in the page's language.
pub(crate) fn language_name(lang: Language, of: Language) -> String {
    t(lang, &format!("language.{}", of.as_str()))
}

async fn render_users(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
    filter: UserFilter,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (list, orgs, units) = blocking(lang, move || {
        let list = users::list(&s, &actor, None, everyone())?.items;
        let orgs = organisations::list(&s, &actor, all())?.items;
        let units = organisations::list_units(&s, &actor, None, all())?.items;
        Ok((list, orgs, units))
    })
    .await?;
    let roles = role_choices(lang);
    let form = FormView::new("user", "/admin/users", t(lang, "action.create_user"))
        .field("name", "text", t(lang, "field.person_name"))
        .required()
        .autocomplete("off")
        .field("email", "email", t(lang, "field.email"))
        .required()
        .autocomplete("off");
    let org_pairs: Vec<(String, String)> = orgs
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let unit_pairs = units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let mut form = placement_fields(form, lang, org_pairs, unit_pairs, None)
        .field("password", "password", t(lang, "field.new_password"))
        .autocomplete("new-password")
        .hint(t(lang, "hint.password_or_welcome"));
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    if let Some(f) = &feedback {
        form.apply(f, &|r| r.key.clone());
    }
    let org_name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| orgs.iter().find(|o| &o.id == id))
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let matching: Vec<_> = list.into_iter().filter(|u| filter.shows(u)).collect();
    let found = matching.len();
    let users = matching
        .into_iter()
        .take(SHOWN)
        .map(|u| UserLine {
            href: format!("/admin/users/{}", u.id),
            organisation: org_name(&u.organisation_id),
            name: u.name,
            email: u.email,
            role: glossary::role(lang, u.role).to_string(),
            language: language_name(lang, u.language),
            status: account_state(lang, u.active),
        })
        .collect();
    let mut role_filter = vec![(String::new(), t(lang, "users.any"))];
    role_filter.extend(roles);
    let mut org_filter = vec![(String::new(), t(lang, "users.any"))];
    org_filter.extend(orgs.iter().map(|o| (o.id.clone(), o.name.clone())));
    let status_filter = vec![
        (String::new(), t(lang, "users.any")),
        ("active".into(), t(lang, "users.status_active")),
        ("closed".into(), t(lang, "users.status_closed")),
    ];
    page(
        state,
        viewer,
        "users",
        t(lang, "users.title"),
        status,
        &UsersPage {
            users,
            roles: choices(role_filter, &filter.role),
            organisations: choices(org_filter, &filter.organisation_id),
            statuses: choices(status_filter, &filter.status),
            filter,
            found,
            more: found > SHOWN,
            form: may(&viewer.actor, Action::CreateUser, &Target::DEPLOYMENT)
                .then(|| form.finish()),
        },
    )
}

/// How many matching users the list shows.
const SHOWN: usize = 200;

/// Every user, for the list's search (the filters run over all of them).
fn everyone() -> crate::app::PageRequest {
    crate::app::PageRequest {
        limit: 100_000,
        cursor: None,
    }
}

/// `GET /admin/users`: `?q=` searches names and addresses; `role`,
/// `organisation_id` and `status` (`active`, `closed`) filter.
pub async fn users(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let filter = UserFilter::from_query(req.query_string());
    render_users(&state, &viewer, None, filter).await
}

/// `POST /admin/users`: without a password the user gets a welcome mail.
pub async fn create_user(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = NewUser::try_from(&form);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || users::create(&s, Some(&actor), input?)).await?;
    match outcome {
        Ok(_) => Ok(see_other(&state, "/admin/users", Some("user_created"))),
        Err(e) => {
            let feedback = Feedback::from_error("user", e, viewer.lang, &form)?;
            render_users(&state, &viewer, Some(feedback), UserFilter::default()).await
        }
    }
}

#[derive(Serialize)]
struct ProgrammeLine {
    href: String,
    key: String,
    name: String,
    version: i32,
    workshops_required: u32,
    attendance_threshold_pct: u32,
    reflection_threshold_pct: u32,
    areas: String,
    validity_months: u32,
}

#[derive(Serialize)]
struct ProgrammesPage {
    programmes: Vec<ProgrammeLine>,
    new_href: Option<&'static str>,
    form: Option<FormView>,
}

fn line(lang: Language, p: Programme) -> ProgrammeLine {
    ProgrammeLine {
        areas: p
            .routine_areas
            .iter()
            .map(|a| words::area(lang, a))
            .collect::<Vec<_>>()
            .join(", "),
        href: format!("/admin/programmes/{}", p.id),
        key: p.key,
        name: p.name,
        version: p.version,
        workshops_required: p.workshops_required,
        attendance_threshold_pct: p.attendance_threshold_pct,
        reflection_threshold_pct: p.reflection_threshold_pct,
        validity_months: p.validity_months,
    }
}

async fn render_programmes(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let s = state.clone();
    let list = blocking(lang, move || programmes::list(&s, all()))
        .await?
        .items;
    let form = may(&viewer.actor, Action::CreateProgramme, &Target::DEPLOYMENT).then(|| {
        let mut form = FormView::new(
            "programme",
            "/admin/programmes",
            t(lang, "action.create_programme"),
        )
        .field("name", "text", t(lang, "field.name"))
        .required()
        .field(
            "workshops_required",
            "number",
            t(lang, "field.workshops_required"),
        )
        .range(Some(1), Some(50))
        .field(
            "attendance_threshold_pct",
            "number",
            t(lang, "field.attendance_threshold_pct"),
        )
        .range(Some(1), Some(100))
        .field(
            "reflection_threshold_pct",
            "number",
            t(lang, "field.reflection_threshold_pct"),
        )
        .range(Some(1), Some(100))
        .field("routine_areas", "text", t(lang, "field.routine_areas"))
        .hint(t(lang, "hint.routine_areas"))
        .field(
            "validity_months",
            "number",
            t(lang, "field.validity_months"),
        )
        .range(Some(1), Some(120));
        if let Some(f) = &feedback {
            form.apply(f, &|r| r.key.clone());
        }
        form.finish()
    });
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = ProgrammesPage {
        programmes: list.into_iter().map(|p| line(lang, p)).collect(),
        new_href: form.is_some().then_some("/admin/programmes/new"),
        form,
    };
    page(
        state,
        viewer,
        "programmes",
        t(lang, "programmes.title"),
        status,
        &data,
    )
}

/// `GET /admin/programmes`.
pub async fn programmes(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, WebError> {
    render_programmes(&state, &viewer, None).await
}

/// `POST /admin/programmes`: a new programme, or the next version of its key.
pub async fn create_programme(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let sent = FormData(form.0.clone());
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        // The key is made from the name; the form has no field for it.
        let key = match sent.optional("key") {
            Some(key) => key,
            None => programmes::new_key(&s, &sent.text("name"))?,
        };
        programmes::create(&s, &actor, NewProgramme::try_from(&with_key(sent, key))?)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            "/admin/programmes",
            Some("programme_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("programme", e, viewer.lang, &form)?;
            render_programmes(&state, &viewer, Some(feedback)).await
        }
    }
}

/// The posted fields with the programme's key added.
fn with_key(mut fields: FormData, key: String) -> FormData {
    fields.0.push(("key".into(), key));
    fields
}

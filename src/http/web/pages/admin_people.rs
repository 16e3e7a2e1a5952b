//! Users (create; search, filter, sort and page) and programmes (list, create a new version):
//! the admin's. One user's page is `admin_users`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::inputs::{NewProgramme, NewUser};
use crate::app::lists::{self, ListedUser, Order, UserListFilter, UserSort};
use crate::app::programmes::Programme;
use crate::app::views::User;
use crate::app::{organisations, programmes, users, AppState};
use crate::domain::policy::{may, Action, Target};
use crate::domain::{Language, Role};
use crate::glossary;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::list_query::{ListQuery, ListSpec, ListView};
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

/// `/admin/users`: searched by name or address, filtered by role, organisation
/// (`organisation_id`) and account (`status`: `active`, `closed`), sorted and paged.
pub const USERS: ListSpec = ListSpec {
    path: "/admin/users",
    sorts: &["name", "email", "role", "organisation"],
    ascending: true,
    filters: &["role", "organisation_id", "status"],
    sticky: &[],
};

#[derive(Serialize)]
struct UsersPage {
    #[serde(flatten)]
    list: ListView<UserLine>,
    form: Option<FormView>,
}

/// Drops the filters whose value is none of their choices, then reads the search.
fn user_search(
    query: &mut ListQuery,
    orgs: &[(String, String)],
) -> (UserListFilter, Order<UserSort>) {
    query.keep_only_known("role", |v| Role::parse(v).is_some());
    query.keep_only_known("organisation_id", |v| orgs.iter().any(|(id, _)| id == v));
    query.keep_only_known("status", |v| matches!(v, "active" | "closed"));
    let filter = UserListFilter {
        search: query.q.clone(),
        role: query.filter("role").and_then(Role::parse),
        organisation_id: query.filter("organisation_id").map(String::from),
        active: query.filter("status").map(|v| v == "active"),
    };
    let sort = match query.sort {
        "email" => UserSort::Email,
        "role" => UserSort::Role,
        "organisation" => UserSort::Organisation,
        _ => UserSort::Name,
    };
    let order = Order {
        sort,
        ascending: query.ascending,
        page: query.page,
    };
    (filter, order)
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
    mut query: ListQuery,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (orgs, units) = blocking(lang, move || {
        let orgs = organisations::list(&s, &actor, all())?.items;
        let units = organisations::list_units(&s, &actor, None, all())?.items;
        Ok((orgs, units))
    })
    .await?;
    let org_pairs: Vec<(String, String)> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let (filter, order) = user_search(&mut query, &org_pairs);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || lists::users(&s, &actor, filter, order)).await?;
    let form = FormView::new("user", "/admin/users", t(lang, "action.create_user"))
        .field("name", "text", t(lang, "field.person_name"))
        .required()
        .autocomplete("off")
        .field("email", "email", t(lang, "field.email"))
        .required()
        .autocomplete("off");
    let unit_pairs = units.into_iter().map(|u| (u.id, u.name)).collect();
    let selects = vec![
        query.select(lang, "role", t(lang, "field.role"), role_choices(lang)),
        query.name_select(
            lang,
            "organisation_id",
            t(lang, "field.organisation"),
            org_pairs.clone(),
        ),
        query.select(
            lang,
            "status",
            t(lang, "users.status"),
            vec![
                ("active".into(), t(lang, "users.status_active")),
                ("closed".into(), t(lang, "users.status_closed")),
            ],
        ),
    ];
    let mut form = placement_fields(form, lang, org_pairs, unit_pairs, None)
        .field("password", "password", t(lang, "field.new_password"))
        .autocomplete("new-password")
        .hint(t(lang, "hint.password_or_welcome"));
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    if let Some(f) = &feedback {
        form.apply(f, &|r| r.key.clone());
    }
    let counts = found.counts();
    let rows = found
        .items
        .into_iter()
        .map(
            |ListedUser {
                 user: u,
                 organisation,
             }| UserLine {
                href: format!("/admin/users/{}", u.id),
                organisation: organisation.unwrap_or_default(),
                name: u.name,
                email: u.email,
                role: glossary::role(lang, u.role).to_string(),
                language: language_name(lang, u.language),
                status: account_state(lang, u.active),
            },
        )
        .collect();
    let columns = vec![
        ("name", t(lang, "field.person_name")),
        ("email", t(lang, "field.email")),
        ("role", t(lang, "field.role")),
        ("organisation", t(lang, "field.organisation")),
        ("", t(lang, "field.language")),
        ("", t(lang, "users.status")),
    ];
    let list = query.view(
        lang,
        t(lang, "users.search"),
        selects,
        columns,
        (rows, counts),
    );
    page(
        state,
        viewer,
        "users",
        t(lang, "users.title"),
        status,
        &UsersPage {
            list,
            form: may(&viewer.actor, Action::CreateUser, &Target::DEPLOYMENT)
                .then(|| form.finish()),
        },
    )
}

/// `GET /admin/users` (see `USERS`).
pub async fn users(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let query = ListQuery::parse(&USERS, req.query_string());
    render_users(&state, &viewer, None, query).await
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
            let query = ListQuery::parse(&USERS, "");
            render_users(&state, &viewer, Some(feedback), query).await
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

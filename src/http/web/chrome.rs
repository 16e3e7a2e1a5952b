//! What every page shares: the layout's data (language, the person, the navigation
//! for their role, the CSRF token), rendering, redirects and the error page.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError};
use serde::Serialize;

use super::i18n::text;
use super::render::{html, render, CSS};
use super::session::{self, Viewer};
use super::WebError;
use crate::app::error::AppError;
use crate::app::AppState;
use crate::domain::policy::{may, own_cases, visibility, Action, Target, Visibility};
use crate::domain::{Actor, Language};
use crate::glossary;

/// A link of the main navigation.
#[derive(Debug, Serialize)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The layout's data.
#[derive(Debug, Serialize)]
pub struct Chrome {
    pub lang: &'static str,
    pub title: String,
    pub signed_in: bool,
    pub user_name: String,
    pub role: String,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub flash: Option<String>,
    pub path: String,
    /// The other language: its code and its name, in itself.
    pub switch_lang: &'static str,
    pub switch_label: &'static str,
}

/// A page: the layout's data and the page's own.
#[derive(Debug, Serialize)]
struct Page<'a, T: Serialize> {
    chrome: &'a Chrome,
    page: &'a T,
}

fn switch(lang: Language) -> (&'static str, &'static str) {
    match lang {
        Language::Sv => ("en", "English"),
        Language::En => ("sv", "Svenska"),
    }
}

/// Where `/` and the log-in lead: the first page of the main navigation. The policy
/// decides which pages a person may use (the navigation lists only those); which of
/// them opens first is navigation, the order of `pages`: the deployment's
/// administration, the cases they run, the audits assigned to them, their
/// organisation's dashboard, their unit. Someone the policy shows no page gets the
/// case list, which shows them nothing.
pub fn home_of(actor: &Actor) -> String {
    pages(actor)
        .into_iter()
        .next()
        .map_or_else(|| "/cases".to_string(), |(href, _)| href)
}

/// The main navigation: a link for each page the policy lets the person use, and
/// last their own profile.
fn nav(viewer: &Viewer) -> Vec<NavItem> {
    pages(&viewer.actor)
        .into_iter()
        .chain([("/profile".to_string(), "nav.profile")])
        .map(|(href, key)| NavItem {
            current: viewer.path == href,
            href,
            label: text(viewer.lang, key, &[]),
        })
        .collect()
}

/// The pages of the main navigation `actor` may use, in order: (path, label key).
fn pages(actor: &Actor) -> Vec<(String, &'static str)> {
    let deployment = |action| may(actor, action, &Target::DEPLOYMENT);
    let cases = if own_cases(actor).is_some() {
        "nav.my_cases"
    } else {
        "nav.cases"
    };
    // The audits page lists the cases the person is assigned to audit.
    let audits = Target {
        auditor_id: Some(&actor.id),
        ..Target::DEPLOYMENT
    };
    let mut items: Vec<(String, &str)> = [
        ("/admin", "nav.admin", deployment(Action::Administer)),
        // Cases and programmes are for those who enrol units in programmes.
        ("/cases", cases, deployment(Action::Enrol)),
        (
            "/admin/organisations",
            "nav.organisations",
            deployment(Action::CreateUnit),
        ),
        ("/admin/units", "nav.units", deployment(Action::CreateUnit)),
        ("/admin/users", "nav.users", deployment(Action::ListUsers)),
        (
            "/admin/programmes",
            "nav.programmes",
            deployment(Action::Enrol),
        ),
        ("/cohorts", "nav.cohorts", deployment(Action::ManageCohorts)),
        ("/events", "nav.events", deployment(Action::ManageEvents)),
        ("/plans", "nav.plans", deployment(Action::CreatePlan)),
        (
            "/workshop-requests",
            "nav.workshop_requests",
            deployment(Action::DecideWorkshopRequest),
        ),
        (
            "/admin/appeals",
            "nav.appeals",
            deployment(Action::Administer),
        ),
        (
            "/admin/complaints",
            "nav.complaints",
            deployment(Action::Administer),
        ),
        ("/admin/mail", "nav.mail", deployment(Action::ManageMail)),
        (
            "/admin/webhooks",
            "nav.webhooks",
            deployment(Action::ManageWebhooks),
        ),
        (
            "/admin/audit-log",
            "nav.audit_log",
            deployment(Action::ReadAuditLog),
        ),
        (
            "/audits",
            "nav.audits",
            may(actor, Action::SignOff, &audits),
        ),
    ]
    .into_iter()
    .filter(|(_, _, shown)| *shown)
    .map(|(href, key, _)| (href.to_string(), key))
    .collect();
    match visibility(actor) {
        Visibility::Organisation(org) => {
            let place = Target {
                organisation_id: Some(&org),
                ..Target::DEPLOYMENT
            };
            if may(actor, Action::ReadReports, &place) {
                items.push((format!("/organisations/{org}/dashboard"), "nav.dashboard"));
            }
            // The organisation's cases, each a link to its page.
            items.push(("/cases".into(), "nav.cases"));
            items.push(("/cohorts".into(), "nav.cohorts"));
            items.push(("/events".into(), "nav.events"));
            items.push(("/plans".into(), "nav.plans"));
            items.push(("/workshop-requests".into(), "nav.workshop_requests"));
        }
        Visibility::Unit { .. } => {
            items.push(("/unit".into(), "nav.unit"));
            items.push(("/events".into(), "nav.events"));
            items.push(("/plans".into(), "nav.plans"));
            items.push(("/workshop-requests".into(), "nav.workshop_requests"));
        }
        Visibility::Everything | Visibility::Nothing => {}
    }
    items
}

/// The layout's data for a signed-in page.
pub fn chrome(viewer: &Viewer, title: String) -> Chrome {
    let (switch_lang, switch_label) = switch(viewer.lang);
    Chrome {
        lang: viewer.lang.as_str(),
        title,
        signed_in: true,
        user_name: viewer.user.name.clone(),
        role: glossary::role(viewer.lang, viewer.actor.role).to_string(),
        nav: nav(viewer),
        csrf: viewer.csrf.clone(),
        flash: viewer
            .flash
            .as_deref()
            .and_then(|key| super::i18n::lookup(viewer.lang, &format!("flash.{key}")))
            .map(String::from),
        path: viewer.path.clone(),
        switch_lang,
        switch_label,
    }
}

/// The layout's data for a page shown before log-in.
pub fn anonymous(lang: Language, title: String, path: &str, csrf: String) -> Chrome {
    let (switch_lang, switch_label) = switch(lang);
    Chrome {
        lang: lang.as_str(),
        title,
        signed_in: false,
        user_name: String::new(),
        role: String::new(),
        nav: Vec::new(),
        csrf,
        flash: None,
        path: path.to_string(),
        switch_lang,
        switch_label,
    }
}

/// Renders `template` in the layout with `status`.
pub fn render_page<T: Serialize>(
    chrome: &Chrome,
    template: &str,
    status: StatusCode,
    data: &T,
) -> Result<HttpResponse, WebError> {
    let lang = Language::parse(chrome.lang).unwrap_or_default();
    let body =
        render(template, lang, &Page { chrome, page: data }).map_err(|e| WebError::app(e, lang))?;
    Ok(html(status, body))
}

/// A signed-in page; clears the flash message it shows.
pub fn page<T: Serialize>(
    state: &AppState,
    viewer: &Viewer,
    template: &str,
    title: String,
    status: StatusCode,
    data: &T,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(viewer, title);
    let mut response = render_page(&chrome, template, status, data)?;
    if viewer.flash.is_some() {
        let _ = response.add_cookie(&session::removal(state, session::FLASH_COOKIE));
    }
    Ok(response)
}

/// 303 See Other to `location`, leaving a flash message for the next page.
pub fn see_other(state: &AppState, location: &str, flash: Option<&str>) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location.to_string()));
    if let Some(key) = flash {
        response.cookie(session::cookie(
            state,
            session::FLASH_COOKIE,
            key.to_string(),
            Some(120),
        ));
    }
    response.finish()
}

#[derive(Serialize)]
struct ErrorData {
    heading: String,
    detail: String,
}

/// The page for a request that cannot be answered with what it asked for.
pub fn error_page(error: &AppError, lang: Language) -> HttpResponse {
    let status = error.status_code();
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(cause = %crate::http::problem::error_chain(error), "page failed");
    }
    let key = match status.as_u16() {
        400 | 413 | 422 => "error.bad_request",
        401 => "error.unauthorized",
        403 => "error.forbidden",
        404 => "error.not_found",
        409 | 412 | 428 => "error.conflict",
        429 => "error.throttled",
        _ => "error.internal",
    };
    let data = ErrorData {
        heading: text(lang, &format!("{key}.title"), &[]),
        detail: text(lang, &format!("{key}.detail"), &[]),
    };
    let chrome = anonymous(lang, data.heading.clone(), "/", String::new());
    match render(
        "error",
        lang,
        &Page {
            chrome: &chrome,
            page: &data,
        },
    ) {
        Ok(body) => html(status, body),
        Err(_) => HttpResponse::build(status).body(data.heading),
    }
}

/// The stylesheet; cached for a day.
pub async fn stylesheet(_: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(CSS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn actor(role: Role, organisation_id: Option<&str>, unit_id: Option<&str>) -> Actor {
        Actor {
            id: "u1".into(),
            role,
            organisation_id: organisation_id.map(String::from),
            unit_id: unit_id.map(String::from),
        }
    }

    #[test]
    fn each_role_starts_on_the_first_page_the_policy_lets_it_use() {
        let homes = [
            (actor(Role::Admin, None, None), "/admin"),
            (actor(Role::Consultant, None, None), "/cases"),
            (actor(Role::Auditor, None, None), "/audits"),
            (
                actor(Role::Coordinator, Some("org-a"), None),
                "/organisations/org-a/dashboard",
            ),
            (
                actor(Role::UnitContact, Some("org-a"), Some("unit-a")),
                "/unit",
            ),
            // No page to show: the case list, which shows nothing.
            (actor(Role::Coordinator, None, None), "/cases"),
        ];
        for (actor, home) in homes {
            assert_eq!(home_of(&actor), home, "{:?}", actor.role);
            let first = pages(&actor).into_iter().next().map(|(href, _)| href);
            assert!(first.is_none() || first.as_deref() == Some(home));
        }
    }
}

//! Server-rendered pages for every role (handlebars, strict mode, compiled in).
//!
//! Handlers are thin: they read the session and the form, call the same service
//! functions as the REST API (which ask `domain::policy` about every request), and
//! render a page or redirect (Post/Redirect/Get). No SQL and no workflow rule here.

pub mod chrome;
pub mod forms;
pub mod i18n;
pub mod inputs;
pub mod language;
pub mod list_query;
pub mod not_found;
pub mod pages;
pub mod render;
pub mod session;
pub mod time;
pub mod words;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, HttpResponse, ResponseError};

use crate::app::error::AppError;
use crate::app::AppState;
use crate::domain::Language;

pub use chrome::{page, see_other};

/// Why a page cannot be shown: not signed in (go to the log-in), or an error page.
#[derive(Debug)]
pub enum WebError {
    Login { next: String },
    App { error: AppError, lang: Language },
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebError::Login { .. } => write!(f, "not signed in"),
            WebError::App { error, .. } => write!(f, "{error}"),
        }
    }
}

impl WebError {
    pub fn app(error: AppError, lang: Language) -> WebError {
        WebError::App { error, lang }
    }

    pub fn internal(cause: &str) -> WebError {
        WebError::app(AppError::Internal(cause.to_string()), Language::Sv)
    }

    pub fn csrf(lang: Language) -> WebError {
        WebError::app(AppError::Forbidden("csrf"), lang)
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::Login { .. } => StatusCode::SEE_OTHER,
            WebError::App { error, .. } => error.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            WebError::Login { next } => {
                let target = format!("/login?next={}", urlencode(next));
                HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, target))
                    .finish()
            }
            WebError::App { error, lang } => chrome::error_page(error, *lang),
        }
    }
}

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s.trim_start_matches("v=").to_string())
        .unwrap_or_default()
}

/// Runs a service call on the blocking pool; the page's language for its errors.
pub async fn blocking<T, F>(lang: Language, f: F) -> Result<T, WebError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    match web::block(f).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(WebError::app(error, lang)),
        Err(e) => Err(WebError::internal(&e.to_string())),
    }
}

/// Like `blocking`, handing the service's refusal back to the caller.
pub async fn attempt<T, F>(lang: Language, f: F) -> Result<Result<T, AppError>, WebError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    web::block(f).await.map_err(|e| {
        let _ = lang;
        WebError::internal(&e.to_string())
    })
}

/// Remembers a `?lang=` choice in a cookie, so the next page keeps it.
async fn remember_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let chosen = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| {
            q.iter()
                .rev()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| Language::parse(v))
        });
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut response = next.call(req).await?;
    if let (Some(lang), Some(state)) = (chosen, state) {
        let cookie = session::cookie(
            &state,
            session::LANG_COOKIE,
            lang.as_str().into(),
            Some(365 * 86400),
        );
        let _ = response.response_mut().add_cookie(&cookie);
    }
    Ok(response)
}

/// Registers every page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::case_corrections;
    use pages::{
        admin, admin_appeals, admin_complaints, admin_mail, admin_people, admin_webhooks, audit,
        auth, case, case_appeal, case_forms, case_forms_evidence, cases, cohorts, complaint,
        dashboard, event_cancel, programme_migrate, programme_pages, unit,
    };
    use pages::{admin_users, audit_log, password_reset, profile};
    use pages::{event_csv, event_list, event_manage, event_signup};
    use pages::{plan_action, plans, unit_list, workshop_requests};
    cfg.service(
        web::scope("")
            .wrap(from_fn(remember_language))
            .route("/", web::get().to(auth::home))
            .route("/static/stegvis.css", web::get().to(chrome::stylesheet))
            .route("/login", web::get().to(auth::login_page))
            .route("/login", web::post().to(auth::login))
            .route("/logout", web::post().to(auth::logout))
            .configure(pages::oidc::routes)
            .route("/complaints/new", web::get().to(complaint::new))
            .route("/complaints/new", web::post().to(complaint::file))
            .route(
                "/events/{id}/cancel/{rid}",
                web::get().to(event_cancel::ask),
            )
            .route(
                "/events/{id}/cancel/{rid}",
                web::post().to(event_cancel::cancel),
            )
            .route("/events", web::get().to(event_list::list))
            .route("/events", web::post().to(event_list::create))
            .route("/events/{id}", web::get().to(event_signup::show))
            .route("/events/{id}", web::post().to(event_signup::sign_up))
            .route("/events/{id}/manage", web::get().to(event_manage::show))
            .route(
                "/events/{id}/registrations.csv",
                web::get().to(event_csv::download),
            )
            .route(
                "/events/{id}/registrations/{rid}/cancel",
                web::post().to(event_manage::cancel),
            )
            .route(
                "/events/{id}/capacity",
                web::post().to(event_manage::capacity),
            )
            .route(
                "/events/{id}/attendance",
                web::post().to(event_manage::attendance),
            )
            .route("/cases", web::get().to(cases::my_cases))
            .route("/cases/{id}", web::get().to(case::show))
            .route("/cases/{id}/sessions", web::post().to(case_forms::schedule))
            .route(
                "/cases/{id}/sessions/{sid}/attendance",
                web::post().to(case_forms::attendance),
            )
            .route(
                "/cases/{id}/sessions/{sid}/attendance/correction",
                web::post().to(case_corrections::attendance),
            )
            .route(
                "/cases/{id}/findings/{fid}/correction",
                web::post().to(case_corrections::resolution),
            )
            .route(
                "/cases/{id}/sessions/{sid}/notes",
                web::post().to(case_forms::notes),
            )
            .route(
                "/cases/{id}/sessions/{sid}/cancel",
                web::post().to(case_forms::cancel),
            )
            .route(
                "/cases/{id}/sessions/{sid}/calendar.ics",
                web::get().to(unit::session_ics),
            )
            .route(
                "/cases/{id}/certificate.pdf",
                web::get().to(unit::certificate_pdf),
            )
            .route(
                "/cases/{id}/reflections",
                web::post().to(case_forms::reflections),
            )
            .route(
                "/cases/{id}/measures/trained",
                web::post().to(case_forms::trained),
            )
            .route(
                "/cases/{id}/evidence",
                web::post().to(case_forms_evidence::evidence),
            )
            .route(
                "/cases/{id}/evidence/{eid}/file",
                web::get().to(case_forms_evidence::file),
            )
            .route(
                "/cases/{id}/findings/{fid}",
                web::post().to(case_forms::resolve),
            )
            .route(
                "/cases/{id}/transitions",
                web::post().to(case_forms::transition),
            )
            .route("/cases/{id}/appeal", web::post().to(case_appeal::appeal))
            .route(
                "/cases/{id}/decision",
                web::post().to(case_appeal::decision),
            )
            .route("/audits", web::get().to(audit::awaiting))
            .route("/audits/{id}", web::get().to(audit::show))
            .route("/audits/{id}", web::post().to(audit::decide))
            .route(
                "/organisations/{id}/dashboard",
                web::get().to(dashboard::show),
            )
            .route(
                "/organisations/{id}/cases.csv",
                web::get().to(dashboard::csv),
            )
            .route("/unit", web::get().to(unit::show))
            .route("/admin", web::get().to(admin::home))
            .route("/admin/organisations", web::get().to(admin::organisations))
            .route(
                "/admin/organisations",
                web::post().to(admin::create_organisation),
            )
            .route(
                "/admin/organisations/{id}",
                web::get().to(admin::organisation),
            )
            .route(
                "/admin/organisations/{id}/units",
                web::post().to(admin::create_unit),
            )
            .route(
                "/admin/organisations/{id}/import",
                web::post().to(admin::import_units),
            )
            .route(
                "/admin/organisations/{id}/enrol",
                web::post().to(admin::enrol),
            )
            .route("/admin/units", web::get().to(unit_list::list))
            .route("/admin/appeals", web::get().to(admin_appeals::list))
            .route("/admin/appeals/{id}", web::get().to(admin_appeals::show))
            .route("/admin/appeals/{id}", web::post().to(admin_appeals::decide))
            .route("/admin/complaints", web::get().to(admin_complaints::list))
            .route(
                "/admin/complaints/{id}",
                web::get().to(admin_complaints::show),
            )
            .route(
                "/admin/complaints/{id}",
                web::post().to(admin_complaints::decide),
            )
            .route("/admin/mail", web::get().to(admin_mail::dead_mail))
            .route("/admin/mail/{id}/retry", web::post().to(admin_mail::retry))
            .route("/cohorts", web::get().to(cohorts::list))
            .route("/cohorts", web::post().to(cohorts::create))
            .route("/cohorts/{id}", web::get().to(cohorts::show))
            .route(
                "/cohorts/{id}/organisations",
                web::post().to(cohorts::add_organisation),
            )
            .route("/plans", web::get().to(plans::list))
            .route("/plans", web::post().to(plans::create))
            .route("/plans/{pid}.csv", web::get().to(plans::csv))
            .route("/plans/{pid}", web::get().to(plans::show))
            .route("/plans/{pid}/actions", web::post().to(plans::add_action))
            .route(
                "/plans/{pid}/actions/{aid}",
                web::get().to(plan_action::show),
            )
            .route(
                "/plans/{pid}/actions/{aid}",
                web::post().to(plan_action::update),
            )
            .route(
                "/plans/{pid}/actions/{aid}/follow-ups",
                web::post().to(plan_action::follow_up),
            )
            .route("/workshop-requests", web::get().to(workshop_requests::list))
            .route(
                "/workshop-requests",
                web::post().to(workshop_requests::create),
            )
            .route(
                "/workshop-requests/{id}",
                web::get().to(workshop_requests::show),
            )
            .route(
                "/workshop-requests/{id}/accept",
                web::post().to(workshop_requests::accept),
            )
            .route(
                "/workshop-requests/{id}/decline",
                web::post().to(workshop_requests::decline),
            )
            .route("/admin/webhooks", web::get().to(admin_webhooks::list))
            .route("/admin/webhooks", web::post().to(admin_webhooks::create))
            .route(
                "/admin/webhooks/{id}",
                web::get().to(admin_webhooks::show_endpoint),
            )
            .route(
                "/admin/webhooks/{id}/delete",
                web::get().to(admin_webhooks::confirm_delete),
            )
            .route(
                "/admin/webhooks/{id}/delete",
                web::post().to(admin_webhooks::delete),
            )
            .route(
                "/admin/webhooks/{id}/deliveries/{delivery_id}/retry",
                web::post().to(admin_webhooks::retry),
            )
            .route("/admin/users", web::get().to(admin_people::users))
            .route("/admin/users", web::post().to(admin_people::create_user))
            // People: one user's page, the profile, the password reset, the audit log.
            .route("/admin/users/{id}", web::get().to(admin_users::show))
            .route("/admin/users/{id}", web::post().to(admin_users::update))
            .route(
                "/admin/users/{id}/active",
                web::post().to(admin_users::set_active),
            )
            .route(
                "/admin/users/{id}/erase",
                web::post().to(admin_users::erase),
            )
            .route(
                "/admin/users/{id}/export",
                web::get().to(admin_users::export),
            )
            .route("/admin/audit-log", web::get().to(audit_log::show))
            .route("/profile", web::get().to(profile::show))
            .route("/profile", web::post().to(profile::update))
            .route(
                "/profile/password",
                web::post().to(profile::change_password),
            )
            .route("/profile/export", web::get().to(profile::export))
            .route(
                "/password-reset",
                web::get().to(password_reset::request_page),
            )
            .route("/password-reset", web::post().to(password_reset::request))
            .route(
                "/password-reset/{token}",
                web::get().to(password_reset::choose_page_for),
            )
            .route(
                "/password-reset/{token}",
                web::post().to(password_reset::choose),
            )
            .route("/admin/programmes", web::get().to(admin_people::programmes))
            .route(
                "/admin/programmes",
                web::post().to(admin_people::create_programme),
            )
            .route(
                "/admin/programmes/new",
                web::get().to(programme_pages::new_page),
            )
            .route(
                "/admin/programmes/new",
                web::post().to(programme_pages::create),
            )
            .route(
                "/admin/programmes/{id}",
                web::get().to(programme_pages::show),
            )
            .route(
                "/admin/programmes/{id}",
                web::post().to(programme_pages::create_version),
            )
            .route(
                "/admin/programmes/{id}/migrate",
                web::get().to(programme_migrate::show),
            )
            .route(
                "/admin/programmes/{id}/migrate",
                web::post().to(programme_migrate::migrate),
            ),
    );
}

//! Webhook endpoints for the admin: the list with a form to register one (its secret
//! shown once), one endpoint with its deliveries and a retry button for dead ones,
//! and deletion behind a page that asks first.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::mail::MailStatus;
use crate::app::webhooks::{self, NewWebhook, Webhook, WebhookDelivery};
use crate::app::AppState;
use crate::domain::webhook::EventKind;
use crate::domain::Language;
use crate::http::web::forms::{Feedback, FormData, SummaryLine};
use crate::http::web::session::Viewer;
use crate::http::web::time::show;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct KindChoice {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct EndpointLine {
    id: String,
    url: String,
    events: String,
    created_at: String,
}

#[derive(Serialize)]
struct ListPage {
    endpoints: Vec<EndpointLine>,
    kinds: Vec<KindChoice>,
    /// What is wrong with the form, when it was refused.
    message: Option<String>,
    url: String,
    url_error: Option<String>,
    events_error: Option<String>,
    /// The error summary above the form, as every form has it.
    summary: Vec<SummaryLine>,
}

#[derive(Serialize)]
struct DeliveryLine {
    id: String,
    event: String,
    status: String,
    dead: bool,
    attempts: i32,
    last_error: String,
    created_at: String,
    when: String,
}

#[derive(Serialize)]
struct EndpointPage {
    id: String,
    url: String,
    events: String,
    /// Only right after registration: the signing secret, shown once.
    secret: Option<String>,
    deliveries: Vec<DeliveryLine>,
}

/// The words for an event kind, with its name for integrators.
fn kind_words(lang: Language, kind: &str) -> String {
    format!("{} ({kind})", t(lang, &format!("webhooks.kind.{kind}")))
}

fn line(lang: Language, hook: Webhook) -> EndpointLine {
    EndpointLine {
        events: hook
            .events
            .iter()
            .map(|k| kind_words(lang, k))
            .collect::<Vec<_>>()
            .join(", "),
        id: hook.id,
        url: hook.url,
        created_at: show(hook.created_at),
    }
}

/// `GET /admin/webhooks`.
pub async fn list(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    render_list(&state, &viewer, None).await
}

async fn render_list(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    refused: Option<(Feedback, &FormData)>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let hooks = blocking(lang, move || webhooks::list(&s, &actor, all())).await?;
    let error_of = |feedback: &Feedback, prefix: &str| {
        feedback
            .errors
            .iter()
            .find(|e| e.field == prefix || e.field.starts_with(&format!("{prefix}[")))
            .map(|e| e.message.clone())
    };
    let message = refused.as_ref().and_then(|(f, _)| f.message.clone());
    let (status, url, url_error, events_error, chosen) = match &refused {
        Some((feedback, form)) => (
            feedback.status,
            form.text("url"),
            error_of(feedback, "url"),
            error_of(feedback, "events"),
            chosen_kinds(form),
        ),
        None => (StatusCode::OK, String::new(), None, None, Vec::new()),
    };
    let kinds = EventKind::ALL
        .iter()
        .map(|k| KindChoice {
            value: k.as_str(),
            label: kind_words(lang, k.as_str()),
            checked: chosen.iter().any(|c| c == k.as_str()),
        })
        .collect();
    let summary = [
        ("#webhook-url", "webhooks.url", &url_error),
        ("#webhook-event-0", "webhooks.events", &events_error),
    ]
    .into_iter()
    .filter_map(|(href, label, error)| {
        error.as_ref().map(|e| SummaryLine {
            href: Some(href.to_string()),
            text: format!("{}: {e}", t(lang, label)),
        })
    })
    .collect();
    let data = ListPage {
        endpoints: hooks.items.into_iter().map(|h| line(lang, h)).collect(),
        summary,
        kinds,
        message,
        url,
        url_error,
        events_error,
    };
    page(
        state,
        viewer,
        "webhooks",
        t(lang, "webhooks.title"),
        status,
        &data,
    )
}

fn chosen_kinds(form: &FormData) -> Vec<String> {
    form.0
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| v.clone())
        .collect()
}

/// `POST /admin/webhooks`: registers an endpoint and shows its secret once.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = NewWebhook {
        url: form.text("url"),
        events: chosen_kinds(&form),
        secret: None,
    };
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        let input = crate::app::validation::checked(input)?;
        webhooks::create(&s, &actor, input)
    })
    .await?;
    match outcome {
        Ok(created) => {
            let id = created.webhook.id.clone();
            render_endpoint(
                &state,
                &viewer,
                &id,
                Some(created.secret),
                StatusCode::CREATED,
            )
            .await
        }
        Err(e) => {
            let feedback = Feedback::from_error("webhook", e, viewer.lang, &form)?;
            render_list(&state, &viewer, Some((feedback, &form))).await
        }
    }
}

/// `GET /admin/webhooks/{id}`.
pub async fn show_endpoint(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_endpoint(&state, &viewer, &path.into_inner(), None, StatusCode::OK).await
}

async fn render_endpoint(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    secret: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor, id) = (state.clone(), viewer.actor.clone(), id.to_string());
    let detail = blocking(lang, move || webhooks::get(&s, &actor, &id)).await?;
    let hook = line(lang, detail.webhook);
    let data = EndpointPage {
        id: hook.id,
        url: hook.url,
        events: hook.events,
        secret,
        deliveries: detail
            .deliveries
            .into_iter()
            .map(|d| delivery(lang, d))
            .collect(),
    };
    page(
        state,
        viewer,
        "webhook",
        t(lang, "webhooks.endpoint"),
        status,
        &data,
    )
}

fn delivery(lang: Language, d: WebhookDelivery) -> DeliveryLine {
    let when = match d.status {
        MailStatus::Pending => d.next_attempt_at.map(show),
        _ => d.sent_at.map(show),
    };
    DeliveryLine {
        event: kind_words(lang, &d.event_type),
        status: t(lang, &format!("webhooks.status.{}", d.status.as_str())),
        dead: d.status == MailStatus::Dead,
        attempts: d.attempts,
        last_error: d.last_error.unwrap_or_default(),
        created_at: show(d.created_at),
        when: when.unwrap_or_default(),
        id: d.id,
    }
}

/// `POST /admin/webhooks/{id}/deliveries/{delivery_id}/retry`.
pub async fn retry(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (id, delivery_id) = path.into_inner();
    let back = format!("/admin/webhooks/{id}");
    let (s, actor) = (state.clone(), viewer.actor.clone());
    match attempt(viewer.lang, move || {
        webhooks::retry(&s, &actor, &id, &delivery_id)
    })
    .await?
    {
        Ok(_) => Ok(see_other(&state, &back, Some("delivery_retried"))),
        Err(error) => Err(WebError::app(error, viewer.lang)),
    }
}

/// `GET /admin/webhooks/{id}/delete`: asks before deleting.
pub async fn confirm_delete(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor, id) = (state.clone(), viewer.actor.clone(), path.into_inner());
    let detail = blocking(lang, move || webhooks::get(&s, &actor, &id)).await?;
    let data = line(lang, detail.webhook);
    page(
        &state,
        &viewer,
        "webhook_delete",
        t(lang, "webhooks.delete_title"),
        StatusCode::OK,
        &data,
    )
}

/// `POST /admin/webhooks/{id}/delete`: deletes the endpoint and its deliveries.
pub async fn delete(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let (s, actor, id) = (state.clone(), viewer.actor.clone(), path.into_inner());
    match attempt(viewer.lang, move || webhooks::delete(&s, &actor, &id)).await? {
        Ok(()) => Ok(see_other(
            &state,
            "/admin/webhooks",
            Some("webhook_deleted"),
        )),
        Err(error) => Err(WebError::app(error, viewer.lang)),
    }
}

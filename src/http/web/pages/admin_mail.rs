//! Dead mail: what could not be delivered after the last attempt, for the admin to
//! read and send again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::t;
use crate::app::mail::{self, MailStatus};
use crate::app::{AppState, PageRequest};
use crate::http::web::forms::FormData;
use crate::http::web::session::Viewer;
use crate::http::web::time::show;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct MailLine {
    id: String,
    kind: String,
    recipient: String,
    subject: String,
    attempts: i32,
    last_error: String,
    created_at: String,
}

#[derive(Serialize)]
struct MailPage {
    dead: Vec<MailLine>,
}

/// `GET /admin/mail`.
pub async fn dead_mail(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let list = blocking(lang, move || {
        mail::list(
            &s,
            &actor,
            Some(MailStatus::Dead),
            PageRequest {
                limit: 200,
                cursor: None,
            },
        )
    })
    .await?;
    let dead = list
        .items
        .into_iter()
        .map(|m| MailLine {
            id: m.id,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
            created_at: show(m.created_at),
        })
        .collect();
    page(
        &state,
        &viewer,
        "mail",
        t(lang, "mail.title"),
        StatusCode::OK,
        &MailPage { dead },
    )
}

/// `POST /admin/mail/{id}/retry`: the mail goes back in the queue, due now.
pub async fn retry(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let id = path.into_inner();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    match attempt(viewer.lang, move || mail::retry(&s, &actor, &id)).await? {
        Ok(_) => Ok(see_other(&state, "/admin/mail", Some("mail_retried"))),
        Err(error) => Err(WebError::app(error, viewer.lang)),
    }
}

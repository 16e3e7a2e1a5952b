//! Dead mail: what could not be delivered after the last attempt, for the admin to
//! search, read and send again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::t;
use crate::app::lists::{self, MailListFilter, MailSort, Order};
use crate::app::{mail, AppState};
use crate::domain::Language;
use crate::glossary;
use crate::http::web::forms::FormData;
use crate::http::web::list_query::{ListQuery, ListSpec, ListView};
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

/// `/admin/mail`: the dead mail, searched by recipient or subject, filtered by
/// kind, sorted by date (newest first) or recipient, and paged.
pub const MAIL: ListSpec = ListSpec {
    path: "/admin/mail",
    sorts: &["date", "recipient"],
    ascending: false,
    filters: &["kind"],
    sticky: &[],
};

/// A kind of mail in words; the key itself when the glossary has no word for it.
fn kind_word(lang: Language, kind: &str) -> String {
    glossary::lookup(lang, &format!("mail_kind.{kind}"))
        .unwrap_or(kind)
        .to_string()
}

/// `GET /admin/mail` (see `MAIL`).
pub async fn dead_mail(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let mut query = ListQuery::parse(&MAIL, req.query_string());
    query.keep_only_known("kind", |v| lists::MAIL_KINDS.contains(&v));
    let filter = MailListFilter {
        search: query.q.clone(),
        kind: query.filter("kind").map(String::from),
    };
    let order = Order {
        sort: match query.sort {
            "recipient" => MailSort::Recipient,
            _ => MailSort::Date,
        },
        ascending: query.ascending,
        page: query.page,
    };
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || lists::dead_mail(&s, &actor, filter, order)).await?;
    let counts = found.counts();
    let rows = found
        .items
        .into_iter()
        .map(|m| MailLine {
            id: m.id,
            kind: kind_word(lang, &m.kind),
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
            created_at: show(m.created_at),
        })
        .collect();
    let kinds = lists::MAIL_KINDS
        .iter()
        .map(|k| (k.to_string(), kind_word(lang, k)))
        .collect();
    let selects = vec![query.select(lang, "kind", t(lang, "mail.kind"), kinds)];
    let columns = vec![
        ("date", t(lang, "mail.created")),
        ("", t(lang, "mail.kind")),
        ("recipient", t(lang, "mail.recipient")),
        ("", t(lang, "mail.subject")),
        ("", t(lang, "mail.attempts")),
        ("", t(lang, "mail.error")),
        ("", t(lang, "mail.retry")),
    ];
    let data: ListView<MailLine> = query.view(
        lang,
        t(lang, "mail.search"),
        selects,
        columns,
        (rows, counts),
    );
    page(
        &state,
        &viewer,
        "mail",
        t(lang, "mail.title"),
        StatusCode::OK,
        &data,
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

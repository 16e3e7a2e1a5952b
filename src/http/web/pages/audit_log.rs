//! `/admin/audit-log`: the access audit for the admin, newest first, with the API's
//! filters (`kind`, `user_id`, `since` as a date) and its paging.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, TimeZone};
use serde::Serialize;

use super::t;
use crate::app::access_audit::{self, AccessKind, AuditQuery};
use crate::app::error::AppError;
use crate::app::{users, AppState, PageRequest};
use crate::domain::{Language, Role};
use crate::glossary;
use crate::http::api::extract::QueryPairs;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, time, urlencode, WebError};

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Line {
    at: String,
    kind: String,
    actor: String,
    actor_href: Option<String>,
    subject: String,
    subject_href: Option<String>,
    client: String,
    detail: String,
}

#[derive(Serialize)]
struct AuditLogPage {
    kinds: Vec<Choice>,
    user_id: String,
    since: String,
    error: Option<String>,
    entries: Vec<Line>,
    next_href: Option<String>,
}

/// The kind of an access event in words.
fn kind_name(lang: Language, kind: AccessKind) -> String {
    t(lang, &format!("access.{}", kind.as_str()))
}

/// The page's filters: the API's, with `since` a date (midnight UTC).
fn query_of(pairs: &QueryPairs) -> Result<AuditQuery, AppError> {
    let kind = pairs.parsed(
        "kind",
        |s| {
            (!s.is_empty())
                .then(|| AccessKind::parse(s))
                .map_or(Some(None), |k| k.map(Some))
        },
        "one of the access event kinds",
    )?;
    let user_id = pairs
        .get("user_id")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let since = pairs.parsed(
        "since",
        |s| match s {
            "" => Some(None),
            _ => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| Some(chrono::Utc.from_utc_datetime(&d))),
        },
        "a date, e.g. 2026-03-01",
    )?;
    Ok(AuditQuery {
        kind: kind.flatten(),
        user_id: user_id.map(String::from),
        since: since.flatten(),
    })
}

/// `GET /admin/audit-log`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let pairs = QueryPairs::from_request(&req).unwrap_or(QueryPairs(Vec::new()));
    let cursor = pairs
        .get("cursor")
        .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(String::from);
    let (query, error) = match query_of(&pairs) {
        Ok(q) => (q, None),
        Err(_) => (AuditQuery::default(), Some(t(lang, "audit_log.bad_filter"))),
    };
    let (s, actor, q) = (state.clone(), viewer.actor.clone(), query.clone());
    let (entries, names) = blocking(lang, move || {
        let page = access_audit::list(&s, &actor, q, PageRequest { limit: 100, cursor })?;
        let mut ids: Vec<String> = page
            .items
            .iter()
            .flat_map(|e| [e.actor_id.clone(), e.subject_id.clone()])
            .flatten()
            .collect();
        ids.sort();
        ids.dedup();
        let names = users::names(&s, &ids)?;
        Ok((page, names))
    })
    .await?;
    let name_of = |id: &Option<String>| {
        id.as_ref().map(|id| {
            names
                .iter()
                .find(|(i, _)| i == id)
                .map_or_else(|| id.clone(), |(_, n)| n.clone())
        })
    };
    let lines = entries
        .items
        .iter()
        .map(|e| Line {
            at: time::show(e.at),
            kind: kind_name(lang, e.kind),
            actor: name_of(&e.actor_id).unwrap_or_default(),
            actor_href: e.actor_id.as_ref().map(|id| format!("/admin/users/{id}")),
            subject: name_of(&e.subject_id)
                .or_else(|| e.subject_hint.clone())
                .unwrap_or_default(),
            subject_href: e.subject_id.as_ref().map(|id| format!("/admin/users/{id}")),
            client: client_words(lang, e.client.as_deref()),
            detail: detail_words(lang, e.detail.as_deref()),
        })
        .collect();
    let since = query
        .since
        .map(|s| s.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let kind = query.kind.map(|k| k.as_str()).unwrap_or_default();
    let user_id = query.user_id.clone().unwrap_or_default();
    let next_href = entries.next_cursor.as_ref().map(|c| {
        format!(
            "/admin/audit-log?kind={}&user_id={}&since={}&cursor={c}",
            urlencode(kind),
            urlencode(&user_id),
            urlencode(&since)
        )
    });
    let mut kinds = vec![Choice {
        value: String::new(),
        label: t(lang, "users.any"),
        selected: kind.is_empty(),
    }];
    kinds.extend(AccessKind::ALL.iter().map(|k| Choice {
        value: k.as_str().into(),
        label: kind_name(lang, *k),
        selected: k.as_str() == kind,
    }));
    let data = AuditLogPage {
        kinds,
        user_id,
        since,
        error,
        entries: lines,
        next_href,
    };
    let status = if data.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(
        &state,
        &viewer,
        "audit_log",
        t(lang, "audit_log.title"),
        status,
        &data,
    )
}

/// The client's address, or the glossary's word when the server did not know it.
fn client_words(lang: Language, client: Option<&str>) -> String {
    match client {
        Some("unknown") => t(lang, "audit_log.client_unknown"),
        Some(address) => address.to_string(),
        None => String::new(),
    }
}

/// The entry's detail in words: the sign-in method and the unknown address from the
/// glossary, a new role by its name; anything else (a provider's route such as
/// `oidc:azure`, an erased unit's id) as recorded.
fn detail_words(lang: Language, detail: Option<&str>) -> String {
    let Some(detail) = detail else {
        return String::new();
    };
    if let Some(words) = glossary::lookup(lang, &format!("audit_log.detail.{detail}")) {
        return words.to_string();
    }
    match Role::parse(detail) {
        Some(role) => glossary::role(lang, role).to_string(),
        None => detail.to_string(),
    }
}

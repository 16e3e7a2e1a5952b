//! The public registry as a page, `/registry`: Swedish by default, English with
//! `?lang=en`; the same entries the JSON gives, searchable with `q`, paged.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::registry::{self, RegistryEntry};
use crate::app::AppState;
use crate::domain::Language;
use crate::glossary::{self, dates};
use crate::http::api::registry::query_of;
use crate::http::api::respond::blocking;

#[derive(Serialize)]
struct Texts {
    title: &'static str,
    intro: &'static str,
    switch_language: &'static str,
    search_label: &'static str,
    search_submit: &'static str,
    empty: &'static str,
    next: &'static str,
    first: &'static str,
    verify: &'static str,
    unit: &'static str,
    organisation: &'static str,
    programme: &'static str,
    number: &'static str,
    valid: &'static str,
}

impl Texts {
    fn of(lang: Language) -> Texts {
        let t = |key: &str| glossary::lookup(lang, key).unwrap_or_default();
        Texts {
            title: t("registry.title"),
            intro: t("registry.intro"),
            switch_language: t("verify.switch_language"),
            search_label: t("registry.search_label"),
            search_submit: t("registry.search_submit"),
            empty: t("registry.empty"),
            next: t("registry.next"),
            first: t("registry.first"),
            verify: t("registry.verify"),
            unit: t("verify.unit"),
            organisation: t("verify.organisation"),
            programme: t("verify.programme"),
            number: t("certificate.number"),
            valid: t("certificate.validity"),
        }
    }
}

/// One listed unit, in the reader's words.
#[derive(Serialize)]
struct Row {
    unit_name: String,
    organisation_name: String,
    programme_name: String,
    number: String,
    status: &'static str,
    status_text: &'static str,
    validity: String,
    verify_path: String,
}

impl Row {
    fn of(lang: Language, public_url: &str, e: RegistryEntry) -> Row {
        // The site's own link, so the page works wherever it is served from.
        let base = public_url.trim_end_matches('/');
        let path = e.verify_url.strip_prefix(base).unwrap_or(&e.verify_url);
        let suffix = if lang == Language::En { "?lang=en" } else { "" };
        Row {
            status: e.status.as_str(),
            status_text: glossary::certificate_status(lang, e.status),
            validity: format!(
                "{} – {}",
                dates::day(e.valid_from, lang),
                dates::day(e.valid_until, lang)
            ),
            verify_path: format!("{path}{suffix}"),
            unit_name: e.unit_name,
            organisation_name: e.organisation_name,
            programme_name: e.programme.name,
            number: e.number,
        }
    }
}

#[derive(Serialize)]
struct Page {
    lang: &'static str,
    other_lang: &'static str,
    t: Texts,
    q: String,
    rows: Vec<Row>,
    message: String,
    next_href: Option<String>,
    first_href: Option<String>,
}

fn render(status: StatusCode, page: &Page) -> HttpResponse {
    crate::http::public_page::render("registry", status, page)
}

/// The registry's address with the search `q`, a page's `cursor` and the language.
fn href(q: &str, cursor: Option<&str>, english: bool) -> String {
    let mut pairs = vec![("q", q)];
    pairs.extend(cursor.map(|c| ("cursor", c)));
    if english {
        pairs.push(("lang", "en"));
    }
    format!(
        "/registry?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// `GET /registry`.
pub async fn registry_page(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let english = req.query_string().split('&').any(|p| p == "lang=en");
    let lang = if english { Language::En } else { Language::Sv };
    let mut page = Page {
        lang: lang.as_str(),
        other_lang: if english { "sv" } else { "en" },
        t: Texts::of(lang),
        q: String::new(),
        rows: Vec::new(),
        message: String::new(),
        next_href: None,
        first_href: None,
    };
    let query = match query_of(&req) {
        Ok(query) => query,
        Err(_) => {
            page.message = glossary::text(lang, "registry.bad_query", &[]);
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    page.q = query.q.clone();
    page.first_href = query
        .page
        .cursor
        .is_some()
        .then(|| href(&query.q, None, english));
    let public_url = state.settings.server.public_url.clone();
    let q = query.q.clone();
    match blocking(move || registry::page(&state, &query)).await {
        Ok(result) => {
            page.next_href = result
                .next_cursor
                .map(|cursor| href(&q, Some(&cursor), english));
            page.rows = result
                .items
                .into_iter()
                .map(|e| Row::of(lang, &public_url, e))
                .collect();
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            tracing::error!(error = %e, "the registry failed");
            page.message = glossary::text(lang, "verify.unavailable", &[]);
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
    }
}

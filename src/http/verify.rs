//! The public verification page, `/verify/{code}`: Swedish by default, English with
//! `?lang=en`; no personal data, the same answer the JSON gives; the glossary's words.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use handlebars::Handlebars;
use serde::Serialize;

use crate::app::error::AppError;
use crate::app::AppState;
use crate::domain::certificate::CertificateStatus;
use crate::domain::Language;
use crate::glossary;
use crate::http::api::certificates::lookup;

const TEMPLATE: &str = include_str!("../../templates/certificate/verify.html.hbs");

/// The page's words, from the glossary.
#[derive(Serialize)]
struct Texts {
    title: &'static str,
    switch_language: &'static str,
    number: &'static str,
    unit: &'static str,
    organisation: &'static str,
    programme: &'static str,
    version: &'static str,
    valid: &'static str,
    issuer: &'static str,
}

impl Texts {
    fn of(lang: Language) -> Texts {
        let t = |key: &str| glossary::lookup(lang, key).unwrap_or_default();
        Texts {
            title: t("verify.title"),
            switch_language: t("verify.switch_language"),
            number: t("certificate.number"),
            unit: t("verify.unit"),
            organisation: t("verify.organisation"),
            programme: t("verify.programme"),
            version: t("certificate.version"),
            valid: t("certificate.validity"),
            issuer: t("certificate.issuer"),
        }
    }
}

#[derive(Serialize, Default)]
struct Page {
    lang: &'static str,
    other_lang: &'static str,
    #[serde(skip)]
    language: Language,
    t: Option<Texts>,
    found: bool,
    message: String,
    status: &'static str,
    status_text: &'static str,
    explanation: String,
    number: String,
    unit_name: String,
    organisation_name: String,
    programme_name: String,
    programme_version: i32,
    valid_from: String,
    valid_until: String,
    issuer: String,
}

#[expect(
    clippy::expect_used,
    reason = "the template is compiled into the binary; a test renders it"
)]
fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_template_string("verify", TEMPLATE)
            .expect("the verification template parses");
        hb
    })
}

/// The status's name and what it means for the reader.
fn status_words(status: CertificateStatus, lang: Language) -> (&'static str, String) {
    (
        glossary::certificate_status(lang, status),
        glossary::text(
            lang,
            &format!("verify.explanation.{}", status.as_str()),
            &[],
        ),
    )
}

fn render(status: StatusCode, page: &Page) -> HttpResponse {
    match registry().render("verify", page) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "the verification page did not render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// `GET /verify/{code}`.
pub async fn verify_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let english = req.query_string().split('&').any(|p| p == "lang=en");
    let language = if english { Language::En } else { Language::Sv };
    let mut page = Page {
        lang: language.as_str(),
        other_lang: if english { "sv" } else { "en" },
        language,
        t: Some(Texts::of(language)),
        ..Page::default()
    };
    match lookup(state, &req, code.into_inner()).await {
        Ok(v) => {
            let (status_text, explanation) = status_words(v.status, page.language);
            page.found = true;
            page.status = v.status.as_str();
            page.status_text = status_text;
            page.explanation = explanation;
            page.number = v.number;
            page.unit_name = v.unit_name;
            page.organisation_name = v.organisation_name;
            page.programme_name = v.programme.name;
            page.programme_version = v.programme.version;
            page.valid_from = v.valid_from.to_string();
            page.valid_until = v.valid_until.to_string();
            page.issuer = v.issuer;
            render(StatusCode::OK, &page)
        }
        Err(AppError::TooManyRequests { .. }) => {
            page.message = glossary::text(language, "verify.throttled", &[]);
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        Err(AppError::NotFound) => {
            page.message = glossary::text(language, "verify.not_found", &[]);
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(e) => {
            tracing::error!(error = %e, "verification failed");
            page.message = glossary::text(language, "verify.unavailable", &[]);
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
    }
}

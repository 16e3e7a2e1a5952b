//! The public verification page, `/verify/{code}`: Swedish by default, English with
//! `?lang=en`; no personal data, the same answer the JSON gives.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use handlebars::Handlebars;
use serde::Serialize;

use crate::app::error::AppError;
use crate::app::AppState;
use crate::domain::certificate::CertificateStatus;
use crate::http::api::certificates::lookup;

const TEMPLATE: &str = include_str!("../../templates/certificate/verify.html.hbs");

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

const SV: Texts = Texts {
    title: "Verifiering av certifikat",
    switch_language: "In English",
    number: "Certifikatnummer",
    unit: "Enhet",
    organisation: "Organisation",
    programme: "Program",
    version: "version",
    valid: "Giltighetstid",
    issuer: "Utfärdat av",
};

const EN: Texts = Texts {
    title: "Certificate verification",
    switch_language: "På svenska",
    number: "Certificate number",
    unit: "Unit",
    organisation: "Organisation",
    programme: "Programme",
    version: "version",
    valid: "Validity",
    issuer: "Issued by",
};

#[derive(Serialize, Default)]
struct Page {
    lang: &'static str,
    other_lang: &'static str,
    #[serde(skip)]
    english: bool,
    t: Option<&'static Texts>,
    found: bool,
    message: String,
    status: &'static str,
    status_text: &'static str,
    explanation: &'static str,
    number: String,
    unit_name: String,
    organisation_name: String,
    programme_name: String,
    programme_version: i32,
    valid_from: String,
    valid_until: String,
    issuer: String,
}

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

fn status_words(status: CertificateStatus, english: bool) -> (&'static str, &'static str) {
    match (status, english) {
        (CertificateStatus::Valid, false) => ("Giltigt", "Certifikatet är äkta och gäller."),
        (CertificateStatus::Suspended, false) => (
            "Tillfälligt upphävt",
            "Certifikatet är äkta men gäller inte just nu.",
        ),
        (CertificateStatus::Expired, false) => (
            "Utgånget",
            "Certifikatet är äkta men giltighetstiden har gått ut.",
        ),
        (CertificateStatus::Revoked, false) => (
            "Återkallat",
            "Certifikatet är äkta men har återkallats och gäller inte.",
        ),
        (CertificateStatus::Valid, true) => ("Valid", "The certificate is genuine and in force."),
        (CertificateStatus::Suspended, true) => (
            "Suspended",
            "The certificate is genuine but not in force at present.",
        ),
        (CertificateStatus::Expired, true) => (
            "Expired",
            "The certificate is genuine but its validity has ended.",
        ),
        (CertificateStatus::Revoked, true) => (
            "Revoked",
            "The certificate is genuine but has been revoked and is not in force.",
        ),
    }
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
    let mut page = Page {
        lang: if english { "en" } else { "sv" },
        other_lang: if english { "sv" } else { "en" },
        english,
        t: Some(if english { &EN } else { &SV }),
        ..Page::default()
    };
    match lookup(state, &req, code.into_inner()).await {
        Ok(v) => {
            let (status_text, explanation) = status_words(v.status, page.english);
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
            page.message = if english {
                "Too many unknown codes from your address. Try again in a minute.".into()
            } else {
                "För många okända koder från din adress. Försök igen om en minut.".into()
            };
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        Err(AppError::NotFound) => {
            page.message = if english {
                "No certificate has this code. Check that it is typed exactly as printed.".into()
            } else {
                "Inget certifikat har den här koden. Kontrollera att den är skriven exakt som på certifikatet.".into()
            };
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(e) => {
            tracing::error!(error = %e, "verification failed");
            page.message = if english {
                "Verification is unavailable right now."
            } else {
                "Verifieringen fungerar inte just nu."
            }
            .into();
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
    }
}

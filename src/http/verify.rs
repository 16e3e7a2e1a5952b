//! The public verification page, `/verify/{code}`: Swedish by default, English with
//! `?lang=en`; no personal data, the same answer the JSON gives; the glossary's words.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::error::AppError;
use crate::app::AppState;
use crate::domain::certificate::CertificateStatus;
use crate::domain::Language;
use crate::glossary;
use crate::http::api::certificates::lookup;
use crate::http::verify_page::{
    checked_at, day, requirement_words, share, Issuer, Share, StageWords, Texts,
};

#[derive(Serialize, Default)]
struct Page {
    lang: &'static str,
    other_lang: &'static str,
    t: Option<Texts>,
    issuer_header: Issuer,
    checked_at: String,
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
    status_since: String,
    requirements: Vec<StageWords>,
    share: Option<Share>,
    /// The code as found, for the complaint form's link.
    code: String,
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
    crate::http::public_page::render("verify", status, page)
}

fn language_of(req: &HttpRequest) -> Language {
    if req.query_string().split('&').any(|p| p == "lang=en") {
        Language::En
    } else {
        Language::Sv
    }
}

/// The page's frame: words, issuer, the time of the check, in `language`.
fn page_in(state: &AppState, language: Language) -> Page {
    let settings = &state.settings.certificate;
    Page {
        lang: language.as_str(),
        other_lang: match language {
            Language::En => "sv",
            Language::Sv => "en",
        },
        t: Some(Texts::of(language)),
        issuer_header: Issuer::of(language, &settings.issuer, settings.issuer_logo.as_deref()),
        checked_at: checked_at(language, state.now()),
        ..Page::default()
    }
}

/// `GET /verify?code=…`: the form's target. A code goes to its page; no code shows the
/// form alone.
pub async fn verify_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let language = language_of(&req);
    let code = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.0.into_iter().find(|(k, _)| k == "code").map(|(_, v)| v))
        .map(|c| c.replace([' ', '-'], "").to_ascii_uppercase())
        .unwrap_or_default();
    if code.is_empty() {
        return render(StatusCode::OK, &page_in(&state, language));
    }
    if !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let mut page = page_in(&state, language);
        page.message = glossary::text(language, "verify.not_found", &[]);
        return render(StatusCode::NOT_FOUND, &page);
    }
    let suffix = match language {
        Language::En => "?lang=en",
        Language::Sv => "",
    };
    HttpResponse::SeeOther()
        .insert_header(("Location", format!("/verify/{code}{suffix}")))
        .finish()
}

/// `GET /verify/{code}`.
pub async fn verify_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let language = language_of(&req);
    let mut page = page_in(&state, language);
    let code = code.into_inner();
    match lookup(state.clone(), &req, code.clone()).await {
        Ok(v) => {
            let (status_text, explanation) = status_words(v.status, language);
            let words_state = state.clone();
            let words_code = code.clone();
            let stages = web::block(move || {
                crate::app::certificates::requirements_of(&words_state, &words_code)
            })
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
            page.requirements = requirement_words(language, &stages);
            page.share = share(
                language,
                &state.settings.server.public_url,
                &code.trim().to_ascii_uppercase(),
                &v,
            );
            page.code = code.trim().to_ascii_uppercase();
            page.found = true;
            page.status = v.status.as_str();
            page.status_text = status_text;
            page.explanation = explanation;
            page.status_since = day(language, v.status_since);
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

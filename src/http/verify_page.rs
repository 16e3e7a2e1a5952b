//! What the verification page shows besides the status: the issuer, what the
//! programme requires in words, when the status was checked, and, for a valid
//! certificate, an "Add to LinkedIn" link and a badge snippet for the unit's own site.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::app::certificates::Verification;
use crate::certificate::verify_url;
use crate::domain::certificate::CertificateStatus;
use crate::domain::{Language, Requirement, Stage};
use crate::glossary::{self, dates};
use crate::http::web::words;

/// The page's words, from the glossary.
#[derive(Serialize)]
pub struct Texts {
    title: &'static str,
    switch_language: &'static str,
    number: &'static str,
    unit: &'static str,
    organisation: &'static str,
    programme: &'static str,
    version: &'static str,
    valid: &'static str,
    issuer: &'static str,
    issued_by: &'static str,
    status_since: &'static str,
    requirements: &'static str,
    code_label: &'static str,
    code_hint: &'static str,
    code_submit: &'static str,
    another: &'static str,
    intro: &'static str,
    share: &'static str,
    linkedin: &'static str,
    embed_label: &'static str,
    complain: &'static str,
}

impl Texts {
    pub fn of(lang: Language) -> Texts {
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
            issued_by: t("verify.issued_by"),
            status_since: t("verify.status_since"),
            requirements: t("verify.requirements"),
            code_label: t("verify.code_label"),
            code_hint: t("verify.code_hint"),
            code_submit: t("verify.code_submit"),
            another: t("verify.another"),
            intro: t("verify.intro"),
            share: t("verify.share"),
            linkedin: t("verify.linkedin"),
            embed_label: t("verify.embed_label"),
            complain: t("verify.complain"),
        }
    }
}

/// One stage of the programme and what it asks, in words.
#[derive(Serialize)]
pub struct StageWords {
    stage: &'static str,
    items: Vec<String>,
}

/// The programme's path in the reader's words.
pub fn requirement_words(lang: Language, stages: &[(Stage, Vec<Requirement>)]) -> Vec<StageWords> {
    stages
        .iter()
        .map(|(stage, reqs)| StageWords {
            stage: glossary::stage(lang, *stage),
            items: reqs.iter().map(|r| words::line(lang, r).label).collect(),
        })
        .collect()
}

/// The issuer as the page heads it: the configured name and logo.
#[derive(Serialize, Default)]
pub struct Issuer {
    pub name: String,
    pub logo: Option<String>,
    pub logo_alt: String,
}

impl Issuer {
    pub fn of(lang: Language, name: &str, logo: Option<&str>) -> Issuer {
        Issuer {
            name: name.to_string(),
            logo: logo.filter(|l| !l.trim().is_empty()).map(str::to_string),
            logo_alt: glossary::text(lang, "verify.logo_alt", &[("issuer", name.to_string())]),
        }
    }
}

/// "Status checked tisdag 10 mars 2026 kl. 10.00", on Stockholm's clock.
pub fn checked_at(lang: Language, now: DateTime<Utc>) -> String {
    glossary::text(
        lang,
        "verify.checked_at",
        &[("time", dates::date_time(now, lang))],
    )
}

/// The day a status began, as prose.
pub fn day(lang: Language, on: chrono::NaiveDate) -> String {
    dates::day(on, lang)
}

/// Ways to show a valid certificate elsewhere.
#[derive(Serialize)]
pub struct Share {
    linkedin_url: String,
    embed_snippet: String,
}

/// LinkedIn's add-to-profile link and the badge snippet, for a valid certificate.
pub fn share(lang: Language, public_url: &str, code: &str, v: &Verification) -> Option<Share> {
    if v.status != CertificateStatus::Valid {
        return None;
    }
    let url = verify_url(public_url, code);
    let fields = [
        ("startTask", "CERTIFICATION_NAME".to_string()),
        ("name", v.programme.name.clone()),
        ("organizationName", v.issuer.clone()),
        ("issueYear", v.valid_from.year().to_string()),
        ("issueMonth", v.valid_from.month().to_string()),
        ("expirationYear", v.valid_until.year().to_string()),
        ("expirationMonth", v.valid_until.month().to_string()),
        ("certUrl", url.clone()),
        ("certId", v.number.clone()),
    ];
    let query = serde_urlencoded::to_string(fields).ok()?;
    let text = glossary::text(
        lang,
        "verify.embed_text",
        &[
            ("unit", v.unit_name.clone()),
            ("programme", v.programme.name.clone()),
            ("number", v.number.clone()),
            ("issuer", v.issuer.clone()),
        ],
    );
    let escape = handlebars::html_escape;
    Some(Share {
        linkedin_url: format!("https://www.linkedin.com/profile/add?{query}"),
        embed_snippet: format!(
            "<a href=\"{}\" style=\"display:inline-block;padding:.5em .8em;border:2px solid #0b5d1e;\
             border-radius:6px;color:#0b5d1e;background:#fff;font:600 1rem/1.4 sans-serif;\
             text-decoration:none\">&#10003; {}</a>",
            escape(&url),
            escape(&text)
        ),
    })
}

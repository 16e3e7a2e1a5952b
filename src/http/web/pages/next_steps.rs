//! "What to do next" on a certified unit's page: how long the certificate is valid,
//! when the next surveillance is due, when to renew, and where the certificate is —
//! in words, instead of forms the stage has no use for.

use serde::Serialize;

use super::t;
use crate::app::case_views::Case;
use crate::domain::certificate::CertificateStatus;
use crate::domain::{Language, Stage};
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::time;

/// The sentences and links of the section.
#[derive(Debug, Serialize)]
pub struct NextSteps {
    pub lines: Vec<String>,
    pub pdf_href: String,
    pub verify_href: String,
}

/// The section for a certified case with a certificate; none for any other.
pub fn build(lang: Language, case: &Case, consultant: &str) -> Option<NextSteps> {
    let certificate = case.certificate.as_ref()?;
    if case.stage != Stage::Certified {
        return None;
    }
    let until = certificate.valid_until.to_string();
    let mut lines = Vec::new();
    if certificate.status == CertificateStatus::Valid {
        lines.push(text(
            lang,
            "next_steps.valid",
            &[
                ("number", certificate.number.clone()),
                ("until", until.clone()),
            ],
        ));
        if let Some(due) = case.next_surveillance_due {
            lines.push(text(
                lang,
                "next_steps.surveillance",
                &[("date", time::local(due).format("%Y-%m-%d").to_string())],
            ));
        }
        lines.push(text(
            lang,
            "next_steps.renew",
            &[("until", until), ("consultant", consultant.to_string())],
        ));
    } else {
        lines.push(text(
            lang,
            "next_steps.not_valid",
            &[
                (
                    "status",
                    glossary::certificate_status(lang, certificate.status).to_string(),
                ),
                ("consultant", consultant.to_string()),
            ],
        ));
    }
    lines.push(t(lang, "next_steps.share"));
    Some(NextSteps {
        lines,
        pdf_href: format!("/cases/{}/certificate.pdf", case.id),
        verify_href: format!("/verify/{}", certificate.verification_code),
    })
}

//! Certificates: the PDF/A rendering (issue 4: ≤ 10 ms each), the signed credential and
//! the verification page's template. `cargo bench --bench certificate`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark that cannot go on should stop loudly"
)]

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use stegvis::certificate::pdf::{render, CertificateText};

const VERIFY_TEMPLATE: &str = include_str!("../templates/certificate/verify.html.hbs");

fn text() -> CertificateText<'static> {
    CertificateText {
        language: stegvis::domain::Language::Sv,
        number: "STV-2026-000042",
        unit_name: "Förskolan Äppelgården",
        department: Some("Utbildningsförvaltningen"),
        organisation_name: "Östersunds kommun",
        programme_name: "Inkluderingsstandarden",
        programme_version: 1,
        valid_from: "2026-03-02".into(),
        valid_until: "2029-03-02".into(),
        first_certified_on: "2026-03-02".into(),
        issuer: "Stegvis certifiering",
        logo: None,
        auditor_name: "Greta Öberg",
        verify_url: "https://stegvis.example/verify/ABCDEFGHJKMN",
        issued_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    }
}

fn benches(c: &mut Criterion) {
    let t = text();
    render(&t).expect("warm-up render"); // fonts are parsed once per process
    c.bench_function("pdf::render (PDF/A-2a + PDF/UA-1, tagged, QR)", |b| {
        b.iter(|| render(black_box(&t)).expect("renders"))
    });

    let mut hb = handlebars::Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_template_string("verify", VERIFY_TEMPLATE)
        .expect("template parses");
    let page = serde_json::json!({
        "lang": "sv", "other_lang": "en",
        "t": {"title": "Verifiering av certifikat", "switch_language": "In English",
              "number": "Certifikatnummer", "unit": "Enhet", "organisation": "Organisation",
              "programme": "Program", "version": "version", "valid": "Giltighetstid",
              "issuer": "Utfärdat av"},
        "found": true, "message": "", "status": "valid", "status_text": "Giltigt",
        "explanation": "Certifikatet är äkta och gäller.", "number": "STV-2026-000042",
        "unit_name": "Förskolan Äppelgården", "organisation_name": "Östersunds kommun",
        "programme_name": "Inkluderingsstandarden", "programme_version": 1,
        "valid_from": "2026-03-02", "valid_until": "2029-03-02", "issuer": "Stegvis certifiering"
    });
    c.bench_function("verify page template (handlebars)", |b| {
        b.iter(|| hb.render("verify", black_box(&page)).expect("renders"))
    });
}

criterion_group!(certificate, benches);
criterion_main!(certificate);

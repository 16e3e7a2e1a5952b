//! PDF stability: the download is the stored PDF (its bytes hash to the stored
//! SHA-256) at any later time, and rendering the same certificate twice at different
//! wall-clock times gives the same bytes.

use chrono::Duration;
use sha2::{Digest, Sha256};
use stegvis::certificate::pdf::{render, CertificateText};

use crate::helpers::{spawn_app, time, TestApp, PASSWORD};
use crate::raw_sql::texts;

async fn download(app: &TestApp, token: &str, path: &str) -> Vec<u8> {
    let mut response = app
        .client
        .get(format!("{}/api/v1{path}", app.address))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body")
        .to_vec()
}

#[actix_rt::test]
async fn the_pdf_downloaded_days_later_is_the_stored_one_with_the_stored_sha256() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let path = format!("/cases/{}/certificate.pdf", world.case_id);
    let first = download(&app, &app.admin.token, &path).await;
    let stored = texts(
        &app,
        &format!(
            "SELECT pdf_sha256 AS value FROM certificates WHERE case_id = '{}'",
            world.case_id
        ),
    );
    assert_eq!(stored.len(), 1, "one certificate is stored: {stored:?}");
    assert_eq!(
        hex::encode(Sha256::digest(&first)),
        stored[0],
        "the download hashes to the stored SHA-256"
    );

    app.clock
        .advance(Duration::days(40) + Duration::seconds(17));
    let token = app.login(&app.admin.email, PASSWORD).await;
    let later = download(&app, &token, &path).await;
    assert_eq!(
        hex::encode(Sha256::digest(&later)),
        stored[0],
        "40 days later the download is still the stored PDF"
    );
    assert!(later == first);
}

fn text(issued_at: &str) -> CertificateText<'static> {
    CertificateText {
        language: stegvis::domain::Language::Sv,
        number: "STEGVIS-2026-0001",
        unit_name: "Socialtjänst Väst",
        department: Some("Socialförvaltningen"),
        organisation_name: "Järfälla kommun",
        programme_name: "Inkluderingsstandarden",
        programme_version: 1,
        valid_from: "2 mars 2026".into(),
        valid_until: "1 mars 2029".into(),
        first_certified_on: "2 mars 2026".into(),
        issuer: "Stegvis certifiering",
        logo: None,
        auditor_name: "Gustav Granskare",
        verify_url: "https://stegvis.test/verify/ABCDEFGHJKMN",
        issued_at: time(issued_at),
    }
}

#[test]
fn a_certificate_rendered_twice_at_different_wall_clock_times_is_the_same_pdf() {
    let first = render(&text("2026-03-02T09:00:00Z")).expect("renders");
    // Past a second boundary of the wall clock, so a time read inside would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = render(&text("2026-03-02T09:00:00Z")).expect("renders");
    assert!(first.starts_with(b"%PDF-"));
    assert_eq!(
        hex::encode(Sha256::digest(&first)),
        hex::encode(Sha256::digest(&second)),
        "the same certificate renders to the same bytes"
    );
    // What the PDF depends on does change it: the comparison can fail.
    let other = render(&text("2026-03-03T09:00:00Z")).expect("renders");
    assert_ne!(first, other, "another issue time is another PDF");
}

/// The stored SHA-256 of each certificate of the case ("" while its PDF is pending).
fn stored_sha(app: &TestApp, case_id: &str) -> Vec<String> {
    texts(
        app,
        &format!("SELECT pdf_sha256 AS value FROM certificates WHERE case_id = '{case_id}'"),
    )
}

#[actix_rt::test]
async fn a_pdf_left_pending_by_a_crash_after_the_approval_is_rendered_by_its_first_download() {
    // Given a certified case whose PDF the renderer stored after the approval
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let path = format!("/cases/{}/certificate.pdf", world.case_id);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while stored_sha(&app, &world.case_id) == vec![String::new()] {
        assert!(
            std::time::Instant::now() < deadline,
            "the renderer stores the PDF after the approval"
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let issued = stored_sha(&app, &world.case_id);
    assert_eq!(issued.len(), 1, "{issued:?}");
    assert_eq!(issued[0].len(), 64);
    let original = download(&app, &app.admin.token, &path).await;
    assert_eq!(hex::encode(Sha256::digest(&original)), issued[0]);

    // When a crash between the approval's commit and the render had left it pending
    app.execute_sql(&format!(
        "UPDATE certificates SET pdf = substr(pdf, 1, 0), pdf_sha256 = '' \
         WHERE case_id = '{}'",
        world.case_id
    ));
    assert_eq!(
        stored_sha(&app, &world.case_id),
        vec![String::new()],
        "the PDF is pending"
    );

    // Then the first download renders it, the same bytes, and stores it for the next
    let first = download(&app, &app.admin.token, &path).await;
    assert!(first.starts_with(b"%PDF-"));
    assert!(first == original, "the late PDF is the one rendered first");
    assert_eq!(
        stored_sha(&app, &world.case_id),
        vec![hex::encode(Sha256::digest(&first))],
        "the rendered PDF was stored"
    );
    let again = download(&app, &app.admin.token, &path).await;
    assert!(again == first);
}

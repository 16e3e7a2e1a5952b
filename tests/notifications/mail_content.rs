//! What the mails of the path say: links to the case page instead of raw ids, the
//! consultant as the meetings' organiser, the certificate with the approval, the
//! consultant's comment with the audit request, the overdue audit to its auditor.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app, PUBLIC_URL};

/// Words of 26 Crockford base32 characters with a digit: an id shown to a person.
fn raw_ids(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() == 26
                && w.chars().any(|c| c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        })
        .map(str::to_string)
        .collect()
}

/// `text` without the URLs in it (an id inside a link is fine).
fn without_urls(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.contains("http://") && !w.contains("https://"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[actix_rt::test]
async fn every_mail_of_the_path_links_to_the_case_page_and_shows_no_raw_id() {
    // Given a case driven along the whole path, its mail delivered
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "certified").await;
    app.dispatch().await;

    // Then every mail, in both languages, links to the case's page in both parts
    let case_url = format!("{PUBLIC_URL}/cases/{}", world.case_id);
    let mails = app.smtp.mails();
    assert!(mails.len() >= 10, "{} mails", mails.len());
    let mut languages = Vec::new();
    for mail in &mails {
        assert!(
            mail.text.contains(&case_url),
            "{}: {}",
            mail.subject,
            mail.text
        );
        assert!(
            mail.html.contains(&format!("href=\"{case_url}\"")),
            "{}: {}",
            mail.subject,
            mail.html
        );
        // and shows no id outside a link
        assert_eq!(
            raw_ids(&without_urls(&mail.text)),
            Vec::<String>::new(),
            "{}",
            mail.text
        );
        assert!(!without_urls(&mail.text).contains(&world.case_id));
        languages.push(mail.html.contains("<html lang=\"en\">"));
    }
    assert!(languages.contains(&true) && languages.contains(&false));
}

/// The case's certificate PDF as the admin downloads it.
async fn certificate_pdf(app: &crate::helpers::TestApp, case_id: &str) -> Vec<u8> {
    let mut download = app
        .client
        .get(format!(
            "{}/api/v1/cases/{case_id}/certificate.pdf",
            app.address
        ))
        .bearer_auth(&app.admin.token)
        .send()
        .await
        .expect("the download answers");
    assert_eq!(download.status().as_u16(), 200);
    download
        .body()
        .limit(20 << 20)
        .await
        .expect("the PDF")
        .to_vec()
}

#[actix_rt::test]
async fn the_approval_mail_carries_the_certificate_number_and_the_same_pdf_as_the_download() {
    // Given a case approved by its auditor, its mail delivered
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "certified").await;
    app.dispatch().await;
    let number = app.case(&world.case_id).await["certificate"]["number"]
        .as_str()
        .expect("the approval issued a certificate")
        .to_string();
    let downloaded = certificate_pdf(&app, &world.case_id).await;

    // Then every approval mail, in both languages, names the number and attaches the PDF
    for (to, subject, words) in [
        (
            &unit.contact_sv.email,
            "är certifierad",
            "Certifikatets nummer",
        ),
        (&unit.contact_en.email, "is certified", "Certificate number"),
        (
            &world.consultant.email,
            "är certifierad",
            "Certifikatets nummer",
        ),
    ] {
        let mail = app.smtp.mail_to(to, subject);
        assert!(
            mail.text.contains(&format!("{words}: {number}")),
            "{}",
            mail.text
        );
        assert!(mail.html.contains(&number), "{}", mail.html);
        assert_eq!(
            mail.attachments.len(),
            1,
            "{:?}",
            mail.attachments.iter().map(|a| &a.0).collect::<Vec<_>>()
        );
        let (name, content_type, bytes) = &mail.attachments[0];
        assert_eq!(name, &format!("{number}.pdf"));
        assert!(name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
        assert_eq!(content_type, "application/pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(*bytes == downloaded, "the attachment is the downloaded PDF");
    }
    // and no other mail carries a file
    for mail in app.smtp.mails() {
        if !mail.subject.contains("certifi") {
            assert!(mail.attachments.is_empty(), "{}", mail.subject);
        }
    }
}

/// Runs SQL straight against the app's database; the rows it changed.
fn sql(app: &crate::helpers::TestApp, statement: &str) -> usize {
    app.state
        .store
        .write(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(statement)
                .execute(conn)
                .map_err(stegvis::store::StoreError::from)
        })
        .expect("the statement runs")
}

/// Waits for the renderer to store the approved certificate's PDF, then sets it
/// pending again, as a crash between the approval's commit and its render leaves it.
async fn pdf_set_pending_after_the_renderer(app: &crate::helpers::TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sql(
        app,
        "UPDATE certificates SET status = status WHERE pdf_sha256 = ''",
    ) == 1
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the renderer stores the PDF"
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        sql(
            app,
            "UPDATE certificates SET pdf = substr(pdf, 1, 0), pdf_sha256 = ''"
        ),
        1
    );
}

#[actix_rt::test]
async fn the_approval_mail_renders_the_pdf_a_crash_after_the_approval_left_pending() {
    // Given an approved case whose PDF is pending, as a crash between the approval's
    // commit and its render would leave it, the mail not yet sent
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "certified").await;
    pdf_set_pending_after_the_renderer(&app).await;

    // When the mail goes out
    app.dispatch().await;

    // Then it carries the rendered PDF, which the download then serves too
    let mail = app.smtp.mail_to(&unit.contact_sv.email, "är certifierad");
    assert_eq!(mail.attachments.len(), 1);
    let (_, content_type, attached) = &mail.attachments[0];
    assert_eq!(content_type, "application/pdf");
    assert!(attached.starts_with(b"%PDF-"));
    let downloaded = certificate_pdf(&app, &world.case_id).await;
    assert!(downloaded == *attached);
}

#[actix_rt::test]
async fn an_approval_mail_whose_pdf_cannot_be_rendered_waits_while_the_rest_go_out() {
    // Given an approved case whose PDF is pending and cannot be rendered now: the
    // holder's account row, read for the PDF's language, is damaged in the database
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "certified").await;
    pdf_set_pending_after_the_renderer(&app).await;
    let holder = &unit.contact_sv.email;
    let damaged = format!("UPDATE users SET language = 'xx' WHERE email = '{holder}'");
    assert_eq!(sql(&app, &damaged), 1);

    // When the mail goes out
    app.dispatch().await;

    // Then the path's other mails went out, and the approval mails wait for a retry
    assert!(
        !app.smtp.mails().is_empty(),
        "the rest of the batch was sent"
    );
    assert!(
        app.smtp
            .mails()
            .iter()
            .all(|m| !m.subject.contains("är certifierad") && !m.subject.contains("is certified")),
        "no approval mail went out without its certificate"
    );
    let waiting = app.mail(Some("pending")).await;
    assert!(!waiting.is_empty());
    assert!(
        waiting.iter().all(|m| m["kind"] == "approved"),
        "{waiting:?}"
    );

    // And once the row is mended, the retry sends them with the PDF
    let mended = format!("UPDATE users SET language = 'sv' WHERE email = '{holder}'");
    assert_eq!(sql(&app, &mended), 1);
    app.clock.advance(Duration::hours(2));
    app.dispatch().await;
    let mail = app.smtp.mail_to(holder, "är certifierad");
    assert_eq!(mail.attachments.len(), 1);
    assert!(mail.attachments[0].2.starts_with(b"%PDF-"));
    assert!(app.mail(Some("pending")).await.is_empty());
}

#[actix_rt::test]
async fn the_audit_request_mail_carries_the_consultants_comment() {
    // Given a case ready for audit
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "routine_integration").await;
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        app.add_evidence(&world.consultant.token, &world.case_id, area)
            .await
            .should_be(201);
    }

    // When the consultant requests the audit with a comment
    let comment = "The spring APT minutes are under Evidence <see May>";
    let body =
        json!({ "action": "request_audit", "auditor_id": world.auditor.id, "comment": comment });
    app.transition(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(200);
    app.dispatch().await;

    // Then the auditor's mail quotes it, in both parts, escaped in HTML
    let mail = app.smtp.mail_to(&world.auditor.email, "Audit requested");
    assert!(
        mail.text
            .contains(&format!("The consultant's comment: {comment}")),
        "{}",
        mail.text
    );
    assert!(
        mail.html
            .contains("The spring APT minutes are under Evidence &lt;see May&gt;"),
        "{}",
        mail.html
    );
}

#[actix_rt::test]
async fn an_overdue_audit_reminds_its_auditor_not_the_consultant() {
    // Given a case in audit, with an auditor
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "audit").await;
    let due = app.case(&world.case_id).await["stage_due_at"]
        .as_str()
        .map(crate::helpers::time)
        .expect("the audit has a deadline");
    let before = app.mail_of_kind("deadline_overdue").await.len();

    // When its deadline is near, and then passed
    app.run_jobs_as_of(due - Duration::days(6)).await;
    app.run_jobs_as_of(due + Duration::hours(1)).await;

    // Then each reminder went to the auditor alone, in her language
    let approaching = app.mail_of_kind("deadline_approaching").await;
    let approaching: Vec<&(String, String)> = approaching
        .iter()
        .filter(|(_, s)| s.contains("Audit") || s.contains("Granskning"))
        .collect();
    assert_eq!(approaching.len(), 1, "{approaching:?}");
    assert_eq!(approaching[0].0, world.auditor.email);
    let overdue = app.mail_of_kind("deadline_overdue").await;
    assert_eq!(overdue.len(), before + 1, "{overdue:?}");
    let last = overdue
        .iter()
        .find(|(_, s)| s.starts_with("Overdue: Audit"))
        .expect("the overdue audit was reminded in English");
    assert_eq!(last.0, world.auditor.email);
    assert!(overdue
        .iter()
        .all(|(to, s)| !(to == &world.consultant.email && s.contains("Granskning"))));
}

#[actix_rt::test]
async fn a_returned_case_is_tillbakaskickat_in_mails_as_on_pages() {
    // Given a case the auditor returns with a finding
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "audit").await;
    let findings = json!([{ "severity": "minor", "text": "APT minutes lack the topic" }]);
    app.return_with(world, findings).await.should_be(200);
    app.dispatch().await;

    // Then the Swedish mail uses the pages' word (the glossary's "Tillbakaskickad")
    let mail = app.smtp.mail_to(&unit.contact_sv.email, "avvikelser");
    assert!(mail.subject.contains("tillbakaskickat"), "{}", mail.subject);
    assert!(mail.text.contains("skickat tillbaka"), "{}", mail.text);
    assert!(mail.html.contains("skickat tillbaka"), "{}", mail.html);
    let glossary = include_str!("../../src/glossary/sv.json");
    assert!(glossary.contains("\"event.returned\": \"Tillbakaskickad"));
    // and no Swedish mail, nor the glossary, says it another way
    for text in app
        .smtp
        .mails()
        .iter()
        .flat_map(|m| [m.subject.clone(), m.text.clone(), m.html.clone()])
        .chain([glossary.to_string()])
    {
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("återlämn") && !lower.contains("återskick"),
            "{text}"
        );
    }
}

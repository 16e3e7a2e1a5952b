//! Evidence as files: a PDF uploaded through the case page's form (multipart, with its
//! CSRF token) is downloaded byte for byte by the auditor; another organisation gets
//! 404; a file whose content is not what its name says, or over the configured limit,
//! is refused naming `file` and changes nothing; the history event carries the file's
//! SHA-256 and `stegvis verify-log` stays clean.

use sha2::{Digest, Sha256};

use crate::helpers::{random_hex, spawn_app, spawn_app_with, TestApp, TestUser};
use crate::history::verify_log;
use crate::web_session::Web;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn a_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.extend((0..=255u8).cycle().take(3000));
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

/// A `multipart/form-data` body with text fields and one file: the body and its
/// Content-Type.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (Vec<u8>, String) {
    let boundary = format!("----stegvis{}", random_hex());
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, content)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

/// Sends a multipart body as the signed-in browser `web` would: its cookies, no
/// redirects followed. Answers the status, the headers and the body's bytes.
async fn post_multipart(
    app: &TestApp,
    web: &Web,
    path: &str,
    body: (Vec<u8>, String),
) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    // Like a browser's form post: the redirect is the answer.
    let client = awc::Client::builder().disable_redirects().finish();
    send(
        client
            .post(format!("{}{path}", app.address))
            .insert_header(("Cookie", cookie_header(web)))
            .insert_header(("Content-Type", body.1)),
        Some(body.0),
    )
    .await
}

/// The browser's cookies as one header.
fn cookie_header(web: &Web) -> String {
    let cookies: Vec<String> = web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    cookies.join("; ")
}

async fn send(
    request: awc::ClientRequest,
    body: Option<Vec<u8>>,
) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let mut response = match body {
        Some(body) => request.send_body(body).await,
        None => request.send().await,
    }
    .expect("an answer");
    let bytes = response
        .body()
        .limit(64 * 1024 * 1024)
        .await
        .expect("a body");
    (
        response.status().as_u16(),
        response.headers().clone(),
        bytes.to_vec(),
    )
}

/// `GET path` with the browser's cookies.
async fn get_as(
    app: &TestApp,
    web: &Web,
    path: &str,
) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    send(
        app.client
            .get(format!("{}{path}", app.address))
            .insert_header(("Cookie", cookie_header(web))),
        None,
    )
    .await
}

/// `GET /api/v1/…` with a bearer token.
async fn api_get(
    app: &TestApp,
    token: &str,
    path: &str,
) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    send(
        app.client
            .get(format!("{}/api/v1{path}", app.address))
            .insert_header(("Authorization", format!("Bearer {token}"))),
        None,
    )
    .await
}

/// `POST /api/v1/cases/{id}/evidence/files` with a bearer token.
async fn api_upload(
    app: &TestApp,
    token: &str,
    case_id: &str,
    body: (Vec<u8>, String),
) -> crate::helpers::Reply {
    app.call_raw(
        awc::http::Method::POST,
        &format!("/api/v1/cases/{case_id}/evidence/files"),
        Some(token),
        &[],
        Some((body.0, body.1.as_str())),
    )
    .await
}

async fn unit_contact(app: &TestApp, unit_id: &str) -> TestUser {
    app.create_user("unit_contact", None, Some(unit_id)).await
}

/// The files stored under `data_dir/evidence` (none when the directory is absent).
fn stored_files(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(app.settings.data_dir.join("evidence")) {
        Ok(entries) => entries
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[actix_rt::test]
async fn a_pdf_added_through_the_page_is_downloaded_by_the_auditor_byte_for_byte_and_no_other_organisation(
) {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let contact = unit_contact(&app, &world.unit_id).await;
    let mut web = Web::login(&app, &contact.email).await;
    let case_page = format!("/cases/{}", world.case_id);
    let page = web.get(&case_page).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("enctype=\"multipart/form-data\"")
            && page.text.contains("type=\"file\""),
        "the evidence form sends a file"
    );
    let pdf = a_pdf();
    let sha256 = hex::encode(Sha256::digest(&pdf));
    let csrf = web.csrf.clone();
    let body = multipart(
        &[
            ("csrf", &csrf),
            ("area", "apt"),
            ("description", "Protokoll från APT, mars"),
            ("link", ""),
        ],
        Some(("Protokoll APT mars – åäö.pdf", &pdf)),
    );
    let (status, headers, text) = post_multipart(
        &app,
        &web,
        &format!("/cases/{}/evidence", world.case_id),
        body,
    )
    .await;
    assert_eq!(status, 303, "{}", String::from_utf8_lossy(&text));
    assert!(headers.get("location").is_some());

    // The API lists it with the file's record; the history event carries its SHA-256.
    let listed = app
        .get_evidence(&app.admin.token, &world.case_id)
        .await
        .should_be(200);
    let item = listed
        .items()
        .into_iter()
        .find(|e| !e["file"].is_null())
        .expect("the evidence with a file is listed");
    assert_eq!(item["file"]["sha256"], sha256);
    assert_eq!(item["file"]["size"], pdf.len());
    assert_eq!(item["file"]["media_type"], "application/pdf");
    assert_eq!(item["file"]["name"], "Protokoll APT mars – åäö.pdf");
    assert_eq!(item["added_by"], contact.id);
    let eid = item["id"].as_str().expect("an id").to_string();
    let events = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200);
    let event = events
        .items()
        .into_iter()
        .rev()
        .find(|e| e["kind"] == "evidence_added")
        .expect("an evidence_added event");
    assert_eq!(event["data"]["file"]["sha256"], sha256);
    assert_eq!(event["data"]["file"]["size"], pdf.len());
    assert_eq!(stored_files(&app), vec![sha256.clone()]);

    // The auditor sees it on the audit page and downloads the same bytes.
    app.drive_to(&world, "audit").await;
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let href = format!("/cases/{}/evidence/{eid}/file", world.case_id);
    let audit_page = auditor.get(&format!("/audits/{}", world.case_id)).await;
    assert_eq!(audit_page.status, 200, "{}", audit_page.text);
    assert!(
        audit_page.text.contains(&href),
        "the audit page links the file"
    );
    let (status, headers, bytes) = get_as(&app, &auditor, &href).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, pdf, "the same bytes");
    assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    let disposition = headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains(
            "filename*=UTF-8''Protokoll%20APT%20mars%20%E2%80%93%20%C3%A5%C3%A4%C3%B6.pdf"
        ),
        "{disposition}"
    );
    let (status, _, bytes) = api_get(
        &app,
        &world.auditor.token,
        &format!("/cases/{}/evidence/{eid}/file", world.case_id),
    )
    .await;
    assert_eq!(
        (status, bytes == pdf),
        (200, true),
        "the API gives the same bytes"
    );

    // Another organisation's people (its unit contact, its coordinator): 404 on the
    // page and in the API.
    let other = app.given_a_case().await;
    let stranger = unit_contact(&app, &other.unit_id).await;
    let stranger_web = Web::login(&app, &stranger.email).await;
    assert_eq!(get_as(&app, &stranger_web, &href).await.0, 404);
    let coordinator = app
        .create_user("coordinator", Some(&other.organisation_id), None)
        .await;
    for token in [&stranger.token, &coordinator.token] {
        let path = format!("/cases/{}/evidence/{eid}/file", world.case_id);
        assert_eq!(api_get(&app, token, &path).await.0, 404);
    }
    // Nor through another case's path, for someone who may see that case.
    let crossed = format!("/cases/{}/evidence/{eid}/file", other.case_id);
    assert_eq!(
        api_get(&app, &other.consultant.token, &crossed).await.0,
        404
    );

    let (code, stdout, stderr) = verify_log(&app);
    assert_eq!(code, 0, "the history verifies: {stdout} {stderr}");
}

#[actix_rt::test]
async fn a_file_whose_content_is_not_what_its_name_says_or_without_the_csrf_token_is_refused_and_changes_nothing(
) {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let contact = unit_contact(&app, &world.unit_id).await;
    let web = Web::login(&app, &contact.email).await;
    let version = app.version(&world.case_id).await;
    let before = app
        .get_evidence(&app.admin.token, &world.case_id)
        .await
        .text;
    let fields = [("area", "apt"), ("description", "Protokoll")];
    // A good file without the session's CSRF token is refused; nothing is stored.
    let (status, _, _) = post_multipart(
        &app,
        &web,
        &format!("/cases/{}/evidence", world.case_id),
        multipart(&fields, Some(("protokoll.pdf", &a_pdf()))),
    )
    .await;
    assert_eq!(status, 403, "no CSRF token, no upload");
    let bad: [(&str, &[u8]); 4] = [
        ("protokoll.pdf", PNG),
        ("protokoll.pdf", b"just some text, not a PDF"),
        ("program.docx", b"MZ\x90\0\x03\0\0\0"),
        ("bild.png", b"%PDF-1.4 a PDF named as an image"),
    ];
    for (name, content) in bad {
        let reply = api_upload(
            &app,
            &contact.token,
            &world.case_id,
            multipart(&fields, Some((name, content))),
        )
        .await;
        reply.should_be_problem(422, Some("file"));
        let csrf = web.csrf.clone();
        let mut with_csrf = fields.to_vec();
        with_csrf.push(("csrf", &csrf));
        let (status, _, page) = post_multipart(
            &app,
            &web,
            &format!("/cases/{}/evidence", world.case_id),
            multipart(&with_csrf, Some((name, content))),
        )
        .await;
        let page = String::from_utf8_lossy(&page);
        assert_eq!(status, 422, "{name}: {page}");
        assert!(
            page.contains("id=\"evidence-file-error\""),
            "the error is next to the file field: {page}"
        );
    }
    // No file at all is 422 naming file in the API.
    api_upload(
        &app,
        &contact.token,
        &world.case_id,
        multipart(&fields, None),
    )
    .await
    .should_be_problem(422, Some("file"));
    assert_eq!(app.version(&world.case_id).await, version);
    assert_eq!(
        app.get_evidence(&app.admin.token, &world.case_id)
            .await
            .text,
        before
    );
    assert!(
        stored_files(&app).is_empty(),
        "nothing stored: {:?}",
        stored_files(&app)
    );
}

#[actix_rt::test]
async fn a_file_over_the_configured_limit_is_refused_naming_file_and_one_at_it_is_added() {
    let app = spawn_app_with(|s| s.evidence.max_file_bytes = 2048).await;
    let world = app.given_a_case_in("routine_integration").await;
    let version = app.version(&world.case_id).await;
    let mut pdf = a_pdf();
    pdf.truncate(2049);
    let fields = [("area", "quality"), ("description", "Kvalitetshandboken")];
    api_upload(
        &app,
        &world.consultant.token,
        &world.case_id,
        multipart(&fields, Some(("handbok.pdf", &pdf))),
    )
    .await
    .should_be_problem(422, Some("file"));
    assert_eq!(app.version(&world.case_id).await, version);
    assert!(stored_files(&app).is_empty());

    pdf.truncate(2048);
    let added = api_upload(
        &app,
        &world.consultant.token,
        &world.case_id,
        multipart(&fields, Some(("handbok.pdf", &pdf))),
    )
    .await
    .should_be(201);
    assert_eq!(added.body["file"]["size"], 2048);
    let location = added.header("location").expect("a Location");
    assert_eq!(
        location,
        format!(
            "/api/v1/cases/{}/evidence/{}/file",
            world.case_id,
            added.id()
        )
    );
    let (status, headers, bytes) = api_get(
        &app,
        &world.consultant.token,
        location.trim_start_matches("/api/v1"),
    )
    .await;
    assert_eq!((status, bytes == pdf), (200, true));
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    let (code, stdout, stderr) = verify_log(&app);
    assert_eq!(code, 0, "the history verifies: {stdout} {stderr}");
}

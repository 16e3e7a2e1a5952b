//! Verification that earns trust: the date of the current status, the issuer, the
//! programme's requirements in words, when the status was checked, a form for a code,
//! and ways for a valid certificate's unit to show it elsewhere.

use chrono::Duration;
use serde_json::json;

use crate::certificates::verify;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, PASSWORD, PUBLIC_URL};

/// HTML text as a browser reads it (what handlebars escapes).
fn unescape(html: &str) -> String {
    html.replace("&#x3D;", "=")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let reply = app.public_get(path).await;
    (reply.status.as_u16(), reply.text)
}

/// The answer to `path` without following a redirect: status and `Location`.
async fn location(app: &TestApp, path: &str) -> (u16, String) {
    let client = awc::Client::builder().disable_redirects().finish();
    let reply = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("an answer");
    let location = reply
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (reply.status().as_u16(), location)
}

#[actix_rt::test]
async fn status_since_is_the_day_the_current_status_began() {
    let mut app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let code = app.verification_code(&world.case_id).await;
    let issued = app.now().date_naive();
    let first = verify(&app, &code).await;
    assert_eq!(first["status_since"], issued.to_string());

    app.clock.advance(Duration::days(40));
    app.admin.token = app.login(&app.admin.email, PASSWORD).await;
    app.admin_acts(
        &world.case_id,
        json!({"action": "suspend", "comment": "Complaint under review"}),
    )
    .await;
    let suspended = verify(&app, &code).await;
    assert_eq!(suspended["status"], "suspended");
    assert_eq!(
        suspended["status_since"],
        app.now().date_naive().to_string()
    );

    // Past the last valid day, before the expiry job has recorded it.
    let until =
        chrono::NaiveDate::parse_from_str(suspended["valid_until"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    app.clock.advance(Duration::days(
        (until - app.now().date_naive()).num_days() + 3,
    ));
    let expired = verify(&app, &code).await;
    assert_eq!(expired["status"], "expired");
    assert_eq!(
        expired["status_since"],
        until.succ_opt().unwrap().to_string()
    );
}

#[actix_rt::test]
async fn the_page_shows_issuer_requirements_check_time_and_ways_to_share_a_valid_certificate() {
    let app = spawn_app_with(|s| {
        s.certificate.issuer = "Regnbågsbyrån".into();
        s.certificate.issuer_logo = Some("https://stegvis.test/logo.svg".into());
    })
    .await;
    let world = app.given_a_case_in("certified").await;
    let code = app.verification_code(&world.case_id).await;
    let number = verify(&app, &code).await["number"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, html) = page(&app, &format!("/verify/{code}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Certifying body: <strong>Regnbågsbyrån</strong>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<img src="https://stegvis.test/logo.svg" alt="Logo of Regnbågsbyrån">"#)
    );
    assert!(html.contains("What the programme requires"));
    assert!(
        html.contains("Workshops attended by at least 80 % of the headcount"),
        "{html}"
    );
    assert!(
        html.contains("Evidence in Workplace meetings (APT)"),
        "{html}"
    );
    assert!(
        html.contains("Status checked Monday 2 March 2026, 10:00"),
        "{html}"
    );
    assert!(html.contains(r#"action="/verify""#) && html.contains(r#"name="code""#));

    let linkedin = html
        .split("href=\"https://www.linkedin.com/profile/add?")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an Add to LinkedIn link");
    let query: Vec<(String, String)> = serde_urlencoded::from_str(&unescape(linkedin)).unwrap();
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{name} in {query:?}"))
    };
    assert_eq!(field("startTask"), "CERTIFICATION_NAME");
    assert_eq!(field("certId"), number);
    assert_eq!(field("certUrl"), format!("{PUBLIC_URL}/verify/{code}"));
    assert_eq!(field("organizationName"), "Regnbågsbyrån");
    assert_eq!(field("issueYear"), "2026");
    assert_eq!(field("issueMonth"), "3");

    let snippet = html
        .split("<textarea id=\"embed\" readonly>")
        .nth(1)
        .and_then(|rest| rest.split("</textarea>").next())
        .expect("a badge snippet in a read-only text area");
    assert!(
        snippet.starts_with("&lt;a href"),
        "the snippet is shown as text, not as a link: {snippet}"
    );
    let snippet = unescape(snippet);
    assert!(
        snippet.starts_with(&format!("<a href=\"{PUBLIC_URL}/verify/{code}\"")),
        "the snippet links to the verification page: {snippet}"
    );
    assert!(
        snippet.contains(&number) && snippet.ends_with("</a>"),
        "{snippet}"
    );
    assert!(!html.contains('@'), "no e-mail addresses on the page");
}

#[actix_rt::test]
async fn a_suspended_certificate_is_not_offered_for_sharing_and_the_page_is_swedish_by_default() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let code = app.verification_code(&world.case_id).await;
    app.admin_acts(
        &world.case_id,
        json!({"action": "suspend", "comment": "Complaint under review"}),
    )
    .await;
    let (status, html) = page(&app, &format!("/verify/{code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Tillfälligt upphävt"), "{html}");
    assert!(html.contains("Sedan 2 mars 2026"), "{html}");
    assert!(html.contains("Vad programmet kräver"));
    assert!(!html.contains("linkedin.com") && !html.contains("<textarea"));
}

#[actix_rt::test]
async fn the_code_form_leads_to_the_codes_page_and_refuses_what_cannot_be_a_code() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/verify").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Skriv in koden som står på certifikatet"),
        "{html}"
    );

    assert_eq!(
        location(&app, "/verify?code=abcd-efgh%20jkmn").await,
        (303, "/verify/ABCDEFGHJKMN".to_string()),
        "spaces and dashes typed from paper are dropped, letters upper-cased"
    );
    assert_eq!(
        location(&app, "/verify?lang=en&code=ABCDEFGHJKMN").await,
        (303, "/verify/ABCDEFGHJKMN?lang=en".to_string())
    );
    assert_eq!(location(&app, "/verify?code=").await.0, 200);
    let (status, html) = page(&app, "/verify?code=%3Cscript%3E&lang=en").await;
    assert_eq!(status, 404);
    assert!(html.contains("No certificate has this code") && !html.contains("<script>"));
    let (status, _) = page(&app, "/verify?code=ABCDEFGHJKMN").await;
    assert_eq!(
        status, 404,
        "an unknown code, after the redirect, is the 404 page"
    );
}

//! Certificates: issued on approval, downloadable as PDF and signed credential,
//! verifiable by anyone, and following suspension, reinstatement, revocation, expiry
//! and renewal.

use awc::http::Method;
use chrono::{Duration, NaiveDate};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, World, PASSWORD, PUBLIC_URL};

async fn certified(app: &TestApp) -> World {
    app.given_a_case_in("certified").await
}

async fn certificate(app: &TestApp, case_id: &str) -> Value {
    app.get_certificate(&app.admin.token, case_id)
        .await
        .should_be(200)
        .body
}

async fn verification_code(app: &TestApp, case_id: &str) -> String {
    certificate(app, case_id).await["verification_code"]
        .as_str()
        .expect("a verification code")
        .to_string()
}

pub(crate) async fn download(app: &TestApp, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut response = app
        .client
        .get(format!("{}/api/v1{path}", app.address))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .expect("an answer");
    let bytes = response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body");
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    (response.status().as_u16(), content_type, bytes.to_vec())
}

pub(crate) async fn verify(app: &TestApp, code: &str) -> Value {
    app.call(
        Method::GET,
        &format!("/api/v1/verify/{code}"),
        None,
        &[],
        None,
    )
    .await
    .should_be(200)
    .body
}

fn date(text: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(text.as_str().expect("a date"), "%Y-%m-%d").expect("YYYY-MM-DD")
}

fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document
        .extract_text(&pages)
        .expect("the PDF's text extracts")
}

#[actix_rt::test]
async fn approving_issues_a_numbered_certificate_valid_for_the_programmes_months() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.get_certificate(&app.admin.token, &world.case_id)
        .await
        .should_be_problem(404, None);

    app.drive_to(&world, "certified").await;

    let certificate = certificate(&app, &world.case_id).await;
    let number = certificate["number"].as_str().expect("a number");
    assert_eq!(number, "STV-2026-000001");
    let code = certificate["verification_code"].as_str().expect("a code");
    assert!(
        code.len() >= 10 && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "{code}"
    );
    assert!(
        !code.contains(['0', 'O', '1', 'I']),
        "no ambiguous characters: {code}"
    );
    assert_eq!(certificate["status"], "valid");
    let today = app.now().date_naive();
    assert_eq!(date(&certificate["valid_from"]), today);
    assert_eq!(
        date(&certificate["valid_until"]),
        NaiveDate::from_ymd_opt(2029, 3, 1).unwrap()
    );
    assert_eq!(date(&certificate["first_certified_on"]), today);
    assert_eq!(certificate["auditor_id"], world.auditor.id.as_str());
    assert_eq!(certificate["programme"]["key"], "inclusion-standard");
    assert_eq!(
        certificate["verify_url"].as_str().unwrap(),
        format!("{PUBLIC_URL}/verify/{code}"),
        "the verification URL is under the configured public URL"
    );
    assert_eq!(app.case(&world.case_id).await["certificate"], certificate);
}

#[actix_rt::test]
async fn the_unit_contact_downloads_the_same_pdf_every_time_with_real_text() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let path = format!("/cases/{}/certificate.pdf", world.case_id);

    let (status, content_type, first) = download(&app, &contact.token, &path).await;
    let (_, _, second) = download(&app, &contact.token, &path).await;

    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    assert!(first.starts_with(b"%PDF-"));
    assert_eq!(first, second, "every download returns the stored bytes");
    let text = pdf_text(&first);
    let number = certificate(&app, &world.case_id).await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let unit = app
        .get_unit(&app.admin.token, &world.unit_id)
        .await
        .should_be(200)
        .body;
    let organisation = app
        .get_organisation(&app.admin.token, &world.organisation_id)
        .await
        .should_be(200)
        .body;
    for expected in [
        number.as_str(),
        unit["name"].as_str().unwrap(),
        organisation["name"].as_str().unwrap(),
    ] {
        assert!(
            text.contains(expected),
            "the PDF text contains {expected:?}: {text}"
        );
    }
}

#[actix_rt::test]
async fn the_credential_verifies_with_the_published_key_and_a_tampered_one_does_not() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let (status, content_type, bytes) = download(
        &app,
        &world.consultant.token,
        &format!("/cases/{}/certificate.jwt", world.case_id),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/vc+jwt");
    let token = String::from_utf8(bytes).expect("a JWT is text");

    let jwks = app
        .call(Method::GET, "/.well-known/jwks.json", None, &[], None)
        .await
        .should_be(200)
        .body;
    let header = decode_header(&token).expect("a JWS header");
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.expect("a kid");
    let jwk = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .expect("the signing key is published");
    assert!(jwk.get("d").is_none(), "only the public key is published");
    let key = DecodingKey::from_ed_components(jwk["x"].as_str().unwrap()).expect("an Ed25519 key");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();

    let claims = decode::<Value>(&token, &key, &validation)
        .expect("the credential verifies")
        .claims;
    let types: Vec<&str> = claims["type"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(types.contains(&"VerifiableCredential") && types.contains(&"OpenBadgeCredential"));
    assert!(claims["validFrom"].is_string() && claims["validUntil"].is_string());
    assert_eq!(
        claims["credentialSubject"]["achievement"]["type"][0],
        "Achievement"
    );
    assert!(claims["credentialSubject"]["achievement"]["criteria"]["narrative"].is_string());

    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = claims.clone();
    payload["validUntil"] = json!("2099-12-31T23:59:59+00:00");
    use base64::Engine;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
    let tampered = format!("{}.{}.{}", parts[0], forged, parts[2]);
    let refused = decode::<Value>(&tampered, &key, &validation)
        .expect_err("a tampered credential is rejected");
    assert!(
        matches!(
            refused.kind(),
            jsonwebtoken::errors::ErrorKind::InvalidSignature
        ),
        "a tampered credential is rejected for its signature, not {refused:?}"
    );
}

#[actix_rt::test]
async fn anyone_verifies_a_code_through_suspension_reinstatement_and_revocation() {
    let mut app = spawn_app().await;
    let world = certified(&app).await;
    let code = verification_code(&app, &world.case_id).await;

    let verified = verify(&app, &code).await;
    assert_eq!(verified["status"], "valid");
    assert!(verified["unit_name"].is_string() && verified["organisation_name"].is_string());
    assert!(
        !verified.to_string().contains('@'),
        "no e-mail addresses: {verified}"
    );

    let admin = app.admin.token.clone();
    app.transition(&admin, &world.case_id, &json!({"action": "suspend"}))
        .await
        .should_be_problem(422, Some("comment"));
    app.transition(
        &admin,
        &world.case_id,
        &json!({"action": "suspend", "comment": "Complaint under review"}),
    )
    .await
    .should_be(200);
    assert_eq!(verify(&app, &code).await["status"], "suspended");
    app.transition(&admin, &world.case_id, &json!({"action": "reinstate"}))
        .await
        .should_be(200);
    assert_eq!(verify(&app, &code).await["status"], "valid");
    app.transition(
        &admin,
        &world.case_id,
        &json!({"action": "revoke", "comment": "Routines abandoned"}),
    )
    .await
    .should_be(200);
    assert_eq!(verify(&app, &code).await["status"], "revoked");
    app.transition(&admin, &world.case_id, &json!({"action": "reinstate"}))
        .await
        .should_be_problem(409, None);

    app.clock.advance(Duration::days(365 * 4));
    app.admin.token = app.login(&app.admin.email, PASSWORD).await;
    assert_eq!(
        verify(&app, &code).await["status"],
        "revoked",
        "revocation is forever"
    );
    assert_eq!(app.case(&world.case_id).await["status"], "revoked");
}

#[actix_rt::test]
async fn only_the_admin_suspends_and_the_consultant_may_not() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let body = json!({"action": "suspend", "comment": "Complaint"});
    app.transition(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be_problem(403, None);
    app.transition(&world.auditor.token, &world.case_id, &body)
        .await
        .should_be_problem(403, None);
}

#[actix_rt::test]
async fn a_corrupt_certificate_status_is_an_error_and_never_reads_as_valid() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let code = verification_code(&app, &world.case_id).await;
    assert_eq!(verify(&app, &code).await["status"], "valid");

    app.execute_sql("UPDATE certificates SET status = 'Valid '");

    app.call(
        Method::GET,
        &format!("/api/v1/verify/{code}"),
        None,
        &[],
        None,
    )
    .await
    .should_be_problem(500, None);
    let page = app
        .call(Method::GET, &format!("/verify/{code}"), None, &[], None)
        .await;
    assert_eq!(page.status.as_u16(), 500, "{}", page.text);
    assert!(!page.text.contains("Giltigt"), "{}", page.text);
    app.get_certificate(&app.admin.token, &world.case_id)
        .await
        .should_be_problem(500, None);
}

#[actix_rt::test]
async fn the_verification_page_speaks_swedish_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let code = verification_code(&app, &world.case_id).await;

    let swedish = app
        .call(Method::GET, &format!("/verify/{code}"), None, &[], None)
        .await
        .should_be(200);
    assert!(swedish
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(
        swedish.text.contains("lang=\"sv\"") && swedish.text.contains("Giltigt"),
        "{}",
        swedish.text
    );
    let english = app
        .call(
            Method::GET,
            &format!("/verify/{code}?lang=en"),
            None,
            &[],
            None,
        )
        .await
        .should_be(200);
    assert!(english.text.contains("lang=\"en\"") && english.text.contains("Valid"));
    assert!(!english.text.contains(&world.consultant.email) && !english.text.contains('@'));

    app.call(Method::GET, "/verify/ABCDEFGHJKMN", None, &[], None)
        .await
        .should_be(404);
    app.call(Method::GET, "/api/v1/verify/ABCDEFGHJKMN", None, &[], None)
        .await
        .should_be_problem(404, None);
}

#[actix_rt::test]
async fn guessing_codes_is_throttled() {
    let app = spawn_app().await;
    let mut last = 0;
    for i in 0..40 {
        let reply = app
            .call(
                Method::GET,
                &format!("/api/v1/verify/ABCDEFGH{:04}", 2000 + i),
                None,
                &[],
                None,
            )
            .await;
        last = reply.status.as_u16();
        if last == 429 {
            break;
        }
    }
    assert_eq!(last, 429, "unknown codes are rate-limited");
}

#[actix_rt::test]
async fn downloads_need_a_token_and_another_tenant_gets_404() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let other_org = app.create_organisation("Another municipality").await;
    let stranger = app.create_user("coordinator", Some(&other_org), None).await;
    for suffix in ["", ".pdf", ".jwt"] {
        let path = format!("/api/v1/cases/{}/certificate{suffix}", world.case_id);
        app.call(Method::GET, &path, None, &[], None)
            .await
            .should_be_problem(401, None);
        app.call(Method::GET, &path, Some(&stranger.token), &[], None)
            .await
            .should_be_problem(404, None);
    }
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    app.get_certificate(&coordinator.token, &world.case_id)
        .await
        .should_be(200);
}

#[actix_rt::test]
async fn concurrent_approvals_get_distinct_sequential_numbers() {
    let app = spawn_app().await;
    let mut worlds = Vec::new();
    for _ in 0..6 {
        worlds.push(app.given_a_case_in("audit").await);
    }
    let approve = json!({"action": "approve"});
    let approvals = worlds
        .iter()
        .map(|w| app.transition(&w.auditor.token, &w.case_id, &approve));
    for reply in futures::future::join_all(approvals).await {
        reply.should_be(200);
    }
    let mut numbers = Vec::new();
    for world in &worlds {
        numbers.push(
            certificate(&app, &world.case_id).await["number"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    numbers.sort();
    let expected: Vec<String> = (1..=6).map(|n| format!("STV-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

/// Runs `stegvis jobs run --at` on a blocking thread, so the test's runtime (and the
/// HTTP client's connections on it) keeps running while the process works.
pub(crate) async fn run_jobs_at(app: &TestApp, at: &str) -> Value {
    let (url, data_dir, at) = (
        app.settings.database.url.clone(),
        app.settings.data_dir.clone(),
        at.to_string(),
    );
    let output = actix_rt::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_stegvis"))
            .args(["jobs", "run", "--at", &at])
            .env("STEGVIS__DATABASE__URL", url)
            .env("STEGVIS__DATA_DIR", data_dir)
            .output()
    })
    .await
    .expect("the blocking task ends")
    .expect("stegvis jobs run starts");
    assert!(
        output.status.success(),
        "jobs run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("jobs run prints its report as JSON")
}

#[actix_rt::test]
async fn jobs_run_expires_a_certificate_after_its_last_day_and_verification_says_so() {
    let mut app = spawn_app().await;
    let world = certified(&app).await;
    let certificate = certificate(&app, &world.case_id).await;
    let code = certificate["verification_code"]
        .as_str()
        .unwrap()
        .to_string();
    let until = date(&certificate["valid_until"]);

    let on_last_day = format!("{until}T12:00:00Z");
    assert_eq!(
        run_jobs_at(&app, &on_last_day).await["certificates_expired"],
        0
    );
    let day_after = format!("{}T00:30:00Z", until.succ_opt().unwrap());
    assert_eq!(
        run_jobs_at(&app, &day_after).await["certificates_expired"],
        1
    );
    assert_eq!(
        run_jobs_at(&app, &day_after).await["certificates_expired"],
        0,
        "expiry happens once"
    );
    // The job also forgot the tokens that had expired by then: sign in anew, then.
    app.clock.set(crate::helpers::time(&day_after));
    app.admin.token = app.login(&app.admin.email, PASSWORD).await;

    assert_eq!(verify(&app, &code).await["status"], "expired");
    let case = app.case(&world.case_id).await;
    assert_eq!(case["status"], "expired");
    assert_eq!(case["certificate"]["status"], "expired");
    let kinds: Vec<String> = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.last().map(String::as_str), Some("expired"));
}

#[actix_rt::test]
async fn a_renewal_certified_before_expiry_runs_on_from_the_old_expiry_date() {
    let mut app = spawn_app().await;
    let mut world = certified(&app).await;
    let first = certificate(&app, &world.case_id).await;
    let old_until = date(&first["valid_until"]);

    app.clock.advance(Duration::days(365 * 2));
    world.consultant.token = app.login(&world.consultant.email, PASSWORD).await;
    world.auditor.token = app.login(&world.auditor.email, PASSWORD).await;
    app.admin.token = app.login(&app.admin.email, PASSWORD).await;
    let admin_token = app.admin.token.clone();
    let renewed = app
        .transition(
            &world.consultant.token,
            &world.case_id,
            &json!({"action": "renew"}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(renewed["stage"], "value_workshops");
    assert_eq!(renewed["status"], "active");
    assert_eq!(renewed["cycle"], 2);
    assert_eq!(
        renewed["requirements"][0]["current"], 0,
        "fresh requirements: {renewed}"
    );
    let still = app
        .call(
            Method::GET,
            &format!(
                "/api/v1/verify/{}",
                first["verification_code"].as_str().unwrap()
            ),
            None,
            &[],
            None,
        )
        .await
        .should_be(200);
    assert_eq!(
        still.body["status"], "valid",
        "the old certificate stays valid until its date"
    );

    app.drive_to(&world, "certified").await;
    let second = app
        .get_certificate(&admin_token, &world.case_id)
        .await
        .should_be(200)
        .body;
    assert_ne!(second["number"], first["number"]);
    assert_eq!(date(&second["valid_from"]), app.now().date_naive());
    assert_eq!(
        date(&second["valid_until"]),
        old_until
            .checked_add_months(chrono::Months::new(36))
            .unwrap()
    );
    assert_eq!(second["first_certified_on"], first["first_certified_on"]);
}

#[actix_rt::test]
async fn a_verification_with_no_connection_free_waits_for_one_and_answers_the_same() {
    let app = spawn_app().await;
    let world = certified(&app).await;
    let code = verification_code(&app, &world.case_id).await;
    let expected = verify(&app, &code).await;
    // A second handle on the app's database whose pool holds one connection.
    let mut settings = app.settings.clone();
    settings.database.pool_size = 1;
    let clock: std::sync::Arc<dyn stegvis::clock::Clock> = app.clock.clone();
    let state =
        stegvis::startup::prepare(settings, clock).expect("a second handle on the app's database");
    let held = state.store.conn().expect("the pool's one connection");

    let on_sqlite = state.store.backend() == stegvis::store::Backend::Sqlite;
    use stegvis::app::certificates::verify_on;
    assert!(
        state.store.conn_now().is_none(),
        "with the pool's connection taken, a short read is left for the blocking pool"
    );
    let waiting = state.clone();
    let lookup_code = code.clone();
    let waited = std::thread::spawn(move || {
        let mut conn = waiting
            .store
            .conn()
            .expect("the pool's connection, once free");
        verify_on(&mut conn, &waiting, &lookup_code)
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    drop(held);
    let waited = waited.join().expect("the look-up's thread").expect("found");
    let now = state.store.conn_now();
    assert_eq!(
        now.is_some(),
        on_sqlite,
        "with a connection free, SQLite reads on the caller's thread and PostgreSQL never does"
    );
    let now = now.map(|mut conn| verify_on(&mut conn, &state, &code).expect("found"));
    for answer in [Some(waited), now].into_iter().flatten() {
        assert_eq!(serde_json::to_value(answer).unwrap(), expected);
    }
}

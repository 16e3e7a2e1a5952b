//! Credential status (W3C Bitstring Status List): an independent verifier in Python
//! (PyJWT and the standard library, tests/independent/check_status.py), trusting only
//! the JWKS and the status lists, tells valid from suspended and revoked.

use std::path::PathBuf;
use std::process::Command;

use awc::http::Method;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::certificates::download;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, World, PUBLIC_URL};

/// The Python that runs the check: `STEGVIS_TEST_PYTHON`, else the virtual environment
/// .ci/run makes (target/check-venv), else `python3`. A Python without PyJWT fails the
/// test; it is never skipped.
fn python() -> PathBuf {
    if let Ok(path) = std::env::var("STEGVIS_TEST_PYTHON") {
        return path.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/check-venv/bin/python3");
    if venv.exists() {
        venv
    } else {
        "python3".into()
    }
}

async fn credential_of(app: &TestApp, world: &World) -> String {
    let (status, _, bytes) = download(
        app,
        &app.admin.token,
        &format!("/cases/{}/certificate.jwt", world.case_id),
    )
    .await;
    assert_eq!(status, 200);
    String::from_utf8(bytes).expect("a JWT is text")
}

fn payload(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).expect("a compact JWS");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

/// What the independent verifier says of `jwt` at the app's present time.
async fn independent_check(app: &TestApp, jwt: &str) -> String {
    let file = app
        .settings
        .data_dir
        .join(format!("credential-{}.jwt", crate::helpers::random_hex()));
    std::fs::write(&file, jwt).expect("write the credential");
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/independent/check_status.py");
    let mut command = Command::new(python());
    command
        .arg(script)
        .arg("--jwks")
        .arg(format!("{}/.well-known/jwks.json", app.address))
        .arg("--credential")
        .arg(&file)
        .arg("--at")
        .arg(app.now().timestamp().to_string())
        .arg("--map")
        .arg(format!("{PUBLIC_URL}={}", app.address));
    // The app answers on this test's runtime: the check waits on another thread.
    let output = actix_rt::task::spawn_blocking(move || command.output())
        .await
        .expect("the check's thread")
        .expect("python3 runs (tests/independent needs Python 3 with PyJWT)");
    assert!(
        output.status.success(),
        "the independent check failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[actix_rt::test]
async fn an_independent_verifier_sees_suspension_reinstatement_and_revocation_in_the_lists() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let jwt = credential_of(&app, &world).await;
    assert_eq!(independent_check(&app, &jwt).await, "valid");

    app.admin_acts(
        &world.case_id,
        json!({"action": "suspend", "comment": "Complaint under review"}),
    )
    .await;
    assert_eq!(independent_check(&app, &jwt).await, "suspended");
    app.admin_acts(&world.case_id, json!({"action": "reinstate"}))
        .await;
    assert_eq!(independent_check(&app, &jwt).await, "valid");

    app.admin_acts(
        &world.case_id,
        json!({"action": "revoke", "comment": "Routines abandoned"}),
    )
    .await;
    assert_eq!(independent_check(&app, &jwt).await, "revoked");
    assert_eq!(
        credential_of(&app, &world).await,
        jwt,
        "the credential itself never changes: its status lives in the lists"
    );
}

#[actix_rt::test]
async fn the_credential_names_a_revocation_and_a_suspension_entry_under_the_public_url() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let status = payload(&credential_of(&app, &world).await)["credentialStatus"].clone();
    let entries = status.as_array().expect("a list of entries");
    let purposes: Vec<&str> = entries
        .iter()
        .map(|e| e["statusPurpose"].as_str().unwrap())
        .collect();
    assert_eq!(purposes, ["revocation", "suspension"]);
    for entry in entries {
        assert_eq!(entry["type"], "BitstringStatusListEntry");
        let index: u32 = entry["statusListIndex"]
            .as_str()
            .expect("the index as a string, as the spec says")
            .parse()
            .expect("a number");
        assert!(index < 131_072);
        let url = entry["statusListCredential"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("{PUBLIC_URL}/credentials/status/")),
            "{url}"
        );
        let path = url.trim_start_matches(PUBLIC_URL);
        let list = app
            .call(Method::GET, path, None, &[], None)
            .await
            .should_be(200);
        let claims = payload(list.text.trim());
        assert_eq!(
            claims["credentialSubject"]["statusPurpose"],
            entry["statusPurpose"]
        );
        assert_eq!(claims["id"], url);
    }
}

#[actix_rt::test]
async fn an_unknown_status_list_is_404_and_only_get_is_allowed() {
    let app = spawn_app().await;
    app.call(
        Method::GET,
        "/credentials/status/revocation-9",
        None,
        &[],
        None,
    )
    .await
    .should_be_problem(404, None);
    app.call(Method::GET, "/credentials/status/nothing", None, &[], None)
        .await
        .should_be_problem(404, None);
    app.call(
        Method::POST,
        "/credentials/status/revocation-1",
        None,
        &[],
        None,
    )
    .await
    .should_be_problem(405, None);
}

/// The revocation entry (list, index) of each of `n` newly certified cases, in order.
async fn revocation_entries(app: &TestApp, n: usize) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    for _ in 0..n {
        let case = app.given_a_case_in("certified").await;
        let jwt = credential_of(app, &case).await;
        let revocation = payload(&jwt)["credentialStatus"][0].clone();
        entries.push((
            revocation["statusListCredential"]
                .as_str()
                .unwrap()
                .to_string(),
            revocation["statusListIndex"].as_str().unwrap().to_string(),
        ));
    }
    entries
}

#[actix_rt::test]
async fn a_list_fills_every_index_once_before_the_next_list_starts() {
    let app = spawn_app_with(|s| s.certificate.status_list_capacity = 3).await;
    let entries = revocation_entries(&app, 4).await;
    let first_list = format!("{PUBLIC_URL}/credentials/status/revocation-1");
    let mut first: Vec<&str> = entries[..3]
        .iter()
        .map(|(list, index)| {
            assert_eq!(list, &first_list);
            index.as_str()
        })
        .collect();
    first.sort_unstable();
    assert_eq!(
        first,
        ["0", "1", "2"],
        "the last free index is found, not guessed"
    );
    assert_eq!(
        entries[3].0,
        format!("{PUBLIC_URL}/credentials/status/revocation-2")
    );
}

#[actix_rt::test]
async fn a_list_of_eight_hands_out_seven_distinct_indexes_before_the_next_starts() {
    let app = spawn_app_with(|s| s.certificate.status_list_capacity = 8).await;
    let entries = revocation_entries(&app, 8).await;
    let first_list = format!("{PUBLIC_URL}/credentials/status/revocation-1");
    let mut first: Vec<u32> = entries[..7]
        .iter()
        .map(|(list, index)| {
            assert_eq!(list, &first_list);
            index.parse().expect("an index")
        })
        .collect();
    first.sort_unstable();
    first.dedup();
    assert_eq!(first.len(), 7, "seven distinct indexes: {entries:?}");
    assert!(first.iter().all(|i| *i < 8), "{entries:?}");
    assert_eq!(
        entries[7].0,
        format!("{PUBLIC_URL}/credentials/status/revocation-2"),
        "the eighth credential starts the next list"
    );
}

#[actix_rt::test]
async fn a_full_list_starts_a_new_one_and_both_keep_answering() {
    let app = spawn_app_with(|s| s.certificate.status_list_capacity = 1).await;
    let first = app.given_a_case_in("certified").await;
    let second = app.given_a_case_in("certified").await;
    let lists = |jwt: &str| -> Vec<String> {
        payload(jwt)["credentialStatus"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["statusListCredential"].as_str().unwrap().to_string())
            .collect()
    };
    let (first_jwt, second_jwt) = (
        credential_of(&app, &first).await,
        credential_of(&app, &second).await,
    );
    assert_eq!(
        lists(&first_jwt),
        [
            format!("{PUBLIC_URL}/credentials/status/revocation-1"),
            format!("{PUBLIC_URL}/credentials/status/suspension-1")
        ]
    );
    assert_eq!(
        lists(&second_jwt),
        [
            format!("{PUBLIC_URL}/credentials/status/revocation-2"),
            format!("{PUBLIC_URL}/credentials/status/suspension-2")
        ]
    );
    app.admin_acts(
        &second.case_id,
        json!({"action": "revoke", "comment": "Routines abandoned"}),
    )
    .await;
    assert_eq!(independent_check(&app, &first_jwt).await, "valid");
    assert_eq!(independent_check(&app, &second_jwt).await, "revoked");
}

#[actix_rt::test]
async fn a_credential_issued_before_status_lists_gets_its_entries_and_a_new_signature() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let jwt = credential_of(&app, &world).await;
    // What a certificate issued before this change looks like: no entries, and a
    // credential without credentialStatus (signed by the same key, as it was then).
    let mut old = payload(&jwt);
    old.as_object_mut().unwrap().remove("credentialStatus");
    let keys =
        stegvis::certificate::keys::KeyRing::load_or_create(&app.settings.data_dir, app.now())
            .expect("the app's keys");
    let old_jwt = stegvis::certificate::credential::sign(&keys, &old);
    app.execute_sql(&format!(
        "UPDATE certificates SET revocation_list = NULL, revocation_index = NULL, \
         suspension_list = NULL, suspension_index = NULL, credential = '{old_jwt}'"
    ));
    app.execute_sql("DELETE FROM status_lists");

    let store = stegvis::store::Store::connect(&app.settings.database.url, 1).unwrap();
    let kit = stegvis::certificate::CertificateKit {
        keys,
        issuer: app.settings.certificate.issuer.clone(),
        logo: None,
        public_url: PUBLIC_URL.into(),
        status_list_capacity: 131_072,
    };
    let given = stegvis::certificate::status_backfill::backfill(&store, &kit, app.now()).unwrap();
    assert_eq!(given, 1);
    assert_eq!(
        stegvis::certificate::status_backfill::backfill(&store, &kit, app.now()).unwrap(),
        0,
        "once given, entries stay"
    );

    let renewed = credential_of(&app, &world).await;
    let mut without_status = payload(&renewed);
    assert!(without_status["credentialStatus"].is_array());
    without_status
        .as_object_mut()
        .unwrap()
        .remove("credentialStatus");
    assert_eq!(
        without_status, old,
        "everything else the credential says is kept"
    );
    assert_eq!(independent_check(&app, &renewed).await, "valid");
    app.admin_acts(
        &world.case_id,
        json!({"action": "suspend", "comment": "Complaint under review"}),
    )
    .await;
    assert_eq!(independent_check(&app, &renewed).await, "suspended");
}

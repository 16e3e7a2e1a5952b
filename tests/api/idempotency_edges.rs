//! `Idempotency-Key` beyond one request at a time: requests at once, a claim still
//! running and one abandoned, the 24-hour expiry, bad keys, and the release of a key
//! whose request failed with a 5xx.

use chrono::Duration;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, Reply, TestApp, PASSWORD};
use crate::raw_sql::sql;

/// The organisations the admin can list.
async fn organisation_ids(app: &TestApp, token: &str) -> Vec<String> {
    app.get_organisations(token, "?limit=200")
        .await
        .should_be(200)
        .ids()
}

fn replayed(reply: &Reply) -> bool {
    reply.header("idempotent-replayed").as_deref() == Some("true")
}

#[actix_rt::test]
async fn identical_keyed_posts_sent_at_once_create_one_organisation() {
    let app = spawn_app().await;
    let body = json!({ "name": "Samtidiga kommunen" });
    let requests =
        (0..8).map(|_| app.post_with_key(&app.admin.token, "/organisations", "at-once", &body));
    let replies = futures::future::join_all(requests).await;
    let mut created = Vec::new();
    for reply in replies {
        match reply.status.as_u16() {
            201 => created.push(reply.id()),
            409 => {
                reply.should_be_problem(409, None);
            }
            other => panic!("a keyed POST at once answers 201 or 409, not {other}"),
        }
    }
    assert!(!created.is_empty(), "at least one request ran");
    assert!(
        created.iter().all(|id| *id == created[0]),
        "every 201 names the same organisation: {created:?}"
    );
    assert_eq!(
        organisation_ids(&app, &app.admin.token).await,
        vec![created[0].clone()]
    );
}

/// The request hash the middleware stores: the path, `?`, the query, a newline, the body.
fn request_hash(path: &str, body: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update(b"?\n");
    hasher.update(body.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

#[actix_rt::test]
async fn a_claim_still_running_is_409_until_it_is_abandoned_and_then_taken_over() {
    let app = spawn_app().await;
    let body = json!({ "name": "Övertagna kommunen" });
    // Given a claim on the key by a request that has not finished (status NULL)
    let claimed_at = app.now().format("%Y-%m-%d %H:%M:%S");
    let inserted = sql(
        &app,
        &format!(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) \
             VALUES ('{}', 'running', '{}', '{claimed_at}')",
            app.admin.id,
            request_hash("/api/v1/organisations", &body)
        ),
    );
    assert_eq!(inserted, 1);
    // When the same request comes while it runs, it is refused and creates nothing
    for wait in [0, 59] {
        app.clock.advance(Duration::seconds(wait));
        app.post_with_key(&app.admin.token, "/organisations", "running", &body)
            .await
            .should_be_problem(409, None);
        assert!(
            organisation_ids(&app, &app.admin.token).await.is_empty(),
            "a request refused as still running creates nothing"
        );
    }
    // Then a claim older than a minute is abandoned: the request runs once
    app.clock.advance(Duration::seconds(2));
    let taken = app
        .post_with_key(&app.admin.token, "/organisations", "running", &body)
        .await
        .should_be(201);
    assert!(!replayed(&taken), "the taken-over request ran");
    let again = app
        .post_with_key(&app.admin.token, "/organisations", "running", &body)
        .await
        .should_be(201);
    assert!(replayed(&again), "the next one is a replay");
    assert_eq!(again.id(), taken.id());
    assert_eq!(
        organisation_ids(&app, &app.admin.token).await,
        vec![taken.id()]
    );
}

#[actix_rt::test]
async fn a_key_replays_for_24_hours_and_runs_again_after() {
    let app = spawn_app().await;
    let body = json!({ "name": "Dygnets kommun" });
    let first = app
        .post_with_key(&app.admin.token, "/organisations", "a-day", &body)
        .await
        .should_be(201);
    // Tokens live 12 hours: log in again after each move of the clock.
    app.clock
        .advance(Duration::hours(24) - Duration::minutes(1));
    let token = app.login(&app.admin.email, PASSWORD).await;
    let replay = app
        .post_with_key(&token, "/organisations", "a-day", &body)
        .await
        .should_be(201);
    assert!(replayed(&replay), "within 24 hours the key replays");
    assert_eq!(replay.id(), first.id());
    assert_eq!(organisation_ids(&app, &token).await.len(), 1);

    app.clock.advance(Duration::minutes(2));
    let token = app.login(&app.admin.email, PASSWORD).await;
    let fresh = app
        .post_with_key(&token, "/organisations", "a-day", &body)
        .await
        .should_be(201);
    assert!(!replayed(&fresh), "after 24 hours the key is free again");
    assert_ne!(fresh.id(), first.id());
    assert_eq!(organisation_ids(&app, &token).await.len(), 2);
}

#[actix_rt::test]
async fn a_bad_idempotency_key_is_422_naming_the_header_and_creates_nothing() {
    let app = spawn_app().await;
    let body = json!({ "name": "Nyckellösa kommunen" });
    let too_long = "k".repeat(256);
    for key in ["", "two words", too_long.as_str()] {
        app.post_with_key(&app.admin.token, "/organisations", key, &body)
            .await
            .should_be_problem(422, Some("Idempotency-Key"));
    }
    assert!(organisation_ids(&app, &app.admin.token).await.is_empty());
    // The longest key allowed works.
    let longest = "k".repeat(255);
    app.post_with_key(&app.admin.token, "/organisations", &longest, &body)
        .await
        .should_be(201);
    assert_eq!(organisation_ids(&app, &app.admin.token).await.len(), 1);
}

#[actix_rt::test]
async fn a_request_that_failed_with_a_5xx_releases_its_key_for_the_retry() {
    let app = spawn_app().await;
    let body = json!({ "name": "Felande kommunen" });
    // Given the store fails (its table is gone for a moment)
    sql(
        &app,
        "ALTER TABLE organisations RENAME TO organisations_away",
    );
    let failed = app
        .post_with_key(&app.admin.token, "/organisations", "after-5xx", &body)
        .await;
    sql(
        &app,
        "ALTER TABLE organisations_away RENAME TO organisations",
    );
    assert!(
        failed.status.is_server_error(),
        "without its table the request fails: {} {}",
        failed.status,
        failed.text
    );
    assert!(
        !failed.text.contains("organisations_away"),
        "a 500 leaks nothing of the store: {}",
        failed.text
    );
    // When it is retried with the same key, it runs (the 5xx is not replayed)
    let retried = app
        .post_with_key(&app.admin.token, "/organisations", "after-5xx", &body)
        .await
        .should_be(201);
    assert!(!replayed(&retried), "the retry ran: {:?}", retried.headers);
    assert_eq!(
        organisation_ids(&app, &app.admin.token).await,
        vec![retried.id()]
    );
}

//! Webhooks against a real receiver on loopback that checks every signature itself:
//! a transition is delivered once, signed; a receiver that is down gets the delivery
//! when it is back; after the last attempt a delivery is dead until an admin retries
//! it; only admins manage endpoints; bad endpoints are refused with nothing stored.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, Receiver, SmtpSink, TestApp};

/// An app whose webhooks may point at loopback, where the test's receiver listens.
async fn app_with(adjust: impl FnOnce(&mut stegvis::config::Settings)) -> TestApp {
    spawn_app_with(SmtpSink::start(), |s| {
        s.webhooks.allow_private = true;
        adjust(s);
    })
    .await
}

/// Registers the receiver for `events` as the admin and lets it trust the secret.
async fn register(app: &TestApp, receiver: &Receiver, events: &[&str]) -> String {
    let reply = app
        .post(
            &app.admin.token,
            "/webhooks",
            &json!({ "url": receiver.url(), "events": events }),
        )
        .await
        .should_be(201);
    let secret = reply.body["secret"].as_str().expect("a secret").to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    receiver.trust(&secret);
    reply.id()
}

/// The endpoint's deliveries as the admin reads them, newest first.
async fn deliveries(app: &TestApp, endpoint: &str) -> Vec<Value> {
    let reply = app
        .get(&app.admin.token, &format!("/webhooks/{endpoint}"))
        .await
        .should_be(200);
    assert!(
        reply.body.get("secret").is_none(),
        "the secret is shown once"
    );
    reply.body["deliveries"]
        .as_array()
        .expect("deliveries")
        .clone()
}

#[actix_rt::test]
async fn a_stage_change_is_delivered_once_signed_and_without_personal_data() {
    // Given a receiver for stage changes and another for issued certificates only
    let app = app_with(|_| {}).await;
    let receiver = Receiver::start();
    let endpoint = register(&app, &receiver, &["case.stage_changed"]).await;
    let other = Receiver::start();
    register(&app, &other, &["certificate.issued"]).await;
    let world = app.given_a_case().await;

    // When the case moves from kickoff to the value workshops
    app.drive_to(&world, "value_workshops").await;
    let handled = app.dispatch_webhooks().await;

    // Then the receiver got one delivery, its signature checked by the receiver
    assert_eq!(handled, 1);
    let got = receiver.received();
    assert_eq!(got.len(), 1, "{got:?}");
    let delivery = &got[0];
    assert!(delivery.signed, "the signature verifies: {delivery:?}");
    assert_eq!(delivery.timestamp, app.now().timestamp());
    assert_eq!(delivery.body["type"], "case.stage_changed");
    let data = &delivery.body["data"];
    assert_eq!(data["case_id"], world.case_id.as_str());
    assert_eq!(data["unit_id"], world.unit_id.as_str());
    assert_eq!(data["organisation_id"], world.organisation_id.as_str());
    assert_eq!(data["from_stage"], "kickoff");
    assert_eq!(data["to_stage"], "value_workshops");
    assert_eq!(data["event"], "stage_advanced");
    // ids and states only: no e-mail address, no person's name
    let text = delivery.body.to_string();
    assert!(!text.contains('@'), "{text}");
    assert!(!text.contains("A consultant"), "{text}");
    // and the other endpoint heard nothing
    assert!(other.received().is_empty());

    // And the delivery is recorded as sent, and never sent again
    let listed = deliveries(&app, &endpoint).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], delivery.id.as_str());
    assert_eq!(listed[0]["status"], "sent");
    assert_eq!(listed[0]["attempts"], 1);
    assert_eq!(listed[0]["response_status"], 204);
    app.clock.advance(Duration::days(1));
    assert_eq!(app.dispatch_webhooks().await, 0);
    assert_eq!(receiver.received().len(), 1);
}

#[actix_rt::test]
async fn two_workers_draining_at_once_send_each_delivery_once() {
    // Given three stage changes waiting for one receiver
    let app = app_with(|_| {}).await;
    let receiver = Receiver::start();
    register(&app, &receiver, &["case.stage_changed"]).await;
    for _ in 0..3 {
        let world = app.given_a_case().await;
        app.drive_to(&world, "value_workshops").await;
    }

    // When two workers drain the deliveries at the same time
    let (a, b) = futures::join!(app.dispatch_webhooks(), app.dispatch_webhooks());

    // Then each was claimed by one of them and arrived once
    assert_eq!(a + b, 3);
    let mut ids: Vec<String> = receiver.received().into_iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert_eq!(receiver.received().len(), 3);
}

#[actix_rt::test]
async fn a_receiver_that_is_down_gets_the_delivery_once_it_is_back() {
    // Given a receiver that drops every connection
    let app = app_with(|_| {}).await;
    let receiver = Receiver::down();
    let endpoint = register(&app, &receiver, &["case.stage_changed"]).await;
    let world = app.given_a_case().await;
    app.drive_to(&world, "value_workshops").await;

    // When the worker tries, the delivery waits with its reason
    assert_eq!(app.dispatch_webhooks().await, 1);
    let listed = deliveries(&app, &endpoint).await;
    assert_eq!(listed[0]["status"], "pending");
    assert_eq!(listed[0]["attempts"], 1);
    assert!(listed[0]["last_error"]
        .as_str()
        .is_some_and(|e| !e.is_empty()));
    // not due again before 5 s, then retried on the schedule (5 s, then 5 min)
    assert_eq!(app.dispatch_webhooks().await, 0);
    app.clock.advance(Duration::seconds(5));
    assert_eq!(app.dispatch_webhooks().await, 1);
    app.clock.advance(Duration::seconds(299));
    assert_eq!(app.dispatch_webhooks().await, 0);

    // When the receiver is back and the wait has passed
    receiver.come_up();
    app.clock.advance(Duration::seconds(1));
    assert_eq!(app.dispatch_webhooks().await, 1);

    // Then it has the delivery, signed, under the id every attempt carried
    let got = receiver.received();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].signed);
    let listed = deliveries(&app, &endpoint).await;
    assert_eq!(listed[0]["id"], got[0].id.as_str());
    assert_eq!(listed[0]["status"], "sent");
    assert_eq!(listed[0]["attempts"], 3);
}

#[actix_rt::test]
async fn after_the_last_attempt_a_delivery_is_dead_until_an_admin_retries_it() {
    // Given deliveries that get three attempts, to a receiver that is down
    let app = app_with(|s| s.webhooks.max_attempts = 3).await;
    let receiver = Receiver::down();
    let endpoint = register(&app, &receiver, &["case.stage_changed"]).await;
    let world = app.given_a_case().await;
    app.drive_to(&world, "value_workshops").await;

    // When all three attempts fail
    assert_eq!(app.dispatch_webhooks().await, 1);
    app.clock.advance(Duration::seconds(5));
    assert_eq!(app.dispatch_webhooks().await, 1);
    app.clock.advance(Duration::seconds(300));
    assert_eq!(app.dispatch_webhooks().await, 1);

    // Then the delivery is dead and no longer tried
    let listed = deliveries(&app, &endpoint).await;
    assert_eq!(listed[0]["status"], "dead");
    assert_eq!(listed[0]["attempts"], 3);
    app.clock.advance(Duration::days(2));
    assert_eq!(app.dispatch_webhooks().await, 0);
    // and /metrics counts it
    let metrics = app
        .call(awc::http::Method::GET, "/metrics", None, &[], None)
        .await
        .should_be(200);
    assert!(
        metrics
            .text
            .lines()
            .any(|l| l == r#"stegvis_webhook_deliveries{status="dead"} 1"#),
        "{}",
        metrics.text
    );
    let delivery = listed[0]["id"].as_str().expect("an id").to_string();
    let retry = format!("/webhooks/{endpoint}/deliveries/{delivery}/retry");

    // A consultant may not retry it
    app.post(&world.consultant.token, &retry, &json!({}))
        .await
        .should_be_problem(403, None);
    // nor may anyone retry it through another endpoint
    let elsewhere = register(&app, &Receiver::start(), &["case.enrolled"]).await;
    app.post(
        &app.admin.token,
        &format!("/webhooks/{elsewhere}/deliveries/{delivery}/retry"),
        &json!({}),
    )
    .await
    .should_be_problem(404, None);

    // When the receiver is back and the admin retries it
    receiver.come_up();
    let reply = app
        .post(&app.admin.token, &retry, &json!({}))
        .await
        .should_be(200);
    assert_eq!(reply.body["status"], "pending");
    assert_eq!(reply.body["attempts"], 0);
    assert_eq!(app.dispatch_webhooks().await, 1);

    // Then it is delivered, signed, and a sent delivery cannot be retried
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].signed);
    assert_eq!(deliveries(&app, &endpoint).await[0]["status"], "sent");
    app.post(&app.admin.token, &retry, &json!({}))
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn only_an_admin_manages_webhooks() {
    let app = app_with(|_| {}).await;
    let receiver = Receiver::start();
    let endpoint = register(&app, &receiver, &["certificate.issued"]).await;
    let world = app.given_a_case().await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let body = json!({ "url": receiver.url(), "events": ["case.enrolled"] });
    for token in [
        &world.consultant.token,
        &world.auditor.token,
        &coordinator.token,
    ] {
        app.post(token, "/webhooks", &body)
            .await
            .should_be_problem(403, None);
        app.get(token, "/webhooks")
            .await
            .should_be_problem(403, None);
        app.get(token, &format!("/webhooks/{endpoint}"))
            .await
            .should_be_problem(403, None);
        app.delete(token, &format!("/webhooks/{endpoint}"))
            .await
            .should_be_problem(403, None);
    }
    // Nothing was added or removed
    let list = app.get(&app.admin.token, "/webhooks").await.should_be(200);
    assert_eq!(list.ids(), vec![endpoint.clone()]);

    // The admin deletes it: gone, and a later certificate is not delivered
    app.delete(&app.admin.token, &format!("/webhooks/{endpoint}"))
        .await
        .should_be(204);
    app.get(&app.admin.token, &format!("/webhooks/{endpoint}"))
        .await
        .should_be_problem(404, None);
    app.drive_to(&world, "certified").await;
    assert_eq!(app.dispatch_webhooks().await, 0);
}

#[actix_rt::test]
async fn bad_endpoints_are_refused_naming_the_field_and_nothing_is_stored() {
    // Given the default settings: no private addresses
    let app = spawn_app_with(SmtpSink::start(), |_| {}).await;
    let cases = [
        (
            json!({ "url": "ftp://example.org/hook", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "not a url", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "http://127.0.0.1:9/hook", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "http://10.0.0.7/hook", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "http://169.254.169.254/latest", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "http://[::1]:8080/hook", "events": ["case.enrolled"] }),
            "url",
        ),
        // the server's own public URL (http://stegvis.test in the tests)
        (
            json!({ "url": "http://stegvis.test/hook", "events": ["case.enrolled"] }),
            "url",
        ),
        (
            json!({ "url": "https://93.184.215.14/hook", "events": ["case.unknown"] }),
            "events[0]",
        ),
        (
            json!({ "url": "https://93.184.215.14/hook", "events": ["case.enrolled", "certificate.lost"] }),
            "events[1]",
        ),
        (
            json!({ "url": "https://93.184.215.14/hook", "events": [] }),
            "events",
        ),
        (
            json!({ "url": "https://93.184.215.14/hook", "events": ["case.enrolled"], "secret": "whsec_c2hvcnQ=" }),
            "secret",
        ),
    ];
    for (body, field) in cases {
        app.post(&app.admin.token, "/webhooks", &body)
            .await
            .should_be_problem(422, Some(field));
    }
    let list = app.get(&app.admin.token, "/webhooks").await.should_be(200);
    assert!(list.items().is_empty(), "{}", list.text);

    // The server itself stays refused even where private addresses are allowed
    let open = app_with(|_| {}).await;
    open.post(
        &open.admin.token,
        "/webhooks",
        &json!({ "url": "http://stegvis.test/hook", "events": ["case.enrolled"] }),
    )
    .await
    .should_be_problem(422, Some("url"));
}

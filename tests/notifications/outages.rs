//! No mail is lost or sent twice: an SMTP outage, dead mail and an admin's retry, a
//! template error, two instances draining one outbox.

use std::sync::Arc;

use chrono::Duration;
use stegvis::app::to_db;
use stegvis::clock::Clock;
use stegvis::store::rows::OutboxRow;
use stegvis::store::Backend;

use crate::helpers::{spawn_app, spawn_app_with, SmtpSink};

#[actix_rt::test]
async fn with_smtp_down_mail_waits_and_is_delivered_once_smtp_is_back() {
    // Given an SMTP relay that is down
    let smtp = SmtpSink::down();
    let app = spawn_app_with(smtp.clone(), |s| s.mail.retry_base_secs = 60).await;
    let unit = app.given_a_unit_with_contacts().await;

    // When the worker tries to deliver the enrolment's mail
    assert_eq!(app.dispatch().await, 4);

    // Then it waits, pending, with the reason and the attempt counted
    let pending = app.mail(Some("pending")).await;
    assert_eq!(pending.len(), 4);
    for row in &pending {
        assert_eq!(row["attempts"], 1);
        assert!(
            row["last_error"].as_str().is_some_and(|e| !e.is_empty()),
            "{row}"
        );
        assert!(row["sent_at"].is_null());
    }
    // Not due again before its backoff has passed
    assert_eq!(app.dispatch().await, 0);

    // When SMTP is back and the backoff has passed
    smtp.come_up();
    app.clock.advance(Duration::seconds(61));
    assert_eq!(app.dispatch().await, 4);

    // Then everything arrived, each exactly once, and nothing is left
    let counts = smtp.message_id_counts();
    assert_eq!(counts.len(), 4);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert_eq!(app.mail(Some("sent")).await.len(), 4);
    assert!(app.mail(Some("pending")).await.is_empty());
    assert_eq!(app.smtp.mails_to(&unit.contact_en.email).len(), 1);
    assert_eq!(app.dispatch().await, 0);
    assert_eq!(smtp.received().len(), 4);
}

#[actix_rt::test]
async fn mail_dies_after_the_last_attempt_and_an_admin_can_send_it_again() {
    // Given an SMTP relay that is down and two attempts per mail
    let smtp = SmtpSink::down();
    let app = spawn_app_with(smtp.clone(), |s| {
        s.mail.max_attempts = 2;
        s.mail.retry_base_secs = 10;
    })
    .await;
    app.given_a_unit_with_contacts().await;

    // When both attempts fail
    app.dispatch().await;
    app.clock.advance(Duration::seconds(11));
    app.dispatch().await;

    // Then the mail is dead and listed as such, with why
    let dead = app.mail(Some("dead")).await;
    assert_eq!(dead.len(), 4);
    assert_eq!(dead[0]["attempts"], 2);
    assert!(dead[0]["last_error"].is_string());
    app.clock.advance(Duration::days(1));
    assert_eq!(
        app.dispatch().await,
        0,
        "dead mail is not retried by itself"
    );

    // When an admin retries one
    let id = dead[0]["id"].as_str().unwrap();
    let path = format!("/admin/mail/{id}/retry");
    let retried = app
        .post(&app.admin.token, &path, &serde_json::json!({}))
        .await
        .should_be(200);
    assert_eq!(retried.body["status"], "pending");
    assert_eq!(retried.body["attempts"], 0);
    assert_eq!(retried.body["id"], id);
    // A mail that is not dead cannot be retried
    app.post(&app.admin.token, &path, &serde_json::json!({}))
        .await
        .should_be_problem(409, None);

    // Then it is delivered once SMTP is back; the others stay dead
    smtp.come_up();
    assert_eq!(app.dispatch().await, 1);
    assert_eq!(smtp.received().len(), 1);
    assert_eq!(app.mail(Some("dead")).await.len(), 3);
    let sent = app.mail(Some("sent")).await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0]["sent_at"].is_string());
    assert!(sent[0]["last_error"].is_null());
}

#[actix_rt::test]
async fn a_mail_whose_template_fails_is_dead_with_the_reason_and_the_rest_is_sent() {
    // Given a queued mail in a language that has no templates, beside good mail
    let app = spawn_app().await;
    app.given_a_unit_with_contacts().await;
    let mut payload = stegvis::notify::samples::payload(
        "fi",
        Some("Aino"),
        stegvis::notify::samples::details().remove(0),
    );
    payload.case_id = "no-case".into();
    let now = to_db(app.now());
    let row = OutboxRow {
        id: "00broken".into(),
        kind: "enrolled".into(),
        case_id: None,
        recipient: "aino@example.fi".into(),
        language: "fi".into(),
        payload: serde_json::to_string(&payload).unwrap(),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: now,
        lease_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
        message_id: "<00broken@stegvis.test>".into(),
        subject: "enrolled".into(),
        claimed_by: None,
    };
    app.state
        .store
        .write(|conn| {
            stegvis::store::outbox::insert(conn, &row).map_err(stegvis::app::error::AppError::from)
        })
        .unwrap();

    // When the worker runs
    app.dispatch().await;

    // Then that mail is dead at once, saying why; everything else was sent
    let dead = app.mail(Some("dead")).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["id"], "00broken");
    assert_eq!(dead[0]["attempts"], 1);
    let error = dead[0]["last_error"].as_str().unwrap();
    assert!(error.starts_with("template error"), "{error}");
    assert!(error.contains("fi/enrolled"), "{error}");
    assert_eq!(app.mail(Some("sent")).await.len(), 4);
    assert_eq!(app.smtp.received().len(), 4);
    // And the app still answers.
    app.get_healthz().await.should_be(200);
}

#[actix_rt::test]
async fn two_app_instances_on_one_database_deliver_each_mail_exactly_once() {
    // Given many queued mails and a second instance on the same database
    let app = spawn_app_with(SmtpSink::start(), |s| {
        s.mail.batch_size = 3;
        s.mail.concurrency = 2;
    })
    .await;
    let unit = app.given_a_unit_with_contacts().await;
    for days in 1..=12 {
        app.schedule_session(
            &unit.world.consultant.token,
            &unit.world.case_id,
            "workshop",
            days,
        )
        .await;
    }
    let queued = app.mail(Some("pending")).await.len();
    // The enrolment to three contacts and the consultant; each session to them all.
    assert_eq!(queued, 4 + 12 * 4);
    // Several instances are a PostgreSQL deployment; SQLite has one writer per
    // process, so there the second worker is a second thread of the same instance.
    let other = if app.state.store.backend() == Backend::Postgres {
        stegvis::startup::prepare(app.settings.clone(), app.clock.clone() as Arc<dyn Clock>)
            .expect("a second instance starts")
    } else {
        app.state.clone()
    };

    // When both drain the outbox at the same time, on their own connections
    let workers: Vec<_> = [app.state.clone(), other.clone(), app.state.clone(), other]
        .into_iter()
        .map(|state| {
            std::thread::spawn(move || {
                stegvis::notify::dispatch_all_pending(&state.delivery()).expect("the worker runs")
            })
        })
        .collect();
    let claimed: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    // Then every mail went out exactly once
    assert_eq!(claimed, queued);
    let counts = app.smtp.message_id_counts();
    assert_eq!(counts.len(), queued);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert_eq!(app.mail(Some("sent")).await.len(), queued);
}

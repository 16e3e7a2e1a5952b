//! Reminders from the periodic jobs: once per stage and threshold, never repeated.

use chrono::{DateTime, Duration, Utc};

use crate::helpers::spawn_app;

fn at(value: &serde_json::Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

#[actix_rt::test]
async fn a_stage_due_within_seven_days_and_then_overdue_reminds_the_consultant_once_each() {
    // Given a case in kickoff, due in 30 days
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    let due = at(&app.case(&world.case_id).await["stage_due_at"]);

    // Nothing while the deadline is far
    let report = app.run_jobs().await;
    assert!(!report.skipped);
    assert_eq!(report.reminders.deadline_approaching, 0);
    assert!(app.mail_of_kind("deadline_approaching").await.is_empty());

    // When the deadline is 6 days away, twice
    app.clock.set(due - Duration::days(6));
    assert_eq!(app.run_jobs().await.reminders.deadline_approaching, 1);
    assert_eq!(app.run_jobs().await.reminders.deadline_approaching, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(app.run_jobs().await.reminders.deadline_approaching, 0);

    // Then the consultant got one reminder, in Swedish
    let approaching = app.mail_of_kind("deadline_approaching").await;
    assert_eq!(approaching.len(), 1);
    assert_eq!(approaching[0].0, world.consultant.email);
    assert!(
        approaching[0].1.starts_with("Påminnelse: Uppstart"),
        "{approaching:?}"
    );

    // When the deadline has passed, on several runs
    app.clock.set(due + Duration::hours(1));
    assert_eq!(app.run_jobs().await.reminders.deadline_overdue, 1);
    app.clock.advance(Duration::days(3));
    assert_eq!(app.run_jobs().await.reminders.deadline_overdue, 0);

    // Then one overdue reminder went to the consultant, and nobody else heard
    let overdue = app.mail_of_kind("deadline_overdue").await;
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].0, world.consultant.email);
    assert!(
        overdue[0].1.starts_with("Försenat: Uppstart"),
        "{overdue:?}"
    );
    app.dispatch().await;
    let mail = app
        .smtp
        .mails_to(&world.consultant.email)
        .into_iter()
        .find(|m| m.subject.starts_with("Försenat"))
        .expect("the overdue reminder arrived");
    assert!(mail.text.contains("är nu försenat"), "{}", mail.text);
}

#[actix_rt::test]
async fn a_new_stage_gets_its_own_reminders_and_a_paused_case_none() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    let due = at(&app.case(&world.case_id).await["stage_due_at"]);
    app.clock.set(due + Duration::hours(1));
    assert_eq!(app.run_jobs().await.reminders.deadline_overdue, 1);

    // The next stage is a new entry, with its own deadline and its own reminders.
    app.drive_to(world, "value_workshops").await;
    let due = at(&app.case(&world.case_id).await["stage_due_at"]);
    app.clock.set(due + Duration::hours(1));
    assert_eq!(app.run_jobs().await.reminders.deadline_overdue, 1);

    // A paused case is not overdue and is not reminded.
    let body = serde_json::json!({ "action": "pause" });
    app.transition(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(200);
    app.clock.advance(Duration::days(400));
    let report = app.run_jobs().await;
    assert_eq!(report.reminders.deadline_overdue, 0);
    assert_eq!(report.reminders.deadline_approaching, 0);
    assert_eq!(app.mail_of_kind("deadline_overdue").await.len(), 2);
}

#[actix_rt::test]
async fn a_certificate_expiring_in_90_and_in_30_days_reminds_the_unit_and_the_consultant_once_each()
{
    // Given a certified case (the default programme's certificates run 36 months)
    let mut app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    app.drive_to(&unit.world, "certified").await;
    let case = app.case(&unit.world.case_id).await;
    let last_day = chrono::NaiveDate::parse_from_str(
        case["certificate"]["valid_until"]
            .as_str()
            .expect("the case has a certificate"),
        "%Y-%m-%d",
    )
    .expect("a date");
    let valid_until = last_day.and_hms_opt(23, 59, 59).unwrap().and_utc();
    // Its yearly surveillances pass (else the certificate is suspended long before).
    for _ in 0..2 {
        app.admin.token = app
            .login(&app.admin.email.clone(), crate::helpers::PASSWORD)
            .await;
        let due = chrono::DateTime::parse_from_rfc3339(
            app.case(&unit.world.case_id).await["next_surveillance_due"]
                .as_str()
                .expect("a surveillance is due"),
        )
        .expect("RFC 3339")
        .with_timezone(&chrono::Utc);
        app.clock.set(due - Duration::days(1));
        let auditor = app
            .login(&unit.world.auditor.email, crate::helpers::PASSWORD)
            .await;
        let path = format!("/cases/{}/surveillance", unit.world.case_id);
        app.post(&auditor, &path, &serde_json::json!({"outcome": "passed"}))
            .await
            .should_be(200);
    }
    app.admin.token = app
        .login(&app.admin.email.clone(), crate::helpers::PASSWORD)
        .await;

    // When the jobs run 89 days before it expires, and again
    app.clock.set(valid_until - Duration::days(89));
    assert_eq!(app.run_jobs().await.reminders.certificate_expiring, 1);
    assert_eq!(app.run_jobs().await.reminders.certificate_expiring, 0);
    // Then 29 days before, once more, and never again
    app.clock.set(valid_until - Duration::days(29));
    assert_eq!(app.run_jobs().await.reminders.certificate_expiring, 1);
    app.clock.advance(Duration::days(1));
    assert_eq!(app.run_jobs().await.reminders.certificate_expiring, 0);

    // The unit's contacts and the consultant got two each, in their language
    let expiring = app.mail_of_kind("certificate_expiring").await;
    let mut to: Vec<String> = expiring.iter().map(|(r, _)| r.clone()).collect();
    to.dedup();
    assert_eq!(to, unit.contacts_and_consultant());
    assert_eq!(expiring.len(), 8);
    app.dispatch().await;
    let en: Vec<_> = app
        .smtp
        .mails_to(&unit.contact_en.email)
        .into_iter()
        .filter(|m| m.subject.contains("expires"))
        .collect();
    assert_eq!(en.len(), 2);
    assert!(en.iter().any(|m| m.text.contains("in 89 days")), "{en:?}");
    assert!(en.iter().any(|m| m.text.contains("in 29 days")), "{en:?}");
}

#[actix_rt::test]
async fn while_another_instance_holds_the_jobs_lease_a_run_does_nothing() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let due = at(&app.case(&unit.world.case_id).await["stage_due_at"]);
    app.clock.set(due + Duration::hours(1));
    let wall = stegvis::app::to_db(Utc::now());
    let until = stegvis::app::to_db(Utc::now() + Duration::minutes(5));
    app.state
        .store
        .write(|conn| {
            stegvis::store::outbox::ensure_job_lease(conn, "periodic_jobs")
                .map_err(stegvis::app::error::AppError::from)?;
            stegvis::store::outbox::take_job_lease(conn, "periodic_jobs", "other", wall, until)
                .map_err(stegvis::app::error::AppError::from)
        })
        .unwrap();

    let report = app.run_jobs().await;

    assert!(report.skipped);
    assert!(app.mail_of_kind("deadline_overdue").await.is_empty());
}

#[actix_rt::test]
async fn a_stage_due_exactly_now_is_not_overdue_until_a_microsecond_later() {
    // Given a case in kickoff
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let due = at(&app.case(&unit.world.case_id).await["stage_due_at"]);

    // When the clock stands exactly at its deadline, it is due, not overdue
    app.clock.set(due);
    let report = app.run_jobs().await;
    assert_eq!(report.reminders.deadline_overdue, 0);
    assert_eq!(report.reminders.deadline_approaching, 1);

    // Then a microsecond later it is overdue
    app.clock.set(due + Duration::microseconds(1));
    assert_eq!(app.run_jobs().await.reminders.deadline_overdue, 1);
}

#[actix_rt::test]
async fn jobs_run_a_year_ahead_log_nobody_out_and_their_reminders_go_out_at_once() {
    // Given a case in kickoff and logged-in people
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.get(&world.consultant.token, "/me").await.should_be(200);
    // When the jobs run as of a year ahead (stegvis jobs run --at)
    let report = app.run_jobs_as_of(app.now() + Duration::days(365)).await;
    // Then what is due a year ahead was found
    assert_eq!(report.reminders.deadline_overdue, 1, "{report:?}");
    assert_eq!(report.expired_tokens_deleted, 0, "{report:?}");
    // And every token still works
    app.get(&world.consultant.token, "/me").await.should_be(200);
    app.get(&app.admin.token, "/me").await.should_be(200);
    // And the reminder is due now, so the worker sends it at once
    assert!(app.dispatch().await >= 1);
    let mail = app
        .smtp
        .mails_to(&world.consultant.email)
        .into_iter()
        .find(|m| m.subject.starts_with("Försenat"))
        .expect("the overdue reminder arrived");
    assert!(mail.text.contains("är nu försenat"), "{}", mail.text);
}

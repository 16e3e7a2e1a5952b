//! The scale fixture decides every command with the domain, as the command pipeline
//! does, and stores the rows in batches: what it writes is what the API reads, every
//! history it writes verifies, and the sessions and evidence stored beside a history
//! are the ones that history records.

use std::sync::Arc;

use awc::http::Method;
use serde_json::Value;
use stegvis::app::scale::ScaleReport;
use stegvis::app::AppState;
use stegvis::clock::Clock;

use crate::helpers::{spawn_app, TestApp};

/// The fixture's one organisation of 24 cases in the app's database, and a second
/// handle on that database for the jobs.
async fn two_dozen_cases(app: &TestApp) -> (AppState, ScaleReport) {
    let state =
        stegvis::startup::prepare(app.settings.clone(), app.clock.clone() as Arc<dyn Clock>)
            .expect("a second handle on the app's database");
    let fixture = state.clone();
    let report = actix_web::web::block(move || stegvis::app::scale::load_sized(&fixture, 1, 24))
        .await
        .expect("the fixture's thread")
        .expect("the fixture loads");
    (state, report)
}

/// Every case the admin sees (the fixture's 24 fit one page).
async fn all_cases(app: &TestApp) -> Vec<Value> {
    let cases = app
        .call(
            Method::GET,
            "/api/v1/cases?limit=200",
            Some(&app.admin.token),
            &[],
            None,
        )
        .await
        .should_be(200)
        .body;
    cases["items"].as_array().expect("a page of cases").clone()
}

#[actix_rt::test]
async fn the_scale_fixture_writes_cases_the_api_reads_with_intact_histories() {
    let app = spawn_app().await;
    let (state, report) = two_dozen_cases(&app).await;
    assert_eq!((report.organisations, report.cases), (1, 24));

    let items = all_cases(&app).await;
    assert_eq!(items.len(), 24);
    let events: u64 = items
        .iter()
        .map(|c| c["version"].as_u64().expect("a version"))
        .sum();
    assert_eq!(report.events as u64, events);
    let certified = items.iter().filter(|c| c["status"] == "certified").count();
    assert_eq!(report.certificates, certified);
    assert!(
        certified > 0,
        "the seeded fixture certifies some of its cases"
    );
    assert!(
        items.iter().any(|c| c["stage"] == "kickoff"),
        "the seeded fixture leaves some cases at the start"
    );

    let chains = actix_web::web::block(move || stegvis::app::jobs::verify_all_histories(&state))
        .await
        .expect("the check's thread")
        .expect("the histories are read");
    assert_eq!(chains.verified, 24);
    assert!(chains.broken.is_empty(), "{:?}", chains.broken);
}

/// The API's answer to `GET path` as a list.
async fn list(app: &TestApp, path: &str) -> Vec<Value> {
    app.call(Method::GET, path, Some(&app.admin.token), &[], None)
        .await
        .should_be(200)
        .body
        .as_array()
        .unwrap_or_else(|| panic!("a list from {path}"))
        .clone()
}

#[actix_rt::test]
async fn the_fixtures_sessions_and_evidence_are_those_its_histories_record() {
    let app = spawn_app().await;
    let _ = two_dozen_cases(&app).await;
    let (mut driven, mut enrolled) = (0, 0);
    for case in all_cases(&app).await {
        let id = case["id"].as_str().expect("an id");
        let events = list(&app, &format!("/api/v1/cases/{id}/events")).await;
        let recorded = |kind: &str| events.iter().filter(|e| e["kind"] == kind).count();
        let sessions = list(&app, &format!("/api/v1/cases/{id}/sessions")).await;
        let evidence = list(&app, &format!("/api/v1/cases/{id}/evidence")).await;
        assert_eq!(sessions.len(), recorded("session_scheduled"), "{id}");
        let held = sessions
            .iter()
            .filter(|s| s["attended"].as_u64().is_some_and(|n| n >= 1))
            .count();
        assert_eq!(held, recorded("attendance_recorded"), "{id}");
        assert_eq!(evidence.len(), recorded("evidence_added"), "{id}");

        // The fixture meets each stage's requirements before it stops there, so the
        // counts the API judges them on, read from the stored rows, must agree.
        let met = case["requirements"]
            .as_array()
            .expect("requirements")
            .iter()
            .all(|r| r["met"] == true);
        match case["stage"].as_str().expect("a stage") {
            "kickoff" => {
                assert!(
                    !met,
                    "a case only enrolled has not held its kickoff: {case}"
                );
                enrolled += 1;
            }
            "value_workshops" | "individual_reflection" | "routine_integration" => {
                assert!(met, "the fixture met this stage's requirements: {case}");
                driven += 1;
            }
            _ => {}
        }
    }
    assert!(
        driven > 0 && enrolled > 0,
        "the seeded fixture stops cases before audit ({driven}) and at enrolment ({enrolled})"
    );
}

#[actix_rt::test]
async fn the_expiry_job_expires_every_due_certificate_across_its_batches() {
    let app = spawn_app().await;
    let (state, report) = two_dozen_cases(&app).await;
    assert!(
        report.certificates > 2,
        "more certificates than one batch of 2: {}",
        report.certificates
    );

    // Long after every certificate's last day, in batches of 2: the last one short.
    let long_after = crate::helpers::time("2040-01-01T00:00:00Z");
    let job = state.clone();
    let expired = actix_web::web::block(move || {
        stegvis::app::certificates::expire_due_in_batches(&job, long_after, 2)
    })
    .await
    .expect("the job's thread")
    .expect("the expiry job runs");
    assert_eq!(expired, report.certificates);
    let again = state.clone();
    let second = actix_web::web::block(move || {
        stegvis::app::certificates::expire_due_in_batches(&again, long_after, 2)
    })
    .await
    .expect("the job's thread")
    .expect("the expiry job runs again");
    assert_eq!(second, 0, "a certificate expires once");

    let items = all_cases(&app).await;
    assert_eq!(
        items.iter().filter(|c| c["status"] == "certified").count(),
        0,
        "no case is left certified"
    );
    assert_eq!(
        items.iter().filter(|c| c["status"] == "expired").count(),
        report.certificates,
        "every certified case expired with its certificate"
    );
    for case in items.iter().filter(|c| c["status"] == "expired") {
        assert_eq!(case["certificate"]["status"], "expired", "{}", case["id"]);
    }
    let chains = actix_web::web::block(move || stegvis::app::jobs::verify_all_histories(&state))
        .await
        .expect("the check's thread")
        .expect("the histories are read");
    assert!(chains.broken.is_empty(), "{:?}", chains.broken);
}

#[actix_rt::test]
async fn the_reminder_job_queues_every_due_reminder_once_across_its_batches() {
    let app = spawn_app().await;
    let (state, _) = two_dozen_cases(&app).await;
    let recorded = || {
        crate::raw_sql::texts(
            &app,
            "SELECT CAST(COUNT(*) AS TEXT) AS value FROM reminders_sent",
        )[0]
        .parse::<usize>()
        .expect("a count")
    };
    assert_eq!(recorded(), 0);

    // Long after every stage's deadline, in batches of 2: the last one may be short.
    let long_after = crate::helpers::time("2040-01-01T00:00:00Z");
    let job = state.clone();
    let first =
        actix_web::web::block(move || stegvis::app::reminders::run_in_batches(&job, long_after, 2))
            .await
            .expect("the job's thread")
            .expect("the reminders run");
    let queued = first.deadline_overdue
        + first.deadline_approaching
        + first.certificate_expiring
        + first.finding_due
        + first.surveillance_due;
    assert!(first.deadline_overdue > 2, "more than one batch: {first:?}");
    assert_eq!(recorded(), queued, "each queued reminder is recorded once");
    // The deadlines are read two at a time too: none is skipped between the pages.
    let active_with_deadline = crate::raw_sql::texts(
        &app,
        "SELECT CAST(COUNT(*) AS TEXT) AS value FROM cases \
         WHERE status = 'active' AND stage_due_at IS NOT NULL",
    )[0]
    .parse::<usize>()
    .expect("a count");
    assert_eq!(
        first.deadline_overdue + first.deadline_approaching,
        active_with_deadline,
        "every active case's deadline is reminded of: {first:?}"
    );

    let again = state.clone();
    let second = actix_web::web::block(move || {
        stegvis::app::reminders::run_in_batches(&again, long_after, 2)
    })
    .await
    .expect("the job's thread")
    .expect("the reminders run again");
    assert_eq!(
        second.deadline_overdue + second.finding_due + second.surveillance_due,
        0,
        "a reminder is sent once: {second:?}"
    );
    assert_eq!(recorded(), queued);
}

//! Certification practice: findings due by a date their severity sets, surveillance of
//! a certified case by its auditor, a lapsed surveillance suspending the certificate
//! (the periodic job, `stegvis jobs run --at`) and a passed one reinstating it.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::certificates::run_jobs_at;
use crate::helpers::{spawn_app, TestApp, World, PASSWORD};

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// `stegvis jobs run` tidies tokens on the real clock, long after the test clock's
/// tokens expired: everyone logs in again after it.
async fn log_in_again(app: &mut TestApp, world: &mut World) {
    app.admin.token = app.login(&app.admin.email.clone(), PASSWORD).await;
    world.consultant.token = app.login(&world.consultant.email.clone(), PASSWORD).await;
    world.auditor.token = app.login(&world.auditor.email.clone(), PASSWORD).await;
}

async fn mail_kinds(app: &TestApp) -> Vec<(String, String)> {
    app.get(&app.admin.token, "/admin/mail?limit=200")
        .await
        .should_be(200)
        .items()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_string(),
                m["subject"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[actix_rt::test]
async fn a_lapsed_surveillance_suspends_the_certificate_and_a_passed_one_reinstates_it() {
    let mut app = spawn_app().await;
    let mut world = app.given_a_case_in("certified").await;
    let case = app.case(&world.case_id).await;
    let due = at(&case["next_surveillance_due"]);
    let certified_at = at(&case["stage_entered_at"]);
    assert!(
        due > certified_at + Duration::days(360) && due < certified_at + Duration::days(370),
        "a surveillance is due twelve months after certification: {due}"
    );

    // Reminded 30 days before; still valid within the 60 days of grace.
    let report = run_jobs_at(&app, &(due - Duration::days(20)).to_rfc3339()).await;
    log_in_again(&mut app, &mut world).await;
    assert_eq!(report["reminders"]["surveillance_due"], 1);
    assert!(mail_kinds(&app)
        .await
        .iter()
        .any(|(k, _)| k == "surveillance_due"));
    let report = run_jobs_at(&app, &(due + Duration::days(59)).to_rfc3339()).await;
    log_in_again(&mut app, &mut world).await;
    assert_eq!(report["surveillances_lapsed"], 0);
    assert_eq!(app.case(&world.case_id).await["status"], "certified");

    // Past the grace: suspended, with an event and a mail.
    let report = run_jobs_at(&app, &(due + Duration::days(61)).to_rfc3339()).await;
    log_in_again(&mut app, &mut world).await;
    assert_eq!(report["surveillances_lapsed"], 1);
    let case = app.case(&world.case_id).await;
    assert_eq!(case["status"], "suspended");
    assert_eq!(case["certificate"]["status"], "suspended");
    let events = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    assert_eq!(
        events.as_array().unwrap().last().unwrap()["kind"],
        "surveillance_lapsed"
    );
    assert!(mail_kinds(&app)
        .await
        .iter()
        .any(|(k, _)| k == "status_changed"));
    // A second run changes nothing.
    let report = run_jobs_at(&app, &(due + Duration::days(62)).to_rfc3339()).await;
    log_in_again(&mut app, &mut world).await;
    assert_eq!(report["surveillances_lapsed"], 0);

    // The auditor comes two months late; only the assigned auditor records it.
    let now = app.now();
    app.clock.advance(due + Duration::days(62) - now);
    log_in_again(&mut app, &mut world).await;
    let path = format!("/cases/{}/surveillance", world.case_id);
    app.post(
        &world.consultant.token,
        &path,
        &json!({"outcome": "passed"}),
    )
    .await
    .should_be(403);
    app.post(
        &world.auditor.token,
        &path,
        &json!({"outcome": "passed", "findings": [{"severity": "minor", "text": "x"}]}),
    )
    .await
    .should_be_problem(422, Some("findings"));
    app.post(&world.auditor.token, &path, &json!({"outcome": "findings"}))
        .await
        .should_be_problem(422, Some("findings"));
    let case = app
        .post(
            &world.auditor.token,
            &path,
            &json!({"outcome": "passed", "comment": "Rutinerna följs."}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(case["status"], "certified");
    assert_eq!(case["certificate"]["status"], "valid");
    assert!(at(&case["next_surveillance_due"]) > due + Duration::days(360));
    let kinds: Vec<Value> = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(
        kinds[kinds.len() - 2..],
        [json!("surveillance_recorded"), json!("reinstated")]
    );
}

#[actix_rt::test]
async fn an_admins_suspension_is_not_lifted_by_a_surveillance() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    app.transition(
        &app.admin.token,
        &world.case_id,
        &json!({"action": "suspend", "comment": "Klagomål utreds."}),
    )
    .await
    .should_be(200);
    app.post(
        &world.auditor.token,
        &format!("/cases/{}/surveillance", world.case_id),
        &json!({"outcome": "passed"}),
    )
    .await
    .should_be_problem(409, None);
    assert_eq!(app.case(&world.case_id).await["status"], "suspended");
}

#[actix_rt::test]
async fn a_surveillance_on_a_case_not_certified_is_409() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.post(
        &world.auditor.token,
        &format!("/cases/{}/surveillance", world.case_id),
        &json!({"outcome": "passed"}),
    )
    .await
    .should_be_problem(409, None);
}

#[actix_rt::test]
async fn findings_are_due_by_their_severity_and_the_consultant_is_reminded() {
    let mut app = spawn_app().await;
    let mut world = app.given_a_case_in("audit").await;
    app.transition(
        &world.auditor.token,
        &world.case_id,
        &json!({"action": "return", "findings": [
            {"severity": "major", "text": "Rutinen saknas."},
            {"severity": "observation", "text": "Kan fördjupas."}]}),
    )
    .await
    .should_be(200);
    let findings = app
        .get_findings(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let due_of = |severity: &str| {
        findings.iter().find(|f| f["severity"] == severity).unwrap()["due_on"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let today = app.now().date_naive();
    assert_eq!(due_of("major"), (today + Duration::days(30)).to_string());
    assert_eq!(
        due_of("observation"),
        (today + Duration::days(90)).to_string()
    );

    let soon = app.now() + Duration::days(25);
    let report = run_jobs_at(&app, &soon.to_rfc3339()).await;
    assert_eq!(
        report["reminders"]["finding_due"], 1,
        "only the major one is due within a week"
    );
    let late = app.now() + Duration::days(32);
    let report = run_jobs_at(&app, &late.to_rfc3339()).await;
    log_in_again(&mut app, &mut world).await;
    assert_eq!(
        report["reminders"]["finding_due"], 1,
        "the major one is overdue"
    );
    let subjects = mail_kinds(&app).await;
    assert_eq!(
        subjects.iter().filter(|(k, _)| k == "finding_due").count(),
        2
    );
    assert!(subjects
        .iter()
        .any(|(k, s)| k == "finding_due" && s.starts_with("Försenad åtgärd")));
}

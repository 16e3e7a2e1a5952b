//! Reminders of plans' actions: due within 7 days and overdue, to the responsible
//! person in their language with a copy to the coordinator in theirs, once per
//! threshold, through the real SMTP server on loopback. The jobs run as of a later
//! time (as `stegvis jobs run --at` does) while the app's clock stays at 2 March.

use serde_json::json;

use crate::helpers::{spawn_app, time};

#[actix_rt::test]
async fn an_action_due_within_a_week_and_then_overdue_reminds_its_responsible_with_a_copy_to_its_coordinator_once_each(
) {
    // Given an action of a plan due 12 March, responsible Sara (sv), coordinator Sam (en)
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    let plan_id = app
        .post(
            &world.consultant.token,
            &format!("/organisations/{}/plans", world.organisation_id),
            &json!({ "title": "Plan för lika möjligheter", "period_start": "2026-01-01", "period_end": "2026-12-31" }),
        )
        .await
        .should_be(201)
        .id();
    app.post(
        &world.consultant.token,
        &format!("/plans/{plan_id}/actions"),
        &json!({
            "title": "Nå de sista 20 procenten",
            "responsible_id": unit.contact_sv.id,
            "coordinator_id": unit.contact_en.id,
            "due_on": "2026-03-12",
        }),
    )
    .await
    .should_be(201);

    // Nothing while the due date is more than a week away
    let report = app.run_jobs_as_of(time("2026-03-04T07:00:00Z")).await;
    assert_eq!(report.reminders.action_due, 0);

    // When it is six days away, on two runs
    let soon = time("2026-03-06T07:00:00Z");
    assert_eq!(app.run_jobs_as_of(soon).await.reminders.action_due, 1);
    assert_eq!(app.run_jobs_as_of(soon).await.reminders.action_due, 0);
    // And once it is overdue, on two runs
    let late = time("2026-03-13T07:00:00Z");
    assert_eq!(app.run_jobs_as_of(late).await.reminders.action_due, 1);
    assert_eq!(app.run_jobs_as_of(late).await.reminders.action_due, 0);

    // Then each of the two got one mail per threshold, in their own language
    let queued = app.mail_of_kind("action_due").await;
    assert_eq!(queued.len(), 4, "{queued:?}");
    app.dispatch().await;
    let about_it = |to: &str| {
        let mut mails: Vec<_> = app
            .smtp
            .mails_to(to)
            .into_iter()
            .filter(|m| m.subject.contains("Nå de sista"))
            .collect();
        mails.sort_by(|a, b| a.subject.cmp(&b.subject));
        mails
    };
    let to_sara = about_it(&unit.contact_sv.email);
    let subjects: Vec<&str> = to_sara.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "Försenad åtgärd i Plan för lika möjligheter: Nå de sista 20 procenten",
            "Åtgärd senast 12 mars 2026: Nå de sista 20 procenten",
        ]
    );
    assert!(
        to_sara[0]
            .text
            .contains("skulle ha varit klar senast 12 mars 2026"),
        "{}",
        to_sara[0].text
    );
    let to_sam = about_it(&unit.contact_en.email);
    assert_eq!(to_sam.len(), 2);
    assert!(
        to_sam.iter().all(|m| m
            .text
            .contains("You coordinate an action Sara Chef is responsible for")),
        "{:?}",
        to_sam.iter().map(|m| &m.text).collect::<Vec<_>>()
    );
    // And nobody else heard of it
    assert!(app
        .smtp
        .mails_to(&world.consultant.email)
        .iter()
        .all(|m| !m.subject.contains("Nå de sista")));
}

#[actix_rt::test]
async fn a_done_action_is_not_reminded() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    let plan_id = app
        .post(
            &world.consultant.token,
            &format!("/organisations/{}/plans", world.organisation_id),
            &json!({ "title": "Plan", "period_start": "2026-01-01", "period_end": "2026-12-31" }),
        )
        .await
        .should_be(201)
        .id();
    let action_id = app
        .post(
            &world.consultant.token,
            &format!("/plans/{plan_id}/actions"),
            &json!({ "title": "Klar i tid", "responsible_id": unit.contact_sv.id, "due_on": "2026-03-05" }),
        )
        .await
        .should_be(201)
        .id();
    app.patch(
        &unit.contact_sv.token,
        &format!("/plans/{plan_id}/actions/{action_id}"),
        &json!({ "status": "done" }),
    )
    .await
    .should_be(200);
    let report = app.run_jobs_as_of(time("2026-03-20T07:00:00Z")).await;
    assert_eq!(report.reminders.action_due, 0);
    assert!(app.mail_of_kind("action_due").await.is_empty());
}

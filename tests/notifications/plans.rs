//! Reminders of plans' actions: due within 7 days and overdue, to the responsible
//! person in their language with a copy to the coordinator in theirs, once per
//! threshold, through the real SMTP server on loopback. The jobs run as of a later
//! time (as `stegvis jobs run --at` does) while the app's clock stays at 2 March.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, time, Receiver, SmtpSink};

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

/// A plan of the unit's organisation by its consultant, with one action of the Swedish
/// contact's; (plan id, action id).
async fn plan_with_action(
    app: &crate::helpers::TestApp,
    unit: &crate::helpers::Unit,
    title: &str,
    due_on: &str,
) -> (String, String) {
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
            &json!({ "title": title, "responsible_id": unit.contact_sv.id, "due_on": due_on }),
        )
        .await
        .should_be(201)
        .id();
    (plan_id, action_id)
}

#[actix_rt::test]
async fn a_done_action_is_not_reminded() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let (plan_id, action_id) = plan_with_action(&app, &unit, "Klar i tid", "2026-03-05").await;
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

#[actix_rt::test]
async fn every_change_to_an_action_is_a_plan_action_changed_webhook_with_ids_and_states_only() {
    // Given a receiver of plan.action_changed and another of case.enrolled only
    let app = spawn_app_with(SmtpSink::start(), |s| s.webhooks.allow_private = true).await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    let receiver = Receiver::start();
    let other = Receiver::start();
    for (hook, kind) in [
        (&receiver, "plan.action_changed"),
        (&other, "case.enrolled"),
    ] {
        let reply = app
            .post(
                &app.admin.token,
                "/webhooks",
                &json!({ "url": hook.url(), "events": [kind] }),
            )
            .await
            .should_be(201);
        hook.trust(reply.body["secret"].as_str().expect("a secret"));
    }

    // When a plan is made (no action yet), an action added, started and followed up,
    // and a follow-up refused
    let (plan_id, action_id) =
        plan_with_action(&app, &unit, "Nå de sista 20 procenten", "2026-04-30").await;
    let action = format!("/plans/{plan_id}/actions/{action_id}");
    app.patch(
        &unit.contact_sv.token,
        &action,
        &json!({ "status": "in_progress" }),
    )
    .await
    .should_be(200);
    let follow_up = app
        .post(
            &unit.contact_sv.token,
            &format!("{action}/follow-ups"),
            &json!({ "text": "Två förvaltningar är intervjuade." }),
        )
        .await
        .should_be(201)
        .id();
    app.post(
        &unit.contact_sv.token,
        &format!("{action}/follow-ups"),
        &json!({ "text": " " }),
    )
    .await
    .should_be(422);
    assert_eq!(app.dispatch_webhooks().await, 3);

    // Then the receiver got three signed deliveries, one a change, in order
    let mut got = receiver.received();
    got.sort_by_key(|d| d.body["data"]["event_seq"].as_i64());
    let events: Vec<&str> = got
        .iter()
        .map(|d| d.body["data"]["event"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        events,
        ["action_added", "action_updated", "follow_up_added"]
    );
    let seqs: Vec<i64> = got
        .iter()
        .filter_map(|d| d.body["data"]["event_seq"].as_i64())
        .collect();
    assert_eq!(
        seqs,
        [2, 3, 4],
        "the plan's history events, after plan_created"
    );
    for d in &got {
        assert!(d.signed, "{d:?}");
        assert_eq!(d.body["type"], "plan.action_changed");
        let data = &d.body["data"];
        assert_eq!(data["plan_id"], plan_id.as_str());
        assert_eq!(data["organisation_id"], world.organisation_id.as_str());
        assert_eq!(data["action"]["id"], action_id.as_str());
        assert_eq!(
            data["action"]["responsible_id"],
            unit.contact_sv.id.as_str()
        );
        let text = d.body.to_string();
        assert!(
            !text.contains('@') && !text.contains("intervjuade"),
            "{text}"
        );
    }
    assert_eq!(got[0].body["data"]["action"]["status"], "planned");
    assert_eq!(got[1].body["data"]["action"]["status"], "in_progress");
    assert_eq!(got[2].body["data"]["follow_up_id"], follow_up.as_str());
    assert!(other.received().is_empty());
}

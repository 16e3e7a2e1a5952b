//! A case's history: append-only, numbered, hash-chained.

use std::collections::HashSet;

use serde_json::json;

use crate::helpers::{spawn_app, time};

fn is_hash(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[actix_rt::test]
async fn a_cases_events_form_an_unbroken_hash_chain() {
    // Given a case taken to certified and then suspended by the admin
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let suspend = json!({ "action": "suspend", "comment": "Complaint" });
    app.transition(&app.admin.token, &world.case_id, &suspend)
        .await
        .should_be(200);
    // When its events are read
    let events = app
        .get_events(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    // Then they are numbered 1..n, n being the case's version
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("a seq"))
        .collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>());
    assert_eq!(app.version(&world.case_id).await, events.len() as u64);
    // And each links to the one before, from 64 zeros, with distinct 64-hex hashes
    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    let mut seen = HashSet::new();
    for (i, event) in events.iter().enumerate() {
        assert!(
            is_hash(&event["hash"]),
            "event {} has a 64-hex hash: {event}",
            i + 1
        );
        assert!(
            is_hash(&event["prev_hash"]),
            "event {} has a 64-hex prev_hash: {event}",
            i + 1
        );
        assert!(
            seen.insert(event["hash"].as_str().expect("a hash").to_string()),
            "hash {} repeats",
            i + 1
        );
        if i > 0 {
            assert_eq!(
                event["prev_hash"],
                events[i - 1]["hash"],
                "event {} links to {}",
                i + 1,
                i
            );
        }
    }
    // And they are oldest first, each with who did it
    let times: Vec<_> = events
        .iter()
        .map(|e| time(e["at"].as_str().expect("at")))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {times:?}"
    );
    assert!(
        events.iter().all(|e| e["actor_id"].is_string()),
        "every event has an actor"
    );
    let last = events.last().expect("events");
    assert_eq!(last["kind"], "suspended");
    assert_eq!(last["comment"], "Complaint");
    assert_eq!(last["actor_id"], app.admin.id);
}

#[actix_rt::test]
async fn stage_changes_record_where_they_came_from_and_went() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let events = app
        .get_events(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let moves: Vec<(String, String, String)> = events
        .iter()
        .filter(|e| e["kind"] == "stage_advanced" || e["kind"] == "audit_requested")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("kind"), s("from_stage"), s("to_stage"))
        })
        .collect();
    let expected = [
        ("stage_advanced", "kickoff", "value_workshops"),
        ("stage_advanced", "value_workshops", "individual_reflection"),
        (
            "stage_advanced",
            "individual_reflection",
            "routine_integration",
        ),
        ("audit_requested", "routine_integration", "audit"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(moves, expected);
}

#[actix_rt::test]
async fn a_refused_command_leaves_no_trace_in_the_history() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let sid = app
        .schedule_session(&world.consultant.token, &world.case_id, "kickoff", -1)
        .await;
    let before = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    app.transition(
        &world.consultant.token,
        &world.case_id,
        &json!({ "action": "advance" }),
    )
    .await
    .should_be_problem(422, None);
    app.put_attendance(&world.consultant.token, &world.case_id, &sid, 11)
        .await
        .should_be_problem(422, None);
    let after = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    assert_eq!(after, before);
}

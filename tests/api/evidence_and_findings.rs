//! Evidence of routines, and the findings of audits.

use serde_json::json;

use crate::helpers::{requirement, spawn_app};

#[actix_rt::test]
async fn evidence_is_created_with_201_and_listed_with_its_author() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let body = json!({ "area": "apt", "description": "The topic is a standing APT item",
                       "link": "https://intranet.example.se/apt/2026-03" });
    let reply = app
        .post_evidence(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(201);
    assert!(reply.header("location").is_some(), "a Location header");
    assert_eq!(reply.body["area"], "apt");
    assert_eq!(reply.body["case_id"], world.case_id);
    assert_eq!(reply.body["added_by"], world.consultant.id);
    assert_eq!(
        reply.body["link"],
        "https://intranet.example.se/apt/2026-03"
    );
    let listed = app
        .get_evidence(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert_eq!(listed.ids(), vec![reply.id()]);
    let case = app.case(&world.case_id).await;
    assert_eq!(requirement(&case, "evidence_apt")["met"], true);
    assert_eq!(requirement(&case, "evidence_quality")["met"], false);
}

#[actix_rt::test]
async fn evidence_outside_the_programmes_areas_is_422_naming_area() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let version = app.version(&world.case_id).await;
    let body = json!({ "area": "canteen", "description": "Lunch together" });
    let reply = app
        .post_evidence(&world.consultant.token, &world.case_id, &body)
        .await;
    reply.should_be_problem(422, Some("area"));
    assert_eq!(app.version(&world.case_id).await, version);
}

#[actix_rt::test]
async fn evidence_with_an_empty_or_too_long_description_or_a_non_web_link_is_422() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let version = app.version(&world.case_id).await;
    let bad = [
        (json!({ "area": "apt", "description": "" }), "description"),
        (
            json!({ "area": "apt", "description": "x".repeat(2001) }),
            "description",
        ),
        (
            json!({ "area": "apt", "description": "ok", "link": "ftp://files.example.se/x" }),
            "link",
        ),
        (
            json!({ "area": "apt", "description": "ok", "link": "javascript:alert(1)" }),
            "link",
        ),
        (
            json!({ "area": "apt", "description": "ok", "link": "not a url" }),
            "link",
        ),
    ];
    for (body, field) in bad {
        app.post_evidence(&world.consultant.token, &world.case_id, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    assert_eq!(app.version(&world.case_id).await, version);
    assert!(app
        .get_evidence(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .is_empty());
}

#[actix_rt::test]
async fn a_description_of_exactly_2000_characters_is_accepted() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let body = json!({ "area": "quality", "description": "å".repeat(2000) });
    app.post_evidence(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(201);
}

#[actix_rt::test]
async fn a_returned_case_lists_the_findings_of_every_audit_round() {
    // Given a case returned once with one finding and later with two
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.return_with(
        &world,
        json!([{ "severity": "minor", "area": "apt", "text": "Round one" }]),
    )
    .await
    .should_be(200);
    app.drive_to(&world, "audit").await;
    let findings = json!([
        { "severity": "major", "text": "Round two, major" },
        { "severity": "observation", "text": "Round two, note" },
    ]);
    app.return_with(&world, findings).await.should_be(200);
    // When the findings are listed
    let listed = app
        .get_findings(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    // Then all three are there, with their severity, the first one resolved
    assert_eq!(listed.len(), 3);
    let texts: Vec<_> = listed
        .iter()
        .map(|f| f["text"].as_str().unwrap_or_default())
        .collect();
    assert!(
        texts.contains(&"Round one") && texts.contains(&"Round two, major"),
        "{texts:?}"
    );
    let round_one = listed
        .iter()
        .find(|f| f["text"] == "Round one")
        .expect("round one");
    assert_eq!(round_one["severity"], "minor");
    assert_eq!(round_one["area"], "apt");
    assert!(round_one["resolved_at"].is_string());
    // And only the last round's findings count towards the next audit
    let case = app.case(&world.case_id).await;
    assert_eq!(requirement(&case, "findings_resolved")["required"], 2);
    assert_eq!(requirement(&case, "findings_resolved")["current"], 0);
}

#[actix_rt::test]
async fn resolving_a_finding_needs_a_resolution_of_1_to_2000_characters() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.return_with(&world, json!([{ "severity": "minor", "text": "Fix it" }]))
        .await
        .should_be(200);
    let findings = app
        .get_findings(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let fid = findings[0]["id"].as_str().expect("an id");
    for resolution in ["".to_string(), "   ".to_string(), "x".repeat(2001)] {
        app.put_finding(&world.consultant.token, &world.case_id, fid, &resolution)
            .await
            .should_be_problem(422, Some("resolution"));
    }
    let after = app
        .get_findings(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert!(
        after[0]["resolved_at"].is_null(),
        "still open: {}",
        after[0]
    );
    let reply = app
        .put_finding(&world.consultant.token, &world.case_id, fid, "Fixed")
        .await
        .should_be(200);
    assert_eq!(reply.body["resolution"], "Fixed");
}

#[actix_rt::test]
async fn an_unknown_finding_is_404() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    app.put_finding(
        &world.consultant.token,
        &world.case_id,
        "no-such-finding",
        "Done",
    )
    .await
    .should_be_problem(404, None);
}

//! Programmes: the built-in one, new keys, and new versions of an existing key.

use serde_json::json;

use crate::helpers::{requirement, spawn_app, STAGES};

#[actix_rt::test]
async fn the_built_in_inclusion_standard_version_1_is_always_there() {
    // Given a fresh deployment
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    // When any user lists the programmes
    let list = app
        .get_programmes(&consultant.token, "")
        .await
        .should_be(200);
    // Then inclusion-standard v1 is there with the default rules
    let programme = list
        .items()
        .into_iter()
        .find(|p| p["key"] == "inclusion-standard")
        .expect("inclusion-standard is listed");
    assert_eq!(programme["version"], 1);
    assert_eq!(programme["stages"], json!(STAGES));
    assert_eq!(programme["workshops_required"], 4);
    assert_eq!(programme["attendance_threshold_pct"], 80);
    assert_eq!(programme["reflection_threshold_pct"], 80);
    assert_eq!(
        programme["routine_areas"],
        json!(["apt", "work_environment", "quality", "equality_plan"])
    );
    assert_eq!(programme["validity_months"], 36);
    assert!(programme["stage_deadline_days"].is_object(), "{programme}");
    // And it reads back by id
    let id = programme["id"].as_str().expect("an id");
    let read = app
        .get_programme(&consultant.token, id)
        .await
        .should_be(200);
    assert_eq!(read.body["key"], "inclusion-standard");
}

#[actix_rt::test]
async fn posting_a_new_key_creates_its_version_1() {
    let app = spawn_app().await;
    let body = json!({ "key": "hbtq-basic", "name": "HBTQ basic", "workshops_required": 2,
                       "routine_areas": ["apt", "quality"] });
    let reply = app
        .post_programmes(&app.admin.token, &body)
        .await
        .should_be(201);
    assert!(reply.header("location").is_some(), "a Location header");
    assert_eq!(reply.body["key"], "hbtq-basic");
    assert_eq!(reply.body["version"], 1);
    assert_eq!(reply.body["workshops_required"], 2);
    assert_eq!(reply.body["routine_areas"], json!(["apt", "quality"]));
}

#[actix_rt::test]
async fn posting_an_existing_key_makes_its_next_version_with_omitted_fields_from_the_last() {
    // Given inclusion-standard v1
    let app = spawn_app().await;
    // When the admin posts the same key with only two workshops
    let body = json!({ "key": "inclusion-standard", "name": "Inclusion standard 2027", "workshops_required": 2 });
    let reply = app
        .post_programmes(&app.admin.token, &body)
        .await
        .should_be(201);
    // Then it is version 2, the rest taken from version 1
    assert_eq!(reply.body["version"], 2);
    assert_eq!(reply.body["workshops_required"], 2);
    assert_eq!(reply.body["attendance_threshold_pct"], 80);
    assert_eq!(reply.body["validity_months"], 36);
    assert_eq!(
        reply.body["routine_areas"],
        json!(["apt", "work_environment", "quality", "equality_plan"])
    );
    // And version 1 is still listed, unchanged
    let list = app
        .get_programmes(&app.admin.token, "?limit=200")
        .await
        .should_be(200);
    let versions: Vec<_> = list
        .items()
        .into_iter()
        .filter(|p| p["key"] == "inclusion-standard")
        .map(|p| (p["version"].as_u64(), p["workshops_required"].as_u64()))
        .collect();
    assert!(versions.contains(&(Some(1), Some(4))), "{versions:?}");
    assert!(versions.contains(&(Some(2), Some(2))), "{versions:?}");
}

#[actix_rt::test]
async fn a_case_stays_pinned_to_the_programme_version_it_was_enrolled_in() {
    // Given a case enrolled in inclusion-standard v1, in value_workshops
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    // When v2 asks for only two workshops
    let body = json!({ "key": "inclusion-standard", "name": "Lighter", "workshops_required": 2 });
    app.post_programmes(&app.admin.token, &body)
        .await
        .should_be(201);
    // Then the case still needs four
    let case = app.case(&world.case_id).await;
    assert_eq!(case["programme"]["version"], 1);
    assert_eq!(requirement(&case, "workshops_held")["required"], 4);
}

#[actix_rt::test]
async fn only_an_admin_posts_programmes() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let body = json!({ "key": "mine", "name": "Mine" });
    app.post_programmes(&consultant.token, &body)
        .await
        .should_be_problem(403, None);
}

#[actix_rt::test]
async fn a_programme_with_rules_out_of_range_is_422() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({ "key": "p1", "name": "P", "workshops_required": 0 }),
            "workshops_required",
        ),
        (
            json!({ "key": "p2", "name": "P", "attendance_threshold_pct": 101 }),
            "attendance_threshold_pct",
        ),
        (
            json!({ "key": "p3", "name": "P", "routine_areas": [] }),
            "routine_areas",
        ),
    ];
    for (body, field) in cases {
        app.post_programmes(&app.admin.token, &body)
            .await
            .should_be_problem(422, Some(field));
    }
}

#[actix_rt::test]
async fn an_unknown_programme_is_404() {
    let app = spawn_app().await;
    app.get_programme(&app.admin.token, "no-such-programme")
        .await
        .should_be_problem(404, None);
}

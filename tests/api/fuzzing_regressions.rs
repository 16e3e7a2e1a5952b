//! Inputs a schema fuzzer (schemathesis) found mishandled, kept as regressions.

use awc::http::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn a_json_array_where_an_object_belongs_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let before = app
        .get_unit(&app.admin.token, &world.unit_id)
        .await
        .should_be(200)
        .body;
    app.patch_unit(&app.admin.token, &world.unit_id, &json!([null, null]))
        .await
        .should_be_problem(422, Some("body"));
    let after = app
        .get_unit(&app.admin.token, &world.unit_id)
        .await
        .should_be(200)
        .body;
    assert_eq!(before, after);
}

#[actix_rt::test]
async fn an_empty_enum_filter_is_422_naming_it() {
    let app = spawn_app().await;
    for (path, field) in [
        ("/api/v1/cases?status=", "status"),
        ("/api/v1/cases?stage=", "stage"),
        ("/api/v1/cases?overdue=", "overdue"),
        ("/api/v1/users?role=", "role"),
    ] {
        app.call(Method::GET, path, Some(&app.admin.token), &[], None)
            .await
            .should_be_problem(422, Some(field));
    }
}

#[actix_rt::test]
async fn whole_numbers_written_with_a_fraction_part_are_accepted_and_fractions_are_not() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let path = format!("/api/v1/cases/{}/reflections", world.case_id);
    let token = world.consultant.token.clone();
    let reply = app
        .call(
            Method::PUT,
            &path,
            Some(&token),
            &[],
            Some(&json!({"completed": 3.0})),
        )
        .await
        .should_be(200);
    assert_eq!(reply.body["version"], 2);
    for bad in [json!({"completed": 3.5}), json!({"completed": "3"})] {
        app.call(Method::PUT, &path, Some(&token), &[], Some(&bad))
            .await
            .should_be_problem(422, Some("completed"));
    }
}

#[actix_rt::test]
async fn an_empty_contact_email_is_refused_and_null_clears_it() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    app.patch_unit(
        &app.admin.token,
        &world.unit_id,
        &json!({"contact_email": ""}),
    )
    .await
    .should_be_problem(422, Some("contact_email"));
    app.patch_unit(
        &app.admin.token,
        &world.unit_id,
        &json!({"contact_email": "chef@kommun.se"}),
    )
    .await
    .should_be(200);
    let cleared = app
        .patch_unit(
            &app.admin.token,
            &world.unit_id,
            &json!({"contact_email": null}),
        )
        .await
        .should_be(200);
    assert!(cleared.body["contact_email"].is_null());
}

#[actix_rt::test]
async fn an_unsupported_method_is_405_with_allow() {
    let app = spawn_app().await;
    for path in ["/api/v1/cases", "/healthz", "/.well-known/jwks.json"] {
        let reply = app
            .call(Method::PUT, path, Some(&app.admin.token), &[], None)
            .await
            .should_be_problem(405, None);
        assert!(
            reply.header("allow").is_some(),
            "{path} names the methods it allows"
        );
    }
}

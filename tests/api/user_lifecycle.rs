//! `PATCH /users/{id}`: changing a person's account, and closing it so that every
//! token and web session of theirs ends in the same request.

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};
use crate::web_session::{snapshot, Web};

#[actix_rt::test]
async fn deactivating_a_user_ends_their_api_token_and_web_session_in_the_same_request() {
    // Given a consultant signed in both through the API and through the pages
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut web = Web::login(&app, &consultant.email).await;
    app.get_me(&consultant.token).await.should_be(200);
    // When the admin deactivates them
    let reply = app
        .patch(
            &app.admin.token,
            &format!("/users/{}", consultant.id),
            &json!({ "active": false }),
        )
        .await
        .should_be(200);
    assert_eq!(reply.body["active"], false, "{}", reply.text);
    // Then the token answers 401 at once, and the page sends them to the log-in page
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
    let page = web.get("/").await;
    assert_eq!(page.status, 303, "{}", page.text);
    assert!(
        page.header("location")
            .is_some_and(|l| l.starts_with("/login")),
        "{:?}",
        page.headers
    );
    // And they cannot sign in again, with the same answer as a wrong password
    let refused = app
        .post_token(&consultant.email, PASSWORD)
        .await
        .should_be_problem(401, None);
    let wrong = app
        .post_token(&consultant.email, "not the password at all")
        .await
        .should_be_problem(401, None);
    assert_eq!(refused.body, wrong.body);
    // Until the admin reactivates them
    app.patch(
        &app.admin.token,
        &format!("/users/{}", consultant.id),
        &json!({ "active": true }),
    )
    .await
    .should_be(200);
    app.login(&consultant.email, PASSWORD).await;
}

#[actix_rt::test]
async fn an_admin_changes_a_users_name_language_and_role_and_the_placement_follows() {
    // Given a unit contact
    let app = spawn_app().await;
    let org = app.create_organisation("Kommun").await;
    let unit = app.create_unit(&org, 10).await;
    let contact = app.create_user("unit_contact", None, Some(&unit)).await;
    let path = format!("/users/{}", contact.id);
    // When the admin renames them and switches their language
    let renamed = app
        .patch(
            &app.admin.token,
            &path,
            &json!({ "name": "Ny Namnsson", "language": "en" }),
        )
        .await
        .should_be(200);
    // Then only those change
    assert_eq!(renamed.body["name"], "Ny Namnsson");
    assert_eq!(renamed.body["language"], "en");
    assert_eq!(renamed.body["unit_id"], unit.as_str());
    assert_eq!(renamed.body["organisation_id"], org.as_str());
    // And made a coordinator of the organisation, the unit goes with the old role
    let moved = app
        .patch(
            &app.admin.token,
            &path,
            &json!({ "role": "coordinator", "organisation_id": org }),
        )
        .await
        .should_be(200);
    assert_eq!(moved.body["role"], "coordinator");
    assert_eq!(moved.body["organisation_id"], org.as_str());
    assert_eq!(moved.body["unit_id"], json!(null));
    // And made a consultant, the organisation goes too
    let staff = app
        .patch(&app.admin.token, &path, &json!({ "role": "consultant" }))
        .await
        .should_be(200);
    assert_eq!(staff.body["organisation_id"], json!(null));
}

#[actix_rt::test]
async fn bad_changes_to_a_user_are_each_422_naming_the_field_and_change_nothing() {
    // Given a consultant, a unit and the stored state
    let app = spawn_app().await;
    let org = app.create_organisation("Kommun").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let path = format!("/users/{}", consultant.id);
    let before = snapshot(&app).await;
    let cases = [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x".repeat(201) }), "name"),
        (json!({ "role": "boss" }), "role"),
        (json!({ "language": "de" }), "language"),
        (json!({ "active": "no" }), "active"),
        (json!({ "role": "coordinator" }), "organisation_id"),
        (json!({ "role": "unit_contact" }), "unit_id"),
        (json!({ "organisation_id": org }), "organisation_id"),
        (json!({ "unit_id": unit }), "unit_id"),
        (
            json!({ "role": "coordinator", "organisation_id": "no-such-org" }),
            "organisation_id",
        ),
        (
            json!({ "role": "unit_contact", "unit_id": "no-such-unit" }),
            "unit_id",
        ),
        (
            json!({ "role": "unit_contact", "unit_id": unit, "organisation_id": org }),
            "organisation_id",
        ),
        (json!({ "email": "x@example.se" }), "email"),
    ];
    for (body, field) in cases {
        // When the admin sends it
        let reply = app.patch(&app.admin.token, &path, &body).await;
        // Then it is 422 naming the field
        reply.should_be_problem(422, Some(field));
    }
    // And nothing changed
    assert_eq!(snapshot(&app).await, before);
}

#[actix_rt::test]
async fn an_admin_cannot_deactivate_themselves_or_change_their_own_role() {
    let app = spawn_app().await;
    let path = format!("/users/{}", app.admin.id);
    for body in [json!({ "active": false }), json!({ "role": "consultant" })] {
        app.patch(&app.admin.token, &path, &body)
            .await
            .should_be_problem(409, None);
    }
    // But may change their own name
    app.patch(&app.admin.token, &path, &json!({ "name": "Adam Admin" }))
        .await
        .should_be(200);
    app.get_me(&app.admin.token).await.should_be(200);
}

#[actix_rt::test]
async fn a_consultant_may_not_change_users_and_a_coordinator_sees_no_other_tenants_user() {
    // Given two organisations, a coordinator of the first and a contact of the second
    let app = spawn_app().await;
    let first = app.create_organisation("Första").await;
    let second = app.create_organisation("Andra").await;
    let unit = app.create_unit(&second, 10).await;
    let coordinator = app.create_user("coordinator", Some(&first), None).await;
    let contact = app.create_user("unit_contact", None, Some(&unit)).await;
    let consultant = app.create_user("consultant", None, None).await;
    let path = format!("/users/{}", contact.id);
    let body = json!({ "active": false });
    // Then a consultant is refused with 403
    app.patch(&consultant.token, &path, &body)
        .await
        .should_be_problem(403, None);
    // And the other organisation's contact is not there for the coordinator
    app.patch(&coordinator.token, &path, &body)
        .await
        .should_be_problem(404, None);
    // And an unknown user is 404 for the admin
    app.patch(&app.admin.token, "/users/nobody", &body)
        .await
        .should_be_problem(404, None);
    // And the contact still works
    app.get_me(&contact.token).await.should_be(200);
}

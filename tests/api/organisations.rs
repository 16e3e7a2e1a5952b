//! Organisations and their units.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn an_organisation_with_a_valid_org_number_is_created_with_201_and_a_location() {
    // Given the admin
    let app = spawn_app().await;
    // When they create an organisation whose number has a valid check digit
    let body = json!({ "name": "Järfälla kommun", "org_number": "212000-0142" });
    let reply = app.post_organisations(&app.admin.token, &body).await;
    // Then it is created, and reads back the same
    let reply = reply.should_be(201);
    assert!(reply.header("location").is_some(), "a Location header");
    assert_eq!(reply.body["name"], "Järfälla kommun");
    assert_eq!(reply.body["org_number"], "212000-0142");
    let read = app
        .get_organisation(&app.admin.token, &reply.id())
        .await
        .should_be(200);
    assert_eq!(read.body["name"], "Järfälla kommun");
    assert_eq!(read.body["id"], reply.body["id"]);
}

#[actix_rt::test]
async fn an_org_number_with_a_wrong_check_digit_is_422_and_creates_nothing() {
    let app = spawn_app().await;
    let body = json!({ "name": "Fel AB", "org_number": "212000-0143" });
    let reply = app.post_organisations(&app.admin.token, &body).await;
    reply.should_be_problem(422, Some("org_number"));
    let list = app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200);
    assert!(
        list.items().is_empty(),
        "no organisation was created: {}",
        list.text
    );
}

#[actix_rt::test]
async fn an_org_number_not_shaped_nnnnnn_dash_nnnn_is_422() {
    let app = spawn_app().await;
    for number in ["2120000142", "21200-00142", "212000-014", "abcdef-ghij", ""] {
        let body = json!({ "name": "Form AB", "org_number": number });
        let reply = app.post_organisations(&app.admin.token, &body).await;
        assert_eq!(reply.status.as_u16(), 422, "{number:?}: {}", reply.text);
        assert!(
            reply.error_fields().contains(&"org_number".to_string()),
            "{}",
            reply.text
        );
    }
}

#[actix_rt::test]
async fn only_an_admin_creates_organisations() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let reply = app
        .post_organisations(&consultant.token, &json!({ "name": "Nej AB" }))
        .await;
    reply.should_be_problem(403, None);
}

#[actix_rt::test]
async fn a_consultant_creates_a_unit_with_201_and_it_reads_back() {
    // Given an organisation and a consultant
    let app = spawn_app().await;
    let org = app.create_organisation("Mölndals stad").await;
    let consultant = app.create_user("consultant", None, None).await;
    // When the consultant creates a unit
    let body = json!({ "name": "Hemtjänst Väst", "department": "Social", "headcount": 23,
                       "contact_email": "chef@molndal.example.se" });
    let reply = app
        .post_units(&consultant.token, &org, &body)
        .await
        .should_be(201);
    // Then it belongs to the organisation and reads back the same
    assert!(reply.header("location").is_some(), "a Location header");
    assert_eq!(reply.body["organisation_id"], org);
    assert_eq!(reply.body["headcount"], 23);
    let read = app
        .get_unit(&app.admin.token, &reply.id())
        .await
        .should_be(200);
    assert_eq!(read.body["name"], "Hemtjänst Väst");
    assert_eq!(read.body["department"], "Social");
}

#[actix_rt::test]
async fn a_unit_headcount_outside_1_to_100000_is_422_and_creates_nothing() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    for headcount in [0, 100_001, -1] {
        let body = json!({ "name": "Unit", "headcount": headcount });
        let reply = app.post_units(&app.admin.token, &org, &body).await;
        assert_eq!(
            reply.status.as_u16(),
            422,
            "headcount {headcount}: {}",
            reply.text
        );
        assert!(
            reply.error_fields().contains(&"headcount".into()),
            "{}",
            reply.text
        );
    }
    let units = app
        .get_units(&app.admin.token, &format!("?organisation_id={org}"))
        .await;
    assert!(
        units.should_be(200).items().is_empty(),
        "no unit was created"
    );
}

#[actix_rt::test]
async fn a_unit_of_an_unknown_organisation_is_404() {
    let app = spawn_app().await;
    let body = json!({ "name": "Unit", "headcount": 5 });
    app.post_units(&app.admin.token, "no-such-org", &body)
        .await
        .should_be_problem(404, None);
}

#[actix_rt::test]
async fn patching_a_unit_changes_only_the_given_fields() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let before = app.get_unit(&app.admin.token, &unit).await.should_be(200);
    let reply = app
        .patch_unit(&app.admin.token, &unit, &json!({ "headcount": 12 }))
        .await;
    let reply = reply.should_be(200);
    assert_eq!(reply.body["headcount"], 12);
    assert_eq!(reply.body["name"], before.body["name"]);
    let after = app.get_unit(&app.admin.token, &unit).await.should_be(200);
    assert_eq!(after.body["headcount"], 12);
}

#[actix_rt::test]
async fn a_patch_with_an_invalid_headcount_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let before = app.get_unit(&app.admin.token, &unit).await.should_be(200);
    let reply = app
        .patch_unit(
            &app.admin.token,
            &unit,
            &json!({ "headcount": 0, "name": "New" }),
        )
        .await;
    reply.should_be_problem(422, Some("headcount"));
    let after = app.get_unit(&app.admin.token, &unit).await.should_be(200);
    assert_eq!(after.body, before.body);
}

#[actix_rt::test]
async fn units_can_be_listed_per_organisation() {
    let app = spawn_app().await;
    let a = app.create_organisation("A").await;
    let b = app.create_organisation("B").await;
    let unit_a = app.create_unit(&a, 5).await;
    let unit_b = app.create_unit(&b, 5).await;
    let reply = app
        .get_units(&app.admin.token, &format!("?organisation_id={a}"))
        .await;
    let ids = reply.should_be(200).ids();
    assert_eq!(ids, vec![unit_a]);
    let all = app
        .get_units(&app.admin.token, "")
        .await
        .should_be(200)
        .ids();
    assert!(all.contains(&unit_b), "all units without a filter");
}

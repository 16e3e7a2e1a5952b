//! Names: NFC-normalised and trimmed; control and bidi-override characters refused
//! with a 422 naming the field; a name the certificate cannot print refused when it
//! is entered, so that approval never fails on it; organisations can be renamed.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

async fn organisation_names(app: &TestApp) -> Vec<Value> {
    app.get_organisations(&app.admin.token, "?limit=200")
        .await
        .should_be(200)
        .items()
        .iter()
        .map(|o| o["name"].clone())
        .collect()
}

async fn unit_count(app: &TestApp, org: &str) -> usize {
    app.get_units(
        &app.admin.token,
        &format!("?organisation_id={org}&limit=200"),
    )
    .await
    .should_be(200)
    .items()
    .len()
}

#[actix_rt::test]
async fn a_unit_named_with_an_emoji_or_chinese_characters_is_refused_at_creation() {
    let app = spawn_app().await;
    let org = app.create_organisation("Regnbågens kommun").await;
    for name in ["Förskolan Regnbågen 🌈", "Enhet 中文"] {
        app.post_units(
            &app.admin.token,
            &org,
            &json!({ "name": name, "headcount": 5 }),
        )
        .await
        .should_be_problem(422, Some("name"));
    }
    app.post_units(
        &app.admin.token,
        &org,
        &json!({ "name": "Enhet", "department": "Avdelning 🌈", "headcount": 5 }),
    )
    .await
    .should_be_problem(422, Some("department"));
    assert_eq!(unit_count(&app, &org).await, 0, "nothing was created");
    app.post_organisations(&app.admin.token, &json!({ "name": "Kommun 中文" }))
        .await
        .should_be_problem(422, Some("name"));
    let user = json!({ "email": "emoji@example.se", "name": "Ada 🌈", "role": "auditor",
                       "password": "correct horse battery staple" });
    app.post_users(&app.admin.token, &user)
        .await
        .should_be_problem(422, Some("name"));
}

#[actix_rt::test]
async fn control_and_bidi_override_characters_in_names_are_422_naming_the_field() {
    let app = spawn_app().await;
    for name in [
        "Kommun\r\nBcc: x",
        "Kom\tmun",
        "Kom\u{0}mun",
        "Kommun \u{202E}nummoK",
    ] {
        app.post_organisations(&app.admin.token, &json!({ "name": name }))
            .await
            .should_be_problem(422, Some("name"));
    }
    assert!(organisation_names(&app).await.is_empty(), "nothing created");
    let org = app.create_organisation("Järfälla kommun").await;
    let unit = app.create_unit(&org, 10).await;
    let patched = [
        (json!({ "name": "Enhet\nNy rad" }), "name"),
        (json!({ "department": "Avd\u{2067}elning" }), "department"),
    ];
    for (body, field) in patched {
        app.patch_unit(&app.admin.token, &unit, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    let user = json!({ "email": "rlo@example.se", "name": "Ada \u{202E}nimdA", "role": "auditor",
                       "password": "correct horse battery staple" });
    app.post_users(&app.admin.token, &user)
        .await
        .should_be_problem(422, Some("name"));
    // Session titles and locations too
    let world = app.given_a_case().await;
    for (field, value) in [
        ("title", "Uppstart\r\nBcc: x"),
        ("location", "Rum \u{202E}1"),
    ] {
        let mut body = app.session_body("kickoff", 3);
        body[field] = json!(value);
        app.post_session(&world.consultant.token, &world.case_id, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    let sessions = app
        .get_sessions(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert!(sessions.items().is_empty(), "{}", sessions.text);
}

#[actix_rt::test]
async fn names_are_nfc_normalised_and_trimmed() {
    let app = spawn_app().await;
    // "Åmål" written with combining rings, and surrounded by spaces
    let decomposed = "  A\u{30A}ma\u{30A}l kommun \u{a0}";
    let reply = app
        .post_organisations(&app.admin.token, &json!({ "name": decomposed }))
        .await
        .should_be(201);
    assert_eq!(reply.body["name"], "\u{C5}m\u{E5}l kommun");
}

#[actix_rt::test]
async fn an_admin_renames_an_organisation_and_no_one_else_may() {
    let app = spawn_app().await;
    let org = app.create_organisation("Gammalt namn").await;
    let path = format!("/organisations/{org}");
    let renamed = app
        .patch(
            &app.admin.token,
            &path,
            &json!({ "name": " Nytt namn ", "org_number": "212000-0142" }),
        )
        .await
        .should_be(200);
    assert_eq!(renamed.body["name"], "Nytt namn");
    assert_eq!(renamed.body["org_number"], "212000-0142");
    assert_eq!(
        app.get_organisation(&app.admin.token, &org)
            .await
            .should_be(200)
            .body["name"],
        "Nytt namn"
    );
    // A bad name or number is 422 and changes nothing
    app.patch(&app.admin.token, &path, &json!({ "name": "Namn 🌈" }))
        .await
        .should_be_problem(422, Some("name"));
    app.patch(
        &app.admin.token,
        &path,
        &json!({ "org_number": "212000-0143" }),
    )
    .await
    .should_be_problem(422, Some("org_number"));
    let unchanged = app
        .get_organisation(&app.admin.token, &org)
        .await
        .should_be(200)
        .body;
    assert_eq!(unchanged["name"], "Nytt namn");
    assert_eq!(unchanged["org_number"], "212000-0142");
    // null clears the number
    let cleared = app
        .patch(&app.admin.token, &path, &json!({ "org_number": null }))
        .await
        .should_be(200);
    assert!(cleared.body["org_number"].is_null());
    // Others may not; an unknown id is 404
    let consultant = app.create_user("consultant", None, None).await;
    app.patch(&consultant.token, &path, &json!({ "name": "Kapat" }))
        .await
        .should_be_problem(403, None);
    app.patch(
        &app.admin.token,
        "/organisations/nosuchid",
        &json!({ "name": "X" }),
    )
    .await
    .should_be_problem(404, None);
    // And the route is documented
    let doc = app.get_openapi().await.should_be(200).body;
    let op = &doc["paths"]["/api/v1/organisations/{id}"]["patch"];
    assert!(op["responses"]["200"].is_object(), "{op}");
    assert!(
        op["responses"]["422"]["content"]["application/problem+json"].is_object(),
        "{op}"
    );
}

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let mut response = app
        .client
        .get(format!("{}/api/v1{path}", app.address))
        .insert_header(("Authorization", format!("Bearer {}", app.admin.token)))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body")
        .to_vec()
}

#[actix_rt::test]
async fn names_in_greek_cyrillic_and_sami_are_certified_with_the_names_in_the_pdf_text() {
    // Given a case whose organisation and unit have names in other scripts
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let org_name = "Čáhcegeađgi suohkan";
    let unit_name = "Русская школа Ελληνικά";
    app.patch(
        &app.admin.token,
        &format!("/organisations/{}", world.organisation_id),
        &json!({ "name": org_name }),
    )
    .await
    .should_be(200);
    app.patch_unit(
        &app.admin.token,
        &world.unit_id,
        &json!({ "name": unit_name }),
    )
    .await
    .should_be(200);
    // When it is approved
    app.drive_to(&world, "certified").await;
    // Then the certificate prints both names as text
    let pdf = download(&app, &format!("/cases/{}/certificate.pdf", world.case_id)).await;
    let document = lopdf::Document::load_mem(&pdf).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("text");
    for name in [org_name, unit_name] {
        assert!(
            text.contains(name),
            "the PDF text contains {name:?}: {text}"
        );
    }
}

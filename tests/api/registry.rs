//! The public registry: certified units of organisations that opted in, searchable,
//! paged, HTML and JSON, with no people in it.

use awc::http::Method;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, World, PUBLIC_URL};

async fn registry(app: &TestApp, query: &str) -> Value {
    app.public_get(&format!("/api/v1/registry{query}"))
        .await
        .should_be(200)
        .body
}

async fn opt_in(app: &TestApp, world: &World, listed: bool) -> Value {
    app.call(
        Method::PATCH,
        &format!("/api/v1/organisations/{}", world.organisation_id),
        Some(&app.admin.token),
        &[],
        Some(&json!({ "public_registry": listed })),
    )
    .await
    .should_be(200)
    .body
}

async fn unit_name(app: &TestApp, world: &World) -> String {
    app.call(
        Method::GET,
        &format!("/api/v1/units/{}", world.unit_id),
        Some(&app.admin.token),
        &[],
        None,
    )
    .await
    .should_be(200)
    .body["name"]
        .as_str()
        .unwrap()
        .to_string()
}

fn units(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["unit_name"].as_str().unwrap().to_string())
        .collect()
}

#[actix_rt::test]
async fn only_an_admin_opts_an_organisation_in_and_it_starts_out() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let path = format!("/api/v1/organisations/{}", world.organisation_id);
    let org = app
        .call(Method::GET, &path, Some(&app.admin.token), &[], None)
        .await
        .should_be(200)
        .body;
    assert_eq!(org["public_registry"], false);

    app.call(
        Method::PATCH,
        &path,
        Some(&world.consultant.token),
        &[],
        Some(&json!({"public_registry": true})),
    )
    .await
    .should_be_problem(403, None);
    app.call(
        Method::PATCH,
        &path,
        Some(&app.admin.token),
        &[],
        Some(&json!({"public_registry": "yes"})),
    )
    .await
    .should_be_problem(422, Some("public_registry"));
    let unchanged = app
        .call(Method::GET, &path, Some(&app.admin.token), &[], None)
        .await
        .should_be(200)
        .body;
    assert_eq!(unchanged, org, "a refused change changes nothing");

    let listed = opt_in(&app, &world, true).await;
    assert_eq!(listed["public_registry"], true);
    assert_eq!(listed["name"], org["name"], "other fields stay");
}

#[actix_rt::test]
async fn the_registry_lists_certified_units_of_opted_in_organisations_and_no_people() {
    let app = spawn_app().await;
    let listed = app.given_a_case_in("certified").await;
    let hidden = app.given_a_case_in("certified").await;
    let not_yet = app.given_a_case_in("audit").await;
    assert_eq!(
        registry(&app, "").await["items"],
        json!([]),
        "nobody opted in"
    );

    opt_in(&app, &listed, true).await;
    opt_in(&app, &not_yet, true).await;
    let page = registry(&app, "").await;
    assert_eq!(units(&page), [unit_name(&app, &listed).await]);
    let entry = &page["items"][0];
    let code = app.verification_code(&listed.case_id).await;
    assert_eq!(entry["status"], "valid");
    assert_eq!(entry["verify_url"], format!("{PUBLIC_URL}/verify/{code}"));
    assert_eq!(entry["programme"]["key"], "inclusion-standard");
    assert!(entry["valid_from"].is_string() && entry["valid_until"].is_string());
    assert!(entry["organisation_name"]
        .as_str()
        .unwrap()
        .starts_with("Org "));
    let text = page.to_string();
    assert!(!text.contains('@'), "no e-mail addresses: {text}");
    assert!(
        !text.contains("A consultant") && !text.contains("A auditor"),
        "no names of people: {text}"
    );
    assert_eq!(page["next_cursor"], Value::Null);

    // Suspended: listed with its status; revoked: gone; opted out: gone.
    let admin = app.admin.token.clone();
    app.transition(
        &admin,
        &listed.case_id,
        &json!({"action": "suspend", "comment": "Complaint"}),
    )
    .await
    .should_be(200);
    assert_eq!(registry(&app, "").await["items"][0]["status"], "suspended");
    app.transition(
        &admin,
        &listed.case_id,
        &json!({"action": "revoke", "comment": "Abandoned"}),
    )
    .await
    .should_be(200);
    assert_eq!(registry(&app, "").await["items"], json!([]));
    opt_in(&app, &hidden, true).await;
    assert_eq!(
        units(&registry(&app, "").await),
        [unit_name(&app, &hidden).await]
    );
    opt_in(&app, &hidden, false).await;
    assert_eq!(registry(&app, "").await["items"], json!([]));
}

#[actix_rt::test]
async fn the_registry_is_searched_by_name_in_any_case_and_paged_without_overlap() {
    let app = spawn_app().await;
    let first = app.given_a_case_in("certified").await;
    let second = app.given_a_case_in("certified").await;
    opt_in(&app, &first, true).await;
    opt_in(&app, &second, true).await;
    let (a, b) = (
        unit_name(&app, &first).await,
        unit_name(&app, &second).await,
    );

    let shout = a.to_uppercase().replace("UNIT ", "");
    assert_eq!(
        units(&registry(&app, &format!("?q={shout}")).await),
        std::slice::from_ref(&a)
    );
    assert_eq!(
        units(&registry(&app, "?q=inkluderings%20unit").await).len(),
        2
    );
    assert_eq!(registry(&app, "?q=nowhere").await["items"], json!([]));

    let one = registry(&app, "?limit=1").await;
    let cursor = one["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let two = registry(&app, &format!("?limit=1&cursor={cursor}")).await;
    assert_eq!(two["next_cursor"], Value::Null);
    let mut seen = [units(&one), units(&two)].concat();
    seen.sort();
    let mut both = vec![a, b];
    both.sort();
    assert_eq!(seen, both);
}

#[actix_rt::test]
async fn bad_registry_queries_are_422_naming_the_parameter() {
    let app = spawn_app().await;
    let long = "x".repeat(201);
    for (query, field) in [
        (format!("?q={long}"), "q"),
        ("?q=%01".to_string(), "q"),
        ("?limit=0".to_string(), "limit"),
        ("?limit=many".to_string(), "limit"),
        ("?cursor=%2F..".to_string(), "cursor"),
    ] {
        app.public_get(&format!("/api/v1/registry{query}"))
            .await
            .should_be_problem(422, Some(field));
    }
    let refused = app.public_get(&format!("/registry?q={long}&lang=en")).await;
    let (status, html) = (refused.status.as_u16(), refused.text);
    assert_eq!(status, 422);
    assert!(html.contains("The search could not be read"), "{html}");
    app.call(Method::POST, "/api/v1/registry", None, &[], None)
        .await
        .should_be_problem(405, None);
}

#[actix_rt::test]
async fn the_registry_page_shows_the_units_and_links_to_their_verification() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    opt_in(&app, &world, true).await;
    let name = unit_name(&app, &world).await;
    let code = app.verification_code(&world.case_id).await;

    let swedish = app.public_get("/registry").await;
    assert_eq!(swedish.status.as_u16(), 200);
    assert!(swedish.text.contains("Register över certifierade enheter"));
    assert!(swedish.text.contains(&name) && swedish.text.contains("Giltigt"));
    assert!(
        swedish.text.contains(&format!("href=\"/verify/{code}\"")),
        "{}",
        swedish.text
    );
    assert!(!swedish.text.contains('@'));

    let english = app.public_get("/registry?lang=en&q=nowhere").await;
    assert_eq!(english.status.as_u16(), 200);
    assert!(english.text.contains("No units found.") && !english.text.contains(&name));
    assert!(english.text.contains("value=\"nowhere\""));
}

//! Appeals and complaints: a unit appeals a return or a suspension in force; anyone
//! complains about a certified unit or the certifying body; an admin who neither runs
//! nor audits the case decides, and every outcome is in the case's history.

use awc::http::Method;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, TestApp, TestUser, World};

/// The kinds of the case's events, in order.
pub(crate) async fn kinds(app: &TestApp, case_id: &str) -> Vec<String> {
    app.get_events(&app.admin.token, case_id)
        .await
        .should_be(200)
        .body
        .as_array()
        .expect("a list of events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

pub(crate) async fn unit_contact(app: &TestApp, world: &World) -> TestUser {
    app.create_user("unit_contact", None, Some(&world.unit_id))
        .await
}

/// The person becomes an admin while staying the case's consultant or auditor: the
/// independence rule goes by the person, not the role.
pub(crate) fn make_admin(app: &TestApp, user: &TestUser) {
    app.execute_sql(&format!(
        "UPDATE users SET role = 'admin' WHERE id = '{}'",
        user.id
    ));
}

async fn appeal(app: &TestApp, token: &str, case_id: &str, text: &str) -> crate::helpers::Reply {
    app.post(
        token,
        &format!("/cases/{case_id}/appeals"),
        &json!({ "text": text }),
    )
    .await
}

async fn complain(app: &TestApp, body: &Value) -> crate::helpers::Reply {
    app.call(Method::POST, "/api/v1/complaints", None, &[], Some(body))
        .await
}

async fn mail_to(app: &TestApp, kind: &str) -> Vec<String> {
    let mut to: Vec<String> = app
        .get(&app.admin.token, "/admin/mail?limit=200")
        .await
        .should_be(200)
        .items()
        .iter()
        .filter(|m| m["kind"] == kind)
        .map(|m| m["recipient"].as_str().unwrap_or_default().to_string())
        .collect();
    to.sort();
    to
}

pub(crate) async fn returned_case(app: &TestApp) -> World {
    let world = app.given_a_case_in("audit").await;
    app.return_with(
        &world,
        json!([{ "severity": "minor", "text": "Rutinen saknas." }]),
    )
    .await
    .should_be(200);
    world
}

#[actix_rt::test]
async fn an_upheld_appeal_of_a_return_puts_the_case_back_in_audit_decided_by_an_independent_admin()
{
    // Given a returned case and its unit's contact
    let app = spawn_app().await;
    let world = returned_case(&app).await;
    let contact = unit_contact(&app, &world).await;
    let stage_before = app.case(&world.case_id).await["stage"].clone();

    // When the contact appeals
    let filed = appeal(
        &app,
        &contact.token,
        &world.case_id,
        "Rutinen finns i ledningssystemet.",
    )
    .await
    .should_be(201);
    let id = filed.id();
    assert_eq!(filed.body["ground"], "return");
    assert!(filed.body["outcome"].is_null());
    assert_eq!(
        filed.header("location").as_deref(),
        Some(format!("/api/v1/appeals/{id}").as_str())
    );
    // A second appeal while the first is open is refused
    appeal(&app, &world.consultant.token, &world.case_id, "Igen")
        .await
        .should_be_problem(409, None);

    // Then the admins list it; the contact reads it; others may not list
    let listed = app
        .get(&app.admin.token, "/appeals?status=open")
        .await
        .should_be(200);
    assert_eq!(listed.ids(), vec![id.clone()]);
    app.get(&contact.token, &format!("/appeals/{id}"))
        .await
        .should_be(200);
    app.get(&world.consultant.token, "/appeals")
        .await
        .should_be_problem(403, None);

    // The case's auditor and consultant may not decide it, even as admins
    make_admin(&app, &world.auditor);
    make_admin(&app, &world.consultant);
    let decision = json!({ "outcome": "upheld", "comment": "Beviset räcker." });
    for who in [&world.auditor, &world.consultant, &contact] {
        app.patch(&who.token, &format!("/appeals/{id}"), &decision)
            .await
            .should_be_problem(403, None);
    }
    assert_eq!(app.case(&world.case_id).await["stage"], stage_before);

    // An independent admin upholds it: back in audit with the same auditor
    let decided = app
        .patch(&app.admin.token, &format!("/appeals/{id}"), &decision)
        .await
        .should_be(200)
        .body;
    assert_eq!(decided["outcome"], "upheld");
    assert_eq!(decided["comment"], "Beviset räcker.");
    assert_eq!(decided["decided_by"], json!(app.admin.id));
    let case = app.case(&world.case_id).await;
    assert_eq!(case["stage"], "audit");
    assert_eq!(case["auditor_id"], json!(world.auditor.id));
    let kinds = kinds(&app, &world.case_id).await;
    assert_eq!(
        kinds[kinds.len() - 3..],
        ["appeal_filed", "appeal_decided", "audit_requested"]
    );
    // The outcome is mailed to the unit's contact and its consultant
    let to = mail_to(&app, "appeal_decided").await;
    assert!(
        to.contains(&contact.email) && to.contains(&world.consultant.email),
        "{to:?}"
    );

    // Decided once; in audit there is nothing left to appeal
    app.patch(&app.admin.token, &format!("/appeals/{id}"), &decision)
        .await
        .should_be_problem(409, None);
    appeal(&app, &contact.token, &world.case_id, "Igen")
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn an_upheld_appeal_of_a_suspension_reinstates_the_certificate() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    app.transition(
        &app.admin.token,
        &world.case_id,
        &json!({"action": "suspend", "comment": "Klagomål utreds."}),
    )
    .await
    .should_be(200);

    let id = appeal(
        &app,
        &world.consultant.token,
        &world.case_id,
        "Klagomålet är obefogat.",
    )
    .await
    .should_be(201)
    .id();
    let decided = app
        .patch(
            &app.admin.token,
            &format!("/appeals/{id}"),
            &json!({"outcome": "upheld"}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(decided["ground"], "suspension");
    let case = app.case(&world.case_id).await;
    assert_eq!(case["status"], "certified");
    assert_eq!(case["certificate"]["status"], "valid");
    let kinds = kinds(&app, &world.case_id).await;
    assert_eq!(
        kinds[kinds.len() - 3..],
        ["appeal_filed", "appeal_decided", "reinstated"]
    );
}

#[actix_rt::test]
async fn a_rejected_appeal_leaves_the_decision_and_the_same_return_is_not_appealed_twice() {
    let app = spawn_app().await;
    let world = returned_case(&app).await;
    let stage = app.case(&world.case_id).await["stage"].clone();
    let id = appeal(
        &app,
        &world.consultant.token,
        &world.case_id,
        "Vi håller inte med.",
    )
    .await
    .should_be(201)
    .id();
    app.patch(
        &app.admin.token,
        &format!("/appeals/{id}"),
        &json!({"outcome": "rejected", "comment": "Fyndet står fast."}),
    )
    .await
    .should_be(200);
    assert_eq!(app.case(&world.case_id).await["stage"], stage);
    let kinds = kinds(&app, &world.case_id).await;
    assert_eq!(kinds[kinds.len() - 2..], ["appeal_filed", "appeal_decided"]);
    appeal(&app, &world.consultant.token, &world.case_id, "Igen")
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn bad_appeals_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    // Nothing to appeal: in audit (not returned), and certified
    let world = app.given_a_case_in("audit").await;
    appeal(&app, &world.consultant.token, &world.case_id, "Varför?")
        .await
        .should_be_problem(409, None);
    app.return_with(&world, json!([{ "severity": "minor", "text": "x" }]))
        .await
        .should_be(200);
    let before = kinds(&app, &world.case_id).await;
    // Blank or missing text names `text`; the auditor and other people may not appeal
    for body in [json!({"text": ""}), json!({"text": "   "}), json!({})] {
        app.post(
            &world.consultant.token,
            &format!("/cases/{}/appeals", world.case_id),
            &body,
        )
        .await
        .should_be_problem(422, Some("text"));
    }
    appeal(&app, &world.auditor.token, &world.case_id, "Jag ångrar mig")
        .await
        .should_be_problem(403, None);
    appeal(&app, &app.admin.token, &world.case_id, "Admin")
        .await
        .should_be_problem(403, None);
    appeal(&app, &world.consultant.token, "no-such-case", "x")
        .await
        .should_be_problem(404, None);
    app.patch(
        &app.admin.token,
        "/appeals/no-such-appeal",
        &json!({"outcome": "upheld"}),
    )
    .await
    .should_be_problem(404, None);
    assert_eq!(kinds(&app, &world.case_id).await, before);
    let listed = app.get(&app.admin.token, "/appeals").await.should_be(200);
    assert!(listed.items().is_empty());

    let certified = app.given_a_case_in("certified").await;
    appeal(
        &app,
        &certified.consultant.token,
        &certified.case_id,
        "Varför?",
    )
    .await
    .should_be_problem(409, None);
}

#[actix_rt::test]
async fn a_complaint_about_a_certified_unit_is_in_its_history_and_decided_by_an_independent_admin()
{
    // Given a certified unit and its certificate's code
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let case = app.case(&world.case_id).await;
    let code = case["certificate"]["verification_code"]
        .as_str()
        .expect("a code")
        .to_string();
    let before = kinds(&app, &world.case_id).await;

    // Bad complaints change nothing
    complain(
        &app,
        &json!({"about": "NOSUCHCODE", "text": "Dåligt bemötande."}),
    )
    .await
    .should_be_problem(422, Some("about"));
    complain(&app, &json!({"about": code, "text": "  "}))
        .await
        .should_be_problem(422, Some("text"));
    complain(
        &app,
        &json!({"about": code, "text": "x", "email": "not-an-address"}),
    )
    .await
    .should_be_problem(422, Some("email"));
    assert_eq!(kinds(&app, &world.case_id).await, before);

    // When someone complains, leaving an address
    let receipt = complain(
        &app,
        &json!({"about": code, "text": "Dåligt bemötande.", "email": "Klagande@Example.se", "language": "en"}),
    )
    .await
    .should_be(201);
    let id = receipt.id();
    assert!(receipt.body.get("email").is_none(), "{}", receipt.text);
    let kinds_now = kinds(&app, &world.case_id).await;
    assert_eq!(
        kinds_now.last().map(String::as_str),
        Some("complaint_received")
    );

    // Then only admins see it, with the address
    let listed = app
        .get(&app.admin.token, "/complaints?status=open")
        .await
        .should_be(200);
    assert_eq!(listed.ids(), vec![id.clone()]);
    assert_eq!(listed.items()[0]["email"], "klagande@example.se");
    assert_eq!(listed.items()[0]["case_id"], json!(world.case_id));
    app.get(&world.consultant.token, &format!("/complaints/{id}"))
        .await
        .should_be_problem(403, None);
    app.call(Method::GET, "/api/v1/complaints", None, &[], None)
        .await
        .should_be_problem(401, None);
    let events = app
        .get_events(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .text;
    assert!(!events.contains("klagande@example.se"), "{events}");

    // The case's auditor and consultant may not decide it, even as admins
    make_admin(&app, &world.auditor);
    make_admin(&app, &world.consultant);
    let decision = json!({"outcome": "noted", "comment": "Vi har talat med enheten."});
    for who in [&world.auditor, &world.consultant] {
        app.patch(&who.token, &format!("/complaints/{id}"), &decision)
            .await
            .should_be_problem(403, None);
    }
    let decided = app
        .patch(&app.admin.token, &format!("/complaints/{id}"), &decision)
        .await
        .should_be(200)
        .body;
    assert_eq!(decided["outcome"], "noted");
    let kinds_now = kinds(&app, &world.case_id).await;
    assert_eq!(
        kinds_now.last().map(String::as_str),
        Some("complaint_decided")
    );
    assert_eq!(app.case(&world.case_id).await["status"], "certified");
    assert_eq!(
        mail_to(&app, "complaint_decided").await,
        ["klagande@example.se"]
    );
    app.patch(&app.admin.token, &format!("/complaints/{id}"), &decision)
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn a_complaint_about_the_body_is_kept_on_its_own_and_any_admin_decides_it() {
    let app = spawn_app().await;
    let id = complain(&app, &json!({"text": "Handläggningen tar för lång tid."}))
        .await
        .should_be(201)
        .id();
    let complaint = app
        .get(&app.admin.token, &format!("/complaints/{id}"))
        .await
        .should_be(200)
        .body;
    assert!(complaint["case_id"].is_null() && complaint["email"].is_null());
    assert_eq!(complaint["language"], "sv");
    let consultant = app.create_user("consultant", None, None).await;
    app.patch(
        &consultant.token,
        &format!("/complaints/{id}"),
        &json!({"outcome": "upheld"}),
    )
    .await
    .should_be_problem(403, None);
    app.patch(
        &app.admin.token,
        &format!("/complaints/{id}"),
        &json!({"outcome": "maybe"}),
    )
    .await
    .should_be_problem(422, None);
    let decided = app
        .patch(
            &app.admin.token,
            &format!("/complaints/{id}"),
            &json!({"outcome": "upheld", "comment": "Vi ser över rutinen."}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(decided["outcome"], "upheld");
    assert_eq!(decided["decided_by"], json!(app.admin.id));
    // No address, no mail
    assert!(mail_to(&app, "complaint_decided").await.is_empty());
    let listed = app
        .get(&app.admin.token, "/complaints?status=open")
        .await
        .should_be(200);
    assert!(listed.items().is_empty());
    let all = app
        .get(&app.admin.token, "/complaints")
        .await
        .should_be(200);
    assert_eq!(all.ids(), vec![id]);
}

#[actix_rt::test]
async fn complaints_from_one_address_are_throttled_like_log_ins() {
    // Given an app whose log-in limits allow two attempts before a back-off
    let app = spawn_app_with(|s| s.auth.max_failed_logins = 2).await;
    let body = json!({"text": "Samma klagomål igen."});
    // When one address files five complaints in a row
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let reply = complain(&app, &body).await;
        if reply.status.as_u16() == 429 {
            assert!(reply.header("retry-after").is_some(), "{}", reply.text);
        }
        statuses.push(reply.status.as_u16());
    }
    // Then the first two are received and the rest wait, and only those received are kept
    assert_eq!(statuses[..2], [201, 201], "{statuses:?}");
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    let kept = app
        .get(&app.admin.token, "/complaints?limit=200")
        .await
        .should_be(200);
    let received = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(kept.items().len(), received);
}

//! The admins' appeal and complaint pages over plain HTTP: lists awaiting a decision
//! or decided (chosen in the URL, paged), the page of one, and its decision behind a
//! confirmation made by the API's use case; the case's consultant and auditor get
//! the policy's 403, another tenant 404, and an admin who worked on the case no form.

use awc::http::Method;
use serde_json::{json, Value};

use crate::appeals::{kinds, make_admin, returned_case, unit_contact};
use crate::helpers::{spawn_app, spawn_app_with, TestApp, World};
use crate::web_session::Web;

/// A returned case whose unit's contact appealed; the appeal's id.
async fn appealed(app: &TestApp) -> (World, String) {
    let world = returned_case(app).await;
    let contact = unit_contact(app, &world).await;
    let id = app
        .post(
            &contact.token,
            &format!("/cases/{}/appeals", world.case_id),
            &json!({ "text": "Rutinen finns i ledningssystemet." }),
        )
        .await
        .should_be(201)
        .id();
    (world, id)
}

async fn complain(app: &TestApp, body: &Value) -> String {
    app.call(Method::POST, "/api/v1/complaints", None, &[], Some(body))
        .await
        .should_be(201)
        .id()
}

async fn appeal(app: &TestApp, id: &str) -> Value {
    app.get(&app.admin.token, &format!("/appeals/{id}"))
        .await
        .should_be(200)
        .body
}

#[actix_rt::test]
async fn an_admin_decides_an_appeal_from_the_list_and_the_outcome_shows_on_the_case_page() {
    // Given an open appeal
    let app = spawn_app().await;
    let (world, id) = appealed(&app).await;
    let mut admin = Web::login(&app, &app.admin.email).await;

    // The menu links the lists; the list of those awaiting a decision has it
    let home = admin.get("/admin").await;
    assert!(
        home.text.contains("href=\"/admin/appeals\""),
        "{}",
        home.text
    );
    assert!(
        home.text.contains("href=\"/admin/complaints\""),
        "{}",
        home.text
    );
    let list = admin.get("/admin/appeals").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(
        list.text.contains(&format!("href=\"/admin/appeals/{id}\"")),
        "{}",
        list.text
    );
    assert!(
        list.text.contains("Överklagande av återförvisning"),
        "{}",
        list.text
    );
    let decided = admin.get("/admin/appeals?status=decided").await;
    assert!(!decided.text.contains(&id), "{}", decided.text);
    assert!(
        decided
            .text
            .contains("Inga överklaganden är avgjorda ännu."),
        "{}",
        decided.text
    );

    // The appeal's page shows its text, the case and the decide form
    let path = format!("/admin/appeals/{id}");
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("Rutinen finns i ledningssystemet."),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(&format!("href=\"/cases/{}\"", world.case_id)),
        "{}",
        page.text
    );
    assert!(page.text.contains("id=\"decide\""), "{}", page.text);

    // A blank outcome is named next to its field, and nothing is decided
    let refused = admin
        .post(&path, &[("step", "review"), ("outcome", "")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("id=\"decide-outcome-error\""),
        "{}",
        refused.text
    );

    // When the admin sends the decision, it asks first and decides nothing
    let fields = [("outcome", "upheld"), ("comment", "Rutinen finns.")];
    let mut review = fields.to_vec();
    review.push(("step", "review"));
    let asked = admin.post(&path, &review).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(
        asked.text.contains("Pröva överklagandet?"),
        "{}",
        asked.text
    );
    assert!(appeal(&app, &id).await["outcome"].is_null());

    // Then confirmed, it is decided by the API's use case and undoes the return
    let mut confirm = fields.to_vec();
    confirm.push(("step", "confirm"));
    let done = admin.post(&path, &confirm).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.header("location").as_deref(), Some(path.as_str()));
    let stored = appeal(&app, &id).await;
    assert_eq!(stored["outcome"], "upheld");
    assert_eq!(stored["comment"], "Rutinen finns.");
    assert_eq!(app.case(&world.case_id).await["stage"], "audit");
    assert!(kinds(&app, &world.case_id)
        .await
        .contains(&"appeal_decided".to_string()));
    let page = admin.get(&path).await;
    assert!(
        page.text.contains("Överklagandet är prövat."),
        "{}",
        page.text
    );
    assert!(!page.text.contains("id=\"decide\""), "{}", page.text);
    // A second decision is refused as already decided
    let again = admin.post(&path, &confirm).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(
        again.text.contains("Det här är redan avgjort."),
        "{}",
        again.text
    );

    // The lists have moved it, and the case page shows the outcome to the unit
    let open = admin.get("/admin/appeals").await;
    assert!(
        open.text.contains("Inga överklaganden väntar på beslut."),
        "{}",
        open.text
    );
    let decided = admin.get("/admin/appeals?status=decided").await;
    assert!(
        decided
            .text
            .contains(&format!("href=\"/admin/appeals/{id}\"")),
        "{}",
        decided.text
    );
    let contact = unit_contact(&app, &world).await;
    let mut web = Web::login(&app, &contact.email).await;
    let case = web.get(&format!("/cases/{}", world.case_id)).await;
    assert!(case.text.contains("Beslut: Bifallet"), "{}", case.text);
    assert!(case.text.contains("Rutinen finns."), "{}", case.text);
}

#[actix_rt::test]
async fn the_cases_consultant_and_auditor_are_forbidden_and_another_tenant_not_found() {
    let app = spawn_app().await;
    let (world, id) = appealed(&app).await;
    let path = format!("/admin/appeals/{id}");
    let fields = [("step", "confirm"), ("outcome", "upheld")];
    for email in [&world.consultant.email, &world.auditor.email] {
        let mut web = Web::login(&app, email).await;
        assert_eq!(web.get("/admin/appeals").await.status, 403, "{email}");
        assert_eq!(web.get(&path).await.status, 403, "{email}");
        assert_eq!(web.post(&path, &fields).await.status, 403, "{email}");
    }
    let other = app.given_a_case().await;
    let coordinator = app
        .create_user("coordinator", Some(&other.organisation_id), None)
        .await;
    let mut stranger = Web::login(&app, &coordinator.email).await;
    assert_eq!(stranger.get(&path).await.status, 404);
    assert_eq!(stranger.post(&path, &fields).await.status, 404);
    // The auditor made an admin sees the appeal but no form, and may not decide it
    make_admin(&app, &world.auditor);
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let page = auditor.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains("id=\"decide\""), "{}", page.text);
    assert!(
        page.text.contains("får därför inte pröva det"),
        "{}",
        page.text
    );
    assert_eq!(auditor.post(&path, &fields).await.status, 403);
    assert!(appeal(&app, &id).await["outcome"].is_null());
    // An independent admin's same send decides it, so the refusals were the policy's
    let mut admin = Web::login(&app, &app.admin.email).await;
    assert_eq!(admin.post(&path, &fields).await.status, 303);
    assert_eq!(appeal(&app, &id).await["outcome"], "upheld");
}

#[actix_rt::test]
async fn an_admin_decides_complaints_about_a_unit_and_about_the_body_in_english() {
    // Given a complaint about a certified unit and one about the body
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let code = app.verification_code(&world.case_id).await;
    let about_unit = complain(&app, &json!({"about": code, "text": "Dåligt bemötande."})).await;
    let about_body = complain(&app, &json!({"text": "Granskningen drog ut på tiden."})).await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    let list = admin.get("/admin/complaints?lang=en").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(
        list.text.contains("Us, the certifying body"),
        "{}",
        list.text
    );
    assert!(
        list.text
            .contains(&format!("href=\"/admin/complaints/{about_unit}\"")),
        "{}",
        list.text
    );

    for (id, outcome, in_case) in [
        (&about_unit, "noted", true),
        (&about_body, "rejected", false),
    ] {
        let path = format!("/admin/complaints/{id}");
        let page = admin.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(
            page.text
                .contains(&format!("href=\"/cases/{}\"", world.case_id)),
            in_case
        );
        let asked = admin
            .post(&path, &[("step", "review"), ("outcome", outcome)])
            .await;
        assert_eq!(asked.status, 200, "{}", asked.text);
        assert!(
            asked.text.contains("Decide the complaint?"),
            "{}",
            asked.text
        );
        let done = admin
            .post(&path, &[("step", "confirm"), ("outcome", outcome)])
            .await;
        assert_eq!(done.status, 303, "{}", done.text);
        let stored = app
            .get(&app.admin.token, &format!("/complaints/{id}"))
            .await
            .should_be(200)
            .body;
        assert_eq!(stored["outcome"], outcome);
    }
    assert!(kinds(&app, &world.case_id)
        .await
        .contains(&"complaint_decided".to_string()));
    // The case's consultant may not decide one about their unit
    let mut consultant = Web::login(&app, &world.consultant.email).await;
    let path = format!("/admin/complaints/{about_unit}");
    assert_eq!(consultant.get(&path).await.status, 403);
}

#[actix_rt::test]
async fn the_lists_are_paged_and_the_decided_are_listed_apart() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins = 100).await;
    let mut ids = Vec::new();
    for n in 0..27 {
        ids.push(complain(&app, &json!({"text": format!("Klagomål nummer {n}.")})).await);
    }
    let mut admin = Web::login(&app, &app.admin.email).await;
    let first = admin.get("/admin/complaints").await;
    assert_eq!(first.status, 200, "{}", first.text);
    let next = first
        .text
        .split("<a href=\"")
        .filter_map(|chunk| chunk.split('"').next())
        .find(|href| href.contains("cursor"))
        .map(|href| href.replace("&amp;", "&").replace("&#x3D;", "="))
        .expect("a link to the next page");
    let shown = |page: &str| ids.iter().filter(|id| page.contains(id.as_str())).count();
    assert_eq!(shown(&first.text), 25);
    let second = admin.get(&next).await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(shown(&second.text), 2);
    assert!(!second.text.contains("cursor"), "{}", second.text);
    // A decided one leaves the open list for the decided
    let path = format!("/admin/complaints/{}", ids[0]);
    let done = admin
        .post(&path, &[("step", "confirm"), ("outcome", "noted")])
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let decided = admin.get("/admin/complaints?status=decided").await;
    assert_eq!(shown(&decided.text), 1);
    assert!(decided.text.contains(&ids[0]));
    // A cursor that names nothing is an empty page, not an error
    let odd = admin
        .get("/admin/complaints?cursor=%22%3C%3E&status=nonsense")
        .await;
    assert_eq!(odd.status, 200, "{}", odd.text);
}

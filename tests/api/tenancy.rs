//! Tenancy: a coordinator sees one organisation, a unit contact one unit; anything
//! else answers 404 exactly as if it did not exist.

use awc::http::Method;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Reply, TestApp, TestUser, World};

/// Organisation A (unit A1 with a case, and a sibling unit A2 with a case) and
/// organisation B with a returned case that has sessions, evidence and findings.
struct Tenants {
    a: World,
    sibling_unit: String,
    sibling_case: String,
    b: World,
    b_session: String,
    b_finding: String,
    coordinator: TestUser,
    contact: TestUser,
}

async fn given_two_tenants(app: &TestApp) -> Tenants {
    let a = app.given_a_case().await;
    let sibling_unit = app.create_unit(&a.organisation_id, 6).await;
    let sibling_case = app
        .enrol(&a.consultant.token, &sibling_unit)
        .await
        .should_be(201)
        .id();
    let b = app.given_a_case_in("audit").await;
    app.return_with(&b, json!([{ "severity": "minor", "text": "Fix it" }]))
        .await
        .should_be(200);
    let b_session = app
        .get_sessions(&app.admin.token, &b.case_id)
        .await
        .should_be(200)
        .ids()[0]
        .clone();
    let b_finding = app
        .get_findings(&app.admin.token, &b.case_id)
        .await
        .should_be(200)
        .ids()[0]
        .clone();
    let coordinator = app
        .create_user("coordinator", Some(&a.organisation_id), None)
        .await;
    let contact = app
        .create_user("unit_contact", None, Some(&a.unit_id))
        .await;
    Tenants {
        a,
        sibling_unit,
        sibling_case,
        b,
        b_session,
        b_finding,
        coordinator,
        contact,
    }
}

/// Every read and write of one case (and its unit and organisation) as requests.
fn everything_of(
    org: &str,
    unit: &str,
    case: &str,
    session: Option<&str>,
    finding: Option<&str>,
) -> Vec<(Method, String, Option<Value>)> {
    let c = format!("/api/v1/cases/{case}");
    let mut requests = vec![
        (Method::GET, format!("/api/v1/organisations/{org}"), None),
        (
            Method::POST,
            format!("/api/v1/organisations/{org}/units"),
            Some(json!({ "name": "X", "headcount": 3 })),
        ),
        (Method::GET, format!("/api/v1/units/{unit}"), None),
        (
            Method::PATCH,
            format!("/api/v1/units/{unit}"),
            Some(json!({ "headcount": 3 })),
        ),
        (Method::GET, c.clone(), None),
        (Method::GET, format!("{c}/events"), None),
        (Method::GET, format!("{c}/sessions"), None),
        (Method::GET, format!("{c}/evidence"), None),
        (Method::GET, format!("{c}/findings"), None),
        (Method::GET, format!("{c}/certificate"), None),
        (
            Method::POST,
            format!("{c}/sessions"),
            Some(json!({ "kind": "workshop", "title": "X",
            "starts_at": "2026-03-01T09:00:00Z", "ends_at": "2026-03-01T10:00:00Z" })),
        ),
        (
            Method::PUT,
            format!("{c}/reflections"),
            Some(json!({ "completed": 1 })),
        ),
        (
            Method::POST,
            format!("{c}/evidence"),
            Some(json!({ "area": "apt", "description": "X" })),
        ),
        (
            Method::POST,
            format!("{c}/transitions"),
            Some(json!({ "action": "pause" })),
        ),
        (
            Method::POST,
            format!("{c}/transitions"),
            Some(json!({ "action": "approve", "findings": [] })),
        ),
    ];
    if let Some(sid) = session {
        requests.push((
            Method::PATCH,
            format!("{c}/sessions/{sid}"),
            Some(json!({ "title": "X" })),
        ));
        requests.push((Method::DELETE, format!("{c}/sessions/{sid}"), None));
        requests.push((
            Method::PUT,
            format!("{c}/sessions/{sid}/attendance"),
            Some(json!({ "attended": 1 })),
        ));
    }
    if let Some(fid) = finding {
        requests.push((
            Method::PUT,
            format!("{c}/findings/{fid}"),
            Some(json!({ "resolution": "X" })),
        ));
    }
    requests
}

/// Sends each request as `user`; each must be 404 with the same problem as a case that
/// does not exist.
async fn all_not_found(
    app: &TestApp,
    user: &TestUser,
    requests: Vec<(Method, String, Option<Value>)>,
) {
    let missing = app
        .get_case(&app.admin.token, "no-such-case")
        .await
        .should_be_problem(404, None);
    for (method, path, body) in requests {
        let etag = [("If-Match", "\"1000\"")];
        let reply: Reply = app
            .call(
                method.clone(),
                &path,
                Some(&user.token),
                &etag,
                body.as_ref(),
            )
            .await;
        assert_eq!(
            reply.status.as_u16(),
            404,
            "{} {method} {path}: {}",
            user.role,
            reply.text
        );
        assert_eq!(
            reply.body["type"], missing.body["type"],
            "{method} {path}: {}",
            reply.text
        );
        assert_eq!(
            reply.body["title"], missing.body["title"],
            "{method} {path}: {}",
            reply.text
        );
    }
}

#[actix_rt::test]
async fn a_coordinator_gets_404_for_everything_of_another_organisation() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    // Their own organisation's cases, both units, are readable
    app.get_case(&t.coordinator.token, &t.a.case_id)
        .await
        .should_be(200);
    app.get_case(&t.coordinator.token, &t.sibling_case)
        .await
        .should_be(200);
    app.get_unit(&t.coordinator.token, &t.sibling_unit)
        .await
        .should_be(200);
    // Another organisation's are not, and nothing of it changes
    let version = app.version(&t.b.case_id).await;
    let requests = everything_of(
        &t.b.organisation_id,
        &t.b.unit_id,
        &t.b.case_id,
        Some(&t.b_session),
        Some(&t.b_finding),
    );
    all_not_found(&app, &t.coordinator, requests).await;
    assert_eq!(app.version(&t.b.case_id).await, version);
}

#[actix_rt::test]
async fn a_unit_contact_gets_404_for_everything_of_another_organisation() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    app.get_case(&t.contact.token, &t.a.case_id)
        .await
        .should_be(200);
    let version = app.version(&t.b.case_id).await;
    let requests = everything_of(
        &t.b.organisation_id,
        &t.b.unit_id,
        &t.b.case_id,
        Some(&t.b_session),
        Some(&t.b_finding),
    );
    all_not_found(&app, &t.contact, requests).await;
    assert_eq!(app.version(&t.b.case_id).await, version);
}

#[actix_rt::test]
async fn a_unit_contact_gets_404_for_another_unit_of_their_own_organisation() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let sid = app
        .schedule_session(&t.a.consultant.token, &t.sibling_case, "kickoff", -1)
        .await;
    let version = app.version(&t.sibling_case).await;
    let requests: Vec<_> = everything_of(
        &t.a.organisation_id,
        &t.sibling_unit,
        &t.sibling_case,
        Some(&sid),
        None,
    )
    .into_iter()
    .filter(|(_, path, _)| !path.starts_with("/api/v1/organisations/"))
    .collect();
    all_not_found(&app, &t.contact, requests).await;
    assert_eq!(app.version(&t.sibling_case).await, version);
}

#[actix_rt::test]
async fn a_coordinator_lists_only_their_own_organisation_its_units_and_cases() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let token = &t.coordinator.token;
    let orgs = app.get_organisations(token, "").await.should_be(200).ids();
    assert_eq!(orgs, vec![t.a.organisation_id.clone()]);
    let mut units = app.get_units(token, "").await.should_be(200).ids();
    units.sort();
    let mut expected = vec![t.a.unit_id.clone(), t.sibling_unit.clone()];
    expected.sort();
    assert_eq!(units, expected);
    let mut cases = app.get_cases(token, "").await.should_be(200).ids();
    cases.sort();
    let mut expected = vec![t.a.case_id.clone(), t.sibling_case.clone()];
    expected.sort();
    assert_eq!(cases, expected);
    let filtered = app
        .get_cases(token, &format!("?organisation_id={}", t.b.organisation_id))
        .await;
    if filtered.status.is_success() {
        assert!(
            filtered.items().is_empty(),
            "no case of B: {}",
            filtered.text
        );
    } else {
        filtered.should_be_problem(404, None);
    }
}

#[actix_rt::test]
async fn a_unit_contact_lists_only_their_own_unit_and_its_cases() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let token = &t.contact.token;
    assert_eq!(
        app.get_units(token, "").await.should_be(200).ids(),
        vec![t.a.unit_id.clone()]
    );
    assert_eq!(
        app.get_cases(token, "").await.should_be(200).ids(),
        vec![t.a.case_id.clone()]
    );
    let orgs = app.get_organisations(token, "").await.should_be(200).ids();
    assert!(
        !orgs.contains(&t.b.organisation_id),
        "not organisation B: {orgs:?}"
    );
}

#[actix_rt::test]
async fn staff_read_every_organisation() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let auditor = &t.a.auditor;
    app.get_case(&auditor.token, &t.b.case_id)
        .await
        .should_be(200);
    app.get_organisation(&t.a.consultant.token, &t.b.organisation_id)
        .await
        .should_be(200);
    let cases = app.get_cases(&auditor.token, "").await.should_be(200).ids();
    assert_eq!(cases.len(), 3, "{cases:?}");
}

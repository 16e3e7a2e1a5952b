//! Tenancy of the pages and of a certificate that exists: another organisation's case,
//! audit, calendar file, certificate PDF, dashboard and CSV answer 404 exactly like a
//! page that does not exist, and every web POST into another organisation's case is
//! refused and changes nothing. Each 404 is paired with a 200 for someone who may see
//! the same thing, so a path that is simply wrong cannot pass.

use crate::helpers::{spawn_app, TestApp, TestUser, World};
use crate::web_session::{assert_unchanged, snapshot, Web};

/// Organisation A (a case, its coordinator and unit contact) and organisation B (a
/// certified case, with a held session, and its coordinator).
struct Tenants {
    a: World,
    a_coordinator: TestUser,
    a_contact: TestUser,
    b: World,
    b_session: String,
    b_coordinator: TestUser,
    b_contact: TestUser,
}

async fn given_two_tenants(app: &TestApp) -> Tenants {
    let a = app.given_a_case().await;
    let b = app.given_a_case_in("certified").await;
    let b_session = app
        .get_sessions(&app.admin.token, &b.case_id)
        .await
        .should_be(200)
        .ids()[0]
        .clone();
    let a_coordinator = app
        .create_user("coordinator", Some(&a.organisation_id), None)
        .await;
    let a_contact = app
        .create_user("unit_contact", None, Some(&a.unit_id))
        .await;
    let b_coordinator = app
        .create_user("coordinator", Some(&b.organisation_id), None)
        .await;
    let b_contact = app
        .create_user("unit_contact", None, Some(&b.unit_id))
        .await;
    Tenants {
        a,
        a_coordinator,
        a_contact,
        b,
        b_session,
        b_coordinator,
        b_contact,
    }
}

/// Every page of B's case and organisation a reader might open.
fn pages_of_b(t: &Tenants) -> Vec<String> {
    let (org, case) = (&t.b.organisation_id, &t.b.case_id);
    vec![
        format!("/cases/{case}"),
        format!("/cases/{case}/sessions/{}/calendar.ics", t.b_session),
        format!("/cases/{case}/certificate.pdf"),
        format!("/organisations/{org}/dashboard"),
        format!("/organisations/{org}/cases.csv"),
    ]
}

/// Asserts `path` is the same 404 page as a case that does not exist.
async fn assert_not_found(web: &mut Web, who: &str, path: &str) {
    let missing = web.get("/cases/no-such-case").await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    let page = web.get(path).await;
    assert_eq!(page.status, 404, "{who} gets 404 for {path}: {}", page.text);
    assert_eq!(
        page.text, missing.text,
        "{who}: {path} looks exactly like a page that does not exist"
    );
}

#[actix_rt::test]
async fn another_organisations_pages_answer_404_to_its_coordinator_and_unit_contact() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;

    // Those who may see B's pages get them: the paths are right.
    let mut b_coordinator = Web::login(&app, &t.b_coordinator.email).await;
    for path in pages_of_b(&t) {
        let page = b_coordinator.get(&path).await;
        assert_eq!(
            page.status, 200,
            "B's coordinator opens {path}: {}",
            page.text
        );
    }
    let mut b_contact = Web::login(&app, &t.b_contact.email).await;
    for path in pages_of_b(&t).into_iter().take(3) {
        let page = b_contact.get(&path).await;
        assert_eq!(
            page.status, 200,
            "B's unit contact opens {path}: {}",
            page.text
        );
    }
    let mut b_auditor = Web::login(&app, &t.b.auditor.email).await;
    let audit = format!("/audits/{}", t.b.case_id);
    assert_eq!(
        b_auditor.get(&audit).await.status,
        200,
        "B's auditor opens {audit}"
    );

    for (who, user) in [
        ("A's coordinator", &t.a_coordinator),
        ("A's unit contact", &t.a_contact),
    ] {
        let mut web = Web::login(&app, &user.email).await;
        for path in pages_of_b(&t) {
            assert_not_found(&mut web, who, &path).await;
        }
        assert_not_found(&mut web, who, &audit).await;
        // Their own case is there, so the 404 is about B.
        let own = web.get(&format!("/cases/{}", t.a.case_id)).await;
        assert_eq!(own.status, 200, "{who} opens their own case: {}", own.text);
    }
}

#[actix_rt::test]
async fn a_web_post_into_another_organisations_case_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let (org, case) = (&t.b.organisation_id, &t.b.case_id);
    let version = app.version(case).await.to_string();
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/cases/{case}/sessions"),
            vec![
                ("kind", "supervision"),
                ("title", "Intrång"),
                ("starts_at", "2026-04-01T10:00"),
                ("ends_at", "2026-04-01T12:00"),
            ],
        ),
        (
            format!("/cases/{case}/sessions/{}/attendance", t.b_session),
            vec![("attended", "1")],
        ),
        (
            format!("/cases/{case}/sessions/{}/cancel", t.b_session),
            vec![],
        ),
        (
            format!("/cases/{case}/sessions/{}/cancel", t.b_session),
            vec![("step", "confirm")],
        ),
        (
            format!(
                "/cases/{case}/sessions/{}/attendance/correction",
                t.b_session
            ),
            vec![("attended", "1"), ("reason", "Intrång")],
        ),
        (
            format!("/cases/{case}/findings/no-such-finding/correction"),
            vec![("resolution", ""), ("reason", "Intrång")],
        ),
        (
            format!("/cases/{case}/transitions"),
            vec![("action", "withdraw"), ("version", version.as_str())],
        ),
        (
            format!("/cases/{case}/reflections"),
            vec![("completed", "1")],
        ),
        (
            format!("/cases/{case}/evidence"),
            vec![("area", "apt"), ("description", "Intrång")],
        ),
        (
            format!("/cases/{case}/findings/no-such-finding"),
            vec![("resolution", "Intrång")],
        ),
        (
            format!("/cases/{case}/transitions"),
            vec![("action", "renew"), ("version", version.as_str())],
        ),
        (
            format!("/audits/{case}"),
            vec![("action", "approve"), ("version", version.as_str())],
        ),
        (
            format!("/admin/organisations/{org}/units"),
            vec![("name", "Intrång"), ("headcount", "3")],
        ),
        (
            format!("/admin/organisations/{org}/enrol"),
            vec![("unit_id", t.b.unit_id.as_str()), ("programme_id", "x")],
        ),
    ];
    let before = snapshot(&app).await;
    for (who, user) in [
        ("A's coordinator", &t.a_coordinator),
        ("A's unit contact", &t.a_contact),
    ] {
        let mut web = Web::login(&app, &user.email).await;
        for (path, fields) in &posts {
            let page = web.post(path, fields).await;
            assert!(
                page.status == 404 || page.status == 403,
                "{who}: POST {path} is refused: {} {}",
                page.status,
                page.text
            );
            // Only a role refusal may say 403; for a case the answer is 404, as if
            // it did not exist.
            if path.starts_with("/cases/") || path.starts_with("/audits/") {
                assert_eq!(page.status, 404, "{who}: POST {path}: {}", page.text);
            }
            let after = snapshot(&app).await;
            assert_unchanged(&before, &after, &format!("{who}: POST {path}"));
        }
    }
    // B's own unit contact may add evidence to B's case: the refusal above is tenancy.
    let mut b_contact = Web::login(&app, &t.b_contact.email).await;
    let page = b_contact
        .post(
            &format!("/cases/{case}/evidence"),
            &[("area", "apt"), ("description", "Eget underlag")],
        )
        .await;
    assert_ne!(page.status, 404, "{}", page.text);
    assert_ne!(page.status, 403, "{}", page.text);
}

#[actix_rt::test]
async fn an_issued_certificate_of_another_organisation_answers_404_in_the_api() {
    let app = spawn_app().await;
    let t = given_two_tenants(&app).await;
    let case = &t.b.case_id;
    let paths = [
        format!("/cases/{case}/certificate"),
        format!("/cases/{case}/certificate.pdf"),
        format!("/cases/{case}/certificate.jwt"),
    ];
    for path in &paths {
        for (who, token) in [
            ("B's coordinator", &t.b_coordinator.token),
            ("B's unit contact", &t.b_contact.token),
            ("the admin", &app.admin.token),
        ] {
            let reply = app.get(token, path).await;
            assert_eq!(
                reply.status.as_u16(),
                200,
                "{who} reads {path}: {}",
                reply.text
            );
        }
    }
    let missing = app
        .get(&app.admin.token, "/cases/no-such-case/certificate")
        .await
        .should_be_problem(404, None);
    for (who, token) in [
        ("A's coordinator", &t.a_coordinator.token),
        ("A's unit contact", &t.a_contact.token),
    ] {
        for path in &paths {
            let reply = app.get(token, path).await.should_be_problem(404, None);
            assert_eq!(
                reply.body["title"], missing.body["title"],
                "{who}: {path} answers like a case that does not exist: {}",
                reply.text
            );
            assert!(
                !reply.text.contains(&t.b.unit_id) && !reply.text.contains("verification"),
                "{who}: {path} leaks nothing of the certificate: {}",
                reply.text
            );
        }
    }
    // The certificate is still there for B after A's attempts.
    app.get(&t.b_coordinator.token, &paths[0])
        .await
        .should_be(200);
}

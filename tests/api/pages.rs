//! What the pages offer is what the policy and the workflow allow: a form appears only
//! where its action would be accepted, and a role refused an admin page gets the
//! status the API gives it.

use awc::http::Method;
use serde_json::json;

use crate::helpers::{spawn_app, Reply, TestApp, TestUser};

/// A page as the person with `token` sees it (the session cookie holds the token).
pub(crate) async fn page(app: &TestApp, token: &str, path: &str) -> Reply {
    let cookie = format!("stegvis_session={token}");
    app.call(
        Method::GET,
        path,
        None,
        &[("Cookie", cookie.as_str())],
        None,
    )
    .await
}

/// The ids of the forms among `candidates` that the page shows.
fn forms(reply: &Reply, candidates: &[&'static str]) -> Vec<&'static str> {
    candidates
        .iter()
        .copied()
        .filter(|id| {
            reply
                .text
                .contains(&format!("id=\"{id}\" class=\"stacked\""))
        })
        .collect()
}

const CASE_FORMS: [&str; 12] = [
    "schedule",
    "reflections",
    "evidence",
    "advance",
    "request_audit",
    "pause",
    "resume",
    "withdraw",
    "renew",
    "suspend",
    "reinstate",
    "revoke",
];

#[actix_rt::test]
async fn a_role_refused_the_admin_pages_gets_the_status_the_api_gives() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let people: [(&str, &TestUser); 4] = [
        ("consultant", &world.consultant),
        ("auditor", &world.auditor),
        ("coordinator", &coordinator),
        ("unit contact", &contact),
    ];
    for (who, user) in people {
        let api_users = app.get_users(&user.token, "").await.status;
        assert_eq!(api_users, 403, "{who}: the API refuses the user list");
        for path in ["/admin", "/admin/users"] {
            let status = page(&app, &user.token, path).await.status;
            assert_eq!(status, api_users, "{who} on {path}");
        }
        let api_mail = app.get(&user.token, "/admin/mail").await.status;
        assert_eq!(
            page(&app, &user.token, "/admin/mail").await.status,
            api_mail,
            "{who}"
        );
    }
    for path in ["/admin", "/admin/users", "/admin/mail"] {
        assert_eq!(
            page(&app, &app.admin.token, path).await.status,
            200,
            "{path}"
        );
    }
}

#[actix_rt::test]
async fn the_organisation_page_offers_its_forms_only_to_those_who_may_use_them() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    // A unit with no case: the enrol form offers only units without a live case.
    app.create_unit(&world.organisation_id, 6).await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let path = format!("/admin/organisations/{}", world.organisation_id);
    let offered = [
        (&app.admin.token, vec!["unit", "import", "enrol"], true),
        (
            &world.consultant.token,
            vec!["unit", "import", "enrol"],
            true,
        ),
        (&coordinator.token, vec![], true),
        (&contact.token, vec![], false),
    ];
    for (token, expected, dashboard) in offered {
        let reply = page(&app, token, &path).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(
            forms(&reply, &["unit", "import", "enrol", "organisation"]),
            expected
        );
        let link = format!("/organisations/{}/dashboard", world.organisation_id);
        assert_eq!(reply.text.contains(&link), dashboard, "the dashboard link");
    }
    // The organisation and programme forms are the admin's.
    let organisations = page(&app, &world.consultant.token, "/admin/organisations").await;
    assert_eq!(forms(&organisations, &["organisation"]), Vec::<&str>::new());
    let programmes = page(&app, &world.consultant.token, "/admin/programmes").await;
    assert_eq!(forms(&programmes, &["programme"]), Vec::<&str>::new());
    let programmes = page(&app, &app.admin.token, "/admin/programmes").await;
    assert_eq!(forms(&programmes, &["programme"]), vec!["programme"]);
}

#[actix_rt::test]
async fn the_case_page_offers_the_forms_of_the_actions_the_case_admits_for_the_person() {
    // Given an active case in kickoff
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let path = format!("/cases/{}", world.case_id);
    let shown = |reply: &Reply| forms(reply, &CASE_FORMS);

    // Its consultant and the admin steer it; the unit's contact adds evidence
    let steering = vec!["schedule", "evidence", "advance", "pause", "withdraw"];
    assert_eq!(
        shown(&page(&app, &world.consultant.token, &path).await),
        steering
    );
    assert_eq!(shown(&page(&app, &app.admin.token, &path).await), steering);
    assert_eq!(
        shown(&page(&app, &contact.token, &path).await),
        vec!["evidence"]
    );
    // and the auditor and the coordinator only read it
    for token in [&world.auditor.token, &coordinator.token] {
        let reply = page(&app, token, &path).await;
        assert_eq!(reply.status, 200);
        assert_eq!(shown(&reply), Vec::<&str>::new());
    }

    // When it is paused, only resume and withdraw are offered, to those who steer
    app.transition(
        &world.consultant.token,
        &world.case_id,
        &json!({ "action": "pause" }),
    )
    .await
    .should_be(200);
    let paused = page(&app, &world.consultant.token, &path).await;
    assert_eq!(shown(&paused), vec!["resume", "withdraw"]);
    assert_eq!(
        shown(&page(&app, &contact.token, &path).await),
        Vec::<&str>::new()
    );
}

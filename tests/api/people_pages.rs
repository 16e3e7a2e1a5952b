//! The people pages over HTTP: the user list's search and filters, one user's page
//! (edit, close, erase after asking, export), the profile, the audit log, the
//! password reset pages, and 403 for those who may not.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::web_session::{csrf_of, Web};

const NEW_PASSWORD: &str = "a brand new and long passphrase";

async fn person(app: &TestApp, name: &str, role: &str, extra: serde_json::Value) -> String {
    let mut body = json!({
        "email": format!("{}@example.se", name.to_lowercase().replace(' ', ".")),
        "name": name, "role": role, "password": PASSWORD,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post_users(&app.admin.token, &body)
        .await
        .should_be(201)
        .id()
}

#[actix_rt::test]
async fn the_user_list_is_searched_by_name_and_address_and_filtered() {
    // Given people of several roles, one closed, one in an organisation
    let app = spawn_app().await;
    let org = app.create_organisation("Sollentuna kommun").await;
    person(&app, "Åsa Öberg", "consultant", json!({})).await;
    person(&app, "Bertil Berg", "auditor", json!({})).await;
    person(
        &app,
        "Cilla Samordnare",
        "coordinator",
        json!({ "organisation_id": org }),
    )
    .await;
    let closed = person(&app, "Dag Stängd", "consultant", json!({})).await;
    app.patch(
        &app.admin.token,
        &format!("/users/{closed}"),
        &json!({ "active": false }),
    )
    .await
    .should_be(200);
    let mut web = Web::login(&app, &app.admin.email).await;
    let names_in = |text: &str| -> Vec<&'static str> {
        ["Åsa Öberg", "Bertil Berg", "Cilla Samordnare", "Dag Stängd"]
            .into_iter()
            .filter(|n| text.contains(n))
            .collect()
    };
    // A search without case, in names (Swedish letters too) and in addresses
    let page = web.get("/admin/users?q=%C3%B6BERG").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(names_in(&page.text), ["Åsa Öberg"]);
    let page = web.get("/admin/users?q=bertil.berg%40").await;
    assert_eq!(names_in(&page.text), ["Bertil Berg"]);
    // Filters: role, organisation, closed accounts
    let page = web.get("/admin/users?role=consultant").await;
    assert_eq!(names_in(&page.text), ["Åsa Öberg", "Dag Stängd"]);
    let page = web
        .get(&format!("/admin/users?organisation_id={org}"))
        .await;
    assert_eq!(names_in(&page.text), ["Cilla Samordnare"]);
    let page = web.get("/admin/users?status=closed").await;
    assert_eq!(names_in(&page.text), ["Dag Stängd"]);
    let page = web.get("/admin/users?status=active&role=consultant").await;
    assert_eq!(names_in(&page.text), ["Åsa Öberg"]);
    // And each user is a link to their page
    assert!(page.text.contains("href=\"/admin/users/"), "{}", page.text);
}

#[actix_rt::test]
async fn a_users_page_edits_shows_the_language_as_a_word_and_shows_every_error_at_once() {
    let app = spawn_app().await;
    let id = person(
        &app,
        "Erik Engelsk",
        "consultant",
        json!({ "language": "en" }),
    )
    .await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let path = format!("/admin/users/{id}");
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("<dd>Engelska</dd>"), "{}", page.text);
    assert!(page.text.contains(&format!("{path}/export")));
    // Two mistakes at once: no name, and a coordinator without an organisation
    let refused = web
        .post(
            &path,
            &[
                ("name", ""),
                ("role", "coordinator"),
                ("organisation_id", ""),
                ("unit_id", ""),
                ("language", "sv"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for field in ["user_edit-name-error", "user_edit-organisation_id-error"] {
        assert!(refused.text.contains(field), "{field}: {}", refused.text);
    }
    let unchanged = app.get(&app.admin.token, "/users?role=consultant").await;
    assert!(unchanged.text.contains("Erik Engelsk"));
    // A valid change is saved
    let saved = web
        .post(
            &path,
            &[
                ("name", "Erik Svensk"),
                ("role", "auditor"),
                ("organisation_id", ""),
                ("unit_id", ""),
                ("language", "sv"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let users = app.get(&app.admin.token, "/users?role=auditor").await;
    assert!(users.text.contains("Erik Svensk"), "{}", users.text);
}

#[actix_rt::test]
async fn closing_and_erasing_from_the_users_page_and_erasure_asks_first() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let path = format!("/admin/users/{}", consultant.id);
    // Closing the account ends their token at once
    let closed = web
        .post(&format!("{path}/active"), &[("active", "false")])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.text);
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
    // Erasure shows what is about to happen and changes nothing yet
    let asked = web
        .post(&format!("{path}/erase"), &[("step", "review")])
        .await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(asked.text.contains(&consultant.email), "{}", asked.text);
    assert!(asked.text.contains("name=\"step\" value=\"confirm\""));
    let still = app
        .get(
            &app.admin.token,
            &format!("/users/{}/export", consultant.id),
        )
        .await
        .should_be(200);
    assert_eq!(still.body["profile"]["email"], consultant.email.as_str());
    // Confirmed, the person is a pseudonym
    let erased = web
        .post(&format!("{path}/erase"), &[("step", "confirm")])
        .await;
    assert_eq!(erased.status, 303, "{}", erased.text);
    let page = web.get(&path).await;
    assert!(page.text.contains("Raderad användare"), "{}", page.text);
    assert!(!page.text.contains(&consultant.email));
    // The export link downloads JSON
    let file = web.get(&format!("{path}/export")).await;
    assert_eq!(file.status, 200);
    assert!(file
        .header("content-disposition")
        .is_some_and(|d| d.contains("attachment")));
}

#[actix_rt::test]
async fn the_profile_changes_name_language_and_password_and_other_sessions_end() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut web = Web::login(&app, &consultant.email).await;
    let page = web.get("/profile").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("href=\"/profile\""),
        "the menu has the profile"
    );
    // Name and language
    let saved = web
        .post(
            "/profile",
            &[("name", "Ny Namnsdotter"), ("language", "en")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let me = app.get_me(&consultant.token).await.should_be(200);
    assert_eq!(me.body["name"], "Ny Namnsdotter");
    assert_eq!(me.body["language"], "en");
    // A wrong current password and a short new one: both errors at once, no change
    let refused = web
        .post(
            "/profile/password",
            &[
                ("current_password", "wrong wrong wrong"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for field in [
        "profile_password-current_password-error",
        "profile_password-password-error",
    ] {
        assert!(refused.text.contains(field), "{field}: {}", refused.text);
    }
    assert!(!refused.text.contains("wrong wrong wrong"));
    app.get_me(&consultant.token).await.should_be(200);
    // The right one: the API token ends, this session stays
    let changed = web
        .post(
            "/profile/password",
            &[("current_password", PASSWORD), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.text);
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
    assert_eq!(web.get("/profile").await.status, 200);
    app.login(&consultant.email, NEW_PASSWORD).await;
}

#[actix_rt::test]
async fn those_who_are_not_admins_get_403_on_the_people_pages() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let other = app.create_user("auditor", None, None).await;
    let mut web = Web::login(&app, &consultant.email).await;
    for path in [
        format!("/admin/users/{}", other.id),
        format!("/admin/users/{}/export", other.id),
        "/admin/audit-log".to_string(),
    ] {
        assert_eq!(web.get(&path).await.status, 403, "{path}");
    }
    let page = web
        .post(
            &format!("/admin/users/{}/active", other.id),
            &[("active", "false")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.text);
    app.get_me(&other.token).await.should_be(200);
    // Their own data they may download
    assert_eq!(web.get("/profile/export").await.status, 200);
}

#[actix_rt::test]
async fn the_audit_log_page_lists_sign_ins_and_filters_by_kind() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    app.post_token(&consultant.email, "not the password at all")
        .await
        .should_be(401);
    let mut web = Web::login(&app, &app.admin.email).await;
    let page = web.get("/admin/audit-log").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Misslyckad inloggning"), "{}", page.text);
    assert!(page.text.contains("A consultant"), "{}", page.text);
    let page = web.get("/admin/audit-log?kind=sign_in_failed").await;
    assert!(!page.text.contains("<td>Inloggning</td>"), "{}", page.text);
    let page = web.get("/admin/audit-log?since=not-a-date").await;
    assert_eq!(page.status, 422, "{}", page.text);
}

#[actix_rt::test]
async fn the_password_reset_pages_send_a_link_and_set_the_password() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut web = Web::anonymous(&app);
    let login = web.get("/login").await;
    assert!(
        login.text.contains("href=\"/password-reset\""),
        "{}",
        login.text
    );
    let form = web.get("/password-reset").await;
    assert_eq!(form.status, 200, "{}", form.text);
    let csrf = csrf_of(&form.text);
    // Without the form's token: refused, no mail
    let refused = web
        .post_raw("/password-reset", &[("email", &consultant.email)])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(app.outbox_to(&consultant.email).is_empty());
    // With it: the same words for a known and an unknown address
    let known = web
        .post_raw(
            "/password-reset",
            &[("email", &consultant.email), ("csrf", &csrf)],
        )
        .await;
    let unknown = web
        .post_raw(
            "/password-reset",
            &[("email", "nobody@example.se"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(known.status, 200, "{}", known.text);
    assert_eq!(known.text, unknown.text);
    let token = app.newest_link_token(&consultant.email);
    // The link's page; a wrong password is refused next to its field
    let path = format!("/password-reset/{token}");
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let short = web
        .post_raw(&path, &[("password", "short"), ("csrf", &csrf)])
        .await;
    assert_eq!(short.status, 422, "{}", short.text);
    assert!(
        short.text.contains("new_password-password-error"),
        "{}",
        short.text
    );
    let no_token = web.post_raw(&path, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(no_token.status, 403);
    let done = web
        .post_raw(&path, &[("password", NEW_PASSWORD), ("csrf", &csrf)])
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    app.login(&consultant.email, NEW_PASSWORD).await;
    // Used, the link's page says it does not work
    assert_eq!(web.get(&path).await.status, 404);
    let again = web
        .post_raw(&path, &[("password", NEW_PASSWORD), ("csrf", &csrf)])
        .await;
    assert_eq!(again.status, 404);
}

#[actix_rt::test]
async fn a_user_added_on_the_page_without_a_password_gets_a_welcome_link() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let email = "utan-losenord@example.se";
    let page = web
        .post(
            "/admin/users",
            &[
                ("name", "Ulla Utan"),
                ("email", email),
                ("role", "consultant"),
                ("organisation_id", ""),
                ("unit_id", ""),
                ("language", "sv"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.text);
    let mails = app.outbox_to(email);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "welcome");
    let log = app
        .get(&app.admin.token, "/audit-log?kind=welcome_sent")
        .await
        .should_be(200);
    assert_eq!(log.items().len(), 1, "{}", log.text);
    assert_eq!(log.items()[0]["actor_id"], app.admin.id.as_str());
}

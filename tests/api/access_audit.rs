//! `GET /audit-log`: sign-ins, failed sign-ins, sign-outs and changes to accounts as
//! structured access events, filtered and paged; never a password or a token.

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};

#[actix_rt::test]
async fn sign_ins_failures_sign_outs_and_account_changes_are_recorded() {
    // Given a consultant who signs in, fails once, signs out, and whose account the
    // admin changes
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    app.post_token(&consultant.email, "not the password at all")
        .await
        .should_be_problem(401, None);
    app.post_token("stranger-danger@example.org", "whatever it may be")
        .await
        .should_be_problem(401, None);
    app.delete(&consultant.token, "/auth/token")
        .await
        .should_be(204);
    let path = format!("/users/{}", consultant.id);
    for body in [
        json!({ "role": "auditor" }),
        json!({ "active": false }),
        json!({ "active": true }),
    ] {
        app.patch(&app.admin.token, &path, &body)
            .await
            .should_be(200);
    }

    // When the admin reads the log of that user
    let log = app
        .get(
            &app.admin.token,
            &format!("/audit-log?user_id={}", consultant.id),
        )
        .await
        .should_be(200);

    // Then every event is there, newest first, with who, whom, when and from where
    let kinds: Vec<String> = log
        .items()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "reactivated",
            "deactivated",
            "role_changed",
            "sign_out",
            "sign_in_failed",
            "sign_in"
        ],
        "{}",
        log.text
    );
    let items = log.items();
    assert_eq!(items[2]["actor_id"], app.admin.id.as_str());
    assert_eq!(items[2]["subject_id"], consultant.id.as_str());
    assert_eq!(items[2]["detail"], "auditor");
    assert!(items[4]["actor_id"].is_null());
    for item in &items {
        assert_eq!(item["at"], "2026-03-02T09:00:00Z", "{item}");
        assert_eq!(item["client"], "127.0.0.1", "{item}");
    }
    // And a failed sign-in of an unknown address keeps the address masked
    let failed = app
        .get(&app.admin.token, "/audit-log?kind=sign_in_failed")
        .await
        .should_be(200);
    let masked: Vec<serde_json::Value> = failed
        .items()
        .into_iter()
        .filter(|e| e["subject_id"].is_null())
        .collect();
    assert_eq!(masked.len(), 1, "{}", failed.text);
    assert_eq!(masked[0]["subject_hint"], "s…@example.org");
    // And no password or token appears anywhere in the log
    let everything = app
        .get(&app.admin.token, "/audit-log?limit=200")
        .await
        .should_be(200);
    for secret in [
        PASSWORD,
        "not the password at all",
        "stranger-danger",
        consultant.token.as_str(),
        app.admin.token.as_str(),
    ] {
        assert!(
            !everything.text.contains(secret),
            "{secret} in {}",
            everything.text
        );
    }
}

#[actix_rt::test]
async fn the_log_is_filtered_by_kind_and_time_and_paged() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    app.clock.advance(chrono::Duration::hours(2));
    app.login(&consultant.email, PASSWORD).await;
    app.login(&consultant.email, PASSWORD).await;
    // Since a time: only the two later sign-ins
    let since = app
        .get(
            &app.admin.token,
            "/audit-log?kind=sign_in&since=2026-03-02T10:00:00Z",
        )
        .await
        .should_be(200);
    assert_eq!(since.items().len(), 2, "{}", since.text);
    // Paged: one at a time, newest first, no event twice
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &app.admin.token,
                &format!("/audit-log?kind=sign_in&limit=1&cursor={cursor}"),
            )
            .await
            .should_be(200);
        seen.extend(page.ids());
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    // The admin's, the consultant's first, and the two later ones
    assert_eq!(seen.len(), 4, "{seen:?}");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
}

#[actix_rt::test]
async fn only_an_admin_reads_the_log_and_bad_filters_name_the_field() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    app.get(&consultant.token, "/audit-log")
        .await
        .should_be_problem(403, None);
    app.get(&app.admin.token, "/audit-log?kind=burglary")
        .await
        .should_be_problem(422, Some("kind"));
    app.get(&app.admin.token, "/audit-log?since=yesterday")
        .await
        .should_be_problem(422, Some("since"));
    app.get(&app.admin.token, "/audit-log?user_id=not%20an%20id")
        .await
        .should_be_problem(422, Some("user_id"));
}

//! Log-in, tokens, and the people endpoints.

use awc::http::Method;
use chrono::Duration;
use serde_json::json;

use crate::helpers::{random_hex, spawn_app, time, PASSWORD, START};

fn has_secret(value: &serde_json::Value) -> bool {
    let text = value.to_string().to_lowercase();
    text.contains("password") || text.contains("hash") || text.contains(PASSWORD)
}

#[actix_rt::test]
async fn logging_in_answers_a_token_that_lives_twelve_hours_and_the_user() {
    // Given a consultant
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    // When they log in
    let reply = app
        .post_token(&consultant.email, PASSWORD)
        .await
        .should_be(200);
    // Then they get a token, its expiry 12 h from the clock's now, and themself
    assert!(
        reply.body["token"].as_str().is_some_and(|t| !t.is_empty()),
        "{}",
        reply.text
    );
    let expires_at = time(reply.body["expires_at"].as_str().expect("expires_at"));
    assert_eq!(expires_at, time(START) + Duration::hours(12));
    assert_eq!(reply.body["user"]["id"], consultant.id);
    assert_eq!(reply.body["user"]["role"], "consultant");
    assert!(
        !has_secret(&reply.body["user"]),
        "no secret in {}",
        reply.text
    );
}

#[actix_rt::test]
async fn a_wrong_password_and_an_unknown_email_get_one_and_the_same_401() {
    // Given a user
    let app = spawn_app().await;
    let user = app.create_user("auditor", None, None).await;
    // When one logs in with the wrong password, and another with an unknown e-mail
    let wrong_password = app.post_token(&user.email, "not the password at all").await;
    let unknown_email = app.post_token("nobody@example.se", PASSWORD).await;
    // Then both are 401 and the answers cannot be told apart
    let wrong_password = wrong_password.should_be_problem(401, None);
    let unknown_email = unknown_email.should_be_problem(401, None);
    assert_eq!(wrong_password.body, unknown_email.body);
}

#[actix_rt::test]
async fn five_failed_logins_from_one_address_back_that_account_off_there_with_429_and_retry_after()
{
    // Given a user whose password was got wrong five times from this address
    let app = spawn_app().await;
    let user = app.create_user("consultant", None, None).await;
    for attempt in 1..=5 {
        let reply = app.post_token(&user.email, "guess guess guess").await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "failure {attempt}: {}",
            reply.text
        );
    }
    // When they try again from the same address, even with the right password
    let locked = app.post_token(&user.email, PASSWORD).await;
    // Then it is 429, saying how long to wait
    let locked = locked.should_be_problem(429, None);
    assert_eq!(locked.header("retry-after").as_deref(), Some("60"));
    // And another account is not affected
    app.post_token(&app.admin.email, PASSWORD)
        .await
        .should_be(200);
    // And once the back-off has passed, the right password works again
    app.clock.advance(Duration::seconds(61));
    app.post_token(&user.email, PASSWORD).await.should_be(200);
}

#[actix_rt::test]
async fn a_token_stops_working_after_twelve_hours() {
    // Given a logged-in consultant whose token works
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    app.get_me(&consultant.token).await.should_be(200);
    // When 13 hours pass
    app.clock.advance(Duration::hours(13));
    // Then the token is refused
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
}

#[actix_rt::test]
async fn a_request_without_a_token_or_with_a_bad_one_is_401_problem_json() {
    let app = spawn_app().await;
    let no_token = app.call(Method::GET, "/api/v1/me", None, &[], None).await;
    no_token.should_be_problem(401, None);
    app.get_me("not-a-token").await.should_be_problem(401, None);
    let tampered = format!("{}x", app.admin.token);
    app.get_cases(&tampered, "")
        .await
        .should_be_problem(401, None);
    let basic = [("Authorization", "Basic YWRtaW46YWRtaW4=")];
    let reply = app
        .call(Method::GET, "/api/v1/organisations", None, &basic, None)
        .await;
    reply.should_be_problem(401, None);
}

#[actix_rt::test]
async fn me_answers_the_caller_and_never_a_secret() {
    let app = spawn_app().await;
    let reply = app.get_me(&app.admin.token).await.should_be(200);
    assert_eq!(reply.body["id"], app.admin.id);
    assert_eq!(reply.body["email"], app.admin.email);
    assert_eq!(reply.body["role"], "admin");
    assert!(!has_secret(&reply.body), "no secret in {}", reply.text);
}

#[actix_rt::test]
async fn an_admin_creates_a_user_who_gets_201_a_location_and_swedish_by_default() {
    let app = spawn_app().await;
    let org = app.create_organisation("Järfälla kommun").await;
    let email = format!("coord-{}@example.se", random_hex());
    let body = json!({ "email": email, "name": "Cora", "role": "coordinator",
                       "organisation_id": org, "password": PASSWORD });
    let reply = app.post_users(&app.admin.token, &body).await.should_be(201);
    assert!(
        reply.header("location").is_some(),
        "a Location header: {:?}",
        reply.headers
    );
    assert_eq!(reply.body["email"], email);
    assert_eq!(reply.body["role"], "coordinator");
    assert_eq!(reply.body["organisation_id"], org);
    assert_eq!(reply.body["language"], "sv");
    assert!(!has_secret(&reply.body), "no secret in {}", reply.text);
}

#[actix_rt::test]
async fn a_second_user_with_the_same_email_is_409() {
    let app = spawn_app().await;
    let user = app.create_user("auditor", None, None).await;
    let body =
        json!({ "email": user.email, "name": "Twin", "role": "auditor", "password": PASSWORD });
    app.post_users(&app.admin.token, &body)
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn a_user_password_shorter_than_twelve_characters_is_422() {
    let app = spawn_app().await;
    let body = json!({ "email": "short@example.se", "name": "S", "role": "auditor", "password": "elevenchars" });
    app.post_users(&app.admin.token, &body)
        .await
        .should_be_problem(422, Some("password"));
    let users = app
        .get_users(&app.admin.token, "?limit=200")
        .await
        .should_be(200);
    assert!(
        !users.text.contains("short@example.se"),
        "nobody was created"
    );
}

#[actix_rt::test]
async fn a_coordinator_needs_an_organisation_and_a_unit_contact_needs_a_unit() {
    let app = spawn_app().await;
    for role in ["coordinator", "unit_contact"] {
        let body = json!({ "email": format!("{role}@example.se"), "name": "N", "role": role, "password": PASSWORD });
        let reply = app.post_users(&app.admin.token, &body).await;
        let field = if role == "coordinator" {
            "organisation_id"
        } else {
            "unit_id"
        };
        reply.should_be_problem(422, Some(field));
    }
}

#[actix_rt::test]
async fn an_unknown_role_or_language_is_422() {
    let app = spawn_app().await;
    let bad_role =
        json!({ "email": "r@example.se", "name": "R", "role": "superuser", "password": PASSWORD });
    app.post_users(&app.admin.token, &bad_role)
        .await
        .should_be_problem(422, Some("role"));
    let bad_language = json!({ "email": "l@example.se", "name": "L", "role": "auditor",
                               "language": "de", "password": PASSWORD });
    app.post_users(&app.admin.token, &bad_language)
        .await
        .should_be_problem(422, Some("language"));
}

#[actix_rt::test]
async fn only_an_admin_creates_and_lists_users() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let body =
        json!({ "email": "x@example.se", "name": "X", "role": "auditor", "password": PASSWORD });
    app.post_users(&consultant.token, &body)
        .await
        .should_be_problem(403, None);
    app.get_users(&consultant.token, "")
        .await
        .should_be_problem(403, None);
}

#[actix_rt::test]
async fn listing_users_by_role_answers_only_that_role() {
    let app = spawn_app().await;
    let auditor = app.create_user("auditor", None, None).await;
    let consultant = app.create_user("consultant", None, None).await;
    let reply = app
        .get_users(&app.admin.token, "?role=auditor")
        .await
        .should_be(200);
    let ids = reply.ids();
    assert!(
        ids.contains(&auditor.id),
        "the auditor is listed: {}",
        reply.text
    );
    assert!(
        !ids.contains(&consultant.id),
        "the consultant is not: {}",
        reply.text
    );
    assert!(reply.items().iter().all(|u| u["role"] == "auditor"));
}

#[actix_rt::test]
async fn a_revoked_token_stops_working_at_once_and_others_keep_working() {
    // Given a consultant logged in twice
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let second = app.login(&consultant.email, PASSWORD).await;
    // When the first token is revoked
    app.call(
        Method::DELETE,
        "/api/v1/auth/token",
        Some(&consultant.token),
        &[],
        None,
    )
    .await
    .should_be(204);
    // Then it is refused, and the other one still works
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
    app.get_me(&second).await.should_be(200);
    // And revoking without a valid token is 401
    app.call(
        Method::DELETE,
        "/api/v1/auth/token",
        Some(&consultant.token),
        &[],
        None,
    )
    .await
    .should_be_problem(401, None);
}

#[actix_rt::test]
async fn a_log_in_with_an_idempotency_key_is_never_stored_nor_replayed() {
    let app = spawn_app().await;
    let body = json!({ "email": app.admin.email, "password": PASSWORD });
    let headers = [("Idempotency-Key", "login-key-1")];
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/auth/token",
                Some(&app.admin.token),
                &headers,
                Some(&body),
            )
            .await
            .should_be(200);
        tokens.push(reply.body["token"].as_str().expect("a token").to_string());
    }
    assert_ne!(tokens[0], tokens[1], "each log-in issues its own token");
    // And the OpenAPI document does not offer the key for the log-in
    let doc = app.get_openapi().await.should_be(200).body;
    let params = doc["paths"]["/api/v1/auth/token"]["post"]["parameters"].to_string();
    assert!(!params.contains("Idempotency-Key"), "{params}");
    let delete = &doc["paths"]["/api/v1/auth/token"]["delete"]["responses"];
    assert!(delete["204"].is_object(), "{delete}");
    assert!(
        delete["401"]["content"]["application/problem+json"].is_object(),
        "{delete}"
    );
}

#[actix_rt::test]
async fn a_blank_or_common_password_is_422_naming_the_field_and_creates_nobody() {
    let app = spawn_app().await;
    for (i, password) in [
        "            ",
        "\t \u{a0}          ",
        "Password1234",
        "123456789012",
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("weak{i}@example.se");
        let body = json!({ "email": email, "name": "W", "role": "auditor", "password": password });
        app.post_users(&app.admin.token, &body)
            .await
            .should_be_problem(422, Some("password"));
        app.post_token(&email, password)
            .await
            .should_be_problem(401, None);
    }
}

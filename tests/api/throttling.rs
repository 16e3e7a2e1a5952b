//! Log-in throttling: per (account, client address) back-off and a per-address
//! budget, so that a guesser at one address never locks the owner out at another.

use awc::http::Method;
use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app_with, Reply, TestApp, PASSWORD};

const ATTACKER: &str = "203.0.113.5";
const VICTIM: &str = "198.51.100.7";

/// `POST /auth/token` as if from `address` (through the trusted local proxy).
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Reply {
    let body = json!({ "email": email, "password": password });
    app.call(
        Method::POST,
        "/api/v1/auth/token",
        None,
        &[("X-Forwarded-For", address)],
        Some(&body),
    )
    .await
}

/// An app that believes X-Forwarded-For from 127.0.0.1, where the tests connect from.
async fn behind_a_proxy() -> TestApp {
    spawn_app_with(|s| s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an IP")]).await
}

fn retry_after(reply: &Reply) -> u64 {
    reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a 429 says Retry-After: {:?}", reply.headers))
}

#[actix_rt::test]
async fn a_victim_still_logs_in_from_another_address_while_an_attacker_guesses_from_one() {
    // Given a consultant
    let app = behind_a_proxy().await;
    let victim = app.create_user("consultant", None, None).await;
    // When an attacker guesses their password twenty times from one address
    let mut statuses = Vec::new();
    for i in 0..20 {
        let reply = login_from(&app, ATTACKER, &victim.email, &format!("guess number {i}")).await;
        if reply.status.as_u16() == 429 {
            assert!(retry_after(&reply) >= 1);
        }
        statuses.push(reply.status.as_u16());
    }
    // Then five were checked and the rest refused
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        15,
        "{statuses:?}"
    );
    // And the right password from the attacker's address is refused too
    login_from(&app, ATTACKER, &victim.email, PASSWORD)
        .await
        .should_be_problem(429, None);
    // But the victim logs in from their own address at once
    login_from(&app, VICTIM, &victim.email, PASSWORD)
        .await
        .should_be(200);
}

#[actix_rt::test]
async fn x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    // Given an app with no trusted proxy
    let app = spawn_app_with(|_| {}).await;
    let user = app.create_user("auditor", None, None).await;
    // When a guesser claims another address with every attempt
    let mut statuses = Vec::new();
    for i in 0..8 {
        let claimed = format!("192.0.2.{i}");
        statuses.push(
            login_from(&app, &claimed, &user.email, "wrong wrong wrong")
                .await
                .status
                .as_u16(),
        );
    }
    // Then the claims change nothing: after five, 429
    assert_eq!(statuses, vec![401, 401, 401, 401, 401, 429, 429, 429]);
}

#[actix_rt::test]
async fn concurrent_guesses_are_admitted_one_by_one() {
    // Given a user
    let app = behind_a_proxy().await;
    let user = app.create_user("consultant", None, None).await;
    // When forty wrong passwords are sent at once from one address
    let guesses = (0..40).map(|i| {
        let (app, email) = (&app, user.email.clone());
        async move {
            login_from(app, ATTACKER, &email, &format!("parallel guess {i}"))
                .await
                .status
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    // Then exactly five passwords were checked
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        35,
        "{statuses:?}"
    );
}

#[actix_rt::test]
async fn the_back_off_doubles_with_each_further_failure() {
    let app = behind_a_proxy().await;
    let user = app.create_user("consultant", None, None).await;
    for _ in 0..5 {
        login_from(&app, ATTACKER, &user.email, "wrong wrong wrong")
            .await
            .should_be(401);
    }
    let first = login_from(&app, ATTACKER, &user.email, "wrong wrong wrong").await;
    assert_eq!(retry_after(&first.should_be(429)), 60);
    app.clock.advance(Duration::seconds(60));
    login_from(&app, ATTACKER, &user.email, "wrong wrong wrong")
        .await
        .should_be(401);
    let second = login_from(&app, ATTACKER, &user.email, "wrong wrong wrong").await;
    assert_eq!(retry_after(&second.should_be(429)), 120);
}

#[actix_rt::test]
async fn an_address_has_a_budget_of_failures_over_all_accounts_and_successes_do_not_count() {
    // Given an app allowing three failures per address per hour
    let app = spawn_app_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an IP")];
        s.auth.failed_logins_per_address = 3;
    })
    .await;
    // When one address fails twice and then logs in successfully many times
    for i in 0..2 {
        login_from(
            &app,
            ATTACKER,
            &format!("nobody{i}@example.se"),
            "wrong wrong wrong",
        )
        .await
        .should_be(401);
    }
    for _ in 0..5 {
        login_from(&app, ATTACKER, &app.admin.email, PASSWORD)
            .await
            .should_be(200);
    }
    // Then one more failure is still allowed, on yet another account
    login_from(&app, ATTACKER, "nobody2@example.se", "wrong wrong wrong")
        .await
        .should_be(401);
    // And after that the address is refused for any account, the right password included
    let refused = login_from(&app, ATTACKER, &app.admin.email, PASSWORD).await;
    let refused = refused.should_be_problem(429, None);
    assert!(retry_after(&refused) <= 3600);
    // While another address is not affected
    login_from(&app, VICTIM, &app.admin.email, PASSWORD)
        .await
        .should_be(200);
    // And after the window the address may try again
    app.clock.advance(Duration::minutes(61));
    login_from(&app, ATTACKER, &app.admin.email, PASSWORD)
        .await
        .should_be(200);
}

#[actix_rt::test]
async fn the_web_log_in_is_throttled_the_same_way_with_retry_after() {
    let app = behind_a_proxy().await;
    let user = app.create_user("consultant", None, None).await;
    for _ in 0..5 {
        login_from(&app, ATTACKER, &user.email, "wrong wrong wrong")
            .await
            .should_be(401);
    }
    // The web form from the same address is refused with the page and Retry-After
    let page = app
        .call(Method::GET, "/login", None, &[], None)
        .await
        .should_be(200);
    let cookie = page
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stegvis_pre="))
        .and_then(|c| c.split(';').next())
        .expect("a pre-session cookie")
        .to_string();
    let csrf = page
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token")
        .to_string();
    let form = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("email", user.email.as_str()),
        ("password", PASSWORD),
    ])
    .expect("a form");
    let reply = app
        .call_raw(
            Method::POST,
            "/login",
            None,
            &[("Cookie", cookie.as_str()), ("X-Forwarded-For", ATTACKER)],
            Some((
                form.clone().into_bytes(),
                "application/x-www-form-urlencoded",
            )),
        )
        .await
        .should_be(429);
    assert!(retry_after(&reply) >= 1);
}

#[actix_rt::test]
async fn an_upper_case_spelling_of_the_email_counts_against_the_same_account() {
    // Given a consultant
    let app = behind_a_proxy().await;
    let user = app.create_user("consultant", None, None).await;
    let shouted = user.email.to_uppercase();
    // When a guesser alternates the address's spelling
    let mut statuses = Vec::new();
    for i in 0..8 {
        let email = if i % 2 == 0 { &user.email } else { &shouted };
        let reply = login_from(&app, ATTACKER, email, &format!("guess number {i}")).await;
        statuses.push(reply.status.as_u16());
    }
    // Then both spellings share one back-off: five checked, the rest refused
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
    login_from(&app, ATTACKER, &shouted, PASSWORD)
        .await
        .should_be_problem(429, None);
}

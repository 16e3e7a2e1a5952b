//! The web log-in's return address, and the security headers on every answer.

use awc::http::Method;

use crate::helpers::{spawn_app, spawn_app_with, TestApp, PASSWORD};

/// The log-in page's CSRF token and pre-session cookie, fetched as a browser would.
async fn login_page(app: &TestApp, query: &str) -> (String, String, String) {
    let page = app
        .call(Method::GET, &format!("/login{query}"), None, &[], None)
        .await
        .should_be(200);
    let cookie = page
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stegvis_pre="))
        .and_then(|c| c.split(';').next())
        .expect("the log-in page sets the pre-session cookie")
        .to_string();
    let csrf = page
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the log-in form has a CSRF token")
        .to_string();
    (cookie, csrf, page.text)
}

/// Logs in through the web form with `next`; the answer's `Location`.
async fn web_login_location(app: &TestApp, next: &str) -> String {
    let (cookie, csrf, _) = login_page(app, "").await;
    let form = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("email", app.admin.email.as_str()),
        ("password", PASSWORD),
        ("next", next),
    ])
    .expect("a form body");
    let client = awc::Client::builder().disable_redirects().finish();
    let reply = client
        .post(format!("{}/login", app.address))
        .insert_header(("Cookie", cookie.as_str()))
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .send_body(form)
        .await
        .expect("an answer");
    assert_eq!(reply.status().as_u16(), 303, "next={next:?}");
    reply
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_string()
}

#[actix_rt::test]
async fn after_log_in_only_a_same_origin_path_is_returned_to() {
    let app = spawn_app().await;
    let home = web_login_location(&app, "").await;
    assert!(home.starts_with('/') && !home.starts_with("//"), "{home}");
    // A local path is kept
    assert_eq!(web_login_location(&app, "/cases").await, "/cases");
    // Anything a browser could resolve elsewhere, or that breaks the header, goes home
    for next in [
        "/\t/evil.example",
        "/\n/x",
        "/\r\n/x",
        "//evil.example",
        "/\\evil.example",
        "/a//evil.example",
        "https://evil.example/",
        "/ /evil.example",
        "/caf\u{e9}",
    ] {
        let location = web_login_location(&app, next).await;
        assert_eq!(location, home, "next={next:?} goes to the home page");
    }
}

#[actix_rt::test]
async fn the_log_in_page_does_not_carry_an_unsafe_next_into_its_form() {
    let app = spawn_app().await;
    let (_, _, page) = login_page(&app, "?next=/%09/evil.example").await;
    assert!(!page.contains("evil.example"), "{page}");
    let (_, _, page) = login_page(&app, "?next=/cases").await;
    assert!(
        page.contains("name=\"next\""),
        "a safe next is kept: {page}"
    );
}

#[actix_rt::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    for (path, token) in [
        ("/login", None),
        ("/api/v1/me", Some(app.admin.token.as_str())),
        ("/api/v1/no-such-thing", None),
        ("/healthz", None),
    ] {
        let reply = app.call(Method::GET, path, token, &[], None).await;
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp:?}");
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{path}: {csp:?}"
        );
        assert_eq!(
            reply.header("x-frame-options").as_deref(),
            Some("DENY"),
            "{path}"
        );
        assert_eq!(
            reply.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(
            reply.header("strict-transport-security"),
            None,
            "{path}: http"
        );
    }
}

#[actix_rt::test]
async fn answers_to_a_signed_in_caller_are_not_stored_by_caches() {
    let app = spawn_app().await;
    for path in ["/me", "/users", "/organisations"] {
        let reply = app.get(&app.admin.token, path).await.should_be(200);
        assert_eq!(
            reply.header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    let token = app
        .post_token(&app.admin.email, PASSWORD)
        .await
        .should_be(200);
    assert_eq!(token.header("cache-control").as_deref(), Some("no-store"));
    // The public signing keys stay cacheable
    let keys = app
        .call(Method::GET, "/.well-known/jwks.json", None, &[], None)
        .await
        .should_be(200);
    assert_ne!(keys.header("cache-control").as_deref(), Some("no-store"));
}

#[actix_rt::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let app = spawn_app_with(|s| s.server.public_url = "https://stegvis.example".into()).await;
    let reply = app.call(Method::GET, "/login", None, &[], None).await;
    let hsts = reply
        .header("strict-transport-security")
        .unwrap_or_default();
    assert!(hsts.starts_with("max-age="), "{hsts:?}");
}

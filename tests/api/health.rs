//! Liveness, readiness and the published OpenAPI document.

use std::collections::BTreeSet;

use awc::http::Method;

use crate::helpers::{spawn_app, spawn_app_with};

#[actix_rt::test]
async fn healthz_answers_200_while_the_process_runs() {
    // Given a running app
    let app = spawn_app().await;
    // When asked whether it lives
    let reply = app.get_healthz().await;
    // Then it says yes
    reply.should_be(200);
}

#[actix_rt::test]
async fn readyz_answers_200_when_the_database_answers() {
    let app = spawn_app().await;
    let reply = app.get_readyz().await.should_be(200);
    assert_eq!(reply.body["status"], "ready", "{}", reply.text);
    assert_eq!(reply.body["checks"]["database"]["status"], "ready");
    assert_eq!(reply.body["checks"]["outbox"]["status"], "ready");
    assert_eq!(reply.body["checks"]["outbox"]["pending"], 0);
}

#[actix_rt::test]
async fn readyz_reports_a_mail_backlog_as_degraded_and_still_answers_200() {
    // Given an app that tolerates no pending mail at all
    let app = spawn_app_with(|s| s.readiness.outbox_pending_max = 0).await;
    // When a case is enrolled, which queues mail nobody has sent yet
    app.given_a_case().await;
    // Then the app is degraded, not down: a load balancer keeps it
    let reply = app.get_readyz().await.should_be(200);
    assert_eq!(reply.body["status"], "degraded", "{}", reply.text);
    assert_eq!(reply.body["checks"]["outbox"]["status"], "degraded");
    assert!(reply.body["checks"]["outbox"]["pending"].as_i64() > Some(0));
    assert_eq!(reply.body["checks"]["database"]["status"], "ready");
}

#[actix_rt::test]
async fn readyz_reports_old_pending_mail_as_degraded() {
    let app = spawn_app_with(|s| s.readiness.outbox_age_max_secs = 60).await;
    app.given_a_case().await;
    app.get_readyz().await.should_be(200);
    app.clock.advance(chrono::Duration::minutes(2));
    let reply = app.get_readyz().await.should_be(200);
    assert_eq!(
        reply.body["checks"]["outbox"]["status"], "degraded",
        "{}",
        reply.text
    );
    assert!(reply.body["checks"]["outbox"]["oldest_pending_age_seconds"].as_u64() >= Some(120));
}

#[actix_rt::test]
async fn every_answer_carries_a_request_id_and_a_sane_one_sent_is_kept() {
    let app = spawn_app().await;
    let made = app.get_healthz().await;
    let id = made.header("x-request-id").expect("a request id");
    assert_eq!(id.len(), 32, "{id}");
    let kept = app
        .call(
            Method::GET,
            "/healthz",
            None,
            &[("X-Request-Id", "lb-7f3a.42")],
            None,
        )
        .await;
    assert_eq!(kept.header("x-request-id").as_deref(), Some("lb-7f3a.42"));
    let replaced = app
        .call(
            Method::GET,
            "/healthz",
            None,
            &[("X-Request-Id", "ada@example.se")],
            None,
        )
        .await;
    let new = replaced.header("x-request-id").expect("a request id");
    assert_ne!(new, "ada@example.se");
}

#[actix_rt::test]
async fn the_api_reference_is_one_page_with_every_operation_and_no_outside_asset() {
    // Given a running app
    let app = spawn_app().await;
    // When the reference is read
    let reply = app
        .call(Method::GET, "/api/docs", None, &[], None)
        .await
        .should_be(200);
    // Then it is HTML naming every path of the OpenAPI document
    assert!(reply
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    let doc = app.get_openapi().await.should_be(200).body;
    for path in doc["paths"].as_object().expect("paths").keys() {
        assert!(
            reply.text.contains(path.as_str()),
            "{path} is in the reference"
        );
    }
    assert!(
        reply.text.contains("id=\"schema-Problem\""),
        "the schemas are described"
    );
    // And it loads nothing from elsewhere and runs no script, under the app's policy
    for outside in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(
            !reply.text.contains(outside),
            "{outside} is not on the page"
        );
    }
    let policy = reply.header("content-security-policy").expect("a policy");
    assert!(policy.contains("default-src 'self'"), "{policy}");
}

/// Every endpoint of API.md's sections Auth, Organisations, Programmes and Cases.
const ENDPOINTS: &[(&str, &str)] = &[
    ("post", "/auth/token"),
    ("get", "/me"),
    ("post", "/users"),
    ("get", "/users"),
    ("post", "/organisations"),
    ("get", "/organisations"),
    ("get", "/organisations/{}"),
    ("post", "/organisations/{}/units"),
    ("get", "/units"),
    ("get", "/units/{}"),
    ("patch", "/units/{}"),
    ("get", "/programmes"),
    ("get", "/programmes/{}"),
    ("post", "/programmes"),
    ("post", "/cases"),
    ("get", "/cases"),
    ("get", "/cases/{}"),
    ("get", "/cases/{}/events"),
    ("post", "/cases/{}/sessions"),
    ("get", "/cases/{}/sessions"),
    ("patch", "/cases/{}/sessions/{}"),
    ("delete", "/cases/{}/sessions/{}"),
    ("put", "/cases/{}/sessions/{}/attendance"),
    ("put", "/cases/{}/reflections"),
    ("post", "/cases/{}/evidence"),
    ("get", "/cases/{}/evidence"),
    ("get", "/cases/{}/findings"),
    ("put", "/cases/{}/findings/{}"),
    ("post", "/cases/{}/transitions"),
];

/// `/api/v1/cases/{case_id}` → `/cases/{}`: the prefix and parameter names do not matter.
fn normalise(path: &str) -> String {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[actix_rt::test]
async fn the_openapi_document_describes_every_endpoint_of_the_contract() {
    // Given a running app
    let app = spawn_app().await;
    // When its OpenAPI document is fetched
    let reply = app.get_openapi().await.should_be(200);
    // Then it is OpenAPI 3 JSON
    let doc = &reply.body;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "an OpenAPI 3 document: {:.300}",
        reply.text
    );
    // And its paths cover every endpoint, with the method
    let paths = doc["paths"].as_object().expect("the document has paths");
    let published: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            let path = normalise(path);
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys().cloned())
                .map(move |method| (method.to_lowercase(), path.clone()))
        })
        .collect();
    let missing: Vec<_> = ENDPOINTS
        .iter()
        .filter(|(method, path)| !published.contains(&(method.to_string(), path.to_string())))
        .collect();
    assert!(
        missing.is_empty(),
        "missing from the OpenAPI paths: {missing:?}"
    );
}

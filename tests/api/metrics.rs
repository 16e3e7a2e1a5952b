//! `GET /metrics`: the Prometheus text format, read back with a Prometheus text parser;
//! the families an operator relies on, values that move when commands run, nothing
//! about a person in any label; `metrics.bind` and `metrics.token`.

use std::sync::Arc;

use awc::http::Method;
use chrono::Duration;
use prometheus_parse::{Sample, Scrape, Value};
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::startup::Application;

use crate::helpers::{random_hex, spawn_app, spawn_app_with, time, TestApp, START};

/// Every family `/metrics` has from the first scrape on (docs/operations.md).
const FAMILIES: &[&str] = &[
    "stegvis_build_info",
    "stegvis_http_requests_total",
    "stegvis_http_request_duration_seconds",
    "stegvis_login_failures_total",
    "stegvis_login_throttled_total",
    "stegvis_job_runs_total",
    "stegvis_outbox_rows",
    "stegvis_outbox_oldest_pending_age_seconds",
    "stegvis_webhook_deliveries",
    "stegvis_db_pool_connections",
    "stegvis_db_pool_max_connections",
];

async fn scrape(app: &TestApp) -> (Scrape, String) {
    let reply = app
        .call(Method::GET, "/metrics", None, &[], None)
        .await
        .should_be(200);
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "the Prometheus text format: {content_type}"
    );
    let lines = reply.text.lines().map(|l| Ok(l.to_string()));
    let parsed = Scrape::parse(lines).expect("a Prometheus text parser reads the scrape");
    (parsed, reply.text)
}

fn value_of(sample: &Sample) -> f64 {
    match &sample.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
        Value::Histogram(buckets) => buckets.last().map_or(0.0, |b| b.count),
        Value::Summary(_) => panic!("no summaries: {sample:?}"),
    }
}

/// The value of the sample of `family` with all of `labels`, 0 when there is none.
fn sample(scrape: &Scrape, family: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == family)
        .find(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map_or(0.0, value_of)
}

#[actix_rt::test]
async fn a_scrape_parses_and_has_every_family_with_histograms_not_summaries() {
    // Given a running app that has answered a log-in
    let app = spawn_app().await;
    // When /metrics is scraped
    let (scrape, _) = scrape(&app).await;
    // Then every family is there
    let names: Vec<&str> = scrape.samples.iter().map(|s| s.metric.as_str()).collect();
    for family in FAMILIES {
        assert!(names.contains(family), "{family} is scraped: {names:?}");
    }
    // And the latency is a histogram with buckets, labelled by route template
    let latency = scrape
        .samples
        .iter()
        .find(|s| s.metric == "stegvis_http_request_duration_seconds")
        .expect("a latency sample");
    assert!(matches!(&latency.value, Value::Histogram(b) if b.len() > 5));
    assert!(
        sample(
            &scrape,
            "stegvis_http_requests_total",
            &[
                ("route", "/api/v1/auth/token"),
                ("method", "POST"),
                ("status", "200")
            ]
        ) >= 1.0
    );
    assert_eq!(
        sample(
            &scrape,
            "stegvis_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
}

#[actix_rt::test]
async fn commands_log_ins_and_the_outbox_move_their_values() {
    // Given a scrape before anything happened
    let app = spawn_app().await;
    let (before, _) = scrape(&app).await;
    assert_eq!(
        sample(
            &before,
            "stegvis_commands_total",
            &[("kind", "enrol"), ("outcome", "accepted")]
        ),
        0.0
    );
    // When a case is enrolled (a command that queues mail), a transition is refused
    // for a stale version, a log-in fails, and ten minutes pass
    let world = app.given_a_case().await;
    app.call(
        Method::POST,
        &format!("/api/v1/cases/{}/transitions", world.case_id),
        Some(&world.consultant.token),
        &[("If-Match", "\"99\"")],
        Some(&serde_json::json!({"action": "advance"})),
    )
    .await
    .should_be(412);
    app.post_token(&app.admin.email, "not the password at all")
        .await
        .should_be(401);
    app.clock.advance(Duration::minutes(10));
    let (after, text) = scrape(&app).await;
    // Then the counters and gauges moved
    assert_eq!(
        sample(
            &after,
            "stegvis_commands_total",
            &[("kind", "enrol"), ("outcome", "accepted")]
        ),
        1.0
    );
    assert_eq!(
        sample(
            &after,
            "stegvis_commands_total",
            &[("kind", "advance"), ("outcome", "precondition_failed")]
        ),
        1.0
    );
    assert_eq!(
        sample(&after, "stegvis_login_failures_total", &[])
            - sample(&before, "stegvis_login_failures_total", &[]),
        1.0
    );
    assert!(sample(&after, "stegvis_outbox_rows", &[("status", "pending")]) >= 1.0);
    assert!(sample(&after, "stegvis_outbox_oldest_pending_age_seconds", &[]) >= 600.0);
    // On SQLite, the writer thread's group commits (each holds one write or more)
    if std::env::var("STEGVIS_TEST_BACKEND").map_or(true, |b| b == "sqlite") {
        let commits = sample(&after, "stegvis_sqlite_writer_group_commits_total", &[]);
        let writes = sample(&after, "stegvis_sqlite_writer_group_writes_total", &[]);
        assert!(
            commits >= 1.0 && writes >= commits,
            "{commits} commits, {writes} writes"
        );
    }
    assert!(
        sample(
            &after,
            "stegvis_http_requests_total",
            &[
                ("route", "/api/v1/cases/:id/transitions"),
                ("status", "412")
            ]
        ) >= 1.0,
        "{}",
        text.lines()
            .filter(|l| l.starts_with("stegvis_http_requests_total"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // And no label names a person, a case or a unit
    for private in [
        app.admin.email.as_str(),
        world.consultant.email.as_str(),
        world.case_id.as_str(),
        world.unit_id.as_str(),
        world.organisation_id.as_str(),
    ] {
        assert!(!text.contains(private), "{private} is not in the scrape");
    }
}

#[actix_rt::test]
async fn the_metrics_token_is_asked_for_when_configured() {
    let app = spawn_app_with(|s| s.metrics.token = Some("scrape-secret".into())).await;
    app.call(Method::GET, "/metrics", None, &[], None)
        .await
        .should_be_problem(401, None);
    app.call(Method::GET, "/metrics", Some("wrong"), &[], None)
        .await
        .should_be_problem(401, None);
    let reply = app
        .call(Method::GET, "/metrics", Some("scrape-secret"), &[], None)
        .await
        .should_be(200);
    assert!(reply.text.contains("stegvis_build_info"));
}

#[actix_rt::test]
async fn with_metrics_bind_the_metrics_are_served_only_on_that_address() {
    // Given an app with a second address for the metrics
    let dir = std::env::temp_dir().join(format!("stegvis-metrics-{}", random_hex()));
    let url = format!("sqlite://{}", dir.join("stegvis.db").display());
    let mut settings = Settings::defaults_with_database(&url).expect("settings");
    settings.server.bind = "127.0.0.1:0".into();
    settings.metrics.bind = Some("127.0.0.1:0".into());
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    let clock = Arc::new(ManualClock::new(time(START)));
    let application = Application::build(settings, clock as Arc<dyn Clock>)
        .await
        .expect("the application builds");
    let main = application.port();
    let metrics = application.metrics_port().expect("a metrics port");
    let server = actix_rt::spawn(application.run_until_stopped());
    let client = awc::Client::new();
    let status = |port: u16, path: &'static str| {
        let client = client.clone();
        async move {
            client
                .get(format!("http://127.0.0.1:{port}{path}"))
                .send()
                .await
                .expect("an answer")
                .status()
                .as_u16()
        }
    };
    // Then the main address has no /metrics, the metrics address has, and its health
    assert_eq!(status(main, "/metrics").await, 404);
    assert_eq!(status(metrics, "/metrics").await, 200);
    assert_eq!(status(metrics, "/readyz").await, 200);
    // And nothing else of the application is on the metrics address
    assert_eq!(status(metrics, "/api/v1/me").await, 404);
    assert_eq!(status(main, "/api/v1/openapi.json").await, 200);
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

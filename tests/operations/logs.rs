//! The log of a whole run, in JSON: one object per line, the request id on the lines
//! written while a request was handled, and no e-mail address, password or token.

use std::time::{Duration, Instant};

use awc::http::Method;
use serde_json::{json, Value};

use crate::database::TestDatabase;
use crate::process::{Client, Deployment};
use crate::random_hex;

#[actix_rt::test]
async fn a_whole_run_logs_json_lines_with_request_ids_and_no_personal_data_or_secrets() {
    // Given a server logging JSON at debug level, with mail written to the log
    let dir = std::env::temp_dir().join(format!("stegvis-logs-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::create(&dir);
    let mut deployment = Deployment::sqlite(&dir);
    deployment.url = database.url.clone();
    deployment.extra = vec![
        ("STEGVIS__LOG__FORMAT".into(), "json".into()),
        ("STEGVIS__MAIL__TRANSPORT".into(), "log".into()),
        ("STEGVIS__MAIL__POLL_MS".into(), "100".into()),
    ];
    let admin_email = format!("ada.{}@example.se", random_hex());
    let admin_password = format!("admin password {}", random_hex());
    deployment.create_admin(&admin_email, &admin_password);
    let log = dir.join("serve.log");
    let mut command_log = deployment.clone();
    command_log
        .extra
        .push(("STEGVIS_LOG".into(), "debug".into()));
    let server = command_log.serve(Some(&log));
    let client = Client::new(&server);

    // When an admin logs in, fails once, and runs a few commands that send mail
    let admin = client.login(&admin_email, &admin_password).await;
    let wrong = format!("wrong password {}", random_hex());
    let refused = client
        .send(
            Method::POST,
            "/api/v1/auth/token",
            None,
            &[],
            Some(json!({"email": admin_email, "password": wrong})),
        )
        .await;
    assert_eq!(refused.status, 401);
    let consultant_email = format!("carl.{}@example.se", random_hex());
    let consultant_password = format!("consultant password {}", random_hex());
    let made = client
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": consultant_email, "name": "Carl Consultant", "role": "consultant",
                   "password": consultant_password}),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let consultant = client.login(&consultant_email, &consultant_password).await;
    let contact_email = format!("una.{}@example.se", random_hex());
    let organisation = client
        .post(
            "/api/v1/organisations",
            &admin,
            json!({"name": "Loggkommun"}),
        )
        .await;
    assert_eq!(organisation.status, 201, "{:?}", organisation.body);
    let organisation_id = organisation.body["id"].as_str().unwrap().to_string();
    let unit = client
        .post(
            &format!("/api/v1/organisations/{organisation_id}/units"),
            &admin,
            json!({"name": "Hemtjänsten", "headcount": 12, "contact_email": contact_email}),
        )
        .await;
    assert_eq!(unit.status, 201, "{:?}", unit.body);
    let programme_id = client.programme_id(&admin).await;
    let traced = "trace-me-42";
    let case = client
        .send(
            Method::POST,
            "/api/v1/cases",
            Some(&consultant),
            &[("X-Request-Id", traced)],
            Some(json!({"unit_id": unit.body["id"], "programme_id": programme_id})),
        )
        .await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    assert_eq!(case.request_id.as_deref(), Some(traced));
    let me = client.get("/api/v1/me", &consultant).await;
    assert_eq!(me.status, 200);
    // The mail worker sends what the enrolment queued (to the log transport)
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sent = client.get("/api/v1/admin/mail?status=sent", &admin).await;
        if sent.body["items"].as_array().is_some_and(|i| !i.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "the queued mail was sent");
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    }
    client
        .send(
            Method::DELETE,
            "/api/v1/auth/token",
            Some(&consultant),
            &[],
            None,
        )
        .await;
    server.stop();

    // Then every line is one JSON object
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"))
        })
        .collect();
    assert!(lines.iter().all(Value::is_object));
    assert!(lines.len() > 10, "the run was logged: {text}");
    // And the request the client named carries its id in the log, with its route
    assert!(
        lines.iter().any(|l| l["span"]["request_id"] == traced
            && l["route"] == "/api/v1/cases"
            && l["status"] == 201),
        "the enrolment's access line has the request id: {text}"
    );
    // And the mail the log transport wrote names no one
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "mail sent (log transport)"),
        "the mail was logged: {text}"
    );
    // And no e-mail address, password or token appears anywhere
    for secret in [
        admin_email.as_str(),
        admin_password.as_str(),
        wrong.as_str(),
        consultant_email.as_str(),
        consultant_password.as_str(),
        contact_email.as_str(),
        admin.as_str(),
        consultant.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} is in the log:\n{text}");
    }
    // Nor a local part of an address alone
    for local in [&admin_email, &consultant_email, &contact_email] {
        let local = local.split('@').next().unwrap();
        assert!(!text.contains(local), "{local} is in the log:\n{text}");
    }
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}

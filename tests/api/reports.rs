//! Reports: the pipeline and the CSV of cases, each limited to what the caller sees.

use awc::http::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn the_pipeline_counts_live_cases_per_stage_overdue_and_certified() {
    let app = spawn_app().await;
    let certified = app.given_a_case_in("certified").await;
    let in_workshops = app.given_a_case_in("value_workshops").await;
    let _kickoff = app.given_a_case().await;
    let withdrawn = app.given_a_case().await;
    app.transition(
        &withdrawn.consultant.token,
        &withdrawn.case_id,
        &json!({"action": "withdraw"}),
    )
    .await
    .should_be(200);

    let report = app
        .call(
            Method::GET,
            "/api/v1/reports/pipeline",
            Some(&app.admin.token),
            &[],
            None,
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(
        report["stages"]["kickoff"], 1,
        "a withdrawn case is not in the pipeline: {report}"
    );
    assert_eq!(report["stages"]["value_workshops"], 1);
    assert_eq!(report["stages"]["certified"], 1);
    assert_eq!(report["stages"]["audit"], 0);
    assert_eq!(report["certified"], 1);
    assert_eq!(report["overdue"], 0);
    assert_eq!(report["expiring_90d"], 0);

    let path = format!(
        "/api/v1/reports/pipeline?organisation_id={}",
        in_workshops.organisation_id
    );
    let one = app
        .call(Method::GET, &path, Some(&app.admin.token), &[], None)
        .await
        .should_be(200)
        .body;
    assert_eq!(one["stages"]["value_workshops"], 1);
    assert_eq!(one["stages"]["certified"], 0);
    let _ = certified;
}

#[actix_rt::test]
async fn a_coordinator_sees_only_their_organisation_and_others_answer_404() {
    let app = spawn_app().await;
    let mine = app.given_a_case_in("value_workshops").await;
    let theirs = app.given_a_case_in("certified").await;
    let coordinator = app
        .create_user("coordinator", Some(&mine.organisation_id), None)
        .await;

    let report = app
        .call(
            Method::GET,
            "/api/v1/reports/pipeline",
            Some(&coordinator.token),
            &[],
            None,
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(report["stages"]["value_workshops"], 1);
    assert_eq!(
        report["certified"], 0,
        "another organisation's certificate is not counted"
    );
    let path = format!(
        "/api/v1/reports/pipeline?organisation_id={}",
        theirs.organisation_id
    );
    app.call(Method::GET, &path, Some(&coordinator.token), &[], None)
        .await
        .should_be_problem(404, None);

    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/cases.csv",
            Some(&coordinator.token),
            &[],
            None,
        )
        .await
        .should_be(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.text.starts_with('\u{feff}'),
        "a byte-order mark for Excel"
    );
    let lines: Vec<&str> = csv.text.trim_end().split("\r\n").collect();
    assert_eq!(
        lines.len(),
        2,
        "a header and the coordinator's one case: {}",
        csv.text
    );
    assert!(lines[1].starts_with(&mine.case_id));
    assert!(!csv.text.contains(&theirs.case_id));
}

#[actix_rt::test]
async fn auditors_and_unit_contacts_may_not_read_reports() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    for token in [&world.auditor.token, &contact.token] {
        for path in ["/api/v1/reports/pipeline", "/api/v1/reports/cases.csv"] {
            app.call(Method::GET, path, Some(token), &[], None)
                .await
                .should_be_problem(403, None);
        }
    }
    app.call(Method::GET, "/api/v1/reports/pipeline", None, &[], None)
        .await
        .should_be_problem(401, None);
}

#[actix_rt::test]
async fn the_csv_quotes_fields_with_separators_and_keeps_swedish_letters() {
    let app = spawn_app().await;
    let org = app.create_organisation("Mölndals stad").await;
    let unit = app
        .post_units(
            &app.admin.token,
            &org,
            &json!({"name": "Äldreboende; \"Solbacken\"", "headcount": 12}),
        )
        .await
        .should_be(201)
        .id();
    let consultant = app.create_user("consultant", None, None).await;
    app.enrol(&consultant.token, &unit).await.should_be(201);
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/cases.csv",
            Some(&app.admin.token),
            &[],
            None,
        )
        .await
        .should_be(200);
    assert!(
        csv.text.contains("\"Äldreboende; \"\"Solbacken\"\"\""),
        "{}",
        csv.text
    );
}

#[actix_rt::test]
async fn a_unit_named_like_a_formula_goes_out_of_the_csv_as_text() {
    // Given a case of a unit whose name a spreadsheet would run
    let app = spawn_app().await;
    let org = app.create_organisation("Formelkommun").await;
    let name = "=HYPERLINK(\"http://evil.example\",\"klicka\")";
    let unit = app
        .post_units(
            &app.admin.token,
            &org,
            &json!({ "name": name, "headcount": 5 }),
        )
        .await
        .should_be(201)
        .id();
    let consultant = app.create_user("consultant", None, None).await;
    app.enrol(&consultant.token, &unit).await.should_be(201);
    // When the cases are exported
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/cases.csv",
            Some(&app.admin.token),
            &[],
            None,
        )
        .await
        .should_be(200)
        .text;
    // Then the name is there, prefixed so that it is shown and never run
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\""),
        "{csv}"
    );
    for line in csv.lines() {
        for cell in line.split(';') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "no cell starts like a formula: {line}"
            );
        }
    }
}

//! Bad input beyond JSON bodies: malformed `If-Match`, non-JSON content types, garbage
//! path parameters and cursors, and garbage in web form fields. Each is refused with
//! the right status (a problem+json in the API, the form again in the pages) and
//! changes nothing.

use awc::http::Method;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::web_session::{assert_unchanged, snapshot, Web};

#[actix_rt::test]
async fn a_malformed_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 9)
        .await;
    let before = snapshot(&app).await;
    let path = format!("/api/v1/cases/{}/transitions", world.case_id);
    let body = json!({ "action": "advance" });
    for value in [
        "abc",
        "3",
        "\"3",
        "3\"",
        "W/\"x\"",
        "\"\"",
        "\"-\"",
        "\"99999999999999999999999\"",
        "\"1.5\"",
    ] {
        let reply = app
            .call(
                Method::POST,
                &path,
                Some(&world.consultant.token),
                &[("If-Match", value)],
                Some(&body),
            )
            .await;
        reply.should_be_problem(412, None);
        assert_unchanged(&before, &snapshot(&app).await, &format!("If-Match {value}"));
    }
    // Without If-Match the transition is 428.
    app.call(
        Method::POST,
        &path,
        Some(&world.consultant.token),
        &[],
        Some(&body),
    )
    .await
    .should_be_problem(428, None);
    assert_unchanged(&before, &snapshot(&app).await, "no If-Match");
    // The right one works: the refusals above were about the header.
    let etag = app.get_case(&app.admin.token, &world.case_id).await.etag();
    app.call(
        Method::POST,
        &path,
        Some(&world.consultant.token),
        &[("If-Match", &etag)],
        Some(&body),
    )
    .await
    .should_be(200);
}

#[actix_rt::test]
async fn a_body_that_is_not_json_is_400_whatever_its_content_type_and_creates_nothing() {
    let app = spawn_app().await;
    let before = snapshot(&app).await;
    for (body, content_type) in [
        (
            "name=Formul%C3%A4rkommunen",
            "application/x-www-form-urlencoded",
        ),
        ("name=Formulärkommunen", "text/plain"),
        (
            "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nX\r\n--x--\r\n",
            "multipart/form-data; boundary=x",
        ),
        (
            "<organisation><name>X</name></organisation>",
            "application/xml",
        ),
        ("", "application/json"),
    ] {
        let reply = app
            .call_raw(
                Method::POST,
                "/api/v1/organisations",
                Some(&app.admin.token),
                &[],
                Some((body.as_bytes().to_vec(), content_type)),
            )
            .await;
        reply.should_be_problem(400, None);
        assert_unchanged(&before, &snapshot(&app).await, content_type);
    }
}

#[actix_rt::test]
async fn garbage_path_parameters_are_404_problem_json() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let long = "x".repeat(2000);
    let garbage = [
        "%00",
        "a%00b",
        "%27%3B%20DROP%20TABLE%20cases%3B--",
        "%E2%80%AE",
        long.as_str(),
        "..%2F..%2Fetc%2Fpasswd",
        "-1",
    ];
    for id in garbage {
        for path in [
            format!("/api/v1/cases/{id}"),
            format!("/api/v1/cases/{id}/events"),
            format!("/api/v1/units/{id}"),
            format!("/api/v1/organisations/{id}"),
            format!("/api/v1/programmes/{id}"),
            format!("/api/v1/cases/{}/sessions/{id}/attendance", world.case_id),
            format!("/api/v1/cases/{}/findings/{id}", world.case_id),
        ] {
            let method = if path.ends_with("attendance") || path.contains("/findings/") {
                Method::PUT
            } else {
                Method::GET
            };
            let body = json!({ "attended": 1, "resolution": "x" });
            let reply = app
                .call(
                    method.clone(),
                    &path,
                    Some(&app.admin.token),
                    &[],
                    Some(&body).filter(|_| method == Method::PUT),
                )
                .await;
            let status = reply.status.as_u16();
            assert!(
                status == 404 || status == 422,
                "{method} {path}: 404 or 422, not {status}: {}",
                reply.text
            );
            reply.should_be_problem(status, None);
        }
    }
}

#[actix_rt::test]
async fn a_nul_in_a_query_or_a_body_is_422_naming_it_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    app.get(&app.admin.token, "/cases?organisation_id=a%00b")
        .await
        .should_be_problem(422, Some("organisation_id"));
    let before = app
        .get(
            &app.admin.token,
            &format!("/cases/{}/evidence", world.case_id),
        )
        .await
        .text;
    app.call(
        Method::POST,
        &format!("/api/v1/cases/{}/evidence", world.case_id),
        Some(&app.admin.token),
        &[],
        Some(&json!({"area": "apt", "description": "Rutin\u{0}beslutad"})),
    )
    .await
    .should_be_problem(422, Some("description"));
    let after = app
        .get(
            &app.admin.token,
            &format!("/cases/{}/evidence", world.case_id),
        )
        .await
        .text;
    assert_eq!(before, after, "nothing was added");
}

#[actix_rt::test]
async fn a_cursor_this_server_did_not_give_out_is_422_naming_cursor() {
    let app = spawn_app().await;
    for cursor in ["%00%01", "a-b", "%C3%A5", "x%20y", &"a".repeat(65)] {
        app.get(&app.admin.token, &format!("/organisations?cursor={cursor}"))
            .await
            .should_be_problem(422, Some("cursor"));
    }
}

/// A form's path, its fields, and the field it must name.
type FormRow<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

#[actix_rt::test]
async fn garbage_in_web_form_fields_is_422_naming_the_field_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let session = app
        .schedule_session(&world.consultant.token, &world.case_id, "kickoff", -2)
        .await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let case = &world.case_id;
    let org = &world.organisation_id;
    let attendance = format!("/cases/{case}/sessions/{session}/attendance");
    let sessions = format!("/cases/{case}/sessions");
    let units = format!("/admin/organisations/{org}/units");
    let huge = "9".repeat(40);
    let rows: Vec<FormRow> = vec![
        (&attendance, vec![("attended", "tio")], "attended"),
        (&attendance, vec![("attended", "")], "attended"),
        (&attendance, vec![("attended", "1e3")], "attended"),
        (&attendance, vec![("attended", huge.as_str())], "attended"),
        (&attendance, vec![("attended", "-1")], "attended"),
        (
            &sessions,
            vec![
                ("kind", "workshop"),
                ("title", "Verkstad"),
                ("starts_at", "i morgon"),
                ("ends_at", "2026-04-01T12:00"),
            ],
            "starts_at",
        ),
        (
            &sessions,
            vec![
                ("kind", "banquet"),
                ("title", "Verkstad"),
                ("starts_at", "2026-04-01T10:00"),
                ("ends_at", "2026-04-01T12:00"),
            ],
            "kind",
        ),
        (
            &units,
            vec![("name", "Enhet"), ("headcount", "många")],
            "headcount",
        ),
    ];
    let before = snapshot(&app).await;
    for (path, fields, field) in rows {
        let page = web.post(path, &fields).await;
        assert_eq!(
            page.status, 422,
            "POST {path} {fields:?} is refused as bad input: {}",
            page.text
        );
        assert!(
            page.text.contains("aria-invalid=\"true\"")
                && page.text.contains(&format!("name=\"{field}\"")),
            "POST {path} {fields:?}: the form marks {field}: {}",
            page.text
        );
        assert_unchanged(
            &before,
            &snapshot(&app).await,
            &format!("POST {path} {fields:?}"),
        );
    }
}

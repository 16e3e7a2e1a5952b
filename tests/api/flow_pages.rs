//! The coordinator's way in, the organisation on every case, the enrolment picker,
//! findings by severity with their corrections, an attendance put right, and a
//! certified unit's "what happens next" — over plain HTTP.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::web_session::{assert_unchanged, snapshot, Web};

async fn name_of(reply: crate::helpers::Reply) -> String {
    reply.should_be(200).body["name"]
        .as_str()
        .expect("a name")
        .to_string()
}

async fn last_event(app: &TestApp, case_id: &str) -> Value {
    app.get_events(&app.admin.token, case_id)
        .await
        .should_be(200)
        .items()
        .last()
        .cloned()
        .expect("a history")
}

#[actix_rt::test]
async fn the_coordinators_start_page_lists_every_unit_with_its_stage_and_next_step_linked() {
    // Given an organisation with an enrolled unit and one never enrolled
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let idle = app.create_unit(&world.organisation_id, 5).await;
    let enrolled_name = name_of(app.get_unit(&app.admin.token, &world.unit_id).await).await;
    let idle_name = name_of(app.get_unit(&app.admin.token, &idle).await).await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let mut web = Web::login(&app, &coordinator.email).await;

    // When she opens her start page
    let home = web.get("/").await;
    let dashboard = format!("/organisations/{}/dashboard", world.organisation_id);
    assert_eq!(home.header("location").as_deref(), Some(dashboard.as_str()));
    let page = web.get(&dashboard).await;
    assert_eq!(page.status, 200, "{}", page.text);

    // Then every unit is there, the enrolled one linked to its case with its stage,
    // status and what is missing in words, the other said to be not enrolled
    assert!(
        page.text.contains(&format!(
            "<a href=\"/cases/{}\"><span translate=\"no\">{enrolled_name}</span></a>",
            world.case_id
        )),
        "{}",
        page.text
    );
    let row = page
        .text
        .split(&enrolled_name)
        .nth(1)
        .expect("the unit's row")
        .split("</tr>")
        .next()
        .expect("a row");
    assert!(row.contains("<td>Uppstart</td>"), "{row}");
    assert!(row.contains("<td>Pågående</td>"), "{row}");
    assert!(
        row.contains("<td>Kvar: ") && row.contains("0 av 1 uppstartsmöte</td>"),
        "{row}"
    );
    assert!(
        page.text.contains(&format!(
            "<th scope=\"row\"><span translate=\"no\">{idle_name}</span></th><td>–</td><td>–</td><td>Inte med i något program än</td>"
        )),
        "{}",
        page.text
    );
    // And her case list is in her menu
    assert!(page.text.contains("<a href=\"/cases\""), "{}", page.text);
    let cases = web.get("/cases").await;
    assert_eq!(cases.status, 200, "{}", cases.text);
    assert!(cases.text.contains(&enrolled_name), "{}", cases.text);
}

#[actix_rt::test]
async fn the_case_and_audit_pages_name_the_organisation_and_the_enrol_picker_skips_live_cases() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let organisation = name_of(
        app.get_organisation(&app.admin.token, &world.organisation_id)
            .await,
    )
    .await;
    let fact =
        format!("<dt>Organisation</dt><dd><span translate=\"no\">{organisation}</span></dd>");
    let mut consultant = Web::login(&app, &world.consultant.email).await;
    let page = consultant.get(&format!("/cases/{}", world.case_id)).await;
    assert!(page.text.contains(&fact), "{}", page.text);
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let page = auditor.get(&format!("/audits/{}", world.case_id)).await;
    assert!(page.text.contains(&fact), "{}", page.text);

    // The enrolment picker offers the free unit as "Organisation – Enhet" only
    let free = app.create_unit(&world.organisation_id, 8).await;
    let free_name = name_of(app.get_unit(&app.admin.token, &free).await).await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    let page = admin
        .get(&format!("/admin/organisations/{}", world.organisation_id))
        .await;
    assert!(page.text.contains("Organisation – Enhet"), "{}", page.text);
    assert!(
        page.text.contains(&format!(
            "<option value=\"{free}\" translate=\"no\">{organisation} – {free_name}</option>"
        )),
        "{}",
        page.text
    );
    assert!(
        !page
            .text
            .contains(&format!("<option value=\"{}\"", world.unit_id)),
        "a unit with a live case is not offered: {}",
        page.text
    );
}

#[actix_rt::test]
async fn findings_are_listed_major_first_and_a_misplaced_resolution_is_corrected_with_a_reason() {
    // Given a case returned with an observation, a minor and a major finding
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.return_with(
        &world,
        json!([
            {"severity": "observation", "text": "Iakttagelse om mallen"},
            {"severity": "minor", "text": "Mindre brist i protokollen"},
            {"severity": "major", "text": "Större brist i planen"},
        ]),
    )
    .await
    .should_be(200);
    let token = &world.consultant.token;
    let findings = app
        .get_findings(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let minor = findings
        .iter()
        .find(|f| f["severity"] == "minor")
        .expect("the minor finding")["id"]
        .as_str()
        .expect("an id")
        .to_string();
    // The resolution meant for the major finding went to the minor one
    app.put_finding(token, &world.case_id, &minor, "Planen är omskriven")
        .await
        .should_be(200);
    let mut web = Web::login(&app, &world.consultant.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = web.get(&path).await;
    let at = |text: &str| page.text.find(text).unwrap_or_else(|| panic!("{text}"));
    assert!(at("Större brist i planen") < at("Mindre brist i protokollen"));
    assert!(at("Mindre brist i protokollen") < at("Iakttagelse om mallen"));
    assert!(page.text.contains("Rätta åtgärden"), "{}", page.text);

    // A correction without a reason is refused next to the field; nothing changes
    let action = format!("{path}/findings/{minor}/correction");
    let before = snapshot(&app).await;
    let refused = web
        .post(
            &action,
            &[("resolution", "Planen är omskriven"), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for field in ["resolution", "reason"] {
        assert!(
            refused
                .text
                .contains(&format!("id=\"correct-resolution-{minor}-{field}-error\"")),
            "{field}: {}",
            refused.text
        );
    }
    assert_unchanged(&before, &snapshot(&app).await, "a refused correction");

    // A blank resolution with a reason opens the finding again, as a new event
    let done = web
        .post(
            &action,
            &[
                ("resolution", ""),
                ("reason", "Hörde till den större avvikelsen"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let finding = app
        .get_findings(token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .into_iter()
        .find(|f| f["id"] == minor.as_str())
        .expect("the finding");
    assert!(finding["resolution"].is_null(), "{finding}");
    let last = last_event(&app, &world.case_id).await;
    assert_eq!(last["kind"], "resolution_corrected", "{last}");
    assert_eq!(last["comment"], "Hörde till den större avvikelsen");
    let page = web.get(&path).await;
    assert!(
        page.text.contains(&format!("id=\"resolve-{minor}\"")),
        "the finding can be resolved again: {}",
        page.text
    );
}

#[actix_rt::test]
async fn an_attendance_saved_on_the_wrong_meeting_is_cleared_with_a_reason_and_every_error_shown() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app.hold_session(token, &world.case_id, "kickoff", 9).await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = web.get(&path).await;
    assert!(
        page.text
            .contains(&format!("id=\"correct-attendance-{sid}\"")),
        "{}",
        page.text
    );
    let action = format!("{path}/sessions/{sid}/attendance/correction");

    // A figure that is no number and no reason: both named at once, nothing changed
    let before = snapshot(&app).await;
    let refused = web
        .post(&action, &[("attended", "nio"), ("reason", "")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for field in ["attended", "reason"] {
        assert!(
            refused
                .text
                .contains(&format!("id=\"correct-attendance-{sid}-{field}-error\"")),
            "{field}: {}",
            refused.text
        );
    }
    // Above the headcount and no reason: both named too
    let refused = web
        .post(&action, &[("attended", "11"), ("reason", " ")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for field in ["attended", "reason"] {
        assert!(
            refused
                .text
                .contains(&format!("id=\"correct-attendance-{sid}-{field}-error\"")),
            "{field}: {}",
            refused.text
        );
    }
    assert_unchanged(&before, &snapshot(&app).await, "refused corrections");

    // Cleared with a reason: a new event, and the attendance form is back
    let done = web
        .post(
            &action,
            &[("attended", ""), ("reason", "Siffran gällde verkstaden")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let session = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .into_iter()
        .find(|s| s["id"] == sid.as_str())
        .expect("the session");
    assert!(session["attended"].is_null(), "{session}");
    let last = last_event(&app, &world.case_id).await;
    assert_eq!(last["kind"], "attendance_corrected", "{last}");
    assert_eq!(last["comment"], "Siffran gällde verkstaden");
    let page = web.get(&path).await;
    assert!(
        page.text.contains(&format!("id=\"attendance-{sid}\"")),
        "{}",
        page.text
    );
    // Set to the right figure: the case counts it again
    let done = web
        .post(
            &action,
            &[("attended", "7"), ("reason", "Rätt siffra från listan")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let session = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .into_iter()
        .find(|s| s["id"] == sid.as_str())
        .expect("the session");
    assert_eq!(session["attended"], 7, "{session}");
}

#[actix_rt::test]
async fn a_certified_units_page_says_what_happens_next_instead_of_an_evidence_form() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let certificate = app
        .get_certificate(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    let number = certificate["number"].as_str().expect("a number");
    let until = certificate["valid_until"].as_str().expect("a date");
    let mut web = Web::login(&app, &contact.email).await;
    let page = web.get("/unit").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Vad händer nu?"), "{}", page.text);
    assert!(
        page.text.contains(&format!(
            "Certifikatet {number} gäller till och med {until}."
        )),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("Nästa uppföljande granskning ska vara gjord senast"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(&format!(
            "href=\"/cases/{}/certificate.pdf\"",
            world.case_id
        )),
        "{}",
        page.text
    );
    assert!(!page.text.contains("id=\"evidence\""), "{}", page.text);
}

//! Programmes as data: a programme's own path of stages and requirements, run end to
//! end over HTTP (FRAMM-style supervision, RFSL-style training share), bad paths, and
//! moving running cases to a newer version.

use serde_json::{json, Value};

use crate::helpers::{random_hex, requirement, spawn_app, TestApp};

/// Mölndal's FRAMM shape: a mapping, four documented supervision sessions at 80 %,
/// audit.
fn framm(key: &str) -> Value {
    json!({
        "key": key,
        "name": "FRAMM handledning",
        "description": "Kartläggning och fyra dokumenterade handledningar i chefsgrupp.",
        "validity_months": 24,
        "path": [
            {"stage": "kickoff", "deadline_days": 30, "requirements": [
                {"kind": "sessions_held", "session_kind": "mapping", "count": 1, "documented": true}]},
            {"stage": "value_workshops", "deadline_days": 240, "requirements": [
                {"kind": "sessions_held", "session_kind": "supervision", "count": 4,
                 "attendance_pct": 80, "documented": true}]},
            {"stage": "audit", "deadline_days": 30}
        ]
    })
}

/// An RFSL-style certification: four trainings, 80 % of the staff trained, evidence.
fn rfsl(key: &str) -> Value {
    json!({
        "key": key,
        "name": "HBTQI-certifiering",
        "validity_months": 36,
        "path": [
            {"stage": "kickoff", "deadline_days": 30, "requirements": [
                {"kind": "sessions_held", "session_kind": "kickoff", "count": 1}]},
            {"stage": "value_workshops", "deadline_days": 180, "requirements": [
                {"kind": "sessions_held", "session_kind": "training", "count": 4},
                {"kind": "share_of_staff", "measure": "trained", "pct": 80}]},
            {"stage": "routine_integration", "deadline_days": 120, "requirements": [
                {"kind": "evidence_in_areas", "areas": ["action_plan", "working_group"]}]},
            {"stage": "audit", "deadline_days": 30}
        ]
    })
}

struct Running {
    consultant: String,
    auditor_id: String,
    auditor: String,
    case_id: String,
}

/// A unit of `headcount` enrolled in `programme_id` by a new consultant.
async fn enrolled(app: &TestApp, programme_id: &str, headcount: u32) -> Running {
    let organisation_id = app
        .create_organisation(&format!("Org {}", random_hex()))
        .await;
    let unit_id = app.create_unit(&organisation_id, headcount).await;
    let consultant = app.create_user("consultant", None, None).await;
    let auditor = app.create_user("auditor", None, None).await;
    let case_id = app
        .post_cases(
            &consultant.token,
            &json!({"unit_id": unit_id, "programme_id": programme_id}),
        )
        .await
        .should_be(201)
        .id();
    Running {
        consultant: consultant.token,
        auditor_id: auditor.id,
        auditor: auditor.token,
        case_id,
    }
}

/// A session of `kind` held last week with `attended`, and notes when `notes` is given.
async fn held(app: &TestApp, run: &Running, kind: &str, attended: u32, notes: Option<&str>) {
    let sid = app
        .hold_session(&run.consultant, &run.case_id, kind, attended)
        .await;
    if let Some(notes) = notes {
        let session = app
            .patch_session(
                &run.consultant,
                &run.case_id,
                &sid,
                &json!({"notes": notes, "themes": ["Likvärdig service"]}),
            )
            .await
            .should_be(200);
        assert_eq!(session.body["notes"], notes);
        assert!(session.body["documented_at"].is_string());
    }
}

async fn advance(app: &TestApp, run: &Running) -> Value {
    app.transition(&run.consultant, &run.case_id, &json!({"action": "advance"}))
        .await
        .should_be(200)
        .body
}

#[actix_rt::test]
async fn a_framm_programme_runs_mapping_then_documented_supervision_then_audit() {
    let app = spawn_app().await;
    let programme = app
        .post_programmes(&app.admin.token, &framm(&format!("framm-{}", random_hex())))
        .await
        .should_be(201)
        .body;
    assert_eq!(
        programme["stages"],
        json!(["kickoff", "value_workshops", "audit", "certified"])
    );
    assert_eq!(programme["path"][1]["requirements"][0]["count"], 4);
    let run = enrolled(&app, programme["id"].as_str().unwrap(), 12).await;

    // Mapping: held but not documented does not count; documented it does.
    held(&app, &run, "mapping", 1, None).await;
    let case = app.case(&run.case_id).await;
    let mapping = requirement(&case, "mapping_sessions_held");
    assert_eq!(
        (mapping["current"].clone(), mapping["met"].clone()),
        (json!(0), json!(false))
    );
    app.transition(&run.consultant, &run.case_id, &json!({"action": "advance"}))
        .await
        .should_be_problem(422, None);
    held(
        &app,
        &run,
        "mapping",
        1,
        Some("Kartläggning: intervju med förvaltningschefen och genomgång av styrdokument."),
    )
    .await;
    let case = advance(&app, &run).await;
    assert_eq!(case["stage"], "value_workshops");

    // Supervision: 80 % of 12 is 10; one with 9, one undocumented do not count.
    held(
        &app,
        &run,
        "supervision",
        9,
        Some("Gruppen diskuterade bemötande."),
    )
    .await;
    held(&app, &run, "supervision", 11, None).await;
    for n in 1..=3 {
        held(
            &app,
            &run,
            "supervision",
            10,
            Some(&format!(
                "Handledning {n}: gruppen arbetade med sina fokusområden."
            )),
        )
        .await;
    }
    let req = requirement(&app.case(&run.case_id).await, "supervision_sessions_held");
    assert_eq!(
        (req["current"].clone(), req["required"].clone()),
        (json!(3), json!(4))
    );
    // There is no next stage to advance to before audit: request_audit from here.
    app.transition(&run.consultant, &run.case_id, &json!({"action": "advance"}))
        .await
        .should_be_problem(409, None);
    app.transition(
        &run.consultant,
        &run.case_id,
        &json!({"action": "request_audit", "auditor_id": run.auditor_id}),
    )
    .await
    .should_be_problem(422, None);
    held(
        &app,
        &run,
        "supervision",
        12,
        Some("Handledning 4: uppföljning av rutinen."),
    )
    .await;
    let case = app
        .transition(
            &run.consultant,
            &run.case_id,
            &json!({"action": "request_audit", "auditor_id": run.auditor_id}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(case["stage"], "audit");

    // A return goes back to the last stage before audit, the supervision stage.
    let case = app
        .transition(
            &run.auditor,
            &run.case_id,
            &json!({"action": "return", "findings": [{"severity": "minor", "text": "Dokumentera helpdesken."}]}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(case["stage"], "value_workshops");
    assert!(requirement(&case, "findings_resolved")["met"] == false);
    app.resolve_open_findings(&run.consultant, &run.case_id)
        .await;
    app.transition(
        &run.consultant,
        &run.case_id,
        &json!({"action": "request_audit", "auditor_id": run.auditor_id}),
    )
    .await
    .should_be(200);
    let case = app
        .transition(
            &run.auditor,
            &run.case_id,
            &json!({"action": "approve", "findings": []}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(
        (case["stage"].clone(), case["status"].clone()),
        (json!("certified"), json!("certified"))
    );

    // Every history event is on the programme's own stages.
    let events = app
        .get_events(&app.admin.token, &run.case_id)
        .await
        .should_be(200);
    let stages: Vec<Value> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| [e["from_stage"].clone(), e["to_stage"].clone()])
        .filter(|s| !s.is_null())
        .collect();
    for skipped in ["individual_reflection", "routine_integration"] {
        assert!(!stages.contains(&json!(skipped)), "{skipped} in {stages:?}");
    }
}

#[actix_rt::test]
async fn an_rfsl_programme_certifies_only_at_80_percent_of_the_staff_trained() {
    let app = spawn_app().await;
    let programme = app
        .post_programmes(&app.admin.token, &rfsl(&format!("rfsl-{}", random_hex())))
        .await
        .should_be(201)
        .body;
    assert_eq!(
        programme["routine_areas"],
        json!(["action_plan", "working_group"])
    );
    let run = enrolled(&app, programme["id"].as_str().unwrap(), 11).await;
    held(&app, &run, "kickoff", 5, None).await;
    advance(&app, &run).await;
    // Four trainings attended by few each: the share trained over all of them counts.
    for _ in 0..4 {
        held(&app, &run, "training", 3, None).await;
    }
    // 80 % of 11 rounds up to 9: 8 trained is not enough.
    let path = format!("/cases/{}/measures/trained", run.case_id);
    let case = app
        .put(&run.consultant, &path, &json!({"completed": 8}))
        .await
        .should_be(200)
        .body;
    let trained = requirement(&case, "staff_trained");
    assert_eq!(
        (
            trained["current"].clone(),
            trained["required"].clone(),
            trained["met"].clone()
        ),
        (json!(8), json!(9), json!(false))
    );
    app.transition(&run.consultant, &run.case_id, &json!({"action": "advance"}))
        .await
        .should_be_problem(422, None);
    app.put(&run.consultant, &path, &json!({"completed": 12}))
        .await
        .should_be_problem(422, Some("completed"));
    app.put(
        &run.consultant,
        &format!("/cases/{}/measures/feelings", run.case_id),
        &json!({"completed": 1}),
    )
    .await
    .should_be(404);
    app.put(&run.consultant, &path, &json!({"completed": 9}))
        .await
        .should_be(200);
    let case = advance(&app, &run).await;
    assert_eq!(case["stage"], "routine_integration");
    app.add_evidence(&run.consultant, &run.case_id, "apt")
        .await
        .should_be_problem(422, Some("area"));
    for area in ["action_plan", "working_group"] {
        app.add_evidence(&run.consultant, &run.case_id, area)
            .await
            .should_be(201);
    }
    app.transition(
        &run.consultant,
        &run.case_id,
        &json!({"action": "request_audit", "auditor_id": run.auditor_id}),
    )
    .await
    .should_be(200);
    let case = app
        .transition(
            &run.auditor,
            &run.case_id,
            &json!({"action": "approve", "findings": []}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(case["status"], "certified");
    assert!(case["certificate"]["number"].is_string());
}

#[actix_rt::test]
async fn the_default_programme_answers_its_path_from_the_flat_fields() {
    let app = spawn_app().await;
    let id = app.default_programme_id().await;
    let programme = app
        .get_programme(&app.admin.token, &id)
        .await
        .should_be(200)
        .body;
    assert_eq!(programme["stages"].as_array().unwrap().len(), 6);
    assert_eq!(
        programme["path"][1]["requirements"][0],
        json!({"kind": "sessions_held", "session_kind": "workshop", "count": 4, "attendance_pct": 80, "documented": false})
    );
    assert_eq!(
        programme["path"][2]["requirements"][0],
        json!({"kind": "share_of_staff", "measure": "reflections", "pct": 80})
    );
}

#[actix_rt::test]
async fn a_bad_path_names_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let key = format!("bad-{}", random_hex());
    let with_path = |path: Value| json!({"key": key, "name": "Trasig", "path": path});
    let audit = json!({"stage": "audit", "deadline_days": 30});
    let kickoff = json!({"stage": "kickoff", "deadline_days": 30});
    let cases = [
        (
            json!([kickoff, {"stage": "routine_integration", "deadline_days": 30}, {"stage": "value_workshops", "deadline_days": 30}, audit]),
            "path[2].stage",
        ),
        (json!([kickoff, kickoff, audit]), "path[1].stage"),
        (
            json!([kickoff, {"stage": "value_workshops", "deadline_days": 30, "requirements": [{"kind": "sessions_held", "session_kind": "workshop", "count": 0}]}, audit]),
            "path[1].requirements[0].count",
        ),
        (
            json!([kickoff, {"stage": "value_workshops", "deadline_days": 30, "requirements": [{"kind": "sessions_held", "session_kind": "workshop", "count": 51}]}, audit]),
            "path[1].requirements[0].count",
        ),
        (
            json!([{"stage": "kickoff", "deadline_days": 30, "requirements": [{"kind": "share_of_staff", "measure": "trained", "pct": 0}]}, audit]),
            "path[0].requirements[0].pct",
        ),
        (
            json!([{"stage": "kickoff", "deadline_days": 30, "requirements": [{"kind": "share_of_staff", "measure": "trained", "pct": 101}]}, audit]),
            "path[0].requirements[0].pct",
        ),
        (
            json!([{"stage": "kickoff", "deadline_days": 30, "requirements": [{"kind": "evidence_in_areas", "areas": ["apt", "apt"]}]}, audit]),
            "path[0].requirements[0].areas",
        ),
        (
            json!([{"stage": "kickoff", "deadline_days": 30, "requirements": [{"kind": "telepathy", "count": 1}]}, audit]),
            "path[0].requirements[0].kind",
        ),
        (json!([kickoff]), "path"),
        (
            json!([kickoff, {"stage": "audit", "deadline_days": 0}]),
            "path[1].deadline_days",
        ),
    ];
    for (path, field) in cases {
        app.post_programmes(&app.admin.token, &with_path(path.clone()))
            .await
            .should_be_problem(422, Some(field));
    }
    let listed = app
        .get_programmes(&app.admin.token, "?limit=200")
        .await
        .should_be(200);
    assert!(
        listed.items().iter().all(|p| p["key"] != json!(key)),
        "nothing stored"
    );
}

#[actix_rt::test]
async fn running_cases_move_to_a_newer_version_after_a_dry_run() {
    let app = spawn_app().await;
    let key = format!("framm-{}", random_hex());
    let v1 = app
        .post_programmes(&app.admin.token, &framm(&key))
        .await
        .should_be(201)
        .body;
    let v1_id = v1["id"].as_str().unwrap().to_string();
    let run = enrolled(&app, &v1_id, 10).await;
    held(&app, &run, "mapping", 1, Some("Kartläggning genomförd.")).await;
    advance(&app, &run).await;
    let waiting = enrolled(&app, &v1_id, 10).await;
    // Version 2 asks for five supervision sessions.
    let mut body = framm(&key);
    body["path"][1]["requirements"][0]["count"] = json!(5);
    let v2 = app
        .post_programmes(&app.admin.token, &body)
        .await
        .should_be(201)
        .body;
    assert_eq!(v2["version"], 2);
    let before = app
        .get_events(&app.admin.token, &run.case_id)
        .await
        .should_be(200)
        .body;

    let migrate = format!("/programmes/{v1_id}/migrate");
    let dry = app
        .post(
            &app.admin.token,
            &migrate,
            &json!({"to_version": 2, "dry_run": true}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["cases"].as_array().unwrap().len(), 2);
    let moved = dry["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_id"] == json!(run.case_id))
        .unwrap();
    assert_eq!(moved["to_stage"], "value_workshops");
    assert_eq!(
        app.get_events(&app.admin.token, &run.case_id)
            .await
            .should_be(200)
            .body,
        before,
        "a dry run changes nothing"
    );
    assert_eq!(app.case(&run.case_id).await["programme"]["version"], 1);

    app.post(&app.admin.token, &migrate, &json!({"to_version": 1}))
        .await
        .should_be_problem(422, Some("to_version"));
    app.post(&run.consultant, &migrate, &json!({"to_version": 2}))
        .await
        .should_be(403);
    let done = app
        .post(&app.admin.token, &migrate, &json!({"to_version": 2}))
        .await
        .should_be(200)
        .body;
    assert_eq!(done["dry_run"], false);
    for case_id in [&run.case_id, &waiting.case_id] {
        let case = app.case(case_id).await;
        assert_eq!(case["programme"]["version"], 2);
        let events = app
            .get_events(&app.admin.token, case_id)
            .await
            .should_be(200)
            .body;
        let last = events.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "programme_migrated");
    }
    assert_eq!(
        requirement(&app.case(&run.case_id).await, "supervision_sessions_held")["required"],
        5
    );
    let (code, stdout, stderr) = crate::history::verify_log(&app);
    assert_eq!(code, 0, "verify-log after the migration: {stdout} {stderr}");
}

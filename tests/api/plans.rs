//! Action plans over HTTP: a plan of an organisation with actions and their owners,
//! the responsible person updating their own action, nobody outside the organisation
//! seeing anything, and the bad inputs refused with nothing changed. The clock stands
//! at 2 March 2026.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, TestUser, World};

/// An organisation's case, its coordinator, and two more of its people.
struct Town {
    world: World,
    coordinator: TestUser,
    responsible: TestUser,
    colleague: TestUser,
}

async fn town(app: &TestApp) -> Town {
    let world = app.given_a_case().await;
    let org = Some(world.organisation_id.as_str());
    let coordinator = app.create_user("coordinator", org, None).await;
    let responsible = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let colleague = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    Town {
        world,
        coordinator,
        responsible,
        colleague,
    }
}

async fn create_plan(app: &TestApp, token: &str, organisation_id: &str) -> crate::helpers::Reply {
    app.post(
        token,
        &format!("/organisations/{organisation_id}/plans"),
        &json!({
            "title": "Plan för lika möjligheter",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        }),
    )
    .await
}

async fn add_action(
    app: &TestApp,
    token: &str,
    plan_id: &str,
    body: Value,
) -> crate::helpers::Reply {
    app.post(token, &format!("/plans/{plan_id}/actions"), &body)
        .await
}

fn action_body(town: &Town, title: &str, due_on: &str) -> Value {
    json!({
        "title": title,
        "description": "Kartlägg vilka som inte nås i dag.",
        "responsible_id": town.responsible.id,
        "coordinator_id": town.coordinator.id,
        "due_on": due_on,
    })
}

/// A plan by the consultant with one action by the coordinator; (plan id, action id).
async fn plan_with_an_action(app: &TestApp, town: &Town) -> (String, String) {
    let plan_id = create_plan(
        app,
        &town.world.consultant.token,
        &town.world.organisation_id,
    )
    .await
    .should_be(201)
    .id();
    let action_id = add_action(
        app,
        &town.coordinator.token,
        &plan_id,
        action_body(town, "Nå de sista 20 procenten", "2026-04-30"),
    )
    .await
    .should_be(201)
    .id();
    (plan_id, action_id)
}

async fn plan(app: &TestApp, plan_id: &str) -> Value {
    app.get(&app.admin.token, &format!("/plans/{plan_id}"))
        .await
        .should_be(200)
        .body
}

async fn history_kinds(app: &TestApp, plan_id: &str) -> Vec<String> {
    app.get(&app.admin.token, &format!("/plans/{plan_id}/history"))
        .await
        .should_be(200)
        .body
        .as_array()
        .expect("a list of events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[actix_rt::test]
async fn a_plan_lists_its_actions_with_their_owners_overdue_first_and_keeps_a_chained_history() {
    // Given an organisation's plan with an action due at the end of April
    let app = spawn_app().await;
    let town = town(&app).await;
    let (plan_id, action_id) = plan_with_an_action(&app, &town).await;

    // When the coordinator adds a second action that was due in February
    let late = add_action(
        &app,
        &town.coordinator.token,
        &plan_id,
        json!({ "title": "Kommunikationens språk", "responsible_id": town.colleague.id, "due_on": "2026-02-27" }),
    )
    .await
    .should_be(201);

    // Then the plan shows both with their people, the late one first and overdue
    assert_eq!(late.body["overdue"], true, "{}", late.text);
    assert_eq!(late.body["coordinator"], Value::Null);
    let body = plan(&app, &plan_id).await;
    assert_eq!(body["organisation_id"], json!(town.world.organisation_id));
    let actions = body["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0]["title"], "Kommunikationens språk");
    assert_eq!(actions[1]["id"], json!(action_id));
    assert_eq!(actions[1]["status"], "planned");
    assert_eq!(actions[1]["overdue"], false);
    assert_eq!(actions[1]["due_on"], "2026-04-30");
    assert_eq!(
        actions[1]["responsible"],
        json!({ "id": town.responsible.id, "name": "A unit_contact" })
    );
    assert_eq!(
        actions[1]["coordinator"],
        json!({ "id": town.coordinator.id, "name": "A coordinator" })
    );
    // And the organisation's list has the plan; its history holds every change, chained
    let list = app
        .get(
            &town.coordinator.token,
            &format!("/organisations/{}/plans", town.world.organisation_id),
        )
        .await
        .should_be(200);
    assert_eq!(list.body[0]["id"], json!(plan_id));
    let events = app
        .get(&app.admin.token, &format!("/plans/{plan_id}/history"))
        .await
        .should_be(200)
        .body;
    let events = events.as_array().expect("events");
    assert_eq!(
        history_kinds(&app, &plan_id).await,
        ["plan_created", "action_added", "action_added"]
    );
    assert_eq!(events[1]["prev_hash"], events[0]["hash"]);
    assert_eq!(events[2]["prev_hash"], events[1]["hash"]);
}

#[actix_rt::test]
async fn the_responsible_person_updates_their_action_and_follows_it_up_and_nobody_else_of_the_unit_may(
) {
    // Given an action whose responsible person is a unit contact of the organisation
    let app = spawn_app().await;
    let town = town(&app).await;
    let (plan_id, action_id) = plan_with_an_action(&app, &town).await;
    let path = format!("/plans/{plan_id}/actions/{action_id}");

    // When they start it, move its due date and write a follow-up
    let updated = app
        .patch(
            &town.responsible.token,
            &path,
            &json!({ "status": "in_progress", "due_on": "2026-05-15" }),
        )
        .await
        .should_be(200);
    let follow_up = app
        .post(
            &town.responsible.token,
            &format!("{path}/follow-ups"),
            &json!({ "text": "Två förvaltningar är intervjuade." }),
        )
        .await
        .should_be(201);

    // Then the action shows it all
    assert_eq!(updated.body["status"], "in_progress");
    assert_eq!(updated.body["due_on"], "2026-05-15");
    assert_eq!(follow_up.body["by"]["id"], json!(town.responsible.id));
    let action = &plan(&app, &plan_id).await["actions"][0];
    assert_eq!(
        action["follow_ups"][0]["text"],
        "Två förvaltningar är intervjuade."
    );
    // And a colleague in the same unit, responsible for nothing here, may not
    app.patch(&town.colleague.token, &path, &json!({ "status": "done" }))
        .await
        .should_be_problem(403, None);
    app.post(
        &town.colleague.token,
        &format!("{path}/follow-ups"),
        &json!({ "text": "Klart!" }),
    )
    .await
    .should_be_problem(403, None);
    // Nor add actions or create plans
    add_action(
        &app,
        &town.responsible.token,
        &plan_id,
        action_body(&town, "Egen", "2026-06-01"),
    )
    .await
    .should_be_problem(403, None);
    create_plan(&app, &town.coordinator.token, &town.world.organisation_id)
        .await
        .should_be_problem(403, None);
    assert_eq!(
        history_kinds(&app, &plan_id).await,
        [
            "plan_created",
            "action_added",
            "action_updated",
            "follow_up_added"
        ]
    );
}

#[actix_rt::test]
async fn a_user_of_another_organisation_finds_nothing() {
    // Given a plan of one organisation and a coordinator of another
    let app = spawn_app().await;
    let town = town(&app).await;
    let (plan_id, action_id) = plan_with_an_action(&app, &town).await;
    let other_org = app.create_organisation("Annan kommun").await;
    let outsider = app.create_user("coordinator", Some(&other_org), None).await;
    let path = format!("/plans/{plan_id}/actions/{action_id}");

    // Then every door is a 404, as if the plan did not exist
    for reply in [
        app.get(&outsider.token, &format!("/plans/{plan_id}")).await,
        app.get(&outsider.token, &format!("/plans/{plan_id}/history"))
            .await,
        app.get(
            &outsider.token,
            &format!("/organisations/{}/plans", town.world.organisation_id),
        )
        .await,
        app.patch(&outsider.token, &path, &json!({ "status": "done" }))
            .await,
        app.post(
            &outsider.token,
            &format!("{path}/follow-ups"),
            &json!({ "text": "Hej" }),
        )
        .await,
        add_action(
            &app,
            &outsider.token,
            &plan_id,
            action_body(&town, "X", "2026-06-01"),
        )
        .await,
    ] {
        reply.should_be_problem(404, None);
    }
    assert_eq!(
        plan(&app, &plan_id).await["actions"][0]["status"],
        "planned"
    );
}

#[actix_rt::test]
async fn bad_inputs_are_refused_naming_the_field_and_change_nothing() {
    // Given a plan with an action
    let app = spawn_app().await;
    let town = town(&app).await;
    let (plan_id, action_id) = plan_with_an_action(&app, &town).await;
    let other_org = app.create_organisation("Annan kommun").await;
    let stranger = app.create_user("coordinator", Some(&other_org), None).await;
    let staff = app.create_user("consultant", None, None).await;
    let before = plan(&app, &plan_id).await;
    let path = format!("/plans/{plan_id}/actions/{action_id}");
    let consultant = &town.world.consultant.token;

    // Owners from another organisation, or of none
    let mut body = action_body(&town, "Fysiska hinder", "2026-06-01");
    body["responsible_id"] = json!(stranger.id);
    add_action(&app, consultant, &plan_id, body)
        .await
        .should_be_problem(422, Some("responsible_id"));
    let mut body = action_body(&town, "Fysiska hinder", "2026-06-01");
    body["coordinator_id"] = json!(staff.id);
    add_action(&app, consultant, &plan_id, body)
        .await
        .should_be_problem(422, Some("coordinator_id"));
    app.patch(consultant, &path, &json!({ "responsible_id": stranger.id }))
        .await
        .should_be_problem(422, Some("responsible_id"));
    // Bad dates and an unknown status
    app.post(
        consultant,
        &format!("/organisations/{}/plans", town.world.organisation_id),
        &json!({ "title": "Baklänges", "period_start": "2026-06-01", "period_end": "2026-05-31" }),
    )
    .await
    .should_be_problem(422, Some("period_end"));
    app.post(
        consultant,
        &format!("/organisations/{}/plans", town.world.organisation_id),
        &json!({ "title": "Datum", "period_start": "2026-02-30", "period_end": "2026-05-31" }),
    )
    .await
    .should_be_problem(422, Some("period_start"));
    app.patch(consultant, &path, &json!({ "due_on": "31/12/2026" }))
        .await
        .should_be_problem(422, Some("due_on"));
    app.patch(consultant, &path, &json!({ "status": "finished" }))
        .await
        .should_be_problem(422, Some("status"));
    // A case of another organisation, and a blank follow-up
    let elsewhere = app.given_a_case().await;
    app.post(
        consultant,
        &format!("/organisations/{}/plans", town.world.organisation_id),
        &json!({ "title": "Fel ärende", "period_start": "2026-01-01", "period_end": "2026-12-31", "case_id": elsewhere.case_id }),
    )
    .await
    .should_be_problem(422, Some("case_id"));
    app.post(
        consultant,
        &format!("{path}/follow-ups"),
        &json!({ "text": "   " }),
    )
    .await
    .should_be_problem(422, Some("text"));
    assert_eq!(plan(&app, &plan_id).await, before);
    let plans = app
        .get(
            &app.admin.token,
            &format!("/organisations/{}/plans", town.world.organisation_id),
        )
        .await
        .should_be(200);
    assert_eq!(plans.body.as_array().map(Vec::len), Some(1));

    // When the action is dropped, a follow-up is a conflict and is not kept
    app.patch(consultant, &path, &json!({ "status": "dropped" }))
        .await
        .should_be(200);
    app.post(
        &town.responsible.token,
        &format!("{path}/follow-ups"),
        &json!({ "text": "Vi fortsätter ändå." }),
    )
    .await
    .should_be_problem(409, None);
    let action = &plan(&app, &plan_id).await["actions"][0];
    assert_eq!(action["follow_ups"], json!([]));
    assert_eq!(
        history_kinds(&app, &plan_id).await,
        ["plan_created", "action_added", "action_updated"]
    );
}

#[actix_rt::test]
async fn a_case_whose_programme_requires_an_action_plan_advances_only_once_its_linked_plan_has_an_action(
) {
    // Given a programme whose kickoff asks for an action plan, and a case in it
    let app = spawn_app().await;
    let programme_id = app
        .post_programmes(
            &app.admin.token,
            &json!({
                "key": format!("plan_{}", crate::helpers::random_hex()),
                "name": "Lika möjligheter",
                "validity_months": 24,
                "path": [
                    {"stage": "kickoff", "deadline_days": 60, "requirements": [{"kind": "action_plan"}]},
                    {"stage": "value_workshops", "deadline_days": 180, "requirements": []},
                    {"stage": "audit", "deadline_days": 30}
                ]
            }),
        )
        .await
        .should_be(201)
        .id();
    let organisation_id = app.create_organisation("Helsingborgs stad").await;
    let unit_id = app.create_unit(&organisation_id, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let responsible = app.create_user("unit_contact", None, Some(&unit_id)).await;
    let case_id = app
        .post_cases(
            &consultant.token,
            &json!({"unit_id": unit_id, "programme_id": programme_id}),
        )
        .await
        .should_be(201)
        .id();
    let advance = json!({ "action": "advance" });

    // While the case has no plan, and while its plan has no action, it does not advance
    let refused = app
        .transition(&consultant.token, &case_id, &advance)
        .await
        .should_be_problem(422, None);
    assert_eq!(refused.unmet_keys(), vec!["action_plan"]);
    let plan_id = app
        .post(
            &consultant.token,
            &format!("/organisations/{organisation_id}/plans"),
            &json!({ "title": "Plan", "period_start": "2026-01-01", "period_end": "2026-12-31", "case_id": case_id }),
        )
        .await
        .should_be(201)
        .id();
    let refused = app
        .transition(&consultant.token, &case_id, &advance)
        .await
        .should_be_problem(422, None);
    assert_eq!(refused.unmet_keys(), vec!["action_plan"]);
    let case = app
        .get_case(&consultant.token, &case_id)
        .await
        .should_be(200);
    assert_eq!(
        crate::helpers::requirement(&case.body, "action_plan")["met"],
        false
    );

    // When the plan gets an action, the requirement is met and the case advances
    add_action(
        &app,
        &consultant.token,
        &plan_id,
        json!({ "title": "Nå de sista 20 procenten", "responsible_id": responsible.id }),
    )
    .await
    .should_be(201);
    let case = app
        .get_case(&consultant.token, &case_id)
        .await
        .should_be(200);
    assert_eq!(
        crate::helpers::requirement(&case.body, "action_plan")["met"],
        true
    );
    let moved = app
        .transition(&consultant.token, &case_id, &advance)
        .await
        .should_be(200);
    assert_eq!(moved.body["stage"], "value_workshops");
}

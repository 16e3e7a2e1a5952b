//! The action plan pages: each role sees the plans it may (staff all, a coordinator
//! their organisation's, a responsible person the plans they have actions in), the plan
//! as a table with overdue actions first and marked in words, the forms only for those
//! the policy lets use them, the responsible person changing their own action and no
//! other, bad input shown next to its field with nothing changed, dropping asked first,
//! and the CSV in the glossary's words. The clock stands at 2 March 2026.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, TestUser, World, PASSWORD};
use crate::pages::page;
use crate::web_session::Web;

/// A user with a name of their own, signed in for the API.
async fn person(
    app: &TestApp,
    name: &str,
    role: &str,
    organisation_id: Option<&str>,
    unit_id: Option<&str>,
) -> TestUser {
    let email = format!("{}-{}@example.se", role, crate::helpers::random_hex());
    let mut body = json!({ "email": email, "name": name, "role": role, "password": PASSWORD });
    if let Some(org) = organisation_id {
        body["organisation_id"] = json!(org);
    }
    if let Some(unit) = unit_id {
        body["unit_id"] = json!(unit);
    }
    let id = app
        .post_users(&app.admin.token, &body)
        .await
        .should_be(201)
        .id();
    let token = app.login(&email, PASSWORD).await;
    TestUser {
        id,
        email,
        role: role.into(),
        token,
    }
}

/// A plan of an organisation with two actions: the first overdue (Åsa's), the second
/// due later (Örjan's); both followed up by the coordinator.
struct Plan {
    world: World,
    coordinator: TestUser,
    asa: TestUser,
    orjan: TestUser,
    plan_id: String,
    overdue_id: String,
    later_id: String,
}

async fn plan(app: &TestApp) -> Plan {
    let world = app.given_a_case().await;
    let org = world.organisation_id.clone();
    let coordinator = person(app, "Cecilia Samordnare", "coordinator", Some(&org), None).await;
    let asa = person(app, "Åsa Öberg", "unit_contact", None, Some(&world.unit_id)).await;
    let orjan = person(
        app,
        "Örjan Ärlig",
        "unit_contact",
        None,
        Some(&world.unit_id),
    )
    .await;
    let plan_id = app
        .post(
            &world.consultant.token,
            &format!("/organisations/{org}/plans"),
            &json!({ "title": "Plan för lika möjligheter", "period_start": "2026-01-01",
                     "period_end": "2026-12-31" }),
        )
        .await
        .should_be(201)
        .id();
    let add = |title: &str, who: &TestUser, due: &str| {
        json!({ "title": title, "responsible_id": who.id, "coordinator_id": coordinator.id,
                "due_on": due })
    };
    let path = format!("/plans/{plan_id}/actions");
    // Added in the opposite order of the table's, so the order is the page's doing.
    let later_id = app
        .post(
            &coordinator.token,
            &path,
            &add("Skriva en språkpolicy", &orjan, "2026-09-30"),
        )
        .await
        .should_be(201)
        .id();
    let overdue_id = app
        .post(
            &coordinator.token,
            &path,
            &add("Nå de sista 20 procenten", &asa, "2026-02-01"),
        )
        .await
        .should_be(201)
        .id();
    Plan {
        world,
        coordinator,
        asa,
        orjan,
        plan_id,
        overdue_id,
        later_id,
    }
}

fn has_form(text: &str, id: &str) -> bool {
    text.contains(&format!("id=\"{id}\" class=\"stacked\""))
}

async fn plan_json(app: &TestApp, p: &Plan) -> Value {
    app.get(&app.admin.token, &format!("/plans/{}", p.plan_id))
        .await
        .should_be(200)
        .body
}

fn action<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()
}

#[actix_rt::test]
async fn each_role_sees_the_plans_it_may_and_the_plan_as_a_table_overdue_first() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let title = "Plan för lika möjligheter";
    let bystander = person(
        &app,
        "Bo Åskådare",
        "unit_contact",
        None,
        Some(&p.world.unit_id),
    )
    .await;
    let elsewhere = app.create_organisation("Herrljunga kommun").await;
    let stranger = person(&app, "Sten Främling", "coordinator", Some(&elsewhere), None).await;

    // The list: staff with the form, the coordinator and the responsible without it
    let admin = page(&app, &app.admin.token, "/plans").await.should_be(200);
    assert!(admin.text.contains(title) && has_form(&admin.text, "plan"));
    let organisation = app
        .get_organisation(&app.admin.token, &p.world.organisation_id)
        .await
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        admin.text.contains(&organisation),
        "the organisation is shown"
    );
    for who in [&p.coordinator, &p.asa] {
        let list = page(&app, &who.token, "/plans").await.should_be(200);
        assert!(list.text.contains(title), "{}: {}", who.role, list.text);
        assert!(!has_form(&list.text, "plan"));
        assert!(
            list.text.contains("href=\"/plans\""),
            "the menu has the plans"
        );
    }
    // A unit contact with no action and another organisation's coordinator see none
    for who in [&bystander, &stranger] {
        let list = page(&app, &who.token, "/plans").await.should_be(200);
        assert!(!list.text.contains(title), "{}", list.text);
    }
    let plan_path = format!("/plans/{}", p.plan_id);
    page(&app, &stranger.token, &plan_path).await.should_be(404);
    page(&app, &app.admin.token, "/plans/no-such-plan")
        .await
        .should_be(404);

    // The plan: overdue first, marked in words; the add form for the coordinator
    let shown = page(&app, &p.coordinator.token, &plan_path)
        .await
        .should_be(200);
    let first = shown.text.find("Nå de sista 20 procenten").unwrap();
    let second = shown.text.find("Skriva en språkpolicy").unwrap();
    assert!(first < second, "the overdue action comes first");
    assert!(shown.text.contains("Försenad:"), "overdue in words");
    assert_eq!(shown.text.matches("Försenad:").count(), 1);
    assert!(shown.text.contains("Åsa Öberg") && shown.text.contains("Cecilia Samordnare"));
    assert!(shown.text.contains("Planerad"), "the status in Swedish");
    assert!(has_form(&shown.text, "plan-action"));
    assert!(
        shown
            .text
            .contains("lade till åtgärden Nå de sista 20 procenten"),
        "the history"
    );
    assert!(shown.text.contains(&format!("/plans/{}.csv", p.plan_id)));
    // The responsible person sees the plan without the add form
    let theirs = page(&app, &p.asa.token, &plan_path).await.should_be(200);
    assert!(!has_form(&theirs.text, "plan-action"));

    // Each action's page offers its forms to those who may change it
    let own = format!("/plans/{}/actions/{}", p.plan_id, p.overdue_id);
    let others = format!("/plans/{}/actions/{}", p.plan_id, p.later_id);
    let mine = page(&app, &p.asa.token, &own).await.should_be(200);
    assert!(has_form(&mine.text, "action-update") && has_form(&mine.text, "action-follow-up"));
    let not_mine = page(&app, &p.asa.token, &others).await.should_be(200);
    assert!(!has_form(&not_mine.text, "action-update"));
    assert!(!has_form(&not_mine.text, "action-follow-up"));
    let coordinators = page(&app, &p.coordinator.token, &others)
        .await
        .should_be(200);
    assert!(has_form(&coordinators.text, "action-update"));
    page(&app, &stranger.token, &own).await.should_be(404);
    page(
        &app,
        &p.asa.token,
        &format!("/plans/{}/actions/no-such-action", p.plan_id),
    )
    .await
    .should_be(404);
}

#[actix_rt::test]
async fn the_responsible_person_changes_their_own_action_and_no_other() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let mut asa = Web::login(&app, &p.asa.email).await;
    let own = format!("/plans/{}/actions/{}", p.plan_id, p.overdue_id);

    // Their own: done, with a follow-up
    let done = asa
        .post(
            &own,
            &[
                ("status", "done"),
                ("due_on", "2026-02-01"),
                ("responsible_id", &p.asa.id),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let written = asa
        .post(
            &format!("{own}/follow-ups"),
            &[("text", "Enkäten är klar och skickad.")],
        )
        .await;
    assert_eq!(written.status, 303, "{}", written.text);
    let now = plan_json(&app, &p).await;
    let theirs = action(&now, &p.overdue_id);
    assert_eq!(theirs["status"], "done");
    assert_eq!(theirs["overdue"], false);
    assert_eq!(
        theirs["follow_ups"][0]["text"],
        "Enkäten är klar och skickad."
    );
    assert_eq!(theirs["follow_ups"][0]["by"]["name"], "Åsa Öberg");

    // Another's: refused, nothing changed
    let before = plan_json(&app, &p).await;
    let others = format!("/plans/{}/actions/{}", p.plan_id, p.later_id);
    let refused = asa
        .post(
            &others,
            &[
                ("status", "done"),
                ("due_on", ""),
                ("responsible_id", &p.asa.id),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let refused = asa
        .post(&format!("{others}/follow-ups"), &[("text", "Inte min.")])
        .await;
    assert_eq!(refused.status, 403);
    // Nor may they add an action
    let refused = asa
        .post(
            &format!("/plans/{}/actions", p.plan_id),
            &[("title", "Egen åtgärd"), ("responsible_id", &p.asa.id)],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(plan_json(&app, &p).await, before, "nothing changed");
    let _ = &p.orjan;
}

#[actix_rt::test]
async fn bad_input_is_shown_next_to_its_fields_all_at_once_and_changes_nothing() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let org = p.world.organisation_id.clone();
    let mut admin = Web::login(&app, &app.admin.email).await;
    let plans_of = format!("/organisations/{org}/plans");
    let before = app
        .get(&app.admin.token, &plans_of)
        .await
        .should_be(200)
        .text;

    // A plan without a title and with an unreadable date: both named, input kept
    let refused = admin
        .post(
            "/plans",
            &[
                ("title", " "),
                ("organisation_id", &org),
                ("period_start", "den första"),
                ("period_end", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("id=\"plan-title-error\""),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("id=\"plan-period_start-error\""));
    assert!(
        refused.text.contains("value=\"den första\""),
        "what was typed is kept"
    );
    // A period that ends before it starts
    let refused = admin
        .post(
            "/plans",
            &[
                ("title", "Baklänges"),
                ("organisation_id", &org),
                ("period_start", "2026-12-31"),
                ("period_end", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("id=\"plan-period_end-error\""));
    // A case of another organisation is named on its field
    let other = app.given_a_case().await;
    let offered = admin.get("/plans").await;
    assert!(
        offered
            .text
            .contains(&format!("value=\"{}\"", other.case_id)),
        "the cases are offered"
    );
    let refused = admin
        .post(
            "/plans",
            &[
                ("title", "Fel ärende"),
                ("organisation_id", &org),
                ("period_start", "2026-01-01"),
                ("period_end", "2026-12-31"),
                ("case_id", &other.case_id),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("id=\"plan-case_id-error\""),
        "{}",
        refused.text
    );
    // A coordinator may not start a plan
    let mut coordinator = Web::login(&app, &p.coordinator.email).await;
    let refused = coordinator
        .post(
            "/plans",
            &[
                ("title", "Egen plan"),
                ("organisation_id", &org),
                ("period_start", "2026-01-01"),
                ("period_end", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        app.get(&app.admin.token, &plans_of).await.text,
        before,
        "no plan was made"
    );
    // The plan of the organisation's own case is made, and links to the case
    let made = admin
        .post(
            "/plans",
            &[
                ("title", "Ärendets plan"),
                ("organisation_id", &org),
                ("period_start", "2026-01-01"),
                ("period_end", "2026-12-31"),
                ("case_id", &p.world.case_id),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let shown = admin.get(&made.header("location").unwrap()).await;
    assert!(shown.text.contains(&format!("/cases/{}", p.world.case_id)));

    // An action whose responsible person is of another organisation, and no title
    let elsewhere = app.create_organisation("Vänersborgs kommun").await;
    let outsider = person(&app, "Ulla Utsocken", "coordinator", Some(&elsewhere), None).await;
    let plan_before = plan_json(&app, &p).await;
    let refused = coordinator
        .post(
            &format!("/plans/{}/actions", p.plan_id),
            &[
                ("title", "Ny åtgärd"),
                ("responsible_id", &outsider.id),
                ("due_on", "snart"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("id=\"plan-action-due_on-error\""));
    let refused = coordinator
        .post(
            &format!("/plans/{}/actions", p.plan_id),
            &[("title", "Ny åtgärd"), ("responsible_id", &outsider.id)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused
        .text
        .contains("id=\"plan-action-responsible_id-error\""));
    assert!(refused.text.contains("måste höra till samma organisation"));
    // A blank follow-up, and a status that is no status
    let own = format!("/plans/{}/actions/{}", p.plan_id, p.overdue_id);
    let refused = coordinator
        .post(&format!("{own}/follow-ups"), &[("text", "  ")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("id=\"action-follow-up-text-error\""));
    let refused = coordinator
        .post(
            &own,
            &[
                ("status", "finished"),
                ("due_on", "2026-13-45"),
                ("responsible_id", &p.asa.id),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("id=\"action-update-status-error\""));
    assert!(refused.text.contains("id=\"action-update-due_on-error\""));
    assert_eq!(plan_json(&app, &p).await, plan_before, "nothing changed");

    // Dropping asks first; the confirmation drops it; a dropped action takes no
    // follow-up (409, in words)
    let drop = [
        ("status", "dropped"),
        ("due_on", "2026-02-01"),
        ("responsible_id", p.asa.id.as_str()),
    ];
    let asked = coordinator.post(&own, &drop).await;
    assert_eq!(asked.status, 200);
    assert!(
        asked.text.contains("id=\"action-drop-confirm\""),
        "{}",
        asked.text
    );
    assert_eq!(
        plan_json(&app, &p).await,
        plan_before,
        "asking changes nothing"
    );
    let mut confirmed = drop.to_vec();
    confirmed.push(("step", "confirm"));
    let dropped = coordinator.post(&own, &confirmed).await;
    assert_eq!(dropped.status, 303, "{}", dropped.text);
    assert_eq!(
        action(&plan_json(&app, &p).await, &p.overdue_id)["status"],
        "dropped"
    );
    let refused = coordinator
        .post(&format!("{own}/follow-ups"), &[("text", "Ändå?")])
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.text.contains("Åtgärden är struken"));
}

#[actix_rt::test]
async fn the_csv_has_the_glossarys_headers_names_and_status_words_in_a_safe_file_name() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    app.post(
        &p.asa.token,
        &format!("/plans/{}/actions/{}/follow-ups", p.plan_id, p.overdue_id),
        &json!({ "text": "Vi har börjat; första enkäten är ute." }),
    )
    .await
    .should_be(201);
    let path = format!("/plans/{}.csv", p.plan_id);
    let csv = page(&app, &p.coordinator.token, &path).await.should_be(200);
    assert_eq!(
        csv.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let disposition = csv.header("content-disposition").unwrap();
    assert!(
        disposition.contains("filename=\"plan-for-lika-mojligheter.csv\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''Plan%20f%C3%B6r%20lika%20m%C3%B6jligheter.csv"),
        "{disposition}"
    );
    let text = csv.text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "Åtgärd;Ansvarig;Samordnare;Status;Klart senast;Försenad;Senaste uppföljning;Uppföljd av;Uppföljd"
    );
    assert_eq!(lines.len(), 3, "a row per action: {text}");
    assert!(
        lines[1].starts_with(
            "Nå de sista 20 procenten;Åsa Öberg;Cecilia Samordnare;Planerad;2026-02-01;ja;\"Vi har börjat; första enkäten är ute.\";Åsa Öberg;"
        ),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "Skriva en språkpolicy;Örjan Ärlig;Cecilia Samordnare;Planerad;2026-09-30;nej;;;"
    );
    for id in [&p.asa.id, &p.coordinator.id, &p.overdue_id] {
        assert!(!text.contains(id.as_str()), "no ids in the CSV");
    }
    // The responsible person may download it; another organisation may not find it
    page(&app, &p.asa.token, &path).await.should_be(200);
    let elsewhere = app.create_organisation("Herrljunga kommun").await;
    let stranger = person(&app, "Sten Främling", "coordinator", Some(&elsewhere), None).await;
    page(&app, &stranger.token, &path).await.should_be(404);
}

/// What the CSRF table (`web_csrf.rs`) needs of these pages and the workshop-request
/// pages: ([plan, its action, a user of the organisation], three open requests).
pub(crate) async fn csrf_given(app: &TestApp, world: &World) -> ([String; 3], [String; 3]) {
    let org = &world.organisation_id;
    let owner = person(app, "Olle Ägare", "coordinator", Some(org), None).await;
    let plan_id = app
        .post(
            &app.admin.token,
            &format!("/organisations/{org}/plans"),
            &json!({ "title": "Planen", "period_start": "2026-01-01", "period_end": "2026-12-31" }),
        )
        .await
        .should_be(201)
        .id();
    let action_id = app
        .post(
            &app.admin.token,
            &format!("/plans/{plan_id}/actions"),
            &json!({ "title": "Åtgärden", "responsible_id": owner.id }),
        )
        .await
        .should_be(201)
        .id();
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let mut requests = Vec::new();
    for audience in ["Första", "Andra", "Tredje"] {
        requests.push(
            app.post(
                &contact.token,
                "/workshop-requests",
                &json!({ "audience": audience, "wished_dates": ["2026-03-20"] }),
            )
            .await
            .should_be(201)
            .id(),
        );
    }
    let [a, b, c]: [String; 3] = requests.try_into().expect("three requests");
    ([plan_id, action_id, owner.id], [a, b, c])
}

/// The CSRF table's rows of these pages and the workshop-request pages, sent by the
/// admin: (pattern, path, fields, whether success changes something stored).
#[allow(clippy::type_complexity, reason = "the table's own shape")]
pub(crate) fn csrf_rows(
    g: &crate::web_csrf::Given,
) -> Vec<(&'static str, String, Vec<(&'static str, String)>, bool)> {
    let [plan, action, owner] = &g.plans;
    let [accept, decline, _] = &g.workshop_requests;
    let fields = |pairs: &[(&'static str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (*k, v.to_string()))
            .collect::<Vec<_>>()
    };
    vec![
        (
            "/plans",
            "/plans".into(),
            fields(&[
                ("title", "Förfalskad plan"),
                ("organisation_id", &g.world_organisation),
                ("period_start", "2026-01-01"),
                ("period_end", "2026-12-31"),
            ]),
            true,
        ),
        (
            "/plans/{pid}/actions",
            format!("/plans/{plan}/actions"),
            fields(&[("title", "Förfalskad åtgärd"), ("responsible_id", owner)]),
            true,
        ),
        (
            "/plans/{pid}/actions/{aid}",
            format!("/plans/{plan}/actions/{action}"),
            fields(&[
                ("status", "in_progress"),
                ("due_on", "2026-06-30"),
                ("responsible_id", owner),
            ]),
            true,
        ),
        (
            "/plans/{pid}/actions/{aid}/follow-ups",
            format!("/plans/{plan}/actions/{action}/follow-ups"),
            fields(&[("text", "Förfalskad uppföljning")]),
            true,
        ),
        // Staff do not ask: with an unknown unit the right token reaches the use case
        // (422), not 403.
        (
            "/workshop-requests",
            "/workshop-requests".into(),
            fields(&[
                ("audience", "Förfalskad"),
                ("unit_id", "no-such-unit"),
                ("wished_dates[0]", "2026-03-20"),
            ]),
            false,
        ),
        (
            "/workshop-requests/{id}/accept",
            format!("/workshop-requests/{accept}/accept"),
            fields(&[
                ("schedule_as", "event"),
                ("starts_at", "2026-03-20T09:00"),
                ("ends_at", "2026-03-20T11:00"),
            ]),
            true,
        ),
        (
            "/workshop-requests/{id}/decline",
            format!("/workshop-requests/{decline}/decline"),
            fields(&[("step", "confirm"), ("reason", "Förfalskat skäl")]),
            true,
        ),
    ]
}

/// The demo's check (`demo.rs`): Helsingborg's plan with 17 actions, each with a
/// responsible person and a coordinator, some overdue, some followed up, as its
/// responsible person (who signs in to the demo) sees it.
pub(crate) fn demo_plan_has_17_actions(
    state: &stegvis::app::AppState,
    logins: &[stegvis::app::demo::DemoLogin],
) {
    use stegvis::app::lists::{self, Order, PlanSort};
    use stegvis::app::plans;
    let login = logins
        .iter()
        .find(|l| l.email == "hanna.ek@helsingborg.example")
        .expect("the plan's responsible person signs in");
    let admin = stegvis::domain::Actor {
        id: "demo-check".into(),
        role: stegvis::domain::Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    let order = Order {
        sort: PlanSort::Period,
        ascending: false,
        page: 1,
    };
    let asked = (Some(stegvis::app::demo::PLAN_TITLE.to_string()), None, None);
    let all = lists::plans(state, &admin, asked, order).unwrap().items;
    let found = all
        .iter()
        .find(|s| s.plan.title == stegvis::app::demo::PLAN_TITLE)
        .expect("Helsingborg's plan");
    assert_eq!(found.organisation, "Helsingborgs stad");
    let plan: &plans::Plan = &found.plan;
    assert_eq!(plan.actions.len(), 17);
    assert!(plan
        .actions
        .iter()
        .all(|a| !a.responsible.name.is_empty() && a.coordinator.is_some()));
    let coordinators: std::collections::BTreeSet<_> = plan
        .actions
        .iter()
        .filter_map(|a| a.coordinator.as_ref().map(|c| c.id.clone()))
        .collect();
    assert_eq!(coordinators.len(), 12, "twelve coordinators follow them up");
    let overdue = plan.actions.iter().filter(|a| a.overdue).count();
    assert!(overdue >= 3, "some are overdue: {overdue}");
    assert!(plan.actions.iter().any(|a| !a.follow_ups.is_empty()));
    assert!(plan
        .actions
        .iter()
        .any(|a| a.responsible.name == login.name));
}

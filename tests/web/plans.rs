//! An action plan by keyboard alone, axe-core clean: the coordinator opens the plan
//! from the menu and sees the overdue action first; the responsible person opens
//! their action, marks it done and writes a follow-up, which the plan then shows.
//! The plan page also at 360 px.

use fantoccini::key::Key;
use fantoccini::Locator;
use stegvis::app::email::EmailAddress;
use stegvis::app::headcount::Headcount;
use stegvis::app::inputs::{NewOrganisation, NewUnit, NewUser};
use stegvis::app::plan_inputs::{NewAction, NewPlan};
use stegvis::app::{organisations, plans, users};
use stegvis::domain::{Actor, Language, Role};

use crate::app::{random_hex, spawn_app, TestApp, PASSWORD};
use crate::browser::{words, Browser};
use crate::complaints::{keys, tab_to};

fn person(
    app: &TestApp,
    admin: &Actor,
    name: &str,
    role: Role,
    org: &str,
    unit: Option<&str>,
) -> (String, String) {
    let email = format!(
        "{}-{}@example.se",
        name.split(' ').next().unwrap_or("x").to_lowercase(),
        random_hex()
    );
    let user = users::create(
        &app.state,
        Some(admin),
        NewUser {
            email: EmailAddress::sent(&email),
            name: name.into(),
            role,
            organisation_id: unit.is_none().then(|| org.to_string()),
            unit_id: unit.map(String::from),
            language: Some(Language::Sv),
            password: Some(PASSWORD.into()),
        },
    )
    .expect("a user");
    (user.id, email)
}

/// The test's admin as an actor of the use cases.
pub(crate) fn admin_of(app: &TestApp) -> Actor {
    let mut conn = app.state.store.conn().expect("a connection");
    let row = stegvis::store::users::by_email(&mut conn, &app.admin_email)
        .expect("reads")
        .expect("the admin");
    Actor {
        id: row.id,
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    }
}

/// An organisation with one unit of 12; (organisation id, unit id).
pub(crate) fn organisation_with_unit(
    app: &TestApp,
    admin: &Actor,
    organisation: &str,
    unit: &str,
) -> (String, String) {
    let org = organisations::create(
        &app.state,
        admin,
        NewOrganisation {
            name: organisation.into(),
            org_number: None,
        },
    )
    .expect("an organisation")
    .id;
    let unit = organisations::create_unit(
        &app.state,
        admin,
        &org,
        NewUnit {
            name: unit.into(),
            department: None,
            headcount: Headcount::parse("headcount", 12).expect("a headcount"),
            contact_email: None,
        },
    )
    .expect("a unit")
    .id;
    (org, unit)
}

/// Presses Enter on the focused link or button and waits for the page it brings.
async fn enter(b: &Browser) {
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    keys(b, &Key::Enter.to_string()).await;
    b.wait_for_new_page(old).await;
}

#[actix_rt::test]
async fn the_coordinator_opens_the_plan_and_the_responsible_marks_their_action_done() {
    // Given a plan with an overdue action (Åsa's) and a later one (Örjan's)
    let app = spawn_app().await;
    let admin = admin_of(&app);
    let (org, unit) = organisation_with_unit(&app, &admin, "Helsingborgs stad", "Medborgarservice");
    let (coordinator_id, coordinator) = person(
        &app,
        &admin,
        "Cecilia Samordnare",
        Role::Coordinator,
        &org,
        None,
    );
    let (asa_id, asa) = person(
        &app,
        &admin,
        "Åsa Öberg",
        Role::UnitContact,
        &org,
        Some(&unit),
    );
    let (orjan_id, _) = person(
        &app,
        &admin,
        "Örjan Ärlig",
        Role::UnitContact,
        &org,
        Some(&unit),
    );
    let plan = plans::create(
        &app.state,
        &admin,
        &org,
        NewPlan {
            title: "Plan för lika möjligheter".into(),
            period_start: "2026-01-01".parse().expect("a date"),
            period_end: "2026-12-31".parse().expect("a date"),
            case_id: None,
        },
    )
    .expect("a plan");
    for (title, who, due) in [
        ("Skriva en språkpolicy", &orjan_id, "2026-09-30"),
        ("Nå de sista 20 procenten", &asa_id, "2026-02-01"),
    ] {
        plans::add_action(
            &app.state,
            &admin,
            &plan.id,
            NewAction {
                title: title.into(),
                description: None,
                responsible_id: who.clone(),
                coordinator_id: Some(coordinator_id.clone()),
                due_on: Some(due.parse().expect("a date")),
            },
        )
        .expect("an action");
    }
    let b = Browser::start(&app.address, "sv").await;

    // The coordinator opens the plan from the menu, by keyboard
    b.login(&coordinator, PASSWORD).await;
    tab_to(&b, "nav a[href='/plans']").await;
    enter(&b).await;
    assert_eq!(b.path().await, "/plans");
    b.check("plans").await;
    tab_to(&b, &format!("a[href='/plans/{}']", plan.id)).await;
    enter(&b).await;
    let text = b.text().await;
    let first = text
        .find("Nå de sista 20 procenten")
        .expect("the overdue action");
    let second = text
        .find("Skriva en språkpolicy")
        .expect("the later action");
    assert!(first < second, "the overdue action comes first: {text}");
    assert!(
        text.contains(&words("sv", "plans.overdue")),
        "overdue in words"
    );
    b.check("plan").await;
    b.check_at_360("plan", &app.dir).await;
    b.logout().await;

    // The responsible person opens their action and marks it done
    b.login(&asa, PASSWORD).await;
    tab_to(&b, "nav a[href='/plans']").await;
    enter(&b).await;
    tab_to(&b, &format!("a[href='/plans/{}']", plan.id)).await;
    enter(&b).await;
    tab_to(&b, &format!("a[href^='/plans/{}/actions/']", plan.id)).await;
    enter(&b).await;
    b.check("plan-action").await;
    tab_to(&b, "#action-update-status").await;
    keys(&b, "Klar").await;
    tab_to(&b, "#action-update button[type='submit']").await;
    enter(&b).await;
    b.expect_flash("plan_action_updated").await;
    assert!(b.text().await.contains(&words("sv", "plans.status.done")));

    // … and writes a follow-up
    tab_to(&b, "#action-follow-up-text").await;
    keys(&b, "Enkäten är klar och skickad till alla förvaltningar.").await;
    tab_to(&b, "#action-follow-up button[type='submit']").await;
    enter(&b).await;
    b.expect_flash("plan_follow_up_added").await;
    b.check("plan-action-followed-up").await;

    // The plan shows it done, no longer overdue, with the follow-up
    tab_to(&b, &format!("a[href='/plans/{}']", plan.id)).await;
    enter(&b).await;
    let text = b.text().await;
    assert!(
        text.contains("Enkäten är klar och skickad till alla förvaltningar."),
        "{text}"
    );
    assert!(
        !text.contains(&words("sv", "plans.overdue")),
        "nothing overdue: {text}"
    );
    b.check("plan-done").await;
}

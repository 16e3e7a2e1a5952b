//! Issue 15 in a real browser, on the demo data, in both languages, axe-core on every
//! page: the coordinator's start page lists the organisation's units and each leads to
//! its case by keyboard; withdrawing a case asks first on a confirmation page (which
//! changes nothing) and withdraws only once confirmed, by keyboard.

use fantoccini::key::Key;
use fantoccini::Locator;
use stegvis::app::cases;
use stegvis::domain::{Actor, Role, Stage, Status};

use crate::app::{spawn_empty_app, TestApp};
use crate::browser::{words, Browser};
use crate::complaints::{keys, tab_to};

const DEMO_ADMIN: &str = "admin@stegvis.demo";
const DEMO_COORDINATOR: &str = "sara@jarfalla.example";

fn status_of(app: &TestApp, case_id: &str) -> Status {
    let admin = Actor {
        id: "test".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    cases::get(&app.state, &admin, case_id)
        .expect("the case")
        .status
}

/// A case of the organisation in progress (active, not yet certified).
fn case_in_progress(app: &TestApp, organisation_id: &str) -> String {
    let admin = Actor {
        id: "test".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    let query = cases::CaseQuery {
        organisation_id: Some(organisation_id.to_string()),
        status: Some(Status::Active),
        ..cases::CaseQuery::default()
    };
    let page = stegvis::app::PageRequest {
        limit: 200,
        cursor: None,
    };
    cases::list(&app.state, &admin, query, page)
        .expect("the organisation's cases")
        .items
        .into_iter()
        .find(|c| c.stage != Stage::Certified)
        .expect("a case in progress")
        .id
}

/// Presses Enter on the focused element and waits for the page it opens.
async fn enter(b: &Browser) {
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    keys(b, &Key::Enter.to_string()).await;
    b.wait_for_new_page(old).await;
}

async fn walk(lang: &'static str) {
    let app = spawn_empty_app().await;
    stegvis::app::demo::load(&app.state).expect("the demo loads");
    let b = Browser::start(&app.address, lang).await;

    // The coordinator starts on her organisation's units, each linked to its case
    b.login(DEMO_COORDINATOR, stegvis::app::demo::DEMO_PASSWORD)
        .await;
    assert!(
        b.path().await.ends_with("/dashboard"),
        "the coordinator starts on the dashboard: {}",
        b.path().await
    );
    let heading = words(lang, "overview.units");
    assert!(b.text().await.contains(&heading), "{}", b.text().await);
    b.check("coordinator-home").await;
    b.client
        .find(Locator::Css("nav a[href='/cases']"))
        .await
        .expect("her case list is in her menu");
    let organisation = b
        .path()
        .await
        .trim_start_matches("/organisations/")
        .trim_end_matches("/dashboard")
        .to_string();
    let case_id = case_in_progress(&app, &organisation);
    let case_path = format!("/cases/{case_id}");
    tab_to(&b, &format!("table.unit-overview a[href='{case_path}']")).await;
    enter(&b).await;
    assert_eq!(b.path().await, case_path);
    b.check("coordinator-case").await;
    b.logout().await;

    // An admin withdraws a case in progress: asked first, then by keyboard confirmed
    b.login(DEMO_ADMIN, stegvis::app::demo::DEMO_PASSWORD).await;
    b.goto(&case_path).await;
    let comment = b
        .client
        .find(Locator::Css("#withdraw-comment"))
        .await
        .expect("the withdraw form's reason");
    comment.click().await.expect("focus the reason");
    keys(&b, "Enheten slås ihop med en annan").await;
    tab_to(&b, "#withdraw button[type=submit]").await;
    enter(&b).await;
    let question = words(lang, "confirm.withdraw.title");
    assert!(b.text().await.contains(&question), "{}", b.text().await);
    assert!(
        b.text().await.contains("Enheten slås ihop med en annan"),
        "the reason is shown before it is sent"
    );
    assert_eq!(
        status_of(&app, &case_id),
        Status::Active,
        "asking changes nothing"
    );
    b.check("withdraw-confirm").await;
    tab_to(&b, "#withdraw-confirm button[type=submit]").await;
    enter(&b).await;
    b.expect_flash("done_withdraw").await;
    assert_eq!(status_of(&app, &case_id), Status::Withdrawn);
    b.check("case-withdrawn").await;
    b.logout().await;
    b.client.clone().close().await.ok();
}

#[actix_rt::test]
async fn a_coordinator_finds_her_units_and_a_withdrawal_asks_first_in_swedish() {
    walk("sv").await;
}

#[actix_rt::test]
async fn a_coordinator_finds_her_units_and_a_withdrawal_asks_first_in_english() {
    walk("en").await;
}

//! The scale fixture runs every command through the command pipeline: what it writes is
//! what the API reads, and every history it writes verifies.

use std::sync::Arc;

use awc::http::Method;
use stegvis::clock::Clock;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn the_scale_fixture_writes_cases_the_api_reads_with_intact_histories() {
    let app = spawn_app().await;
    let state =
        stegvis::startup::prepare(app.settings.clone(), app.clock.clone() as Arc<dyn Clock>)
            .expect("a second handle on the app's database");
    let fixture = state.clone();
    let report = actix_web::web::block(move || stegvis::app::scale::load_sized(&fixture, 1, 12))
        .await
        .expect("the fixture's thread")
        .expect("the fixture loads");
    assert_eq!((report.organisations, report.cases), (1, 12));

    let cases = app
        .call(
            Method::GET,
            "/api/v1/cases?limit=200",
            Some(&app.admin.token),
            &[],
            None,
        )
        .await
        .should_be(200)
        .body;
    let items = cases["items"].as_array().expect("a page of cases");
    assert_eq!(items.len(), 12);
    let events: u64 = items
        .iter()
        .map(|c| c["version"].as_u64().expect("a version"))
        .sum();
    assert_eq!(report.events as u64, events);
    let certified = items.iter().filter(|c| c["status"] == "certified").count();
    assert_eq!(report.certificates, certified);
    assert!(
        certified > 0,
        "the seeded fixture certifies some of its cases"
    );
    assert!(
        items.iter().any(|c| c["stage"] == "kickoff"),
        "the seeded fixture leaves some cases at the start"
    );

    let chains = actix_web::web::block(move || stegvis::app::jobs::verify_all_histories(&state))
        .await
        .expect("the check's thread")
        .expect("the histories are read");
    assert_eq!(chains.verified, 12);
    assert!(chains.broken.is_empty(), "{:?}", chains.broken);
}

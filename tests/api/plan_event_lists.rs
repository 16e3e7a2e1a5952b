//! The plan and event lists over plain HTTP (issue 15): searched by title, filtered,
//! sorted and paged in SQL with every parameter kept in the URL and its links; bad
//! parameters fall back to the defaults; another organisation's plans never appear
//! for a coordinator.

use chrono::{Duration, SecondsFormat};
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};
use crate::list_pages::{at, read};
use crate::web_session::Web;

/// A plan of `organisation_id` over the year `year`.
async fn plan(app: &TestApp, organisation_id: &str, title: &str, year: i32) {
    app.post(
        &app.admin.token,
        &format!("/organisations/{organisation_id}/plans"),
        &json!({ "title": title, "period_start": format!("{year}-01-01"),
                 "period_end": format!("{year}-12-31") }),
    )
    .await
    .should_be(201);
}

#[actix_rt::test]
async fn the_plan_list_is_searched_filtered_sorted_paged_and_keeps_to_the_tenant() {
    // Given Alfa kommun's plans Plan 01 … Plan 21 (01–05 ended last year, 06–21 run
    // this year) and Beta region's plan for next year
    let app = spawn_app().await;
    let year = app.now().format("%Y").to_string().parse::<i32>().unwrap();
    let alfa = app.create_organisation("Alfa kommun").await;
    let beta = app.create_organisation("Beta region").await;
    for n in 1..=21 {
        let when = if n <= 5 { year - 1 } else { year };
        plan(&app, &alfa, &format!("Plan {n:02}"), when).await;
    }
    plan(&app, &beta, "Betas plan", year + 1).await;
    let mut admin = Web::login(&app, &app.admin.email).await;

    // Newest period first, 20 a page
    let first = read(&mut admin, "/plans").await;
    assert!(first.contains("Visar 1–20 av 22"), "{first}");
    assert!(at(&first, "Betas plan") < at(&first, "Plan 06"), "{first}");
    assert!(first.contains("href=\"/plans?page=2\""), "{first}");
    // Sorted by title both ways, the order kept by the pager
    let up = read(&mut admin, "/plans?sort=title&dir=asc").await;
    assert!(at(&up, "Betas plan") < at(&up, "Plan 01"), "{up}");
    assert!(!up.contains("Plan 20"), "{up}");
    assert!(
        up.contains("href=\"/plans?sort=title&dir=asc&page=2\""),
        "{up}"
    );
    let down = read(&mut admin, "/plans?sort=title&dir=desc&page=2").await;
    assert!(down.contains("Visar 21–22 av 22"), "{down}");
    assert!(at(&down, "Plan 01") < at(&down, "Betas plan"), "{down}");
    // Search by title, filter by organisation and period
    let found = read(&mut admin, "/plans?q=BETAS").await;
    assert!(found.contains("Visar 1–1 av 1"), "{found}");
    let ended = read(
        &mut admin,
        &format!("/plans?organisation={alfa}&period=ended"),
    )
    .await;
    assert!(ended.contains("Visar 1–5 av 5"), "{ended}");
    assert!(
        ended.contains("<option value=\"ended\" selected>Avslutad</option>"),
        "{ended}"
    );
    let ahead = read(&mut admin, "/plans?period=ahead").await;
    assert!(
        ahead.contains("Visar 1–1 av 1") && ahead.contains("Betas plan"),
        "{ahead}"
    );
    let running = read(&mut admin, "/plans?period=running&sort=title&dir=desc").await;
    assert!(running.contains("Visar 1–16 av 16"), "{running}");
    assert!(
        running.contains("href=\"/plans?period=running&sort=organisation&dir=asc\""),
        "{running}"
    );
    // Bad parameters read as the defaults
    for path in [
        "/plans?sort=secret&dir=x&page=-2",
        "/plans?organisation=nobody&period=forever&page=abc",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 22"), "{path}: {page}");
    }

    // Alfa's coordinator sees Alfa's plans only, whatever the URL asks
    let coordinator = app.create_user("coordinator", Some(&alfa), None).await;
    let mut web = Web::login(&app, &coordinator.email).await;
    for path in [
        "/plans".to_string(),
        format!("/plans?organisation={beta}"),
        "/plans?q=Betas".to_string(),
        "/plans?period=ahead".to_string(),
    ] {
        let page = read(&mut web, &path).await;
        assert!(!page.contains("Betas plan"), "{path}: {page}");
        assert!(!page.contains("Beta region"), "{path}: {page}");
    }
    let own = read(&mut web, "/plans?page=2").await;
    assert!(own.contains("Visar 21–21 av 21"), "{own}");
}

#[actix_rt::test]
async fn the_event_list_is_searched_filtered_by_kind_and_time_sorted_and_paged() {
    // Given 21 learning meetings ahead (Träff 01 soonest) and two kickoffs that are over
    let app = spawn_app().await;
    let when = |hours: i64| {
        (app.now() + Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let mut bodies = Vec::new();
    for n in 1..=21 {
        bodies.push(
            json!({ "title": format!("Träff {n:02}"), "kind": "learning_meeting",
            "starts_at": when(24 * n), "ends_at": when(24 * n + 2), "open_to": "all" }),
        );
    }
    for (title, days) in [("Uppstart förr", 10), ("Uppstart nyss", 2)] {
        bodies.push(json!({ "title": title, "kind": "kickoff",
            "starts_at": when(-24 * days), "ends_at": when(-24 * days + 2),
            "registration_closes_at": when(-24 * days), "open_to": "all" }));
    }
    for body in &bodies {
        app.post(&app.admin.token, "/events", body)
            .await
            .should_be(201);
    }
    let mut admin = Web::login(&app, &app.admin.email).await;

    // Those ahead first, soonest first; those over on the last page, latest first
    let first = read(&mut admin, "/events").await;
    assert!(first.contains("Visar 1–20 av 23"), "{first}");
    assert!(at(&first, "Träff 01") < at(&first, "Träff 20"), "{first}");
    assert!(!first.contains("Uppstart nyss"), "{first}");
    let last = read(&mut admin, "/events?page=2").await;
    assert!(at(&last, "Träff 21") < at(&last, "Uppstart nyss"), "{last}");
    assert!(
        at(&last, "Uppstart nyss") < at(&last, "Uppstart förr"),
        "{last}"
    );
    // Sorted by start, ascending: the oldest first
    let oldest = read(&mut admin, "/events?sort=when&dir=asc").await;
    assert!(
        at(&oldest, "Uppstart förr") < at(&oldest, "Träff 01"),
        "{oldest}"
    );
    assert!(oldest.contains("aria-sort=\"ascending\""), "{oldest}");
    // Sorted by title, descending, kept by the pager
    let titles = read(&mut admin, "/events?sort=title&dir=desc").await;
    assert!(
        at(&titles, "Uppstart nyss") < at(&titles, "Träff 21"),
        "{titles}"
    );
    assert!(
        titles.contains("href=\"/events?sort=title&dir=desc&page=2\""),
        "{titles}"
    );
    // Search by title, filter by kind and by time
    let found = read(&mut admin, "/events?q=TR%C3%84FF%2007").await;
    assert!(found.contains("Visar 1–1 av 1"), "{found}");
    let kickoffs = read(&mut admin, "/events?kind=kickoff").await;
    assert!(kickoffs.contains("Visar 1–2 av 2"), "{kickoffs}");
    assert!(
        kickoffs.contains("<option value=\"kickoff\" selected>"),
        "{kickoffs}"
    );
    let past = read(&mut admin, "/events?time=past&kind=learning_meeting").await;
    assert!(past.contains("Inget i listan matchar sökningen."), "{past}");
    let upcoming = read(&mut admin, "/events?time=upcoming&q=tr%C3%A4ff").await;
    assert!(upcoming.contains("Visar 1–20 av 21"), "{upcoming}");
    assert!(
        upcoming.contains("href=\"/events?q=tr%C3%A4ff&time=upcoming&page=2\""),
        "{upcoming}"
    );
    // Bad parameters read as the defaults
    for path in [
        "/events?sort=capacity&dir=x&page=0",
        "/events?kind=party&time=never&page=abc",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 23"), "{path}: {page}");
    }
}

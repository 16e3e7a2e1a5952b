//! One definition of overdue: the SQL condition every list, report and dashboard
//! filters by selects exactly the cases the domain's predicate calls overdue, at the
//! deadline to the microsecond, on either backend.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use stegvis::domain::policy::Visibility;
use stegvis::domain::{is_overdue, Status};
use stegvis::store::reports::Scope;
use stegvis::store::{dashboard, reports, to_db, Store};

use crate::helpers::{spawn_app, time, TestApp, PASSWORD};

/// Enrols a new unit of `organisation_id` with the clock at `at`.
async fn enrol_at(app: &TestApp, organisation_id: &str, token: &str, at: DateTime<Utc>) -> String {
    app.clock.set(at);
    let unit = app.create_unit(organisation_id, 10).await;
    app.enrol(token, &unit).await.should_be(201).id()
}

fn ids(cases: &[Value]) -> BTreeSet<String> {
    cases
        .iter()
        .map(|c| c["id"].as_str().expect("a case id").to_string())
        .collect()
}

#[actix_rt::test]
async fn the_store_counts_as_overdue_exactly_the_cases_the_domain_predicate_does() {
    // Given a certified case, which has no deadline
    let mut app = spawn_app().await;
    let certified = app.given_a_case_in("certified").await;
    // and, in one organisation, cases enrolled a microsecond apart around t0
    let org = app.create_organisation("Överkalix kommun").await;
    let consultant = app.create_user("consultant", None, None).await;
    let t0 = app.now() + Duration::hours(1);
    let micro = Duration::microseconds(1);
    let early = enrol_at(&app, &org, &consultant.token, t0 - micro).await;
    let exact = enrol_at(&app, &org, &consultant.token, t0).await;
    let late = enrol_at(&app, &org, &consultant.token, t0 + micro).await;
    // and a paused and a withdrawn case whose deadlines pass a day earlier
    let paused = enrol_at(&app, &org, &consultant.token, t0 - Duration::days(1)).await;
    let withdrawn = enrol_at(&app, &org, &consultant.token, t0 - Duration::days(1)).await;
    app.clock.set(t0 + Duration::hours(1));
    for (case, action) in [(&paused, "pause"), (&withdrawn, "withdraw")] {
        app.transition(&consultant.token, case, &json!({ "action": action }))
            .await
            .should_be(200);
    }

    // When the clock stands exactly at the deadline of `exact`
    let due = time(
        app.case(&exact).await["stage_due_at"]
            .as_str()
            .expect("a deadline"),
    );
    app.clock.set(due);
    app.admin.token = app.login(&app.admin.email, PASSWORD).await;
    let now = app.now();
    assert_eq!(now, due);

    // Then the domain's predicate calls only `early` overdue
    let all = app
        .get_cases(&app.admin.token, "?limit=100")
        .await
        .should_be(200)
        .items();
    assert_eq!(all.len(), 6, "{all:?}");
    let mut predicate = BTreeSet::new();
    for case in &all {
        let status = Status::parse(case["status"].as_str().expect("a status")).expect("known");
        let due = case["stage_due_at"].as_str().map(time);
        let overdue = is_overdue(status, due, now);
        assert_eq!(
            case["overdue"],
            json!(overdue),
            "the view says so too: {case}"
        );
        if overdue {
            predicate.insert(case["id"].as_str().expect("an id").to_string());
        }
    }
    assert_eq!(predicate, BTreeSet::from([early.clone()]));
    let not_overdue = [&exact, &late, &paused, &withdrawn, &certified.case_id];
    assert!(not_overdue.iter().all(|id| !predicate.contains(*id)));

    // and every query that filters or counts overdue cases agrees
    let listed = app
        .get_cases(&app.admin.token, "?overdue=true&limit=100")
        .await
        .should_be(200)
        .items();
    assert_eq!(ids(&listed), predicate);
    let others = app
        .get_cases(&app.admin.token, "?overdue=false&limit=100")
        .await
        .should_be(200)
        .items();
    assert_eq!(ids(&others), &ids(&all) - &predicate);
    let pipeline = app
        .get(&app.admin.token, "/reports/pipeline")
        .await
        .should_be(200)
        .body;
    assert_eq!(pipeline["overdue"], json!(predicate.len()), "{pipeline}");

    let store = Store::connect(&app.settings.database.url, 1).expect("the store opens");
    let mut conn = store.conn().expect("a connection");
    let everything = Scope {
        visibility: Visibility::Everything,
        organisation_id: None,
    };
    let counted = reports::overdue(&mut conn, &everything, to_db(now)).expect("a count");
    assert_eq!(counted, predicate.len() as i64);
    let in_org = dashboard::overdue_count(&mut conn, &org, to_db(now)).expect("a count");
    assert_eq!(in_org, 1);
    let shown = dashboard::overdue(&mut conn, &org, to_db(now), 10).expect("a list");
    let shown: BTreeSet<String> = shown.into_iter().map(|(id, ..)| id).collect();
    assert_eq!(shown, predicate);

    // A microsecond later `exact` is overdue too, everywhere
    app.clock.set(due + micro);
    let later = app
        .get_cases(&app.admin.token, "?overdue=true&limit=100")
        .await
        .should_be(200)
        .items();
    assert_eq!(ids(&later), BTreeSet::from([early, exact]));
    let counted = reports::overdue(&mut conn, &everything, to_db(due + micro)).expect("a count");
    assert_eq!(counted, 2);
}

//! The admin lists over plain HTTP (issue 15): users, units and dead mail are
//! searched, filtered, sorted and paged in SQL with every parameter kept in the URL
//! and its links; bad parameters fall back to the defaults; another tenant's units
//! never appear for a coordinator.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::list_pages::at;
use crate::web_session::Web;

/// The page's `main` as a browser reads it (not the header, which names the person
/// signed in).
async fn read(web: &mut Web, path: &str) -> String {
    let page = crate::list_pages::read(web, path).await;
    let main = page.find("<main").unwrap_or(0);
    page[main..].to_string()
}

/// A user named `name` (their address made from it) with the fields of `extra`;
/// without a password there, a welcome mail is queued. Their id.
async fn person(app: &TestApp, name: &str, role: &str, extra: serde_json::Value) -> String {
    let mut body = json!({
        "email": format!("{}@example.se", name.to_lowercase().replace(' ', ".")),
        "name": name, "role": role,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post_users(&app.admin.token, &body)
        .await
        .should_be(201)
        .id()
}

/// A unit named `name` with `headcount` staff in `organisation_id`; its id.
async fn unit(app: &TestApp, organisation_id: &str, name: &str, headcount: i64) -> String {
    app.post_units(
        &app.admin.token,
        organisation_id,
        &json!({ "name": name, "headcount": headcount }),
    )
    .await
    .should_be(201)
    .id()
}

#[actix_rt::test]
async fn the_user_list_is_sorted_paged_and_falls_back_on_bad_parameters() {
    // Given the admin and 21 people: Person 01 … Person 21, auditors from 15 on,
    // Person 07 in an organisation
    let app = spawn_app().await;
    let org = app.create_organisation("Sollentuna kommun").await;
    for n in 1..=21 {
        let role = if n >= 15 { "auditor" } else { "consultant" };
        let extra = if n == 7 {
            json!({ "role": "coordinator", "organisation_id": org, "password": PASSWORD })
        } else {
            json!({ "password": PASSWORD })
        };
        person(&app, &format!("Person {n:02}"), role, extra).await;
    }
    let mut admin = Web::login(&app, &app.admin.email).await;

    // The first page shows 20 of 22, by name
    let first = read(&mut admin, "/admin/users").await;
    assert!(first.contains("Visar 1–20 av 22"), "{first}");
    assert!(at(&first, "Ada Admin") < at(&first, "Person 01"), "{first}");
    assert!(!first.contains("Person 20"), "{first}");
    assert!(first.contains("href=\"/admin/users?page=2\""), "{first}");
    // … and the form to create a user is still there
    assert!(first.contains("action=\"/admin/users\""), "{first}");

    // Sorted by name, descending: Person 21 first, Ada Admin on page 2
    let down = read(&mut admin, "/admin/users?sort=name&dir=desc").await;
    assert!(down.contains("aria-sort=\"descending\""), "{down}");
    assert!(at(&down, "Person 21") < at(&down, "Person 02"), "{down}");
    assert!(!down.contains("Ada Admin"), "{down}");
    assert!(
        down.contains("href=\"/admin/users?sort=name&dir=desc&page=2\""),
        "{down}"
    );
    let last = read(&mut admin, "/admin/users?sort=name&dir=desc&page=2").await;
    assert!(last.contains("Visar 21–22 av 22"), "{last}");
    assert!(at(&last, "Person 01") < at(&last, "Ada Admin"), "{last}");

    // Sorted by role: the admin first, the auditors last
    let roles = read(&mut admin, "/admin/users?sort=role&dir=asc&page=2").await;
    assert!(roles.contains("Person 21"), "{roles}");
    // Sorted by organisation, descending: the one with an organisation first
    let orgs = read(&mut admin, "/admin/users?sort=organisation&dir=desc").await;
    assert!(at(&orgs, "Person 07") < at(&orgs, "Person 01"), "{orgs}");

    // Search and filters narrow, and the pager and heads keep them
    let auditors = read(
        &mut admin,
        "/admin/users?q=person&role=auditor&status=active",
    )
    .await;
    assert!(auditors.contains("Visar 1–7 av 7"), "{auditors}");
    assert!(!auditors.contains("Person 14"), "{auditors}");
    assert!(
        auditors.contains(
            "href=\"/admin/users?q=person&role=auditor&status=active&sort=email&dir=asc\""
        ),
        "{auditors}"
    );
    assert!(
        auditors.contains("href=\"/admin/users\">Rensa</a>"),
        "{auditors}"
    );
    let none = read(&mut admin, "/admin/users?role=unit_contact").await;
    assert!(none.contains("Inget i listan matchar sökningen."), "{none}");

    // Bad parameters read as the defaults
    for path in [
        "/admin/users?sort=password&dir=sideways&page=-3",
        "/admin/users?role=god&status=maybe&organisation_id=nobody&page=abc",
        "/admin/users?q=%01%1F&%ZZ",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 22"), "{path}: {page}");
    }
    // A page past the end is the last page
    let past = read(&mut admin, "/admin/users?page=9").await;
    assert!(past.contains("Visar 21–22 av 22"), "{past}");
}

#[actix_rt::test]
async fn the_unit_list_shows_every_unit_with_its_case_and_only_the_coordinators_own() {
    // Given Alfa kommun with 21 units and Beta region with two, one of them enrolled
    let app = spawn_app().await;
    let alfa = app.create_organisation("Alfa kommun").await;
    let beta = app.create_organisation("Beta region").await;
    for n in 1..=21 {
        unit(&app, &alfa, &format!("Enhet {n:02}"), n).await;
    }
    let barn = unit(&app, &beta, "Barn och unga", 40).await;
    unit(&app, &beta, "Äldreomsorg Öst", 3).await;
    let case_id = app.enrol(&app.admin.token, &barn).await.should_be(201).id();
    let mut admin = Web::login(&app, &app.admin.email).await;

    // The admin's start page and menu link to it
    let home = read(&mut admin, "/admin").await;
    assert!(home.contains("href=\"/admin/units\""), "{home}");

    // Every unit, 20 a page, sorted by name; the organisation beside each
    let first = read(&mut admin, "/admin/units").await;
    assert!(first.contains("Visar 1–20 av 23"), "{first}");
    assert!(
        at(&first, "Barn och unga") < at(&first, "Enhet 01"),
        "{first}"
    );
    assert!(
        first.contains("<td><span translate=\"no\">Beta region</span></td>"),
        "{first}"
    );
    // The live case's stage links to the case; a unit without one says so
    assert!(
        first.contains(&format!("<a href=\"/cases/{case_id}\">Uppstart</a>")),
        "{first}"
    );
    assert!(first.contains("Inget ärende"), "{first}");

    // Sorted by headcount, descending: Barn och unga (40) first, then Enhet 21
    let big = read(&mut admin, "/admin/units?sort=headcount&dir=desc").await;
    assert!(at(&big, "Barn och unga") < at(&big, "Enhet 21"), "{big}");
    assert!(!big.contains("Äldreomsorg Öst"), "{big}");
    assert!(
        big.contains("href=\"/admin/units?sort=headcount&dir=desc&page=2\""),
        "{big}"
    );
    let small = read(&mut admin, "/admin/units?sort=headcount&dir=desc&page=2").await;
    assert!(small.contains("Visar 21–23 av 23"), "{small}");
    assert!(
        at(&small, "Äldreomsorg Öst") < at(&small, "Enhet 02"),
        "{small}"
    );
    assert!(at(&small, "Enhet 02") < at(&small, "Enhet 01"), "{small}");

    // Search by unit or organisation name, filter by organisation
    let found = read(&mut admin, "/admin/units?q=%C3%A4LDRE").await;
    assert!(found.contains("Visar 1–1 av 1"), "{found}");
    let by_org = read(&mut admin, "/admin/units?q=beta").await;
    assert!(by_org.contains("Visar 1–2 av 2"), "{by_org}");
    let filtered = read(
        &mut admin,
        &format!("/admin/units?organisation={beta}&sort=organisation&dir=asc"),
    )
    .await;
    assert!(filtered.contains("Visar 1–2 av 2"), "{filtered}");
    assert!(
        filtered.contains(&format!(
            "<option value=\"{beta}\" selected translate=\"no\">"
        )),
        "{filtered}"
    );
    assert!(
        filtered.contains("<input type=\"hidden\" name=\"sort\" value=\"organisation\">"),
        "{filtered}"
    );

    // Bad parameters read as the defaults
    for path in [
        "/admin/units?sort=secret&dir=up&page=0",
        "/admin/units?organisation=nobody&page=abc",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 23"), "{path}: {page}");
    }

    // Alfa's coordinator sees Alfa's units only, whatever the URL asks
    let coordinator = app.create_user("coordinator", Some(&alfa), None).await;
    let mut web = Web::login(&app, &coordinator.email).await;
    for path in [
        "/admin/units".to_string(),
        format!("/admin/units?organisation={beta}"),
        "/admin/units?q=Beta".to_string(),
        "/admin/units?sort=headcount&dir=desc".to_string(),
    ] {
        let page = read(&mut web, &path).await;
        assert!(!page.contains("Barn och unga"), "{path}: {page}");
        assert!(!page.contains("Beta region"), "{path}: {page}");
    }
    let own = read(&mut web, "/admin/units").await;
    assert!(own.contains("Visar 1–20 av 21"), "{own}");
}

#[actix_rt::test]
async fn dead_mail_is_searched_filtered_by_kind_in_words_sorted_and_paged() {
    // Given 22 welcome mails and one password reset mail that could not be delivered
    let app = spawn_app().await;
    for n in 1..=22 {
        person(&app, &format!("Mottagare {n:02}"), "consultant", json!({})).await;
    }
    app.call(
        awc::http::Method::POST,
        "/api/v1/auth/password-reset",
        None,
        &[],
        Some(&json!({ "email": "mottagare.05@example.se" })),
    )
    .await
    .should_be(202);
    app.execute_sql("UPDATE outbox SET status = 'dead', attempts = 3, last_error = 'relay down'");
    let mut admin = Web::login(&app, &app.admin.email).await;

    // Newest first, 20 a page, the kind in words
    let first = read(&mut admin, "/admin/mail").await;
    assert!(first.contains("av 23"), "{first}");
    assert!(first.contains("Visar 1–20"), "{first}");
    assert!(first.contains("<td>Välkommen</td>"), "{first}");
    assert!(!first.contains("<td>welcome</td>"), "{first}");
    assert!(first.contains("href=\"/admin/mail?page=2\""), "{first}");

    // Sorted by recipient, ascending
    let up = read(&mut admin, "/admin/mail?sort=recipient&dir=asc").await;
    assert!(
        at(&up, "mottagare.01@example.se") < at(&up, "mottagare.19@example.se"),
        "{up}"
    );
    assert!(!up.contains("mottagare.22@example.se"), "{up}");
    let down = read(&mut admin, "/admin/mail?sort=recipient&dir=desc").await;
    assert!(
        at(&down, "mottagare.22@example.se") < at(&down, "mottagare.10@example.se"),
        "{down}"
    );

    // Search by recipient, filter by kind (its select in words)
    let one = read(&mut admin, "/admin/mail?q=MOTTAGARE.05").await;
    assert!(one.contains("av 2"), "{one}");
    let reset = read(&mut admin, "/admin/mail?q=mottagare.05&kind=password_reset").await;
    assert!(reset.contains("Visar 1–1 av 1"), "{reset}");
    assert!(
        reset.contains("<option value=\"password_reset\" selected>Nytt lösenord</option>"),
        "{reset}"
    );
    let none = read(&mut admin, "/admin/mail?kind=finding_due").await;
    assert!(none.contains("Inget i listan matchar sökningen."), "{none}");

    // Bad parameters read as the defaults; English words in English
    for path in [
        "/admin/mail?sort=payload&dir=x&page=-1",
        "/admin/mail?kind=nonsense&page=abc",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 23"), "{path}: {page}");
    }
    let english = read(&mut admin, "/admin/mail?lang=en&kind=welcome").await;
    assert!(english.contains("<td>Welcome</td>"), "{english}");
    assert!(english.contains("Showing 1–20 of 22"), "{english}");
}

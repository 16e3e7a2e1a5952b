//! The pages speak the reader's language (issue 15): every field error of a form at
//! once, next to its field and in a summary linking to it; a CSV import reports every
//! bad row with the file's row number and the column's heading; the spreadsheet of
//! cases names things instead of showing ids; a mistyped address answers a page to a
//! browser and problem+json to an API client.

use awc::http::Method;

use crate::helpers::{spawn_app, PASSWORD};
use crate::web_session::{assert_unchanged, snapshot, Web};

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[actix_rt::test]
async fn a_unit_form_with_three_errors_shows_all_three_and_a_summary_linking_to_each_field() {
    // Given the admin on an organisation's page
    let app = spawn_app().await;
    let org = app.create_organisation("Järfälla kommun").await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let before = snapshot(&app).await;
    // When the unit form is sent with three bad fields at once
    let page = web
        .post(
            &format!("/admin/organisations/{org}/units"),
            &[
                ("name", ""),
                ("headcount", "tolv"),
                ("contact_email", "inte en adress"),
            ],
        )
        .await;
    // Then each field has its error, in Swedish, and the summary links to each
    assert_eq!(page.status, 422, "{}", page.text);
    for field in ["name", "headcount", "contact_email"] {
        assert!(
            page.text.contains(&format!("id=\"unit-{field}-error\"")),
            "the error next to {field}: {}",
            page.text
        );
        assert!(
            page.text.contains(&format!("<a href=\"#unit-{field}\">")),
            "the summary links to {field}: {}",
            page.text
        );
    }
    assert!(page.text.contains("Det finns ett problem"), "{}", page.text);
    assert!(
        page.text.contains("Ange ett heltal.") && page.text.contains("måste vara en e-postadress"),
        "the glossary's words: {}",
        page.text
    );
    assert!(
        page.text.contains("tabindex=\"-1\" autofocus"),
        "focus moves to the summary: {}",
        page.text
    );
    assert!(!page.text.contains("must "), "no English: {}", page.text);
    assert_unchanged(&before, &snapshot(&app).await, "a refused unit form");
    // And the same form, filled in, is accepted
    let done = web
        .post(
            &format!("/admin/organisations/{org}/units"),
            &[("name", "Skola Syd"), ("headcount", "12")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
}

#[actix_rt::test]
async fn the_import_reports_rows_2_and_4_with_their_column_headings_in_swedish() {
    // Given the admin on an organisation's page
    let app = spawn_app().await;
    let org = app.create_organisation("Järfälla kommun").await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let before = snapshot(&app).await;
    // When a file with a header and two bad rows (2 and 4) is imported
    let csv = "namn;förvaltning;antal;e-post\nHemtjänst Öst;Vård;tolv;\nSkola Syd;;30;\nFritids;;8;ingen-adress\n";
    let page = web
        .post(
            &format!("/admin/organisations/{org}/import"),
            &[("csv", csv)],
        )
        .await;
    // Then both rows are named as the file numbers them, with the column's heading
    assert_eq!(page.status, 422, "{}", page.text);
    assert!(
        page.text
            .contains("Rad 2, kolumn 3 (antal medarbetare): Ange ett heltal."),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("Rad 4, kolumn 4 (e-post): måste vara en e-postadress"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("Rad 3"), "row 3 is good: {}", page.text);
    assert!(!page.text.contains("must "), "no English: {}", page.text);
    // And nothing was imported
    assert_unchanged(&before, &snapshot(&app).await, "a refused import");
}

#[actix_rt::test]
async fn the_cases_spreadsheet_names_the_programme_and_keeps_the_organisations_letters() {
    // Given a case of a unit of "Järfälla kommun"
    let app = spawn_app().await;
    let org = app.create_organisation("Järfälla kommun").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let case_id = app
        .enrol(&consultant.token, &unit)
        .await
        .should_be(201)
        .id();
    let programme = app
        .get_programmes(&app.admin.token, "?limit=200")
        .await
        .should_be(200)
        .items()
        .iter()
        .find(|p| p["key"] == "inclusion-standard")
        .and_then(|p| p["name"].as_str().map(String::from))
        .expect("the default programme's name");
    let mut web = Web::login(&app, &app.admin.email).await;
    // When the admin downloads the organisation's spreadsheet
    let csv = web.get(&format!("/organisations/{org}/cases.csv")).await;
    // Then the file is named with å/ä/ö (RFC 6266) and a plain-letter fallback
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(
        csv.header("content-disposition").as_deref(),
        Some(
            "attachment; filename=\"stegvis-Jarfalla kommun.csv\"; \
             filename*=UTF-8''stegvis-J%C3%A4rf%C3%A4lla%20kommun.csv"
        )
    );
    // And the rows name the programme, not its key, and carry no id
    assert!(csv.text.contains(&programme), "{}", csv.text);
    assert!(!csv.text.contains("inclusion-standard"), "{}", csv.text);
    assert!(!csv.text.contains(&case_id), "{}", csv.text);
    assert!(!csv.text.contains(&unit), "{}", csv.text);
}

#[actix_rt::test]
async fn a_mistyped_address_is_a_page_for_a_browser_and_problem_json_for_the_api() {
    let app = spawn_app().await;
    // A browser, not signed in, in Swedish by default
    let page = app
        .call(
            Method::GET,
            "/arenden/finns-inte",
            None,
            &[("Accept", BROWSER_ACCEPT)],
            None,
        )
        .await;
    assert_eq!(page.status.as_u16(), 404);
    let kind = page
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert!(kind.is_some_and(|k| k.starts_with("text/html")), "{kind:?}");
    assert!(
        page.text.contains("<html lang=\"sv\"") && page.text.contains("Sidan finns inte"),
        "{}",
        page.text
    );
    // In English when asked for
    let english = app
        .call(
            Method::GET,
            "/arenden/finns-inte?lang=en",
            None,
            &[("Accept", BROWSER_ACCEPT)],
            None,
        )
        .await;
    assert_eq!(english.status.as_u16(), 404);
    assert!(
        english.text.contains("<html lang=\"en\""),
        "{}",
        english.text
    );
    // A signed-in English reader gets the page in English without asking
    let email = "reader@example.se";
    let body = serde_json::json!({
        "email": email, "name": "An English reader", "role": "consultant",
        "password": PASSWORD, "language": "en",
    });
    app.post_users(&app.admin.token, &body).await.should_be(201);
    let token = app.login(email, PASSWORD).await;
    let cookie = format!("stegvis_session={token}");
    let theirs = app
        .call(
            Method::GET,
            "/no-such-page",
            None,
            &[("Accept", BROWSER_ACCEPT), ("Cookie", cookie.as_str())],
            None,
        )
        .await;
    assert_eq!(theirs.status.as_u16(), 404);
    assert!(theirs.text.contains("<html lang=\"en\""), "{}", theirs.text);
    // An API client, and anything under /api, gets problem+json
    for (path, accept) in [
        ("/arenden/finns-inte", "application/json"),
        ("/api/v1/finns-inte", BROWSER_ACCEPT),
    ] {
        let problem = app
            .call(Method::GET, path, None, &[("Accept", accept)], None)
            .await;
        assert_eq!(problem.status.as_u16(), 404, "{path}");
        let kind = problem
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        assert_eq!(kind, Some("application/problem+json"), "{path}");
    }
}

#[actix_rt::test]
async fn a_programme_made_on_the_page_gets_a_key_from_its_name_never_another_programmes() {
    // Given the admin on the programme list, whose form has no key field
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let list = web.get("/admin/programmes").await;
    assert!(!list.text.contains("name=\"key\""), "{}", list.text);
    // When two programmes with the same name are made
    for _ in 0..2 {
        let made = web
            .post("/admin/programmes", &[("name", "Hälsa på jobbet")])
            .await;
        assert_eq!(made.status, 303, "{}", made.text);
    }
    // Then each has a key of its own, made from the name, and is its own version 1
    let programmes = app
        .get_programmes(&app.admin.token, "?limit=200")
        .await
        .should_be(200)
        .items();
    let mut made: Vec<(String, i64)> = programmes
        .iter()
        .filter(|p| p["name"] == "Hälsa på jobbet")
        .map(|p| {
            (
                p["key"].as_str().unwrap_or("").to_string(),
                p["version"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    made.sort();
    assert_eq!(
        made,
        vec![
            ("halsa-pa-jobbet".to_string(), 1),
            ("halsa-pa-jobbet-2".to_string(), 1)
        ]
    );
}

//! The programme pages over plain HTTP: a bad path in the editor is named on its
//! field and stores nothing; the add/remove buttons keep what was typed; a good form
//! stores the path the API then shows; a version and a migration (dry run, then the
//! real move) through the pages; who may use them (a consultant: 403).

use crate::helpers::{spawn_app, TestApp};
use crate::web_session::{assert_unchanged, snapshot, Page, Web};

/// A FRAMM-shaped programme as the editor posts it: a documented mapping, four
/// documented supervision sessions at 80 %, audit.
fn framm(key: &str, count: &str) -> Vec<(String, String)> {
    [
        ("key", key),
        ("name", "FRAMM handledning"),
        ("description", "Handledning i chefsgrupper"),
        ("validity_months", "36"),
        ("kickoff.deadline_days", "30"),
        ("kickoff.requirements[0].kind", "sessions_held"),
        ("kickoff.requirements[0].session_kind", "mapping"),
        ("kickoff.requirements[0].count", "1"),
        ("kickoff.requirements[0].attendance_pct", ""),
        ("kickoff.requirements[0].documented", "yes"),
        ("value_workshops.used", "yes"),
        ("value_workshops.deadline_days", "240"),
        ("value_workshops.requirements[0].kind", "sessions_held"),
        (
            "value_workshops.requirements[0].session_kind",
            "supervision",
        ),
        ("value_workshops.requirements[0].count", count),
        ("value_workshops.requirements[0].attendance_pct", "80"),
        ("value_workshops.requirements[0].documented", "yes"),
        ("individual_reflection.used", "no"),
        ("individual_reflection.deadline_days", "60"),
        ("routine_integration.used", "no"),
        ("routine_integration.deadline_days", "120"),
        ("audit.deadline_days", "30"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn post(web: &mut Web, path: &str, fields: &[(String, String)]) -> Page {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    web.post(path, &fields).await
}

/// The `<input>` or `<select>` element of field `id`, as far as its closing `>`.
fn element<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("the page has #{id}"));
    let end = html[at..].find('>').map_or(html.len(), |e| at + e);
    &html[at..end]
}

fn programme_ids(reply_text: &str, key: &str) -> Vec<(i64, String)> {
    let body: serde_json::Value = serde_json::from_str(reply_text).expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["key"] == key)
        .map(|p| {
            (
                p["version"].as_i64().unwrap_or(0),
                p["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

async fn programmes(app: &TestApp, key: &str) -> Vec<(i64, String)> {
    let reply = app
        .get(&app.admin.token, "/programmes?limit=200")
        .await
        .should_be(200);
    programme_ids(&reply.text, key)
}

#[actix_rt::test]
async fn a_bad_count_is_named_on_its_field_in_swedish_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let before = snapshot(&app).await;
    for (count, words) in [
        ("0", "måste vara mellan 1 och 50"),
        ("51", "måste vara mellan 1 och 50"),
        ("fyra", "Ange ett heltal"),
    ] {
        let page = post(&mut web, "/admin/programmes/new", &framm("framm", count)).await;
        assert_eq!(page.status, 422, "count {count}: {}", page.text);
        let field = element(
            &page.text,
            "programme-editor-value_workshops-requirements-0--count",
        );
        assert!(
            field.contains("aria-invalid=\"true\""),
            "count {count} marks its field: {field}"
        );
        assert!(
            field.contains("programme-editor-value_workshops-requirements-0--count-error"),
            "the field is described by its error: {field}"
        );
        assert!(
            page.text.contains(words),
            "count {count} is refused in words: {}",
            page.text
        );
        assert!(
            field.contains(&format!("value=\"{count}\"")),
            "what was typed is kept: {field}"
        );
        assert!(
            page.text.contains("value=\"Handledning i chefsgrupper\"")
                || page.text.contains(">Handledning i chefsgrupper<"),
            "the rest of the form is kept"
        );
    }
    assert_unchanged(&before, &snapshot(&app).await, "a refused programme");
}

#[actix_rt::test]
async fn the_buttons_add_and_remove_requirements_keeping_what_was_typed_and_store_nothing() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let before = snapshot(&app).await;
    let mut fields = framm("framm", "4");
    fields.push(("op".into(), "add:value_workshops:share_of_staff".into()));
    let page = post(&mut web, "/admin/programmes/new", &fields).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text
            .contains("name=\"value_workshops.requirements[1].measure\""),
        "a share requirement is added"
    );
    assert!(element(
        &page.text,
        "programme-editor-value_workshops-requirements-0--count"
    )
    .contains("value=\"4\""));
    // Remove the first requirement: the added one moves up, the supervision one is gone.
    let mut fields = framm("framm", "4");
    fields.extend([
        (
            "value_workshops.requirements[1].kind".to_string(),
            "share_of_staff".to_string(),
        ),
        (
            "value_workshops.requirements[1].measure".into(),
            "trained".into(),
        ),
        ("value_workshops.requirements[1].pct".into(), "80".into()),
        ("op".into(), "remove:value_workshops:0".into()),
    ]);
    let page = post(&mut web, "/admin/programmes/new", &fields).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let measure = element(
        &page.text,
        "programme-editor-value_workshops-requirements-0--pct",
    );
    assert!(
        measure.contains("value=\"80\""),
        "the share moved up: {measure}"
    );
    assert!(
        !page.text.contains("value_workshops.requirements[1]"),
        "one requirement is left"
    );
    assert!(
        page.text.contains("Minst 80 % av medarbetarna utbildade"),
        "the preview shows the checklist in words"
    );
    assert_unchanged(
        &before,
        &snapshot(&app).await,
        "buttons that only change the form",
    );
}

#[actix_rt::test]
async fn a_programme_made_in_the_editor_has_the_path_the_api_shows_and_a_version_follows() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let page = post(&mut web, "/admin/programmes/new", &framm("framm", "4")).await;
    assert_eq!(page.status, 303, "{}", page.text);
    let stored = programmes(&app, "framm").await;
    assert_eq!(stored.len(), 1, "one version");
    let id = &stored[0].1;
    assert_eq!(
        page.header("location").as_deref(),
        Some(format!("/admin/programmes/{id}").as_str())
    );
    let reply = app
        .get(&app.admin.token, &format!("/programmes/{id}"))
        .await
        .should_be(200);
    let path = &reply.body["path"];
    assert_eq!(
        path.as_array().map(Vec::len),
        Some(3),
        "kickoff, value_workshops, audit: {path}"
    );
    assert_eq!(path[0]["requirements"][0]["session_kind"], "mapping");
    assert_eq!(path[1]["requirements"][0]["count"], 4);
    assert_eq!(path[1]["requirements"][0]["documented"], true);
    let shown = web.get(&format!("/admin/programmes/{id}")).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown.text.contains("Kartläggning"),
        "the path in words: {}",
        shown.text
    );
    // The next version from the programme's page: a fifth session.
    let mut fields = framm("ignored", "5");
    fields.retain(|(k, _)| k != "key");
    let page = post(&mut web, &format!("/admin/programmes/{id}"), &fields).await;
    assert_eq!(page.status, 303, "{}", page.text);
    let stored = programmes(&app, "framm").await;
    assert_eq!(
        stored.iter().map(|(v, _)| *v).max(),
        Some(2),
        "version 2 of the same key"
    );
    assert!(programmes(&app, "ignored").await.is_empty());
}

#[actix_rt::test]
async fn a_migration_through_the_pages_reports_first_and_moves_only_when_confirmed() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let from = app.default_programme_id().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    // Version 2 of the default programme without the reflection stage.
    let edit = web.get(&format!("/admin/programmes/{from}")).await;
    assert_eq!(edit.status, 200);
    let mut fields = framm("ignored", "4");
    fields.retain(|(k, _)| k != "key");
    let page = post(&mut web, &format!("/admin/programmes/{from}"), &fields).await;
    assert_eq!(page.status, 303, "{}", page.text);
    let before = snapshot(&app).await;
    let dry = web
        .post(
            &format!("/admin/programmes/{from}/migrate"),
            &[("step", "dry_run"), ("to_version", "2")],
        )
        .await;
    assert_eq!(dry.status, 200, "{}", dry.text);
    assert!(
        dry.text.contains("id=\"migrate-confirm\""),
        "the move is offered after the dry run"
    );
    let case_before = app.case(&world.case_id).await;
    assert_unchanged(&before, &snapshot(&app).await, "a dry run");
    let bad = web
        .post(
            &format!("/admin/programmes/{from}/migrate"),
            &[("step", "dry_run"), ("to_version", "1")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("välj en senare version av programmet"));
    let done = web
        .post(
            &format!("/admin/programmes/{from}/migrate"),
            &[("step", "confirm"), ("to_version", "2")],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(
        done.text
            .contains("Antal ärenden som flyttades till version 2: 1."),
        "{}",
        done.text
    );
    let case_after = app.case(&world.case_id).await;
    assert_eq!(
        case_before["programme"]["version"], 1,
        "the dry run left the case on version 1"
    );
    assert_eq!(
        case_after["programme"]["version"], 2,
        "the confirmed move took it to version 2"
    );
}

#[actix_rt::test]
async fn a_consultant_may_read_a_programme_but_not_edit_or_migrate() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let id = app.default_programme_id().await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    assert_eq!(admin.get("/admin/programmes/new").await.status, 200);
    assert_eq!(
        admin
            .get(&format!("/admin/programmes/{id}/migrate"))
            .await
            .status,
        200
    );
    assert_eq!(
        admin
            .get("/admin/programmes/no-such-programme")
            .await
            .status,
        404
    );
    let mut consultant = Web::login(&app, &world.consultant.email).await;
    let before = snapshot(&app).await;
    assert_eq!(consultant.get("/admin/programmes/new").await.status, 403);
    assert_eq!(
        consultant
            .get(&format!("/admin/programmes/{id}/migrate"))
            .await
            .status,
        403
    );
    let shown = consultant.get(&format!("/admin/programmes/{id}")).await;
    assert_eq!(shown.status, 200, "programmes are readable, as in the API");
    assert!(
        !shown.text.contains("programme-editor"),
        "but without the editor"
    );
    assert!(
        !shown.text.contains("/migrate"),
        "and without the migration link"
    );
    assert_eq!(
        post(
            &mut consultant,
            "/admin/programmes/new",
            &framm("framm", "4")
        )
        .await
        .status,
        403
    );
    let mut version = framm("framm", "4");
    version.retain(|(k, _)| k != "key");
    assert_eq!(
        post(
            &mut consultant,
            &format!("/admin/programmes/{id}"),
            &version
        )
        .await
        .status,
        403
    );
    let migrate = consultant
        .post(
            &format!("/admin/programmes/{id}/migrate"),
            &[("step", "confirm"), ("to_version", "2")],
        )
        .await;
    assert_eq!(migrate.status, 403);
    assert_unchanged(
        &before,
        &snapshot(&app).await,
        "a consultant's programme forms",
    );
}

//! An admin makes a FRAMM-shaped programme (a documented mapping, then four documented
//! supervision sessions, then audit) through the editor, has a bad count named on its
//! field, adds and removes a requirement, sees the checklist, saves, enrols a unit,
//! makes version 2 and moves the case to it (a dry run first, then the confirmed move).
//! axe-core on every page.

use fantoccini::Locator;

use crate::app::{spawn_app, PASSWORD};
use crate::browser::{words, Browser};

const EDITOR: &str = "programme-editor";
const COUNT: &str = "value_workshops.requirements[0].count";

/// The FRAMM path in the editor's fields (the form starts from the default path).
fn framm(count: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("kickoff.requirements[0].session_kind", "mapping"),
        ("kickoff.requirements[0].documented", "yes"),
        ("value_workshops.deadline_days", "240"),
        (
            "value_workshops.requirements[0].session_kind",
            "supervision",
        ),
        (COUNT, count),
        ("value_workshops.requirements[0].attendance_pct", "80"),
        ("value_workshops.requirements[0].documented", "yes"),
        ("individual_reflection.used", "no"),
        ("routine_integration.used", "no"),
    ]
}

/// Saves the editor with its own submit button (the first button of the form shows
/// the checklist, so that Enter changes nothing).
async fn save(b: &Browser, fields: &[(&str, &str)]) {
    b.press(EDITOR, fields, "button[type='submit']:not([name])")
        .await;
}

/// The page fits a 390 px phone: nothing wider than the screen but a table, which
/// scrolls inside its own box.
async fn fits_a_phone(b: &Browser) {
    b.client
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    let width = b
        .client
        .execute("return window.innerWidth", vec![])
        .await
        .expect("the window's width");
    assert!(
        width.as_u64().is_some_and(|w| w <= 390),
        "the window is a phone's: {width}"
    );
    let wide = b
        .client
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
            vec![],
        )
        .await
        .expect("the page's width");
    assert_eq!(
        wide,
        serde_json::Value::Bool(false),
        "{} fits 390 px",
        b.path().await
    );
    b.client
        .set_window_size(1280, 1024)
        .await
        .expect("back to a desktop window");
}

async fn attr(b: &Browser, css: &str, name: &str) -> Option<String> {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .attr(name)
        .await
        .expect("an attribute")
}

async fn has(b: &Browser, css: &str) -> bool {
    b.client.find(Locator::Css(css)).await.is_ok()
}

/// The checklist line of a documented, attended series of `kind` sessions.
fn documented_line(lang: &str, kind: &str) -> String {
    words(lang, "req.sessions_attended_documented")
        .replace("{kinds}", &words(lang, &format!("sessions.{kind}")))
        .replace("{attendance_pct}", "80")
}

async fn programme_walk(lang: &'static str) {
    let app = spawn_app().await;
    let b = Browser::start(&app.address, lang).await;
    b.login(&app.admin_email, PASSWORD).await;
    b.goto("/admin/programmes").await;
    b.client
        .find(Locator::Css("a[href='/admin/programmes/new']"))
        .await
        .expect("the list links to a new programme")
        .click()
        .await
        .expect("follows the link");
    assert_eq!(b.path().await, "/admin/programmes/new");
    b.check("programme-new").await;

    // A count of 0 is refused on its own field, with what was typed kept.
    let mut fields = framm("0");
    // No key is typed: it is made from the name.
    fields.extend([("name", "FRAMM handledning")]);
    save(&b, &fields).await;
    let count = "#programme-editor-value_workshops-requirements-0--count";
    assert_eq!(
        attr(&b, count, "aria-invalid").await.as_deref(),
        Some("true")
    );
    let error = b
        .client
        .find(Locator::Css(&format!("{count}-error")))
        .await
        .expect("the error under the count")
        .text()
        .await
        .expect("text");
    let range = words(lang, "field_error.range")
        .replace("{min}", "1")
        .replace("{max}", "50");
    assert_eq!(error, range, "the count's error in words");
    assert_eq!(attr(&b, count, "value").await.as_deref(), Some("0"));
    assert_eq!(
        attr(&b, "#programme-editor-name", "value").await.as_deref(),
        Some("FRAMM handledning")
    );
    b.check("programme-refused").await;
    fits_a_phone(&b).await;

    // Add a share-of-staff requirement, then remove it again: no JavaScript.
    b.press(
        EDITOR,
        &[(COUNT, "4")],
        "button[value='add:value_workshops:share_of_staff']",
    )
    .await;
    assert!(has(&b, "[name='value_workshops.requirements[1].pct']").await);
    assert_eq!(attr(&b, count, "value").await.as_deref(), Some("4"));
    b.check("programme-added").await;
    b.press(EDITOR, &[], "button[value='remove:value_workshops:1']")
        .await;
    assert!(!has(&b, "[name='value_workshops.requirements[1].pct']").await);
    let preview = b
        .client
        .find(Locator::Css(".editor-preview"))
        .await
        .expect("the checklist beside the form")
        .text()
        .await
        .expect("text");
    assert!(
        preview.contains(&documented_line(lang, "supervision")),
        "the checklist in the case page's words: {preview}"
    );
    assert!(!preview.contains(&words(lang, "stage.individual_reflection")));

    save(&b, &[]).await;
    b.expect_flash("programme_created").await;
    let v1 = b.path().await;
    assert!(v1.starts_with("/admin/programmes/"), "{v1}");
    let v1_id = v1.rsplit('/').next().expect("id").to_string();
    b.check("programme").await;
    fits_a_phone(&b).await;

    // A unit enrolled in version 1.
    b.goto("/admin/organisations").await;
    b.submit("organisation", &[("name", "Mölndals stad")]).await;
    let org = b.path().await;
    b.submit(
        "unit",
        &[("name", "Socialförvaltningen"), ("headcount", "12")],
    )
    .await;
    b.goto(&org).await;
    b.submit("enrol", &[("programme_id", &v1_id)]).await;
    b.expect_flash("enrolled").await;

    // Version 2: five supervision sessions.
    b.goto(&v1).await;
    save(&b, &[(COUNT, "5")]).await;
    b.expect_flash("programme_created").await;
    assert_ne!(b.path().await, v1, "the new version's page");

    b.goto(&format!("{v1}/migrate")).await;
    b.check("programme-migrate").await;
    b.submit("migrate", &[("to_version", "2")]).await;
    let dry = b.text().await;
    assert!(
        dry.contains("Socialförvaltningen") && dry.contains("Mölndals stad"),
        "the dry run names unit and organisation: {dry}"
    );
    assert!(has(&b, "#migrate-confirm").await, "the move asks first");
    b.check("programme-dry-run").await;
    fits_a_phone(&b).await;
    b.submit("migrate-confirm", &[]).await;
    let done = words(lang, "migrate.done")
        .replace("{count}", "1")
        .replace("{version}", "2");
    assert!(b.text().await.contains(&done), "{}", b.text().await);
    assert!(!has(&b, "#migrate-confirm").await);
    b.check("programme-migrated").await;
    let checked = b.checked.lock().expect("checked pages").clone();
    assert_eq!(checked, CHECKED_PAGES, "axe-core checked every new page");
}

const CHECKED_PAGES: [&str; 7] = [
    "programme-new",
    "programme-refused",
    "programme-added",
    "programme",
    "programme-migrate",
    "programme-dry-run",
    "programme-migrated",
];

#[actix_rt::test]
async fn an_admin_makes_a_framm_programme_and_moves_a_case_to_its_next_version_in_swedish() {
    programme_walk("sv").await;
}

#[actix_rt::test]
async fn an_admin_makes_a_framm_programme_and_moves_a_case_to_its_next_version_in_english() {
    programme_walk("en").await;
}

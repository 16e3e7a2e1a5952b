//! The sign-up of an open event in a real browser, by keyboard alone on the public
//! pages and axe-core clean on every page: two places, three sign-ups (the third
//! waitlisted), one cancels through the link in her mail, the third moves up and is
//! mailed; staff record attendance and the attending unit's case shows the event as a
//! held session. The public page fits a phone.

use chrono::{DateTime, Utc};
use fantoccini::key::Key;
use fantoccini::Locator;
use mail_parser::MessageParser;
use stegvis::app::cases::{self, CaseQuery};
use stegvis::app::PageRequest;
use stegvis::domain::{Actor, Role, Stage, Status};

use crate::app::{spawn_empty_app, TestApp, PUBLIC_URL};
use crate::browser::{tokio_sleep, words, Browser};
use crate::complaints::{keys, tab_to};

const DEMO_ADMIN: &str = "admin@stegvis.demo";

/// A demo unit with a case in progress: (case id, organisation name, unit name).
fn unit_with_a_case(app: &TestApp) -> (String, String, String) {
    let admin = Actor {
        id: "test".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    let query = CaseQuery {
        status: Some(Status::Active),
        ..CaseQuery::default()
    };
    let page = PageRequest {
        limit: 200,
        cursor: None,
    };
    let case = cases::list(&app.state, &admin, query, page)
        .expect("the demo's cases")
        .items
        .into_iter()
        .find(|c| c.stage != Stage::Certified)
        .expect("a demo case in progress");
    let organisation =
        stegvis::app::organisations::get(&app.state, &admin, &case.unit.organisation_id)
            .expect("its organisation");
    (case.id, organisation.name, case.unit.name)
}

/// The text of the newest mail to `to` whose subject starts with `subject`, as the
/// file transport wrote it once the outbox worker has run.
async fn mail_to(app: &TestApp, to: &str, subject: &str) -> String {
    let state = app.state.clone();
    actix_web::web::block(move || stegvis::notify::dispatch_all_pending(&state.delivery()))
        .await
        .expect("the worker thread runs")
        .expect("the outbox worker runs");
    for _ in 0..50 {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(app.dir.join("mail"))
            .into_iter()
            .flatten()
        {
            let Ok(entry) = entry else { continue };
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let Some(message) = MessageParser::default().parse(&bytes) else {
                continue;
            };
            let addressed = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a == to);
            if addressed && message.subject().is_some_and(|s| s.starts_with(subject)) {
                found.push(message.body_text(0).unwrap_or_default().to_string());
            }
        }
        if let Some(text) = found.pop() {
            return text;
        }
        tokio_sleep(100).await;
    }
    panic!("no mail to {to} about {subject:?}");
}

/// Presses Enter on the focused element and waits for the page it opens.
async fn enter(b: &Browser) {
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    keys(b, &Key::Enter.to_string()).await;
    b.wait_for_new_page(old).await;
}

/// Signs up on the public page by keyboard alone; the receipt's text.
async fn sign_up(b: &Browser, path: &str, who: (&str, &str), affiliation: Option<(&str, &str)>) {
    b.goto(path).await;
    tab_to(b, "#signup-name").await;
    keys(b, who.0).await;
    tab_to(b, "#signup-email").await;
    keys(b, who.1).await;
    if let Some((organisation, unit)) = affiliation {
        tab_to(b, "#signup-organisation_id").await;
        keys(b, organisation).await;
        tab_to(b, "#signup-unit_id").await;
        keys(b, unit).await;
    }
    tab_to(b, "#signup button[type=submit]").await;
    enter(b).await;
}

/// The sentence of the glossary's `key` that follows the registrant's name.
fn after_name(lang: &str, key: &str) -> String {
    let text = words(lang, key);
    let rest = text
        .split("{name}")
        .nth(1)
        .expect("a sentence after the name");
    rest.split('.')
        .next()
        .expect("its first sentence")
        .to_string()
}

async fn walk(lang: &'static str) {
    let app = spawn_empty_app().await;
    stegvis::app::demo::load(&app.state).expect("the demo loads");
    let (case_id, organisation, unit) = unit_with_a_case(&app);
    let b = Browser::start(&app.address, lang).await;

    // Staff create the event: two places, a week ahead
    b.login(DEMO_ADMIN, stegvis::app::demo::DEMO_PASSWORD).await;
    b.goto(&format!("/events?lang={lang}")).await;
    b.check("events").await;
    let title = "Lärträff: de sista 20 procenten";
    b.submit(
        "event",
        &[
            ("title", title),
            ("starts_at", "2026-03-09T09:00"),
            ("ends_at", "2026-03-09T12:00"),
            ("location", "Stadshuset"),
            ("capacity", "2"),
        ],
    )
    .await;
    b.expect_flash("event_created").await;
    let manage = b.path().await;
    let id = manage
        .trim_start_matches("/events/")
        .trim_end_matches("/manage")
        .to_string();
    b.check("event-manage").await;
    b.logout().await;

    // Three sign up on the public page, by keyboard; the third waits
    let path = format!("/events/{id}?lang={lang}");
    b.goto(&path).await;
    b.check("event-signup").await;
    b.check_at_360("event-signup", &app.dir).await;
    let place = after_name(lang, "event_signup.confirmed");
    sign_up(
        &b,
        &path,
        ("Anna Berg", "anna@example.se"),
        Some((&organisation, &format!("{organisation} – {unit}"))),
    )
    .await;
    assert!(b.text().await.contains(&place), "{}", b.text().await);
    b.check("event-signup-confirmed").await;
    sign_up(
        &b,
        &path,
        ("Bo Ek", "bo@example.se"),
        Some((&organisation, &format!("{organisation} – {unit}"))),
    )
    .await;
    assert!(b.text().await.contains(&place), "{}", b.text().await);
    sign_up(&b, &path, ("Cecilia Öst", "cecilia@example.se"), None).await;
    let waiting = words(lang, "event_signup.full");
    assert!(
        b.text().await.contains(&waiting),
        "the page says it is full: {}",
        b.text().await
    );
    let waitlisted = after_name(lang, "event_signup.waitlisted");
    assert!(b.text().await.contains(&waitlisted), "{}", b.text().await);
    b.check("event-signup-waitlisted").await;

    // Anna cancels through the link in her mail
    let confirmed_subject = words(lang, "event_mail.confirmed.subject").replace("{title}", title);
    let mail = mail_to(&app, "anna@example.se", &confirmed_subject).await;
    let link = mail
        .split_whitespace()
        .find(|w| w.starts_with(PUBLIC_URL) && w.contains("/cancel/"))
        .unwrap_or_else(|| panic!("a cancel link in {mail}"));
    b.goto(link.trim_start_matches(PUBLIC_URL)).await;
    b.check("event-cancel").await;
    tab_to(&b, "#event-cancel button[type=submit]").await;
    enter(&b).await;
    assert!(
        b.text().await.contains(&words(lang, "event_cancel.done")),
        "{}",
        b.text().await
    );
    b.check("event-cancel-done").await;

    // Cecilia has the place, and a mail says so
    let moved_up = words(lang, "event_mail.moved_up.subject").replace("{title}", title);
    let mail = mail_to(&app, "cecilia@example.se", &moved_up).await;
    assert!(mail.contains("/cancel/"), "{mail}");

    // The event has started: staff tick Bo and Cecilia, by keyboard
    let started: DateTime<Utc> = "2026-03-09T08:30:00Z".parse().expect("a time");
    app.clock.set(started);
    b.login(DEMO_ADMIN, stegvis::app::demo::DEMO_PASSWORD).await;
    b.goto(&format!("{manage}?lang={lang}")).await;
    let boxes = b
        .client
        .find_all(Locator::Css("#attendance input[type=checkbox]"))
        .await
        .expect("the attendance boxes");
    assert_eq!(boxes.len(), 2, "one box per confirmed registrant");
    for element in boxes {
        let id = element.attr("id").await.expect("attr").expect("an id");
        tab_to(&b, &format!("#{id}")).await;
        keys(&b, " ").await;
    }
    tab_to(&b, "#attendance button[type=submit]").await;
    enter(&b).await;
    b.expect_flash("attendance_recorded").await;
    b.check("event-manage-attendance").await;

    // And the unit's case counts the event as a held session, with Bo attending
    b.goto(&format!("/cases/{case_id}?lang={lang}")).await;
    let case = b.text().await;
    assert!(case.contains(title), "the case shows the event: {case}");
    b.check("case-with-event").await;
    b.client.clone().close().await.ok();
}

#[actix_rt::test]
async fn two_places_three_sign_ups_a_cancellation_by_mail_and_attendance_that_counts_in_swedish() {
    walk("sv").await;
}

#[actix_rt::test]
async fn two_places_three_sign_ups_a_cancellation_by_mail_and_attendance_that_counts_in_english() {
    walk("en").await;
}

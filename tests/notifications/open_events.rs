//! The mails of an open event's registrants, through the real SMTP server: the
//! confirmation with its calendar entry and cancel link, the waitlist notice, the
//! moved-up mail after a cancellation through that link, and the reminder the day
//! before (once), each in the language of the sign-up.

use awc::http::Method;
use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp, PUBLIC_URL};

/// The cancel link of a mail's text.
fn cancel_link(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with(PUBLIC_URL) && w.contains("/cancel/"))
        .unwrap_or_else(|| panic!("a cancel link in {text}"))
        .to_string()
}

async fn sign_up(app: &TestApp, event_id: &str, name: &str, email: &str, lang: &str) -> String {
    let body = json!({ "name": name, "email": email, "language": lang });
    let path = format!("/api/v1/events/{event_id}/registrations");
    app.call(Method::POST, &path, None, &[], Some(&body))
        .await
        .should_be(201)
        .id()
}

#[actix_rt::test]
async fn confirmed_waitlisted_moved_up_and_reminded_by_mail() {
    // Given a learning meeting in ten days with two places
    let app = spawn_app().await;
    let starts = app.now() + Duration::days(10);
    let event = app
        .post(
            &app.admin.token,
            "/events",
            &json!({
                "title": "Lärträff 2: kommunikationens språk",
                "kind": "learning_meeting",
                "starts_at": starts.to_rfc3339(),
                "ends_at": (starts + Duration::hours(3)).to_rfc3339(),
                "location": "Dunkers kulturhus, Helsingborg",
                "capacity": 2,
                "open_to": "all",
            }),
        )
        .await
        .should_be(201);
    let id = event.id();
    // When three sign up, the first in English
    sign_up(&app, &id, "Anna Berg", "anna@example.se", "en").await;
    sign_up(&app, &id, "Bo Ek", "bo@example.se", "sv").await;
    sign_up(&app, &id, "Cecilia Öst", "cecilia@example.se", "sv").await;
    app.dispatch().await;

    // Then the first is confirmed in English with the calendar entry and a cancel link
    let anna = app
        .smtp
        .mails_to("anna@example.se")
        .pop()
        .expect("a mail to Anna");
    assert_eq!(
        anna.subject,
        "You are signed up: Lärträff 2: kommunikationens språk"
    );
    let (ics, method) = anna
        .calendar
        .clone()
        .expect("the calendar entry is attached");
    assert_eq!(method, "REQUEST");
    assert!(ics.contains(&format!("UID:{id}@stegvis")), "{ics}");
    assert!(
        ics.contains("LOCATION:Dunkers kulturhus\\, Helsingborg"),
        "{ics}"
    );
    assert!(anna
        .text
        .contains(&format!("{PUBLIC_URL}/events/{id}/cancel/")));
    // And the third waits, told in Swedish, without a calendar entry
    let cecilia = app
        .smtp
        .mails_to("cecilia@example.se")
        .pop()
        .expect("a mail to Cecilia");
    assert!(
        cecilia.subject.starts_with("Du står på väntelistan"),
        "{}",
        cecilia.subject
    );
    assert!(cecilia.calendar.is_none());

    // When Anna cancels through the link in her mail (the API the page calls)
    let link = cancel_link(&anna.text);
    let (path, token) = link
        .trim_start_matches(PUBLIC_URL)
        .split_once("?token=")
        .expect("the link carries a token");
    let rid = path.rsplit('/').next().unwrap();
    let delete = format!("/api/v1/events/{id}/registrations/{rid}?token={token}");
    app.call(Method::DELETE, &delete, None, &[], None)
        .await
        .should_be(204);
    app.dispatch().await;

    // Then Cecilia has the place, told with the calendar entry
    let moved = app
        .smtp
        .mails_to("cecilia@example.se")
        .pop()
        .expect("a second mail");
    assert_eq!(
        moved.subject,
        "Du har fått en plats: Lärträff 2: kommunikationens språk"
    );
    assert_eq!(moved.calendar.expect("the calendar entry").1, "REQUEST");

    // When the jobs run the day before, twice
    let as_of = starts - Duration::hours(20);
    app.run_jobs_as_of(as_of).await;
    app.run_jobs_as_of(as_of + Duration::hours(1)).await;
    app.dispatch().await;
    // Then the two with a place are reminded once each, and Anna is not
    for email in ["bo@example.se", "cecilia@example.se"] {
        let reminders: Vec<_> = app
            .smtp
            .mails_to(email)
            .into_iter()
            .filter(|m| m.subject.starts_with("Påminnelse i morgon"))
            .collect();
        assert_eq!(reminders.len(), 1, "{email}");
        // And the reminder's own cancel link works too
        assert!(reminders[0].text.contains("/cancel/"));
    }
    assert_eq!(app.smtp.mails_to("anna@example.se").len(), 1);
}

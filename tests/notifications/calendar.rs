//! Session invitations carry an RFC 5545 calendar that matches the session.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::spawn_app;

/// The content lines of a calendar, unfolded, after checking the wire format:
/// CRLF line endings, no line over 75 octets.
fn content_lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "a calendar ends in CRLF: {ics:?}");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is longer than 75 octets");
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
    }
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The properties of the calendar's one VEVENT and the calendar's METHOD.
fn event(ics: &str) -> HashMap<String, String> {
    let lines = content_lines(ics);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    let mut props = HashMap::new();
    for line in &lines {
        let (name, value) = line.split_once(':').expect("NAME[;PARAMS]:VALUE");
        let name = name.split(';').next().unwrap_or_default().to_string();
        assert!(
            name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "{name:?} is a property name"
        );
        if name != "BEGIN" && name != "END" {
            props.insert(name, value.to_string());
        }
    }
    props
}

/// The calendar's ORGANIZER line, parameters and all.
fn organizer_line(ics: &str) -> String {
    content_lines(ics)
        .into_iter()
        .find(|l| l.starts_with("ORGANIZER"))
        .expect("an ORGANIZER line")
}

fn utc(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[actix_rt::test]
async fn scheduling_moving_and_cancelling_a_session_updates_the_same_calendar_entry() {
    // Given a case with contacts
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.dispatch().await;
    let starts = app.now() + Duration::days(10);
    let body = json!({
        "kind": "workshop",
        "title": "Värderingsverkstad 1, normer; bemötande och ett långt namn som måste vikas i kalendern",
        "starts_at": starts.to_rfc3339(),
        "ends_at": (starts + Duration::hours(2)).to_rfc3339(),
        "location": "Storgatan 1, Järfälla",
    });

    // When the consultant schedules a workshop
    let session = app
        .post_session(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(201)
        .body;
    let sid = session["id"].as_str().unwrap().to_string();
    app.dispatch().await;

    // Then each contact, and the consultant, gets an invitation that matches the session
    let scheduled = app.mail_of_kind("session_scheduled").await;
    let to: Vec<String> = scheduled.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(to, unit.contacts_and_consultant());
    let mail = app.smtp.mails_to(&unit.contact_en.email).pop().unwrap();
    assert!(
        mail.subject.starts_with("Invitation: Workshop"),
        "{}",
        mail.subject
    );
    let (ics, method) = mail.calendar.clone().expect("an invitation is attached");
    assert_eq!(method, "REQUEST");
    let props = event(&ics);
    assert_eq!(props["METHOD"], "REQUEST");
    assert_eq!(props["VERSION"], "2.0");
    assert_eq!(props["UID"], format!("{sid}@stegvis"));
    assert_eq!(props["SEQUENCE"], "0");
    assert_eq!(
        props["DTSTART"],
        utc(session["starts_at"].as_str().unwrap())
    );
    assert_eq!(props["DTEND"], utc(session["ends_at"].as_str().unwrap()));
    assert_eq!(
        props["SUMMARY"],
        "Värderingsverkstad 1\\, normer\\; bemötande och ett långt namn som måste vikas i kalendern"
    );
    assert_eq!(props["LOCATION"], "Storgatan 1\\, Järfälla");
    assert_eq!(
        props["ATTENDEE"],
        format!("mailto:{}", unit.contact_en.email)
    );
    assert!(props.contains_key("DTSTAMP"));
    // organised by the case's consultant, by name, who answers go to
    let consultant = &world.consultant.email;
    assert_eq!(
        organizer_line(&ics),
        format!("ORGANIZER;CN=Karin Lind:mailto:{consultant}")
    );
    assert_eq!(mail.reply_to, format!("Karin Lind <{consultant}>"));
    assert_eq!(mail.from, "Karin Lind via Stegvis <no-reply@stegvis.test>");
    // and she has the invitation to her own meeting in her calendar too
    let own = app.smtp.mails_to(consultant).pop().unwrap();
    assert!(
        own.subject.starts_with("Inbjudan: Verkstad"),
        "{}",
        own.subject
    );
    let (own_ics, _) = own.calendar.expect("the consultant's invitation");
    assert_eq!(organizer_line(&own_ics), organizer_line(&ics));
    assert_eq!(event(&own_ics)["ATTENDEE"], format!("mailto:{consultant}"));
    let sv = app.smtp.mails_to(&unit.contact_sv.email).pop().unwrap();
    assert!(
        sv.subject.starts_with("Inbjudan: Verkstad"),
        "{}",
        sv.subject
    );
    // Times in the mail itself are Stockholm's.
    assert!(sv.text.contains("Start:"), "{}", sv.text);

    // When the session is moved
    let moved = starts + Duration::days(1);
    let patch = json!({ "starts_at": moved.to_rfc3339(), "ends_at": (moved + Duration::hours(3)).to_rfc3339() });
    let session = app
        .patch_session(&world.consultant.token, &world.case_id, &sid, &patch)
        .await
        .should_be(200)
        .body;
    app.dispatch().await;

    // Then the same entry is updated: same UID, next SEQUENCE, new times
    let mail = app.smtp.mails_to(&unit.contact_en.email).pop().unwrap();
    assert!(
        mail.subject.starts_with("Changed: Workshop"),
        "{}",
        mail.subject
    );
    let (ics, method) = mail.calendar.expect("an updated invitation is attached");
    assert_eq!(method, "REQUEST");
    let props = event(&ics);
    assert_eq!(props["UID"], format!("{sid}@stegvis"));
    assert_eq!(props["SEQUENCE"], "1");
    assert_eq!(
        props["DTSTART"],
        utc(session["starts_at"].as_str().unwrap())
    );
    assert_eq!(props["DTEND"], utc(session["ends_at"].as_str().unwrap()));

    // When it is cancelled
    app.delete_session(&world.consultant.token, &world.case_id, &sid)
        .await
        .should_be(204);
    app.dispatch().await;

    // Then the entry is cancelled
    let mail = app.smtp.mails_to(&unit.contact_email).pop().unwrap();
    assert!(
        mail.subject.starts_with("Inställt: Verkstad"),
        "{}",
        mail.subject
    );
    let (ics, method) = mail.calendar.expect("a cancellation is attached");
    assert_eq!(method, "CANCEL");
    let props = event(&ics);
    assert_eq!(props["METHOD"], "CANCEL");
    assert_eq!(props["STATUS"], "CANCELLED");
    assert_eq!(props["UID"], format!("{sid}@stegvis"));
    assert_eq!(props["SEQUENCE"], "2");
    assert_eq!(app.mail_of_kind("session_cancelled").await.len(), 4);
}

#[actix_rt::test]
async fn withdrawing_a_case_cancels_its_sessions_still_to_come_with_cancel_invitations() {
    // Given a case with a workshop to come and a kickoff already held
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 5)
        .await;
    let upcoming = app
        .post_session(
            &world.consultant.token,
            &world.case_id,
            &app.session_body("workshop", 10),
        )
        .await
        .should_be(201)
        .id();
    app.dispatch().await;
    // When the case is withdrawn
    app.transition(
        &world.consultant.token,
        &world.case_id,
        &json!({ "action": "withdraw" }),
    )
    .await
    .should_be(200);
    app.dispatch().await;
    // Then the workshop is cancelled and the held kickoff kept
    let sessions = app
        .get_sessions(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    for session in &sessions {
        let cancelled = session["cancelled"].as_bool();
        if session["id"] == upcoming.as_str() {
            assert_eq!(cancelled, Some(true), "{session}");
        } else {
            assert_eq!(cancelled, Some(false), "{session}");
        }
    }
    // And every contact, and the consultant, got the cancellation of the workshop's
    // calendar entry
    let cancelled = app.mail_of_kind("session_cancelled").await;
    let to: Vec<String> = cancelled.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(to, unit.contacts_and_consultant());
    let mail = app
        .smtp
        .mails_to(&unit.contact_en.email)
        .into_iter()
        .find(|m| m.subject.starts_with("Cancelled"))
        .expect("the cancellation arrived");
    let (ics, method) = mail.calendar.expect("a cancellation is attached");
    assert_eq!(method, "CANCEL");
    let props = event(&ics);
    assert_eq!(props["UID"], format!("{upcoming}@stegvis"));
    assert_eq!(props["STATUS"], "CANCELLED");
    assert_eq!(props["SEQUENCE"], "1");
}

#[actix_rt::test]
async fn a_session_recorded_after_it_ended_gets_no_invitation() {
    // Given a case with contacts
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.dispatch().await;
    // When a kickoff held last week is recorded, and one to come is scheduled
    app.post_session(
        &world.consultant.token,
        &world.case_id,
        &app.session_body("kickoff", -7),
    )
    .await
    .should_be(201);
    app.post_session(
        &world.consultant.token,
        &world.case_id,
        &app.session_body("workshop", 7),
    )
    .await
    .should_be(201);
    // Then only the one to come is announced
    let scheduled = app.mail_of_kind("session_scheduled").await;
    assert_eq!(
        scheduled.len(),
        unit.contacts_and_consultant().len(),
        "{scheduled:?}"
    );
    assert!(
        scheduled
            .iter()
            .all(|(_, subject)| !subject.contains("Uppstart") && !subject.contains("Kickoff")),
        "{scheduled:?}"
    );
}

//! The one iCalendar writer (RFC 5545): one VEVENT per session with a stable UID, the
//! session's SEQUENCE, times in UTC, text escaped, CRLF line endings, lines folded at
//! 75 octets. Mail attaches it as an invitation; the pages offer it as a download.

use chrono::{DateTime, Utc};

use super::payload::SessionInfo;

/// What a calendar entry shows.
pub struct CalendarEvent<'a> {
    /// Stable across changes, so calendars update the entry instead of adding one.
    pub uid: &'a str,
    /// Grows when the session is moved (RFC 5545 SEQUENCE).
    pub sequence: u32,
    pub summary: &'a str,
    pub location: Option<&'a str>,
    pub description: Option<&'a str>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// When the entry was made (DTSTAMP).
    pub stamp: DateTime<Utc>,
    pub cancelled: bool,
}

/// Who sends an invitation and to whom.
pub struct Invitees<'a> {
    /// The organiser's name (CN) and address.
    pub organizer_name: &'a str,
    pub organizer: &'a str,
    pub attendee: &'a str,
}

/// `REQUEST` for an invitation or a change, `CANCEL` when the session is cancelled.
pub fn method(session: &SessionInfo) -> &'static str {
    if session.cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

/// The session's UID, the same in every invitation and download about it.
pub fn uid(session_id: &str) -> String {
    format!("{session_id}@stegvis")
}

/// The invitation for `attendee`, organised by the session's organiser (its case's
/// consultant), or else by `sender`.
pub fn invitation(session: &SessionInfo, sender: &str, attendee: &str) -> Result<String, String> {
    let (organizer_name, organizer) = match &session.organizer {
        Some(o) => (o.name.as_str(), o.email.as_str()),
        None => ("Stegvis", sender),
    };
    let time = |text: &str| -> Result<DateTime<Utc>, String> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("the session time {text:?} is unreadable: {e}"))
    };
    let uid = uid(&session.id);
    let event = CalendarEvent {
        uid: &uid,
        sequence: session.sequence,
        summary: &session.title,
        location: session.location.as_deref(),
        description: Some(&session.kind_name),
        starts_at: time(&session.starts_at)?,
        ends_at: time(&session.ends_at)?,
        stamp: time(&session.stamp)?,
        cancelled: session.cancelled,
    };
    Ok(write(
        method(session),
        &event,
        Some(&Invitees {
            organizer_name,
            organizer,
            attendee,
        }),
    ))
}

/// A calendar to download and import (`METHOD:PUBLISH`, no attendees).
pub fn download(event: &CalendarEvent<'_>) -> String {
    write("PUBLISH", event, None)
}

/// The whole calendar file.
fn write(method: &str, event: &CalendarEvent<'_>, invitees: Option<&Invitees<'_>>) -> String {
    let utc = |at: DateTime<Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "PRODID:-//Stegvis//Stegvis//EN".into(),
        "VERSION:2.0".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape(event.uid)),
        format!("SEQUENCE:{}", event.sequence),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.starts_at)),
        format!("DTEND:{}", utc(event.ends_at)),
        format!("SUMMARY:{}", escape(event.summary)),
    ];
    if let Some(location) = event.location.filter(|l| !l.is_empty()) {
        lines.push(format!("LOCATION:{}", escape(location)));
    }
    if let Some(description) = event.description.filter(|d| !d.is_empty()) {
        lines.push(format!("DESCRIPTION:{}", escape(description)));
    }
    if let Some(people) = invitees {
        lines.push(format!(
            "ORGANIZER;CN={}:mailto:{}",
            param(people.organizer_name),
            people.organizer
        ));
        lines.push(format!(
            "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}",
            people.attendee
        ));
    }
    lines.push(format!(
        "STATUS:{}",
        if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// A parameter value (RFC 5545 §3.2): quoted when it holds `:`, `;` or `,`; double
/// quotes and control characters, which it cannot hold, left out.
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no line is longer than 75 octets, never inside a
/// UTF-8 character, each ending in CRLF (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(title: &str) -> SessionInfo {
        SessionInfo {
            id: "s1".into(),
            sequence: 2,
            cancelled: false,
            kind_name: "Verkstad".into(),
            title: title.into(),
            starts: String::new(),
            ends: String::new(),
            starts_at: "2026-03-10T09:00:00+00:00".into(),
            ends_at: "2026-03-10T11:00:00Z".into(),
            location: Some("Rum 3, plan 2; Järfälla".into()),
            stamp: "2026-03-02T09:00:00Z".into(),
            organizer: None,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn long_lines_are_folded_within_75_octets_and_end_in_crlf() {
        let ics = invitation(
            &session(&"Värderingsverkstad ".repeat(10)),
            "a@b.se",
            "c@d.se",
        )
        .unwrap();
        assert!(ics.ends_with("\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", "Värderingsverkstad ".repeat(10))));
        assert!(unfolded.contains("LOCATION:Rum 3\\, plan 2\\; Järfälla\r\n"));
        assert!(unfolded.contains("DTSTART:20260310T090000Z\r\n"));
        assert!(unfolded.contains("SEQUENCE:2\r\n"));
        assert!(unfolded.contains("\r\nMETHOD:REQUEST\r\n"));
        assert!(unfolded.contains(
            "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:c@d.se\r\n"
        ));
    }

    #[test]
    fn the_organiser_is_the_sessions_consultant_with_her_name_quoted_when_it_must_be() {
        let mut with_organizer = session("Verkstad");
        with_organizer.organizer = Some(crate::notify::payload::Organizer {
            name: "Lindqvist, Karin \"KL\"".into(),
            email: "karin@example.se".into(),
        });
        let ics = invitation(&with_organizer, "no-reply@x.se", "c@d.se").unwrap();
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded
                .contains("\r\nORGANIZER;CN=\"Lindqvist, Karin KL\":mailto:karin@example.se\r\n"),
            "{unfolded}"
        );
        let ics = invitation(&session("Verkstad"), "no-reply@x.se", "c@d.se").unwrap();
        assert!(ics.contains("\r\nORGANIZER;CN=Stegvis:mailto:no-reply@x.se\r\n"));
    }

    #[test]
    fn a_download_is_published_without_attendees() {
        let ics = download(&CalendarEvent {
            uid: &uid("s1"),
            sequence: 0,
            summary: "Verkstad 1 – Enhet",
            location: Some("Rum 3, plan 2"),
            description: None,
            starts_at: at("2026-03-02T09:00:00Z"),
            ends_at: at("2026-03-02T11:00:00Z"),
            stamp: at("2026-03-01T08:00:00Z"),
            cancelled: false,
        });
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        assert!(ics.contains("\r\nUID:s1@stegvis\r\n"));
        assert!(ics.contains("\r\nDTEND:20260302T110000Z\r\n"));
        assert!(ics.contains("\r\nLOCATION:Rum 3\\, plan 2\r\n"));
        assert!(!ics.contains("ATTENDEE") && !ics.contains("ORGANIZER"));
        assert!(!ics.contains("DESCRIPTION"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }
}

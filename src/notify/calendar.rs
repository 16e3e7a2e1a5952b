//! Calendar invitations (RFC 5545): one VEVENT per session with a stable UID, the
//! session's SEQUENCE, times in UTC, CRLF line endings, lines folded at 75 octets.

use chrono::{DateTime, Utc};

use super::payload::SessionInfo;

/// `REQUEST` for an invitation or a change, `CANCEL` when the session is cancelled.
pub fn method(session: &SessionInfo) -> &'static str {
    if session.cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

/// The session's UID, the same in every invitation about it.
pub fn uid(session: &SessionInfo) -> String {
    format!("{}@stegvis", session.id)
}

/// The invitation for `attendee`, sent by `organizer`.
pub fn invitation(
    session: &SessionInfo,
    organizer: &str,
    attendee: &str,
) -> Result<String, String> {
    let time = |text: &str| -> Result<String, String> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string())
            .map_err(|e| format!("the session time {text:?} is unreadable: {e}"))
    };
    let method = method(session);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "PRODID:-//Stegvis//Stegvis notifications//EN".into(),
        "VERSION:2.0".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", uid(session)),
        format!("SEQUENCE:{}", session.sequence),
        format!("DTSTAMP:{}", time(&session.stamp)?),
        format!("DTSTART:{}", time(&session.starts_at)?),
        format!("DTEND:{}", time(&session.ends_at)?),
        format!("SUMMARY:{}", escape(&session.title)),
    ];
    if let Some(location) = &session.location {
        lines.push(format!("LOCATION:{}", escape(location)));
    }
    lines.push(format!("DESCRIPTION:{}", escape(&session.kind_name)));
    lines.push(format!("ORGANIZER;CN=Stegvis:mailto:{organizer}"));
    lines.push(format!(
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{attendee}"
    ));
    lines.push(format!(
        "STATUS:{}",
        if session.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    Ok(lines.iter().map(|l| fold(l)).collect())
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
        }
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
    }
}

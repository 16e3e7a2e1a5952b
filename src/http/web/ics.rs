//! One session as an iCalendar file (RFC 5545): a VEVENT in UTC, lines folded at 75
//! octets and ended with CRLF, text escaped.

use chrono::{DateTime, Utc};

/// What a calendar entry shows.
pub struct IcsEvent<'a> {
    /// Stable across changes, so calendars update the entry instead of adding one.
    pub uid: &'a str,
    /// Grows when the session is moved (RFC 5545 SEQUENCE).
    pub sequence: u32,
    pub summary: &'a str,
    pub location: Option<&'a str>,
    pub description: Option<&'a str>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub stamp: DateTime<Utc>,
    pub cancelled: bool,
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes TEXT values (RFC 5545 §3.3.11).
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

/// Folds a content line at 75 octets, never inside a UTF-8 character (§3.1).
fn fold(line: &str, out: &mut String) {
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
}

/// The whole calendar file.
pub fn calendar(event: &IcsEvent<'_>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Stegvis//Stegvis//SV".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VEVENT".to_string(),
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
    lines.push(format!(
        "STATUS:{}",
        if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("END:VEVENT".to_string());
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    fn event<'a>(summary: &'a str) -> IcsEvent<'a> {
        IcsEvent {
            uid: "s1@stegvis",
            sequence: 2,
            summary,
            location: Some("Rum 3, plan 2"),
            description: None,
            starts_at: at("2026-03-02T09:00:00Z"),
            ends_at: at("2026-03-02T11:00:00Z"),
            stamp: at("2026-03-01T08:00:00Z"),
            cancelled: false,
        }
    }

    #[test]
    fn a_session_becomes_one_event_in_utc_with_crlf_lines() {
        let ics = calendar(&event("Verkstad 1"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20260302T090000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20260302T110000Z\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
        assert!(ics.contains("\r\nLOCATION:Rum 3\\, plan 2\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let long = "Värderingsverkstad ".repeat(10);
        let ics = calendar(&event(&long));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}")));
    }
}

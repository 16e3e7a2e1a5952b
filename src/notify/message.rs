//! A rendered mail as a MIME message: text and HTML alternatives, the calendar
//! invitation attached where the mail is about a session, the row's Message-ID.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::calendar;
use super::payload::Payload;
use super::render::Rendered;

/// A file a mail carries besides its calendar invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// `name` as a file name any mail program keeps: letters, digits, `-`, `_` and `.`
/// only, never starting with a dot.
pub fn safe_file_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    clean.trim_start_matches('.').to_string()
}

/// Builds the message for one outbox row, with `files` attached.
pub fn build(
    from: &Mailbox,
    to: &str,
    message_id: &str,
    payload: &Payload,
    rendered: &Rendered,
    files: &[AttachedFile],
) -> Result<Message, String> {
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("the recipient address is not valid: {e}"))?;
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(rendered.text.clone()))
        .singlepart(SinglePart::html(rendered.html.clone()));
    let session = payload.details.session();
    let organizer = match session.and_then(|s| s.organizer.as_ref()) {
        Some(o) => Some(Mailbox::new(
            Some(o.name.clone()).filter(|n| !n.is_empty()),
            o.email
                .parse()
                .map_err(|e| format!("the organiser's address is not valid: {e}"))?,
        )),
        None => None,
    };
    let mut parts = Vec::new();
    if let Some(session) = session {
        let ics = calendar::invitation(session, from.email.as_ref(), to.email.as_ref())?;
        let content_type = ContentType::parse(&format!(
            "text/calendar; charset=UTF-8; method={}",
            calendar::method(session)
        ))
        .map_err(|e| format!("calendar content type: {e}"))?;
        parts.push(Attachment::new("invitation.ics".into()).body(ics, content_type));
    }
    for file in files {
        let content_type = ContentType::parse(file.content_type)
            .map_err(|e| format!("attachment content type: {e}"))?;
        parts.push(
            Attachment::new(safe_file_name(&file.name)).body(file.bytes.clone(), content_type),
        );
    }
    let body = if parts.is_empty() {
        alternative
    } else {
        parts
            .into_iter()
            .fold(MultiPart::mixed().multipart(alternative), |mixed, part| {
                mixed.singlepart(part)
            })
    };
    let mut builder = Message::builder();
    match organizer {
        // Sent by Stegvis on the organiser's behalf; answers go to her.
        Some(organizer) => {
            let sender = from.name.as_deref().unwrap_or("Stegvis");
            let name = match organizer.name.as_deref() {
                Some(name) => format!("{name} via {sender}"),
                None => sender.to_string(),
            };
            builder = builder
                .from(Mailbox::new(Some(name), from.email.clone()))
                .reply_to(organizer);
        }
        None => builder = builder.from(from.clone()),
    }
    builder
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(message_id.to_string()))
        .multipart(body)
        .map_err(|e| format!("the message cannot be built: {e}"))
}

//! A rendered mail as a MIME message: text and HTML alternatives, the calendar
//! invitation attached where the mail is about a session, the row's Message-ID.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::calendar;
use super::payload::Payload;
use super::render::Rendered;

/// Builds the message for one outbox row.
pub fn build(
    from: &Mailbox,
    to: &str,
    message_id: &str,
    payload: &Payload,
    rendered: &Rendered,
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
    let body = match session {
        Some(session) => {
            let ics = calendar::invitation(session, from.email.as_ref(), to.email.as_ref())?;
            let content_type = ContentType::parse(&format!(
                "text/calendar; charset=UTF-8; method={}",
                calendar::method(session)
            ))
            .map_err(|e| format!("calendar content type: {e}"))?;
            MultiPart::mixed()
                .multipart(alternative)
                .singlepart(Attachment::new("invitation.ics".into()).body(ics, content_type))
        }
        None => alternative,
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

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
    let body = match payload.details.session() {
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
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(message_id.to_string()))
        .multipart(body)
        .map_err(|e| format!("the message cannot be built: {e}"))
}

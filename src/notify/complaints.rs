//! The mails with the outcome of an appeal or a complaint. A complainant is no user:
//! the address they gave is read from the complaint when the mail is written and
//! never logged (the outbox keeps it as the row's recipient, as for any mail).

use chrono::{DateTime, Utc};

use super::outbox_rows::insert;
use super::payload::{Details, Payload};
use super::recipients::Recipient;
use super::NotifyError;
use crate::config::Settings;
use crate::domain::{AppealGround, AppealOutcome, ComplaintOutcome, Language};
use crate::glossary;
use crate::store::appeals::{self, ComplaintRow};
use crate::store::DbConnection;

/// The words of an appeal's outcome in `lang`.
pub fn appeal_details(
    ground: AppealGround,
    outcome: AppealOutcome,
    comment: Option<String>,
    lang: Language,
) -> Details {
    let consequence = match (outcome, ground) {
        (AppealOutcome::Upheld, AppealGround::Return) => Some("appeal.consequence.return"),
        (AppealOutcome::Upheld, AppealGround::Suspension) => Some("appeal.consequence.suspension"),
        (AppealOutcome::Rejected, _) => None,
    };
    Details::AppealDecided {
        ground_name: glossary::text(lang, &format!("appeal.ground.{}", ground.as_str()), &[]),
        outcome_name: glossary::text(lang, &format!("appeal.outcome.{}", outcome.as_str()), &[]),
        consequence: consequence.map(|key| glossary::text(lang, key, &[])),
        comment,
    }
}

/// The words of a complaint's outcome in `lang`.
pub fn complaint_details(
    about_unit: bool,
    outcome: ComplaintOutcome,
    comment: Option<String>,
    lang: Language,
) -> Details {
    Details::ComplaintDecided {
        about_unit,
        outcome_name: glossary::text(
            lang,
            &format!("complaint.outcome.{}", outcome.as_str()),
            &[],
        ),
        comment,
    }
}

fn recipient(row: &ComplaintRow) -> Option<Recipient> {
    Some(Recipient {
        email: row.email.clone()?,
        name: None,
        language: Language::parse(&row.language).unwrap_or_default(),
    })
}

/// Whoever filed the complaint, if they left an address.
pub fn complainant(
    conn: &mut DbConnection,
    complaint_id: &str,
) -> diesel::QueryResult<Option<Recipient>> {
    Ok(appeals::complaint(conn, complaint_id)?.and_then(|row| recipient(&row)))
}

/// The outcome of a complaint about the certifying body (no case) to its
/// complainant, if they left an address; the number of mails written.
pub fn queue_body_outcome(
    conn: &mut DbConnection,
    settings: &Settings,
    complaint: &ComplaintRow,
    outcome: ComplaintOutcome,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let Some(to) = recipient(complaint) else {
        return Ok(0);
    };
    let payload = Payload {
        lang: to.language.as_str().to_string(),
        recipient_name: None,
        unit_name: String::new(),
        organisation_name: String::new(),
        programme_name: String::new(),
        case_id: String::new(),
        public_url: settings.server.public_url.clone(),
        details: complaint_details(false, outcome, complaint.comment.clone(), to.language),
    };
    insert(conn, settings, &payload, None, &to.email, now)?;
    Ok(1)
}

//! Who a mail goes to, each in their own language.

use crate::domain::{Language, Stage};
use crate::store::rows::{CaseRow, UnitRow};
use crate::store::{outbox, users, DbConnection};

/// One person a mail is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    /// `None` for a unit's contact address that belongs to no user.
    pub name: Option<String>,
    pub language: Language,
}

/// A unit's contacts: its users with the role unit_contact, and its `contact_email`
/// when no such user has that address (in Swedish, the default language).
pub fn unit_contacts(
    conn: &mut DbConnection,
    unit: &UnitRow,
) -> diesel::QueryResult<Vec<Recipient>> {
    let mut out: Vec<Recipient> = users::contacts_of_unit(conn, &unit.id)?
        .into_iter()
        .map(|user| Recipient {
            email: user.email,
            name: Some(user.name),
            language: user.language,
        })
        .collect();
    if let Some(address) = unit.contact_email.as_deref().map(str::trim) {
        if !address.is_empty() && !out.iter().any(|r| r.email.eq_ignore_ascii_case(address)) {
            out.push(Recipient {
                email: address.to_string(),
                name: None,
                language: Language::Sv,
            });
        }
    }
    Ok(out)
}

/// The user with this id, if there is one.
pub fn user(
    conn: &mut DbConnection,
    user_id: Option<&str>,
) -> diesel::QueryResult<Option<Recipient>> {
    let Some(id) = user_id else { return Ok(None) };
    outbox::person(conn, id)?
        .map(|(email, name, language)| {
            Ok(Recipient {
                email,
                name: Some(name),
                language: Language::try_from(language)
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
            })
        })
        .transpose()
}

/// Who a stage's deadline reminder goes to: in the audit stage the case's auditor,
/// whose decision is due; in any other stage (or an audit with no auditor) the
/// consultant, who moves the case on.
pub fn deadline_owner(
    conn: &mut DbConnection,
    case: &CaseRow,
) -> diesel::QueryResult<Vec<Recipient>> {
    let owner = match (case.stage, case.auditor_id.as_deref()) {
        (Stage::Audit, Some(auditor)) => Some(auditor),
        _ => case.consultant_id.as_deref(),
    };
    Ok(user(conn, owner)?.into_iter().collect())
}

/// `lists` joined, each address once (the first one found keeps its language).
pub fn merge(lists: impl IntoIterator<Item = Vec<Recipient>>) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::new();
    for recipient in lists.into_iter().flatten() {
        if !out
            .iter()
            .any(|r| r.email.eq_ignore_ascii_case(&recipient.email))
        {
            out.push(recipient);
        }
    }
    out
}

/// An address as logs may show it: the first letter and the domain.
pub fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `text` with every e-mail address in it masked, for log lines that quote errors.
pub fn mask_all(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.contains('@') {
                let trimmed = word.trim_matches(|c: char| "<>()[],;:\"'".contains(c));
                word.replace(trimmed, &mask(trimmed))
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_logs_keep_only_their_first_letter_and_domain() {
        assert_eq!(mask("anna.svensson@jarfalla.se"), "a***@jarfalla.se");
        assert_eq!(
            mask_all("550 <anna@x.se>: rejected"),
            "550 <a***@x.se>: rejected"
        );
    }
}

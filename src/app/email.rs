//! An e-mail address as Stegvis keeps it: trimmed, lower-case, one `@`, a dotted
//! domain, no spaces or control characters (`domain::values::is_valid_email`).

use serde::{Deserialize, Deserializer, Serialize};
use validator::ValidateLength;

use crate::domain::values::is_valid_email;
use crate::domain::{FieldCode, FieldError};

/// An e-mail address, trimmed and lower-cased. `parse` builds a checked one. A request
/// body reads it as sent (`sent`, also what serde does); the use case `check`s it with
/// the record's other rules, so one answer names them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Normalises and checks `raw`; the error names `field`.
    pub fn parse(field: &str, raw: &str) -> Result<EmailAddress, FieldError> {
        let email = EmailAddress::sent(raw);
        email.check(field)?;
        Ok(email)
    }

    /// The address as a request sent it, normalised, not yet checked.
    pub fn sent(raw: &str) -> EmailAddress {
        EmailAddress(raw.trim().to_lowercase())
    }

    /// Whether it is an address; the error names `field`.
    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        if is_valid_email(&self.0) {
            Ok(())
        } else {
            Err(FieldError::coded(
                field,
                FieldCode::Email,
                "must be an e-mail address",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|raw| EmailAddress::sent(&raw))
    }
}

/// `#[validate(length(...))]` counts the characters of the normalised address.
impl ValidateLength<u64> for EmailAddress {
    fn length(&self) -> Option<u64> {
        self.0.length()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased_and_a_bad_one_names_the_field() {
        let email = EmailAddress::parse("email", "  Anna@Jarfalla.SE ").map(|e| e.into_string());
        assert_eq!(email.ok().as_deref(), Some("anna@jarfalla.se"));
        for bad in [
            "anna@localhost",
            "anna jarfalla.se",
            "a@b@c.se",
            "anna@jar\tfalla.se",
            "",
        ] {
            let error = EmailAddress::parse("contact_email", bad).expect_err(bad);
            assert_eq!(error.field, "contact_email", "{bad:?}");
        }
    }

    #[test]
    fn a_request_reads_an_address_as_sent_and_the_check_refuses_a_bad_one() {
        let sent: EmailAddress = serde_json::from_str("\" Anna@Jarfalla.SE \"").expect("a string");
        assert_eq!(sent.as_str(), "anna@jarfalla.se");
        assert_eq!(sent.check("email"), Ok(()));
        let error = EmailAddress::sent("anna@localhost")
            .check("email")
            .expect_err("refused");
        assert_eq!(
            (error.field.as_str(), error.code),
            ("email", FieldCode::Email)
        );
    }
}

//! An e-mail address as Stegvis keeps it: trimmed, lower-case, one `@`, a dotted
//! domain, no spaces or control characters (`domain::values::is_valid_email`).

use crate::domain::values::is_valid_email;
use crate::domain::{FieldCode, FieldError};

/// A checked e-mail address (its private field keeps it from being built unchecked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Normalises and checks `raw`; the error names `field`.
    pub fn parse(field: &str, raw: &str) -> Result<EmailAddress, FieldError> {
        let email = raw.trim().to_lowercase();
        if is_valid_email(&email) {
            Ok(EmailAddress(email))
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

#[cfg(test)]
mod tests {
    use super::EmailAddress;

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
}

//! A new password as the rules accept it: 12 to 1024 characters, something other
//! than whitespace, and not one of the passwords people choose most often.

use crate::domain::{FieldCode, FieldError};

/// Passwords of 12 characters or more found at the top of public breach lists, and
/// their Swedish counterparts; compared without case and surrounding spaces.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "123451234512345",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "password1234567",
    "qwertyuiop123",
    "qwertyuiopasdf",
    "qwertyuiopå",
    "qwertyuiopasdfghjkl",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "iloveyou1234",
    "abcdefghijkl",
    "abcd1234abcd",
    "aaaaaaaaaaaa",
    "letmein12345",
    "welcome12345",
    "administrator",
    "administrator1",
    "changeme1234",
    "lösenord1234",
    "losenord1234",
    "lösenordlösenord",
    "sommar2024!!",
    "sommar202420",
    "välkommen123",
    "valkommen123",
    "välkommen1234",
    "hejhejhejhej",
    "stegvis12345",
    "stegvisstegvis",
];

/// A password fit to be set (its private field keeps it from being built unchecked).
#[derive(Debug, Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `raw`; the error names the field `password`.
    pub fn parse(raw: &str) -> Result<NewPassword, FieldError> {
        let length = raw.chars().count();
        if length < 12 {
            return Err(FieldError::coded(
                "password",
                FieldCode::TooShort,
                "must be at least 12 characters",
            )
            .with("min", 12));
        }
        if length > 1024 {
            return Err(FieldError::coded(
                "password",
                FieldCode::Length,
                "must be 12 to 1024 characters",
            )
            .with("min", 12)
            .with("max", 1024));
        }
        if raw.chars().all(char::is_whitespace) {
            return Err(FieldError::coded(
                "password",
                FieldCode::BlankPassword,
                "must contain something other than spaces",
            ));
        }
        let folded = raw.trim().to_lowercase();
        if COMMON.contains(&folded.as_str()) {
            return Err(FieldError::coded(
                "password",
                FieldCode::CommonPassword,
                "is one of the most common passwords; choose another",
            ));
        }
        Ok(NewPassword(raw.to_string()))
    }

    /// The password, to hash.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::NewPassword;

    #[test]
    fn short_blank_and_common_passwords_are_refused_naming_the_field() {
        for bad in [
            "elevenchars",
            "            ",
            " \t\n\u{a0}          ",
            "Password1234",
            " 123456789012 ",
            "Lösenord1234",
        ] {
            let error = NewPassword::parse(bad).expect_err(bad);
            assert_eq!(error.field, "password", "{bad:?}");
        }
        assert!(NewPassword::parse(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn a_long_uncommon_password_is_accepted() {
        let p = NewPassword::parse("correct horse battery staple").expect("accepted");
        assert_eq!(p.expose(), "correct horse battery staple");
    }
}

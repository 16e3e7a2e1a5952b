//! Names people type (organisation, unit, department, user, programme, session title
//! and location, plan and event titles): NFC-normalised and trimmed when read;
//! control characters (tab, line breaks, NUL …) and bidi embeddings, overrides and
//! isolates refused; names printed on the certificate must be printable in its font.
//!
//! An input holds a `Name`, normalised when it is made (by serde for the API, by
//! `Name::from` for the pages); the field's rules differ (a department may be left
//! empty, a session title need not be printable on the certificate), so the input
//! names them, `#[validate(length(...), custom(function = "…::printable"))]`, and its
//! check refuses the field with its code.

use serde::{Deserialize, Deserializer, Serialize};
use unicode_normalization::UnicodeNormalization;
use validator::{ValidateLength, ValidationError};

use crate::certificate::pdf::unprintable;
use crate::domain::{FieldCode, FieldError};

/// NFC, without surrounding whitespace.
pub fn normalise(raw: &str) -> String {
    raw.nfc().collect::<String>().trim().to_string()
}

/// Bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A refusal with its stable code (the glossary's `field_error.<code>`) and English text.
fn refused(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// A name without control characters or bidi controls.
pub fn plain(name: &(impl AsRef<str> + ?Sized)) -> Result<(), ValidationError> {
    let name = name.as_ref();
    if name.chars().any(char::is_control) {
        return Err(refused(
            "control_characters",
            "must not contain control characters such as tabs or line breaks",
        ));
    }
    if name.chars().any(is_bidi_control) {
        return Err(refused(
            "bidi_override",
            "must not contain characters that change the writing direction",
        ));
    }
    Ok(())
}

/// `plain`, and printable on the certificate.
pub fn printable(name: &(impl AsRef<str> + ?Sized)) -> Result<(), ValidationError> {
    let name = name.as_ref();
    plain(name)?;
    match unprintable(name) {
        Some(_) => Err(refused(
            "unprintable",
            "contains characters the certificate cannot print, such as emoji or Chinese characters",
        )),
        None => Ok(()),
    }
}

/// A name, NFC-normalised and trimmed. `From` only normalises (an input's check runs
/// the field's rules); `parse` also checks, for names built outside a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    /// Normalises and checks `raw` for `field` (1 to `max` characters, `printable`).
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Name, FieldError> {
        let name = Name::from(raw);
        let count = name.0.chars().count();
        if count == 0 || count > max {
            return Err(FieldError::coded(
                field,
                FieldCode::Length,
                format!("must be 1 to {max} characters"),
            )
            .with("min", 1)
            .with("max", max));
        }
        printable(&name).map_err(|e| {
            FieldError::coded(
                field,
                FieldCode::parse(&e.code).unwrap_or(FieldCode::Invalid),
                e.message.map(|m| m.to_string()).unwrap_or_default(),
            )
        })?;
        Ok(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<&str> for Name {
    fn from(raw: &str) -> Name {
        Name(normalise(raw))
    }
}

impl From<String> for Name {
    fn from(raw: String) -> Name {
        Name::from(raw.as_str())
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Name::from)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// `#[validate(length(...))]` counts a name's characters, as it counts a `String`'s.
impl ValidateLength<u64> for Name {
    fn length(&self) -> Option<u64> {
        self.0.length()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_nfc_and_trimmed() {
        assert_eq!(normalise("  A\u{030A}sa  "), "\u{C5}sa");
        assert_eq!(normalise("\u{a0}Enhet\u{3000}"), "Enhet");
    }

    #[test]
    fn a_name_is_normalised_however_it_is_made() {
        let read: Name = serde_json::from_str("\"  A\\u030asa  \"").expect("a string");
        assert_eq!(read.as_str(), "\u{C5}sa");
        assert_eq!(Name::from("  A\u{030A}sa  "), read);
        assert_eq!(String::from(read), "\u{C5}sa");
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        for bad in [
            "a\tb",
            "a\r\nb",
            "a\u{0}b",
            "a\u{202E}b",
            "a\u{2067}b",
            "a\u{85}b",
        ] {
            assert!(plain(bad).is_err(), "{bad:?}");
        }
        assert!(plain("Förskolan Regnbågen – Väst (2)").is_ok());
    }

    #[test]
    fn a_name_the_certificate_cannot_print_is_refused() {
        assert!(printable("Enhet 中文").is_err());
        assert!(printable("Förskolan Regnbågen 🌈").is_err());
        assert!(printable("Русская школа").is_ok());
        let error = Name::parse("name", "Enhet 🌈", 200).expect_err("refused");
        assert_eq!(error.field, "name");
        assert_eq!(
            Name::parse("name", " Ok ", 200).map(|n| n.as_str().to_string()),
            Ok("Ok".into())
        );
    }
}

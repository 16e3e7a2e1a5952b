//! Names people type (organisation, unit, department, user, programme, session title
//! and location, plan and event titles): NFC-normalised and trimmed when read;
//! control characters (tab, line breaks, NUL …) and bidi embeddings, overrides and
//! isolates refused; names printed on the certificate must be printable in its font.
//!
//! Used from `inputs`: `#[serde(deserialize_with = "…")]` normalises the text, and
//! `#[validate(custom(function = "…"))]` checks it, so the 422 names the field.

use serde::{Deserialize, Deserializer};
use unicode_normalization::UnicodeNormalization;
use validator::ValidationError;

use crate::certificate::pdf::unprintable;
use crate::domain::{FieldCode, FieldError};

/// NFC, without surrounding whitespace.
pub fn normalise(raw: &str) -> String {
    raw.nfc().collect::<String>().trim().to_string()
}

/// Deserialises a name, normalised.
pub fn normalised<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    String::deserialize(d).map(|s| normalise(&s))
}

/// Deserialises an optional name, normalised.
pub fn normalised_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(|s| normalise(&s)))
}

/// Deserialises a PATCH name that may be absent (outer `None`) or `null`.
pub fn normalised_present<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(|s| Some(s.map(|s| normalise(&s))))
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
pub fn plain(name: &str) -> Result<(), ValidationError> {
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
pub fn printable(name: &str) -> Result<(), ValidationError> {
    plain(name)?;
    match unprintable(name) {
        Some(_) => Err(refused(
            "unprintable",
            "contains characters the certificate cannot print, such as emoji or Chinese characters",
        )),
        None => Ok(()),
    }
}

/// A name already checked: for code that builds names outside a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// Normalises and checks `raw` for `field` (1 to `max` characters, `printable`).
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Name, FieldError> {
        let name = normalise(raw);
        let count = name.chars().count();
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
        Ok(Name(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
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

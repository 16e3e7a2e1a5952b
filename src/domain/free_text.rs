//! Free text in commands (descriptions, comments, findings, notes): how long it may be
//! and the check every command runs on it.

use super::error::{DomainError, FieldCode, FieldError};

/// Longest free text a command may carry (descriptions, comments, findings).
pub const MAX_TEXT: usize = 2000;

/// Longest notes of a session.
pub const MAX_NOTES: usize = 10_000;

/// `text` trimmed: not blank, not longer than `max` characters; else the error naming
/// `field`.
pub(crate) fn check_text(field: &str, text: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DomainError::field(FieldError::coded(
            field,
            FieldCode::Required,
            "must not be empty",
        )));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::field(
            FieldError::coded(
                field,
                FieldCode::TooLong,
                format!("must be at most {max} characters"),
            )
            .with("max", max),
        ));
    }
    Ok(trimmed.to_string())
}

//! The one check every input passes before a use case sees it: the API's body
//! extractor runs it after serde has read the body, the pages after they have read
//! the form, so both refuse the same fields with the same codes, all at once.
//!
//! The rules are the inputs' `#[validate(...)]` attributes, which name the rules of
//! the values they hold (`name::printable`, `Headcount::MIN` …).

use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::app::error::AppError;
use crate::domain::{FieldCode, FieldError};

/// `input`, or every field its rules refuse (422).
pub fn checked<T: Validate>(input: T) -> Result<T, AppError> {
    input
        .validate()
        .map_err(|errors| AppError::Invalid(field_errors(&errors, "")))?;
    Ok(input)
}

fn describe(path: &str, error: &validator::ValidationError) -> FieldError {
    if let Some(message) = &error.message {
        // A validator of our own names its refusal with a field code.
        let code = FieldCode::parse(&error.code).unwrap_or(FieldCode::Invalid);
        return FieldError::coded(path, code, message.to_string());
    }
    let param = |name: &str| error.params.get(name).map(|v| v.to_string());
    match (error.code.as_ref(), param("min"), param("max")) {
        ("length", Some(min), Some(max)) => FieldError::coded(
            path,
            FieldCode::Length,
            format!("must be {min} to {max} characters"),
        )
        .with("min", min)
        .with("max", max),
        ("length", None, Some(max)) => FieldError::coded(
            path,
            FieldCode::TooLong,
            format!("must be at most {max} characters"),
        )
        .with("max", max),
        ("length", Some(min), None) => FieldError::coded(
            path,
            FieldCode::TooShort,
            format!("must be at least {min} characters"),
        )
        .with("min", min),
        ("range", Some(min), Some(max)) => FieldError::coded(
            path,
            FieldCode::Range,
            format!("must be between {min} and {max}"),
        )
        .with("min", min)
        .with("max", max),
        (code, _, _) => FieldError::new(path, format!("is invalid ({code})")),
    }
}

/// Every refusal in `errors`, its field named by its path under `prefix`, sorted by field.
pub fn field_errors(errors: &ValidationErrors, prefix: &str) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                out.extend(list.iter().map(|e| describe(&path, e)))
            }
            ValidationErrorsKind::Struct(inner) => out.extend(field_errors(inner, &path)),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    out.extend(field_errors(inner, &format!("{path}[{i}]")));
                }
            }
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

//! The error policy, in one place: this file alone turns an [`AppError`] into an
//! `application/problem+json` answer (RFC 9457). Client mistakes name the field and
//! change nothing. Infrastructure failures are logged here with their cause and
//! answered with a bare 500 that leaks nothing.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::error::AppError;
use crate::domain::{DomainError, FieldError, Requirement};

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("worker thread: {e}"))
    }
}

/// One invalid field in a problem answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    /// What is wrong, as a stable code (e.g. `too_long`, `unknown_unit`); `invalid`
    /// when the message alone says it.
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
}

/// An error answer, `application/problem+json` (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The invalid fields (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// The requirements a transition still misses (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmet: Option<Vec<Requirement>>,
}

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

impl AppError {
    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            AppError::Domain(DomainError::RequirementsUnmet(_)) => {
                ("requirements-unmet", "Requirements not met")
            }
            AppError::Domain(DomainError::Invalid(_)) | AppError::Invalid(_) => {
                ("invalid-input", "Invalid input")
            }
            AppError::Domain(DomainError::NotAllowed { .. }) => (
                "not-allowed-now",
                "Not possible in the case's current state",
            ),
            AppError::Domain(DomainError::Paused) => ("case-paused", "The case is paused"),
            AppError::Domain(DomainError::Conflict(_)) | AppError::Conflict(_) => {
                ("conflict", "Conflict")
            }
            AppError::Domain(DomainError::NotAssignedAuditor) | AppError::Forbidden(_) => {
                ("forbidden", "Forbidden")
            }
            AppError::NotFound => ("not-found", "Not found"),
            AppError::Malformed(_) => ("malformed-json", "Malformed JSON"),
            AppError::PayloadTooLarge => ("payload-too-large", "Request body too large"),
            AppError::Unauthorized(_) => ("unauthorized", "Unauthorized"),
            AppError::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            AppError::PreconditionRequired => ("precondition-required", "If-Match required"),
            AppError::PreconditionFailed { .. } => ("precondition-failed", "Version mismatch"),
            AppError::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            AppError::Internal(_)
            | AppError::Store(_)
            | AppError::Notify(_)
            | AppError::Certificate(_) => ("internal", "Internal server error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let status = self.status_code().as_u16();
        let fields = |errors: &[FieldError]| {
            Some(
                errors
                    .iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        code: e.code.as_str().to_string(),
                        message: e.message.clone(),
                    })
                    .collect(),
            )
        };
        let (detail, errors, unmet) = match self {
            AppError::Domain(DomainError::Invalid(errors)) | AppError::Invalid(errors) => (
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                fields(errors),
                None,
            ),
            AppError::Domain(DomainError::RequirementsUnmet(unmet)) => (
                format!(
                    "not yet met: {}",
                    unmet
                        .iter()
                        .map(|r| r.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
                Some(unmet.clone()),
            ),
            AppError::Internal(_)
            | AppError::Store(_)
            | AppError::Notify(_)
            | AppError::Certificate(_) => (
                "the server could not complete the request".into(),
                None,
                None,
            ),
            other => (other.to_string(), None, None),
        };
        Problem {
            kind: format!("urn:stegvis:problem:{slug}"),
            title: title.into(),
            status,
            detail,
            errors,
            unmet,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Domain(DomainError::RequirementsUnmet(_) | DomainError::Invalid(_))
            | AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Domain(
                DomainError::NotAllowed { .. } | DomainError::Paused | DomainError::Conflict(_),
            )
            | AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Domain(DomainError::NotAssignedAuditor) | AppError::Forbidden(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Internal(_)
            | AppError::Store(_)
            | AppError::Notify(_)
            | AppError::Certificate(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code() == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(cause = %error_chain(self), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            AppError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, *allow));
            }
            AppError::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// An error and each of its sources, for the log.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

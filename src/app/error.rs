//! Why a use case failed: one typed error for every use case.
//!
//! Client mistakes name the field and change nothing; infrastructure failures keep
//! their cause (`#[source]`) for the log. `http::problem` alone turns an [`AppError`]
//! into an answer (problem+json for the API; the pages show it in the user's words).

use crate::domain::policy::Denied;
use crate::domain::{ConflictCode, DomainError, FieldError};
use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("malformed JSON: {0}")]
    Malformed(String),
    #[error("the request body is larger than 256 KiB")]
    PayloadTooLarge,
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("too many failed log-ins")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("If-Match is required")]
    PreconditionRequired,
    #[error("the case has changed since version {sent}")]
    PreconditionFailed { sent: String },
    #[error("{}", .0.message())]
    Conflict(ConflictCode),
    #[error("method not allowed; this resource answers {allow}")]
    MethodNotAllowed { allow: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Notify(#[from] crate::notify::NotifyError),
    #[error(transparent)]
    Certificate(#[from] crate::certificate::CertificateError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => AppError::NotFound,
            Denied::Forbidden => AppError::Forbidden("your role may not do this here"),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Store(StoreError::from(e))
    }
}

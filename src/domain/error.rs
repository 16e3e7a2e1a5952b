//! Why the workflow refuses a command.

use super::conflict::ConflictCode;
pub use super::field::{FieldCode, FieldError};
use super::requirements::Requirement;
use super::stage::{Stage, Status};

/// A command the rules refuse; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The stage's requirements are not met yet.
    #[error("the requirements of the current stage are not met")]
    RequirementsUnmet(Vec<Requirement>),
    /// The action does not apply to the case where it stands.
    #[error("{action} is not possible when the case is in stage {} with status {}", stage.as_str(), status.as_str())]
    NotAllowed {
        action: &'static str,
        stage: Stage,
        status: Status,
    },
    /// The case is paused; only resume or withdraw apply.
    #[error("the case is paused; resume it first")]
    Paused,
    /// The command's input breaks a rule about a value.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Something the command targets is in a state that forbids it.
    #[error("{}", .0.message())]
    Conflict(ConflictCode),
    /// Only the assigned auditor signs off an audit.
    #[error("only the case's assigned auditor may do this")]
    NotAssignedAuditor,
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, message)])
    }

    /// A conflict users meet, in its English words.
    pub fn conflict(code: ConflictCode) -> Self {
        DomainError::Conflict(code)
    }

    /// One invalid field with a stable code.
    pub fn field(error: FieldError) -> Self {
        DomainError::Invalid(vec![error])
    }
}

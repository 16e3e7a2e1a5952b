//! The certification workflow as pure code: no database, no clock, no network.
//!
//! The shell loads a [`CaseState`] and the [`Facts`] it needs, calls [`decide`] with the
//! time passed in, and stores the events it returns; [`evolve`] folds each event into
//! the state. Every workflow rule lives here so it can be tested without I/O.

pub mod actions;
pub mod appeals;
pub mod available;
pub mod certificate;
pub mod command;
pub mod conflict;
pub mod corrections;
pub mod decide;
pub mod decision;
pub mod error;
pub mod event;
pub mod evolve;
pub mod field;
pub mod file_type;
pub mod free_text;
pub mod hash;
pub mod open_events;
pub mod outcomes;
pub mod path;
pub mod plan;
pub mod policy;
pub mod programme;
pub mod programme_key;
pub mod requirements;
pub mod stage;
pub mod state;
pub mod stored;
pub mod values;
pub mod webhook;

pub use actions::{session_admits, CaseAction, SessionStanding};
pub use available::available_actions;
pub use command::{Command, NamedUser, NewFinding, SessionChanges, SessionSnapshot, Transition};
pub use conflict::ConflictCode;
pub use decide::{decide, Facts};
pub use error::{DomainError, FieldError};
pub use event::{Change, Event};
pub use evolve::evolve;
pub use field::FieldCode;
pub use outcomes::{AppealGround, AppealOutcome, ComplaintOutcome};
pub use outcomes::{DecisionBy, DecisionOutcome};
pub use path::{Path, RequirementSpec, StagePlan};
pub use programme::ProgrammeRules;
pub use requirements::{evaluate, CaseFacts, HeldSession, Requirement};
pub use stage::{Stage, Status};
pub use state::{is_overdue, CaseState};
pub use values::{Actor, Language, Measure, Role, SessionKind, Severity};

#[cfg(test)]
mod tests_appeals;
#[cfg(test)]
mod tests_corrections;
#[cfg(test)]
mod tests_decide;
#[cfg(test)]
mod tests_paths;
#[cfg(test)]
mod tests_properties;

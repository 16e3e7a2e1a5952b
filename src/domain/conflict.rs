//! The conflicts users meet, each with a stable code and its English sentence: the
//! errors carry the code, pages word it from the glossary (`conflict.<code>`) and the
//! API answers the sentence.

/// A state of things that forbids a command; nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictCode {
    AlreadyEnrolled,
    NotEnrolled,
    SessionCancelled,
    SessionHeld,
    LiveCase,
    EmailTaken,
    ProgrammeVersion,
    DeadMailOnly,
    IdempotencyRunning,
    SurveillanceNotLapsed,
    NothingToAppeal,
    AppealOpen,
    AlreadyDecided,
    AwaitingDecision,
    NoRecommendation,
    DeadDeliveryOnly,
    NoLiveCase,
    AlreadyMember,
    RegistrationClosed,
    AlreadyRegistered,
    CapacityBelowConfirmed,
    EventNotStarted,
    ActionDropped,
    /// An admin may not deactivate, erase or change the role of their own account.
    OwnAccount,
}

impl ConflictCode {
    /// Every code, for the glossary's completeness test.
    pub const ALL: [ConflictCode; 24] = [
        ConflictCode::AlreadyEnrolled,
        ConflictCode::NotEnrolled,
        ConflictCode::SessionCancelled,
        ConflictCode::SessionHeld,
        ConflictCode::LiveCase,
        ConflictCode::EmailTaken,
        ConflictCode::ProgrammeVersion,
        ConflictCode::DeadMailOnly,
        ConflictCode::IdempotencyRunning,
        ConflictCode::SurveillanceNotLapsed,
        ConflictCode::NothingToAppeal,
        ConflictCode::AppealOpen,
        ConflictCode::AlreadyDecided,
        ConflictCode::AwaitingDecision,
        ConflictCode::NoRecommendation,
        ConflictCode::DeadDeliveryOnly,
        ConflictCode::NoLiveCase,
        ConflictCode::AlreadyMember,
        ConflictCode::RegistrationClosed,
        ConflictCode::AlreadyRegistered,
        ConflictCode::CapacityBelowConfirmed,
        ConflictCode::EventNotStarted,
        ConflictCode::ActionDropped,
        ConflictCode::OwnAccount,
    ];

    /// The code as the glossary keys it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::AlreadyEnrolled => "already_enrolled",
            ConflictCode::NotEnrolled => "not_enrolled",
            ConflictCode::SessionCancelled => "session_cancelled",
            ConflictCode::SessionHeld => "session_held",
            ConflictCode::LiveCase => "live_case",
            ConflictCode::EmailTaken => "email_taken",
            ConflictCode::ProgrammeVersion => "programme_version",
            ConflictCode::DeadMailOnly => "dead_mail_only",
            ConflictCode::IdempotencyRunning => "idempotency_running",
            ConflictCode::SurveillanceNotLapsed => "surveillance_not_lapsed",
            ConflictCode::NothingToAppeal => "nothing_to_appeal",
            ConflictCode::AppealOpen => "appeal_open",
            ConflictCode::AlreadyDecided => "already_decided",
            ConflictCode::AwaitingDecision => "awaiting_decision",
            ConflictCode::NoRecommendation => "no_recommendation",
            ConflictCode::DeadDeliveryOnly => "dead_delivery_only",
            ConflictCode::NoLiveCase => "no_live_case",
            ConflictCode::AlreadyMember => "already_member",
            ConflictCode::RegistrationClosed => "registration_closed",
            ConflictCode::AlreadyRegistered => "already_registered",
            ConflictCode::CapacityBelowConfirmed => "capacity_below_confirmed",
            ConflictCode::EventNotStarted => "event_not_started",
            ConflictCode::ActionDropped => "action_dropped",
            ConflictCode::OwnAccount => "own_account",
        }
    }

    /// The conflict in English, as the API answers it.
    pub fn message(self) -> &'static str {
        match self {
            ConflictCode::AlreadyEnrolled => "the case is already enrolled",
            ConflictCode::NotEnrolled => "the case is not enrolled",
            ConflictCode::SessionCancelled => "the session is cancelled",
            ConflictCode::SessionHeld => "the session has attendance recorded and is kept as held",
            ConflictCode::LiveCase => "the unit already has a live case in this programme",
            ConflictCode::EmailTaken => "a user with this e-mail address exists",
            ConflictCode::ProgrammeVersion => {
                "another version of this programme was created at the same time; try again"
            }
            ConflictCode::DeadMailOnly => "only dead mail can be retried",
            ConflictCode::IdempotencyRunning => {
                "a request with this Idempotency-Key is still running"
            }
            ConflictCode::SurveillanceNotLapsed => {
                "the case's surveillance is not overdue past its grace period"
            }
            ConflictCode::NothingToAppeal => {
                "the case has no return or suspension in force that is not appealed yet"
            }
            ConflictCode::AppealOpen => "the case already has an appeal awaiting a decision",
            ConflictCode::AlreadyDecided => "this has already been decided",
            ConflictCode::AwaitingDecision => {
                "the auditor has recommended certification; an admin decides now"
            }
            ConflictCode::NoRecommendation => {
                "the auditor has not recommended certification of this case"
            }
            ConflictCode::DeadDeliveryOnly => "only a dead webhook delivery can be retried",
            ConflictCode::NoLiveCase => "the unit has no live case to schedule the workshop on",
            ConflictCode::AlreadyMember => "the organisation is already a member of this cohort",
            ConflictCode::RegistrationClosed => "registration for this event has closed",
            ConflictCode::AlreadyRegistered => {
                "this e-mail address is already signed up for the event; the first registration stands"
            }
            ConflictCode::CapacityBelowConfirmed => {
                "the capacity is below the number of confirmed registrations"
            }
            ConflictCode::EventNotStarted => {
                "attendance can be recorded once the event has started"
            }
            ConflictCode::ActionDropped => "the action is dropped; it takes no follow-ups",
            ConflictCode::OwnAccount => {
                "an admin may not deactivate, erase or change the role of their own account"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_key_and_sentence() {
        for (i, a) in ConflictCode::ALL.into_iter().enumerate() {
            assert!(!a.message().is_empty());
            for b in &ConflictCode::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str());
                assert_ne!(a.message(), b.message());
            }
        }
    }
}

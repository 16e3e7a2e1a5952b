//! The conflicts users meet, each with a stable code beside its English sentence, so
//! pages word them from the glossary (`conflict.<code>`) and the API keeps its message.

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
}

impl ConflictCode {
    /// Every code, for the glossary's completeness test.
    pub const ALL: [ConflictCode; 8] = [
        ConflictCode::AlreadyEnrolled,
        ConflictCode::NotEnrolled,
        ConflictCode::SessionCancelled,
        ConflictCode::SessionHeld,
        ConflictCode::LiveCase,
        ConflictCode::EmailTaken,
        ConflictCode::ProgrammeVersion,
        ConflictCode::DeadMailOnly,
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
        }
    }

    /// The code of a conflict's message (a message may add details after `; `).
    pub fn of(message: &str) -> Option<ConflictCode> {
        ConflictCode::ALL.into_iter().find(|code| {
            let known = code.message();
            message == known
                || message
                    .strip_prefix(known)
                    .is_some_and(|rest| rest.starts_with("; "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_finds_its_own_code() {
        for code in ConflictCode::ALL {
            assert_eq!(ConflictCode::of(code.message()), Some(code));
        }
        assert_eq!(
            ConflictCode::of("only dead mail can be retried; this one is sent"),
            Some(ConflictCode::DeadMailOnly)
        );
        assert_eq!(ConflictCode::of("something else"), None);
    }
}

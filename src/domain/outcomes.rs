//! The words of appeals, complaints and certification decisions: plain values that
//! commands, events and programmes carry (no rules here).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The decision an appeal contests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealGround {
    /// The audit sent the case back.
    Return,
    /// The certificate was suspended (by an admin or for a lapsed surveillance).
    Suspension,
}

/// How an admin decided an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The decision is undone where it still stands.
    Upheld,
    /// The decision stands.
    Rejected,
}

/// How an admin decided a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintOutcome {
    /// The complaint was right; any action follows by the ordinary commands.
    Upheld,
    /// The complaint was unfounded.
    Rejected,
    /// Taken note of, with no finding either way.
    Noted,
}

macro_rules! words {
    ($ty:ty { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The value as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $word),+ }
            }

            /// The value a stored or sent word names.
            pub fn parse(word: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }
    };
}

words!(AppealGround { Return => "return", Suspension => "suspension" });
words!(AppealOutcome { Upheld => "upheld", Rejected => "rejected" });
words!(ComplaintOutcome { Upheld => "upheld", Rejected => "rejected", Noted => "noted" });

/// Who makes the certification decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionBy {
    /// The auditor's approval certifies.
    #[default]
    Auditor,
    /// The auditor's approval recommends; an independent admin decides.
    Admin,
}

impl DecisionBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionBy::Auditor => "auditor",
            DecisionBy::Admin => "admin",
        }
    }

    pub fn parse(word: &str) -> Option<DecisionBy> {
        [DecisionBy::Auditor, DecisionBy::Admin]
            .into_iter()
            .find(|d| d.as_str() == word)
    }
}

/// What the admin decides on a recommended case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// Certify: the certificate is issued as on an auditor's approval.
    Certify,
    /// Send the case back to the stage before audit, as a return does.
    Return,
}

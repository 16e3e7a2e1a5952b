//! The six stages of the certification path and the status a case is in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A step on the certification path, in order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Kickoff,
    ValueWorkshops,
    IndividualReflection,
    RoutineIntegration,
    Audit,
    Certified,
}

impl Stage {
    /// Every stage, in path order.
    pub const ALL: [Stage; 6] = [
        Stage::Kickoff,
        Stage::ValueWorkshops,
        Stage::IndividualReflection,
        Stage::RoutineIntegration,
        Stage::Audit,
        Stage::Certified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Kickoff => "kickoff",
            Stage::ValueWorkshops => "value_workshops",
            Stage::IndividualReflection => "individual_reflection",
            Stage::RoutineIntegration => "routine_integration",
            Stage::Audit => "audit",
            Stage::Certified => "certified",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_str() == s)
    }

    /// The stage `advance` leads to; `None` where advancing is not how the stage is left.
    pub fn next_by_advance(self) -> Option<Stage> {
        match self {
            Stage::Kickoff => Some(Stage::ValueWorkshops),
            Stage::ValueWorkshops => Some(Stage::IndividualReflection),
            Stage::IndividualReflection => Some(Stage::RoutineIntegration),
            _ => None,
        }
    }
}

/// Where a case stands besides its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Paused,
    Withdrawn,
    Certified,
    Suspended,
    Expired,
    Revoked,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Active,
        Status::Paused,
        Status::Withdrawn,
        Status::Certified,
        Status::Suspended,
        Status::Expired,
        Status::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Withdrawn => "withdrawn",
            Status::Certified => "certified",
            Status::Suspended => "suspended",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// A live case blocks a second enrolment of the same unit in the same programme.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Status::Active | Status::Paused | Status::Certified | Status::Suspended
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_and_status_round_trips_through_its_name() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Stage::parse("done"), None);
    }
}

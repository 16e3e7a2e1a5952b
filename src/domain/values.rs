//! Small validated values the workflow speaks in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user may do is decided by their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Consultant,
    Auditor,
    Coordinator,
    UnitContact,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Consultant,
        Role::Auditor,
        Role::Coordinator,
        Role::UnitContact,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Consultant => "consultant",
            Role::Auditor => "auditor",
            Role::Coordinator => "coordinator",
            Role::UnitContact => "unit_contact",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == s)
    }

    /// Staff belong to the certifying body and read every organisation.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Consultant | Role::Auditor)
    }
}

/// The language a person reads pages and mail in; Swedish first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Sv,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "sv" => Some(Language::Sv),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// The kinds of scheduled session.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Kickoff,
    Workshop,
    Supervision,
    Coaching,
    Mapping,
    Training,
    LearningMeeting,
}

impl SessionKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [SessionKind; 7] = [
        SessionKind::Kickoff,
        SessionKind::Workshop,
        SessionKind::Supervision,
        SessionKind::Coaching,
        SessionKind::Mapping,
        SessionKind::Training,
        SessionKind::LearningMeeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Kickoff => "kickoff",
            SessionKind::Workshop => "workshop",
            SessionKind::Supervision => "supervision",
            SessionKind::Coaching => "coaching",
            SessionKind::Mapping => "mapping",
            SessionKind::Training => "training",
            SessionKind::LearningMeeting => "learning_meeting",
        }
    }

    pub fn parse(s: &str) -> Option<SessionKind> {
        SessionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A count a case keeps of its staff (never names): who completed an individual
/// reflection, and who has been trained.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Reflections,
    Trained,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::Reflections, Measure::Trained];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Reflections => "reflections",
            Measure::Trained => "trained",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// How serious an audit finding is; a major one blocks approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Major,
    Minor,
    Observation,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Observation => "observation",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "major" => Some(Severity::Major),
            "minor" => Some(Severity::Minor),
            "observation" => Some(Severity::Observation),
            _ => None,
        }
    }
}

/// Who is acting: the authenticated user as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub role: Role,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
}

/// Checks a Swedish organisationsnummer `NNNNNN-NNNN`, including its Luhn check digit.
pub fn is_valid_org_number(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() != 11 || bytes[6] != b'-' {
        return false;
    }
    let digits: Vec<u32> = s
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(10))
        .collect::<Option<Vec<u32>>>()
        .unwrap_or_default();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            if v > 9 {
                v - 9
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A plain, deliberately small e-mail check: one `@`, a dotted domain, no spaces.
pub fn is_valid_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_numbers_with_a_valid_check_digit_pass() {
        assert!(is_valid_org_number("212000-0142")); // Järfälla kommun
        assert!(is_valid_org_number("212000-1355")); // Göteborgs Stad
        assert!(!is_valid_org_number("212000-0143"));
        assert!(!is_valid_org_number("2120000142"));
        assert!(!is_valid_org_number("21200a-0142"));
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(is_valid_email("anna@jarfalla.se"));
        assert!(!is_valid_email("anna@localhost"));
        assert!(!is_valid_email("anna jarfalla.se"));
        assert!(!is_valid_email("@jarfalla.se"));
        assert!(!is_valid_email("a@b@c.se"));
    }
}

//! Request bodies as clients send them, and as the pages build them from a form.
//! Unknown fields are refused; ranges, lengths and names are checked by `validator`
//! in `validation::checked`, which the API and the pages both call; the use cases
//! check what needs the whole record or the database (an e-mail address with the
//! rest of a new user); the workflow's rules are checked in the domain.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::email::EmailAddress;
use crate::app::headcount::Headcount;
use crate::app::name::Name;
use crate::app::number::{whole, whole_opt};
use crate::domain::path::{RequirementDraft, RequirementKind, StageDraft};
use crate::domain::{Language, Measure, Role, SessionKind, Severity, Stage};

/// A routine area key: 1 to 40 characters of a-z, 0-9 and _.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(pattern = "^[a-z0-9_]{1,40}$")]
pub struct AreaKey(pub String);

/// Lets a PATCH tell "absent" (leave as is) from `null` (clear).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[validate(length(min = 3, max = 254))]
    #[schema(
        value_type = String,
        min_length = 3,
        max_length = 254,
        pattern = "^[^@\\s\\u0000-\\u001f\\u007f]+@[^@\\s.\\u0000-\\u001f\\u007f]+(\\.[^@\\s.\\u0000-\\u001f\\u007f]+)+$"
    )]
    pub email: EmailAddress,
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    pub name: Name,
    pub role: Role,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub language: Option<Language>,
    /// At least 12 characters. Left out (or null): the user gets a welcome mail with
    /// a link to choose their password, valid 7 days.
    #[validate(length(min = 12, max = 1024))]
    #[schema(min_length = 12, max_length = 1024, nullable)]
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    pub name: Name,
    /// Swedish organisationsnummer `NNNNNN-NNNN` with a valid check digit.
    #[schema(pattern = "^[0-9]{6}-[0-9]{4}$")]
    pub org_number: Option<String>,
}

/// `PATCH /organisations/{id}`: fields left out stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    #[serde(default)]
    pub name: Option<Name>,
    /// Swedish organisationsnummer `NNNNNN-NNNN`; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{6}-[0-9]{4}$")]
    pub org_number: Option<Option<String>>,
    /// Lists the organisation's certified units in the public registry.
    #[serde(default)]
    pub public_registry: Option<bool>,
}

/// A change to a user (admin): only the fields sent change; the role, organisation
/// and unit that result are checked as `NewUser`'s are.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    #[serde(default)]
    pub name: Option<Name>,
    #[serde(default)]
    pub role: Option<Role>,
    /// A coordinator's organisation; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub organisation_id: Option<Option<String>>,
    /// A unit contact's unit; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub unit_id: Option<Option<String>>,
    #[serde(default)]
    pub language: Option<Language>,
    /// `false` closes the account: every token and web session of the user ends at once.
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    pub name: Name,
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[validate(custom(function = "crate::app::name::printable"))]
    #[serde(default)]
    pub department: Option<Name>,
    #[validate(range(min = Headcount::MIN, max = Headcount::MAX))]
    #[schema(value_type = i64, minimum = 1, maximum = 100000)]
    pub headcount: Headcount,
    #[schema(
        value_type = Option<String>,
        max_length = 254,
        pattern = "^[^@\\s\\u0000-\\u001f\\u007f]+@[^@\\s.\\u0000-\\u001f\\u007f]+(\\.[^@\\s.\\u0000-\\u001f\\u007f]+)+$"
    )]
    pub contact_email: Option<EmailAddress>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    #[serde(default)]
    pub name: Option<Name>,
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "crate::app::name::printable"))]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub department: Option<Option<Name>>,
    #[validate(range(min = Headcount::MIN, max = Headcount::MAX))]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100000)]
    #[serde(default)]
    pub headcount: Option<Headcount>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 254, pattern = "^[^@\\s\\u0000-\\u001f\\u007f]+@[^@\\s.\\u0000-\\u001f\\u007f]+(\\.[^@\\s.\\u0000-\\u001f\\u007f]+)+$")]
    pub contact_email: Option<Option<EmailAddress>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    #[validate(length(min = 1, max = 60))]
    #[schema(min_length = 1, max_length = 60, pattern = "^[a-z0-9_-]+$")]
    pub key: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    pub name: Name,
    #[validate(range(min = 1, max = 50))]
    #[schema(minimum = 1, maximum = 50)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub workshops_required: Option<i64>,
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub attendance_threshold_pct: Option<i64>,
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub reflection_threshold_pct: Option<i64>,
    /// 1 to 20 distinct areas, each 1 to 40 characters of a-z, 0-9 and _.
    #[schema(min_items = 1, max_items = 20)]
    pub routine_areas: Option<Vec<AreaKey>>,
    #[validate(range(min = 1, max = 120))]
    #[schema(minimum = 1, maximum = 120)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub validity_months: Option<i64>,
    /// Days allowed per stage; stages left out keep their current deadline.
    #[validate(nested)]
    pub stage_deadline_days: Option<StageDeadlines>,
    /// Days a finding may stay open, by severity (1 to 3650 each; default 30, 60, 90).
    #[validate(nested)]
    pub finding_due_days: Option<FindingDays>,
    /// Months between surveillances of a certified case (1 to 60; default 12).
    #[validate(range(min = 1, max = 60))]
    #[schema(minimum = 1, maximum = 60)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub surveillance_months: Option<i64>,
    /// Days a surveillance may be late before the certificate is suspended (1 to 365;
    /// default 60).
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub surveillance_grace_days: Option<i64>,
    /// Who decides certification: `auditor` (default; the approval certifies) or
    /// `admin` (the approval recommends; an admin who did not audit decides).
    pub decision_by: Option<crate::domain::DecisionBy>,
    /// What the programme is for, in a few sentences (up to 2,000 characters).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub description: Option<String>,
    /// The stages the programme's cases work through, in order, each with its deadline
    /// and requirements. Omitted: the flat fields above build the path (or, for a new
    /// version of a programme with its own path, that path is kept unless a flat field
    /// is given).
    #[schema(max_items = 5)]
    pub path: Option<Vec<StageInput>>,
}

/// Days a finding of each severity may stay open; those left out keep their value.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingDays {
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub major: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub minor: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub observation: Option<i64>,
}

/// One stage of a programme's path as a client writes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    /// Any stage but `certified`, in the path's fixed order; `kickoff` first, `audit` last.
    pub stage: Stage,
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(deserialize_with = "whole")]
    pub deadline_days: i64,
    /// None for `audit`; at most 10.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub requirements: Vec<RequirementInput>,
}

/// A requirement from the library; which fields it takes depends on `kind`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementInput {
    pub kind: RequirementKind,
    /// `sessions_held`: the kind of session counted.
    pub session_kind: Option<SessionKind>,
    /// `sessions_held`: how many sessions (1 to 50).
    #[schema(minimum = 1, maximum = 50)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub count: Option<i64>,
    /// `sessions_held`: the share of the headcount each must have had (1 to 100).
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub attendance_pct: Option<i64>,
    /// `sessions_held`: only sessions with notes count.
    pub documented: Option<bool>,
    /// `share_of_staff`: `reflections` or `trained`.
    pub measure: Option<Measure>,
    /// `share_of_staff`: the share of the headcount (1 to 100, rounded up).
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub pct: Option<i64>,
    /// `evidence_in_areas`: 1 to 20 distinct routine areas.
    #[schema(min_items = 1, max_items = 20)]
    pub areas: Option<Vec<AreaKey>>,
}

impl From<&StageInput> for StageDraft {
    fn from(input: &StageInput) -> StageDraft {
        StageDraft {
            stage: Some(input.stage),
            deadline_days: Some(input.deadline_days),
            requirements: input
                .requirements
                .iter()
                .map(|r| RequirementDraft {
                    kind: Some(r.kind),
                    session_kind: r.session_kind,
                    count: r.count,
                    attendance_pct: r.attendance_pct,
                    documented: r.documented,
                    measure: r.measure,
                    pct: r.pct,
                    areas: r
                        .areas
                        .as_ref()
                        .map(|a| a.iter().map(|k| k.0.trim().to_string()).collect()),
                })
                .collect(),
        }
    }
}

/// Moves a programme's running cases to another version of it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationRequest {
    /// A version of the same programme key.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    #[serde(deserialize_with = "whole")]
    pub to_version: i64,
    /// Only report what would happen.
    #[serde(default)]
    pub dry_run: bool,
}

/// Days allowed in each stage before a case is overdue (1 to 3650 each).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageDeadlines {
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub kickoff: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub value_workshops: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub individual_reflection: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub routine_integration: Option<i64>,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "whole_opt")]
    pub audit: Option<i64>,
}

impl StageDeadlines {
    /// The deadlines given, by stage.
    pub fn given(&self) -> Vec<(Stage, i64)> {
        [
            (Stage::Kickoff, self.kickoff),
            (Stage::ValueWorkshops, self.value_workshops),
            (Stage::IndividualReflection, self.individual_reflection),
            (Stage::RoutineIntegration, self.routine_integration),
            (Stage::Audit, self.audit),
        ]
        .into_iter()
        .filter_map(|(stage, days)| days.map(|d| (stage, d)))
        .collect()
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub unit_id: String,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub programme_id: String,
    pub consultant_id: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub kind: SessionKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    pub title: Name,
    pub starts_at: DateTime<FixedOffset>,
    /// After `starts_at`.
    pub ends_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub location: Option<Name>,
    /// Who the session is shaped for, e.g. the cleaners or the school staff.
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub audience: Option<Name>,
    /// The perspectives or focus areas the session is built on; at most 20.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[validate(custom(function = "plain_themes"))]
    #[schema(max_items = 20)]
    pub themes: Vec<Theme>,
    /// What the group worked on — never about an individual. Up to 10,000 characters.
    #[validate(length(max = 10000))]
    #[validate(custom(function = "notes_text"))]
    #[schema(max_length = 10000)]
    #[serde(default)]
    pub notes: Option<String>,
}

/// A session's theme or perspective: 1 to 80 characters on one line.
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
#[serde(transparent)]
#[schema(pattern = "^\\S(.{0,78}\\S)?$")]
pub struct Theme(pub String);

// A theme is normalised as a name is (NFC, trimmed).
impl<'de> Deserialize<'de> for Theme {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Name::deserialize(d).map(|name| Theme(name.into_string()))
    }
}

pub(crate) fn plain_themes(themes: &[Theme]) -> Result<(), validator::ValidationError> {
    themes
        .iter()
        .try_for_each(|t| crate::app::name::plain(&t.0))
}

/// Notes may run over several lines; other control characters and bidi overrides
/// are refused as in names.
pub(crate) fn notes_text(notes: &str) -> Result<(), validator::ValidationError> {
    let one_line: String = notes
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    crate::app::name::plain(&one_line)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub title: Option<Name>,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub location: Option<Option<Name>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub audience: Option<Option<Name>>,
    #[validate(length(max = 20))]
    #[validate(custom(function = "plain_themes"))]
    #[schema(max_items = 20)]
    pub themes: Option<Vec<Theme>>,
    /// What the group worked on — never about an individual; may be written after the
    /// session is held. `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "notes_text"))]
    #[schema(value_type = Option<String>, max_length = 10000)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// How many of the unit's staff attended: 0 to the headcount.
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    #[serde(deserialize_with = "whole")]
    pub attended: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureCount {
    /// How many of the staff: 0 to the headcount. Only the count is kept, never names.
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    #[serde(deserialize_with = "whole")]
    pub completed: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reflections {
    /// How many completed their individual reflection: 0 to the headcount. Only the
    /// count is kept, never what anyone wrote.
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    #[serde(deserialize_with = "whole")]
    pub completed: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidence {
    /// One of the programme's routine areas.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub area: String,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub description: String,
    /// An http or https URL.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, pattern = "^https?://[^\\s/?#]+[^\\s]*$")]
    pub link: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingResolution {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub resolution: String,
}

/// The actions of `POST /cases/{id}/transitions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Advance,
    RequestAudit,
    Approve,
    Return,
    Pause,
    Resume,
    Withdraw,
    Suspend,
    Reinstate,
    Revoke,
    Renew,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    pub severity: Severity,
    /// One of the programme's routine areas.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub area: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub text: String,
}

/// What a surveillance found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveillanceOutcome {
    Passed,
    Findings,
}

/// The assigned auditor's surveillance of a certified case.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveillanceRequest {
    pub outcome: SurveillanceOutcome,
    /// Required (at least one) when `outcome` is `findings`; none when `passed`.
    #[validate(nested)]
    #[schema(max_items = 100)]
    pub findings: Option<Vec<FindingInput>>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: Action,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    pub auditor_id: Option<String>,
    #[validate(nested)]
    pub findings: Option<Vec<FindingInput>>,
}

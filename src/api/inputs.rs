//! Request bodies as clients send them. Unknown fields are refused; ranges and
//! lengths are checked by `validator`; the workflow's rules are checked in the domain.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Language, Role, SessionKind, Severity, Stage};

/// Lets a PATCH tell "absent" (leave as is) from `null` (clear).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
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
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[validate(length(min = 3, max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub language: Option<Language>,
    /// At least 12 characters.
    #[validate(length(min = 12, max = 1024))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Swedish organisationsnummer `NNNNNN-NNNN` with a valid check digit.
    pub org_number: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(length(max = 200))]
    pub department: Option<String>,
    #[validate(range(min = 1, max = 100000))]
    pub headcount: i64,
    pub contact_email: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub department: Option<Option<String>>,
    #[validate(range(min = 1, max = 100000))]
    pub headcount: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub contact_email: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    #[validate(length(min = 1, max = 60))]
    pub key: String,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(range(min = 1, max = 50))]
    pub workshops_required: Option<i64>,
    #[validate(range(min = 1, max = 100))]
    pub attendance_threshold_pct: Option<i64>,
    #[validate(range(min = 1, max = 100))]
    pub reflection_threshold_pct: Option<i64>,
    pub routine_areas: Option<Vec<String>>,
    #[validate(range(min = 1, max = 120))]
    pub validity_months: Option<i64>,
    /// Days per stage, for the five stages before `certified`.
    pub stage_deadline_days: Option<BTreeMap<Stage, i64>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    #[validate(length(min = 1, max = 64))]
    pub unit_id: String,
    #[validate(length(min = 1, max = 64))]
    pub programme_id: String,
    pub consultant_id: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub kind: SessionKind,
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    pub location: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    #[validate(length(min = 1, max = 200))]
    pub title: Option<String>,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// How many of the unit's staff attended: 0 to the headcount.
    #[validate(range(min = 0, max = 100000))]
    pub attended: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reflections {
    /// How many completed their individual reflection: 0 to the headcount. Only the
    /// count is kept, never what anyone wrote.
    #[validate(range(min = 0, max = 100000))]
    pub completed: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidence {
    #[validate(length(min = 1, max = 40))]
    pub area: String,
    #[validate(length(min = 1, max = 2000))]
    pub description: String,
    #[validate(length(max = 2000))]
    pub link: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingResolution {
    #[validate(length(min = 1, max = 2000))]
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
    #[validate(length(min = 1, max = 40))]
    pub area: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    pub text: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: Action,
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
    pub auditor_id: Option<String>,
    #[validate(nested)]
    pub findings: Option<Vec<FindingInput>>,
}

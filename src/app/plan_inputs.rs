//! The request bodies of action plans: lengths and shapes are checked here; dates
//! that must follow each other, and owners of the right organisation, by the use
//! cases and the domain.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::inputs::{notes_text, present};
use super::name::Name;
use crate::domain::plan::ActionStatus;

/// A new action plan of an organisation.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    pub title: Name,
    pub period_start: NaiveDate,
    /// On or after `period_start`.
    pub period_end: NaiveDate,
    /// A case of the same organisation; its programme's `action_plan` requirement is
    /// met once the plan has an action.
    #[serde(default)]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub case_id: Option<String>,
}

/// A new action of a plan.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    pub title: Name,
    #[serde(default)]
    #[validate(length(max = 4000))]
    #[validate(custom(function = "notes_text"))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// A user of the plan's organisation who carries the action out.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub responsible_id: String,
    /// A user of the plan's organisation who follows the action up.
    #[serde(default)]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub coordinator_id: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

/// Changes to an action; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub title: Option<Name>,
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "notes_text"))]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub description: Option<Option<String>>,
    #[serde(default)]
    pub status: Option<ActionStatus>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default)]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub responsible_id: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub coordinator_id: Option<Option<String>>,
}

/// A follow-up note on an action: how it is going.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFollowUp {
    #[validate(length(min = 1, max = 2000))]
    #[validate(custom(function = "notes_text"))]
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub text: String,
}

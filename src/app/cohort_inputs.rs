//! The request bodies of cohorts; lengths and names are checked here, the rest (a
//! known programme and organisations, the period's order) by the use case.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::app::name::Name;

/// A new programme round across several organisations.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCohort {
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::printable"))]
    pub name: Name,
    /// The programme (version) the round runs.
    pub programme_id: String,
    pub period_start: NaiveDate,
    /// On or after `period_start`.
    pub period_end: NaiveDate,
    /// The member organisations; at most 200, each once.
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(max_items = 200)]
    pub organisation_ids: Vec<String>,
}

/// One more member organisation.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCohortMember {
    pub organisation_id: String,
}

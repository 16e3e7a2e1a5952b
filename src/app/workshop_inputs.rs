//! The request bodies of workshop requests; lengths and names are checked here, the
//! rest (dates after today, a unit of the organisation, a live case) by the use case.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::inputs::Theme;
use crate::app::name::Name;

/// A unit contact's or coordinator's request for a workshop.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkshopRequest {
    /// The unit the workshop is for: a unit contact's own unit when left out; a
    /// coordinator may name one of their organisation's units, or none for the
    /// organisation as a whole.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Who the workshop is for, e.g. the cleaners of the night shift.
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    pub audience: Name,
    /// One to ten wished dates, each after today.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub wished_dates: Vec<NaiveDate>,
    /// The perspectives (themes) the workshop should take up; at most 20.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[validate(custom(function = "crate::app::inputs::plain_themes"))]
    #[schema(max_items = 20)]
    pub perspectives: Vec<Theme>,
    /// Anything else staff should know; up to 4,000 characters.
    #[validate(length(max = 4000))]
    #[validate(custom(function = "crate::app::inputs::notes_text"))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub message: Option<String>,
}

/// What an accepted request becomes: `session`, a session of kind workshop on the
/// unit's live case; or `event`, an open event of kind workshop, open to the staff of
/// the requester's organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleAs {
    #[default]
    Session,
    Event,
}

/// Staff accept a request by scheduling it.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptWorkshopRequest {
    /// `session` (the default): a workshop session on the unit's live case; `event`:
    /// an open event of kind workshop, open to the requester's organisation (no case
    /// needed).
    #[serde(default)]
    pub schedule_as: ScheduleAs,
    /// For a request of the organisation as a whole: which of its units' live case
    /// the session belongs to. Defaults to the request's unit. Not used for `event`.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// The session's title; the request's audience when left out.
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "\\S")]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub title: Option<Name>,
    pub starts_at: DateTime<FixedOffset>,
    /// After `starts_at`.
    pub ends_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[serde(default)]
    pub location: Option<Name>,
}

/// Staff decline a request, saying why.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineWorkshopRequest {
    /// Why, for the one who asked: 1 to 2,000 characters.
    #[validate(length(min = 1, max = 2000))]
    #[validate(custom(function = "crate::app::inputs::notes_text"))]
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub reason: String,
}

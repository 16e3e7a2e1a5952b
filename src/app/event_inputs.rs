//! The request bodies and answers of open events and their registrations; lengths
//! are checked here, the rules (times, seats, duplicates) in `domain::open_events`.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::email::EmailAddress;
use crate::app::name::Name;
use crate::domain::open_events::{OpenTo, RegistrationStatus};
use crate::domain::{Language, SessionKind};

/// The word `all`: open to staff of every organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Everyone {
    All,
}

/// Who may sign up: `"all"`, or the ids of the organisations whose staff may.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum OpenToBody {
    Everyone(Everyone),
    /// 1 to 200 organisation ids.
    Organisations(Vec<String>),
}

impl From<&OpenTo> for OpenToBody {
    fn from(open_to: &OpenTo) -> OpenToBody {
        match open_to {
            OpenTo::All => OpenToBody::Everyone(Everyone::All),
            OpenTo::Organisations(ids) => OpenToBody::Organisations(ids.clone()),
        }
    }
}

/// A new open event (admins and consultants).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    #[validate(length(min = 1, max = 200))]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: Name,
    /// `learning_meeting` is a lärträff.
    pub kind: SessionKind,
    pub starts_at: DateTime<FixedOffset>,
    /// After `starts_at`.
    pub ends_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[serde(default)]
    pub location: Option<Name>,
    /// What the event is about, shown on the sign-up page.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub description: Option<String>,
    /// Who the event is for, e.g. managers in elderly care.
    #[validate(length(max = 200))]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[serde(default)]
    pub audience: Option<Name>,
    /// Places; without it, everyone who signs up gets one.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    #[serde(default)]
    pub capacity: Option<i32>,
    pub open_to: OpenToBody,
    /// When sign-up closes; at the start unless given, and never after the end.
    #[serde(default)]
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    /// The cohort (programme round) the event belongs to: it is then open to the
    /// cohort's member organisations, as far as `open_to` admits them (`"all"`: every
    /// member).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    #[serde(default)]
    pub cohort_id: Option<String>,
}

/// A change of an event's places (admins and consultants): never below the confirmed
/// registrations; more places move the first of the waitlist up.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventPatch {
    /// Null: as many places as sign up.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    pub capacity: Option<i32>,
}

/// A sign-up, by anyone (no log-in).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegistration {
    #[validate(length(min = 1, max = 200))]
    #[validate(custom(function = "crate::app::name::plain"))]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Name,
    #[schema(
        value_type = String,
        max_length = 254,
        pattern = "^[^@\\s\\u0000-\\u001f\\u007f]+@[^@\\s.\\u0000-\\u001f\\u007f]+(\\.[^@\\s.\\u0000-\\u001f\\u007f]+)+$"
    )]
    pub email: EmailAddress,
    /// The registrant's organisation; one the event is open to.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    #[serde(default)]
    pub organisation_id: Option<String>,
    /// The registrant's unit, of that organisation: the event then counts for the
    /// unit's case once attendance is recorded.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    #[serde(default)]
    pub unit_id: Option<String>,
    /// The language of the mails; Swedish unless given.
    #[serde(default)]
    pub language: Option<Language>,
}

/// Who attended (admins and consultants): the ids of the event's registrations.
/// Recording again replaces the earlier attendance.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    #[validate(length(max = 10000))]
    #[schema(max_items = 10000)]
    pub attended: Vec<String>,
}

/// An open event. The public view: counts, never who signed up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub description: Option<String>,
    pub audience: Option<String>,
    /// Null: no limit.
    pub capacity: Option<i32>,
    pub open_to: OpenToBody,
    pub registration_closes_at: DateTime<Utc>,
    /// Whether sign-up is open now.
    pub registration_open: bool,
    pub confirmed: i64,
    pub waitlisted: i64,
    /// Null when there is no limit.
    pub seats_left: Option<i64>,
    /// How many attended, once attendance is recorded.
    pub attended: i64,
    pub attendance_recorded_at: Option<DateTime<Utc>>,
    /// The cohort the event belongs to; null when none.
    pub cohort_id: Option<String>,
}

/// A page of events, by start; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// What the registrant is told: their registration and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationReceipt {
    pub id: String,
    pub status: RegistrationStatus,
}

/// A registration as staff see it. Name and e-mail are null once erased
/// (`events.retention_days` after the event).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registration {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub status: RegistrationStatus,
    pub registered_at: DateTime<Utc>,
    pub attended: bool,
}

//! Open events with public sign-up (kickoffs, learning meetings across a city): who
//! an event is open to, who gets a seat and who waits, when sign-up closes, who moves
//! up, how attendance counts per unit and when registrants are erased. Pure rules;
//! the shell loads the counts and stores what these answer.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::conflict::ConflictCode;
use super::error::{DomainError, FieldError};
use super::field::FieldCode;
use super::policy::{visibility, Visibility};
use super::values::Actor;

/// Which organisations' staff an event is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenTo {
    All,
    Organisations(Vec<String>),
}

impl OpenTo {
    pub fn admits(&self, organisation_id: &str) -> bool {
        match self {
            OpenTo::All => true,
            OpenTo::Organisations(ids) => ids.iter().any(|id| id == organisation_id),
        }
    }
}

/// Where a registration stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationStatus> {
        [
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Cancelled,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Whether `actor` sees the event at all: staff see every event; a coordinator or a
/// unit contact those open to their organisation; nobody else (the public sees an
/// event through its sign-up page, which shows no registrants).
pub fn visible_to(actor: &Actor, open_to: &OpenTo) -> bool {
    match visibility(actor) {
        Visibility::Everything => true,
        Visibility::Organisation(org)
        | Visibility::Unit {
            organisation_id: org,
            ..
        } => open_to.admits(&org),
        Visibility::Nothing => false,
    }
}

/// The times of an event: it ends after it starts, and sign-up closes no later than
/// its end. Both fields are named when both are wrong.
pub fn check_times(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    closes_at: Option<DateTime<Utc>>,
) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if ends_at <= starts_at {
        errors.push(FieldError::coded(
            "ends_at",
            FieldCode::EndsBeforeStart,
            "must be after starts_at",
        ));
    }
    if closes_at.is_some_and(|c| c > ends_at) {
        errors.push(FieldError::coded(
            "registration_closes_at",
            FieldCode::ClosesAfterEnd,
            "must be at or before ends_at",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// Sign-up closes at `registration_closes_at`, or when the event starts.
pub fn closes_at(
    starts_at: DateTime<Utc>,
    registration_closes_at: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    registration_closes_at.unwrap_or(starts_at)
}

/// A new registration: refused once sign-up has closed or when the address is signed
/// up already (the first registration stands); otherwise a seat while there is one
/// (no capacity: always), else the waitlist.
pub fn admit(
    now: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    capacity: Option<u32>,
    confirmed: u32,
    already_registered: bool,
) -> Result<RegistrationStatus, DomainError> {
    if now >= closes_at {
        return Err(DomainError::conflict(ConflictCode::RegistrationClosed));
    }
    if already_registered {
        return Err(DomainError::conflict(ConflictCode::AlreadyRegistered));
    }
    Ok(match capacity {
        Some(seats) if confirmed >= seats => RegistrationStatus::Waitlisted,
        _ => RegistrationStatus::Confirmed,
    })
}

/// A new capacity may not leave confirmed registrants without their seat.
pub fn check_capacity(capacity: Option<u32>, confirmed: u32) -> Result<(), DomainError> {
    match capacity {
        Some(seats) if seats < confirmed => {
            Err(DomainError::conflict(ConflictCode::CapacityBelowConfirmed))
        }
        _ => Ok(()),
    }
}

/// Who moves up from the waitlist (given in the order they signed up) while seats
/// are free; before the event starts only, since a seat at a past event helps nobody.
pub fn move_up(
    capacity: Option<u32>,
    confirmed: u32,
    waitlisted: &[String],
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
) -> &[String] {
    if now >= starts_at {
        return &[];
    }
    let free = match capacity {
        Some(seats) => usize::try_from(seats.saturating_sub(confirmed)).unwrap_or(usize::MAX),
        None => waitlisted.len(),
    };
    &waitlisted[..free.min(waitlisted.len())]
}

/// Attendance may be recorded once the event has started.
pub fn check_attendance_time(
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
) -> Result<(), DomainError> {
    if now < starts_at {
        Err(DomainError::conflict(ConflictCode::EventNotStarted))
    } else {
        Ok(())
    }
}

/// How many attended per case: each attendee names the case of their unit the event
/// counts for, and the case records that many as the attendance of the event's
/// session. Cases counted before (`previous`) without attendees now get 0, so
/// recording again replaces the earlier count instead of adding to it.
pub fn attendance_by_case<'a>(
    attendees_cases: impl IntoIterator<Item = &'a str>,
    previous: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<&'a str, u32> {
    let mut counts: BTreeMap<&str, u32> = previous.into_iter().map(|c| (c, 0)).collect();
    for case in attendees_cases {
        *counts.entry(case).or_insert(0) += 1;
    }
    counts
}

/// The reminder goes out on the day before: from 24 hours before the start until it.
pub fn reminder_due(as_of: DateTime<Utc>, starts_at: DateTime<Utc>) -> bool {
    as_of >= starts_at - Duration::hours(24) && as_of < starts_at
}

/// Registrants' names and addresses are erased `retention_days` after the event
/// ends: as of `as_of`, those of events that ended at or before this time.
pub fn erasure_cutoff(as_of: DateTime<Utc>, retention_days: u32) -> DateTime<Utc> {
    as_of - Duration::days(i64::from(retention_days))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::Role;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 9, hour, 0, 0).unwrap()
    }

    fn person(role: Role, org: Option<&str>) -> Actor {
        Actor {
            id: "p".into(),
            role,
            organisation_id: org.map(String::from),
            unit_id: (role == Role::UnitContact).then(|| "u".into()),
        }
    }

    #[test]
    fn staff_see_every_event_and_others_those_open_to_their_organisation() {
        let listed = OpenTo::Organisations(vec!["a".into()]);
        assert!(visible_to(&person(Role::Consultant, None), &listed));
        assert!(visible_to(&person(Role::Coordinator, Some("a")), &listed));
        assert!(visible_to(&person(Role::UnitContact, Some("a")), &listed));
        assert!(!visible_to(&person(Role::Coordinator, Some("b")), &listed));
        assert!(visible_to(
            &person(Role::Coordinator, Some("b")),
            &OpenTo::All
        ));
        assert!(!visible_to(&person(Role::Coordinator, None), &OpenTo::All));
    }

    #[test]
    fn an_event_ends_after_it_starts_and_closes_before_it_ends() {
        assert!(check_times(at(9), at(12), None).is_ok());
        assert!(check_times(at(9), at(12), Some(at(12))).is_ok());
        let Err(DomainError::Invalid(errors)) = check_times(at(12), at(9), Some(at(13))) else {
            panic!("refused")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["ends_at", "registration_closes_at"]);
    }

    #[test]
    fn seats_then_the_waitlist_then_closed() {
        assert_eq!(
            admit(at(8), at(9), Some(2), 1, false),
            Ok(RegistrationStatus::Confirmed)
        );
        assert_eq!(
            admit(at(8), at(9), Some(2), 2, false),
            Ok(RegistrationStatus::Waitlisted)
        );
        assert_eq!(
            admit(at(8), at(9), None, 500, false),
            Ok(RegistrationStatus::Confirmed)
        );
        assert_eq!(
            admit(at(8), at(9), Some(2), 0, true),
            Err(DomainError::conflict(ConflictCode::AlreadyRegistered))
        );
        assert_eq!(
            admit(at(9), at(9), Some(2), 0, false),
            Err(DomainError::conflict(ConflictCode::RegistrationClosed))
        );
    }

    #[test]
    fn capacity_never_below_the_confirmed() {
        assert!(check_capacity(Some(3), 3).is_ok());
        assert!(check_capacity(None, 30).is_ok());
        assert_eq!(
            check_capacity(Some(2), 3),
            Err(DomainError::conflict(ConflictCode::CapacityBelowConfirmed))
        );
    }

    #[test]
    fn the_first_waitlisted_move_up_into_free_seats_before_the_start() {
        let waiting = vec!["w1".to_string(), "w2".to_string()];
        assert_eq!(move_up(Some(2), 1, &waiting, at(8), at(9)), ["w1"]);
        assert_eq!(move_up(Some(5), 1, &waiting, at(8), at(9)), ["w1", "w2"]);
        assert!(move_up(Some(2), 2, &waiting, at(8), at(9)).is_empty());
        assert!(move_up(Some(2), 0, &waiting, at(9), at(9)).is_empty());
    }

    #[test]
    fn recording_again_replaces_the_count_per_unit() {
        let counts = attendance_by_case(["u1", "u2", "u1"], ["u3", "u1"]);
        assert_eq!(counts.get("u1"), Some(&2));
        assert_eq!(counts.get("u2"), Some(&1));
        assert_eq!(counts.get("u3"), Some(&0));
        assert!(check_attendance_time(at(8), at(9)).is_err());
        assert!(check_attendance_time(at(9), at(9)).is_ok());
    }

    #[test]
    fn reminders_the_day_before_and_erasure_after_retention() {
        let start = at(9);
        assert!(!reminder_due(start - Duration::hours(25), start));
        assert!(reminder_due(start - Duration::hours(24), start));
        assert!(!reminder_due(start, start));
        let ended = at(12);
        assert!(erasure_cutoff(ended + Duration::days(30), 30) >= ended);
        assert!(erasure_cutoff(ended + Duration::days(30) - Duration::seconds(1), 30) < ended);
    }
}

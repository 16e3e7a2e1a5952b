//! Action plans: an organisation's plan (e.g. Helsingborg's plan for equal
//! opportunities) and its actions, each with a responsible person, a coordinator, a
//! status, a due date and follow-ups. The rules here are pure: which dates are valid,
//! when an action is overdue, when it takes a follow-up, and the order the plan page
//! lists actions in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::conflict::ConflictCode;
use super::error::DomainError;
use super::field::{FieldCode, FieldError};

/// Longest follow-up text.
pub const MAX_FOLLOW_UP: usize = 2000;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
    /// Given up; kept (never deleted) and takes no more follow-ups.
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(word: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Still to be carried out: planned or in progress.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }

    /// The order of the plan table after the overdue ones: work under way first.
    fn rank(self) -> u8 {
        match self {
            ActionStatus::InProgress => 0,
            ActionStatus::Planned => 1,
            ActionStatus::Done => 2,
            ActionStatus::Dropped => 3,
        }
    }
}

/// An open action whose due date has passed (the day itself is still in time).
pub fn is_overdue(status: ActionStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.is_open() && due_on.is_some_and(|due| due < today)
}

/// A plan's period ends on or after the day it starts.
pub fn check_period(start: NaiveDate, end: NaiveDate) -> Result<(), DomainError> {
    if end < start {
        return Err(DomainError::field(
            FieldError::coded(
                "period_end",
                FieldCode::EndsBeforeStart,
                "must not be before period_start",
            )
            .with("start", start),
        ));
    }
    Ok(())
}

/// A follow-up is written on an action that is not dropped.
pub fn check_follow_up(status: ActionStatus) -> Result<(), DomainError> {
    if status == ActionStatus::Dropped {
        return Err(DomainError::conflict(ConflictCode::ActionDropped));
    }
    Ok(())
}

/// The plan table's order: overdue actions first, then by status (in progress,
/// planned, done, dropped), then by due date (undated last), then as added.
pub fn table_order(
    a: (bool, ActionStatus, Option<NaiveDate>),
    b: (bool, ActionStatus, Option<NaiveDate>),
) -> std::cmp::Ordering {
    let key = |(overdue, status, due): (bool, ActionStatus, Option<NaiveDate>)| {
        (!overdue, status.rank(), due.is_none(), due)
    };
    key(a).cmp(&key(b))
}

/// The kinds of event a plan's history keeps.
pub mod event_kind {
    pub const PLAN_CREATED: &str = "plan_created";
    pub const ACTION_ADDED: &str = "action_added";
    pub const ACTION_UPDATED: &str = "action_updated";
    pub const FOLLOW_UP_ADDED: &str = "follow_up_added";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap_or_default()
    }

    #[test]
    fn an_open_action_past_its_day_is_overdue_and_a_closed_one_never() {
        assert!(is_overdue(ActionStatus::Planned, Some(day(1)), day(2)));
        assert!(is_overdue(ActionStatus::InProgress, Some(day(1)), day(2)));
        assert!(!is_overdue(ActionStatus::Planned, Some(day(2)), day(2)));
        assert!(!is_overdue(ActionStatus::Planned, None, day(2)));
        assert!(!is_overdue(ActionStatus::Done, Some(day(1)), day(2)));
        assert!(!is_overdue(ActionStatus::Dropped, Some(day(1)), day(2)));
    }

    #[test]
    fn a_period_may_be_one_day_but_not_end_before_it_starts() {
        assert!(check_period(day(3), day(3)).is_ok());
        let Err(DomainError::Invalid(errors)) = check_period(day(3), day(2)) else {
            panic!("accepted a period ending before it starts");
        };
        assert_eq!(errors[0].field, "period_end");
    }

    #[test]
    fn a_dropped_action_takes_no_follow_up() {
        assert_eq!(
            check_follow_up(ActionStatus::Dropped),
            Err(DomainError::Conflict(ConflictCode::ActionDropped))
        );
        assert!(check_follow_up(ActionStatus::Done).is_ok());
    }

    #[test]
    fn overdue_first_then_by_status_then_by_due_date() {
        let mut rows = vec![
            (false, ActionStatus::Done, Some(day(1))),
            (false, ActionStatus::Planned, None),
            (false, ActionStatus::Planned, Some(day(9))),
            (true, ActionStatus::Planned, Some(day(2))),
            (false, ActionStatus::InProgress, Some(day(20))),
        ];
        rows.sort_by(|a, b| table_order(*a, *b));
        assert_eq!(
            rows,
            vec![
                (true, ActionStatus::Planned, Some(day(2))),
                (false, ActionStatus::InProgress, Some(day(20))),
                (false, ActionStatus::Planned, Some(day(9))),
                (false, ActionStatus::Planned, None),
                (false, ActionStatus::Done, Some(day(1))),
            ]
        );
    }

    #[test]
    fn every_status_reads_back_from_its_word() {
        for status in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(status.as_str()), Some(status));
        }
    }
}

//! Workshop requests: a unit's contact (for their unit) or a coordinator (for a unit
//! of their organisation, or the organisation as a whole) asks for a workshop; staff
//! accept it by scheduling a workshop session on the unit's live case, through the
//! case's own command (so the invitation with its calendar file goes out), or
//! decline it with a reason. The one who asked is told either way, in the same
//! transaction as the outcome.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::schedule_command;
use super::error::AppError;
use super::event_inputs::{NewEvent, OpenToBody};
use super::inputs::{NewSession, Theme};
use super::pipeline::{execute_in, Precondition, Reactors, Subject};
use super::workshop_inputs::{
    AcceptWorkshopRequest, DeclineWorkshopRequest, NewWorkshopRequest, ScheduleAs,
};
use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::clock::stockholm;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Role, SessionKind};
use crate::notify::workshops::{self as mails, Booked};
use crate::store::workshop_requests::{self as store, Outcome, RequestFilter, WorkshopRequestRow};
use crate::store::{ids, organisations, DbConnection};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Accepted,
    Declined,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [
        RequestStatus::Open,
        RequestStatus::Accepted,
        RequestStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Declined => "declined",
        }
    }

    pub fn parse(word: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// A workshop request and, once decided, its outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkshopRequest {
    pub id: String,
    pub organisation_id: String,
    /// Null for a request of the organisation as a whole.
    pub unit_id: Option<String>,
    /// The user who asked.
    pub requested_by: String,
    pub audience: String,
    pub wished_dates: Vec<NaiveDate>,
    pub perspectives: Vec<String>,
    pub message: Option<String>,
    pub status: RequestStatus,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why it was declined; null otherwise.
    pub reason: Option<String>,
    /// The case and session an accepted request became; null otherwise.
    pub case_id: Option<String>,
    pub session_id: Option<String>,
    /// The open event a request accepted as an event became; null otherwise.
    pub event_id: Option<String>,
}

/// A page of workshop requests; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkshopRequestPage {
    pub items: Vec<WorkshopRequest>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl TryFrom<WorkshopRequestRow> for WorkshopRequest {
    type Error = AppError;

    fn try_from(row: WorkshopRequestRow) -> Result<WorkshopRequest, AppError> {
        let unknown = |what: &str| {
            AppError::Internal(format!("workshop request {} has unreadable {what}", row.id))
        };
        Ok(WorkshopRequest {
            status: RequestStatus::parse(&row.status).ok_or_else(|| unknown("status"))?,
            wished_dates: serde_json::from_str(&row.wished_dates)
                .map_err(|_| unknown("wished dates"))?,
            perspectives: serde_json::from_str(&row.perspectives)
                .map_err(|_| unknown("perspectives"))?,
            id: row.id,
            organisation_id: row.organisation_id,
            unit_id: row.unit_id,
            requested_by: row.requested_by,
            audience: row.audience,
            message: row.message,
            requested_at: from_db(row.requested_at),
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(from_db),
            reason: row.reason,
            case_id: row.case_id,
            session_id: row.session_id,
            event_id: row.event_id,
        })
    }
}

fn target(row: &WorkshopRequestRow) -> Target<'_> {
    Target {
        organisation_id: Some(&row.organisation_id),
        unit_id: row.unit_id.as_deref(),
        ..Target::DEPLOYMENT
    }
}

fn unknown_unit(field: &str) -> AppError {
    AppError::Invalid(vec![FieldError::coded(
        field,
        FieldCode::UnknownUnit,
        "no unit has this id",
    )])
}

/// The organisation and unit a new request is for, as the actor may ask for them.
fn requested_for(
    conn: &mut DbConnection,
    actor: &Actor,
    unit_id: Option<&str>,
) -> Result<(String, Option<String>), AppError> {
    let unit_id = unit_id.or(match actor.role {
        Role::UnitContact => actor.unit_id.as_deref(),
        _ => None,
    });
    match unit_id {
        Some(id) => {
            let unit =
                organisations::unit_by_id(conn, id)?.ok_or_else(|| unknown_unit("unit_id"))?;
            let where_ = Target {
                organisation_id: Some(&unit.organisation_id),
                unit_id: Some(&unit.id),
                ..Target::DEPLOYMENT
            };
            // A unit the asker may not see is as unknown as one that does not exist.
            if authorize(actor, Action::Read, &where_).is_err() {
                return Err(unknown_unit("unit_id"));
            }
            Ok((unit.organisation_id, Some(unit.id)))
        }
        None => match &actor.organisation_id {
            Some(org) => Ok((org.clone(), None)),
            None => Err(AppError::from(crate::domain::policy::Denied::Forbidden)),
        },
    }
}

/// The wished dates, each after today (Stockholm), sorted and each once.
fn future_dates(dates: &[NaiveDate], now: DateTime<Utc>) -> Result<Vec<NaiveDate>, AppError> {
    let today = stockholm::today(now);
    let errors: Vec<FieldError> = dates
        .iter()
        .enumerate()
        // Far-off years are refused too: a wish is for the next few years.
        .filter(|(_, d)| **d <= today || d.year() > today.year() + 10)
        .map(|(i, _)| {
            FieldError::coded(
                format!("wished_dates[{i}]"),
                FieldCode::NotInFuture,
                "must be a date after today, within ten years",
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut dates = dates.to_vec();
    dates.sort();
    dates.dedup();
    Ok(dates)
}

fn json_list<T: Serialize>(items: &[T]) -> Result<String, AppError> {
    serde_json::to_string(items).map_err(|e| AppError::Internal(e.to_string()))
}

/// Records a request and tells the staff who answer it.
pub fn create(
    state: &AppState,
    actor: &Actor,
    input: NewWorkshopRequest,
) -> Result<WorkshopRequest, AppError> {
    let now = state.now();
    let (organisation_id, unit_id) = {
        let mut conn = state.store.conn()?;
        requested_for(&mut conn, actor, input.unit_id.as_deref())?
    };
    authorize(
        actor,
        Action::RequestWorkshop,
        &Target {
            organisation_id: Some(&organisation_id),
            unit_id: unit_id.as_deref(),
            ..Target::DEPLOYMENT
        },
    )?;
    let dates = future_dates(&input.wished_dates, now)?;
    let perspectives: Vec<String> = input
        .perspectives
        .iter()
        .map(|Theme(t)| t.clone())
        .collect();
    let message = input
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let row = WorkshopRequestRow {
        id: ids::new_id(),
        organisation_id,
        unit_id,
        requested_by: actor.id.clone(),
        audience: input.audience.into_string(),
        wished_dates: json_list(&dates)?,
        perspectives: json_list(&perspectives)?,
        message,
        status: RequestStatus::Open.as_str().to_string(),
        requested_at: to_db(now),
        decided_by: None,
        decided_at: None,
        reason: None,
        case_id: None,
        session_id: None,
        event_id: None,
    };
    state.store.write(|conn| -> Result<(), AppError> {
        store::insert(conn, &row)?;
        mails::queue_requested(conn, &state.settings, &row, &dates, &perspectives, now)?;
        Ok(())
    })?;
    WorkshopRequest::try_from(row)
}

/// Checks the actor may decide the request now, as accepting or declining it would:
/// what a page asks before its confirmation.
pub fn check_decidable(state: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    decidable(state, actor, id).map(|_| ())
}

/// The request, if the actor may see it, and their right to decide it.
fn decidable(state: &AppState, actor: &Actor, id: &str) -> Result<WorkshopRequestRow, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::DecideWorkshopRequest, &target(&row))?;
    if row.status != RequestStatus::Open.as_str() {
        return Err(AppError::Conflict(ConflictCode::AlreadyDecided));
    }
    Ok(row)
}

/// The live case the accepted workshop goes on: of the unit named in the body (one
/// of the request's organisation) or else of the request's unit.
fn case_for(
    state: &AppState,
    row: &WorkshopRequestRow,
    unit_id: Option<&str>,
) -> Result<String, AppError> {
    let mut conn = state.store.conn()?;
    let unit_id = match unit_id {
        Some(id) => {
            let unit = organisations::unit_by_id(&mut conn, id)?
                .filter(|u| u.organisation_id == row.organisation_id)
                .ok_or_else(|| unknown_unit("unit_id"))?;
            Some(unit.id)
        }
        None => row.unit_id.clone(),
    };
    let Some(unit_id) = unit_id else {
        return Err(AppError::Conflict(ConflictCode::NoLiveCase));
    };
    store::live_case_of_unit(&mut conn, &unit_id)?
        .ok_or(AppError::Conflict(ConflictCode::NoLiveCase))
}

/// Accepts an open request by scheduling a workshop session on the unit's live case
/// (the same command as `POST /cases/{id}/sessions`, so the same rules and the same
/// invitations), or with `schedule_as: event` as an open event, and tells the one who
/// asked.
pub fn accept(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: AcceptWorkshopRequest,
) -> Result<WorkshopRequest, AppError> {
    let row = decidable(state, actor, id)?;
    if input.schedule_as == ScheduleAs::Event {
        return accept_as_event(state, actor, &row, input);
    }
    let case_id = case_for(state, &row, input.unit_id.as_deref())?;
    let perspectives: Vec<String> = serde_json::from_str(&row.perspectives).unwrap_or_default();
    let session = NewSession {
        kind: SessionKind::Workshop,
        title: input
            .title
            .clone()
            .unwrap_or_else(|| row.audience.as_str().into()),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        location: input.location.clone(),
        audience: Some(row.audience.as_str().into()),
        themes: perspectives.into_iter().map(Theme).collect(),
        notes: None,
    };
    let session_id = ids::new_id();
    let command = schedule_command(&session_id, &session);
    let reactors = Reactors::of(state);
    let now = state.now();
    state.store.write(|conn| {
        let booking = Booking {
            case_id: Some(&case_id),
            session_id: Some(&session_id),
            event_id: None,
        };
        mark_accepted(conn, actor, id, now, &booking)?;
        execute_in(
            conn,
            &reactors,
            actor,
            Subject::Case(&case_id),
            &Precondition::None,
            now,
            &|_, _| Ok(command.clone()),
        )?;
        told_accepted(conn, state, id, &input, now)
    })
}

/// Accepts an open request as an open event of kind workshop, open to the staff of the
/// requester's organisation, created by the open events' own use case (its rules, its
/// sign-up page); then records the outcome and tells the one who asked. The event is
/// created first, in its own transaction: should someone decide the request in
/// between, the answer is 409 and the event stays for staff to cancel.
fn accept_as_event(
    state: &AppState,
    actor: &Actor,
    row: &WorkshopRequestRow,
    input: AcceptWorkshopRequest,
) -> Result<WorkshopRequest, AppError> {
    let event = super::open_events::create(
        state,
        actor,
        NewEvent {
            title: input
                .title
                .clone()
                .unwrap_or_else(|| row.audience.as_str().into()),
            kind: SessionKind::Workshop,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            location: input.location.clone(),
            description: row.message.clone(),
            audience: Some(row.audience.as_str().into()),
            capacity: None,
            open_to: OpenToBody::Organisations(vec![row.organisation_id.clone()]),
            registration_closes_at: None,
            cohort_id: None,
        },
    )?;
    let now = state.now();
    state.store.write(|conn| {
        let booking = Booking {
            case_id: None,
            session_id: None,
            event_id: Some(&event.id),
        };
        mark_accepted(conn, actor, &row.id, now, &booking)?;
        told_accepted(conn, state, &row.id, &input, now)
    })
}

/// What an accepted request became: a session on a case, or an event.
struct Booking<'a> {
    case_id: Option<&'a str>,
    session_id: Option<&'a str>,
    event_id: Option<&'a str>,
}

/// Writes the acceptance of a request still open; 409 when it was decided first.
fn mark_accepted(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
    booking: &Booking<'_>,
) -> Result<(), AppError> {
    let outcome = Outcome {
        status: RequestStatus::Accepted.as_str(),
        decided_by: &actor.id,
        decided_at: to_db(now),
        reason: None,
        case_id: booking.case_id,
        session_id: booking.session_id,
        event_id: booking.event_id,
    };
    if store::decide(conn, id, &outcome)? == 0 {
        return Err(AppError::Conflict(ConflictCode::AlreadyDecided));
    }
    Ok(())
}

/// The accepted request, its answer queued for the one who asked.
fn told_accepted(
    conn: &mut DbConnection,
    state: &AppState,
    id: &str,
    input: &AcceptWorkshopRequest,
    now: DateTime<Utc>,
) -> Result<WorkshopRequest, AppError> {
    let decided = store::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    let booked = Booked {
        starts_at: input.starts_at.with_timezone(&Utc),
        ends_at: input.ends_at.with_timezone(&Utc),
        location: input.location.clone().map(String::from),
    };
    mails::queue_accepted(conn, &state.settings, &decided, &booked, now)?;
    WorkshopRequest::try_from(decided)
}

/// The reason of a decline, trimmed; blank is 422 on `reason`.
pub fn check_reason(input: &DeclineWorkshopRequest) -> Result<String, AppError> {
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "reason",
            FieldCode::Required,
            "must not be empty",
        )]));
    }
    Ok(reason)
}

/// Declines an open request with a reason, and tells the one who asked.
pub fn decline(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: DeclineWorkshopRequest,
) -> Result<WorkshopRequest, AppError> {
    let reason = check_reason(&input)?;
    decidable(state, actor, id)?;
    let now = state.now();
    state.store.write(|conn| {
        let outcome = Outcome {
            status: RequestStatus::Declined.as_str(),
            decided_by: &actor.id,
            decided_at: to_db(now),
            reason: Some(&reason),
            case_id: None,
            session_id: None,
            event_id: None,
        };
        if store::decide(conn, id, &outcome)? == 0 {
            return Err(AppError::Conflict(ConflictCode::AlreadyDecided));
        }
        let decided = store::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        mails::queue_declined(conn, &state.settings, &decided, now)?;
        WorkshopRequest::try_from(decided)
    })
}

/// One request: for staff, and for those who may see its organisation or unit.
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<WorkshopRequest, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &target(&row))?;
    WorkshopRequest::try_from(row)
}

/// The requests the actor may see, oldest first: staff every one; a coordinator
/// their organisation's; a unit's contact their unit's.
pub fn list(
    state: &AppState,
    actor: &Actor,
    status: Option<RequestStatus>,
    page: PageRequest,
) -> Result<WorkshopRequestPage, AppError> {
    use crate::domain::policy::{visibility, Visibility};
    let mut filter = RequestFilter {
        status: status.map(|s| s.as_str().to_string()),
        ..RequestFilter::default()
    };
    match visibility(actor) {
        Visibility::Everything => {}
        Visibility::Organisation(org) => filter.organisation_id = Some(org),
        Visibility::Unit { unit_id, .. } => filter.unit_id = Some(unit_id),
        Visibility::Nothing => {
            return Ok(WorkshopRequestPage {
                items: Vec::new(),
                next_cursor: None,
            })
        }
    }
    let mut conn = state.store.conn()?;
    let rows = store::list(&mut conn, &filter, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(WorkshopRequestPage {
        items: rows
            .into_iter()
            .map(WorkshopRequest::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

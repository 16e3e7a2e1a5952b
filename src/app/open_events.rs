//! Open events with public sign-up: staff create them, anyone signs up (no log-in;
//! throttled per client address), registrants cancel through the link in their mail,
//! and the first of the waitlist moves up into a freed place. Each change and its
//! mails commit in one transaction. The rules are `domain::open_events`; attendance
//! is `app::event_attendance`, the jobs `app::event_jobs`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::error::AppError;
use super::event_inputs::{
    Event, EventPage, EventPatch, NewEvent, NewRegistration, OpenToBody, Registration,
    RegistrationReceipt,
};
use super::{from_db, paginate, throttle, to_db, AppState, PageRequest};
use crate::domain::open_events::{self as rules, OpenTo, RegistrationStatus};
use crate::domain::policy::{authorize, visibility, Action, Target, Visibility};
use crate::domain::{Actor, FieldCode, FieldError, SessionKind};
use crate::notify::open_events::{queue, Notice};
use crate::store::open_events::{self as store, EventRow, RegistrationRow};
use crate::store::{cohorts, ids, organisations, DbConnection};

pub(crate) fn utc(at: chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    crate::clock::to_micros(at.with_timezone(&Utc))
}

fn corrupt(what: &str, id: &str) -> AppError {
    AppError::Internal(format!("event {id} has an unreadable {what}"))
}

pub(crate) fn open_to_of(row: &EventRow) -> Result<OpenTo, AppError> {
    if row.open_to == "all" {
        return Ok(OpenTo::All);
    }
    serde_json::from_str(&row.open_to)
        .map(OpenTo::Organisations)
        .map_err(|_| corrupt("open_to", &row.id))
}

pub(crate) fn kind_of(row: &EventRow) -> Result<SessionKind, AppError> {
    SessionKind::parse(&row.kind).ok_or_else(|| corrupt("kind", &row.id))
}

pub(crate) fn status_of(row: &RegistrationRow) -> Result<RegistrationStatus, AppError> {
    RegistrationStatus::parse(&row.status)
        .ok_or_else(|| AppError::Internal(format!("registration {} has an unknown status", row.id)))
}

/// The event with its counts, as anyone may see it.
pub(crate) fn view(
    conn: &mut DbConnection,
    row: &EventRow,
    now: DateTime<Utc>,
) -> Result<Event, AppError> {
    let registrations = store::registrations(conn, &row.id)?;
    let mut counts = (0i64, 0i64, 0i64);
    for r in &registrations {
        match status_of(r)? {
            RegistrationStatus::Confirmed => counts.0 += 1,
            RegistrationStatus::Waitlisted => counts.1 += 1,
            RegistrationStatus::Cancelled => {}
        }
        if r.attended {
            counts.2 += 1;
        }
    }
    Ok(Event {
        id: row.id.clone(),
        title: row.title.clone(),
        kind: kind_of(row)?,
        starts_at: from_db(row.starts_at),
        ends_at: from_db(row.ends_at),
        location: row.location.clone(),
        description: row.description.clone(),
        audience: row.audience.clone(),
        capacity: row.capacity,
        open_to: OpenToBody::from(&open_to_of(row)?),
        registration_closes_at: from_db(row.registration_closes_at),
        registration_open: now < from_db(row.registration_closes_at),
        confirmed: counts.0,
        waitlisted: counts.1,
        seats_left: row.capacity.map(|c| (i64::from(c) - counts.0).max(0)),
        attended: counts.2,
        attendance_recorded_at: row.attendance_recorded_at.map(from_db),
        cohort_id: row.cohort_id.clone(),
    })
}

/// Who the event is open to: `open_to`, narrowed to the cohort's member organisations
/// (those of now, so members added later are admitted) when it belongs to a cohort.
pub(crate) fn audience(conn: &mut DbConnection, row: &EventRow) -> Result<OpenTo, AppError> {
    let open_to = open_to_of(row)?;
    let Some(cohort_id) = &row.cohort_id else {
        return Ok(open_to);
    };
    Ok(OpenTo::Organisations(
        cohorts::members(conn, cohort_id)?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| open_to.admits(id))
            .collect(),
    ))
}

/// The cohort named, checked to exist.
fn checked_cohort(
    conn: &mut DbConnection,
    cohort_id: Option<&String>,
) -> Result<Option<String>, AppError> {
    let Some(id) = cohort_id else {
        return Ok(None);
    };
    if cohorts::by_id(conn, id)?.is_none() {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "cohort_id",
            FieldCode::UnknownCohort,
            "no cohort has this id",
        )]));
    }
    Ok(Some(id.clone()))
}

fn unknown_organisation(field: String) -> AppError {
    AppError::Invalid(vec![FieldError::coded(
        field,
        FieldCode::UnknownOrganisation,
        "no organisation has this id",
    )])
}

/// `open_to` as stored, each organisation checked to exist.
fn checked_open_to(conn: &mut DbConnection, body: &OpenToBody) -> Result<String, AppError> {
    match body {
        OpenToBody::Everyone(_) => Ok("all".into()),
        OpenToBody::Organisations(ids) => {
            if ids.is_empty() || ids.len() > 200 {
                return Err(AppError::Invalid(vec![FieldError::coded(
                    "open_to",
                    FieldCode::Required,
                    "must be \"all\" or 1 to 200 organisation ids",
                )]));
            }
            for (i, id) in ids.iter().enumerate() {
                if organisations::by_id(conn, id)?.is_none() {
                    return Err(unknown_organisation(format!("open_to[{i}]")));
                }
            }
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            serde_json::to_string(&unique).map_err(|e| AppError::Internal(e.to_string()))
        }
    }
}

/// Creates an open event (admins and consultants).
pub fn create(state: &AppState, actor: &Actor, input: NewEvent) -> Result<Event, AppError> {
    authorize(actor, Action::ManageEvents, &Target::DEPLOYMENT)?;
    let (starts_at, ends_at) = (utc(input.starts_at), utc(input.ends_at));
    let closes = input.registration_closes_at.map(utc);
    rules::check_times(starts_at, ends_at, closes)?;
    let now = state.now();
    state.store.write(|conn| {
        let row = EventRow {
            id: ids::new_id(),
            title: input.title.clone().into(),
            kind: input.kind.as_str().to_string(),
            starts_at: to_db(starts_at),
            ends_at: to_db(ends_at),
            location: input.location.clone().map(String::from),
            description: input
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            audience: input.audience.clone().map(String::from),
            capacity: input.capacity,
            open_to: checked_open_to(conn, &input.open_to)?,
            registration_closes_at: to_db(rules::closes_at(starts_at, closes)),
            created_by: actor.id.clone(),
            created_at: to_db(now),
            reminded_at: None,
            attendance_recorded_at: None,
            cohort_id: checked_cohort(conn, input.cohort_id.as_ref())?,
        };
        store::insert_event(conn, &row)?;
        view(conn, &row, now)
    })
}

/// The events `actor` sees, by start: staff every event, coordinators and unit
/// contacts those open to their organisation.
pub fn list(state: &AppState, actor: &Actor, page: PageRequest) -> Result<EventPage, AppError> {
    let now = state.now();
    let mut conn = state.store.conn()?;
    let mut rows = Vec::new();
    for row in store::events(&mut conn)? {
        if rules::visible_to(actor, &audience(&mut conn, &row)?) {
            rows.push(row);
        }
    }
    if let Some(cursor) = page.cursor.as_deref() {
        let after = rows
            .iter()
            .position(|r| r.id == cursor)
            .map_or(rows.len(), |i| i + 1);
        rows.drain(..after);
    }
    rows.truncate(usize::try_from(page.limit + 1).unwrap_or(0));
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(EventPage {
        items: rows
            .iter()
            .map(|r| view(&mut conn, r, now))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// The ids of the events `actor` sees, or none when they see every one (staff).
pub(crate) fn visible_ids(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Option<Vec<String>>, AppError> {
    if matches!(visibility(actor), Visibility::Everything) {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for row in store::events(conn)? {
        if rules::visible_to(actor, &audience(conn, &row)?) {
            ids.push(row.id);
        }
    }
    Ok(Some(ids))
}

/// One event as the public sign-up page shows it: no registrant data.
pub fn get(state: &AppState, id: &str) -> Result<Event, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::event(&mut conn, id)?.ok_or(AppError::NotFound)?;
    view(&mut conn, &row, state.now())
}

/// A new cancel token for a mail, its hash added to those the registration accepts.
pub(crate) fn token_for(
    conn: &mut DbConnection,
    registration: &mut RegistrationRow,
) -> Result<String, AppError> {
    let token = ids::random_hex(32);
    registration.token_hash = if registration.token_hash.is_empty() {
        hash(&token)
    } else {
        format!("{} {}", registration.token_hash, hash(&token))
    };
    store::set_token_hashes(conn, &registration.id, &registration.token_hash)?;
    Ok(token)
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The organisation and unit a registrant names: each must exist, the unit must be
/// of the organisation (which it implies when not given), and the event must be
/// open to the organisation.
fn checked_affiliation(
    conn: &mut DbConnection,
    open_to: &OpenTo,
    input: &NewRegistration,
) -> Result<(Option<String>, Option<String>), AppError> {
    let mut organisation_id = input.organisation_id.clone();
    if let Some(id) = &organisation_id {
        if organisations::by_id(conn, id)?.is_none() {
            return Err(unknown_organisation("organisation_id".into()));
        }
    }
    if let Some(unit_id) = &input.unit_id {
        let unit = organisations::unit_by_id(conn, unit_id)?.filter(|u| {
            organisation_id
                .as_ref()
                .is_none_or(|o| *o == u.organisation_id)
        });
        let Some(unit) = unit else {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "unit_id",
                FieldCode::UnknownUnit,
                "no unit of the organisation has this id",
            )]));
        };
        organisation_id = Some(unit.organisation_id);
    }
    let admitted = match (open_to, &organisation_id) {
        (OpenTo::All, _) => true,
        (OpenTo::Organisations(_), None) => {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "organisation_id",
                FieldCode::Required,
                "the event is open to staff of chosen organisations: name yours",
            )]));
        }
        (open_to, Some(id)) => open_to.admits(id),
    };
    if !admitted {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "organisation_id",
            FieldCode::NotOpenToOrganisation,
            "the event is open to staff of other organisations",
        )]));
    }
    Ok((organisation_id, input.unit_id.clone()))
}

/// Every field of a sign-up that is refused, at once (the sign-up page shows them
/// together): the lengths, the address, then the affiliation's fields not named yet.
fn every_refusal<T>(
    input: &NewRegistration,
    affiliation: Result<T, AppError>,
) -> Result<T, AppError> {
    let mut errors = match validator::Validate::validate(input) {
        Ok(()) => Vec::new(),
        Err(e) => super::validation::field_errors(&e, ""),
    };
    errors.extend(input.email.check("email").err());
    match affiliation {
        Ok(found) if errors.is_empty() => Ok(found),
        Ok(_) => Err(AppError::Invalid(errors)),
        Err(AppError::Invalid(more)) => {
            for e in more {
                if !errors.iter().any(|known| known.field == e.field) {
                    errors.push(e);
                }
            }
            Err(AppError::Invalid(errors))
        }
        Err(other) => Err(other),
    }
}

/// Signs someone up (no log-in; `client` is held to the sign-up throttle): a place
/// while there is one, else the waitlist; the mail saying which goes out with it.
pub fn register(
    state: &AppState,
    client: &str,
    event_id: &str,
    input: NewRegistration,
) -> Result<RegistrationReceipt, AppError> {
    let email = input.email.as_str().to_string();
    let (event, (organisation_id, unit_id)) = {
        let mut conn = state.store.conn()?;
        let event = store::event(&mut conn, event_id)?.ok_or(AppError::NotFound)?;
        let open_to = audience(&mut conn, &event)?;
        let affiliation = checked_affiliation(&mut conn, &open_to, &input);
        (event, every_refusal(&input, affiliation)?)
    };
    throttle::admit_signup(state, client)?;
    let now = state.now();
    let language = input.language.unwrap_or_default();
    state.store.write(|conn| {
        let event = store::lock_event(conn, &event.id)?.ok_or(AppError::NotFound)?;
        let email_key = email.to_lowercase();
        let confirmed = store::count(conn, &event.id, RegistrationStatus::Confirmed.as_str())?;
        let status = rules::admit(
            now,
            from_db(event.registration_closes_at),
            event.capacity.and_then(|c| u32::try_from(c).ok()),
            u32::try_from(confirmed).unwrap_or(u32::MAX),
            store::is_registered(conn, &event.id, &email_key)?,
        )?;
        let mut row = RegistrationRow {
            id: ids::new_id(),
            event_id: event.id.clone(),
            name: Some(input.name.clone().into()),
            email: Some(email.clone()),
            email_key: Some(email_key),
            organisation_id: organisation_id.clone(),
            unit_id: unit_id.clone(),
            language: language.as_str().to_string(),
            status: status.as_str().to_string(),
            token_hash: String::new(),
            registered_at: to_db(now),
            cancelled_at: None,
            attended: false,
            erased_at: None,
        };
        store::insert_registration(conn, &row)?;
        let token = token_for(conn, &mut row)?;
        let notice = match status {
            RegistrationStatus::Waitlisted => Notice::Waitlisted,
            _ => Notice::Confirmed,
        };
        queue(conn, &state.settings, &event, &row, notice, &token, now)?;
        Ok(RegistrationReceipt { id: row.id, status })
    })
}

/// Who cancels: the registrant with their mail's token, or staff.
pub enum Canceller<'a> {
    Token(&'a str),
    Staff(&'a Actor),
}

/// Moves the first of the waitlist up into the places free now, each told by mail.
fn fill_places(
    conn: &mut DbConnection,
    state: &AppState,
    event: &EventRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = store::registrations(conn, &event.id)?;
    let confirmed = rows
        .iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed.as_str())
        .count();
    let waiting: Vec<String> = rows
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted.as_str())
        .map(|r| r.id.clone())
        .collect();
    let moving = rules::move_up(
        event.capacity.and_then(|c| u32::try_from(c).ok()),
        u32::try_from(confirmed).unwrap_or(u32::MAX),
        &waiting,
        now,
        from_db(event.starts_at),
    );
    for id in moving {
        let Some(mut row) = rows.iter().find(|r| &r.id == id).cloned() else {
            continue;
        };
        store::set_status(conn, &row.id, RegistrationStatus::Confirmed.as_str(), None)?;
        let token = token_for(conn, &mut row)?;
        queue(
            conn,
            &state.settings,
            event,
            &row,
            Notice::MovedUp,
            &token,
            now,
        )?;
    }
    Ok(())
}

/// Cancels a registration; a freed place goes to the first of the waitlist. Cancelling
/// again changes nothing. A wrong token answers 404, as for an unknown registration.
pub fn cancel(
    state: &AppState,
    who: Canceller<'_>,
    event_id: &str,
    registration_id: &str,
) -> Result<(), AppError> {
    if let Canceller::Staff(actor) = who {
        authorize(actor, Action::ManageEvents, &Target::DEPLOYMENT)?;
    }
    let now = state.now();
    state.store.write(|conn| {
        let event = store::lock_event(conn, event_id)?.ok_or(AppError::NotFound)?;
        let row =
            store::registration(conn, event_id, registration_id)?.ok_or(AppError::NotFound)?;
        if let Canceller::Token(token) = who {
            if !row.token_hash.split(' ').any(|h| h == hash(token)) {
                return Err(AppError::NotFound);
            }
        }
        if status_of(&row)? == RegistrationStatus::Cancelled {
            return Ok(());
        }
        store::set_status(
            conn,
            &row.id,
            RegistrationStatus::Cancelled.as_str(),
            Some(to_db(now)),
        )?;
        fill_places(conn, state, &event, now)
    })
}

/// Whether the registrant's token opens the registration (the cancel page asks
/// first, and shows the event, only when it does).
pub fn token_opens(
    state: &AppState,
    event_id: &str,
    registration_id: &str,
    token: &str,
) -> Result<RegistrationStatus, AppError> {
    let mut conn = state.store.conn()?;
    let row =
        store::registration(&mut conn, event_id, registration_id)?.ok_or(AppError::NotFound)?;
    if row.token_hash.split(' ').any(|h| h == hash(token)) {
        status_of(&row)
    } else {
        Err(AppError::NotFound)
    }
}

/// Changes the places (admins and consultants): never below the confirmed; more
/// places move the first of the waitlist up.
pub fn patch(
    state: &AppState,
    actor: &Actor,
    event_id: &str,
    input: EventPatch,
) -> Result<Event, AppError> {
    authorize(actor, Action::ManageEvents, &Target::DEPLOYMENT)?;
    let now = state.now();
    state.store.write(|conn| {
        let mut event = store::lock_event(conn, event_id)?.ok_or(AppError::NotFound)?;
        let confirmed = store::count(conn, event_id, RegistrationStatus::Confirmed.as_str())?;
        rules::check_capacity(
            input.capacity.and_then(|c| u32::try_from(c).ok()),
            u32::try_from(confirmed).unwrap_or(u32::MAX),
        )?;
        store::set_capacity(conn, event_id, input.capacity)?;
        event.capacity = input.capacity;
        fill_places(conn, state, &event, now)?;
        view(conn, &event, now)
    })
}

fn registration_view(row: RegistrationRow) -> Result<Registration, AppError> {
    Ok(Registration {
        status: status_of(&row)?,
        id: row.id,
        name: row.name,
        email: row.email,
        organisation_id: row.organisation_id,
        unit_id: row.unit_id,
        registered_at: from_db(row.registered_at),
        attended: row.attended,
    })
}

/// Every registration of the event, in the order they signed up (admins and
/// consultants).
pub fn registrations(
    state: &AppState,
    actor: &Actor,
    event_id: &str,
) -> Result<Vec<Registration>, AppError> {
    authorize(actor, Action::ManageEvents, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    store::event(&mut conn, event_id)?.ok_or(AppError::NotFound)?;
    store::registrations(&mut conn, event_id)?
        .into_iter()
        .map(registration_view)
        .collect()
}

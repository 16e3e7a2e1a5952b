//! The outbox (mail waiting, sent or dead), the reminders already sent, and the
//! job leases. Claims are conditional updates, so they work the same on SQLite and
//! on PostgreSQL, where a second claimer re-checks the row after the first commits
//! and updates nothing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::OutboxRow;
use super::schema::{cases, job_leases, outbox, reminders_sent, users};
use super::DbConnection;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";

pub fn insert(conn: &mut DbConnection, row: &OutboxRow) -> QueryResult<()> {
    let insert = diesel::insert_into(outbox::table).values(row);
    on_backend!(conn, |c| insert.execute(c)).map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// One page of rows by id, optionally of one status.
pub fn list(
    conn: &mut DbConnection,
    status: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let mut query = outbox::table.select(OutboxRow::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(outbox::id.gt(after.to_string()));
    }
    query.order(outbox::id.asc()).limit(limit).load(conn)
}

/// Leases up to `limit` due rows to `token` until `lease_until`, and returns them.
/// A row another claimer holds (or took first) is left alone.
pub fn claim(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let free = outbox::lease_until
        .is_null()
        .or(outbox::lease_until.lt(now));
    let due = outbox::table
        .select(outbox::id)
        .filter(outbox::status.eq(PENDING))
        .filter(outbox::next_attempt_at.le(now))
        .filter(free)
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit);
    let ids: Vec<String> = due.load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(outbox::status.eq(PENDING))
            .filter(
                outbox::lease_until
                    .is_null()
                    .or(outbox::lease_until.lt(now)),
            ),
    )
    .set((
        outbox::lease_until.eq(lease_until),
        outbox::claimed_by.eq(token),
    ))
    .execute(conn)?;
    outbox::table
        .filter(outbox::claimed_by.eq(token))
        .filter(outbox::status.eq(PENDING))
        .select(OutboxRow::as_select())
        .order(outbox::id.asc())
        .load(conn)
}

/// Marks the rows this claimer still holds among `ids` as sent, in one statement;
/// the number marked (fewer when a lease was lost meanwhile).
pub fn mark_sent(
    conn: &mut DbConnection,
    ids: &[&str],
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::claimed_by.eq(token)),
    )
    .set((
        outbox::status.eq(SENT),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::sent_at.eq(Some(now)),
        outbox::lease_until.eq(None::<NaiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
        outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)
}

/// Records a failed attempt: back to pending at `next_attempt_at`, or `dead`.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    token: &str,
    status: &str,
    next_attempt_at: NaiveDateTime,
    error: &str,
) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claimed_by.eq(token)),
    )
    .set((
        outbox::status.eq(status),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::next_attempt_at.eq(next_attempt_at),
        outbox::lease_until.eq(None::<NaiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
        outbox::last_error.eq(Some(error)),
    ))
    .execute(conn)
}

/// A dead row goes back to pending, due at once, with a fresh count of attempts.
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(DEAD)),
    )
    .set((
        outbox::status.eq(PENDING),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::lease_until.eq(None::<NaiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
    ))
    .execute(conn)
}

/// How many rows have `status`.
pub fn count(conn: &mut DbConnection, status: &str) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(status))
        .count()
        .get_result(conn)
}

/// When the oldest pending row was queued, if any row is pending.
pub fn oldest_pending(conn: &mut DbConnection) -> QueryResult<Option<NaiveDateTime>> {
    outbox::table
        .filter(outbox::status.eq(PENDING))
        .select(diesel::dsl::min(outbox::created_at))
        .get_result(conn)
}

/// True when a reminder with this key was already sent.
pub fn reminder_sent(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(reminders_sent::table.find(key))).get_result(conn)
}

pub fn record_reminder(
    conn: &mut DbConnection,
    key: &str,
    case_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(reminders_sent::table)
        .values((
            reminders_sent::key.eq(key),
            reminders_sent::case_id.eq(case_id),
            reminders_sent::sent_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// An active case's deadline, as the reminders read it: (id, cycle, stage, when the
/// stage was entered, when it is due).
pub type CaseDeadline = (String, i32, String, NaiveDateTime, NaiveDateTime);

/// Up to `limit` deadlines of the active cases due by `until`, by case id, after
/// case `after`. The columns are those of the index `cases_by_status`, so the cases'
/// rows are not read; and in id order, the keys of their reminders, which start with
/// the case id, are looked up in the order they are stored. At a million cases most
/// active ones can be overdue, and every run of the reminders goes through them all.
pub fn deadlines_before(
    conn: &mut DbConnection,
    until: NaiveDateTime,
    after: Option<&str>,
    limit: usize,
) -> QueryResult<Vec<CaseDeadline>> {
    cases::table
        .filter(cases::status.eq("active"))
        .filter(cases::id.gt(after.unwrap_or("")))
        .filter(cases::stage_due_at.le(until))
        .select((
            cases::id,
            cases::cycle,
            cases::stage,
            cases::stage_entered_at,
            cases::stage_due_at.assume_not_null(),
        ))
        .order(cases::id.asc())
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)
}

/// Which of `keys` were recorded as sent.
pub fn reminders_sent_among(
    conn: &mut DbConnection,
    keys: &[String],
) -> QueryResult<std::collections::HashSet<String>> {
    let mut sent = std::collections::HashSet::new();
    for chunk in keys.chunks(500) {
        let found: Vec<String> = reminders_sent::table
            .filter(reminders_sent::key.eq_any(chunk))
            .select(reminders_sent::key)
            .load(conn)?;
        sent.extend(found);
    }
    Ok(sent)
}

/// The e-mail address, name and language of a user, if there is one.
pub fn person(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Option<(String, String, String)>> {
    let query = users::table
        .find(user_id)
        .select((users::email, users::name, users::language));
    on_backend!(conn, |c| query.first(c).optional())
}

/// Makes sure the lease row for `name` exists (its own transaction: a duplicate
/// insert would abort an enclosing PostgreSQL transaction).
pub fn ensure_job_lease(conn: &mut DbConnection, name: &str) -> QueryResult<()> {
    let exists: bool =
        diesel::select(diesel::dsl::exists(job_leases::table.find(name))).get_result(conn)?;
    if exists {
        return Ok(());
    }
    let inserted = diesel::insert_into(job_leases::table)
        .values((
            job_leases::name.eq(name),
            job_leases::holder.eq(None::<String>),
            job_leases::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn);
    match inserted {
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Takes the lease on `name` for `holder` until `until` if it is free or expired;
/// true when taken.
pub fn take_job_lease(
    conn: &mut DbConnection,
    name: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(
        job_leases::table.filter(job_leases::name.eq(name)).filter(
            job_leases::lease_until
                .is_null()
                .or(job_leases::lease_until.lt(now)),
        ),
    )
    .set((
        job_leases::holder.eq(holder),
        job_leases::lease_until.eq(until),
    ))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Gives the lease back, if `holder` still has it.
pub fn release_job_lease(conn: &mut DbConnection, name: &str, holder: &str) -> QueryResult<()> {
    diesel::update(
        job_leases::table
            .filter(job_leases::name.eq(name))
            .filter(job_leases::holder.eq(holder)),
    )
    .set((
        job_leases::holder.eq(None::<String>),
        job_leases::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
    .map(|_| ())
}

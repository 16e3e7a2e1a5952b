//! Set-password links, the access audit, and what export and erasure read and change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{access_events, outbox, password_links, units, users};
use super::DbConnection;

/// A set-password link: the SHA-256 of its token, whose it is, and until when.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_links)]
pub struct PasswordLinkRow {
    pub token_hash: String,
    pub user_id: String,
    /// `reset` or `welcome`.
    pub purpose: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Stores a new link after forgetting every earlier one of the user: only the newest works.
pub fn replace_link(conn: &mut DbConnection, row: &PasswordLinkRow) -> QueryResult<()> {
    delete_links_of(conn, &row.user_id)?;
    diesel::insert_into(password_links::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// The link with this hash while it has not expired.
pub fn live_link(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<PasswordLinkRow>> {
    password_links::table
        .filter(password_links::token_hash.eq(token_hash))
        .filter(password_links::expires_at.gt(now))
        .select(PasswordLinkRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn delete_links_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(password_links::table.filter(password_links::user_id.eq(user_id))).execute(conn)
}

/// One access event as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = access_events)]
pub struct AccessEventRow {
    pub id: String,
    pub at: NaiveDateTime,
    pub kind: String,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub subject_hint: Option<String>,
    pub client: Option<String>,
    pub detail: Option<String>,
}

pub fn insert_access(conn: &mut DbConnection, row: &AccessEventRow) -> QueryResult<()> {
    diesel::insert_into(access_events::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// What a page of the access audit is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub kind: Option<String>,
    /// Events the user did or that were done to them.
    pub user_id: Option<String>,
    pub since: Option<NaiveDateTime>,
}

/// One page of access events, newest first (by id: ids grow with time).
pub fn list_access(
    conn: &mut DbConnection,
    filter: &AccessFilter,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AccessEventRow>> {
    let mut query = access_events::table
        .select(AccessEventRow::as_select())
        .into_boxed();
    if let Some(kind) = &filter.kind {
        query = query.filter(access_events::kind.eq(kind.clone()));
    }
    if let Some(user) = &filter.user_id {
        query = query.filter(
            access_events::subject_id
                .eq(user.clone())
                .or(access_events::actor_id.eq(user.clone())),
        );
    }
    if let Some(since) = filter.since {
        query = query.filter(access_events::at.ge(since));
    }
    if let Some(before) = before {
        query = query.filter(access_events::id.lt(before.to_string()));
    }
    query
        .order(access_events::id.desc())
        .limit(limit)
        .load(conn)
}

/// The mails to an address: (kind, subject, created, sent, status), oldest first.
pub type MailLine = (String, String, NaiveDateTime, Option<NaiveDateTime>, String);

pub fn mails_to(conn: &mut DbConnection, email: &str) -> QueryResult<Vec<MailLine>> {
    outbox::table
        .filter(outbox::recipient.eq(email))
        .order(outbox::created_at.asc())
        .select((
            outbox::kind,
            outbox::subject,
            outbox::created_at,
            outbox::sent_at,
            outbox::status,
        ))
        .load(conn)
}

/// Drops the mails to `email` not sent yet; the number dropped.
pub fn drop_pending_mail_to(conn: &mut DbConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(
        outbox::table
            .filter(outbox::recipient.eq(email))
            .filter(outbox::status.ne(super::outbox::SENT)),
    )
    .execute(conn)
}

/// Replaces a user's name and address (erasure) and closes the account.
pub fn pseudonymise_user(
    conn: &mut DbConnection,
    id: &str,
    name: &str,
    email: &str,
    unusable_hash: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::email.eq(email),
            users::password_hash.eq(unusable_hash),
            users::active.eq(false),
        ))
        .execute(conn)
}

/// Forgets a unit's contact address.
pub fn clear_unit_contact(
    conn: &mut DbConnection,
    unit_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(units::table.find(unit_id))
        .set((
            units::contact_email.eq(None::<String>),
            units::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The case events a user acted in, oldest first.
pub fn case_events_by(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<super::rows::EventRow>> {
    use super::schema::case_events;
    case_events::table
        .filter(case_events::actor_id.eq(user_id))
        .order((
            case_events::at.asc(),
            case_events::case_id.asc(),
            case_events::seq.asc(),
        ))
        .select(super::rows::EventRow::as_select())
        .load(conn)
}

/// The plan events a user acted in, oldest first.
pub fn plan_events_by(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<super::plans::PlanEventRow>> {
    use super::schema::plan_events;
    plan_events::table
        .filter(plan_events::actor_id.eq(user_id))
        .order((
            plan_events::at.asc(),
            plan_events::plan_id.asc(),
            plan_events::seq.asc(),
        ))
        .select(super::plans::PlanEventRow::as_select())
        .load(conn)
}

/// Readdresses the mails already sent to `from` to `to` and forgets their contents
/// (erasure); the kind, subject and times stay for the record.
pub fn readdress_sent_mail(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::recipient.eq(from))
            .filter(outbox::status.eq(super::outbox::SENT)),
    )
    .set((outbox::recipient.eq(to), outbox::payload.eq("{}")))
    .execute(conn)
}

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

/// One record a person made or decided outside the case and plan histories:
/// (what, its id, the person's part, when).
pub type RecordLine = (&'static str, String, &'static str, Option<NaiveDateTime>);

/// The evidence, findings, appeals, complaints, workshop requests, webhooks, rounds
/// and open events a user added, filed, resolved, decided or created.
pub fn records_by(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<RecordLine>> {
    use super::schema::{
        appeals, cohorts, complaints, evidence, findings, open_events, webhook_endpoints,
        workshop_requests,
    };
    type Rows = Vec<(String, NaiveDateTime)>;
    type MaybeRows = Vec<(String, Option<NaiveDateTime>)>;
    let mut out: Vec<RecordLine> = Vec::new();
    let mut add = |what: &'static str, part: &'static str, rows: MaybeRows| {
        out.extend(rows.into_iter().map(|(id, at)| (what, id, part, at)));
    };
    let some =
        |rows: Rows| -> MaybeRows { rows.into_iter().map(|(id, at)| (id, Some(at))).collect() };
    add(
        "evidence",
        "added",
        some(
            evidence::table
                .filter(evidence::added_by.eq(user_id))
                .select((evidence::id, evidence::added_at))
                .load(conn)?,
        ),
    );
    add(
        "finding",
        "resolved",
        findings::table
            .filter(findings::resolved_by.eq(user_id))
            .select((findings::id, findings::resolved_at))
            .load(conn)?,
    );
    add(
        "appeal",
        "filed",
        some(
            appeals::table
                .filter(appeals::filed_by.eq(user_id))
                .select((appeals::id, appeals::filed_at))
                .load(conn)?,
        ),
    );
    add(
        "appeal",
        "decided",
        appeals::table
            .filter(appeals::decided_by.eq(user_id))
            .select((appeals::id, appeals::decided_at))
            .load(conn)?,
    );
    add(
        "complaint",
        "decided",
        complaints::table
            .filter(complaints::decided_by.eq(user_id))
            .select((complaints::id, complaints::decided_at))
            .load(conn)?,
    );
    add(
        "workshop_request",
        "requested",
        some(
            workshop_requests::table
                .filter(workshop_requests::requested_by.eq(user_id))
                .select((workshop_requests::id, workshop_requests::requested_at))
                .load(conn)?,
        ),
    );
    add(
        "workshop_request",
        "decided",
        workshop_requests::table
            .filter(workshop_requests::decided_by.eq(user_id))
            .select((workshop_requests::id, workshop_requests::decided_at))
            .load(conn)?,
    );
    add(
        "webhook",
        "created",
        some(
            webhook_endpoints::table
                .filter(webhook_endpoints::created_by.eq(user_id))
                .select((webhook_endpoints::id, webhook_endpoints::created_at))
                .load(conn)?,
        ),
    );
    add(
        "cohort",
        "created",
        some(
            cohorts::table
                .filter(cohorts::created_by.eq(user_id))
                .select((cohorts::id, cohorts::created_at))
                .load(conn)?,
        ),
    );
    add(
        "open_event",
        "created",
        some(
            open_events::table
                .filter(open_events::created_by.eq(user_id))
                .select((open_events::id, open_events::created_at))
                .load(conn)?,
        ),
    );
    out.sort_by(|a, b| (a.3, &a.1).cmp(&(b.3, &b.1)));
    Ok(out)
}

//! Webhook endpoints and their deliveries. Deliveries are claimed like outbox rows
//! (`store::outbox`): a conditional update that only one claimer wins, on SQLite and
//! on PostgreSQL alike, so several instances send each delivery once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::outbox::{DEAD, PENDING, SENT};
use super::rows::{WebhookDeliveryRow, WebhookEndpointRow};
use super::schema::{
    certificates, webhook_deliveries as deliveries, webhook_endpoints as endpoints,
};
use super::DbConnection;

pub fn insert_endpoint(conn: &mut DbConnection, row: &WebhookEndpointRow) -> QueryResult<()> {
    diesel::insert_into(endpoints::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// One page of endpoints by id, after `after`.
pub fn endpoints_page(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<WebhookEndpointRow>> {
    let mut query = endpoints::table
        .select(WebhookEndpointRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(endpoints::id.gt(after.to_string()));
    }
    query.order(endpoints::id.asc()).limit(limit).load(conn)
}

/// Every endpoint, oldest first.
pub fn all_endpoints(conn: &mut DbConnection) -> QueryResult<Vec<WebhookEndpointRow>> {
    on_backend!(conn, |c| endpoints::table
        .select(WebhookEndpointRow::as_select())
        .order(endpoints::id.asc())
        .load(c))
}

pub fn endpoint(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookEndpointRow>> {
    endpoints::table
        .find(id)
        .select(WebhookEndpointRow::as_select())
        .first(conn)
        .optional()
}

/// Deletes an endpoint and its deliveries; the number of endpoints deleted (0 or 1).
pub fn delete_endpoint(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(deliveries::table.filter(deliveries::endpoint_id.eq(id))).execute(conn)?;
    diesel::delete(endpoints::table.find(id)).execute(conn)
}

pub fn insert_delivery(conn: &mut DbConnection, row: &WebhookDeliveryRow) -> QueryResult<()> {
    diesel::insert_into(deliveries::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The newest `limit` deliveries to an endpoint, newest first.
pub fn recent_deliveries(
    conn: &mut DbConnection,
    endpoint_id: &str,
    limit: i64,
) -> QueryResult<Vec<WebhookDeliveryRow>> {
    deliveries::table
        .filter(deliveries::endpoint_id.eq(endpoint_id))
        .select(WebhookDeliveryRow::as_select())
        .order(deliveries::id.desc())
        .limit(limit)
        .load(conn)
}

pub fn delivery(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookDeliveryRow>> {
    deliveries::table
        .find(id)
        .select(WebhookDeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Leases up to `limit` due deliveries to `token` until `lease_until`, and returns
/// them with their endpoints. A delivery another claimer holds is left alone.
pub fn claim(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(WebhookDeliveryRow, WebhookEndpointRow)>> {
    let free = || {
        deliveries::lease_until
            .is_null()
            .or(deliveries::lease_until.lt(now))
    };
    let ids: Vec<String> = deliveries::table
        .select(deliveries::id)
        .filter(deliveries::status.eq(PENDING))
        .filter(deliveries::next_attempt_at.le(now))
        .filter(free())
        .order((deliveries::next_attempt_at.asc(), deliveries::id.asc()))
        .limit(limit)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(
        deliveries::table
            .filter(deliveries::id.eq_any(&ids))
            .filter(deliveries::status.eq(PENDING))
            .filter(free()),
    )
    .set((
        deliveries::lease_until.eq(lease_until),
        deliveries::claimed_by.eq(token),
    ))
    .execute(conn)?;
    deliveries::table
        .inner_join(endpoints::table)
        .filter(deliveries::claimed_by.eq(token))
        .filter(deliveries::status.eq(PENDING))
        .select((
            WebhookDeliveryRow::as_select(),
            WebhookEndpointRow::as_select(),
        ))
        .order(deliveries::id.asc())
        .load(conn)
}

/// What became of one attempt, as it is recorded.
pub struct Attempt<'a> {
    /// `SENT`, `PENDING` (to be retried at `next_attempt_at`) or `DEAD`.
    pub status: &'a str,
    pub next_attempt_at: NaiveDateTime,
    pub at: NaiveDateTime,
    pub error: Option<&'a str>,
    pub response_status: Option<i32>,
}

/// Records an attempt on a delivery this claimer still holds; 0 when the lease was
/// lost meanwhile.
pub fn record(
    conn: &mut DbConnection,
    id: &str,
    token: &str,
    attempt: &Attempt<'_>,
) -> QueryResult<usize> {
    let sent_at = (attempt.status == SENT).then_some(attempt.at);
    diesel::update(
        deliveries::table
            .filter(deliveries::id.eq(id))
            .filter(deliveries::claimed_by.eq(token)),
    )
    .set((
        deliveries::status.eq(attempt.status),
        deliveries::attempts.eq(deliveries::attempts + 1),
        deliveries::next_attempt_at.eq(attempt.next_attempt_at),
        deliveries::lease_until.eq(None::<NaiveDateTime>),
        deliveries::claimed_by.eq(None::<String>),
        deliveries::last_error.eq(attempt.error),
        deliveries::response_status.eq(attempt.response_status),
        deliveries::sent_at.eq(sent_at),
    ))
    .execute(conn)
}

/// A dead delivery goes back to pending, due at once, with a fresh count of attempts.
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        deliveries::table
            .filter(deliveries::id.eq(id))
            .filter(deliveries::status.eq(DEAD)),
    )
    .set((
        deliveries::status.eq(PENDING),
        deliveries::attempts.eq(0),
        deliveries::next_attempt_at.eq(now),
        deliveries::lease_until.eq(None::<NaiveDateTime>),
        deliveries::claimed_by.eq(None::<String>),
    ))
    .execute(conn)
}

/// How many deliveries have `status`.
pub fn count(conn: &mut DbConnection, status: &str) -> QueryResult<i64> {
    deliveries::table
        .filter(deliveries::status.eq(status))
        .count()
        .get_result(conn)
}

/// The id, number, status and last valid day of a case's newest certificate, read
/// without its PDF.
pub fn newest_certificate(
    conn: &mut DbConnection,
    case_id: &str,
) -> QueryResult<Option<(String, String, String, chrono::NaiveDate)>> {
    certificates::table
        .filter(certificates::case_id.eq(case_id))
        .order((certificates::issued_at.desc(), certificates::number.desc()))
        .select((
            certificates::id,
            certificates::number,
            certificates::status,
            certificates::valid_until,
        ))
        .first(conn)
        .optional()
}

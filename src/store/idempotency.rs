//! Idempotency keys: the first response to a keyed POST, kept to replay it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::IdempotencyRow;
use super::schema::idempotency_keys;
use super::DbConnection;

pub fn find(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
) -> QueryResult<Option<IdempotencyRow>> {
    idempotency_keys::table
        .find((user_id, key))
        .select(IdempotencyRow::as_select())
        .get_result(conn)
        .optional()
}

/// Claims the key for a request now running; fails with a unique violation when taken.
pub fn claim(conn: &mut DbConnection, row: &IdempotencyRow) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Stores the response the claimed request produced.
pub fn complete(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    status: i32,
    body: &str,
    etag: Option<&str>,
    location: Option<&str>,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::status.eq(Some(status)),
            idempotency_keys::response_body.eq(Some(body)),
            idempotency_keys::etag.eq(etag),
            idempotency_keys::location.eq(location),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Drops a claim whose request failed on the server, so a retry runs again.
pub fn release(conn: &mut DbConnection, user_id: &str, key: &str) -> QueryResult<()> {
    diesel::delete(idempotency_keys::table.find((user_id, key)))
        .execute(conn)
        .map(|_| ())
}

/// Forgets keys older than `before` (24 h is the replay window).
pub fn delete_older_than(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
        .execute(conn)
}

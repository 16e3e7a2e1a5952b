//! Log-in throttling rows (`login_throttle`): read under a row lock, written back
//! whole. What the numbers mean is decided in `app::throttle`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_throttle;
use super::{is_unique_violation, DbConnection};

/// One throttling counter.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_throttle)]
#[diesel(treat_none_as_null = true)]
pub struct ThrottleRow {
    pub key: String,
    pub failures: i32,
    pub window_start: NaiveDateTime,
    pub last_failure_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

/// Takes the row's write lock for the rest of the transaction (a no-op UPDATE, which
/// both backends support through MultiConnection, unlike `SELECT … FOR UPDATE`).
fn lock(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::update(login_throttle::table.find(key))
        .set(login_throttle::key.eq(key))
        .execute(conn)
}

/// The row of `key`, locked until the transaction ends; a fresh one (no failures) is
/// created first when there is none. Call inside `Store::write`.
pub fn lock_or_create(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<ThrottleRow> {
    if lock(conn, key)? == 0 {
        let fresh = ThrottleRow {
            key: key.to_string(),
            failures: 0,
            window_start: now,
            last_failure_at: now,
            blocked_until: None,
        };
        // A savepoint, so that losing the race to another inserter (PostgreSQL waits
        // for it, then reports a duplicate) leaves the transaction usable.
        let inserted = conn.transaction(|c| {
            diesel::insert_into(login_throttle::table)
                .values(&fresh)
                .execute(c)
        });
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                lock(conn, key)?;
            }
            other => {
                other?;
            }
        }
    }
    login_throttle::table
        .find(key)
        .select(ThrottleRow::as_select())
        .get_result(conn)
}

/// Writes a row back.
pub fn save(conn: &mut DbConnection, row: &ThrottleRow) -> QueryResult<()> {
    diesel::update(login_throttle::table.find(&row.key))
        .set(row)
        .execute(conn)
        .map(|_| ())
}

/// Forgets a row (a successful log-in clears its pair's back-off).
pub fn delete(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}

/// Forgets rows whose last failure is older than `before` and that block nothing.
pub fn delete_stale(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::last_failure_at.lt(before))
            .filter(
                login_throttle::blocked_until
                    .is_null()
                    .or(login_throttle::blocked_until.lt(before)),
            ),
    )
    .execute(conn)
}

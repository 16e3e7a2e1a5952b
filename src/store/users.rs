//! Users and their bearer tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{TokenRow, UserRow};
use super::schema::{api_tokens, users};
use super::DbConnection;

pub fn insert(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

/// One page of users, by id, optionally of one role.
pub fn list(
    conn: &mut DbConnection,
    role: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after.to_string()));
    }
    query.order(users::id.asc()).limit(limit).load(conn)
}

/// The e-mail addresses of a unit's contacts.
pub fn contacts_of_unit(conn: &mut DbConnection, unit_id: &str) -> QueryResult<Vec<UserRow>> {
    on_backend!(conn, |c| users::table
        .filter(users::unit_id.eq(unit_id))
        .filter(users::role.eq("unit_contact"))
        .select(UserRow::as_select())
        .load(c))
}

pub fn insert_token(conn: &mut DbConnection, row: &TokenRow) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// The user a token belongs to, while it has not expired.
pub fn by_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<UserRow>> {
    on_backend!(conn, |c| api_tokens::table
        .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .get_result(c)
        .optional())
}

/// Saves a changed user (everything but the id and the creation time).
pub fn update(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::update(users::table.find(&row.id))
        .set((
            users::email.eq(&row.email),
            users::name.eq(&row.name),
            users::role.eq(row.role.as_str()),
            users::organisation_id.eq(&row.organisation_id),
            users::unit_id.eq(&row.unit_id),
            users::language.eq(row.language.as_str()),
            users::password_hash.eq(&row.password_hash),
            users::active.eq(row.active),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forgets every token of a user but `keep` (a hash): their API tokens and web
/// sessions end at once.
pub fn delete_tokens_of(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
) -> QueryResult<usize> {
    let mine = api_tokens::table.filter(api_tokens::user_id.eq(user_id));
    match keep {
        Some(keep) => diesel::delete(mine.filter(api_tokens::token_hash.ne(keep))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

/// Forgets tokens that expired before `now`.
pub fn delete_expired_tokens(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.filter(api_tokens::expires_at.le(now))).execute(conn)
}

/// How many users the deployment has.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Forgets one token (log-out).
pub fn delete_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.filter(api_tokens::token_hash.eq(token_hash))).execute(conn)
}

/// The names of the users with these ids, as (id, name).
pub fn names_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)
}

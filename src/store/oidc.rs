//! Single sign-on: the OpenID Connect log-ins under way (`oidc_logins`), and the
//! case-insensitive look-up of the account an ID token's address names.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::UserRow;
use super::schema::{oidc_logins, users};
use super::DbConnection;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// One log-in under way: what the callback needs to finish it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = oidc_logins)]
pub struct OidcLoginRow {
    /// SHA-256 (hex) of the `state` sent to the provider.
    pub state_hash: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &OidcLoginRow) -> QueryResult<()> {
    diesel::insert_into(oidc_logins::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// Deletes and returns the log-in of `state_hash`, if there is one: whoever deletes
/// it first has it, so a state is used at most once.
pub fn take(conn: &mut DbConnection, state_hash: &str) -> QueryResult<Option<OidcLoginRow>> {
    let row = oidc_logins::table
        .find(state_hash)
        .select(OidcLoginRow::as_select())
        .get_result(conn)
        .optional()?;
    let deleted = diesel::delete(oidc_logins::table.find(state_hash)).execute(conn)?;
    Ok(row.filter(|_| deleted == 1))
}

/// Forgets log-ins that expired before `now`.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.lt(now))).execute(conn)
}

/// The account whose e-mail address is `email`, whatever the letters' case.
pub fn user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(lower(users::email).eq(email.to_lowercase()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

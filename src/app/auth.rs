//! Passwords (argon2id), bearer tokens (random, kept only as SHA-256) and log-in,
//! held to the throttling of `app::throttle`.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};

use super::access_audit::{self, AccessEvent, AccessKind};
use super::throttle;
use sha2::{Digest, Sha256};

use super::views::User;
use super::{from_db, to_db, AppState};
use crate::app::error::AppError;
use crate::domain::Actor;
use crate::store::rows::{TokenRow, UserRow};
use crate::store::{ids, users, DbConnection};

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

/// True when `password` matches the stored PHC `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the e-mail is unknown, so both failures take as long.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

/// The SHA-256 (hex) a token is kept as.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A successful log-in.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenGrant {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

const BAD_LOGIN: &str = "wrong e-mail address or password";

/// Checks the credentials and issues a bearer token; the same 401 for an unknown
/// e-mail and a wrong password; 429 while this account is backed off for `client`
/// (the client's address) or `client` has used up its failures (`app::throttle`).
pub fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: &str,
) -> Result<TokenGrant, AppError> {
    let email = email.trim().to_lowercase();
    let auth = &state.settings.auth;
    let keys = throttle::Keys::new(&email, client);
    throttle::admit(state, &keys).inspect_err(super::metrics::login_refused)?;
    let user = {
        let mut conn = state.store.conn()?;
        users::by_email(&mut conn, &email)?
    };
    let verified = match &user {
        Some(user) => verify_password(&user.password_hash, password),
        None => {
            verify_password(decoy_hash(), password);
            false
        }
    };
    // The attempt was counted as failed when it was admitted. A closed account
    // gets the same answer as a wrong password.
    let known = user.as_ref().map(|u| u.id.clone());
    let Some(user) = user.filter(|u| verified && u.active) else {
        let failed = match &known {
            Some(id) => AccessEvent::new(AccessKind::SignInFailed, None, Some(id)),
            None => AccessEvent::new(AccessKind::SignInFailed, None, None).about_address(&email),
        };
        access_audit::record(state, failed.from_client(client).detail("password"))?;
        let refused = AppError::Unauthorized(BAD_LOGIN);
        super::metrics::login_refused(&refused);
        return Err(refused);
    };
    let now = state.now();
    let token = ids::random_hex(32);
    let expires_at = now + Duration::hours(i64::from(auth.token_ttl_hours));
    let row = TokenRow {
        token_hash: token_digest(&token),
        user_id: user.id.clone(),
        created_at: to_db(now),
        expires_at: to_db(expires_at),
    };
    state.store.write(|conn| -> Result<(), AppError> {
        users::insert_token(conn, &row)?;
        throttle::succeeded(conn, &keys, now)?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::own(AccessKind::SignIn, &user.id)
                .from_client(client)
                .detail("password"),
        )
    })?;
    Ok(TokenGrant {
        token,
        expires_at: from_db(row.expires_at),
        user: User::from_row(&user),
    })
}

/// The actor behind a bearer token, while the token is valid (one indexed read on
/// `conn`).
pub fn authenticate_on(
    conn: &mut DbConnection,
    state: &AppState,
    token: &str,
) -> Result<(Actor, UserRow), AppError> {
    let user = users::by_token(conn, &token_digest(token), to_db(state.now()))?.ok_or(
        AppError::Unauthorized("the token is unknown or has expired"),
    )?;
    Ok((actor_of(&user), user))
}

/// The user as the rules see them.
pub fn actor_of(user: &UserRow) -> Actor {
    Actor {
        id: user.id.clone(),
        role: user.role,
        organisation_id: user.organisation_id.clone(),
        unit_id: user.unit_id.clone(),
    }
}

/// Ends a session: the token stops working at once.
pub fn logout(state: &AppState, token: &str, client: &str) -> Result<(), AppError> {
    let digest = token_digest(token);
    let now = state.now();
    state.store.write(|conn| {
        let user = users::by_token(conn, &digest, to_db(now))?;
        if users::delete_token(conn, &digest)? > 0 {
            if let Some(user) = user {
                access_audit::record_in(
                    conn,
                    now,
                    AccessEvent::own(AccessKind::SignOut, &user.id).from_client(client),
                )?;
            }
        }
        Ok(())
    })
}

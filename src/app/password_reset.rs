//! Set-password links: a reset asked for by e-mail (valid 60 minutes) and the welcome
//! of an account made without a password (valid 7 days). The token is random and
//! kept only as its SHA-256; a newer link or a use deletes the user's other links;
//! the mail is written to the outbox in the transaction that stores the link.

use chrono::{DateTime, Duration, Utc};

use super::access_audit::{self, AccessEvent, AccessKind};
use super::auth::{hash_password, token_digest};
use super::password::NewPassword;
use super::{throttle, to_db, AppState};
use crate::app::error::AppError;
use crate::config::Settings;
use crate::domain::FieldError;
use crate::notify::outbox_rows::insert as insert_mail;
use crate::notify::payload::{Details, Payload};
use crate::store::people::{self, PasswordLinkRow};
use crate::store::rows::UserRow;
use crate::store::{ids, users, DbConnection};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;
/// How long a welcome link works.
pub const WELCOME_DAYS: i64 = 7;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Welcome,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Welcome => "welcome",
        }
    }

    fn validity(self) -> Duration {
        match self {
            Purpose::Reset => Duration::minutes(RESET_MINUTES),
            Purpose::Welcome => Duration::days(WELCOME_DAYS),
        }
    }
}

/// Where a link's token is used: `{server.public_url}/password-reset/{token}`.
pub fn link_url(settings: &Settings, token: &str) -> String {
    format!(
        "{}/password-reset/{token}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// Stores a new link for `user` (forgetting their earlier ones) and writes its mail
/// to the outbox, inside the caller's transaction.
pub fn issue_in(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &UserRow,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let token = ids::random_hex(32);
    people::replace_link(
        conn,
        &PasswordLinkRow {
            token_hash: token_digest(&token),
            user_id: user.id.clone(),
            purpose: purpose.as_str().into(),
            created_at: to_db(now),
            expires_at: to_db(now + purpose.validity()),
        },
    )?;
    let link = link_url(settings, &token);
    let details = match purpose {
        Purpose::Reset => Details::PasswordReset {
            link,
            valid_minutes: RESET_MINUTES,
        },
        Purpose::Welcome => Details::Welcome {
            link,
            valid_days: WELCOME_DAYS,
            role_name: crate::glossary::role(user.language, user.role).to_string(),
        },
    };
    let payload = Payload {
        lang: user.language.as_str().to_string(),
        recipient_name: Some(user.name.clone()),
        unit_name: String::new(),
        organisation_name: String::new(),
        programme_name: String::new(),
        case_id: String::new(),
        public_url: settings.server.public_url.clone(),
        details,
    };
    insert_mail(conn, settings, &payload, None, &user.email, now)?;
    Ok(())
}

/// `POST /auth/password-reset`: the same answer whatever the address. A known,
/// active account gets a link (and its earlier links stop working); an unknown or
/// closed one is only noted in the access audit, masked. Throttled like log-in.
pub fn request(state: &AppState, email: &str, client: &str) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    throttle::admit(state, &throttle::Keys::password_reset(&email, client))?;
    let now = state.now();
    let settings = state.settings.clone();
    state.store.write(|conn| {
        let user = users::by_email(conn, &email)?.filter(|u| u.active);
        let event = match &user {
            Some(user) => {
                issue_in(conn, &settings, user, Purpose::Reset, now)?;
                AccessEvent::new(AccessKind::PasswordResetRequested, None, Some(&user.id))
            }
            None => {
                // As much work as for a known address: a token made and hashed.
                let _ = token_digest(&ids::random_hex(32));
                AccessEvent::new(AccessKind::PasswordResetRequested, None, None)
                    .about_address(&email)
                    .detail("unknown")
            }
        };
        access_audit::record_in(conn, now, event.from_client(client))
    })
}

/// `POST /auth/password-reset/{token}`: sets the password and ends every session
/// and token of the user. A used, expired, superseded or unknown link, or one of a
/// closed account, is the same 404; a password the rules refuse is 422 naming it.
pub fn complete(
    state: &AppState,
    token: &str,
    password: &str,
    client: &str,
) -> Result<(), AppError> {
    let password = NewPassword::parse(password).map_err(|e| AppError::Invalid(vec![e]))?;
    let digest = token_digest(token);
    let now = state.now();
    // A quick look first, so a dead link costs no hashing.
    {
        let mut conn = state.store.conn()?;
        live_user(&mut conn, &digest, now)?;
    }
    let hash = hash_password(password.expose())?;
    state.store.write(|conn| {
        let mut user = live_user(conn, &digest, now)?;
        user.password_hash = hash;
        users::update(conn, &user)?;
        people::delete_links_of(conn, &user.id)?;
        users::delete_tokens_of(conn, &user.id, None)?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::own(AccessKind::PasswordResetCompleted, &user.id).from_client(client),
        )
    })
}

/// The active user a live link belongs to; 404 otherwise.
fn live_user(
    conn: &mut DbConnection,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<UserRow, AppError> {
    let link = people::live_link(conn, digest, to_db(now))?.ok_or(AppError::NotFound)?;
    users::by_id(conn, &link.user_id)?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)
}

/// Whether a link works now (the page shows the form only then).
pub fn is_live(state: &AppState, token: &str) -> Result<bool, AppError> {
    let mut conn = state.store.conn()?;
    match live_user(&mut conn, &token_digest(token), state.now()) {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A signed-in user changes their own password: the current one is required; every
/// other session and token of theirs ends (`keep` is the hash of the one in use).
pub fn change_own(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
    keep: Option<&str>,
    client: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let stored = {
        let mut conn = state.store.conn()?;
        users::by_id(&mut conn, user_id)?
            .ok_or(AppError::Unauthorized("the user no longer exists"))?
    };
    if !super::auth::verify_password(&stored.password_hash, current) {
        errors.push(FieldError::coded(
            "current_password",
            crate::domain::FieldCode::WrongPassword,
            "is not your current password",
        ));
    }
    let password = NewPassword::parse(new).map_err(|e| errors.push(e)).ok();
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let hash = hash_password(password.expose())?;
    let now = state.now();
    let keep = keep.map(token_digest);
    state.store.write(|conn| {
        let mut user = users::by_id(conn, user_id)?.ok_or(AppError::NotFound)?;
        user.password_hash = hash;
        users::update(conn, &user)?;
        people::delete_links_of(conn, &user.id)?;
        users::delete_tokens_of(conn, &user.id, keep.as_deref())?;
        access_audit::record_in(
            conn,
            now,
            AccessEvent::own(AccessKind::PasswordChanged, &user.id).from_client(client),
        )
    })
}

/// `POST /auth/password-reset`.
#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
}

/// `POST /auth/password-reset/{token}`.
#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPasswordRequest {
    /// 12 to 1024 characters, not one of the most common passwords.
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
}

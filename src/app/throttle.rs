//! Log-in throttling that stops guessing without letting anyone lock out someone
//! else. Two counters, both kept in the database (every instance sees them):
//!
//! - per (account, client address): after `max_failed_logins` failures each further
//!   attempt waits a back-off that doubles up to a cap. A guesser at one address never
//!   delays the account's owner at another.
//! - per client address: a budget of failed attempts per window, whatever the
//!   accounts, so one address cannot spray guesses over many accounts.
//!
//! An attempt is counted as a failure *before* its password is checked, in one
//! transaction holding both rows' locks; a successful log-in then gives it back. So
//! concurrent guesses are admitted one by one and no more are checked than allowed.

use chrono::{DateTime, Duration, Utc};

use super::{from_db, to_db, AppState};
use crate::app::error::AppError;
use crate::config::AuthSettings;
use crate::store::throttle::{self, ThrottleRow};

/// The limits, from `auth.*`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub free_failures: i32,
    pub forget_after: Duration,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    pub per_address: i32,
    pub address_window: Duration,
}

impl Limits {
    pub fn from_settings(auth: &AuthSettings) -> Limits {
        let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        Limits {
            free_failures: clamp(auth.max_failed_logins.max(1)),
            forget_after: Duration::minutes(i64::from(auth.failed_login_window_minutes)),
            backoff_base: Duration::seconds(i64::from(auth.login_backoff_base_secs.max(1))),
            backoff_cap: Duration::seconds(i64::from(auth.login_backoff_cap_secs.max(1))),
            per_address: clamp(auth.failed_logins_per_address.max(1)),
            address_window: Duration::minutes(i64::from(auth.address_window_minutes.max(1))),
        }
    }
}

/// Whole seconds until `until`, at least 1 (for `Retry-After`).
fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1)
}

/// Counts one attempt against an (account, address) pair, or says how long to wait.
pub fn admit_pair(row: &mut ThrottleRow, now: DateTime<Utc>, limits: &Limits) -> Result<(), u64> {
    let last = from_db(row.last_failure_at);
    let quiet_since = row.blocked_until.map_or(last, |b| from_db(b).max(last));
    if row.failures > 0 && now >= quiet_since + limits.forget_after {
        row.failures = 0;
        row.blocked_until = None;
    }
    if let Some(blocked) = row.blocked_until.map(from_db).filter(|b| *b > now) {
        return Err(seconds_until(blocked, now));
    }
    row.failures = row.failures.saturating_add(1);
    row.last_failure_at = to_db(now);
    if row.failures >= limits.free_failures {
        let doublings = u32::try_from(row.failures - limits.free_failures)
            .unwrap_or(0)
            .min(30);
        let wait = limits
            .backoff_base
            .checked_mul(1 << doublings)
            .map_or(limits.backoff_cap, |w| w.min(limits.backoff_cap));
        row.blocked_until = Some(to_db(now + wait));
    }
    Ok(())
}

/// Counts one attempt against an address's budget, or says how long to wait.
pub fn admit_address(
    row: &mut ThrottleRow,
    now: DateTime<Utc>,
    limits: &Limits,
) -> Result<(), u64> {
    let window_end = from_db(row.window_start) + limits.address_window;
    if now >= window_end {
        row.failures = 0;
        row.window_start = to_db(now);
    } else if row.failures >= limits.per_address {
        return Err(seconds_until(window_end, now));
    }
    row.failures = row.failures.saturating_add(1);
    row.last_failure_at = to_db(now);
    Ok(())
}

/// The two counters one log-in attempt is held to.
pub struct Keys {
    pair: String,
    address: String,
}

impl Keys {
    pub fn new(email: &str, client: &str) -> Keys {
        Keys {
            pair: format!("pair:{email}|{client}"),
            address: format!("addr:{client}"),
        }
    }

    /// The counters public complaints from `client` are held to: every complaint
    /// counts, so one address cannot flood the admins (log-ins keep their own budget).
    /// Asking for a password reset: the same two counters, apart from log-in's.
    pub fn password_reset(email: &str, client: &str) -> Keys {
        Keys {
            pair: format!("reset:{email}|{client}"),
            address: format!("reset-addr:{client}"),
        }
    }

    pub fn complaints(client: &str) -> Keys {
        Keys {
            pair: format!("complaint:{client}"),
            address: format!("complaint-addr:{client}"),
        }
    }
}

/// Admits one attempt (counting it as failed until `succeeded`), or answers 429
/// with the seconds to wait. Changes nothing when it refuses.
pub fn admit(state: &AppState, keys: &Keys) -> Result<(), AppError> {
    let now = state.now();
    let limits = Limits::from_settings(&state.settings.auth);
    let refused = state.store.write(|conn| -> Result<Option<u64>, AppError> {
        // Always the pair first, then the address: one lock order, no deadlock.
        let mut pair = throttle::lock_or_create(conn, &keys.pair, to_db(now))?;
        let mut address = throttle::lock_or_create(conn, &keys.address, to_db(now))?;
        let verdicts = (
            admit_pair(&mut pair, now, &limits),
            admit_address(&mut address, now, &limits),
        );
        match verdicts {
            (Ok(()), Ok(())) => {
                throttle::save(conn, &pair)?;
                throttle::save(conn, &address)?;
                Ok(None)
            }
            (Err(a), Err(b)) => Ok(Some(a.max(b))),
            (Err(wait), _) | (_, Err(wait)) => Ok(Some(wait)),
        }
    })?;
    match refused {
        Some(retry_after_secs) => Err(AppError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}

/// Admits one public sign-up for an event from `client`: `events.signups_per_minute`
/// per address and minute, never fewer than 30 (a receptionist signs up a group from
/// one address), or answers 429 with the seconds to wait. Changes nothing when it
/// refuses.
pub fn admit_signup(state: &AppState, client: &str) -> Result<(), AppError> {
    let now = state.now();
    let limits = Limits {
        per_address: i32::try_from(state.settings.events.signups_per_minute.max(30))
            .unwrap_or(i32::MAX),
        address_window: Duration::minutes(1),
        ..Limits::from_settings(&state.settings.auth)
    };
    let key = format!("signup-addr:{client}");
    let refused = state.store.write(|conn| -> Result<Option<u64>, AppError> {
        let mut address = throttle::lock_or_create(conn, &key, to_db(now))?;
        match admit_address(&mut address, now, &limits) {
            Ok(()) => {
                throttle::save(conn, &address)?;
                Ok(None)
            }
            Err(wait) => Ok(Some(wait)),
        }
    })?;
    match refused {
        Some(retry_after_secs) => Err(AppError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}

/// A successful log-in: the pair's back-off is cleared and the attempt no longer
/// counts against the address. Runs in the caller's transaction.
pub fn succeeded(
    conn: &mut crate::store::DbConnection,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    throttle::delete(conn, &keys.pair)?;
    let mut address = throttle::lock_or_create(conn, &keys.address, to_db(now))?;
    address.failures = (address.failures - 1).max(0);
    throttle::save(conn, &address)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            free_failures: 5,
            forget_after: Duration::minutes(15),
            backoff_base: Duration::seconds(60),
            backoff_cap: Duration::seconds(3600),
            per_address: 3,
            address_window: Duration::minutes(60),
        }
    }

    fn row(now: DateTime<Utc>) -> ThrottleRow {
        ThrottleRow {
            key: "k".into(),
            failures: 0,
            window_start: to_db(now),
            last_failure_at: to_db(now),
            blocked_until: None,
        }
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default() + Duration::minutes(minutes)
    }

    #[test]
    fn a_pair_backs_off_after_the_free_failures_doubling_up_to_the_cap() {
        let mut r = row(at(0));
        for _ in 0..5 {
            assert_eq!(admit_pair(&mut r, at(0), &limits()), Ok(()));
        }
        assert_eq!(admit_pair(&mut r, at(0), &limits()), Err(60));
        assert_eq!(admit_pair(&mut r, at(1), &limits()), Ok(()));
        assert_eq!(admit_pair(&mut r, at(1), &limits()), Err(120));
        assert_eq!(admit_pair(&mut r, at(3), &limits()), Ok(()));
        assert_eq!(admit_pair(&mut r, at(3), &limits()), Err(240));
        let mut capped = row(at(0));
        capped.failures = 40;
        assert_eq!(admit_pair(&mut capped, at(0), &limits()), Ok(()));
        assert_eq!(admit_pair(&mut capped, at(0), &limits()), Err(3600));
    }

    #[test]
    fn a_pair_is_forgotten_after_a_quiet_window() {
        let mut r = row(at(0));
        for _ in 0..5 {
            assert_eq!(admit_pair(&mut r, at(0), &limits()), Ok(()));
        }
        assert_eq!(admit_pair(&mut r, at(16), &limits()), Ok(()));
        assert_eq!(r.failures, 1);
    }

    #[test]
    fn an_address_has_a_budget_per_window() {
        let mut r = row(at(0));
        for _ in 0..3 {
            assert_eq!(admit_address(&mut r, at(10), &limits()), Ok(()));
        }
        assert_eq!(admit_address(&mut r, at(10), &limits()), Err(50 * 60));
        assert_eq!(admit_address(&mut r, at(60), &limits()), Ok(()));
        assert_eq!(r.failures, 1);
    }
}

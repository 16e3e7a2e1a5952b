//! Periodic jobs, run by the scheduler inside `serve` and by `stegvis jobs run --at`:
//! the same code. The as-of time decides only what is due (stage deadlines,
//! certificate expiry, reminders); housekeeping (expired tokens, idempotency keys,
//! log-in throttling) and when queued mail goes out follow the process's own clock,
//! so a run as of a future time logs nobody out and delays no mail. With several
//! instances on one database, one at a time runs them: a run first takes the
//! `periodic_jobs` lease row.

use std::time::Duration as StdDuration;

use chrono::Duration;
use serde::Serialize;

use crate::app::error::AppError;
use crate::app::metrics;
use crate::app::reminders::{self, ReminderReport};
use crate::app::{from_db, to_db, AppState};
use crate::domain::hash::{verify_chain, EventRecord};
use crate::store::{events, idempotency, ids, outbox, throttle, users};

/// What one run of the jobs did.
#[derive(Debug, Default, Serialize)]
pub struct JobsReport {
    pub ran_at: String,
    /// True when another instance held the jobs' lease, so this run did nothing.
    pub skipped: bool,
    pub expired_tokens_deleted: usize,
    pub idempotency_keys_deleted: usize,
    /// Log-in throttling counters that no longer hold anything back.
    pub failed_logins_deleted: usize,
    pub certificates_expired: usize,
    /// Certificates suspended because their surveillance lapsed.
    pub surveillances_lapsed: usize,
    pub reminders: ReminderReport,
    /// Reminders written to the registrants of open events starting within a day.
    pub event_reminders: usize,
    /// Registrants of open events whose names and addresses were erased.
    pub registrants_erased: usize,
}

/// The lease row that lets one instance at a time run the jobs.
const JOBS_LEASE: &str = "periodic_jobs";

/// Runs every periodic job once, as of `state.now()`, unless another instance is
/// running them right now.
pub fn run_all(state: &AppState) -> Result<JobsReport, AppError> {
    run_all_as_of(state, state.now())
}

/// Runs every periodic job once, deciding what is due as of `as_of` (`jobs run
/// --at`); everything else follows `state.now()`.
pub fn run_all_as_of(
    state: &AppState,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Result<JobsReport, AppError> {
    let now = as_of;
    // The lease is about processes, so it runs on the wall clock even when the jobs
    // run as of another time (`jobs run --at`).
    let wall = chrono::Utc::now();
    let holder = ids::random_hex(16);
    state
        .store
        .write(|conn| outbox::ensure_job_lease(conn, JOBS_LEASE).map_err(AppError::from))?;
    let taken = state.store.write(|conn| {
        outbox::take_job_lease(
            conn,
            JOBS_LEASE,
            &holder,
            to_db(wall),
            to_db(wall + Duration::minutes(10)),
        )
        .map_err(AppError::from)
    })?;
    if !taken {
        metrics::job_skipped("periodic");
        return Ok(JobsReport {
            ran_at: now.to_rfc3339(),
            skipped: true,
            ..JobsReport::default()
        });
    }
    let outcome = metrics::job("periodic", || run_jobs(state, now));
    let released = state
        .store
        .write(|conn| outbox::release_job_lease(conn, JOBS_LEASE, &holder).map_err(AppError::from));
    let report = outcome?;
    released?;
    Ok(report)
}

fn run_jobs(
    state: &AppState,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Result<JobsReport, AppError> {
    // Housekeeping is about real time: the process's clock, never the as-of time.
    let now = state.now();
    let auth = &state.settings.auth;
    let window = Duration::minutes(i64::from(
        auth.failed_login_window_minutes
            .max(auth.address_window_minutes),
    ));
    let mut report = metrics::job("housekeeping", || {
        state.store.write(|conn| {
            Ok::<_, AppError>(JobsReport {
                ran_at: as_of.to_rfc3339(),
                skipped: false,
                expired_tokens_deleted: users::delete_expired_tokens(conn, to_db(now))?,
                idempotency_keys_deleted: idempotency::delete_older_than(
                    conn,
                    to_db(now - Duration::hours(24)),
                )?,
                failed_logins_deleted: throttle::delete_stale(conn, to_db(now - window))?,
                certificates_expired: 0,
                surveillances_lapsed: 0,
                reminders: ReminderReport::default(),
                event_reminders: 0,
                registrants_erased: 0,
            })
        })
    })?;
    report.certificates_expired = metrics::job("certificate_expiry", || {
        crate::app::certificates::expire_due(state, as_of)
    })?;
    report.surveillances_lapsed = metrics::job("surveillance_lapse", || {
        crate::app::certificates::lapse_surveillances(state, as_of)
    })?;
    report.reminders = metrics::job("reminders", || reminders::run(state, as_of))?;
    report.event_reminders = metrics::job("event_reminders", || {
        crate::app::event_jobs::remind(state, as_of)
    })?;
    report.registrants_erased = metrics::job("registrant_erasure", || {
        crate::app::event_jobs::erase(state, as_of)
    })?;
    Ok(report)
}

/// How the histories of all cases verified.
#[derive(Debug, Default)]
pub struct ChainReport {
    pub verified: usize,
    /// Action plans whose history verified.
    pub plans_verified: usize,
    pub broken: Vec<(String, String)>,
}

/// Recomputes the hash chain of every case's and every action plan's history.
pub fn verify_all_histories(state: &AppState) -> Result<ChainReport, AppError> {
    let mut conn = state.store.conn()?;
    let mut report = ChainReport::default();
    for case_id in events::case_ids(&mut conn)? {
        let stored: Vec<(EventRecord, String)> = events::of_case(&mut conn, &case_id)?
            .into_iter()
            .map(|row| {
                (
                    EventRecord {
                        case_id: row.case_id,
                        seq: row.seq.max(0) as u64,
                        at: from_db(row.at),
                        actor_id: row.actor_id,
                        kind: row.kind,
                        from_stage: row.from_stage,
                        to_stage: row.to_stage,
                        comment: row.comment,
                        data: serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null),
                        prev_hash: row.prev_hash,
                    },
                    row.hash,
                )
            })
            .collect();
        match verify_chain(&stored) {
            Ok(()) => report.verified += 1,
            Err(e) => report.broken.push((case_id, e.to_string())),
        }
    }
    for plan_id in crate::store::plans::plan_ids(&mut conn)? {
        match crate::app::plan_history::verify(&mut conn, &plan_id)? {
            Ok(()) => report.plans_verified += 1,
            Err(e) => report
                .broken
                .push((format!("plan {plan_id}"), e.to_string())),
        }
    }
    Ok(report)
}

/// Runs the jobs every five minutes beside the server.
pub fn spawn_scheduler(state: AppState) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(StdDuration::from_secs(300));
        loop {
            interval.tick().await;
            let state = state.clone();
            match actix_web::web::block(move || run_all(&state)).await {
                Ok(Ok(report)) => tracing::debug!(?report, "periodic jobs ran"),
                Ok(Err(e)) => tracing::warn!(error = %e, "periodic jobs failed"),
                Err(e) => tracing::warn!(error = %e, "periodic jobs did not run"),
            }
        }
    })
}

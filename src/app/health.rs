//! Readiness: whether this instance can serve, and how well. `down` (the database
//! does not answer, or SQLite's writer thread has stopped) takes it out of a load
//! balancer; `degraded` (a mail backlog, a long write queue) keeps it in and tells
//! the operator, with the limits of `readiness.*`.

use serde::Serialize;

use super::metrics::outbox_backlog;
use super::AppState;

/// How one check, or the whole instance, is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ready,
    Degraded,
    Down,
}

/// The answer of `GET /readyz`.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// The worst of the checks.
    pub status: Level,
    pub checks: Checks,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checks {
    pub database: DatabaseCheck,
    pub outbox: OutboxCheck,
    /// SQLite only: the writer thread's queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer_queue: Option<WriterCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatabaseCheck {
    pub status: Level,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutboxCheck {
    pub status: Level,
    pub pending: i64,
    pub dead: i64,
    pub oldest_pending_age_seconds: u64,
    pub pending_max: u64,
    pub age_max_seconds: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WriterCheck {
    pub status: Level,
    /// Write transactions waiting or running.
    pub depth: usize,
    pub max: usize,
}

/// Checks the database, the outbox backlog and the writer queue.
pub fn readiness(state: &AppState) -> Readiness {
    let limits = &state.settings.readiness;
    let database_up = state.store.ping();
    let backlog = if database_up {
        outbox_backlog(state).ok()
    } else {
        None
    };
    let outbox = match backlog {
        Some(b) => {
            let age = b.oldest_pending_age.as_secs();
            let over = u64::try_from(b.pending).unwrap_or(0) > limits.outbox_pending_max
                || age > limits.outbox_age_max_secs;
            OutboxCheck {
                status: if over { Level::Degraded } else { Level::Ready },
                pending: b.pending,
                dead: b.dead,
                oldest_pending_age_seconds: age,
                pending_max: limits.outbox_pending_max,
                age_max_seconds: limits.outbox_age_max_secs,
            }
        }
        None => OutboxCheck {
            status: Level::Down,
            pending: 0,
            dead: 0,
            oldest_pending_age_seconds: 0,
            pending_max: limits.outbox_pending_max,
            age_max_seconds: limits.outbox_age_max_secs,
        },
    };
    let writer_queue = state.store.writer_status().map(|w| WriterCheck {
        status: if !w.running {
            Level::Down
        } else if w.depth > limits.writer_queue_max {
            Level::Degraded
        } else {
            Level::Ready
        },
        depth: w.depth,
        max: limits.writer_queue_max,
    });
    let database = DatabaseCheck {
        status: if database_up {
            Level::Ready
        } else {
            Level::Down
        },
    };
    let status = [
        Some(database.status),
        Some(outbox.status),
        writer_queue.as_ref().map(|w| w.status),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(Level::Down);
    Readiness {
        status,
        checks: Checks {
            database,
            outbox,
            writer_queue,
        },
    }
}

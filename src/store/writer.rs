//! SQLite's single writer: one thread owns the write connection and runs the write
//! transactions it is handed over a channel, answering each through a one-shot channel.
//!
//! Measured on a 2-core machine (docs/benchmarks.md), one thread
//! that keeps the connection, its statement cache and its pages hot outruns callers
//! taking turns on a mutex with pooled connections.
//!
//! Group commit: the thread takes every write waiting in its queue (up to
//! [`GROUP_MAX`]), runs each in its own savepoint inside ONE transaction, commits once
//! (one fsync of the WAL with `synchronous = FULL`) and only then answers them all. A
//! write whose closure fails rolls back its savepoint only and gets its own error; if
//! the COMMIT fails, every write of the group gets that error and none is kept. So a
//! caller is never answered before its change is durable (docs/durability.md).
//!
//! A closure runs before its group commits: a side effect outside the database (a file
//! written) stays when the group is rolled back, exactly as it did when a transaction
//! of its own failed to commit. The only such caller, evidence files, writes
//! content-addressed files that are harmless when no row names them.

mod group;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;

use super::{DbConnection, StoreError};
use group::{Pending, Request};

/// Write transactions the channel holds before a caller waits to hand one over.
pub const QUEUE_CAPACITY: usize = 1024;

/// The most writes one group commit takes (`STEGVIS_SQLITE_GROUP_MAX` overrides it,
/// 1 turns grouping off; kept for measurements, docs/benchmarks.md).
pub const GROUP_MAX: usize = 64;

/// The handle callers send write transactions through.
pub struct Writer {
    jobs: SyncSender<Box<dyn Pending>>,
    gauge: Arc<Gauge>,
}

/// What `/readyz` and `/metrics` see of the writer thread.
#[derive(Default)]
struct Gauge {
    /// Write transactions handed over and not yet answered (waiting or running).
    depth: AtomicUsize,
    /// Set when the thread has ended; no write can run after that.
    stopped: AtomicBool,
    /// Group commits attempted since start.
    groups: AtomicU64,
    /// Writes run in those groups (divided by `groups`: the mean group size).
    grouped: AtomicU64,
    /// The size of the latest group.
    last_group: AtomicUsize,
    /// Writes put in the queue since start.
    handed_over: AtomicU64,
}

/// The writer thread as seen from outside, at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterStatus {
    /// Write transactions waiting or running.
    pub depth: usize,
    /// False once the thread has ended.
    pub running: bool,
    /// Group commits since start.
    pub groups: u64,
    /// Writes run in those group commits.
    pub grouped: u64,
    /// How many writes the latest group commit held.
    pub last_group: usize,
    /// Writes put in the queue since start (each is in the queue once this counts it).
    pub handed_over: u64,
}

impl Writer {
    /// Starts the writer thread with connections from `connect` (a new one after a
    /// panic or a failed group).
    pub fn start(
        connect: impl Fn() -> Result<DbConnection, StoreError> + Send + 'static,
    ) -> Result<Writer, StoreError> {
        let group_max = std::env::var("STEGVIS_SQLITE_GROUP_MAX")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(GROUP_MAX, |n| n.max(1));
        Writer::start_with(connect, group_max)
    }

    /// `start`, with the most writes one group commit takes.
    pub fn start_with(
        connect: impl Fn() -> Result<DbConnection, StoreError> + Send + 'static,
        group_max: usize,
    ) -> Result<Writer, StoreError> {
        let first = connect()?;
        let (jobs, queue) = sync_channel::<Box<dyn Pending>>(QUEUE_CAPACITY);
        let gauge = Arc::new(Gauge::default());
        let seen = gauge.clone();
        std::thread::Builder::new()
            .name("stegvis-sqlite-writer".into())
            .spawn(move || {
                group::serve(first, &queue, connect, group_max.max(1), &seen);
                seen.stopped.store(true, Ordering::Relaxed);
            })
            .map_err(|e| StoreError::Connect(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { jobs, gauge })
    }

    /// How many write transactions wait or run, whether the thread still runs, and
    /// how large its group commits are.
    pub fn status(&self) -> WriterStatus {
        WriterStatus {
            depth: self.gauge.depth.load(Ordering::Relaxed),
            running: !self.gauge.stopped.load(Ordering::Relaxed),
            groups: self.gauge.groups.load(Ordering::Relaxed),
            grouped: self.gauge.grouped.load(Ordering::Relaxed),
            last_group: self.gauge.last_group.load(Ordering::Relaxed),
            handed_over: self.gauge.handed_over.load(Ordering::Relaxed),
        }
    }

    /// Runs `f` on the writer thread, all of it or none of it, and waits until it is
    /// committed (or has failed).
    pub fn run<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    ) -> Result<T, E>
    where
        T: Send,
        E: From<diesel::result::Error> + From<StoreError> + Send,
    {
        let (done, outcome) = sync_channel::<Result<T, E>>(1);
        let job: Box<dyn Pending + '_> = Box::new(Request::new(f, done));
        // SAFETY: the job borrows from this frame, which does not return before the job
        // has answered or been dropped: `recv` below answers only once `done` (owned by
        // the job) has sent or been dropped, and a job that cannot be sent is dropped
        // here. A job drops what it borrows before it sends.
        let job: Box<dyn Pending> = unsafe { std::mem::transmute(job) };
        self.gauge.depth.fetch_add(1, Ordering::Relaxed);
        if self.jobs.send(job).is_err() {
            self.gauge.depth.fetch_sub(1, Ordering::Relaxed);
            return Err(StoreError::Connect("the writer thread has stopped".into()).into());
        }
        self.gauge.handed_over.fetch_add(1, Ordering::Relaxed);
        outcome.recv().unwrap_or_else(|_| {
            Err(StoreError::Connect("the write transaction panicked".into()).into())
        })
    }
}

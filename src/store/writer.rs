//! SQLite's single writer: one thread owns the write connection and runs each write
//! transaction it is handed over a channel, answering through a one-shot channel.
//!
//! Measured on a 2-core machine (docs/benchmarks.md, DESIGN.md "Storage"), one thread
//! that keeps the connection, its statement cache and its pages hot outruns callers
//! taking turns on a mutex with pooled connections.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use diesel::Connection;

use super::{DbConnection, StoreError};

/// A write transaction, type-erased for the channel.
type Job = Box<dyn FnOnce(&mut DbConnection) + Send + 'static>;

/// Write transactions the channel holds before a caller waits to hand one over.
pub const QUEUE_CAPACITY: usize = 1024;

/// The handle callers send write transactions through.
pub struct Writer {
    jobs: SyncSender<Job>,
    gauge: Arc<Gauge>,
}

/// What `/readyz` and `/metrics` see of the writer thread.
#[derive(Default)]
struct Gauge {
    /// Write transactions handed over and not yet finished (waiting or running).
    depth: AtomicUsize,
    /// Set when the thread has ended; no write can run after that.
    stopped: AtomicBool,
}

/// The writer thread as seen from outside, at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterStatus {
    /// Write transactions waiting or running.
    pub depth: usize,
    /// False once the thread has ended.
    pub running: bool,
}

impl Writer {
    /// Starts the writer thread with connections from `connect` (a new one after a panic).
    pub fn start(
        connect: impl Fn() -> Result<DbConnection, StoreError> + Send + 'static,
    ) -> Result<Writer, StoreError> {
        let first = connect()?;
        let (jobs, queue) = sync_channel::<Job>(QUEUE_CAPACITY);
        let gauge = Arc::new(Gauge::default());
        let seen = gauge.clone();
        std::thread::Builder::new()
            .name("stegvis-sqlite-writer".into())
            .spawn(move || {
                serve(first, queue, connect, &seen.depth);
                seen.stopped.store(true, Ordering::Relaxed);
            })
            .map_err(|e| StoreError::Connect(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { jobs, gauge })
    }

    /// How many write transactions wait or run, and whether the thread still runs.
    pub fn status(&self) -> WriterStatus {
        WriterStatus {
            depth: self.gauge.depth.load(Ordering::Relaxed),
            running: !self.gauge.stopped.load(Ordering::Relaxed),
        }
    }

    /// Runs `f` in one transaction on the writer thread and waits for its outcome.
    pub fn run<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    ) -> Result<T, E>
    where
        T: Send,
        E: From<diesel::result::Error> + From<StoreError> + Send,
    {
        let (done, outcome) = sync_channel::<Result<T, E>>(1);
        let job = move |conn: &mut DbConnection| {
            let _ = done.send(conn.transaction(f));
        };
        let job: Box<dyn FnOnce(&mut DbConnection) + Send + '_> = Box::new(job);
        // SAFETY: the job borrows from this frame, which does not return before the job
        // has run or been dropped: `recv` below answers only once `done` (owned by the
        // job) has sent or been dropped, and a job that cannot be sent is dropped here.
        let job: Job = unsafe { std::mem::transmute(job) };
        self.gauge.depth.fetch_add(1, Ordering::Relaxed);
        if self.jobs.send(job).is_err() {
            self.gauge.depth.fetch_sub(1, Ordering::Relaxed);
            return Err(StoreError::Connect("the writer thread has stopped".into()).into());
        }
        outcome.recv().unwrap_or_else(|_| {
            Err(StoreError::Connect("the write transaction panicked".into()).into())
        })
    }
}

fn serve(
    mut conn: DbConnection,
    queue: Receiver<Job>,
    connect: impl Fn() -> Result<DbConnection, StoreError>,
    depth: &AtomicUsize,
) {
    while let Ok(job) = queue.recv() {
        let outcome = catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
        depth.fetch_sub(1, Ordering::Relaxed);
        if outcome.is_err() {
            // A panic may leave the transaction open: start again on a fresh connection.
            match connect() {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::error!(error = %e, "the SQLite writer cannot reconnect"),
            }
        }
    }
}

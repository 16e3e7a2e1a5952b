//! SQLite's single writer: one thread owns the write connection and runs each write
//! transaction it is handed over a channel, answering through a one-shot channel.
//!
//! Measured on a 2-core machine (docs/benchmarks.md, DESIGN.md "Storage"), one thread
//! that keeps the connection, its statement cache and its pages hot outruns callers
//! taking turns on a mutex with pooled connections.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use diesel::Connection;

use super::{DbConnection, StoreError};

/// A write transaction, type-erased for the channel.
type Job = Box<dyn FnOnce(&mut DbConnection) + Send + 'static>;

/// The handle callers send write transactions through.
pub struct Writer {
    jobs: SyncSender<Job>,
}

impl Writer {
    /// Starts the writer thread with connections from `connect` (a new one after a panic).
    pub fn start(
        connect: impl Fn() -> Result<DbConnection, StoreError> + Send + 'static,
    ) -> Result<Writer, StoreError> {
        let first = connect()?;
        let (jobs, queue) = sync_channel::<Job>(1024);
        std::thread::Builder::new()
            .name("stegvis-sqlite-writer".into())
            .spawn(move || serve(first, queue, connect))
            .map_err(|e| StoreError::Connect(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { jobs })
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
        if self.jobs.send(job).is_err() {
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
) {
    while let Ok(job) = queue.recv() {
        if catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err() {
            // A panic may leave the transaction open: start again on a fresh connection.
            match connect() {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::error!(error = %e, "the SQLite writer cannot reconnect"),
            }
        }
    }
}

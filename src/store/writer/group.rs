//! One group commit: the writes waiting in the queue, each in a savepoint of one
//! transaction, committed once, answered after the commit returned.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, SyncSender};

use diesel::connection::TransactionManager;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::Connection;

use super::Gauge;
use crate::store::{DbConnection, StoreError};

type Manager = <DbConnection as Connection>::TransactionManager;

/// A caller's write, waiting for its group, type-erased for the channel.
pub(super) trait Pending: Send {
    /// Runs the write in the savepoint the writer opened for it; true when it succeeded.
    fn run(&mut self, conn: &mut DbConnection) -> bool;
    /// Answers the caller once its group is settled: its own outcome when the group
    /// committed or when the write itself failed, else the group's failure.
    fn answer(self: Box<Self>, lost: Option<&GroupFailure>);
}

/// A write and the channel its caller waits on.
pub(super) struct Request<F, T, E> {
    f: Option<F>,
    outcome: Option<Result<T, E>>,
    done: SyncSender<Result<T, E>>,
}

impl<F, T, E> Request<F, T, E> {
    pub(super) fn new(f: F, done: SyncSender<Result<T, E>>) -> Self {
        Request {
            f: Some(f),
            outcome: None,
            done,
        }
    }
}

impl<F, T, E> Pending for Request<F, T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    T: Send,
    E: From<DieselError> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) -> bool {
        let Some(f) = self.f.take() else {
            return false;
        };
        let outcome = f(conn);
        let succeeded = outcome.is_ok();
        self.outcome = Some(outcome);
        succeeded
    }

    fn answer(self: Box<Self>, lost: Option<&GroupFailure>) {
        let Request { f, outcome, done } = *self;
        // What the write borrowed from its caller goes before the caller is woken.
        drop(f);
        let reply = match (outcome, lost) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), None) => Ok(value),
            (Some(Ok(_)) | None, Some(failure)) => Err(failure.error().into()),
            (None, None) => Err(GroupFailure::message("the write did not run")
                .error()
                .into()),
        };
        let _ = done.send(reply);
    }
}

/// Why a group was not committed; every write in it gets this error.
pub(super) struct GroupFailure {
    kind: DatabaseErrorKind,
    message: String,
}

impl GroupFailure {
    fn message(message: &str) -> Self {
        GroupFailure {
            kind: DatabaseErrorKind::Unknown,
            message: message.to_string(),
        }
    }

    fn of(error: &DieselError) -> Self {
        match error {
            DieselError::DatabaseError(kind, info) => GroupFailure {
                kind: *kind,
                message: info.message().to_string(),
            },
            other => GroupFailure::message(&other.to_string()),
        }
    }

    /// A fresh error for one caller (diesel's errors are not `Clone`).
    fn error(&self) -> DieselError {
        DieselError::DatabaseError(self.kind, Box::new(self.message.clone()))
    }
}

/// The writer thread's loop: a group per turn until every sender is gone.
pub(super) fn serve(
    mut conn: DbConnection,
    queue: &Receiver<Box<dyn Pending>>,
    connect: impl Fn() -> Result<DbConnection, StoreError>,
    group_max: usize,
    gauge: &Gauge,
) {
    let mut waiting: VecDeque<Box<dyn Pending>> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match queue.recv() {
                Ok(job) => waiting.push_back(job),
                Err(_) => return,
            }
        }
        // Only what is already waiting: a group never waits for more writes to come.
        while waiting.len() < group_max {
            match queue.try_recv() {
                Ok(job) => waiting.push_back(job),
                Err(_) => break,
            }
        }
        let fresh_connection_needed = commit_group(&mut conn, &mut waiting, group_max, gauge);
        if fresh_connection_needed {
            // A panic or a failed savepoint may leave the transaction open: the old
            // connection is closed (SQLite rolls back what it did not commit).
            match connect() {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::error!(error = %e, "the SQLite writer cannot reconnect"),
            }
        }
    }
}

/// Opens a group's transaction. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): another process writing the same file (`stegvis jobs run` beside
/// `serve`) is then waited for, up to `busy_timeout`, where a deferred transaction
/// that had read before writing would fail at once with "database is locked" once the
/// other process committed. The writer thread is the process's only writer, so the
/// lock costs nothing within it.
fn begin_group(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if let DbConnection::Sqlite(sqlite) = conn {
        return diesel::connection::AnsiTransactionManager::begin_transaction_sql(
            sqlite,
            "BEGIN IMMEDIATE",
        );
    }
    Manager::begin_transaction(conn)
}

/// Runs up to `group_max` writes from the front of `waiting` in one transaction and
/// answers them; writes not reached (after a panic) stay in `waiting`. True when the
/// connection must be replaced.
fn commit_group(
    conn: &mut DbConnection,
    waiting: &mut VecDeque<Box<dyn Pending>>,
    group_max: usize,
    gauge: &Gauge,
) -> bool {
    let mut ran: Vec<Box<dyn Pending>> = Vec::with_capacity(waiting.len().min(group_max));
    let mut answered_by_drop = 0;
    let mut failure = begin_group(conn).err().map(|e| GroupFailure::of(&e));
    while failure.is_none() && ran.len() < group_max {
        let Some(mut job) = waiting.pop_front() else {
            break;
        };
        if let Err(e) = Manager::begin_transaction(conn) {
            failure = Some(GroupFailure::of(&e));
            ran.push(job);
            break;
        }
        let closed = match catch_unwind(AssertUnwindSafe(|| job.run(conn))) {
            Ok(true) => Manager::commit_transaction(conn),
            Ok(false) => Manager::rollback_transaction(conn),
            Err(_) => {
                // Its caller learns of the panic when its channel closes; the others
                // of the group lose their writes too, since the savepoints may be off.
                drop(job);
                answered_by_drop += 1;
                failure = Some(GroupFailure::message(
                    "another write in the same group commit panicked; this one was not kept",
                ));
                break;
            }
        };
        ran.push(job);
        if let Err(e) = closed {
            failure = Some(GroupFailure::of(&e));
        }
    }
    if failure.is_none() {
        failure = Manager::commit_transaction(conn)
            .err()
            .map(|e| GroupFailure::of(&e));
    } else if ran.is_empty() && answered_by_drop == 0 {
        // BEGIN itself failed: this group's writes fail rather than wait forever.
        let take = waiting.len().min(group_max);
        ran.extend(waiting.drain(..take));
    }
    let size = ran.len() + answered_by_drop;
    gauge.groups.fetch_add(1, Ordering::Relaxed);
    gauge.grouped.fetch_add(size as u64, Ordering::Relaxed);
    gauge.last_group.store(size, Ordering::Relaxed);
    gauge.depth.fetch_sub(size, Ordering::Relaxed);
    for job in ran {
        job.answer(failure.as_ref());
    }
    // After any failure the connection may hold a half-open transaction.
    failure.is_some()
}

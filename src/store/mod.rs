//! Storage: diesel over SQLite (the embedded default) or PostgreSQL, one code path.
//!
//! Every query lives in this module's files. Writes go through [`Store::write`], one
//! transaction each; on SQLite they run on one dedicated writer thread ([`writer`]),
//! since SQLite has one writer and a lock upgrade inside a deferred transaction would
//! fail with SQLITE_BUSY rather than wait; the writes waiting there together commit as
//! one group, each in its own savepoint (docs/durability.md). Reads use the pool beside it.

/// Runs `$body` with `$c` bound to the backend's own connection. Used by the queries
/// every command runs: diesel's `MultiConnection` writes a query's SQL out again on
/// every run (to key its statement cache, to check it may be cached and to collect
/// its binds), which on the write path cost more than SQLite's own work; the backend's
/// own connection finds the prepared statement by the query's type (docs/benchmarks.md,
/// "Where the writer's time goes").
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Sqlite($c) => $body,
            $crate::store::DbConnection::Pg($c) => $body,
        }
    };
}

/// Inserts the rows of the `Vec` `$rows` into `$table` in statements of at most 500
/// rows each (bulk loads such as the scale fixture); the number of rows written. The
/// rows are moved, not cloned (a row with an enum column is insertable only by
/// value). A multi-row VALUES needs the backend's own connection (`MultiConnection`
/// has no batch insert), and 500 rows of up to 30 columns stay under SQLite's and
/// PostgreSQL's bind limits.
macro_rules! insert_in_chunks {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut rows = $rows.into_iter();
        let mut written = 0;
        loop {
            let chunk: Vec<_> = rows.by_ref().take(500).collect();
            if chunk.is_empty() {
                break;
            }
            let insert = diesel::insert_into($table).values(chunk);
            written += on_backend!($conn, |c| insert.execute(c))?;
        }
        diesel::QueryResult::Ok(written)
    }};
}

pub mod appeals;
pub mod backup;
pub mod case_list;
mod case_write;
pub mod cases;
pub mod certificates;
pub mod cohorts;
pub mod dashboard;
pub mod event_list;
pub mod events;
pub mod evidence_files;
pub mod exit;
pub mod facts;
pub mod idempotency;
pub mod ids;
pub mod listing;
pub mod mail_list;
pub mod oidc;
pub mod open_events;
pub mod organisations;
pub mod outbox;
pub mod people;
pub mod plan_list;
pub mod plans;
pub mod programmes;
pub mod registry;
pub mod reports;
pub mod rows;
pub mod schema;
pub mod status_lists;
pub mod throttle;
pub mod unit_list;
pub mod user_list;
pub mod users;
pub mod webhooks;
pub mod workshop_requests;
pub mod writer;

use chrono::{DateTime, NaiveDateTime, Utc};

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::SqliteSynchronous;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever database the deployment uses.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An infrastructure failure of the store; never caused by a client's input.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for StoreError {
    /// A value the row cannot be read as (an enum word that names no value) is
    /// corrupt data, never a query failure to retry or a default to fall back on.
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DeserializationError(cause) => {
                StoreError::Corrupt(cause.to_string())
            }
            other => StoreError::Query(other),
        }
    }
}

#[derive(Debug, Clone)]
enum Target {
    Sqlite(String),
    Postgres(String),
}

/// Opens connections for the pool, with SQLite's pragmas set on each.
#[derive(Debug, Clone)]
pub struct Manager(Target, SqliteSynchronous);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.0 {
            Target::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Target::Sqlite(path) => {
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the writer; synchronous=FULL (the default)
                // fsyncs the log before a commit is acknowledged, so acknowledged means
                // durable, power loss included (database.sqlite_synchronous).
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    self.1.as_pragma()
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The shared handle to the database: a pool of connections and, on SQLite, the
/// writer thread.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    backend: Backend,
    writes: Writes,
}

/// The pool's connections at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max: u32,
    /// Connections open now, idle or in use.
    pub open: u32,
    /// Open connections no one holds.
    pub idle: u32,
}

/// How writes are serialised.
#[derive(Clone)]
enum Writes {
    /// SQLite: the writer thread (the default).
    Thread(Arc<writer::Writer>),
    /// SQLite: callers take turns on a mutex with pooled connections; kept only to
    /// measure against (`STEGVIS_SQLITE_WRITER=mutex`, docs/benchmarks.md).
    Mutex(Arc<Mutex<()>>),
    /// PostgreSQL: concurrent writers on pooled connections, row locks in the database.
    Pool,
}

impl Store {
    /// Opens a pool to `url` (`sqlite://PATH` or `postgres://…`); 0 sizes it to the
    /// machine. SQLite commits are durable (`synchronous = FULL`).
    pub fn connect(url: &str, pool_size: u32) -> Result<Store, StoreError> {
        Store::connect_with(url, pool_size, SqliteSynchronous::default())
    }

    /// `connect`, with SQLite's `synchronous` chosen.
    pub fn connect_with(
        url: &str,
        pool_size: u32,
        synchronous: SqliteSynchronous,
    ) -> Result<Store, StoreError> {
        let (target, backend) = parse_url(url)?;
        if backend == Backend::Postgres {
            exit::keep_openssl_cleanup_out_of_exit();
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        let size = if pool_size > 0 {
            pool_size
        } else {
            (cores * 4).max(8)
        };
        let manager = Manager(target, synchronous);
        let mutex = std::env::var("STEGVIS_SQLITE_WRITER").is_ok_and(|v| v == "mutex");
        let writes = match backend {
            Backend::Sqlite if mutex => Writes::Mutex(Arc::default()),
            Backend::Sqlite => {
                let manager = manager.clone();
                let connect = move || {
                    manager
                        .connect()
                        .map_err(|e| StoreError::Connect(e.to_string()))
                };
                Writes::Thread(Arc::new(writer::Writer::start(connect)?))
            }
            Backend::Postgres => Writes::Pool,
        };
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        Ok(Store {
            pool,
            backend,
            writes,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations for this backend.
    pub fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.get()?;
        let outcome = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        outcome.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// A connection for reads (several run at once, beside the writer).
    pub fn conn(&self) -> Result<PooledConnection<Manager>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// A connection for a short indexed read on the caller's own thread, when one is
    /// free right now; `None` otherwise, and always on PostgreSQL, whose every query is
    /// a network round trip. An HTTP worker uses it to skip the hand-off to the
    /// blocking pool (two thread switches, more than such a read costs on SQLite)
    /// without ever waiting for the pool.
    pub fn conn_now(&self) -> Option<PooledConnection<Manager>> {
        match self.backend {
            Backend::Sqlite => self.pool.try_get(),
            Backend::Postgres => None,
        }
    }

    /// Runs `f` in one transaction: all of it commits, or none of it. On SQLite it
    /// runs on the writer thread (one write at a time, in a savepoint of a group commit,
    /// answered once the group is durable); on PostgreSQL on a pooled connection,
    /// beside other writers.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    ) -> Result<T, E>
    where
        T: Send,
        E: From<diesel::result::Error> + From<StoreError> + Send,
    {
        let _guard = match &self.writes {
            Writes::Thread(writer) => return writer.run(f),
            Writes::Mutex(lock) => Some(lock.lock().unwrap_or_else(|p| p.into_inner())),
            Writes::Pool => None,
        };
        let mut pooled = self.pool.get().map_err(StoreError::from)?;
        let conn: &mut DbConnection = &mut pooled;
        conn.transaction(f)
    }

    /// Lets SQLite's log grow to `pages` pages before a commit of this process copies
    /// it into the database (1,000 by default). For batch processes (`stegvis jobs
    /// run`): a hot page changed in many batches is then copied once rather than once
    /// per thousand pages, at the price of longer copies, which in `serve` would
    /// lengthen the commits that run them (p99 5.6–6.6 ms → 8.1–8.7 ms measured at
    /// 10,000). Whatever is left in the log is copied by the next commit of any
    /// process. Nothing to do on PostgreSQL.
    pub fn checkpoint_every(&self, pages: u32) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        self.write(|conn| {
            conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {pages}"))
                .map_err(StoreError::from)
        })
    }

    /// The SQLite writer thread's queue and liveness; `None` where there is none
    /// (PostgreSQL, or the mutex kept for measurements).
    pub fn writer_status(&self) -> Option<writer::WriterStatus> {
        match &self.writes {
            Writes::Thread(writer) => Some(writer.status()),
            Writes::Mutex(_) | Writes::Pool => None,
        }
    }

    /// The connection pool at this moment.
    pub fn pool_status(&self) -> PoolStatus {
        let state = self.pool.state();
        PoolStatus {
            max: self.pool.max_size(),
            open: state.connections,
            idle: state.idle_connections,
        }
    }

    /// True when the database answers a trivial query.
    pub fn ping(&self) -> bool {
        self.pool
            .get()
            .ok()
            .is_some_and(|mut c| c.batch_execute("SELECT 1").is_ok())
    }
}

fn parse_url(url: &str) -> Result<(Target, Backend), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Target::Postgres(url.to_string()), Backend::Postgres));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| {
            StoreError::Connect(format!(
                "database.url must start with sqlite:// or postgres://, got {url:?}"
            ))
        })?;
    if let Some(parent) = Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Connect(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
    }
    Ok((Target::Sqlite(path.to_string()), Backend::Sqlite))
}

// Lookups by a unique key use `get_result`, not `first`: `first` binds `LIMIT ?`, and
// the bundled SQLite (STAT4) re-prepares a statement whose LIMIT parameter is bound
// again, which was a fifth of the writer thread's time (docs/benchmarks.md).

/// True when `err` is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A stored enum word read back as its value; a word that names none is corrupt data.
pub fn word<T>(stored: String) -> Result<T, StoreError>
where
    T: TryFrom<String, Error = crate::domain::stored::UnknownValue>,
{
    T::try_from(stored).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A time as the database keeps it: UTC without an offset.
pub fn to_db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

/// A time read from the database, which keeps UTC.
pub fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

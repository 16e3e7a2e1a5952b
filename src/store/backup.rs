//! A consistent copy of a live SQLite database and the check of a restored one.
//!
//! `VACUUM INTO` runs as one read transaction: in WAL mode it sees the last commit
//! before it started and never blocks the writer, so the copy is consistent while the
//! server goes on serving.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel::{sql_query, Connection, QueryableByName, RunQueryDsl};

use super::StoreError;

/// The file of an SQLite `database.url`; `None` for PostgreSQL (or anything else).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(PathBuf::from)
}

fn open(path: &Path) -> Result<SqliteConnection, StoreError> {
    let text = path
        .to_str()
        .ok_or_else(|| StoreError::Connect(format!("{} is not UTF-8", path.display())))?;
    let mut conn = SqliteConnection::establish(text)
        .map_err(|e| StoreError::Connect(format!("cannot open {}: {e}", path.display())))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(StoreError::from)?;
    Ok(conn)
}

/// Writes a consistent copy of the database at `source` to `target`, which must not
/// exist; the copy is synced to the disk before this returns.
pub fn snapshot(source: &Path, target: &Path) -> Result<(), StoreError> {
    if !source.is_file() {
        return Err(StoreError::Connect(format!(
            "there is no database at {}",
            source.display()
        )));
    }
    let mut conn = open(source)?;
    let target_text = target
        .to_str()
        .ok_or_else(|| StoreError::Connect(format!("{} is not UTF-8", target.display())))?;
    sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target_text)
        .execute(&mut conn)
        .map_err(StoreError::from)?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Connect(format!("cannot sync {}: {e}", target.display())))
}

#[derive(QueryableByName)]
struct Integrity {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// SQLite's own check of a database file: `Ok` when it answers "ok", else what it found.
pub fn integrity_check(path: &Path) -> Result<Result<(), String>, StoreError> {
    let mut conn = open(path)?;
    let found: Vec<Integrity> = sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(StoreError::from)?;
    let problems: Vec<String> = found
        .into_iter()
        .map(|row| row.integrity_check)
        .filter(|line| line != "ok")
        .collect();
    Ok(if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    })
}

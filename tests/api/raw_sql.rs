//! SQL behind the app's back, for tests that tamper with or stage stored rows.

use diesel::{Connection, RunQueryDsl};

use crate::helpers::TestApp;

/// Runs one SQL statement on the app's database; the number of rows it changed.
pub fn sql(app: &TestApp, statement: &str) -> usize {
    let url = &app.settings.database.url;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut conn = diesel::sqlite::SqliteConnection::establish(path)
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        diesel::sql_query(statement)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    } else {
        let mut conn =
            diesel::pg::PgConnection::establish(url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        diesel::sql_query(statement)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    }
}

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

#[derive(diesel::QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// The text column `value` of every row a query answers.
pub fn texts(app: &TestApp, query: &str) -> Vec<String> {
    let url = &app.settings.database.url;
    let rows: Vec<TextRow> = if let Some(path) = url.strip_prefix("sqlite://") {
        let mut conn = diesel::sqlite::SqliteConnection::establish(path)
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        diesel::sql_query(query)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
    } else {
        let mut conn =
            diesel::pg::PgConnection::establish(url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        diesel::sql_query(query)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
    };
    rows.into_iter().map(|r| r.value).collect()
}

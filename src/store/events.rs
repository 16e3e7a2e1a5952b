//! The append-only, hash-chained history of each case.

use diesel::prelude::*;

use super::rows::EventRow;
use super::schema::case_events;
use super::DbConnection;

pub fn insert(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    let insert = diesel::insert_into(case_events::table).values(row);
    on_backend!(conn, |c| insert.execute(c)).map(|_| ())
}

/// Many events in few statements (bulk loads such as the scale fixture).
pub fn insert_many(conn: &mut DbConnection, rows: Vec<EventRow>) -> QueryResult<usize> {
    insert_in_chunks!(conn, case_events::table, rows)
}

/// A case's history, oldest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<EventRow>> {
    case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)
}

/// The ids of every case, for verifying all histories.
pub fn case_ids(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    super::schema::cases::table
        .select(super::schema::cases::id)
        .order(super::schema::cases::id.asc())
        .load(conn)
}

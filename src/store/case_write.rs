//! The one UPDATE every command runs, written as a statement the backends keep
//! prepared. diesel never caches an UPDATE built with `.set(…)` (a changeset may leave
//! out a column it holds as `None`, so the SQL can differ between runs): SQLite parsed
//! this 21-column UPDATE again for every command, a sixth of the writer thread's time
//! (docs/benchmarks.md, "Where the writer's time goes"). Here the SQL is always the
//! same, so the statement is prepared once per connection.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, HasSqlType, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};

use super::rows::CaseRow;

/// Writes `row`'s state over the case's row if its version is still `expected`.
pub struct WriteState<'a> {
    pub row: &'a CaseRow,
    pub expected: i64,
}

impl QueryId for WriteState<'_> {
    type QueryId = WriteState<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<Conn> RunQueryDsl<Conn> for WriteState<'_> {}

impl<DB> QueryFragment<DB> for WriteState<'_>
where
    DB: Backend
        + HasSqlType<Text>
        + HasSqlType<BigInt>
        + HasSqlType<Integer>
        + HasSqlType<Bool>
        + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
    bool: ToSql<Bool, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    Option<NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let r = self.row;
        out.push_sql("UPDATE cases SET stage = ");
        out.push_bind_param::<Text, str>(r.stage.as_str())?;
        out.push_sql(", status = ");
        out.push_bind_param::<Text, str>(r.status.as_str())?;
        out.push_sql(", version = ");
        out.push_bind_param::<BigInt, _>(&r.version)?;
        out.push_sql(", consultant_id = ");
        out.push_bind_param::<Nullable<Text>, _>(&r.consultant_id)?;
        out.push_sql(", auditor_id = ");
        out.push_bind_param::<Nullable<Text>, _>(&r.auditor_id)?;
        out.push_sql(", cycle = ");
        out.push_bind_param::<Integer, _>(&r.cycle)?;
        out.push_sql(", stage_entered_at = ");
        out.push_bind_param::<Timestamp, _>(&r.stage_entered_at)?;
        out.push_sql(", stage_due_at = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&r.stage_due_at)?;
        out.push_sql(", paused_at = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&r.paused_at)?;
        out.push_sql(", reflections_completed = ");
        out.push_bind_param::<Integer, _>(&r.reflections_completed)?;
        out.push_sql(", trained_completed = ");
        out.push_bind_param::<Integer, _>(&r.trained_completed)?;
        out.push_sql(", next_surveillance_due = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&r.next_surveillance_due)?;
        out.push_sql(", suspended_for_surveillance = ");
        out.push_bind_param::<Bool, _>(&r.suspended_for_surveillance)?;
        out.push_sql(", appealable_since = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&r.appealable_since)?;
        out.push_sql(", open_appeal_id = ");
        out.push_bind_param::<Nullable<Text>, _>(&r.open_appeal_id)?;
        out.push_sql(", recommended_at = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&r.recommended_at)?;
        out.push_sql(", programme_id = ");
        out.push_bind_param::<Text, _>(&r.programme_id)?;
        out.push_sql(", audit_round = ");
        out.push_bind_param::<Integer, _>(&r.audit_round)?;
        out.push_sql(", last_hash = ");
        out.push_bind_param::<Text, _>(&r.last_hash)?;
        out.push_sql(", live_key = ");
        out.push_bind_param::<Nullable<Text>, _>(&r.live_key)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(&r.updated_at)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<Text, _>(&r.id)?;
        out.push_sql(" AND version = ");
        out.push_bind_param::<BigInt, _>(&self.expected)?;
        Ok(())
    }
}

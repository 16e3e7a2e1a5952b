//! A case's sessions, evidence and findings: the rows its events project to, and the
//! counts its requirements are judged on (loaded for many cases at once, no N+1).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{EvidenceRow, FindingRow, SessionRow};
use super::schema::{evidence, findings, plan_actions, plans, sessions};
use super::word;
use super::DbConnection;
use crate::domain::requirements::HeldSession;
use crate::domain::{CaseFacts, SessionKind};

/// What the facts of one case are loaded for: its id, current cycle and headcount.
#[derive(Debug, Clone)]
pub struct FactsKey {
    pub case_id: String,
    pub cycle: i32,
    pub headcount: i32,
    /// From the case row the caller already holds (no query needed).
    pub reflections_completed: i32,
    pub trained_completed: i32,
}

/// The counts for each case in `keys`: one statement for one case, four for many.
pub fn load(conn: &mut DbConnection, keys: &[FactsKey]) -> QueryResult<HashMap<String, CaseFacts>> {
    let mut out: HashMap<String, CaseFacts> = keys
        .iter()
        .map(|k| {
            (
                k.case_id.clone(),
                CaseFacts {
                    headcount: k.headcount.max(0) as u32,
                    reflections_completed: k.reflections_completed.max(0) as u32,
                    trained_completed: k.trained_completed.max(0) as u32,
                    ..CaseFacts::default()
                },
            )
        })
        .collect();
    if keys.is_empty() {
        return Ok(out);
    }
    let cycle_of: HashMap<&str, i32> = keys.iter().map(|k| (k.case_id.as_str(), k.cycle)).collect();
    let ids: Vec<&str> = keys.iter().map(|k| k.case_id.as_str()).collect();
    let Fetched {
        held,
        areas,
        found,
        planned,
    } = match ids.as_slice() {
        [one] => fetch_one(conn, one)?,
        _ => fetch_many(conn, &ids)?,
    };
    for (case_id, cycle, kind, attended, documented) in held {
        let (Some(facts), Some(attended)) = (out.get_mut(&case_id), attended) else {
            continue;
        };
        if cycle_of.get(case_id.as_str()) != Some(&cycle) || attended < 1 {
            continue;
        }
        facts.sessions.push(HeldSession {
            kind: word::<SessionKind>(kind).map_err(into_query_error)?,
            attended: attended as u32,
            documented,
        });
    }

    for (case_id, cycle, area) in areas {
        if cycle_of.get(case_id.as_str()) != Some(&cycle) {
            continue;
        }
        if let Some(facts) = out.get_mut(&case_id) {
            *facts.evidence_by_area.entry(area).or_insert(0) += 1;
        }
    }

    let mut last_round: HashMap<String, i32> = HashMap::new();
    for (case_id, cycle, round, _) in &found {
        if cycle_of.get(case_id.as_str()) == Some(cycle) {
            let entry = last_round.entry(case_id.clone()).or_insert(*round);
            *entry = (*entry).max(*round);
        }
    }
    for (case_id, cycle, round, resolved) in found {
        if cycle_of.get(case_id.as_str()) != Some(&cycle)
            || last_round.get(&case_id) != Some(&round)
        {
            continue;
        }
        if let Some(facts) = out.get_mut(&case_id) {
            facts.last_return_findings += 1;
            if resolved {
                facts.last_return_findings_resolved += 1;
            }
        }
    }

    for case_id in planned.into_iter().flatten() {
        if let Some(facts) = out.get_mut(&case_id) {
            facts.plan_actions += 1;
        }
    }

    Ok(out)
}

/// The rows a case's counts are made from.
struct Fetched {
    /// Sessions held: case, cycle, kind, attended, documented.
    held: Vec<(String, i32, String, Option<i32>, bool)>,
    /// Evidence: case, cycle, area.
    areas: Vec<(String, i32, String)>,
    /// Findings: case, cycle, round, resolved.
    found: Vec<(String, i32, i32, bool)>,
    /// One case id for each action of a plan linked to a case.
    planned: Vec<Option<String>>,
}

/// The rows of many cases: four queries, whatever their number.
fn fetch_many(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Fetched> {
    Ok(Fetched {
        held: sessions::table
            .filter(sessions::cancelled.eq(false))
            .filter(sessions::attended.is_not_null())
            .filter(sessions::case_id.eq_any(ids))
            .select((
                sessions::case_id,
                sessions::cycle,
                sessions::kind,
                sessions::attended,
                sessions::notes.is_not_null(),
            ))
            .load(conn)?,
        areas: evidence::table
            .filter(evidence::case_id.eq_any(ids))
            .select((evidence::case_id, evidence::cycle, evidence::area))
            .load(conn)?,
        found: findings::table
            .filter(findings::case_id.eq_any(ids))
            .select((
                findings::case_id,
                findings::cycle,
                findings::round,
                findings::resolution.is_not_null(),
            ))
            .load(conn)?,
        planned: plan_actions::table
            .inner_join(plans::table)
            .filter(plans::case_id.eq_any(ids))
            .select(plans::case_id)
            .load(conn)?,
    })
}

/// The rows of one case (every command): one prepared statement, one round trip.
fn fetch_one(conn: &mut DbConnection, case_id: &str) -> QueryResult<Fetched> {
    let lines: Vec<FactLine> = on_backend!(conn, |c| FactsOfCase { case_id }.load(c))?;
    let mut fetched = Fetched {
        held: Vec::new(),
        areas: Vec::new(),
        found: Vec::new(),
        planned: Vec::new(),
    };
    let id = || case_id.to_string();
    for line in lines {
        match line.part {
            1 => fetched.held.push((
                id(),
                line.cycle,
                line.word.unwrap_or_default(),
                line.number,
                line.flag,
            )),
            2 => fetched
                .areas
                .push((id(), line.cycle, line.word.unwrap_or_default())),
            3 => fetched
                .found
                .push((id(), line.cycle, line.number.unwrap_or(0), line.flag)),
            _ => fetched.planned.push(Some(id())),
        }
    }
    Ok(fetched)
}

/// One line of [`FactsOfCase`]: which part it comes from (1 session held, 2 evidence,
/// 3 finding, 4 plan action) and that part's columns.
#[derive(QueryableByName)]
struct FactLine {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    part: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    cycle: i32,
    /// A session's kind or an evidence's area.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    word: Option<String>,
    /// Those who attended a session, or a finding's audit round.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    number: Option<i32>,
    /// A session documented, or a finding resolved.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    flag: bool,
}

/// The four queries of [`fetch_many`] for one case as one `UNION ALL`, with the same
/// SQL every time, so both backends keep it prepared: three round trips fewer for
/// every command on PostgreSQL (docs/benchmarks.md).
struct FactsOfCase<'a> {
    case_id: &'a str,
}

impl diesel::query_builder::QueryId for FactsOfCase<'_> {
    type QueryId = FactsOfCase<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for FactsOfCase<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> RunQueryDsl<Conn> for FactsOfCase<'_> {}

impl<DB> diesel::query_builder::QueryFragment<DB> for FactsOfCase<'_>
where
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<diesel::sql_types::Text>,
    str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        use diesel::sql_types::Text;
        // The NULLs take their types from the first branch that names the column.
        out.push_sql(
            "SELECT 1 AS part, cycle, kind AS word, attended AS number, \
             (notes IS NOT NULL) AS flag FROM sessions \
             WHERE case_id = ",
        );
        out.push_bind_param::<Text, str>(self.case_id)?;
        out.push_sql(
            " AND cancelled = FALSE AND attended IS NOT NULL \
             UNION ALL SELECT 2, cycle, area, NULL, FALSE FROM evidence WHERE case_id = ",
        );
        out.push_bind_param::<Text, str>(self.case_id)?;
        out.push_sql(
            " UNION ALL SELECT 3, cycle, NULL, round, (resolution IS NOT NULL) \
             FROM findings WHERE case_id = ",
        );
        out.push_bind_param::<Text, str>(self.case_id)?;
        out.push_sql(
            " UNION ALL SELECT 4, 0, NULL, NULL, FALSE FROM plan_actions \
             INNER JOIN plans ON plan_actions.plan_id = plans.id WHERE plans.case_id = ",
        );
        out.push_bind_param::<Text, str>(self.case_id)?;
        Ok(())
    }
}

/// A value read as corrupt, carried through a query's result (and read back as
/// [`super::StoreError::Corrupt`]).
fn into_query_error(e: super::StoreError) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(Box::new(e))
}

pub fn sessions_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::case_id.eq(case_id))
        .order((sessions::starts_at.asc(), sessions::id.asc()))
        .select(SessionRow::as_select())
        .load(conn)
}

pub fn session(
    conn: &mut DbConnection,
    case_id: &str,
    id: &str,
) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .filter(sessions::case_id.eq(case_id))
        .filter(sessions::id.eq(id))
        .select(SessionRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn evidence_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<EvidenceRow>> {
    evidence::table
        .filter(evidence::case_id.eq(case_id))
        .order((evidence::added_at.asc(), evidence::id.asc()))
        .select(EvidenceRow::as_select())
        .load(conn)
}

pub fn evidence_item(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EvidenceRow>> {
    evidence::table
        .find(id)
        .select(EvidenceRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn findings_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<FindingRow>> {
    findings::table
        .filter(findings::case_id.eq(case_id))
        .order((findings::round.asc(), findings::id.asc()))
        .select(FindingRow::as_select())
        .load(conn)
}

pub fn finding(
    conn: &mut DbConnection,
    case_id: &str,
    id: &str,
) -> QueryResult<Option<FindingRow>> {
    findings::table
        .filter(findings::case_id.eq(case_id))
        .filter(findings::id.eq(id))
        .select(FindingRow::as_select())
        .get_result(conn)
        .optional()
}

/// Findings not yet resolved that are due on or before `by`.
pub fn open_findings_due_by(
    conn: &mut DbConnection,
    by: chrono::NaiveDate,
) -> QueryResult<Vec<FindingRow>> {
    findings::table
        .filter(findings::resolution.is_null())
        .filter(findings::due_on.le(by))
        .order((findings::due_on.asc(), findings::id.asc()))
        .select(FindingRow::as_select())
        .load(conn)
}

pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// Many sessions in few statements (bulk loads such as the scale fixture).
pub fn insert_sessions(conn: &mut DbConnection, rows: Vec<SessionRow>) -> QueryResult<usize> {
    insert_in_chunks!(conn, sessions::table, rows)
}

/// Many evidence items in few statements (bulk loads such as the scale fixture).
pub fn insert_evidence_many(conn: &mut DbConnection, rows: Vec<EvidenceRow>) -> QueryResult<usize> {
    insert_in_chunks!(conn, evidence::table, rows)
}

/// Writes a session's audience, themes and notes; `documented_at` when notes are set.
pub fn document_session(
    conn: &mut DbConnection,
    id: &str,
    audience: Option<&str>,
    themes: &str,
    notes: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::audience.eq(audience),
            sessions::themes.eq(themes),
            sessions::notes.eq(notes),
            sessions::documented_at.eq(notes.map(|_| now)),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Writes a session's title, times, location and invitation sequence.
#[expect(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub fn reschedule_session(
    conn: &mut DbConnection,
    id: &str,
    title: &str,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    location: Option<&str>,
    sequence: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::title.eq(title),
            sessions::starts_at.eq(starts_at),
            sessions::ends_at.eq(ends_at),
            sessions::location.eq(location),
            sessions::sequence.eq(sequence),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn cancel_session(
    conn: &mut DbConnection,
    id: &str,
    sequence: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::cancelled.eq(true),
            sessions::sequence.eq(sequence),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_attendance(
    conn: &mut DbConnection,
    id: &str,
    attended: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::attended.eq(Some(attended)),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A corrected attendance: the right figure, or none (the session counts as not held).
pub fn correct_attendance(
    conn: &mut DbConnection,
    id: &str,
    attended: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::attended.eq(attended),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn insert_evidence(conn: &mut DbConnection, row: &EvidenceRow) -> QueryResult<()> {
    diesel::insert_into(evidence::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_finding(conn: &mut DbConnection, row: &FindingRow) -> QueryResult<()> {
    diesel::insert_into(findings::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// A finding open again after its resolution was corrected away.
pub fn reopen_finding(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(findings::table.find(id))
        .set((
            findings::resolution.eq(None::<String>),
            findings::resolved_at.eq(None::<NaiveDateTime>),
            findings::resolved_by.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn resolve_finding(
    conn: &mut DbConnection,
    id: &str,
    resolution: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(findings::table.find(id))
        .set((
            findings::resolution.eq(Some(resolution)),
            findings::resolved_at.eq(Some(now)),
            findings::resolved_by.eq(Some(by)),
        ))
        .execute(conn)
        .map(|_| ())
}

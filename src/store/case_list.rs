//! The case lists of the pages (`/cases`, `/audits`): searched by unit or
//! organisation name, filtered, sorted and paged in SQL, with the total counted.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use super::cases::CaseParts;
use super::listing::{either_contains, folded, Window};
use super::rows::{CaseRow, ProgrammeRow, UnitRow};
use super::schema::{cases, organisations, programmes, units};
use super::DbConnection;
use crate::domain::policy::Visibility;
use crate::domain::Stage;

/// What a case list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSort {
    Unit,
    Organisation,
    /// Along the path, kickoff first.
    Stage,
    Updated,
    /// The current stage's deadline; cases without one come last either way.
    Deadline,
}

/// Where a case stands for its auditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditTab {
    /// In audit and active: the auditor's turn.
    Awaiting,
    /// Audited by them and out of the audit since (approved, returned, or stopped).
    Decided,
}

/// What a case list shows.
#[derive(Debug, Clone)]
pub struct CaseListFilter {
    pub visibility: Visibility,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
    pub audit: Option<AuditTab>,
    /// Words in the unit's or the organisation's name (any case).
    pub search: Option<String>,
    pub organisation_id: Option<String>,
    pub stage: Option<String>,
    pub status: Option<String>,
    /// The programme's key: every version of it.
    pub programme_key: Option<String>,
}

/// One case of a list with its organisation's name.
pub type CaseListRow = (CaseParts, String);

/// The cases of one page, the total matching, and the window shown.
pub struct CaseListPage {
    pub rows: Vec<CaseListRow>,
    pub total: i64,
    pub window: Window,
}

/// The join and every condition of `filter`, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &CaseListFilter = $filter;
        let mut query = cases::table
            .inner_join(units::table.inner_join(organisations::table))
            .inner_join(programmes::table)
            .select($select)
            .into_boxed();
        match &filter.visibility {
            Visibility::Everything => {}
            Visibility::Organisation(org) => {
                query = query.filter(cases::organisation_id.eq(org.clone()))
            }
            Visibility::Unit { unit_id, .. } => {
                query = query.filter(cases::unit_id.eq(unit_id.clone()))
            }
            // No row has an empty id: the list is empty.
            Visibility::Nothing => query = query.filter(cases::id.eq("")),
        }
        if let Some(id) = &filter.consultant_id {
            query = query.filter(cases::consultant_id.eq(id.clone()));
        }
        if let Some(id) = &filter.auditor_id {
            query = query.filter(cases::auditor_id.eq(id.clone()));
        }
        match filter.audit {
            Some(AuditTab::Awaiting) => {
                query = query.filter(cases::stage.eq("audit").and(cases::status.eq("active")))
            }
            Some(AuditTab::Decided) => {
                query = query.filter(cases::stage.ne("audit").or(cases::status.ne("active")))
            }
            None => {}
        }
        if let Some(term) = &filter.search {
            query = query.filter(either_contains("units.name", "organisations.name", term));
        }
        if let Some(org) = &filter.organisation_id {
            query = query.filter(cases::organisation_id.eq(org.clone()));
        }
        if let Some(stage) = &filter.stage {
            query = query.filter(cases::stage.eq(stage.clone()));
        }
        if let Some(status) = &filter.status {
            query = query.filter(cases::status.eq(status.clone()));
        }
        if let Some(key) = &filter.programme_key {
            query = query.filter(programmes::key.eq(key.clone()));
        }
        query
    }};
}

/// `CASE stage WHEN 'kickoff' THEN 0 …`: the stages in the order of the path.
fn stage_rank() -> String {
    let whens: String = Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| format!(" WHEN '{}' THEN {i}", s.as_str()))
        .collect();
    format!("CASE cases.stage{whens} ELSE 99 END")
}

/// Page `asked` of `per_page` cases matching `filter`, ordered by `sort` (then by id,
/// so equal keys keep one order); a page past the end gives the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &CaseListFilter,
    sort: CaseSort,
    ascending: bool,
    asked: i64,
    per_page: i64,
) -> QueryResult<CaseListPage> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(asked, per_page, total);
    let mut query = filtered!(
        filter,
        (
            CaseRow::as_select(),
            UnitRow::as_select(),
            ProgrammeRow::as_select(),
            organisations::name,
        )
    );
    query = match (sort, ascending) {
        (CaseSort::Unit, true) => query.order_by(sql::<Text>(&folded("units.name")).asc()),
        (CaseSort::Unit, false) => query.order_by(sql::<Text>(&folded("units.name")).desc()),
        (CaseSort::Organisation, true) => query
            .order_by(sql::<Text>(&folded("organisations.name")).asc())
            .then_order_by(sql::<Text>(&folded("units.name")).asc()),
        (CaseSort::Organisation, false) => query
            .order_by(sql::<Text>(&folded("organisations.name")).desc())
            .then_order_by(sql::<Text>(&folded("units.name")).asc()),
        (CaseSort::Stage, true) => query
            .order_by(sql::<Integer>(&stage_rank()).asc())
            .then_order_by(sql::<Text>(&folded("units.name")).asc()),
        (CaseSort::Stage, false) => query
            .order_by(sql::<Integer>(&stage_rank()).desc())
            .then_order_by(sql::<Text>(&folded("units.name")).asc()),
        (CaseSort::Updated, true) => query.order_by(cases::updated_at.asc()),
        (CaseSort::Updated, false) => query.order_by(cases::updated_at.desc()),
        (CaseSort::Deadline, true) => query
            .order_by(cases::stage_due_at.is_null().asc())
            .then_order_by(cases::stage_due_at.asc()),
        (CaseSort::Deadline, false) => query
            .order_by(cases::stage_due_at.is_null().asc())
            .then_order_by(cases::stage_due_at.desc()),
    };
    let rows: Vec<(CaseRow, UnitRow, ProgrammeRow, String)> = query
        .then_order_by(cases::id.asc())
        .offset(window.offset)
        .limit(window.limit)
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(case, unit, programme, organisation)| ((case, unit, programme), organisation))
        .collect();
    Ok(CaseListPage {
        rows,
        total,
        window,
    })
}

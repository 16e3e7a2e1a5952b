//! The unit list of the pages (`/admin/units`): every unit the person may see with
//! its organisation and its live case, searched by unit or organisation name,
//! filtered by organisation, sorted and paged in SQL, with the total counted.

use diesel::prelude::*;

use super::listing::{either_contains, folded, ordered, Order, Page, Window};
use super::rows::UnitRow;
use super::schema::{cases, organisations, units};
use super::DbConnection;
use crate::domain::policy::Visibility;

/// What the unit list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitSort {
    Unit,
    Organisation,
    Headcount,
}

/// What the unit list shows.
#[derive(Debug, Clone)]
pub struct UnitListFilter {
    pub visibility: Visibility,
    /// Words in the unit's or the organisation's name (any case).
    pub search: Option<String>,
    pub organisation_id: Option<String>,
}

/// One unit of a list: the unit, its organisation's name, and its live case's id
/// and stage (a unit has one at most).
pub type UnitListRow = (UnitRow, String, Option<String>, Option<String>);

/// The joins and every condition of `filter`, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &UnitListFilter = $filter;
        let mut query = units::table
            .inner_join(organisations::table)
            .left_join(
                cases::table.on(cases::unit_id
                    .eq(units::id)
                    .and(cases::live_key.is_not_null())),
            )
            .select($select)
            .into_boxed();
        match &filter.visibility {
            Visibility::Everything => {}
            Visibility::Organisation(org) => {
                query = query.filter(units::organisation_id.eq(org.clone()))
            }
            Visibility::Unit { unit_id, .. } => query = query.filter(units::id.eq(unit_id.clone())),
            // No row has an empty id: the list is empty.
            Visibility::Nothing => query = query.filter(units::id.eq("")),
        }
        if let Some(term) = &filter.search {
            query = query.filter(either_contains("units.name", "organisations.name", term));
        }
        if let Some(org) = &filter.organisation_id {
            query = query.filter(units::organisation_id.eq(org.clone()));
        }
        query
    }};
}

/// Page `order.page` of `per_page` units matching `filter`, ordered by `order.sort`,
/// then by unit name and id; a page past the end gives the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &UnitListFilter,
    order: Order<UnitSort>,
    per_page: i64,
) -> QueryResult<Page<UnitListRow>> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(order.page, per_page, total);
    let key = match order.sort {
        UnitSort::Unit => folded("units.name"),
        UnitSort::Organisation => folded("organisations.name"),
        UnitSort::Headcount => "units.headcount".to_string(),
    };
    let rows = filtered!(
        filter,
        (
            UnitRow::as_select(),
            organisations::name,
            cases::id.nullable(),
            cases::stage.nullable(),
        )
    )
    .order_by(ordered(&key, order.ascending))
    .then_order_by(ordered(&folded("units.name"), true))
    .then_order_by(units::id.asc())
    .offset(window.offset)
    .limit(window.limit)
    .load(conn)?;
    Ok(Page {
        rows,
        total,
        window,
    })
}

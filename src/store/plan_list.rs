//! The plan list of the pages (`/plans`): the plans a person may see, searched by
//! title, filtered by organisation and by period (running, ahead, ended), sorted and
//! paged in SQL, with the total counted.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::listing::{contains, folded, ordered, Order, Page, Window};
use super::plans::PlanRow;
use super::schema::{organisations, plan_actions, plans};
use super::DbConnection;

/// Which plans a person sees.
#[derive(Debug, Clone)]
pub enum PlanScope {
    Everything,
    /// The plans of one organisation (its coordinators).
    Organisation(String),
    /// The plans of `organisation_id` with an action the person is responsible for
    /// or coordinates (a unit's contact).
    Person {
        user_id: String,
        organisation_id: String,
    },
    Nothing,
}

/// Where a plan's period is, seen from a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The day is within the period.
    Running,
    /// The period starts after the day.
    Ahead,
    /// The period ended before the day.
    Ended,
}

/// What the plan list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanSort {
    /// The period's start.
    Period,
    Title,
    Organisation,
}

/// What the plan list shows.
#[derive(Debug, Clone)]
pub struct PlanListFilter {
    pub scope: PlanScope,
    /// Words in the title (any case).
    pub search: Option<String>,
    pub organisation_id: Option<String>,
    /// The period as of `today`.
    pub period: Option<Period>,
    pub today: NaiveDate,
}

/// The join and every condition of `filter`, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &PlanListFilter = $filter;
        let mut query = plans::table
            .inner_join(organisations::table.on(organisations::id.eq(plans::organisation_id)))
            .select($select)
            .into_boxed();
        match &filter.scope {
            PlanScope::Everything => {}
            PlanScope::Organisation(org) => {
                query = query.filter(plans::organisation_id.eq(org.clone()))
            }
            PlanScope::Person {
                user_id,
                organisation_id,
            } => {
                let theirs = plan_actions::table
                    .filter(
                        plan_actions::responsible_id
                            .eq(user_id.clone())
                            .or(plan_actions::coordinator_id.eq(user_id.clone())),
                    )
                    .select(plan_actions::plan_id);
                query = query
                    .filter(plans::organisation_id.eq(organisation_id.clone()))
                    .filter(plans::id.eq_any(theirs))
            }
            // No row has an empty id: the list is empty.
            PlanScope::Nothing => query = query.filter(plans::id.eq("")),
        }
        if let Some(term) = &filter.search {
            query = query.filter(contains("plans.title", term));
        }
        if let Some(org) = &filter.organisation_id {
            query = query.filter(plans::organisation_id.eq(org.clone()));
        }
        let today = filter.today;
        match filter.period {
            Some(Period::Running) => {
                query = query.filter(
                    plans::period_start
                        .le(today)
                        .and(plans::period_end.ge(today)),
                )
            }
            Some(Period::Ahead) => query = query.filter(plans::period_start.gt(today)),
            Some(Period::Ended) => query = query.filter(plans::period_end.lt(today)),
            None => {}
        }
        query
    }};
}

/// Page `order.page` of `per_page` plans matching `filter`, ordered by `order.sort`,
/// then by title and id; a page past the end gives the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &PlanListFilter,
    order: Order<PlanSort>,
    per_page: i64,
) -> QueryResult<Page<(PlanRow, String)>> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(order.page, per_page, total);
    let key = match order.sort {
        PlanSort::Period => "plans.period_start".to_string(),
        PlanSort::Title => folded("plans.title"),
        PlanSort::Organisation => folded("organisations.name"),
    };
    let rows = filtered!(filter, (PlanRow::as_select(), organisations::name))
        .order_by(ordered(&key, order.ascending))
        .then_order_by(ordered(&folded("plans.title"), true))
        .then_order_by(plans::id.asc())
        .offset(window.offset)
        .limit(window.limit)
        .load(conn)?;
    Ok(Page {
        rows,
        total,
        window,
    })
}

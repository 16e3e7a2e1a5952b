//! The event list of the pages (`/events`): searched by title, filtered by kind and
//! by whether the event is ahead or over, sorted and paged in SQL, with the total
//! counted. Which events a member sees is decided by the app (an event's audience
//! may be a cohort's organisations) and arrives here as ids.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamp};

use super::listing::{contains, folded, ordered, Order, Page, Window};
use super::open_events::EventRow;
use super::schema::open_events;
use super::DbConnection;

/// What the event list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSort {
    /// Those ahead first, soonest first, then those over, the latest first.
    Soonest,
    /// By start.
    Start,
    Title,
}

/// What the event list shows.
#[derive(Debug, Clone)]
pub struct EventListFilter {
    /// The events the person may see, when not every one.
    pub only: Option<Vec<String>>,
    /// Words in the title (any case).
    pub search: Option<String>,
    /// The kind, e.g. `learning_meeting`.
    pub kind: Option<String>,
    /// Ahead (`true`: not ended at `now`) or over (`false`).
    pub ahead: Option<bool>,
    pub now: NaiveDateTime,
}

/// Every condition of `filter`, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &EventListFilter = $filter;
        let mut query = open_events::table.select($select).into_boxed();
        if let Some(ids) = &filter.only {
            query = query.filter(open_events::id.eq_any(ids.clone()));
        }
        if let Some(term) = &filter.search {
            query = query.filter(contains("open_events.title", term));
        }
        if let Some(kind) = &filter.kind {
            query = query.filter(open_events::kind.eq(kind.clone()));
        }
        match filter.ahead {
            Some(true) => query = query.filter(open_events::ends_at.gt(filter.now)),
            Some(false) => query = query.filter(open_events::ends_at.le(filter.now)),
            None => {}
        }
        query
    }};
}

/// Page `order.page` of `per_page` events matching `filter`, ordered by `order.sort`
/// (the direction does not turn `Soonest` round), then by id; a page past the end gives
/// the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &EventListFilter,
    order: Order<EventSort>,
    per_page: i64,
) -> QueryResult<Page<EventRow>> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(order.page, per_page, total);
    let query = filtered!(filter, EventRow::as_select());
    let query = match order.sort {
        EventSort::Soonest => query
            .order_by(
                sql::<Integer>("CASE WHEN open_events.ends_at > ")
                    .bind::<Timestamp, _>(filter.now)
                    .sql(" THEN 0 ELSE 1 END ASC"),
            )
            .then_order_by(
                sql::<Integer>("CASE WHEN open_events.ends_at > ")
                    .bind::<Timestamp, _>(filter.now)
                    .sql(" THEN open_events.starts_at END ASC"),
            )
            .then_order_by(open_events::starts_at.desc()),
        EventSort::Start => query.order_by(ordered("open_events.starts_at", order.ascending)),
        EventSort::Title => query
            .order_by(ordered(&folded("open_events.title"), order.ascending))
            .then_order_by(open_events::starts_at.asc()),
    };
    let rows = query
        .then_order_by(open_events::id.asc())
        .offset(window.offset)
        .limit(window.limit)
        .load(conn)?;
    Ok(Page {
        rows,
        total,
        window,
    })
}

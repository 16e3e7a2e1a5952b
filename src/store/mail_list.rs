//! The dead mail list of the pages (`/admin/mail`): searched by recipient or
//! subject, filtered by kind, sorted and paged in SQL, with the total counted.

use diesel::prelude::*;

use super::listing::{either_contains, folded, ordered, Order, Page, Window};
use super::outbox::DEAD;
use super::rows::OutboxRow;
use super::schema::outbox;
use super::DbConnection;

/// What the dead mail list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailSort {
    /// When the mail was made.
    Date,
    Recipient,
}

/// What the dead mail list shows.
#[derive(Debug, Clone, Default)]
pub struct MailListFilter {
    /// Words in the recipient's address or the subject (any case).
    pub search: Option<String>,
    /// The mail's kind, e.g. `session_scheduled`.
    pub kind: Option<String>,
}

/// Every condition of `filter` on the dead mail, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &MailListFilter = $filter;
        let mut query = outbox::table
            .filter(outbox::status.eq(DEAD))
            .select($select)
            .into_boxed();
        if let Some(term) = &filter.search {
            query = query.filter(either_contains("outbox.recipient", "outbox.subject", term));
        }
        if let Some(kind) = &filter.kind {
            query = query.filter(outbox::kind.eq(kind.clone()));
        }
        query
    }};
}

/// Page `order.page` of `per_page` dead mails matching `filter`, ordered by
/// `order.sort`, then by id; a page past the end gives the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &MailListFilter,
    order: Order<MailSort>,
    per_page: i64,
) -> QueryResult<Page<OutboxRow>> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(order.page, per_page, total);
    let key = match order.sort {
        MailSort::Date => "outbox.created_at".to_string(),
        MailSort::Recipient => folded("outbox.recipient"),
    };
    let rows = filtered!(filter, OutboxRow::as_select())
        .order_by(ordered(&key, order.ascending))
        .then_order_by(outbox::id.asc())
        .offset(window.offset)
        .limit(window.limit)
        .load(conn)?;
    Ok(Page {
        rows,
        total,
        window,
    })
}

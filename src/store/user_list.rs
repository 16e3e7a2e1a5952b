//! The user list of the pages (`/admin/users`): searched by name or address,
//! filtered by role, organisation and whether the account is open, sorted and paged
//! in SQL, with the total counted.

use diesel::prelude::*;

use super::listing::{either_contains, folded, name_order, ordered, Order, Page, Window};
use super::rows::UserRow;
use super::schema::{organisations, users};
use super::DbConnection;
use crate::domain::Role;

/// What the user list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Name,
    Email,
    /// In the order of `Role::ALL`.
    Role,
    /// The organisation's name; staff without one come first ascending.
    Organisation,
}

/// What the user list shows.
#[derive(Debug, Clone, Default)]
pub struct UserListFilter {
    /// Words in the name or the address (any case).
    pub search: Option<String>,
    pub role: Option<Role>,
    pub organisation_id: Option<String>,
    /// Open accounts only (`true`), closed only (`false`), or both.
    pub active: Option<bool>,
}

/// One user of a list with their organisation's name, if any.
pub type UserListRow = (UserRow, Option<String>);

/// The join and every condition of `filter`, boxed, selecting `$select`.
macro_rules! filtered {
    ($filter:expr, $select:expr) => {{
        let filter: &UserListFilter = $filter;
        let mut query = users::table
            .left_join(
                organisations::table.on(users::organisation_id.eq(organisations::id.nullable())),
            )
            .select($select)
            .into_boxed();
        if let Some(term) = &filter.search {
            query = query.filter(either_contains("users.name", "users.email", term));
        }
        if let Some(role) = filter.role {
            query = query.filter(users::role.eq(role.as_str()));
        }
        if let Some(org) = &filter.organisation_id {
            query = query.filter(users::organisation_id.eq(org.clone()));
        }
        if let Some(active) = filter.active {
            query = query.filter(users::active.eq(active));
        }
        query
    }};
}

/// `CASE role WHEN 'admin' THEN 0 …`: the roles in their order.
fn role_rank() -> String {
    let whens: String = Role::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| format!(" WHEN '{}' THEN {i}", r.as_str()))
        .collect();
    format!("CASE users.role{whens} ELSE 99 END")
}

/// Page `order.page` of `per_page` users matching `filter`, ordered by `order.sort`,
/// then by name and id; a page past the end gives the last page.
pub fn page(
    conn: &mut DbConnection,
    filter: &UserListFilter,
    order: Order<UserSort>,
    per_page: i64,
) -> QueryResult<Page<UserListRow>> {
    let total: i64 = filtered!(filter, diesel::dsl::count_star()).get_result(conn)?;
    let window = Window::clamp(order.page, per_page, total);
    let key = match order.sort {
        UserSort::Name => folded("users.name"),
        UserSort::Email => folded("users.email"),
        UserSort::Role => role_rank(),
        UserSort::Organisation => name_order("organisations.name"),
    };
    let rows = filtered!(
        filter,
        (UserRow::as_select(), organisations::name.nullable())
    )
    .order_by(ordered(&key, order.ascending))
    .then_order_by(ordered(&folded("users.name"), true))
    .then_order_by(users::id.asc())
    .offset(window.offset)
    .limit(window.limit)
    .load(conn)?;
    Ok(Page {
        rows,
        total,
        window,
    })
}

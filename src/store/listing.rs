//! What every searchable list shares: which slice of the rows a page shows (a page
//! past the end shows the last one), a search term as a LIKE pattern over one or two
//! names, and an order by a name or a number either way.

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::expression::SqlLiteral;
use diesel::sql_types::{Bool, Text};

use super::DbConnection;

/// The backend behind `DbConnection`, either database.
pub type Db = <DbConnection as diesel::Connection>::Backend;

/// A condition of a boxed list query, on either backend.
pub type Condition<QS> = Box<dyn BoxableExpression<QS, Db, SqlType = Bool>>;

/// Whether `term` is in the name in column `a` or in `b` (SQL), without case.
pub fn either_contains<QS>(a: &str, b: &str, term: &str) -> Condition<QS> {
    let pattern = contains_pattern(term);
    Box::new(
        sql::<Bool>("(")
            .sql(&folded(a))
            .sql(" LIKE ")
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\' OR ")
            .sql(&folded(b))
            .sql(" LIKE ")
            .bind::<Text, _>(pattern)
            .sql(" ESCAPE '\\')"),
    )
}

/// Whether `term` is in the text in column `column` (SQL), without case.
pub fn contains<QS>(column: &str, term: &str) -> Condition<QS> {
    Box::new(
        sql::<Bool>(&folded(column))
            .sql(" LIKE ")
            .bind::<Text, _>(contains_pattern(term))
            .sql(" ESCAPE '\\'"),
    )
}

/// An ORDER BY term: `expression` (SQL, written by the store, never by a user)
/// ascending or descending.
pub fn ordered(expression: &str, ascending: bool) -> SqlLiteral<Text> {
    let direction = if ascending { "ASC" } else { "DESC" };
    sql::<Text>(&format!("{expression} {direction}"))
}

/// `column`, a name, for ordering: without case, and an absent name as an empty one
/// (so that it sorts first ascending on both backends).
pub fn name_order(column: &str) -> String {
    folded(&format!("coalesce({column}, '')"))
}

/// `column` lower-cased alike on both backends, as SQL: SQLite's `lower` knows only
/// ASCII, so the Swedish capitals are lowered first by hand.
pub fn folded(column: &str) -> String {
    format!("lower(replace(replace(replace({column}, 'Å', 'å'), 'Ä', 'ä'), 'Ö', 'ö'))")
}

/// The order a list is asked for (its own sort key, either way) and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order<S> {
    pub sort: S,
    pub ascending: bool,
    /// 1-based; past the end reads as the last page.
    pub page: i64,
}

/// The rows of one page of a list, the total matching, and the window shown.
pub struct Page<R> {
    pub rows: Vec<R>,
    pub total: i64,
    pub window: Window,
}

/// The rows one page of a list shows, once the total is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The page shown, 1-based: the one asked for, or the last when it was past the end.
    pub page: i64,
    pub offset: i64,
    pub limit: i64,
}

impl Window {
    /// The window of page `asked` of `per_page` rows over `total` rows.
    pub fn clamp(asked: i64, per_page: i64, total: i64) -> Window {
        let per_page = per_page.max(1);
        let last = ((total + per_page - 1) / per_page).max(1);
        let page = asked.clamp(1, last);
        Window {
            page,
            offset: (page - 1) * per_page,
            limit: per_page,
        }
    }
}

/// A case-insensitive "contains" pattern for `folded(column) LIKE … ESCAPE '\'`: the
/// term lower-cased, with `%`, `_` and `\` taken literally.
pub fn contains_pattern(term: &str) -> String {
    let mut out = String::from("%");
    for c in term.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_the_end_shows_the_last_page() {
        assert_eq!(
            Window::clamp(9, 20, 41),
            Window {
                page: 3,
                offset: 40,
                limit: 20
            }
        );
    }

    #[test]
    fn an_empty_list_has_one_empty_page() {
        assert_eq!(Window::clamp(4, 20, 0).page, 1);
        assert_eq!(Window::clamp(0, 20, 0).offset, 0);
    }

    #[test]
    fn wildcards_in_a_search_are_taken_literally() {
        assert_eq!(contains_pattern("Barn_%\\Å"), "%barn\\_\\%\\\\å%");
    }
}

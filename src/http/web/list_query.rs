//! The lists' shared query string: a search (`q`), filters, `sort`, `dir` and `page`,
//! read with bounds so that nothing is refused (an unknown sort or direction is the
//! default, a bad page the first, a page past the end the last, a value that is not
//! one of a filter's choices is dropped), and what a list page renders from it:
//! sortable column heads (`aria-sort`), the pager ("Visar 21–40 av 153"), the filter
//! selects and the "Rensa" link. Every link keeps the other parameters.

use serde::Serialize;

use crate::domain::Language;
use crate::http::web::i18n::text;

/// The longest search or filter value read; the rest is cut off.
const MAX_VALUE: usize = 100;
/// The highest page number read (a larger one shows the last page anyway).
const MAX_PAGE: i64 = 1_000_000;

/// What one list accepts in its query string.
pub struct ListSpec {
    /// The list's path, which every link of it starts with.
    pub path: &'static str,
    /// The sort keys, the first being the default.
    pub sorts: &'static [&'static str],
    /// Whether the default sort is ascending.
    pub ascending: bool,
    /// The filter parameters the list reads.
    pub filters: &'static [&'static str],
    /// Filters that choose a view of the list (a tab) rather than narrow it: "Rensa"
    /// keeps them and the filter form sends them unseen.
    pub sticky: &'static [&'static str],
}

/// A list's parameters as read from the URL.
#[derive(Debug, Clone)]
pub struct ListQuery {
    path: &'static str,
    default_sort: &'static str,
    default_ascending: bool,
    sticky: &'static [&'static str],
    pub q: Option<String>,
    pub sort: &'static str,
    pub ascending: bool,
    pub page: i64,
    filters: Vec<(&'static str, String)>,
}

/// A value as the list uses it: no control characters, trimmed, bounded, or none.
fn cleaned(value: &str) -> Option<String> {
    let value: String = value
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_VALUE)
        .collect();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

impl ListQuery {
    /// Reads `query_string` (a malformed one reads as empty: the defaults).
    pub fn parse(spec: &ListSpec, query_string: &str) -> ListQuery {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query_string).unwrap_or_default();
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| cleaned(v))
        };
        let default_sort = spec.sorts.first().copied().unwrap_or("");
        let sort = get("sort")
            .and_then(|s| spec.sorts.iter().copied().find(|known| *known == s))
            .unwrap_or(default_sort);
        let ascending = match get("dir").as_deref() {
            Some("asc") => true,
            Some("desc") => false,
            _ => spec.ascending,
        };
        let page = get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .map_or(1, |p| p.clamp(1, MAX_PAGE));
        let filters = spec
            .filters
            .iter()
            .filter_map(|key| get(key).map(|v| (*key, v)))
            .collect();
        ListQuery {
            path: spec.path,
            default_sort,
            default_ascending: spec.ascending,
            sticky: spec.sticky,
            q: get("q"),
            sort,
            ascending,
            page,
            filters,
        }
    }

    /// The filter's value, if one was given.
    pub fn filter(&self, key: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Drops a filter whose value is none of its choices, so that the page, its links
    /// and the query agree on what is shown.
    pub fn keep_only_known(&mut self, key: &str, known: impl Fn(&str) -> bool) {
        self.filters.retain(|(k, v)| *k != key || known(v.as_str()));
    }

    /// Whether a search or a filter narrows the list.
    pub fn narrowed(&self) -> bool {
        self.q.is_some() || self.filters.iter().any(|(k, _)| !self.sticky.contains(k))
    }

    /// The sticky filters given.
    fn sticky_pairs(&self) -> Vec<(&'static str, String)> {
        self.filters
            .iter()
            .filter(|(k, _)| self.sticky.contains(k))
            .cloned()
            .collect()
    }

    /// The list's link with these parameters, on `page`, in this order.
    fn href(&self, sort: &str, ascending: bool, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        pairs.extend(self.filters.iter().map(|(k, v)| (*k, v.clone())));
        if sort != self.default_sort || ascending != self.default_ascending {
            pairs.push(("sort", sort.to_string()));
            pairs.push(("dir", if ascending { "asc" } else { "desc" }.into()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        match serde_urlencoded::to_string(&pairs) {
            Ok(query) if !query.is_empty() => format!("{}?{query}", self.path),
            _ => self.path.to_string(),
        }
    }

    /// This list on another page, with everything else kept.
    pub fn page_href(&self, page: i64) -> String {
        self.href(self.sort, self.ascending, page)
    }

    /// The column heads of a table; `(sort key or "", label)`. A sortable head links
    /// to its sort (the other direction when it is the sort already), back to page 1.
    pub fn heads(&self, columns: Vec<(&str, String)>) -> Vec<ColumnHead> {
        columns
            .into_iter()
            .map(|(key, label)| {
                if key.is_empty() {
                    return ColumnHead {
                        label,
                        href: None,
                        aria_sort: None,
                        arrow: "",
                    };
                }
                let sorted = key == self.sort;
                let next_ascending = if sorted { !self.ascending } else { true };
                ColumnHead {
                    label,
                    href: Some(self.href(key, next_ascending, 1)),
                    aria_sort: sorted.then_some(if self.ascending {
                        "ascending"
                    } else {
                        "descending"
                    }),
                    arrow: match (sorted, self.ascending) {
                        (false, _) => "",
                        (true, true) => "▲",
                        (true, false) => "▼",
                    },
                }
            })
            .collect()
    }

    /// The pager under a list of `total` rows, `per_page` a page, showing `page`.
    pub fn pager(&self, lang: Language, total: i64, page: i64, per_page: i64) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let from = if total == 0 {
            0
        } else {
            (page - 1) * per_page + 1
        };
        let to = (page * per_page).min(total);
        let n = |v: i64| v.to_string();
        Pager {
            showing: text(
                lang,
                "list.showing",
                &[("from", n(from)), ("to", n(to)), ("total", n(total))],
            ),
            page_of: text(
                lang,
                "list.page_of",
                &[("page", n(page)), ("pages", n(pages))],
            ),
            previous: (page > 1).then(|| self.page_href(page - 1)),
            next: (page < pages).then(|| self.page_href(page + 1)),
            many: pages > 1,
        }
    }

    /// The hidden fields a filter form carries so that sending it keeps the order.
    pub fn kept_order(&self) -> Vec<(&'static str, String)> {
        let mut kept = self.sticky_pairs();
        if self.sort != self.default_sort || self.ascending != self.default_ascending {
            kept.push(("sort", self.sort.to_string()));
            kept.push(("dir", if self.ascending { "asc" } else { "desc" }.into()));
        }
        kept
    }

    /// The list without search, filters or order (its sticky filters kept): "Rensa".
    pub fn clear_href(&self) -> String {
        match serde_urlencoded::to_string(self.sticky_pairs()) {
            Ok(query) if !query.is_empty() => format!("{}?{query}", self.path),
            _ => self.path.to_string(),
        }
    }
}

/// A column head of a list's table.
#[derive(Debug, Serialize)]
pub struct ColumnHead {
    pub label: String,
    pub href: Option<String>,
    pub aria_sort: Option<&'static str>,
    /// Shown beside the sorted column's label, hidden from screen readers.
    pub arrow: &'static str,
}

/// Where in the list the page is, and the links to the pages around it.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub showing: String,
    pub page_of: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// More than one page: the links are shown.
    pub many: bool,
}

/// One option of a filter's select.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The label is a name (an organisation, a programme), marked `translate="no"`.
    pub name: bool,
}

/// A filter's options: "Alla" first, then `options` (value, label).
pub fn choices(
    lang: Language,
    options: Vec<(String, String)>,
    current: Option<&str>,
) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: text(lang, "list.any", &[]),
        selected: current.is_none(),
        name: false,
    }];
    out.extend(options.into_iter().map(|(value, label)| Choice {
        selected: current == Some(value.as_str()),
        value,
        label,
        name: false,
    }));
    out
}

/// The search form, filters, order kept and "Rensa" link of a list page.
#[derive(Debug, Serialize)]
pub struct ListControls {
    pub action: &'static str,
    pub q: String,
    pub search_label: String,
    pub selects: Vec<FilterSelect>,
    pub hidden: Vec<HiddenField>,
    pub clear: Option<String>,
    pub heads: Vec<ColumnHead>,
    pub pager: Pager,
}

/// A filter as a labelled select.
#[derive(Debug, Serialize)]
pub struct FilterSelect {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

/// A parameter the filter form sends unseen.
#[derive(Debug, Serialize)]
pub struct HiddenField {
    pub name: &'static str,
    pub value: String,
}

/// A list page's rows and the controls around them.
#[derive(Debug, Serialize)]
pub struct ListView<R> {
    pub rows: Vec<R>,
    pub list: ListControls,
    /// Nothing at all to show, before any search.
    pub empty: bool,
    /// A search or filter matched nothing.
    pub no_match: bool,
}

/// What a list page shows of its list: the rows, then (total, page, per page).
pub type Shown<R> = (Vec<R>, (i64, i64, i64));

impl ListQuery {
    /// The rows of a page and everything the list partials render around them.
    pub fn view<R>(
        &self,
        lang: Language,
        search_label: String,
        selects: Vec<FilterSelect>,
        columns: Vec<(&str, String)>,
        (rows, counts): Shown<R>,
    ) -> ListView<R> {
        let total = counts.0;
        ListView {
            rows,
            list: self.controls(lang, search_label, selects, columns, counts),
            empty: total == 0 && !self.narrowed(),
            no_match: total == 0 && self.narrowed(),
        }
    }

    /// Everything the list partials render, for a list of `total` rows showing `page`.
    pub fn controls(
        &self,
        lang: Language,
        search_label: String,
        selects: Vec<FilterSelect>,
        columns: Vec<(&str, String)>,
        (total, page, per_page): (i64, i64, i64),
    ) -> ListControls {
        ListControls {
            action: self.path,
            q: self.q.clone().unwrap_or_default(),
            search_label,
            selects,
            hidden: self
                .kept_order()
                .into_iter()
                .map(|(name, value)| HiddenField { name, value })
                .collect(),
            clear: self.narrowed().then(|| self.clear_href()),
            heads: self.heads(columns),
            pager: self.pager(lang, total, page, per_page),
        }
    }

    /// A filter's select whose options are names, its current value chosen.
    pub fn name_select(
        &self,
        lang: Language,
        name: &'static str,
        label: String,
        options: Vec<(String, String)>,
    ) -> FilterSelect {
        let mut select = self.select(lang, name, label, options);
        for choice in select.choices.iter_mut().skip(1) {
            choice.name = true;
        }
        select
    }

    /// A filter's select, its current value chosen.
    pub fn select(
        &self,
        lang: Language,
        name: &'static str,
        label: String,
        options: Vec<(String, String)>,
    ) -> FilterSelect {
        FilterSelect {
            name,
            id: format!("list-{name}"),
            label,
            choices: choices(lang, options, self.filter(name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: ListSpec = ListSpec {
        path: "/cases",
        sorts: &["unit", "updated"],
        ascending: true,
        filters: &["stage"],
        sticky: &[],
    };

    #[test]
    fn unknown_or_bad_parameters_read_as_the_defaults() {
        let q = ListQuery::parse(&SPEC, "sort=nope&dir=sideways&page=-4&stage=&x=1&q=%20");
        assert_eq!((q.sort, q.ascending, q.page), ("unit", true, 1));
        assert_eq!((q.q.as_deref(), q.filter("stage")), (None, None));
        let q = ListQuery::parse(&SPEC, "page=abc%ZZ");
        assert_eq!(q.page, 1);
    }

    #[test]
    fn links_keep_the_search_filters_and_order() {
        let q = ListQuery::parse(&SPEC, "q=barn&stage=audit&sort=updated&dir=desc&page=2");
        assert_eq!(
            q.page_href(3),
            "/cases?q=barn&stage=audit&sort=updated&dir=desc&page=3"
        );
        let heads = q.heads(vec![("updated", "U".into()), ("unit", "E".into())]);
        assert_eq!(heads[0].aria_sort, Some("descending"));
        assert_eq!(
            heads[0].href.as_deref(),
            Some("/cases?q=barn&stage=audit&sort=updated&dir=asc")
        );
        assert_eq!(heads[1].aria_sort, None);
        assert_eq!(heads[1].href.as_deref(), Some("/cases?q=barn&stage=audit"));
    }

    #[test]
    fn the_pager_counts_from_one_and_links_only_to_pages_that_exist() {
        let q = ListQuery::parse(&SPEC, "page=2");
        let pager = q.pager(Language::Sv, 153, 2, 20);
        assert_eq!(pager.showing, "Visar 21–40 av 153");
        assert_eq!(pager.previous.as_deref(), Some("/cases"));
        assert_eq!(pager.next.as_deref(), Some("/cases?page=3"));
        let last = q.pager(Language::En, 153, 8, 20);
        assert_eq!(last.showing, "Showing 141–153 of 153");
        assert_eq!(last.next, None);
    }
}

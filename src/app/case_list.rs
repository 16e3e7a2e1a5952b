//! The case lists of the pages: whose cases a list holds (the consultant's own, the
//! auditor's awaiting or decided), as far as the person may see, searched, filtered,
//! sorted and paged by the store.

use super::case_views::{self, Case};
use super::error::AppError;
use super::AppState;
use crate::domain::policy::{own_cases, visibility};
use crate::domain::{Actor, Stage, Status};
use crate::store::case_list::{self, CaseListFilter};
pub use crate::store::case_list::{AuditTab, CaseSort};

/// How many cases a page of a list shows.
pub const PER_PAGE: i64 = 20;

/// Which cases a list is about, before the person's own narrowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case the person may see (a consultant: the cases they run).
    Cases,
    /// The cases assigned to the person as auditor.
    Audits(AuditTab),
}

/// The search, filters, order and page asked for.
#[derive(Debug, Clone)]
pub struct CaseSearch {
    pub search: Option<String>,
    pub organisation_id: Option<String>,
    pub stage: Option<Stage>,
    pub status: Option<Status>,
    pub programme_key: Option<String>,
    pub sort: CaseSort,
    pub ascending: bool,
    pub page: i64,
}

/// A case of a list and the name of its organisation.
pub struct ListedCase {
    pub case: Case,
    pub organisation: String,
}

/// One page of a case list.
pub struct CaseList {
    pub items: Vec<ListedCase>,
    /// How many cases match in all.
    pub total: i64,
    /// The page shown (the last when the one asked for was past the end).
    pub page: i64,
}

/// One page of the cases in `scope` that `actor` may see and `search` matches.
pub fn search(
    state: &AppState,
    actor: &Actor,
    scope: CaseScope,
    search: CaseSearch,
) -> Result<CaseList, AppError> {
    let (consultant_id, auditor_id, audit) = match scope {
        CaseScope::Cases => (own_cases(actor).map(String::from), None, None),
        CaseScope::Audits(tab) => (None, Some(actor.id.clone()), Some(tab)),
    };
    let filter = CaseListFilter {
        visibility: visibility(actor),
        consultant_id,
        auditor_id,
        audit,
        search: search.search,
        organisation_id: search.organisation_id,
        stage: search.stage.map(|s| s.as_str().to_string()),
        status: search.status.map(|s| s.as_str().to_string()),
        programme_key: search.programme_key,
    };
    let mut conn = state.store.conn()?;
    let found = case_list::page(
        &mut conn,
        &filter,
        search.sort,
        search.ascending,
        search.page,
        PER_PAGE,
    )?;
    let (parts, organisations): (Vec<_>, Vec<_>) = found.rows.into_iter().unzip();
    let cases = case_views::build(&mut conn, parts, state)?;
    Ok(CaseList {
        items: cases
            .into_iter()
            .zip(organisations)
            .map(|(case, organisation)| ListedCase { case, organisation })
            .collect(),
        total: found.total,
        page: found.window.page,
    })
}

//! The case list (a consultant's cases, an admin's every case), and a case as a line
//! of the other pages' lists.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::case_lists::{self, CaseListView};
use crate::app::case_list::{self, CaseScope};
use crate::app::case_views::Case;
use crate::app::cases::{self, CaseQuery};
use crate::app::{AppState, PageRequest};
use crate::domain::policy::own_cases;
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::list_query::{ListQuery, ListSpec};
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, time, WebError};

/// One case in a list.
#[derive(Debug, Serialize)]
pub struct CaseItem {
    pub id: String,
    pub unit: String,
    pub stage: String,
    pub status: String,
    pub overdue: bool,
    pub due: Option<String>,
    pub progress: String,
}

/// A case as a line of a list.
pub fn item(lang: crate::domain::Language, case: &Case) -> CaseItem {
    let met = case.requirements.iter().filter(|r| r.met).count();
    CaseItem {
        id: case.id.clone(),
        unit: case.unit.name.clone(),
        stage: glossary::stage(lang, case.stage).to_string(),
        status: glossary::status(lang, case.status).to_string(),
        overdue: case.overdue,
        due: case.stage_due_at.map(time::day),
        // "0 of 0 requirements met" says nothing: a step without any says so.
        progress: match case.requirements.len() {
            0 => text(lang, "cases.no_requirements", &[]),
            total => text(
                lang,
                "cases.requirements_met",
                &[("met", met.to_string()), ("total", total.to_string())],
            ),
        },
    }
}

/// Every case matching `query`, following the pages of the service's list.
pub fn all_cases(
    state: &AppState,
    actor: &crate::domain::Actor,
    query: CaseQuery,
) -> Result<Vec<Case>, crate::app::error::AppError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = cases::list(
            state,
            actor,
            query.clone(),
            PageRequest { limit: 200, cursor },
        )?;
        out.extend(page.items);
        match page.next_cursor {
            Some(next) if out.len() < 5000 => cursor = Some(next),
            _ => return Ok(out),
        }
    }
}

/// `/cases`: searched by unit or organisation, filtered by stage, status,
/// organisation and programme, sorted and paged (see `list_query`).
pub const CASES: ListSpec = ListSpec {
    path: "/cases",
    sorts: case_lists::SORTS,
    ascending: true,
    filters: &["stage", "status", "organisation", "programme"],
    sticky: &[],
};

#[derive(Serialize)]
struct CasesPage {
    heading: String,
    #[serde(flatten)]
    list: CaseListView,
}

/// `/cases`: a consultant's own cases, an admin's all, a coordinator's her
/// organisation's.
pub async fn my_cases(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let mut query = ListQuery::parse(&CASES, req.query_string());
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let options = blocking(lang, move || case_lists::filter_options(&s, &actor)).await?;
    let search = case_lists::case_search(&mut query, &options);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || {
        case_list::search(&s, &actor, CaseScope::Cases, search)
    })
    .await?;
    let names = ["stage", "status", "organisation", "programme"];
    let selects = case_lists::selects(lang, &query, &options, &names);
    let key = if own_cases(&viewer.actor).is_some() {
        "cases.title_mine"
    } else {
        "cases.title_all"
    };
    let heading = text(lang, key, &[]);
    let data = CasesPage {
        heading: heading.clone(),
        list: case_lists::view(lang, "/cases/", &query, selects, &found),
    };
    page(&state, &viewer, "cases", heading, StatusCode::OK, &data)
}

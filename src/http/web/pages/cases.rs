//! A consultant's cases (an admin's: every case), overdue first, grouped by stage.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::app::case_views::Case;
use crate::app::cases::{self, CaseQuery};
use crate::app::{AppState, PageRequest};
use crate::domain::policy::own_cases;
use crate::domain::Stage;
use crate::glossary;
use crate::http::web::i18n::text;
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

#[derive(Serialize)]
struct StageGroup {
    stage: String,
    heading_id: String,
    cases: Vec<CaseItem>,
}

#[derive(Serialize)]
struct CasesPage {
    heading: String,
    overdue: Vec<CaseItem>,
    groups: Vec<StageGroup>,
    empty: bool,
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

/// `/cases`.
pub async fn my_cases(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let own = own_cases(&viewer.actor).map(String::from);
    let query = CaseQuery {
        consultant_id: own.clone(),
        ..CaseQuery::default()
    };
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let mut found = blocking(lang, move || all_cases(&s, &actor, query)).await?;
    found.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    let overdue = found
        .iter()
        .filter(|c| c.overdue)
        .map(|c| item(lang, c))
        .collect();
    let groups = Stage::ALL
        .iter()
        .filter_map(|stage| {
            let cases: Vec<CaseItem> = found
                .iter()
                .filter(|c| c.stage == *stage && !c.overdue)
                .map(|c| item(lang, c))
                .collect();
            (!cases.is_empty()).then(|| StageGroup {
                stage: glossary::stage(lang, *stage).to_string(),
                heading_id: format!("stage-{}", stage.as_str()),
                cases,
            })
        })
        .collect();
    let key = if own.is_some() {
        "cases.title_mine"
    } else {
        "cases.title_all"
    };
    let heading = text(lang, key, &[]);
    let data = CasesPage {
        heading: heading.clone(),
        overdue,
        groups,
        empty: found.is_empty(),
    };
    page(&state, &viewer, "cases", heading, StatusCode::OK, &data)
}

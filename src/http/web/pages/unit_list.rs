//! `/admin/units`: every unit the person may see, with its organisation, headcount
//! and its live case's stage (a link to the case), searched, filtered by
//! organisation, sorted and paged (see `list_query`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::lists::{self, ListedUnit, Order, UnitSort};
use crate::app::{organisations, AppState};
use crate::glossary;
use crate::http::web::list_query::{ListQuery, ListSpec, ListView};
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, WebError};

/// `/admin/units`: searched by unit or organisation name, filtered by organisation.
pub const UNITS: ListSpec = ListSpec {
    path: "/admin/units",
    sorts: &["unit", "organisation", "headcount"],
    ascending: true,
    filters: &["organisation"],
    sticky: &[],
};

/// One unit as a row of the list.
#[derive(Serialize)]
struct UnitLine {
    href: String,
    name: String,
    organisation: String,
    headcount: i32,
    /// The live case's page and stage, in words.
    case_href: Option<String>,
    stage: Option<String>,
}

/// `GET /admin/units` (see `UNITS`).
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let mut query = ListQuery::parse(&UNITS, req.query_string());
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let orgs: Vec<(String, String)> =
        blocking(lang, move || organisations::list(&s, &actor, all()))
            .await?
            .items
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
    query.keep_only_known("organisation", |v| orgs.iter().any(|(id, _)| id == v));
    let sort = match query.sort {
        "organisation" => UnitSort::Organisation,
        "headcount" => UnitSort::Headcount,
        _ => UnitSort::Unit,
    };
    let order = Order {
        sort,
        ascending: query.ascending,
        page: query.page,
    };
    let asked = (
        query.q.clone(),
        query.filter("organisation").map(String::from),
    );
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || lists::units(&s, &actor, asked, order)).await?;
    let counts = found.counts();
    let rows = found
        .items
        .into_iter()
        .map(
            |ListedUnit {
                 unit,
                 organisation,
                 case,
             }| UnitLine {
                href: format!("/admin/organisations/{}", unit.organisation_id),
                name: unit.name,
                organisation,
                headcount: unit.headcount,
                case_href: case.as_ref().map(|(id, _)| format!("/cases/{id}")),
                stage: case.map(|(_, stage)| glossary::stage(lang, stage).to_string()),
            },
        )
        .collect();
    // A coordinator's one organisation is no choice.
    let selects = if orgs.len() > 1 {
        vec![query.name_select(lang, "organisation", t(lang, "col.organisation"), orgs)]
    } else {
        Vec::new()
    };
    let columns = vec![
        ("unit", t(lang, "col.unit")),
        ("organisation", t(lang, "col.organisation")),
        ("headcount", t(lang, "field.headcount")),
        ("", t(lang, "units.case_stage")),
    ];
    let data: ListView<UnitLine> = query.view(
        lang,
        t(lang, "cases.search"),
        selects,
        columns,
        (rows, counts),
    );
    page(
        &state,
        &viewer,
        "units",
        t(lang, "units.title"),
        StatusCode::OK,
        &data,
    )
}

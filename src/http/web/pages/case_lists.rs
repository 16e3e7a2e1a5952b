//! What the case lists (`/cases`, `/audits`) share: the filters and sorts they read
//! from the URL, the choices of their selects, and a case as a row with its
//! organisation.

use serde::Serialize;

use super::all;
use crate::app::case_list::{CaseList, CaseSearch, CaseSort, ListedCase, PER_PAGE};
use crate::app::error::AppError;
use crate::app::{organisations, programmes, AppState};
use crate::domain::{Actor, Language, Stage, Status};
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::list_query::{FilterSelect, ListControls, ListQuery};
use crate::http::web::time;

/// The sort keys of a case list, the default (deadline, soonest first) first.
pub const SORTS: &[&str] = &["deadline", "unit", "organisation", "stage", "updated"];

/// One case as a row of a list.
#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub href: String,
    pub unit: String,
    pub organisation: String,
    pub stage: String,
    pub status: String,
    pub overdue: bool,
    pub due: Option<String>,
    pub updated: String,
    pub progress: String,
}

fn row(lang: Language, link: &str, listed: &ListedCase) -> CaseRow {
    let case = &listed.case;
    let met = case.requirements.iter().filter(|r| r.met).count();
    CaseRow {
        href: format!("{link}{}", case.id),
        unit: case.unit.name.clone(),
        organisation: listed.organisation.clone(),
        stage: glossary::stage(lang, case.stage).to_string(),
        status: glossary::status(lang, case.status).to_string(),
        overdue: case.overdue,
        due: case.stage_due_at.map(time::show),
        updated: time::show(case.updated_at),
        progress: text(
            lang,
            "cases.requirements_met",
            &[
                ("met", met.to_string()),
                ("total", case.requirements.len().to_string()),
            ],
        ),
    }
}

/// The organisations (as far as the person may see) and programmes (by key, the
/// newest version's name) the filters offer.
pub struct FilterOptions {
    pub organisations: Vec<(String, String)>,
    pub programmes: Vec<(String, String)>,
}

/// Reads the filters' choices.
pub fn filter_options(state: &AppState, actor: &Actor) -> Result<FilterOptions, AppError> {
    let mut orgs: Vec<(String, String)> = organisations::list(state, actor, all())?
        .items
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    orgs.sort_by_key(|o| o.1.to_lowercase());
    let mut versions = programmes::list(state, all())?.items;
    versions.sort_by(|a, b| (&a.key, b.version).cmp(&(&b.key, a.version)));
    let mut progs: Vec<(String, String)> = Vec::new();
    for p in versions {
        if progs.last().map(|(k, _)| k) != Some(&p.key) {
            progs.push((p.key, p.name));
        }
    }
    progs.sort_by_key(|p| p.1.to_lowercase());
    Ok(FilterOptions {
        organisations: orgs,
        programmes: progs,
    })
}

/// Drops the filters whose value is not one of their choices, then reads the search.
pub fn case_search(query: &mut ListQuery, options: &FilterOptions) -> CaseSearch {
    query.keep_only_known("stage", |v| Stage::parse(v).is_some());
    query.keep_only_known("status", |v| Status::parse(v).is_some());
    query.keep_only_known("organisation", |v| {
        options.organisations.iter().any(|(id, _)| id == v)
    });
    query.keep_only_known("programme", |v| {
        options.programmes.iter().any(|(key, _)| key == v)
    });
    let sort = match query.sort {
        "unit" => CaseSort::Unit,
        "organisation" => CaseSort::Organisation,
        "stage" => CaseSort::Stage,
        "updated" => CaseSort::Updated,
        _ => CaseSort::Deadline,
    };
    CaseSearch {
        search: query.q.clone(),
        organisation_id: query.filter("organisation").map(String::from),
        stage: query.filter("stage").and_then(Stage::parse),
        status: query.filter("status").and_then(Status::parse),
        programme_key: query.filter("programme").map(String::from),
        sort,
        ascending: query.ascending,
        page: query.page,
    }
}

/// A list's selects among `names` (`stage`, `status`, `organisation`, `programme`).
pub fn selects(
    lang: Language,
    query: &ListQuery,
    options: &FilterOptions,
    names: &[&'static str],
) -> Vec<FilterSelect> {
    names
        .iter()
        .filter_map(|name| {
            let (label, choices, names): (&str, Vec<(String, String)>, bool) = match *name {
                "stage" => (
                    "col.stage",
                    Stage::ALL
                        .iter()
                        .map(|s| (s.as_str().into(), glossary::stage(lang, *s).into()))
                        .collect(),
                    false,
                ),
                "status" => (
                    "col.status",
                    Status::ALL
                        .iter()
                        .map(|s| (s.as_str().into(), glossary::status(lang, *s).into()))
                        .collect(),
                    false,
                ),
                // A coordinator's one organisation is no choice.
                "organisation" if options.organisations.len() > 1 => {
                    ("col.organisation", options.organisations.clone(), true)
                }
                "programme" if options.programmes.len() > 1 => {
                    ("col.programme", options.programmes.clone(), true)
                }
                _ => return None,
            };
            let label = text(lang, label, &[]);
            Some(if names {
                query.name_select(lang, name, label, choices)
            } else {
                query.select(lang, name, label, choices)
            })
        })
        .collect()
}

/// The rows and controls of a case list page.
#[derive(Serialize)]
pub struct CaseListView {
    pub cases: Vec<CaseRow>,
    pub list: ListControls,
    /// Nothing at all to show, before any search.
    pub empty: bool,
    /// A search or filter matched nothing.
    pub no_match: bool,
}

/// The page's data for `found`, each case linked to `link` and its id.
pub fn view(
    lang: Language,
    link: &str,
    query: &ListQuery,
    selects: Vec<FilterSelect>,
    found: &CaseList,
) -> CaseListView {
    let columns = vec![
        ("unit", text(lang, "col.unit", &[])),
        ("organisation", text(lang, "col.organisation", &[])),
        ("stage", text(lang, "col.stage", &[])),
        ("", text(lang, "col.status", &[])),
        ("deadline", text(lang, "col.due", &[])),
        ("updated", text(lang, "col.updated", &[])),
        ("", text(lang, "col.requirements", &[])),
    ];
    CaseListView {
        cases: found.items.iter().map(|c| row(lang, link, c)).collect(),
        list: query.controls(
            lang,
            text(lang, "cases.search", &[]),
            selects,
            columns,
            (found.total, found.page, PER_PAGE),
        ),
        empty: found.total == 0 && !query.narrowed(),
        no_match: found.total == 0 && query.narrowed(),
    }
}

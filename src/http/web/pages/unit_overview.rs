//! The coordinator's way in: every unit of the organisation, each with its case's
//! stage and status and what comes next, in words, linked to the case page. Shown on
//! the organisation's dashboard, which is the coordinator's start page.

use serde::Serialize;

use super::all;
use super::cases::all_cases;
use super::t;
use crate::app::case_views::Case;
use crate::app::cases::CaseQuery;
use crate::app::error::AppError;
use crate::app::organisations;
use crate::app::AppState;
use crate::domain::{Actor, Language, Stage, Status};
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::words;

/// One row: a unit and its case (none when the unit was never enrolled).
#[derive(Debug, Serialize)]
pub struct UnitLine {
    pub unit: String,
    pub case_href: Option<String>,
    pub stage: String,
    pub status: String,
    pub next: String,
}

/// What comes next for a case, in words: what its stage still misses, or what it
/// waits for.
pub fn next_step(lang: Language, case: &Case) -> String {
    match case.status {
        Status::Withdrawn | Status::Revoked | Status::Expired => t(lang, "next.ended"),
        Status::Paused => t(lang, "next.paused"),
        Status::Suspended => t(lang, "next.suspended"),
        Status::Active | Status::Certified => match case.stage {
            Stage::Certified => match &case.certificate {
                Some(c) => text(
                    lang,
                    "next.certified",
                    &[("until", c.valid_until.to_string())],
                ),
                None => t(lang, "next.awaiting_decision"),
            },
            Stage::Audit => t(lang, "next.audit"),
            _ => {
                let missing: Vec<String> = case
                    .requirements
                    .iter()
                    .filter(|r| !r.met)
                    .map(|r| words::requirement(lang, r))
                    .collect();
                if missing.is_empty() {
                    t(lang, "next.ready")
                } else {
                    text(lang, "next.missing", &[("missing", missing.join("; "))])
                }
            }
        },
    }
}

/// Every unit of the organisation with the cases that matter now: its live cases, or
/// else its newest case, or else a row saying it is not enrolled.
pub fn build(
    state: &AppState,
    actor: &Actor,
    lang: Language,
    organisation_id: &str,
) -> Result<Vec<UnitLine>, AppError> {
    let mut units = organisations::list_units(state, actor, Some(organisation_id), all())?.items;
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let query = CaseQuery {
        organisation_id: Some(organisation_id.to_string()),
        ..CaseQuery::default()
    };
    let mut cases = all_cases(state, actor, query)?;
    cases.sort_by_key(|c| (!c.status.is_live(), std::cmp::Reverse(c.created_at)));
    let mut lines = Vec::new();
    for unit in units {
        let of_unit: Vec<&Case> = cases.iter().filter(|c| c.unit.id == unit.id).collect();
        let live: Vec<&Case> = of_unit
            .iter()
            .copied()
            .filter(|c| c.status.is_live())
            .collect();
        let shown = if live.is_empty() {
            of_unit.into_iter().take(1).collect()
        } else {
            live
        };
        if shown.is_empty() {
            lines.push(UnitLine {
                unit: unit.name.clone(),
                case_href: None,
                stage: "–".into(),
                status: "–".into(),
                next: t(lang, "next.not_enrolled"),
            });
        }
        for case in shown {
            lines.push(UnitLine {
                unit: unit.name.clone(),
                case_href: Some(format!("/cases/{}", case.id)),
                stage: glossary::stage(lang, case.stage).to_string(),
                status: glossary::status(lang, case.status).to_string(),
                next: next_step(lang, case),
            });
        }
    }
    Ok(lines)
}

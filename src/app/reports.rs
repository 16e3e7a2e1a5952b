//! Reports: the pipeline at a glance and every visible case as CSV.

use std::collections::BTreeMap;

use chrono::Duration;
use serde::Serialize;
use utoipa::ToSchema;

use super::cases::{self, CaseQuery};
use super::csv::CsvWriter;
use super::{to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, visibility, Action, Target};
use crate::domain::{Actor, Stage};
use crate::store::organisations;
use crate::store::reports::{self, Scope};

/// Where the caller's organisations stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pipeline {
    /// Live cases (active, paused, certified, suspended) in each of the six stages.
    #[schema(value_type = BTreeMap<String, i64>)]
    pub stages: BTreeMap<Stage, i64>,
    /// Active cases past their stage deadline.
    pub overdue: i64,
    /// Cases holding a valid certificate (status certified).
    pub certified: i64,
    /// Valid certificates whose last day is within 90 days.
    pub expiring_90d: i64,
}

/// Checks the caller may read reports, and of `organisation_id` when one is named.
fn scope(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<&str>,
) -> Result<Scope, AppError> {
    authorize(actor, Action::ReadReports, &Target::DEPLOYMENT)?;
    if let Some(org) = organisation_id {
        let mut conn = state.store.conn()?;
        organisations::by_id(&mut conn, org)?.ok_or(AppError::NotFound)?;
        authorize(
            actor,
            Action::ReadReports,
            &Target {
                organisation_id: Some(org),
                ..Target::default()
            },
        )?;
    }
    Ok(Scope {
        visibility: visibility(actor),
        organisation_id: organisation_id.map(String::from),
    })
}

pub fn pipeline(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<&str>,
) -> Result<Pipeline, AppError> {
    let scope = scope(state, actor, organisation_id)?;
    let now = state.now();
    let today = now.date_naive();
    let mut conn = state.store.conn()?;
    let mut stages: BTreeMap<Stage, i64> = Stage::ALL.into_iter().map(|s| (s, 0)).collect();
    for (stage, count) in reports::live_by_stage(&mut conn, &scope)? {
        stages.insert(crate::store::word(stage)?, count);
    }
    let certified = reports::by_status(&mut conn, &scope)?
        .into_iter()
        .find(|(status, _)| status == "certified")
        .map_or(0, |(_, n)| n);
    Ok(Pipeline {
        stages,
        overdue: reports::overdue(&mut conn, &scope, to_db(now))?,
        certified,
        expiring_90d: reports::expiring(&mut conn, &scope, today, today + Duration::days(90))?,
    })
}

/// Every case the caller may see, one row each: UTF-8 with a byte-order mark and `;`
/// between fields, as Excel in a Swedish locale opens it with å, ä and ö intact, and
/// no cell that a spreadsheet would run as a formula (`app::csv`).
pub fn cases_csv(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<&str>,
) -> Result<String, AppError> {
    scope(state, actor, organisation_id)?;
    let mut out = CsvWriter::new();
    out.row([
        "case_id",
        "organisation_id",
        "unit_id",
        "unit",
        "headcount",
        "programme",
        "programme_version",
        "stage",
        "status",
        "cycle",
        "stage_entered_at",
        "stage_due_at",
        "overdue",
        "certificate_number",
        "certificate_status",
        "certificate_valid_until",
    ]);
    let mut cursor = None;
    loop {
        let page = cases::list(
            state,
            actor,
            CaseQuery {
                organisation_id: organisation_id.map(String::from),
                ..CaseQuery::default()
            },
            PageRequest { limit: 200, cursor },
        )?;
        for case in &page.items {
            let certificate = case.certificate.as_ref();
            let row = [
                case.id.clone(),
                case.unit.organisation_id.clone(),
                case.unit.id.clone(),
                case.unit.name.clone(),
                case.unit.headcount.to_string(),
                case.programme.key.clone(),
                case.programme.version.to_string(),
                case.stage.as_str().to_string(),
                case.status.as_str().to_string(),
                case.cycle.to_string(),
                case.stage_entered_at.to_rfc3339(),
                case.stage_due_at
                    .map(|d| d.to_rfc3339())
                    .unwrap_or_default(),
                case.overdue.to_string(),
                certificate.map(|c| c.number.clone()).unwrap_or_default(),
                certificate
                    .map(|c| c.status.as_str().to_string())
                    .unwrap_or_default(),
                certificate
                    .map(|c| c.valid_until.to_string())
                    .unwrap_or_default(),
            ];
            out.row(row);
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out.finish()),
        }
    }
}

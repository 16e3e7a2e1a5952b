//! An organisation at a glance: cases per stage, overdue cases, expiring
//! certificates, median days per stage, and every case for a spreadsheet.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::views::Organisation;
use super::{from_db, to_db, AppState};
use crate::app::error::AppError;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{is_overdue, Actor, Stage, Status};
use crate::store::{dashboard as reports, organisations, programmes, word, StoreError};

/// How many live cases stand in a stage.
#[derive(Debug, Clone)]
pub struct StageCount {
    pub stage: Stage,
    pub count: i64,
}

/// An active case past its stage's deadline.
#[derive(Debug, Clone)]
pub struct OverdueCase {
    pub case_id: String,
    pub unit_name: String,
    pub stage: Stage,
    pub due_at: Option<DateTime<Utc>>,
}

/// A certificate that runs out within 90 days.
#[derive(Debug, Clone)]
pub struct ExpiringCertificate {
    pub case_id: String,
    pub unit_name: String,
    pub number: String,
    pub valid_until: chrono::NaiveDate,
}

/// The median time cases spent in a stage they have left.
#[derive(Debug, Clone)]
pub struct StageMedian {
    pub stage: Stage,
    pub median_days: Option<f64>,
    pub samples: usize,
}

/// The overview of one organisation.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub organisation: Organisation,
    pub total: i64,
    /// Live cases (active, paused, certified, suspended) per stage, in path order.
    pub by_stage: Vec<StageCount>,
    pub by_status: Vec<(Status, i64)>,
    pub overdue: Vec<OverdueCase>,
    pub overdue_total: i64,
    /// Empty until certificates are issued.
    pub expiring: Vec<ExpiringCertificate>,
    pub median_days: Vec<StageMedian>,
}

/// How many overdue cases the overview lists (the count covers all).
const OVERDUE_SHOWN: i64 = 50;

fn authorised_organisation(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<Organisation, AppError> {
    let mut conn = state.store.conn()?;
    let org = organisations::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize(
        actor,
        Action::ReadReports,
        &Target {
            organisation_id: Some(&org.id),
            ..Target::default()
        },
    )?;
    Ok(org.into())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Days spent in each stage that a case entered and then left, from the history's
/// stage changes (already ordered by case and sequence).
fn stage_durations(
    changes: &[(String, chrono::NaiveDateTime, String)],
) -> BTreeMap<Stage, Vec<f64>> {
    let mut out: BTreeMap<Stage, Vec<f64>> = BTreeMap::new();
    for pair in changes.windows(2) {
        let (case_a, entered, stage) = &pair[0];
        let (case_b, left, _) = &pair[1];
        if case_a != case_b {
            continue;
        }
        if let Some(stage) = Stage::parse(stage) {
            let days = (*left - *entered).num_seconds() as f64 / 86_400.0;
            out.entry(stage).or_default().push(days);
        }
    }
    out
}

/// The overview of organisation `id`, for admins, consultants and its coordinators.
pub fn dashboard(state: &AppState, actor: &Actor, id: &str) -> Result<Dashboard, AppError> {
    let organisation = authorised_organisation(state, actor, id)?;
    let now = to_db(state.now());
    let mut conn = state.store.conn()?;
    let counts = reports::stage_status_counts(&mut conn, id)?;
    let mut by_stage: BTreeMap<Stage, i64> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_status: BTreeMap<&'static str, (Status, i64)> = BTreeMap::new();
    let mut total = 0;
    for (stage, status, n) in counts {
        total += n;
        let (stage, status): (Stage, Status) = (word(stage)?, word(status)?);
        if status.is_live() {
            *by_stage.entry(stage).or_default() += n;
        }
        by_status.entry(status.as_str()).or_insert((status, 0)).1 += n;
    }
    let overdue = reports::overdue(&mut conn, id, now, OVERDUE_SHOWN)?
        .into_iter()
        .map(|(case_id, unit_name, stage, due)| {
            Ok(OverdueCase {
                case_id,
                unit_name,
                stage: word(stage)?,
                due_at: due.map(from_db),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let overdue_total = reports::overdue_count(&mut conn, id, now)?;
    let mut durations = stage_durations(&reports::stage_changes(&mut conn, id)?);
    // Only the stages the organisation's programmes use; all of them before any case.
    let mut used: BTreeSet<Stage> = BTreeSet::new();
    for programme in programmes::used_by_organisation(&mut conn, id)? {
        used.extend(programmes::rules_of(&programme)?.path.stages());
    }
    if used.is_empty() {
        used.extend(Stage::ALL);
    }
    by_stage.retain(|stage, count| used.contains(stage) || *count > 0);
    let median_days = Stage::ALL[..5]
        .iter()
        .filter(|stage| used.contains(stage))
        .map(|stage| {
            let values = durations.remove(stage).unwrap_or_default();
            StageMedian {
                stage: *stage,
                samples: values.len(),
                median_days: median(values),
            }
        })
        .collect();
    Ok(Dashboard {
        organisation,
        total,
        by_stage: by_stage
            .into_iter()
            .map(|(stage, count)| StageCount { stage, count })
            .collect(),
        by_status: Status::ALL
            .iter()
            .filter_map(|s| by_status.get(s.as_str()).copied())
            .collect(),
        overdue,
        overdue_total,
        expiring: Vec::new(),
        median_days,
    })
}

/// One case as a spreadsheet row.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub unit: String,
    pub department: Option<String>,
    pub headcount: i32,
    /// The programme's name (not its key).
    pub programme: String,
    pub programme_version: i32,
    pub stage: Stage,
    pub status: Status,
    pub overdue: bool,
    pub cycle: i32,
    pub stage_entered_at: DateTime<Utc>,
    pub stage_due_at: Option<DateTime<Utc>>,
    pub enrolled_at: DateTime<Utc>,
}

/// Every case of organisation `id`, by unit name.
pub fn export(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<(Organisation, Vec<ExportRow>), AppError> {
    let organisation = authorised_organisation(state, actor, id)?;
    let now = state.now();
    let mut conn = state.store.conn()?;
    let rows = reports::all_cases(&mut conn, id)?
        .into_iter()
        .map(|(case, unit, programme, version)| {
            let (stage, status) = (case.stage, case.status);
            let due = case.stage_due_at.map(from_db);
            ExportRow {
                unit: unit.name,
                department: unit.department,
                headcount: unit.headcount,
                programme,
                programme_version: version,
                stage,
                status,
                overdue: is_overdue(status, due, now),
                cycle: case.cycle,
                stage_entered_at: from_db(case.stage_entered_at),
                stage_due_at: due,
                enrolled_at: from_db(case.created_at),
            }
        })
        .collect();
    Ok((organisation, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn only_stages_a_case_left_count() {
        let at = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 1, d)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("date")
        };
        let changes = vec![
            ("a".to_string(), at(1), "kickoff".to_string()),
            ("a".to_string(), at(3), "value_workshops".to_string()),
            ("b".to_string(), at(2), "kickoff".to_string()),
        ];
        let d = stage_durations(&changes);
        assert_eq!(d[&Stage::Kickoff], vec![2.0]);
        assert!(!d.contains_key(&Stage::ValueWorkshops));
    }
}

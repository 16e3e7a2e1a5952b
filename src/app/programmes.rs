//! Programmes: the built-in `inclusion-standard` and the certifying body's own,
//! versioned by key.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::app::inputs::NewProgramme;
use crate::domain::path::StageDraft;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::programme::{is_key, FindingDueDays, ProgrammeRules};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Path, Stage, StagePlan};
use crate::store::rows::ProgrammeRow;
use crate::store::{is_unique_violation, programmes};

/// A programme version; cases are pinned to the version they enrolled in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Programme {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
    /// What the programme is for; null when not written.
    pub description: Option<String>,
    /// The stages its cases work through, in order, `certified` last.
    pub stages: Vec<Stage>,
    pub workshops_required: u32,
    pub attendance_threshold_pct: u32,
    pub reflection_threshold_pct: u32,
    pub routine_areas: Vec<String>,
    pub validity_months: u32,
    /// Days allowed in each stage before the case is overdue.
    #[schema(value_type = BTreeMap<String, u32>)]
    pub stage_deadline_days: BTreeMap<Stage, u32>,
    /// Each stage with its deadline and requirements (also for a programme made from
    /// the flat fields above, which build this path).
    pub path: Vec<StagePlan>,
    /// Days a finding may stay open, by severity.
    pub finding_due_days: FindingDueDays,
    /// Months between surveillances of a certified case.
    pub surveillance_months: u32,
    /// Days a surveillance may be late before the certificate is suspended.
    pub surveillance_grace_days: u32,
    /// Whether the auditor's approval certifies (`auditor`) or recommends and an admin
    /// decides (`admin`).
    pub decision_by: crate::domain::DecisionBy,
}

impl Programme {
    pub fn from_row(row: &ProgrammeRow) -> Result<Programme, AppError> {
        let rules = programmes::rules_of(row)?;
        let path = rules.path.plans().to_vec();
        Ok(Programme {
            id: row.id.clone(),
            key: row.key.clone(),
            name: row.name.clone(),
            version: row.version,
            description: row.description.clone(),
            stages: rules.path.stages(),
            workshops_required: rules.workshops_required,
            attendance_threshold_pct: rules.attendance_threshold_pct,
            reflection_threshold_pct: rules.reflection_threshold_pct,
            routine_areas: rules.routine_areas,
            validity_months: rules.validity_months,
            stage_deadline_days: path.iter().map(|p| (p.stage, p.deadline_days)).collect(),
            path,
            finding_due_days: rules.finding_due_days,
            surveillance_months: rules.surveillance_months,
            surveillance_grace_days: rules.surveillance_grace_days,
            decision_by: rules.decision_by,
        })
    }
}

/// A page of a collection; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammePage {
    pub items: Vec<Programme>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

pub fn list(state: &AppState, page: PageRequest) -> Result<ProgrammePage, AppError> {
    let mut conn = state.store.conn()?;
    let rows = programmes::list(&mut conn, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |p| p.id.clone());
    Ok(ProgrammePage {
        items: rows
            .iter()
            .map(Programme::from_row)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// The key of a new programme named `name` (the pages ask for no key): made from the
/// name, unique among every programme's key, so that it never becomes another
/// programme's next version.
pub fn new_key(state: &AppState, name: &str) -> Result<String, AppError> {
    let mut conn = state.store.conn()?;
    let taken: Vec<String> = programmes::all(&mut conn)?
        .into_iter()
        .map(|row| row.key)
        .collect();
    Ok(crate::domain::programme_key::key_from_name(name, &taken))
}

pub fn get(state: &AppState, id: &str) -> Result<Programme, AppError> {
    let mut conn = state.store.conn()?;
    let row = programmes::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    Programme::from_row(&row)
}

/// Creates a programme, or the next version of an existing key (omitted fields are
/// taken from the previous version).
pub fn create(state: &AppState, actor: &Actor, input: NewProgramme) -> Result<Programme, AppError> {
    authorize(actor, Action::CreateProgramme, &Target::DEPLOYMENT)?;
    let key = input.key.trim().to_string();
    if !is_key(&key, 60) {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "key",
            FieldCode::ProgrammeKey,
            "1 to 60 characters of a-z, 0-9, - and _",
        )]));
    }
    let name = input.name.as_str().to_string();
    if name.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        )]));
    }
    let description = match input.description.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.to_string()),
    };
    let own_path = match &input.path {
        None => None,
        Some(stages) => {
            let drafts: Vec<StageDraft> = stages.iter().map(StageDraft::from).collect();
            Some(Path::check(&drafts).map_err(AppError::Invalid)?)
        }
    };
    let now = to_db(state.now());
    state.store.write(|conn| {
        let previous = programmes::latest_by_key(conn, &key)?;
        let (mut rules, version) = match &previous {
            Some(row) => (programmes::rules_of(row)?, row.version + 1),
            None => (ProgrammeRules::inclusion_standard(), 1),
        };
        let kept_path = rules.has_own_path().then(|| rules.path.clone());
        let as_u32 = |v: i64| u32::try_from(v).unwrap_or(0);
        if let Some(v) = input.workshops_required {
            rules.workshops_required = as_u32(v);
        }
        if let Some(v) = input.attendance_threshold_pct {
            rules.attendance_threshold_pct = as_u32(v);
        }
        if let Some(v) = input.reflection_threshold_pct {
            rules.reflection_threshold_pct = as_u32(v);
        }
        let areas_given = input.routine_areas.is_some();
        if let Some(areas) = &input.routine_areas {
            rules.routine_areas = areas.iter().map(|a| a.0.trim().to_string()).collect();
        }
        if let Some(v) = input.validity_months {
            rules.validity_months = as_u32(v);
        }
        if let Some(days) = &input.finding_due_days {
            let due = &mut rules.finding_due_days;
            for (given, into) in [
                (days.major, &mut due.major),
                (days.minor, &mut due.minor),
                (days.observation, &mut due.observation),
            ] {
                if let Some(v) = given {
                    *into = as_u32(v);
                }
            }
        }
        if let Some(v) = input.surveillance_months {
            rules.surveillance_months = as_u32(v);
        }
        if let Some(v) = input.surveillance_grace_days {
            rules.surveillance_grace_days = as_u32(v);
        }
        if let Some(by) = input.decision_by {
            rules.decision_by = by;
        }
        if let Some(days) = &input.stage_deadline_days {
            for (stage, d) in days.given() {
                rules.stage_deadline_days.insert(stage, as_u32(d));
            }
        }
        let flat_given = input.workshops_required.is_some()
            || input.attendance_threshold_pct.is_some()
            || input.reflection_threshold_pct.is_some()
            || areas_given
            || input.stage_deadline_days.is_some();
        rules.path = match (own_path.clone(), kept_path) {
            (Some(path), _) => path,
            (None, Some(kept)) if !flat_given => kept,
            _ => rules.flat_path(),
        };
        if input.path.is_some() {
            adopt_path(&mut rules, areas_given)?;
        }
        rules.validate().map_err(AppError::Invalid)?;
        let row = programmes::row_for(&key, &name, description.as_deref(), version, &rules, now);
        match programmes::insert(conn, &row) {
            Err(e) if is_unique_violation(&e) => {
                Err(AppError::Conflict(ConflictCode::ProgrammeVersion))
            }
            Err(e) => Err(e.into()),
            Ok(()) => Programme::from_row(&row),
        }
    })
}

/// Fits the flat fields to a programme's own path: its deadlines become the stages'
/// deadlines, and its evidence areas the routine areas (unless given, when every area
/// the path names must be one of them).
fn adopt_path(rules: &mut ProgrammeRules, areas_given: bool) -> Result<(), AppError> {
    for plan in rules.path.plans() {
        rules
            .stage_deadline_days
            .insert(plan.stage, plan.deadline_days);
    }
    let named = rules.path.evidence_areas();
    if !areas_given {
        if !named.is_empty() {
            rules.routine_areas = named;
        }
        return Ok(());
    }
    for (i, plan) in rules.path.plans().iter().enumerate() {
        for (j, req) in plan.requirements.iter().enumerate() {
            if let crate::domain::RequirementSpec::EvidenceInAreas { areas } = req {
                if let Some(area) = areas.iter().find(|a| !rules.routine_areas.contains(a)) {
                    return Err(AppError::Invalid(vec![FieldError::coded(
                        format!("path[{i}].requirements[{j}].areas"),
                        FieldCode::UnknownArea,
                        format!(
                            "{area} is not one of the routine areas {}",
                            rules.routine_areas.join(", ")
                        ),
                    )
                    .with("areas", rules.routine_areas.join(","))]));
                }
            }
        }
    }
    Ok(())
}

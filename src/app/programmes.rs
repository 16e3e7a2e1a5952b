//! Programmes: the built-in `inclusion-standard` and the certifying body's own,
//! versioned by key.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::app::inputs::NewProgramme;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::programme::{is_key, ProgrammeRules};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Stage};
use crate::store::rows::ProgrammeRow;
use crate::store::{is_unique_violation, programmes};

/// A programme version; cases are pinned to the version they enrolled in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Programme {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
    /// The six stages, in order.
    pub stages: Vec<Stage>,
    pub workshops_required: u32,
    pub attendance_threshold_pct: u32,
    pub reflection_threshold_pct: u32,
    pub routine_areas: Vec<String>,
    pub validity_months: u32,
    /// Days allowed in each stage before the case is overdue.
    #[schema(value_type = BTreeMap<String, u32>)]
    pub stage_deadline_days: BTreeMap<Stage, u32>,
}

impl Programme {
    pub fn from_row(row: &ProgrammeRow) -> Result<Programme, AppError> {
        let rules = programmes::rules_of(row)?;
        Ok(Programme {
            id: row.id.clone(),
            key: row.key.clone(),
            name: row.name.clone(),
            version: row.version,
            stages: Stage::ALL.to_vec(),
            workshops_required: rules.workshops_required,
            attendance_threshold_pct: rules.attendance_threshold_pct,
            reflection_threshold_pct: rules.reflection_threshold_pct,
            routine_areas: rules.routine_areas,
            validity_months: rules.validity_months,
            stage_deadline_days: rules.stage_deadline_days,
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
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        )]));
    }
    let now = to_db(state.now());
    state.store.write(|conn| {
        let previous = programmes::latest_by_key(conn, &key)?;
        let (mut rules, version) = match &previous {
            Some(row) => (programmes::rules_of(row)?, row.version + 1),
            None => (ProgrammeRules::inclusion_standard(), 1),
        };
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
        if let Some(areas) = &input.routine_areas {
            rules.routine_areas = areas.iter().map(|a| a.0.trim().to_string()).collect();
        }
        if let Some(v) = input.validity_months {
            rules.validity_months = as_u32(v);
        }
        if let Some(days) = &input.stage_deadline_days {
            for (stage, d) in days.given() {
                rules.stage_deadline_days.insert(stage, as_u32(d));
            }
        }
        rules.validate().map_err(AppError::Invalid)?;
        let row = programmes::row_for(&key, &name, version, &rules, now);
        match programmes::insert(conn, &row) {
            Err(e) if is_unique_violation(&e) => {
                Err(AppError::Conflict(ConflictCode::ProgrammeVersion))
            }
            Err(e) => Err(e.into()),
            Ok(()) => Programme::from_row(&row),
        }
    })
}

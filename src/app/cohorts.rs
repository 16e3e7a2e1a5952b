//! Cohorts: one programme round across several organisations (Emerga's "Från vad
//! till hur" with four partners at once). A cohort's page shows each member
//! organisation's cases in the round's programme and how far they have come. Staff
//! see every row; a coordinator (or a unit's contact) only their own organisation's,
//! and only cohorts it belongs to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::cases::{self as case_use, CaseQuery};
use super::cohort_inputs::{NewCohort, NewCohortMember};
use super::error::AppError;
use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::domain::policy::{authorize, may, visibility, Action, Target, Visibility};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Stage, Status};
use crate::store::cohorts::{self as store, CohortRow, MemberRow};
use crate::store::rows::ProgrammeRow;
use crate::store::{ids, is_unique_violation, organisations, programmes, DbConnection};

/// The programme version a cohort runs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortProgramme {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
}

/// A member organisation as a list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortMember {
    pub id: String,
    pub name: String,
}

/// A cohort as lists show it: its members the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortSummary {
    pub id: String,
    pub name: String,
    pub programme: CohortProgramme,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub organisations: Vec<CohortMember>,
    pub created_at: DateTime<Utc>,
}

/// A page of cohorts; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct CohortPage {
    pub items: Vec<CohortSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One case of a member organisation and how far it has come.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortCase {
    pub id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub stage: Stage,
    pub status: Status,
    pub overdue: bool,
    /// Of the current stage's requirements, how many are met.
    pub requirements_met: u32,
    pub requirements_total: u32,
}

/// A member organisation with its cases in the cohort's programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberProgress {
    pub id: String,
    pub name: String,
    pub cases: Vec<CohortCase>,
}

/// A cohort with the progress of each member organisation the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cohort {
    pub id: String,
    pub name: String,
    pub programme: CohortProgramme,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub organisations: Vec<MemberProgress>,
    pub created_at: DateTime<Utc>,
}

fn programme_view(row: &ProgrammeRow) -> CohortProgramme {
    CohortProgramme {
        id: row.id.clone(),
        key: row.key.clone(),
        name: row.name.clone(),
        version: row.version,
    }
}

fn programme_of(conn: &mut DbConnection, cohort: &CohortRow) -> Result<ProgrammeRow, AppError> {
    programmes::by_id(conn, &cohort.programme_id)?
        .ok_or_else(|| AppError::Internal(format!("cohort {} names no programme", cohort.id)))
}

/// The members of a cohort the actor may see; for all but staff, a cohort with none
/// of theirs is not found.
fn visible_members(
    conn: &mut DbConnection,
    actor: &Actor,
    cohort_id: &str,
) -> Result<Vec<CohortMember>, AppError> {
    let members: Vec<CohortMember> = store::members(conn, cohort_id)?
        .into_iter()
        .filter(|(id, _)| {
            let target = Target {
                organisation_id: Some(id),
                ..Target::DEPLOYMENT
            };
            may(actor, Action::Read, &target)
        })
        .map(|(id, name)| CohortMember { id, name })
        .collect();
    if members.is_empty() && visibility(actor) != Visibility::Everything {
        return Err(AppError::NotFound);
    }
    Ok(members)
}

fn summary(
    conn: &mut DbConnection,
    actor: &Actor,
    row: CohortRow,
) -> Result<CohortSummary, AppError> {
    let organisations = visible_members(conn, actor, &row.id)?;
    let programme = programme_of(conn, &row)?;
    Ok(CohortSummary {
        programme: programme_view(&programme),
        organisations,
        id: row.id,
        name: row.name,
        period_start: row.period_start,
        period_end: row.period_end,
        created_at: from_db(row.created_at),
    })
}

/// The days a round may span: every database stores them, and no round is older.
const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};
const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2099, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MAX,
};

fn unknown_organisation(field: String) -> FieldError {
    FieldError::coded(
        field,
        FieldCode::UnknownOrganisation,
        "no organisation has this id",
    )
}

/// The period and organisations of a new cohort, checked together.
fn checked(
    conn: &mut DbConnection,
    input: &NewCohort,
) -> Result<(ProgrammeRow, Vec<String>), AppError> {
    let mut errors = Vec::new();
    let programme = programmes::by_id(conn, &input.programme_id)?;
    if programme.is_none() {
        errors.push(FieldError::coded(
            "programme_id",
            FieldCode::UnknownProgramme,
            "no programme has this id",
        ));
    }
    for (field, date) in [
        ("period_start", input.period_start),
        ("period_end", input.period_end),
    ] {
        if !(FIRST_DAY..=LAST_DAY).contains(&date) {
            errors.push(
                FieldError::coded(
                    field,
                    FieldCode::Range,
                    "must be between 2000-01-01 and 2099-12-31",
                )
                .with("min", FIRST_DAY)
                .with("max", LAST_DAY),
            );
        }
    }
    if input.period_end < input.period_start {
        errors.push(FieldError::coded(
            "period_end",
            FieldCode::EndsBeforeStart,
            "must be on or after period_start",
        ));
    }
    let mut members: Vec<String> = Vec::new();
    for (i, id) in input.organisation_ids.iter().enumerate() {
        if organisations::by_id(conn, id)?.is_none() {
            errors.push(unknown_organisation(format!("organisation_ids[{i}]")));
        } else if !members.contains(id) {
            members.push(id.clone());
        }
    }
    match programme {
        Some(programme) if errors.is_empty() => Ok((programme, members)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Creates a cohort with its first members (admin, consultant).
pub fn create(state: &AppState, actor: &Actor, input: NewCohort) -> Result<Cohort, AppError> {
    authorize(actor, Action::ManageCohorts, &Target::DEPLOYMENT)?;
    let now = to_db(state.now());
    let id = ids::new_id();
    state.store.write(|conn| -> Result<(), AppError> {
        let (_, members) = checked(conn, &input)?;
        store::insert(
            conn,
            &CohortRow {
                id: id.clone(),
                name: input.name.as_str().to_string(),
                programme_id: input.programme_id.clone(),
                period_start: input.period_start,
                period_end: input.period_end,
                created_by: actor.id.clone(),
                created_at: now,
            },
        )?;
        for organisation_id in members {
            store::insert_member(
                conn,
                &MemberRow {
                    cohort_id: id.clone(),
                    organisation_id,
                    added_at: now,
                },
            )?;
        }
        Ok(())
    })?;
    get(state, actor, &id)
}

/// Adds an organisation to a cohort (admin, consultant); a member already: 409.
pub fn add_organisation(
    state: &AppState,
    actor: &Actor,
    cohort_id: &str,
    input: NewCohortMember,
) -> Result<Cohort, AppError> {
    authorize(actor, Action::ManageCohorts, &Target::DEPLOYMENT)?;
    let now = to_db(state.now());
    state.store.write(|conn| -> Result<(), AppError> {
        store::by_id(conn, cohort_id)?.ok_or(AppError::NotFound)?;
        if organisations::by_id(conn, &input.organisation_id)?.is_none() {
            return Err(AppError::Invalid(vec![unknown_organisation(
                "organisation_id".into(),
            )]));
        }
        if store::is_member(conn, cohort_id, &input.organisation_id)? {
            return Err(AppError::Conflict(ConflictCode::AlreadyMember));
        }
        let member = MemberRow {
            cohort_id: cohort_id.to_string(),
            organisation_id: input.organisation_id.clone(),
            added_at: now,
        };
        store::insert_member(conn, &member).map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict(ConflictCode::AlreadyMember)
            } else {
                AppError::from(crate::store::StoreError::from(e))
            }
        })
    })?;
    get(state, actor, cohort_id)
}

/// The cases of one member organisation in the cohort's programme (any version),
/// as the actor may see them.
fn progress(
    state: &AppState,
    actor: &Actor,
    programme_key: &str,
    member: CohortMember,
) -> Result<MemberProgress, AppError> {
    let query = CaseQuery {
        organisation_id: Some(member.id.clone()),
        ..CaseQuery::default()
    };
    let page = PageRequest {
        limit: 200,
        cursor: None,
    };
    let cases = case_use::list(state, actor, query, page)?
        .items
        .into_iter()
        .filter(|case| case.programme.key == programme_key)
        .map(|case| CohortCase {
            requirements_met: case.requirements.iter().filter(|r| r.met).count() as u32,
            requirements_total: case.requirements.len() as u32,
            id: case.id,
            unit_id: case.unit.id,
            unit_name: case.unit.name,
            stage: case.stage,
            status: case.status,
            overdue: case.overdue,
        })
        .collect();
    Ok(MemberProgress {
        id: member.id,
        name: member.name,
        cases,
    })
}

/// A cohort with the progress of the member organisations the actor may see.
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Cohort, AppError> {
    let summary = {
        let mut conn = state.store.conn()?;
        let row = store::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
        summary(&mut conn, actor, row)?
    };
    let organisations = summary
        .organisations
        .into_iter()
        .map(|member| progress(state, actor, &summary.programme.key, member))
        .collect::<Result<_, _>>()?;
    Ok(Cohort {
        id: summary.id,
        name: summary.name,
        programme: summary.programme,
        period_start: summary.period_start,
        period_end: summary.period_end,
        organisations,
        created_at: summary.created_at,
    })
}

/// The cohorts the actor may see, by id: staff every one; others those their
/// organisation belongs to, with only their own row.
pub fn list(state: &AppState, actor: &Actor, page: PageRequest) -> Result<CohortPage, AppError> {
    let organisation = match visibility(actor) {
        Visibility::Everything => None,
        Visibility::Organisation(org)
        | Visibility::Unit {
            organisation_id: org,
            ..
        } => Some(org),
        Visibility::Nothing => {
            return Ok(CohortPage {
                items: Vec::new(),
                next_cursor: None,
            })
        }
    };
    let mut conn = state.store.conn()?;
    let rows = store::list(
        &mut conn,
        organisation.as_deref(),
        page.cursor.as_deref(),
        page.limit + 1,
    )?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(CohortPage {
        items: rows
            .into_iter()
            .map(|row| summary(&mut conn, actor, row))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

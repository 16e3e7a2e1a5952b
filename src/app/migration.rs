//! Moving a programme version's running cases to another version of the programme:
//! a dry run says, per case, where it would land and what would newly be missing; the
//! real run moves each through the command pipeline (one event in each history).

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::case_views;
use super::error::AppError;
use super::inputs::MigrationRequest;
use super::pipeline::{execute_in, Precondition, Reactors, Subject};
use super::AppState;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::requirements::unmet;
use crate::domain::{evaluate, Actor, Command, FieldCode, FieldError, Requirement, Stage};
use crate::store::{cases, organisations, programmes, DbConnection};

/// What a migration does (or would do) to one case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseMigration {
    pub case_id: String,
    pub unit_name: String,
    /// The name of the unit's organisation.
    pub organisation_name: String,
    pub from_stage: Stage,
    /// The same stage, or the next one on the new path when it leaves the stage out.
    pub to_stage: Stage,
    /// Requirements of `to_stage` the case would not meet that it did not already miss.
    pub newly_unmet: Vec<Requirement>,
}

/// The answer of a migration.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MigrationReport {
    pub from_programme_id: String,
    pub to_programme_id: String,
    pub to_version: i32,
    /// True when nothing was changed.
    pub dry_run: bool,
    pub cases: Vec<CaseMigration>,
}

/// Migrates (or, with `dry_run`, reports on) the running cases of programme version `id`.
pub fn migrate(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: MigrationRequest,
) -> Result<MigrationReport, AppError> {
    authorize(actor, Action::CreateProgramme, &Target::DEPLOYMENT)?;
    let now = state.now();
    let reactors = Reactors::of(state);
    state.store.write(|conn| {
        let from = programmes::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        let to = programmes::version_of(conn, &from.key, input.to_version as i32)?
            .filter(|to| to.version > from.version)
            .ok_or_else(|| {
                AppError::Invalid(vec![FieldError::coded(
                    "to_version",
                    FieldCode::ProgrammeVersionTarget,
                    format!("must be a later version of {}", from.key),
                )
                .with("key", &from.key)])
            })?;
        let to_rules = programmes::rules_of(&to)?;
        let mut report = MigrationReport {
            from_programme_id: from.id.clone(),
            to_programme_id: to.id.clone(),
            to_version: to.version,
            dry_run: input.dry_run,
            cases: Vec::new(),
        };
        for case_id in cases::running_on(conn, &from.id)? {
            let planned = plan(conn, &case_id, &to_rules)?;
            if !input.dry_run {
                execute_in(
                    conn,
                    &reactors,
                    actor,
                    Subject::Case(&case_id),
                    &Precondition::None,
                    now,
                    &|_, _| {
                        Ok(Command::MigrateProgramme {
                            programme_id: to.id.clone(),
                            version: to.version.max(0) as u32,
                            rules: Box::new(to_rules.clone()),
                        })
                    },
                )?;
            }
            report.cases.push(planned);
        }
        Ok(report)
    })
}

/// Where one case would land on `to`, and what it would newly miss there.
fn plan(
    conn: &mut DbConnection,
    case_id: &str,
    to: &crate::domain::ProgrammeRules,
) -> Result<CaseMigration, AppError> {
    let parts = cases::by_id(conn, case_id)?.ok_or(AppError::NotFound)?;
    let facts = case_views::facts_of(conn, std::slice::from_ref(&parts))?
        .remove(case_id)
        .unwrap_or_default();
    let (case, unit, programme) = &parts;
    let from_rules = programmes::rules_of(programme)?;
    let to_stage = to.path.landing_stage(case.stage);
    let missing_before: HashSet<String> = unmet(evaluate(case.stage, &from_rules, &facts))
        .into_iter()
        .map(|r| r.key)
        .collect();
    let newly_unmet = unmet(evaluate(to_stage, to, &facts))
        .into_iter()
        .filter(|r| to_stage != case.stage || !missing_before.contains(&r.key))
        .filter(|r| r.key != "audit_approved")
        .collect();
    let organisation_name = organisations::by_id(conn, &unit.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(CaseMigration {
        case_id: case.id.clone(),
        unit_name: unit.name.clone(),
        organisation_name,
        from_stage: case.stage,
        to_stage,
        newly_unmet,
    })
}

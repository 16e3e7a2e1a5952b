//! What a case's page needs besides the case: the auditors a consultant may choose,
//! people's names, and whether the certification decision is the person's to make.

use std::collections::HashMap;

use super::cases::visible_case;
use super::pipeline::{state_of, target};
use super::views::User;
use super::AppState;
use crate::app::error::AppError;
use crate::domain::actions::admits;
use crate::domain::policy::{authorize, case_action, Action};
use crate::domain::{Actor, CaseAction};
use crate::store::{events, organisations, programmes, users};

/// Whether `actor` may make the certification decision on the case now, by the rules
/// the decision's use case applies: the policy's (an admin who neither runs nor
/// audits the case; 403) and the domain's (its auditor recommended it; 409). A page
/// asks it before it offers the form.
pub fn decision_allowed(state: &AppState, actor: &Actor, case_id: &str) -> Result<(), AppError> {
    allowed(state, actor, case_id, CaseAction::Decide)
}

/// Whether `actor` may take `action` on the case now, by the policy (403; another
/// tenant's case 404) and the domain's standing rules (409). A page asks it before it
/// shows a confirmation, so that it never asks to confirm what would be refused.
pub fn allowed(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    action: CaseAction,
) -> Result<(), AppError> {
    let mut conn = state.store.conn()?;
    let (case, _, programme) = visible_case(&mut conn, actor, case_id)?;
    authorize(actor, case_action(action), &target(&case))?;
    let rules = programmes::rules_of(&programme)?;
    Ok(admits(&state_of(&case), &rules.path, actor, action)?)
}

/// The auditors whom whoever may steer the case can ask for its audit: every auditor
/// but the case's consultant (four eyes; the domain checks it again on request).
pub fn auditor_choices(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
) -> Result<Vec<User>, AppError> {
    let mut conn = state.store.conn()?;
    let parts = visible_case(&mut conn, actor, case_id)?;
    authorize(actor, Action::Steer, &target(&parts.0))?;
    let consultant = parts.0.consultant_id.clone();
    Ok(users::list(&mut conn, Some("auditor"), None, 1000)?
        .iter()
        .filter(|u| Some(&u.id) != consultant.as_ref())
        .map(User::from_row)
        .collect())
}

/// The names of the people in a case's history and on the case, by id.
pub fn people(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
) -> Result<HashMap<String, String>, AppError> {
    let mut conn = state.store.conn()?;
    let (case, _, _) = visible_case(&mut conn, actor, case_id)?;
    let mut ids: Vec<String> = events::of_case(&mut conn, case_id)?
        .into_iter()
        .filter_map(|e| e.actor_id)
        .collect();
    ids.extend(case.consultant_id);
    ids.extend(case.auditor_id);
    ids.sort();
    ids.dedup();
    Ok(users::names_of(&mut conn, &ids)?.into_iter().collect())
}

/// The name of the organisation whose unit the case is about (several municipalities
/// have a unit of the same name), for whoever may see the case.
pub fn organisation_name(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
) -> Result<String, AppError> {
    let mut conn = state.store.conn()?;
    let (_, unit, _) = visible_case(&mut conn, actor, case_id)?;
    Ok(organisations::by_id(&mut conn, &unit.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default())
}

//! What a case's page needs besides the case: which actions the person may take
//! (asked of the policy), the auditors a consultant may choose, people's names.

use std::collections::HashMap;

use super::case_views::Case;
use super::cases::visible_case;
use super::pipeline::target;
use super::views::User;
use super::AppState;
use crate::app::error::AppError;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::Actor;
use crate::store::{events, users};

/// The actions the policy lets the person take on a case.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Abilities {
    pub manage_sessions: bool,
    pub record_progress: bool,
    pub add_evidence: bool,
    pub resolve_findings: bool,
    pub steer: bool,
    pub sign_off: bool,
    pub sanction: bool,
}

/// Asks the policy about every action on `case`.
pub fn abilities(actor: &Actor, case: &Case) -> Abilities {
    let target = Target {
        organisation_id: Some(&case.unit.organisation_id),
        unit_id: Some(&case.unit.id),
        consultant_id: case.consultant_id.as_deref(),
        auditor_id: case.auditor_id.as_deref(),
    };
    let may = |action| authorize(actor, action, &target).is_ok();
    Abilities {
        manage_sessions: may(Action::ManageSessions),
        record_progress: may(Action::RecordProgress),
        add_evidence: may(Action::AddEvidence),
        resolve_findings: may(Action::ResolveFinding),
        steer: may(Action::Steer),
        sign_off: may(Action::SignOff),
        sanction: may(Action::Sanction),
    }
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

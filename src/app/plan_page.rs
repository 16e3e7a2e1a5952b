//! What the plan pages read: the plans a person may see (staff every one, a
//! coordinator their organisation's, anyone else the plans where they are responsible
//! for or coordinate an action), and one plan with its organisation's name, the people
//! who may own its actions and its history in words. Reads only; every change goes
//! through `plans`, the API's use cases.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::AppError;
use super::plan_history::{self, PlanEvent};
use super::plans::{self, Person, Plan};
use super::AppState;
use crate::clock::stockholm;
use crate::domain::policy::{authorize, visibility, Action, Target, Visibility};
use crate::domain::Actor;
use crate::store::plans as store;
use crate::store::{organisations, users};

/// A plan as the list shows it.
#[derive(Debug, Clone)]
pub struct PlanSummary {
    pub plan: Plan,
    pub organisation: String,
}

/// One change of the plan's history, with the names a page shows.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub at: DateTime<Utc>,
    /// Who made it; empty for the system.
    pub by: String,
    /// plan_created, action_added, action_updated or follow_up_added.
    pub kind: String,
    /// The action it is about, by its title; empty for the plan itself.
    pub action: String,
    /// The action's status after the change, if the change says.
    pub status: Option<String>,
}

/// One plan with what its page shows besides it.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: Plan,
    pub organisation: String,
    /// The organisation's active users, who may be named on an action, by name.
    pub people: Vec<Person>,
    /// Oldest first.
    pub history: Vec<HistoryLine>,
}

fn organisation_target(id: &str) -> Target<'_> {
    Target {
        organisation_id: Some(id),
        ..Target::default()
    }
}

/// The plans `actor` may see, each with its organisation's name, newest period first.
pub fn visible(state: &AppState, actor: &Actor) -> Result<Vec<PlanSummary>, AppError> {
    let mut conn = state.store.conn()?;
    let rows = match visibility(actor) {
        Visibility::Everything => store::all_plans(&mut conn)?,
        Visibility::Organisation(org) => store::plans_of(&mut conn, &org)?,
        Visibility::Unit { .. } | Visibility::Nothing => {
            store::plans_with_person(&mut conn, &actor.id)?
        }
    };
    let today = stockholm::today(state.now());
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        if authorize(
            actor,
            Action::Read,
            &organisation_target(&row.organisation_id),
        )
        .is_err()
        {
            continue;
        }
        if !names.contains_key(&row.organisation_id) {
            let name = organisations::by_id(&mut conn, &row.organisation_id)?
                .map(|o| o.name)
                .unwrap_or_default();
            names.insert(row.organisation_id.clone(), name);
        }
        let organisation = names.get(&row.organisation_id).cloned().unwrap_or_default();
        out.push(PlanSummary {
            plan: plans::assemble(&mut conn, row, today)?,
            organisation,
        });
    }
    Ok(out)
}

fn text_of(data: &Value, key: &str) -> Option<String> {
    data.get(key).and_then(Value::as_str).map(str::to_string)
}

/// One plan for its page (404 unless the actor sees its organisation).
pub fn view(state: &AppState, actor: &Actor, plan_id: &str) -> Result<PlanView, AppError> {
    let plan = plans::get(state, actor, plan_id)?;
    let events: Vec<PlanEvent> = plan_history::history(state, actor, plan_id)?;
    let mut conn = state.store.conn()?;
    let organisation = organisations::by_id(&mut conn, &plan.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    let people = store::people_of(&mut conn, &plan.organisation_id)?
        .into_iter()
        .map(|(id, name)| Person { id, name })
        .collect();
    let mut actors: Vec<String> = events.iter().filter_map(|e| e.actor_id.clone()).collect();
    actors.sort();
    actors.dedup();
    let names: HashMap<String, String> = users::names_of(&mut conn, &actors)?.into_iter().collect();
    let titles: HashMap<&str, &str> = plan
        .actions
        .iter()
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    let history = events
        .iter()
        .map(|e| HistoryLine {
            at: e.at,
            by: e
                .actor_id
                .as_ref()
                .and_then(|id| names.get(id).cloned())
                .unwrap_or_default(),
            kind: e.kind.clone(),
            action: text_of(&e.data, "action_id")
                .and_then(|id| titles.get(id.as_str()).map(|t| t.to_string()))
                .unwrap_or_default(),
            status: text_of(&e.data, "status"),
        })
        .collect();
    Ok(PlanView {
        plan,
        organisation,
        people,
        history,
    })
}

//! What the plan pages read: a plan of the list with its organisation's name (the
//! list itself is `lists::plans`), and one plan with its organisation's name, the
//! people who may own its actions and its history in words. Reads only; every change
//! goes through `plans`, the API's use cases.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::AppError;
use super::plan_history::{self, PlanEvent};
use super::plans::{self, Person, Plan};
use super::AppState;
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

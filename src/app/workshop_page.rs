//! What the workshop-request pages read: the requests a person may see (the API's
//! list), open ones first, each with the names a page shows (organisation, unit, who
//! asked), and the units a request may be for or booked on. Reads only; deciding goes
//! through `workshop_requests`, the API's use cases.

use std::collections::HashMap;

use super::error::AppError;
use super::workshop_requests::{self as requests, RequestStatus, WorkshopRequest};
use super::{AppState, PageRequest};
use crate::domain::policy::{authorize, visibility, Action, Target};
use crate::domain::Actor;
use crate::store::{organisations, users};

/// A request with the names of what it is about.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: WorkshopRequest,
    pub organisation: String,
    /// Empty for a request of the organisation as a whole.
    pub unit: String,
    pub requested_by: String,
}

/// The names of the request's organisation, unit and requester.
fn named(
    conn: &mut crate::store::DbConnection,
    cache: &mut HashMap<String, String>,
    request: WorkshopRequest,
) -> Result<RequestView, AppError> {
    let mut name_of =
        |conn: &mut crate::store::DbConnection, kind: &str, id: &str| -> Result<String, AppError> {
            let key = format!("{kind}:{id}");
            if let Some(name) = cache.get(&key) {
                return Ok(name.clone());
            }
            let name = match kind {
                "organisation" => organisations::by_id(conn, id)?.map(|o| o.name),
                "unit" => organisations::unit_by_id(conn, id)?.map(|u| u.name),
                _ => users::names_of(conn, &[id.to_string()])?
                    .into_iter()
                    .next()
                    .map(|(_, n)| n),
            }
            .unwrap_or_default();
            cache.insert(key, name.clone());
            Ok(name)
        };
    Ok(RequestView {
        organisation: name_of(conn, "organisation", &request.organisation_id)?,
        unit: match &request.unit_id {
            Some(unit) => name_of(conn, "unit", unit)?,
            None => String::new(),
        },
        requested_by: name_of(conn, "user", &request.requested_by)?,
        request,
    })
}

/// The requests `actor` sees (staff every one, a coordinator their organisation's, a
/// unit's contact their unit's): the open ones first (up to 200, oldest first), then up
/// to 200 decided ones, newest first.
pub fn visible(state: &AppState, actor: &Actor) -> Result<Vec<RequestView>, AppError> {
    let page = || PageRequest {
        limit: 200,
        cursor: None,
    };
    let mut items = Vec::new();
    for status in [RequestStatus::Accepted, RequestStatus::Declined] {
        items.extend(requests::list(state, actor, Some(status), page())?.items);
    }
    items.sort_by_key(|r| std::cmp::Reverse(r.requested_at));
    items.truncate(200);
    let mut open = requests::list(state, actor, Some(RequestStatus::Open), page())?.items;
    open.sort_by_key(|r| r.requested_at);
    open.extend(items);
    let items = open;
    let mut conn = state.store.conn()?;
    let mut cache = HashMap::new();
    items
        .into_iter()
        .map(|r| named(&mut conn, &mut cache, r))
        .collect()
}

/// One request with its names (404 unless the actor sees it).
pub fn view(state: &AppState, actor: &Actor, id: &str) -> Result<RequestView, AppError> {
    let request = requests::get(state, actor, id)?;
    let mut conn = state.store.conn()?;
    named(&mut conn, &mut HashMap::new(), request)
}

/// The units of `organisation_id` the actor sees, as (id, name), by name.
pub fn units_of(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
) -> Result<Vec<(String, String)>, AppError> {
    authorize(
        actor,
        Action::Read,
        &Target {
            organisation_id: Some(organisation_id),
            ..Target::default()
        },
    )?;
    let mut conn = state.store.conn()?;
    let mut units: Vec<(String, String)> = organisations::list_units(
        &mut conn,
        &visibility(actor),
        Some(organisation_id),
        None,
        1000,
    )?
    .into_iter()
    .map(|u| (u.id, u.name))
    .collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(units)
}

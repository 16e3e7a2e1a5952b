//! What the event pages show besides the API's answers: the organisations and units a
//! registrant may choose on the public sign-up page, and the registrants with the
//! names of their organisations and units (the staff page and its CSV).

use std::collections::HashMap;

use super::error::AppError;
use super::event_inputs::{Event, Registration};
use super::open_events::{audience, registrations, view};
use super::AppState;
use crate::domain::open_events as rules;
use crate::domain::policy::Visibility;
use crate::domain::{Actor, Language};
use crate::store::open_events as store;
use crate::store::organisations;

/// One choice of a select: an id and what the reader sees.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// The public sign-up page's event and its choices: the organisations the event is
/// open to, and their units (labelled "organisation – unit").
#[derive(Debug)]
pub struct SignupChoices {
    pub event: Event,
    pub organisations: Vec<Choice>,
    pub units: Vec<Choice>,
}

/// As many organisations and units as a deployment holds.
const EVERY: i64 = 100_000;

/// The event as the public sign-up page shows it, with its choices (no log-in).
pub fn signup_choices(state: &AppState, event_id: &str) -> Result<SignupChoices, AppError> {
    let mut conn = state.store.conn()?;
    let row = store::event(&mut conn, event_id)?.ok_or(AppError::NotFound)?;
    let open_to = audience(&mut conn, &row)?;
    let mut organisations: Vec<Choice> =
        organisations::list(&mut conn, &Visibility::Everything, None, EVERY)?
            .into_iter()
            .filter(|o| open_to.admits(&o.id))
            .map(|o| Choice {
                id: o.id,
                label: o.name,
            })
            .collect();
    organisations.sort_by(|a, b| a.label.cmp(&b.label));
    let names: HashMap<&str, &str> = organisations
        .iter()
        .map(|o| (o.id.as_str(), o.label.as_str()))
        .collect();
    let mut units: Vec<Choice> =
        organisations::list_units(&mut conn, &Visibility::Everything, None, None, EVERY)?
            .into_iter()
            .filter_map(|u| {
                names.get(u.organisation_id.as_str()).map(|org| Choice {
                    label: format!("{org} – {}", u.name),
                    id: u.id,
                })
            })
            .collect();
    units.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(SignupChoices {
        event: view(&mut conn, &row, state.now())?,
        organisations,
        units,
    })
}

/// A registration with the names of its organisation and unit.
#[derive(Debug)]
pub struct Registrant {
    pub registration: Registration,
    pub organisation: Option<String>,
    pub unit: Option<String>,
}

/// An event as its staff page shows it.
#[derive(Debug)]
pub struct EventRegistrants {
    pub event: Event,
    /// In the order they signed up.
    pub registrants: Vec<Registrant>,
    /// Whether attendance may be recorded now (the event has started).
    pub attendance_open: bool,
}

/// The event and its registrants in sign-up order, named (admins and consultants).
pub fn registrants(
    state: &AppState,
    actor: &Actor,
    event_id: &str,
) -> Result<EventRegistrants, AppError> {
    let rows = registrations(state, actor, event_id)?;
    let mut conn = state.store.conn()?;
    let event = store::event(&mut conn, event_id)?.ok_or(AppError::NotFound)?;
    let event = view(&mut conn, &event, state.now())?;
    let organisation_names: HashMap<String, String> =
        organisations::list(&mut conn, &Visibility::Everything, None, EVERY)?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
    let unit_names: HashMap<String, String> =
        organisations::list_units(&mut conn, &Visibility::Everything, None, None, EVERY)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
    let name = |names: &HashMap<String, String>, id: &Option<String>| {
        id.as_ref().and_then(|id| names.get(id)).cloned()
    };
    let named = rows
        .into_iter()
        .map(|registration| Registrant {
            organisation: name(&organisation_names, &registration.organisation_id),
            unit: name(&unit_names, &registration.unit_id),
            registration,
        })
        .collect();
    Ok(EventRegistrants {
        attendance_open: rules::check_attendance_time(state.now(), event.starts_at).is_ok(),
        event,
        registrants: named,
    })
}

/// The registrants as CSV (UTF-8 with BOM, `;`-separated), headed in `lang`'s words,
/// with the names of organisations and units and Stockholm times.
pub fn registrants_csv(
    state: &AppState,
    actor: &Actor,
    event_id: &str,
    lang: Language,
) -> Result<(Event, String), AppError> {
    let EventRegistrants {
        event,
        registrants: rows,
        ..
    } = registrants(state, actor, event_id)?;
    let word = |key: &str| crate::glossary::text(lang, &format!("events.csv.{key}"), &[]);
    let mut out = super::csv::CsvWriter::new();
    out.row(
        [
            "name",
            "email",
            "organisation",
            "unit",
            "status",
            "registered_at",
            "attended",
        ]
        .map(word),
    );
    for r in rows {
        let registered = crate::clock::stockholm::local(r.registration.registered_at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        out.row([
            r.registration.name.unwrap_or_default(),
            r.registration.email.unwrap_or_default(),
            r.organisation.unwrap_or_default(),
            r.unit.unwrap_or_default(),
            word(&format!("status_{}", r.registration.status.as_str())),
            registered,
            word(if r.registration.attended { "yes" } else { "no" }),
        ]);
    }
    Ok((event, out.finish()))
}

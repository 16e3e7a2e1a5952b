//! Client organisations and their units.

use super::views::{Organisation, OrganisationPage, Unit, UnitPage};
use super::{paginate, to_db, AppState, PageRequest};
use crate::app::email::EmailAddress;
use crate::app::error::AppError;
use crate::app::inputs::{NewOrganisation, NewUnit, OrganisationPatch, UnitPatch};
use crate::app::name::Name;
use crate::domain::policy::{authorize, visibility, Action, Target};
use crate::domain::values::is_valid_org_number;
use crate::domain::{Actor, FieldCode, FieldError};
use crate::store::rows::{OrganisationRow, UnitRow};
use crate::store::{ids, organisations};

fn org_target(id: &str) -> Target<'_> {
    Target {
        organisation_id: Some(id),
        ..Target::default()
    }
}

fn unit_target(unit: &UnitRow) -> Target<'_> {
    Target {
        organisation_id: Some(&unit.organisation_id),
        unit_id: Some(&unit.id),
        ..Target::default()
    }
}

fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

/// The contact address; an error (and `None`) when it is not one.
fn check_contact_email(
    email: Option<&EmailAddress>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match email?.check("contact_email") {
        Ok(()) => email.map(|e| e.as_str().to_string()),
        Err(_) => {
            errors.push(FieldError::coded(
                "contact_email",
                FieldCode::Email,
                "must be an e-mail address (null clears it)",
            ));
            None
        }
    }
}

pub fn create(
    state: &AppState,
    actor: &Actor,
    input: NewOrganisation,
) -> Result<Organisation, AppError> {
    authorize(actor, Action::CreateOrganisation, &Target::DEPLOYMENT)?;
    let name = input.name.as_str().to_string();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        ));
    }
    let org_number = input.org_number.as_deref().map(str::trim).map(String::from);
    if let Some(number) = &org_number {
        if !is_valid_org_number(number) {
            errors.push(FieldError::coded(
                "org_number",
                FieldCode::OrgNumber,
                "must be an organisationsnummer NNNNNN-NNNN with a valid check digit",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = OrganisationRow {
        id: ids::new_id(),
        name,
        org_number,
        created_at: to_db(state.now()),
        public_registry: false,
    };
    state
        .store
        .write(|conn| organisations::insert(conn, &row).map_err(AppError::from))?;
    Ok(row.into())
}

/// The org number's error, if `number` is not a valid organisationsnummer.
fn check_org_number(number: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let number = number.map(str::trim).map(String::from);
    if number.as_deref().is_some_and(|n| !is_valid_org_number(n)) {
        errors.push(FieldError::coded(
            "org_number",
            FieldCode::OrgNumber,
            "must be an organisationsnummer NNNNNN-NNNN with a valid check digit",
        ));
    }
    number
}

/// Renames an organisation, corrects its number or lists it in the public registry
/// (admin); fields left out stay.
pub fn patch(
    state: &AppState,
    actor: &Actor,
    id: &str,
    patch: OrganisationPatch,
) -> Result<Organisation, AppError> {
    state.store.write(|conn| {
        let mut row = organisations::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        authorize(actor, Action::UpdateOrganisation, &org_target(&row.id))?;
        let mut errors = Vec::new();
        if let Some(name) = &patch.name {
            if name.as_str().is_empty() {
                errors.push(FieldError::coded(
                    "name",
                    FieldCode::Required,
                    "must not be empty",
                ));
            }
            row.name = name.as_str().to_string();
        }
        if let Some(number) = &patch.org_number {
            row.org_number = check_org_number(number.as_deref(), &mut errors);
        }
        if let Some(listed) = patch.public_registry {
            row.public_registry = listed;
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        organisations::update(conn, &row)?;
        Ok(row.into())
    })
}

pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Organisation, AppError> {
    let mut conn = state.store.conn()?;
    let row = organisations::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &org_target(&row.id))?;
    Ok(row.into())
}

pub fn list(
    state: &AppState,
    actor: &Actor,
    page: PageRequest,
) -> Result<OrganisationPage, AppError> {
    let mut conn = state.store.conn()?;
    let rows = organisations::list(
        &mut conn,
        &visibility(actor),
        page.cursor.as_deref(),
        page.limit + 1,
    )?;
    let (rows, next_cursor) = paginate(rows, page.limit, |o| o.id.clone());
    Ok(OrganisationPage {
        items: rows.into_iter().map(Organisation::from).collect(),
        next_cursor,
    })
}

pub fn create_unit(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    input: NewUnit,
) -> Result<Unit, AppError> {
    let now = to_db(state.now());
    state.store.write(|conn| {
        let org = organisations::by_id(conn, organisation_id)?.ok_or(AppError::NotFound)?;
        authorize(actor, Action::CreateUnit, &org_target(&org.id))?;
        let row = unit_row(&org.id, &input, now).map_err(AppError::Invalid)?;
        organisations::insert_unit(conn, &row)?;
        Ok(row.into())
    })
}

/// A new unit's row, or what is wrong with `input`.
fn unit_row(
    organisation_id: &str,
    input: &NewUnit,
    now: chrono::NaiveDateTime,
) -> Result<UnitRow, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.as_str().to_string();
    if name.is_empty() {
        errors.push(FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        ));
    }
    let contact_email = check_contact_email(input.contact_email.as_ref(), &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(UnitRow {
        id: ids::new_id(),
        organisation_id: organisation_id.to_string(),
        name,
        department: clean(input.department.as_ref().map(Name::as_str)),
        headcount: input.headcount.get(),
        contact_email,
        created_at: now,
        updated_at: now,
    })
}

/// A refused import: what is wrong, row by row (rows count from 0).
#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<(usize, FieldError)>),
    Other(AppError),
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        ImportError::Other(e)
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Other(e.into())
    }
}

impl From<crate::store::StoreError> for ImportError {
    fn from(e: crate::store::StoreError) -> Self {
        ImportError::Other(e.into())
    }
}

/// Creates many units of one organisation in one transaction: all of them, or none
/// when any row is invalid (every invalid row is named).
pub fn import_units(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    inputs: Vec<NewUnit>,
) -> Result<Vec<Unit>, ImportError> {
    let now = to_db(state.now());
    state.store.write(|conn| {
        let org = organisations::by_id(conn, organisation_id)?.ok_or(AppError::NotFound)?;
        authorize(actor, Action::CreateUnit, &org_target(&org.id)).map_err(AppError::from)?;
        let mut rows = Vec::with_capacity(inputs.len());
        let mut errors = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            match unit_row(&org.id, input, now) {
                Ok(row) => rows.push(row),
                Err(found) => errors.extend(found.into_iter().map(|e| (i, e))),
            }
        }
        if !errors.is_empty() {
            return Err(ImportError::Rows(errors));
        }
        for row in &rows {
            organisations::insert_unit(conn, row)?;
        }
        Ok(rows.into_iter().map(Unit::from).collect())
    })
}

pub fn get_unit(state: &AppState, actor: &Actor, id: &str) -> Result<Unit, AppError> {
    let mut conn = state.store.conn()?;
    let row = organisations::unit_by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &unit_target(&row))?;
    Ok(row.into())
}

pub fn list_units(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<&str>,
    page: PageRequest,
) -> Result<UnitPage, AppError> {
    let mut conn = state.store.conn()?;
    let rows = organisations::list_units(
        &mut conn,
        &visibility(actor),
        organisation_id,
        page.cursor.as_deref(),
        page.limit + 1,
    )?;
    let (rows, next_cursor) = paginate(rows, page.limit, |u| u.id.clone());
    Ok(UnitPage {
        items: rows.into_iter().map(Unit::from).collect(),
        next_cursor,
    })
}

/// The ids of the organisation's units that have a live case, for whoever may enrol
/// its units: the enrolment form offers only the others.
pub fn units_with_live_case(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
) -> Result<Vec<String>, AppError> {
    authorize(actor, Action::Enrol, &org_target(organisation_id))?;
    let mut conn = state.store.conn()?;
    Ok(crate::store::cases::units_with_live_case(
        &mut conn,
        organisation_id,
    )?)
}

pub fn patch_unit(
    state: &AppState,
    actor: &Actor,
    id: &str,
    patch: UnitPatch,
) -> Result<Unit, AppError> {
    let now = to_db(state.now());
    state.store.write(|conn| {
        let mut row = organisations::unit_by_id(conn, id)?.ok_or(AppError::NotFound)?;
        authorize(actor, Action::UpdateUnit, &unit_target(&row))?;
        let mut errors = Vec::new();
        if let Some(name) = &patch.name {
            let name = name.as_str();
            if name.is_empty() {
                errors.push(FieldError::coded(
                    "name",
                    FieldCode::Required,
                    "must not be empty",
                ));
            }
            row.name = name.to_string();
        }
        if let Some(department) = &patch.department {
            if department
                .as_ref()
                .is_some_and(|d| d.as_str().chars().count() > 200)
            {
                errors.push(
                    FieldError::coded(
                        "department",
                        FieldCode::TooLong,
                        "must be at most 200 characters",
                    )
                    .with("max", 200),
                );
            }
            row.department = clean(department.as_ref().map(Name::as_str));
        }
        if let Some(headcount) = patch.headcount {
            row.headcount = headcount.get();
        }
        if let Some(email) = &patch.contact_email {
            row.contact_email = check_contact_email(email.as_ref(), &mut errors);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        organisations::update_unit(conn, &row, now)?;
        row.updated_at = now;
        Ok(row.into())
    })
}

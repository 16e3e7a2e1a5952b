//! Creating and listing the people who use Stegvis.

use super::views::{User, UserPage};
use super::{auth, paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::app::inputs::NewUser;
use crate::app::password::NewPassword;
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Language, Role};
use crate::store::rows::UserRow;
use crate::store::{ids, is_unique_violation, organisations, users};

/// Creates a user; `actor` is `None` only for the command line's first admin.
pub fn create(state: &AppState, actor: Option<&Actor>, input: NewUser) -> Result<User, AppError> {
    if let Some(actor) = actor {
        authorize(actor, Action::CreateUser, &Target::DEPLOYMENT)?;
    }
    let mut errors = Vec::new();
    if let Err(e) = input.email.check("email") {
        errors.push(e);
    }
    let email = input.email.as_str().to_string();
    if input.name.as_str().is_empty() {
        errors.push(FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        ));
    }
    let password = NewPassword::parse(&input.password)
        .map_err(|e| errors.push(e))
        .ok();
    match input.role {
        Role::Coordinator if input.organisation_id.is_none() => errors.push(FieldError::coded(
            "organisation_id",
            FieldCode::CoordinatorNeedsOrganisation,
            "a coordinator needs an organisation",
        )),
        Role::UnitContact if input.unit_id.is_none() => errors.push(FieldError::coded(
            "unit_id",
            FieldCode::UnitContactNeedsUnit,
            "a unit contact needs a unit",
        )),
        _ => {}
    }
    if input.role != Role::Coordinator && input.organisation_id.is_some() {
        errors.push(FieldError::coded(
            "organisation_id",
            FieldCode::OnlyCoordinatorOrganisation,
            "only a coordinator belongs to an organisation",
        ));
    }
    if input.role != Role::UnitContact && input.unit_id.is_some() {
        errors.push(FieldError::coded(
            "unit_id",
            FieldCode::OnlyUnitContactUnit,
            "only a unit contact belongs to a unit",
        ));
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    // Hash outside the transaction: it is slow on purpose.
    let password_hash = auth::hash_password(password.expose())?;
    let now = state.now();
    state.store.write(|conn| {
        let (organisation_id, unit_id) = match input.role {
            Role::Coordinator => {
                let org = input.organisation_id.clone().unwrap_or_default();
                organisations::by_id(conn, &org)?.ok_or_else(|| {
                    AppError::Invalid(vec![FieldError::coded(
                        "organisation_id",
                        FieldCode::UnknownOrganisation,
                        "no organisation has this id",
                    )])
                })?;
                (Some(org), None)
            }
            Role::UnitContact => {
                let unit_id = input.unit_id.clone().unwrap_or_default();
                let unit = organisations::unit_by_id(conn, &unit_id)?.ok_or_else(|| {
                    AppError::Invalid(vec![FieldError::coded(
                        "unit_id",
                        FieldCode::UnknownUnit,
                        "no unit has this id",
                    )])
                })?;
                (Some(unit.organisation_id), Some(unit_id))
            }
            _ => (None, None),
        };
        let row = UserRow {
            id: ids::new_id(),
            email: email.clone(),
            name: input.name.as_str().to_string(),
            role: input.role,
            organisation_id,
            unit_id,
            language: input.language.unwrap_or(Language::Sv),
            password_hash,
            created_at: to_db(now),
        };
        match users::insert(conn, &row) {
            Err(e) if is_unique_violation(&e) => Err(AppError::Conflict(ConflictCode::EmailTaken)),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(User::from_row(&row)),
        }
    })
}

pub fn list(
    state: &AppState,
    actor: &Actor,
    role: Option<Role>,
    page: PageRequest,
) -> Result<UserPage, AppError> {
    authorize(actor, Action::ListUsers, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let rows = users::list(
        &mut conn,
        role.map(Role::as_str),
        page.cursor.as_deref(),
        page.limit + 1,
    )?;
    let (rows, next_cursor) = paginate(rows, page.limit, |u| u.id.clone());
    Ok(UserPage {
        items: rows.iter().map(User::from_row).collect(),
        next_cursor,
    })
}

/// Creates a user with no acting user behind it (the way the first admin is made).
pub fn create_unattended(state: &AppState, input: NewUser) -> anyhow::Result<User> {
    create(state, None, input).map_err(|e| match e {
        crate::app::error::AppError::Invalid(errors) => anyhow::anyhow!(
            "invalid: {}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    })
}

//! Creating and listing the people who use Stegvis.

use super::access_audit::{self, AccessEvent, AccessKind};
use super::password_reset::{self, Purpose};
use super::views::{User, UserPage};
use super::{auth, paginate, to_db, AppState, PageRequest};
use crate::app::error::AppError;
use crate::app::inputs::{NewUser, UserPatch};
use crate::app::password::NewPassword;
use crate::domain::policy::{authorize, authorize_on_user, Action, Person, Target};
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Language, Role};
use crate::store::rows::UserRow;
use crate::store::{ids, is_unique_violation, organisations, users, DbConnection};

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
    // No password: a random one nobody knows, and a welcome mail to choose one.
    let welcome = input.password.is_none();
    let password = match &input.password {
        Some(raw) => NewPassword::parse(raw).map_err(|e| errors.push(e)).ok(),
        None => NewPassword::parse(&ids::random_hex(32)).ok(),
    };
    errors.extend(placement_errors(
        input.role,
        input.organisation_id.as_deref(),
        input.unit_id.as_deref(),
    ));
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    // Hash outside the transaction: it is slow on purpose.
    let password_hash = auth::hash_password(password.expose())?;
    let now = state.now();
    let settings = state.settings.clone();
    state.store.write(|conn| {
        let (organisation_id, unit_id) = resolve_placement(
            conn,
            input.role,
            input.organisation_id.as_deref(),
            input.unit_id.as_deref(),
        )?;
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
            active: true,
        };
        match users::insert(conn, &row) {
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::Conflict(ConflictCode::EmailTaken))
            }
            Err(e) => return Err(e.into()),
            Ok(()) => {}
        }
        if welcome {
            password_reset::issue_in(conn, &settings, &row, Purpose::Welcome, now)?;
            access_audit::record_in(
                conn,
                now,
                AccessEvent::new(
                    AccessKind::WelcomeSent,
                    actor.map(|a| a.id.as_str()),
                    Some(&row.id),
                ),
            )?;
        }
        Ok(User::from_row(&row))
    })
}

/// What is wrong with where a user of `role` is placed: a coordinator belongs to an
/// organisation, a unit contact to a unit, nobody else to either.
fn placement_errors(
    role: Role,
    organisation_id: Option<&str>,
    unit_id: Option<&str>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match role {
        Role::Coordinator if organisation_id.is_none() => errors.push(FieldError::coded(
            "organisation_id",
            FieldCode::CoordinatorNeedsOrganisation,
            "a coordinator needs an organisation",
        )),
        Role::UnitContact if unit_id.is_none() => errors.push(FieldError::coded(
            "unit_id",
            FieldCode::UnitContactNeedsUnit,
            "a unit contact needs a unit",
        )),
        _ => {}
    }
    if role != Role::Coordinator && organisation_id.is_some() {
        errors.push(FieldError::coded(
            "organisation_id",
            FieldCode::OnlyCoordinatorOrganisation,
            "only a coordinator belongs to an organisation",
        ));
    }
    if role != Role::UnitContact && unit_id.is_some() {
        errors.push(FieldError::coded(
            "unit_id",
            FieldCode::OnlyUnitContactUnit,
            "only a unit contact belongs to a unit",
        ));
    }
    errors
}

/// The (organisation, unit) a checked placement stores: a unit contact also
/// belongs to their unit's organisation. 422 when the organisation or unit is unknown.
fn resolve_placement(
    conn: &mut DbConnection,
    role: Role,
    organisation_id: Option<&str>,
    unit_id: Option<&str>,
) -> Result<(Option<String>, Option<String>), AppError> {
    match role {
        Role::Coordinator => {
            let org = organisation_id.unwrap_or_default();
            organisations::by_id(conn, org)?.ok_or_else(|| {
                AppError::Invalid(vec![FieldError::coded(
                    "organisation_id",
                    FieldCode::UnknownOrganisation,
                    "no organisation has this id",
                )])
            })?;
            Ok((Some(org.to_string()), None))
        }
        Role::UnitContact => {
            let unit_id = unit_id.unwrap_or_default();
            let unit = organisations::unit_by_id(conn, unit_id)?.ok_or_else(|| {
                AppError::Invalid(vec![FieldError::coded(
                    "unit_id",
                    FieldCode::UnknownUnit,
                    "no unit has this id",
                )])
            })?;
            Ok((Some(unit.organisation_id), Some(unit_id.to_string())))
        }
        _ => Ok((None, None)),
    }
}

/// Where `row`'s account sits, for the policy.
pub(crate) fn person_of(row: &UserRow) -> Person<'_> {
    Person {
        id: &row.id,
        organisation_id: row.organisation_id.as_deref(),
        unit_id: row.unit_id.as_deref(),
    }
}

/// Changes a user (admin); `active: false` ends every token, web session and
/// set-password link of theirs in the same transaction. An admin may not deactivate themselves or change
/// their own role (409), so a deployment cannot lose its last admin by accident.
pub fn patch(
    state: &AppState,
    actor: &Actor,
    id: &str,
    patch: UserPatch,
    client: &str,
) -> Result<User, AppError> {
    let now = state.now();
    state.store.write(|conn| {
        let mut row = users::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        let before = (row.role, row.active);
        authorize_on_user(actor, Action::ManageUsers, &person_of(&row))?;
        let own = row.id == actor.id;
        let role = patch.role.unwrap_or(row.role);
        if own && (patch.active == Some(false) || role != row.role) {
            return Err(AppError::Conflict(ConflictCode::OwnAccount));
        }
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
        // Fields not sent keep their value while the role keeps them; a new role
        // drops a placement it does not have.
        let kept = |sent: &Option<Option<String>>, stored: &Option<String>, has: Role| match sent {
            Some(value) => value.clone(),
            None if role == has && row.role == has => stored.clone(),
            None => None,
        };
        let organisation_id = kept(
            &patch.organisation_id,
            &row.organisation_id,
            Role::Coordinator,
        );
        let unit_id = kept(&patch.unit_id, &row.unit_id, Role::UnitContact);
        errors.extend(placement_errors(
            role,
            organisation_id.as_deref(),
            unit_id.as_deref(),
        ));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (organisation_id, unit_id) =
            resolve_placement(conn, role, organisation_id.as_deref(), unit_id.as_deref())?;
        row.role = role;
        row.organisation_id = organisation_id;
        row.unit_id = unit_id;
        if let Some(language) = patch.language {
            row.language = language;
        }
        if let Some(active) = patch.active {
            row.active = active;
        }
        users::update(conn, &row)?;
        if !row.active {
            users::delete_tokens_of(conn, &row.id, None)?;
            crate::store::people::delete_links_of(conn, &row.id)?;
        }
        let mut changes = Vec::new();
        if before.0 != row.role {
            changes.push((AccessKind::RoleChanged, Some(row.role.as_str())));
        }
        match (before.1, row.active) {
            (true, false) => changes.push((AccessKind::Deactivated, None)),
            (false, true) => changes.push((AccessKind::Reactivated, None)),
            _ => {}
        }
        for (kind, detail) in changes {
            let mut event =
                AccessEvent::new(kind, Some(&actor.id), Some(&row.id)).from_client(client);
            if let Some(detail) = detail {
                event = event.detail(detail);
            }
            access_audit::record_in(conn, now, event)?;
        }
        Ok(User::from_row(&row))
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

/// One user, for an admin (`ManageUsers`).
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<User, AppError> {
    let mut conn = state.store.conn()?;
    let row = users::by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
    authorize_on_user(actor, Action::ManageUsers, &person_of(&row))?;
    Ok(User::from_row(&row))
}

/// A signed-in user changes their own name and language (the profile page).
pub fn update_own(
    state: &AppState,
    actor: &Actor,
    name: &str,
    language: Language,
) -> Result<User, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "name",
            FieldCode::Required,
            "must not be empty",
        )]));
    }
    state.store.write(|conn| {
        let mut row = users::by_id(conn, &actor.id)?.ok_or(AppError::NotFound)?;
        row.name = name.to_string();
        row.language = language;
        users::update(conn, &row)?;
        Ok(User::from_row(&row))
    })
}

/// The names of these users, as (id, name), for lists that name people.
pub fn names(state: &AppState, ids: &[String]) -> Result<Vec<(String, String)>, AppError> {
    let mut conn = state.store.conn()?;
    Ok(users::names_of(&mut conn, ids)?)
}

//! Creating users outside the API: the first admin, from the command line or a test.

use std::sync::Arc;

use crate::app::inputs::NewUser;
use crate::clock::SystemClock;
use crate::config::Settings;
use crate::domain::{Language, Role};
use crate::app::views::User;
use crate::app::{users, AppState};
use crate::startup::prepare;

/// Creates a user with no acting user behind it (the way the first admin is made).
pub fn create_user(state: &AppState, input: NewUser) -> anyhow::Result<User> {
    users::create(state, None, input).map_err(|e| match e {
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

/// Creates an admin in the database `settings` names; returns the admin's id.
pub fn create_admin(
    settings: &Settings,
    email: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<String> {
    let state = prepare(settings.clone(), Arc::new(SystemClock))?;
    let user = create_user(
        &state,
        NewUser {
            email: email.into(),
            name: name.into(),
            role: Role::Admin,
            organisation_id: None,
            unit_id: None,
            language: Some(Language::Sv),
            password: password.into(),
        },
    )?;
    Ok(user.id)
}

//! Creating users outside the API: the first admin, from the command line or a test.

use std::sync::Arc;

use crate::app::email::EmailAddress;
use crate::app::inputs::NewUser;
use crate::clock::SystemClock;
use crate::config::Settings;
use crate::domain::{Language, Role};
use crate::startup::prepare;

pub use crate::app::users::create_unattended as create_user;

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
            email: EmailAddress::sent(email),
            name: name.into(),
            role: Role::Admin,
            organisation_id: None,
            unit_id: None,
            language: Some(Language::Sv),
            password: Some(password.into()),
        },
    )?;
    Ok(user.id)
}

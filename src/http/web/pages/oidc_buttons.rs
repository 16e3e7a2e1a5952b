//! The log-in page's single sign-on buttons, one per configured provider (kept apart
//! from `pages::oidc`, which uses the log-in's session start).

use serde::Serialize;

use crate::app::AppState;
use crate::http::web::urlencode;

/// One button of the log-in page (a link: the page's `form-action 'self'` would
/// stop a form's redirect to the provider).
#[derive(Debug, Serialize)]
pub struct SsoButton {
    pub href: String,
    pub label: String,
}

/// The log-in page's buttons, one per configured provider.
pub fn buttons(state: &AppState) -> Vec<SsoButton> {
    state
        .settings
        .auth
        .oidc
        .iter()
        .map(|p| SsoButton {
            href: format!("/auth/oidc/login?provider={}", urlencode(&p.id)),
            label: p.display_name.clone(),
        })
        .collect()
}

//! The page that asks before a step that cannot be undone: what is about to happen,
//! what was typed, and one button that sends it all again with `step=confirm`. The
//! first send of such a form (`step=review`) is checked by the same rules as the use
//! case and answered with this page; only the confirmation runs the use case.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;

use crate::app::AppState;
use crate::http::web::forms::FormData;
use crate::http::web::session::Viewer;
use crate::http::web::{page, WebError};

/// One confirmation: the question, the facts it is about, and the form that confirms.
#[derive(Debug, Serialize)]
pub struct Confirmation {
    /// The confirming form's id.
    pub id: String,
    /// Where the confirmation is sent.
    pub action: String,
    pub title: String,
    pub question: String,
    /// What is about to be sent, as (label, value).
    pub facts: Vec<(String, String)>,
    /// The fields sent again, as typed.
    pub hidden: Vec<(String, String)>,
    pub confirm: String,
    /// The confirm button looks destructive.
    pub destructive: bool,
    /// Where "go back" leads.
    pub back: String,
}

/// True for the confirmation's send (`step=confirm`); false for the first send.
pub fn confirmed(form: &FormData) -> bool {
    form.text("step") == "confirm"
}

/// Shows the confirmation page.
pub fn ask(
    state: &AppState,
    viewer: &Viewer,
    confirmation: &Confirmation,
) -> Result<HttpResponse, WebError> {
    page(
        state,
        viewer,
        "confirm",
        confirmation.title.clone(),
        StatusCode::OK,
        confirmation,
    )
}

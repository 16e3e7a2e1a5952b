//! A case's page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::case_view;
use crate::app::AppState;
use crate::http::web::forms::Feedback;
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, WebError};

/// Renders the case page, with `feedback` next to the form it refused.
pub async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    case_id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let (s, actor, lang) = (state.clone(), viewer.actor.clone(), viewer.lang);
    let return_to = format!("/cases/{case_id}");
    let data = blocking(lang, move || {
        case_view::build(&s, &actor, lang, &case_id, feedback.as_ref(), &return_to)
    })
    .await?;
    let title = text(lang, "case.title", &[("unit", data.unit.clone())]);
    page(state, viewer, "case", title, status, &data)
}

/// `GET /cases/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render(&state, &viewer, id.into_inner(), None).await
}

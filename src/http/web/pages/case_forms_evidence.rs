//! The evidence form (a description, a link, a file: `multipart/form-data`; a plain
//! urlencoded form is still read) and the download of an evidence file
//! (`GET /cases/{id}/evidence/{eid}/file`, only for who may see the case).

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};

use super::case_forms::finish;
use crate::app::evidence_files;
use crate::app::inputs::NewEvidence;
use crate::app::AppState;
use crate::http::api::evidence_files::file_response;
use crate::http::upload;
use crate::http::web::forms::FormData;
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, WebError};

/// Adds evidence in a routine area, with a file when one was chosen.
pub async fn evidence(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    let mut payload: Payload = payload.into_inner();
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let (form, file) = if multipart {
        let max = state.settings.evidence.max_file_bytes;
        let sent = upload::read(req.headers(), payload, max)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        (FormData(sent.fields), sent.file)
    } else {
        (FormData::from_request(&req, &mut payload).await?, None)
    };
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let input = NewEvidence::try_from(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        evidence_files::add(&s, &actor, &cid, input, file)
    })
    .await?;
    finish(
        state,
        viewer,
        case_id,
        "evidence",
        &form,
        outcome,
        "evidence_added",
    )
    .await
}

/// An evidence file, as an attachment.
pub async fn file(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (case_id, evidence_id) = path.into_inner();
    let actor = viewer.actor.clone();
    let (file, content) = blocking(viewer.lang, move || {
        evidence_files::download(&state, &actor, &case_id, &evidence_id)
    })
    .await?;
    Ok(file_response(&file, content))
}

//! A NUL character in a URL: never part of an id or a filter Stegvis issues, and
//! PostgreSQL refuses it in text, so it is answered here — 404 in a path, 422 in a
//! query — before any handler takes it to the database.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::app::error::AppError;
use crate::domain::{FieldCode, FieldError, Language};
use crate::http::web::chrome::error_page;

/// True when `part` of a URL carries a percent-encoded NUL.
fn has_nul(part: &str) -> bool {
    part.to_ascii_lowercase().contains("%00")
}

/// The name of the first query parameter that carries a NUL (in its name or value).
fn parameter_with_nul(query: &str) -> Option<String> {
    query.split('&').find(|pair| has_nul(pair)).map(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        if name.is_empty() || has_nul(name) {
            "query".to_string()
        } else {
            name.to_string()
        }
    })
}

/// The middleware: refuses a URL with a NUL; passes every other request on.
pub async fn refuse_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let in_path = has_nul(req.uri().path());
    let in_query = req.uri().query().and_then(parameter_with_nul);
    let error = match (in_path, in_query) {
        (false, None) => return Ok(next.call(req).await?.map_into_left_body()),
        (true, _) => AppError::NotFound,
        (false, Some(parameter)) => AppError::Invalid(vec![FieldError::coded(
            parameter,
            FieldCode::ControlCharacters,
            "must not contain control characters such as tabs or line breaks",
        )]),
    };
    let response = if req.path().starts_with("/api/") {
        error.error_response()
    } else {
        error_page(&error, Language::Sv)
    };
    Ok(req.into_response(response).map_into_right_body())
}

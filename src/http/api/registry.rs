//! The public registry as JSON: `GET /api/v1/registry`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::QueryPairs;
use super::respond::{blocking, ok};
use crate::app::error::AppError;
use crate::app::registry::{self, RegistryPage, RegistryQuery, MAX_QUERY};
use crate::app::AppState;

/// `?q=` (at most 200 characters), `?limit=` and `?cursor=`; 422 naming the field.
pub(crate) fn query_of(req: &HttpRequest) -> Result<RegistryQuery, AppError> {
    let pairs = QueryPairs::from_request(req)?;
    let page = pairs.page()?;
    let q = pairs.get("q").unwrap_or_default().trim().to_string();
    if q.chars().count() > MAX_QUERY || q.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "q",
            format!("must be at most {MAX_QUERY} characters of text"),
        ));
    }
    Ok(RegistryQuery { q, page })
}

/// The certified units of organisations that opted in: no log-in, no people.
#[utoipa::path(get, path = "/api/v1/registry", tag = "verification",
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Words the unit's, organisation's or programme's name must contain (any case)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of the registry", body = RegistryPage)))]
pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let query = query_of(&req)?;
    let page = blocking(move || registry::page(&state, &query)).await?;
    Ok(ok(&page))
}

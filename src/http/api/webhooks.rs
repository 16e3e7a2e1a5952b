//! `/webhooks` (admin): register, list, read and delete endpoints; retry a dead
//! delivery.

use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::{Authenticated, JsonBody, QueryPairs};
use super::respond::{blocking, created, ok};
use crate::app::error::AppError;
use crate::app::webhooks::{
    self, CreatedWebhook, NewWebhook, WebhookDelivery, WebhookDetail, WebhookPage,
};
use crate::app::AppState;
use crate::http::problem::Problem;

/// Registers an endpoint for some event kinds (admin). The answer holds the signing
/// secret, shown only here.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, description = "Registered", body = CreatedWebhook, headers(("Location" = String, description = "The new endpoint")))),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<NewWebhook>,
) -> Result<HttpResponse, AppError> {
    let hook = blocking(move || webhooks::create(&state, &auth.0, body.0)).await?;
    Ok(created(
        format!("/api/v1/webhooks/{}", hook.webhook.id),
        &hook,
    ))
}

/// The registered endpoints, oldest first (admin).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, pattern = "^[0-9A-Za-z]{0,64}$", description = "The next_cursor of the previous page"),
    ),
    responses((status = 200, description = "A page of endpoints", body = WebhookPage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = QueryPairs::from_request(&req)?.page()?;
    let hooks = blocking(move || webhooks::list(&state, &auth.0, page)).await?;
    Ok(ok(&hooks))
}

/// One endpoint with its newest deliveries (admin).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 200, description = "The endpoint", body = WebhookDetail)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hook = blocking(move || webhooks::get(&state, &auth.0, &id)).await?;
    Ok(ok(&hook))
}

/// Deletes an endpoint and its deliveries (admin).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Endpoint id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    blocking(move || webhooks::delete(&state, &auth.0, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Puts a dead delivery back in the queue, due now (admin).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "webhooks",
    params(
        ("id" = String, Path, description = "Endpoint id"),
        ("delivery_id" = String, Path, description = "Delivery id"),
    ),
    responses(
        (status = 200, description = "The delivery, pending again", body = WebhookDelivery),
        (status = 409, description = "The delivery is not dead", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn retry(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, delivery_id) = path.into_inner();
    let delivery = blocking(move || webhooks::retry(&state, &auth.0, &id, &delivery_id)).await?;
    Ok(ok(&delivery))
}

//! Small helpers for building answers.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::app::case_views::Case;
use crate::app::error::AppError;

/// Runs a synchronous use case on the blocking pool.
pub async fn blocking<T, F>(f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
{
    web::block(f).await?
}

pub fn ok<T: Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}

/// 201 with the new resource and where it lives.
pub fn created<T: Serialize>(location: String, value: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(value)
}

/// A case, with its version as the ETag.
pub fn case(case: &Case) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", case.version)))
        .json(case)
}

/// A new case: 201, its location and its ETag.
pub fn case_created(case: &Case) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/cases/{}", case.id)))
        .insert_header((header::ETAG, format!("\"{}\"", case.version)))
        .json(case)
}

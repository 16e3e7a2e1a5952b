//! Small helpers for building answers.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::app::case_views::Case;
use crate::app::error::AppError;
use crate::app::AppState;
use crate::store::DbConnection;

/// Runs a synchronous use case on the blocking pool.
pub async fn blocking<T, F>(f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
{
    web::block(f).await?
}

/// Runs a short read: on this HTTP worker when an SQLite connection is free right now
/// (one indexed read costs less than the hand-off to the blocking pool and back, two
/// thread switches), otherwise, and always on PostgreSQL, on the blocking pool. It
/// never waits for the pool on the worker.
pub async fn read<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &AppState) -> Result<T, AppError> + Send + 'static,
{
    if let Some(mut conn) = state.store.conn_now() {
        return f(&mut conn, state);
    }
    let state = state.clone();
    blocking(move || f(&mut *state.store.conn()?, &state)).await
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

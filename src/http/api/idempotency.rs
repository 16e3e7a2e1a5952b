//! `Idempotency-Key` on POST: the first answer is stored in the database (so it holds
//! across restarts and instances) and replayed for a retry with the same key and body.
//! Not for `/auth/*`: a log-in's answer is a secret and is never stored.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use chrono::Duration;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::extract::{authenticate, bearer_token, BODY_LIMIT};
use crate::app::error::AppError;
use crate::app::{to_db, AppState};
use crate::domain::ConflictCode;
use crate::http::problem::PROBLEM_JSON;
use crate::store::rows::IdempotencyRow;
use crate::store::{idempotency, is_unique_violation};

const HEADER: &str = "idempotency-key";
/// A claim older than this whose request never finished (the process died) is taken over.
const ABANDONED_AFTER_SECS: i64 = 60;

enum Claim {
    Run,
    Replay(IdempotencyRow),
}

fn answer(req: ServiceRequest, error: AppError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

/// The middleware; a pass-through for anything but a keyed, authenticated POST.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_string).unwrap_or_default());
    // The log-in's answer is a bearer token: storing it would keep a secret in plain
    // text (tokens are otherwise kept only hashed), so its key is ignored.
    let secret = req.path().starts_with("/api/v1/auth/");
    let (Some(key), true, false) = (key, req.method() == Method::POST, secret) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Ok(answer(
            req,
            AppError::invalid("Idempotency-Key", "1 to 255 visible ASCII characters"),
        ));
    }
    let (Some(state), Some(token)) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        bearer_token(req.request()),
    ) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let actor = match authenticate(state.clone(), token).await {
        Ok((actor, _)) => actor,
        // The handler answers 401 itself.
        _ => {
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body)
        }
    };
    req.extensions_mut().insert(actor.clone());

    let mut payload = req.take_payload();
    let mut bytes = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return Ok(answer(req, AppError::Malformed("unreadable body".into())));
        };
        if bytes.len() + chunk.len() > BODY_LIMIT {
            return Ok(answer(req, AppError::PayloadTooLarge));
        }
        bytes.extend_from_slice(&chunk);
    }
    let bytes: Bytes = bytes.freeze();
    let mut hasher = Sha256::new();
    hasher.update(req.path().as_bytes());
    hasher.update(b"?");
    hasher.update(req.query_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());

    let (claim_state, user_id, claim_key) = (state.clone(), actor.id.clone(), key.clone());
    let claim = web::block(move || claim(&claim_state, &user_id, &claim_key, &request_hash)).await;
    match claim {
        Ok(Ok(Claim::Run)) => {}
        Ok(Ok(Claim::Replay(row))) => return Ok(req.into_response(replay(&row))),
        Ok(Err(error)) => return Ok(answer(req, error)),
        Err(error) => return Ok(answer(req, error.into())),
    }

    req.set_payload(Payload::from(bytes));
    let response = next.call(req).await?;
    let status = response.status();
    let (user_id, done_key) = (actor.id.clone(), key.clone());
    if status.is_server_error() {
        let _ = web::block(move || {
            state
                .store
                .write(|c| idempotency::release(c, &user_id, &done_key).map_err(AppError::from))
        })
        .await;
        return Ok(response.map_into_boxed_body());
    }
    let (http_req, res) = response.into_parts();
    let etag = header_text(res.headers(), header::ETAG);
    let location = header_text(res.headers(), header::LOCATION);
    let (res, res_body) = res.into_parts();
    let body_bytes = body::to_bytes(res_body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response body"))?;
    let stored = String::from_utf8_lossy(&body_bytes).to_string();
    let saved = web::block(move || {
        state.store.write(|c| {
            idempotency::complete(
                c,
                &user_id,
                &done_key,
                i32::from(status.as_u16()),
                &stored,
                etag.as_deref(),
                location.as_deref(),
            )
            .map_err(AppError::from)
        })
    })
    .await;
    if let Ok(Err(e)) | Err(e) = saved.map_err(AppError::from) {
        tracing::error!(error = %e, "could not store an idempotent answer");
    }
    Ok(ServiceResponse::new(
        http_req,
        res.set_body(BoxBody::new(body_bytes)),
    ))
}

fn header_text(headers: &header::HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn claim(
    state: &AppState,
    user_id: &str,
    key: &str,
    request_hash: &str,
) -> Result<Claim, AppError> {
    let now = state.now();
    state.store.write(|conn| {
        if let Some(row) = idempotency::find(conn, user_id, key)? {
            let expired = row.created_at < to_db(now - Duration::hours(24));
            let abandoned = row.status.is_none()
                && row.created_at < to_db(now - Duration::seconds(ABANDONED_AFTER_SECS));
            if expired || abandoned {
                idempotency::release(conn, user_id, key)?;
            } else if row.request_hash != request_hash {
                return Err(AppError::invalid(
                    "Idempotency-Key",
                    "this key was used with another request body",
                ));
            } else if row.status.is_some() {
                return Ok(Claim::Replay(row));
            } else {
                return Err(AppError::Conflict(ConflictCode::IdempotencyRunning));
            }
        }
        let row = IdempotencyRow {
            user_id: user_id.to_string(),
            key: key.to_string(),
            request_hash: request_hash.to_string(),
            status: None,
            response_body: None,
            etag: None,
            location: None,
            created_at: to_db(now),
        };
        match idempotency::claim(conn, &row) {
            Err(e) if is_unique_violation(&e) => {
                Err(AppError::Conflict(ConflictCode::IdempotencyRunning))
            }
            Err(e) => Err(e.into()),
            Ok(()) => Ok(Claim::Run),
        }
    })
}

fn replay(row: &IdempotencyRow) -> HttpResponse {
    let status = row
        .status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    if status != StatusCode::NO_CONTENT {
        response.content_type(if status.as_u16() >= 400 {
            PROBLEM_JSON
        } else {
            "application/json"
        });
    }
    if let Some(etag) = &row.etag {
        response.insert_header((header::ETAG, etag.clone()));
    }
    if let Some(location) = &row.location {
        response.insert_header((header::LOCATION, location.clone()));
    }
    response.insert_header(("Idempotent-Replayed", "true"));
    response.body(row.response_body.clone().unwrap_or_default())
}

//! What every request leaves behind: a request id (the client's `X-Request-Id` when it
//! is a sane token, else a new one), sent back as `X-Request-Id` and carried by every
//! log line written while the request is handled; one access-log line (method, route
//! template, status, time — never the path, which may hold ids, nor the query); and
//! the request counters and latency histogram of `/metrics`.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

use crate::app::metrics;

/// The header that carries the request id, both ways.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The route label of a request that no route matched.
const UNMATCHED: &str = "(unmatched)";

/// The client's request id when it is 1 to 64 letters, digits, `-`, `_`, `.` or `:`
/// (no room for an address or a token with its own punctuation); otherwise a new one.
pub fn request_id(incoming: Option<&HeaderValue>) -> String {
    incoming
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        })
        .map_or_else(|| format!("{:032x}", rand::random::<u128>()), str::to_owned)
}

/// A route template as a label: `/api/v1/cases/{id}` is written `/api/v1/cases/:id`,
/// so the value holds no braces (which some exposition parsers and query regexes
/// read as syntax).
pub fn route_label(pattern: &str) -> String {
    let mut label = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        label.push_str(&rest[..open]);
        // A segment's own pattern (`{id:[0-9]+}`) is left out.
        let name = rest[open + 1..close].split(':').next().unwrap_or_default();
        label.push(':');
        label.push_str(name);
        rest = &rest[close + 1..];
    }
    label.push_str(rest);
    label
}

/// The middleware, outermost: it sees every answer, refusals of the inner ones too.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(req.headers().get(&X_REQUEST_ID));
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .map_or_else(|| UNMATCHED.into(), |p| route_label(&p));
    let span = tracing::info_span!("request", request_id = %id);
    let outcome = next.call(req).instrument(span.clone()).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    let took = started.elapsed();
    span.in_scope(|| {
        tracing::debug!(
            %method,
            route,
            status = status.as_u16(),
            micros = took.as_micros() as u64,
            "request"
        );
    });
    metrics::http_request(method.as_str(), route, status.as_u16(), took);
    let mut response = outcome?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_incoming_id_is_kept() {
        let sent = HeaderValue::from_static("req-42.a_b:c");
        assert_eq!(request_id(Some(&sent)), "req-42.a_b:c");
    }

    #[test]
    fn an_id_with_other_characters_or_too_long_is_replaced() {
        for sent in ["ada@example.se", "a b", "", &"x".repeat(65)] {
            let value = HeaderValue::from_str(sent).unwrap();
            let id = request_id(Some(&value));
            assert_ne!(id, sent);
            assert_eq!(id.len(), 32, "a new id: {id}");
        }
    }

    #[test]
    fn a_route_label_names_its_segments_without_braces() {
        assert_eq!(
            route_label("/api/v1/cases/{id}/sessions/{sid}"),
            "/api/v1/cases/:id/sessions/:sid"
        );
        assert_eq!(route_label("/x/{id:[0-9]+}/y"), "/x/:id/y");
        assert_eq!(route_label("/healthz"), "/healthz");
    }

    #[test]
    fn a_missing_id_is_made() {
        let id = request_id(None);
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

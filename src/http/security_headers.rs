//! Security headers on every answer: a content security policy without inline
//! script that forbids framing, nosniff, a same-origin referrer, HSTS when the public
//! URL is https, and `Cache-Control: no-store` on answers to a signed-in caller (they
//! carry personal data that no shared or browser cache should keep), unless the
//! handler declared the answer public (the stylesheet, the signing keys).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::app::AppState;

/// Scripts only from the app itself (it has none inline); styles may be inline for the
/// verification page; no framing at all.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One year, the usual HSTS lifetime.
const HSTS: &str = "max-age=31536000";

/// Cookie of a signed-in browser (kept equal to the web session's cookie name).
const SESSION_COOKIE: &str = "stegvis_session";

/// True when the request is made by, or makes, a signed-in caller.
fn is_authenticated(req: &ServiceRequest) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
        || req.cookie(SESSION_COOKIE).is_some()
        || req.path() == "/login"
        || req.path().starts_with("/auth/oidc/")
        || req.path().starts_with("/api/v1/auth/")
}

/// The middleware: adds the headers to whatever the handlers answered.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.server.public_url.starts_with("https://"));
    let private = is_authenticated(&req);
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    let public = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if private && !public {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            HeaderName::from_static("pragma"),
            HeaderValue::from_static("no-cache"),
        );
    }
    Ok(response)
}

//! The HTTP side of single sign-on: `openidconnect`'s async client trait served by
//! `awc` (no second HTTP stack), and each provider's discovery document and JWKS,
//! fetched on first use and kept for an hour, so a provider that is down at start-up
//! costs nothing until someone presses its button.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use openidconnect::core::CoreProviderMetadata;
use openidconnect::{http, HttpRequest, HttpResponse, IssuerUrl};

/// How long a fetched discovery document and key set are used before they are
/// fetched again (a provider rotates its keys with notice; Entra ID announces new
/// keys well ahead).
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// The longest answer read from a provider.
const BODY_LIMIT: usize = 1024 * 1024;

/// A request to a provider that failed before it had an answer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProviderHttpError(String);

/// Sends one request of `openidconnect`'s with awc: no redirects followed, ten
/// seconds at most, https through rustls with the webpki roots.
pub async fn send(request: HttpRequest) -> Result<HttpResponse, ProviderHttpError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| ProviderHttpError(format!("{what}: {e}"));
    let mut connector = awc::Connector::new();
    if let Some(tls) = crate::notify::webhook::worker::tls() {
        connector = connector.rustls_0_23(tls);
    }
    let client = awc::Client::builder()
        .connector(connector)
        .disable_redirects()
        .timeout(Duration::from_secs(10))
        .finish();
    let method = awc::http::Method::from_bytes(request.method().as_str().as_bytes())
        .map_err(|e| fail("method", &e))?;
    let mut outgoing = client.request(method, request.uri().to_string());
    for (name, value) in request.headers() {
        let name = awc::http::header::HeaderName::from_bytes(name.as_str().as_bytes())
            .map_err(|e| fail("header name", &e))?;
        let value = awc::http::header::HeaderValue::from_bytes(value.as_bytes())
            .map_err(|e| fail("header value", &e))?;
        outgoing = outgoing.insert_header((name, value));
    }
    let mut response = outgoing
        .send_body(request.into_body())
        .await
        .map_err(|e| fail("request", &e))?;
    let body = response
        .body()
        .limit(BODY_LIMIT)
        .await
        .map_err(|e| fail("body", &e))?;
    let mut answer = http::Response::builder().status(response.status().as_u16());
    for (name, value) in response.headers() {
        answer = answer.header(name.as_str(), value.as_bytes());
    }
    answer.body(body.to_vec()).map_err(|e| fail("response", &e))
}

type Cache = Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// The provider's discovery document with its JWKS: from the cache while it is
/// fresh, else fetched (`refresh` fetches anyway, after a signature by an unknown
/// key). An error names what failed, never a secret.
pub async fn metadata(issuer_url: &str, refresh: bool) -> Result<CoreProviderMetadata, String> {
    if !refresh {
        if let Ok(cached) = cache().lock() {
            if let Some((at, metadata)) = cached.get(issuer_url) {
                if at.elapsed() < METADATA_TTL {
                    return Ok(metadata.clone());
                }
            }
        }
    }
    let issuer = IssuerUrl::new(issuer_url.to_string()).map_err(|e| format!("issuer_url: {e}"))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, &send)
        .await
        .map_err(|e| format!("discovery: {}", causes(&e)))?;
    if let Ok(mut cached) = cache().lock() {
        cached.insert(issuer_url.to_string(), (Instant::now(), metadata.clone()));
    }
    Ok(metadata)
}

/// An error and its causes on one line (for the log; never a token: the crate's
/// errors name what failed, not what was sent).
pub fn causes(error: &dyn std::error::Error) -> String {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

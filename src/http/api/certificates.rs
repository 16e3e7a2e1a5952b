//! Certificate downloads, public verification and the published signing keys.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::extract::Authenticated;
use super::respond::{blocking, ok, read};
use crate::app::case_views::Certificate;
use crate::app::certificates::{self, Verification};
use crate::app::credential_status;
use crate::app::error::AppError;
use crate::app::AppState;
use crate::certificate::keys::Jwks;

/// The case's current certificate.
#[utoipa::path(get, path = "/api/v1/cases/{id}/certificate", tag = "certificates",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "The current certificate", body = Certificate)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let certificate = blocking(move || certificates::of_case(&state, &auth.0, &id)).await?;
    Ok(ok(&certificate))
}

/// The certificate as the PDF rendered at issuance; the same bytes on every download.
#[utoipa::path(get, path = "/api/v1/cases/{id}/certificate.pdf", tag = "certificates",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "A4 PDF/A-2b", content_type = "application/pdf", body = Vec<u8>)),
    security(("bearer" = [])))]
pub async fn pdf(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (name, bytes) = blocking(move || certificates::pdf_of_case(&state, &auth.0, &id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}

/// The certificate as a signed W3C Verifiable Credential (Open Badges 3.0), a compact JWS.
#[utoipa::path(get, path = "/api/v1/cases/{id}/certificate.jwt", tag = "certificates",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "EdDSA-signed JWT; verify with /.well-known/jwks.json", content_type = "application/vc+jwt", body = String)),
    security(("bearer" = [])))]
pub async fn jwt(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = blocking(move || certificates::credential_of_case(&state, &auth.0, &id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vc+jwt")
        .body(token))
}

/// Looks a code up for anyone; unknown codes are rate-limited per client address.
pub(crate) async fn lookup(
    state: web::Data<AppState>,
    req: &HttpRequest,
    code: String,
) -> Result<Verification, AppError> {
    let ip = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
    let minute = state.now().timestamp() / 60;
    let limit = state.settings.certificate.verify_misses_per_minute;
    if limit > 0 && !state.verify_misses.allows(ip, minute, limit) {
        return Err(AppError::TooManyRequests {
            retry_after_secs: 60,
        });
    }
    match read(&state, move |conn, state| {
        certificates::verify_on(conn, state, &code)
    })
    .await
    {
        Err(AppError::NotFound) => {
            state.verify_misses.miss(ip, minute);
            Err(AppError::NotFound)
        }
        other => other,
    }
}

/// Public verification of a certificate code: no log-in, no personal data.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "verification",
    params(("code" = String, Path, description = "The verification code printed on the certificate")),
    responses(
        (status = 200, description = "What the certificate is and whether it holds", body = Verification),
        (status = 404, description = "No certificate has this code", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unknown codes from this address", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let verification = lookup(state, &req, code.into_inner()).await?;
    Ok(ok(&verification))
}

/// The public keys that sign credentials (every key ever used).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "verification",
    responses((status = 200, description = "JSON Web Key Set (RFC 7517), Ed25519 keys", body = Jwks)))]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.certificates.keys.jwks())
}

/// A credential status list (W3C Bitstring Status List v1.0): a signed
/// `BitstringStatusListCredential` whose `encodedList` holds a bit per credential.
#[utoipa::path(get, path = "/credentials/status/{list}", tag = "verification",
    params(("list" = String, Path, description = "The list's id, as a credential's `statusListCredential` names it")),
    responses(
        (status = 200, description = "EdDSA-signed JWT; verify with /.well-known/jwks.json", content_type = "application/vc+jwt", body = String),
        (status = 404, description = "No list has this id", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn status_list(
    state: web::Data<AppState>,
    list: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = blocking(move || credential_status::status_list(&state, &list)).await?;
    Ok(HttpResponse::Ok()
        // Verifiers may cache it briefly; a change of status shows within a minute.
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .content_type("application/vc+jwt")
        .body(token))
}

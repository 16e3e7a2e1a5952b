//! A case's sessions, attendance, reflections, evidence and findings.

use actix_web::{web, HttpResponse};

use super::extract::{Authenticated, JsonBody};
use super::respond::{self, blocking, created, ok};
use crate::app::case_views::Case;
use crate::app::cases;
use crate::app::error::AppError;
use crate::app::inputs::{
    Attendance, FindingResolution, MeasureCount, NewEvidence, NewSession, Reflections,
    SessionPatch, SurveillanceRequest,
};
use crate::app::views::{Evidence, Finding, Session};
use crate::app::AppState;
use crate::domain::Measure;
use crate::http::problem::Problem;

/// Schedules a kickoff, workshop or supervision session (admin, its consultant).
#[utoipa::path(post, path = "/api/v1/cases/{id}/sessions", tag = "sessions", request_body = NewSession,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 201, description = "Scheduled", body = Session, headers(("Location" = String, description = "The new session"))),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn schedule(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<NewSession>,
) -> Result<HttpResponse, AppError> {
    let case_id = id.into_inner();
    let location_case = case_id.clone();
    let session =
        blocking(move || cases::schedule_session(&state, &auth.0, &case_id, body.0)).await?;
    Ok(created(
        format!("/api/v1/cases/{location_case}/sessions/{}", session.id),
        &session,
    ))
}

/// The case's sessions, cancelled ones included.
#[utoipa::path(get, path = "/api/v1/cases/{id}/sessions", tag = "sessions",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "Every session", body = Vec<Session>)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let sessions = blocking(move || cases::sessions(&state, &auth.0, &id)).await?;
    Ok(ok(&sessions))
}

/// Moves or renames a session (admin, its consultant).
#[utoipa::path(patch, path = "/api/v1/cases/{id}/sessions/{sid}", tag = "sessions", request_body = SessionPatch,
    params(("id" = String, Path, description = "Case id"), ("sid" = String, Path, description = "Session id")),
    responses(
        (status = 200, description = "The changed session", body = Session),
        (status = 409, description = "The session is cancelled or held, or the case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn change(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<SessionPatch>,
) -> Result<HttpResponse, AppError> {
    let (case_id, session_id) = path.into_inner();
    let session =
        blocking(move || cases::change_session(&state, &auth.0, &case_id, &session_id, body.0))
            .await?;
    Ok(ok(&session))
}

/// Cancels a session; it stays listed as cancelled (admin, its consultant).
#[utoipa::path(delete, path = "/api/v1/cases/{id}/sessions/{sid}", tag = "sessions",
    params(("id" = String, Path, description = "Case id"), ("sid" = String, Path, description = "Session id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 409, description = "The session has attendance recorded or is already cancelled", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn cancel(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (case_id, session_id) = path.into_inner();
    blocking(move || cases::cancel_session(&state, &auth.0, &case_id, &session_id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Records how many attended a session that has started (admin, its consultant).
#[utoipa::path(put, path = "/api/v1/cases/{id}/sessions/{sid}/attendance", tag = "sessions", request_body = Attendance,
    params(("id" = String, Path, description = "Case id"), ("sid" = String, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session with its attendance", body = Session),
        (status = 409, description = "The session is cancelled, or the case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn attendance(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<Attendance>,
) -> Result<HttpResponse, AppError> {
    let (case_id, session_id) = path.into_inner();
    let session = blocking(move || {
        cases::record_attendance(&state, &auth.0, &case_id, &session_id, body.0.attended)
    })
    .await?;
    Ok(ok(&session))
}

/// Records how many completed their individual reflection; only the count is kept.
#[utoipa::path(put, path = "/api/v1/cases/{id}/reflections", tag = "cases", request_body = Reflections,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = Case, headers(("ETag" = String, description = "The case's new version"))),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn reflections(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<Reflections>,
) -> Result<HttpResponse, AppError> {
    let case = blocking(move || {
        cases::record_measure(&state, &auth.0, &id, Measure::Reflections, body.0.completed)
    })
    .await?;
    Ok(respond::case(&case))
}

/// Sets a count of the unit's staff: `reflections` (individual reflections completed)
/// or `trained` (staff trained). Only the count is kept, never names.
#[utoipa::path(put, path = "/api/v1/cases/{id}/measures/{measure}", tag = "cases", request_body = MeasureCount,
    params(
        ("id" = String, Path, description = "Case id"),
        ("measure" = Measure, Path, description = "reflections or trained"),
    ),
    responses(
        (status = 200, description = "The case", body = Case, headers(("ETag" = String, description = "The case's new version"))),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn measure(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<MeasureCount>,
) -> Result<HttpResponse, AppError> {
    let (id, measure) = path.into_inner();
    let measure = Measure::parse(&measure).ok_or(AppError::NotFound)?;
    let case =
        blocking(move || cases::record_measure(&state, &auth.0, &id, measure, body.0.completed))
            .await?;
    Ok(respond::case(&case))
}

/// Adds evidence in one of the programme's routine areas (admin, its consultant, the unit's contacts).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "evidence", request_body = NewEvidence,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 201, description = "Added", body = Evidence, headers(("Location" = String, description = "The case's evidence"))),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn add_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<NewEvidence>,
) -> Result<HttpResponse, AppError> {
    let case_id = id.into_inner();
    let location = format!("/api/v1/cases/{case_id}/evidence");
    let evidence = blocking(move || cases::add_evidence(&state, &auth.0, &case_id, body.0)).await?;
    Ok(created(location, &evidence))
}

/// The case's evidence.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "evidence",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "Every evidence item", body = Vec<Evidence>)),
    security(("bearer" = [])))]
pub async fn evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let items = blocking(move || cases::evidence(&state, &auth.0, &id)).await?;
    Ok(ok(&items))
}

/// The findings of every audit round.
#[utoipa::path(get, path = "/api/v1/cases/{id}/findings", tag = "findings",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, description = "Every finding", body = Vec<Finding>)),
    security(("bearer" = [])))]
pub async fn findings(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let items = blocking(move || cases::findings(&state, &auth.0, &id)).await?;
    Ok(ok(&items))
}

/// Records how a finding was resolved (admin, its consultant).
#[utoipa::path(put, path = "/api/v1/cases/{id}/findings/{fid}", tag = "findings", request_body = FindingResolution,
    params(("id" = String, Path, description = "Case id"), ("fid" = String, Path, description = "Finding id")),
    responses(
        (status = 200, description = "The resolved finding", body = Finding),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn resolve(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<FindingResolution>,
) -> Result<HttpResponse, AppError> {
    let (case_id, finding_id) = path.into_inner();
    let finding = blocking(move || {
        cases::resolve_finding(&state, &auth.0, &case_id, &finding_id, &body.0.resolution)
    })
    .await?;
    Ok(ok(&finding))
}

/// The certification decision on a case its auditor recommended (programmes with
/// `decision_by: admin`): an admin who is neither the case's auditor nor its
/// consultant. `certify` issues the certificate; `return` sends the case back to the
/// stage before audit.
#[utoipa::path(post, path = "/api/v1/cases/{id}/decision", tag = "cases", request_body = crate::app::appeal_inputs::DecisionRequest,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = Case, headers(("ETag" = String, description = "The case's new version"))),
        (status = 409, description = "The case is not in audit, or its auditor has not recommended it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn decision(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<crate::app::appeal_inputs::DecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let case = blocking(move || cases::decide_certification(&state, &auth.0, &id, body.0)).await?;
    Ok(respond::case(&case))
}

/// Records a surveillance of a certified case (its assigned auditor): `passed`, or
/// `findings`, each due by a date its severity sets. A passed surveillance reinstates
/// a certificate that a lapsed surveillance suspended.
#[utoipa::path(post, path = "/api/v1/cases/{id}/surveillance", tag = "cases", request_body = SurveillanceRequest,
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = Case, headers(("ETag" = String, description = "The case's new version"))),
        (status = 409, description = "The case is not certified (or was suspended by an admin)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn surveillance(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<SurveillanceRequest>,
) -> Result<HttpResponse, AppError> {
    let case = blocking(move || cases::record_surveillance(&state, &auth.0, &id, body.0)).await?;
    Ok(respond::case(&case))
}

//! Evidence as files: `POST /api/v1/cases/{id}/evidence/files` (multipart) and
//! `GET /api/v1/cases/{id}/evidence/{eid}/file`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::ToSchema;

use super::extract::Authenticated;
use super::respond::{blocking, created};
use crate::app::error::AppError;
use crate::app::evidence_files;
use crate::app::inputs::NewEvidence;
use crate::app::views::Evidence;
use crate::app::AppState;
use crate::http::problem::Problem;
use crate::http::upload;

/// The multipart form: the evidence's fields and its file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceUpload {
    /// One of the programme's routine areas.
    #[schema(min_length = 1, max_length = 40)]
    area: String,
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    description: String,
    /// An http or https URL (optional).
    #[schema(max_length = 2000)]
    link: Option<String>,
    /// PDF, docx, xlsx, pptx, odt, png or jpeg; its content must be what its name
    /// says; at most `evidence.max_file_bytes` (20 MB by default).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The evidence's text fields from a multipart body (the last of each name, trimmed),
/// checked as the JSON body is.
pub fn evidence_of(fields: &[(String, String)]) -> Result<NewEvidence, AppError> {
    let get = |name: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    crate::app::validation::checked(NewEvidence {
        area: get("area"),
        description: get("description"),
        link: Some(get("link")).filter(|l| !l.is_empty()),
    })
}

/// Adds evidence with a file (admin, its consultant, the unit's contacts).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence/files", tag = "evidence",
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 201, description = "Added", body = Evidence, headers(("Location" = String, description = "The file"))),
        (status = 400, description = "Not a multipart/form-data body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is paused or closed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The text fields are larger than 256 KiB (with an Idempotency-Key, the whole body)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input; `errors` names each field: `file` when it is missing, larger than `evidence.max_file_bytes`, or its content is not a PDF, Office document or image matching its name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn add(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let max = state.settings.evidence.max_file_bytes;
    let sent = upload::read(req.headers(), payload, max).await?;
    let case_id = id.into_inner();
    let input = evidence_of(&sent.fields);
    let file = sent.file.or_else(|| {
        Some(Err(crate::domain::FieldError::coded(
            "file",
            crate::domain::FieldCode::Required,
            "is required",
        )))
    });
    let cid = case_id.clone();
    let evidence =
        blocking(move || evidence_files::add(&state, &auth.0, &cid, input, file)).await?;
    Ok(created(
        format!("/api/v1/cases/{case_id}/evidence/{}/file", evidence.id),
        &evidence,
    ))
}

/// An evidence file's content, for who may see the case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence/{eid}/file", tag = "evidence",
    params(("id" = String, Path, description = "Case id"), ("eid" = String, Path, description = "Evidence id")),
    responses(
        (status = 200, description = "The file, as an attachment, with its stored media type", content_type = "application/octet-stream", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment, with the uploaded name (RFC 6266)"))),
    ),
    security(("bearer" = [])))]
pub async fn download(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (case_id, evidence_id) = path.into_inner();
    let (file, content) =
        blocking(move || evidence_files::download(&state, &auth.0, &case_id, &evidence_id)).await?;
    Ok(file_response(&file, content))
}

/// The download answer both the API and the pages give.
pub fn file_response(file: &crate::app::views::EvidenceFileView, content: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header((
            header::CONTENT_DISPOSITION,
            evidence_files::content_disposition(&file.name),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(content)
}

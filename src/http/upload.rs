//! A `multipart/form-data` body with one file (`file`) and text fields, as the evidence
//! form and `POST /api/v1/cases/{id}/evidence/files` send it. The file is read into
//! memory up to the configured limit and no further.

use actix_multipart::Multipart;
use actix_web::error::PayloadError;
use actix_web::http::header::HeaderMap;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use crate::app::error::AppError;
use crate::app::evidence_files::{too_large, Upload};
use crate::domain::{FieldCode, FieldError};

/// Text fields together are at most this long (the JSON bodies' limit).
const TEXT_LIMIT: usize = 256 * 1024;

/// What a multipart body carried.
#[derive(Debug, Default)]
pub struct Uploaded {
    /// Every text field, in order.
    pub fields: Vec<(String, String)>,
    /// The `file` part (`None` when no file was chosen), or the error naming `file`.
    pub file: Option<Result<Upload, FieldError>>,
}

/// Reads the body; a malformed one is 400, text fields over their limit 413.
pub async fn read(
    headers: &HeaderMap,
    payload: impl Stream<Item = Result<Bytes, PayloadError>> + 'static,
    max_file_bytes: u64,
) -> Result<Uploaded, AppError> {
    let mut multipart = Multipart::new(headers, payload);
    let mut uploaded = Uploaded::default();
    let mut text_bytes = 0usize;
    let malformed = |_| AppError::Malformed("not a multipart/form-data body".into());
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed)?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.content_disposition().and_then(|cd| {
            cd.get_filename().map(String::from).or_else(|| {
                cd.get_filename_ext()
                    .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
            })
        });
        if name == "file" {
            let mut content = Vec::new();
            let mut over = false;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(malformed)?;
                if over || (content.len() + chunk.len()) as u64 > max_file_bytes {
                    over = true;
                    continue;
                }
                content.extend_from_slice(&chunk);
            }
            let name = filename.unwrap_or_default();
            uploaded.file = match (over, name.is_empty() && content.is_empty()) {
                (true, _) => Some(Err(too_large(max_file_bytes))),
                (false, true) => None,
                (false, false) => Some(Ok(Upload { name, content })),
            };
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(malformed)?;
                text_bytes += chunk.len();
                if text_bytes > TEXT_LIMIT {
                    return Err(AppError::PayloadTooLarge);
                }
                value.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(value).map_err(|_| {
                AppError::Invalid(vec![FieldError::coded(
                    name.clone(),
                    FieldCode::Utf8Text,
                    "must be UTF-8 text",
                )])
            })?;
            uploaded.fields.push((name, value));
        }
    }
    Ok(uploaded)
}

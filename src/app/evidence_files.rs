//! Evidence as files: an upload checked from its content (src/domain/file_type.rs),
//! stored under `data_dir/evidence/{sha256}` before the event recording it commits,
//! and read back only by who may see the case.

use sha2::{Digest, Sha256};

use super::cases::{add_evidence_with, visible_case};
use super::error::AppError;
use super::inputs::NewEvidence;
use super::views::{Evidence, EvidenceFileView};
use super::AppState;
use crate::domain::field::FieldCode;
use crate::domain::file_type::{EvidenceFile, FileType};
use crate::domain::values::Actor;
use crate::domain::FieldError;
use crate::store::{evidence_files, facts};

/// A file as it was sent: the name the sender's computer gave it and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub content: Vec<u8>,
}

/// The error naming `file` when it is larger than `max_bytes`.
pub fn too_large(max_bytes: u64) -> FieldError {
    let megabytes = (max_bytes as f64 / (1024.0 * 1024.0)).round().max(1.0);
    FieldError::coded(
        "file",
        FieldCode::FileTooLarge,
        format!("must be at most {megabytes} MB"),
    )
    .with("megabytes", megabytes)
}

/// What is recorded of `upload`, or the error naming `file` (too large, empty, or its
/// content not a kind evidence may be or not what its name says).
pub fn checked(upload: &Upload, max_bytes: u64) -> Result<EvidenceFile, FieldError> {
    if upload.content.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    let name = safe_name(&upload.name);
    let kind = FileType::checked(&name, &upload.content).ok_or_else(|| {
        FieldError::coded(
            "file",
            FieldCode::FileType,
            "must be a PDF, an Office document (docx, xlsx, pptx, odt) or an image (png, jpg) whose content matches its name",
        )
    })?;
    Ok(EvidenceFile {
        sha256: hex::encode(Sha256::digest(&upload.content)),
        size: upload.content.len() as u64,
        media_type: kind.media_type().to_string(),
        name,
    })
}

/// The last part of a path a browser may send, without control characters, at most
/// 200 characters.
fn safe_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.chars().count() <= 200 {
        return clean.to_string();
    }
    let extension = clean.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let head: String = clean.chars().take(190).collect();
    format!("{head}.{extension}")
}

/// Adds evidence with a file. The file is checked before anything is written; its
/// content is stored after the event is written and before that transaction commits.
pub fn add(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: Result<NewEvidence, AppError>,
    upload: Option<Result<Upload, FieldError>>,
) -> Result<Evidence, AppError> {
    {
        let mut conn = state.store.conn()?;
        visible_case(&mut conn, actor, case_id)?;
    }
    let max = state.settings.evidence.max_file_bytes;
    let file = upload
        .as_ref()
        .map(|u| u.clone().and_then(|u| checked(&u, max)))
        .transpose();
    let (input, file) = match (input, file) {
        (Ok(input), Ok(file)) => (input, file),
        (Err(AppError::Invalid(mut errors)), Err(e)) => {
            errors.push(e);
            return Err(AppError::Invalid(errors));
        }
        (Err(e), _) => return Err(e),
        (_, Err(e)) => return Err(AppError::Invalid(vec![e])),
    };
    let content = upload
        .and_then(Result::ok)
        .map(|u| u.content)
        .unwrap_or_default();
    let data_dir = state.settings.data_dir.clone();
    add_evidence_with(
        state,
        actor,
        case_id,
        input,
        file,
        |evidence| match &evidence.file {
            Some(file) => evidence_files::put(&data_dir, &file.sha256, &content)
                .map_err(|e| AppError::Internal(format!("the evidence file was not stored: {e}"))),
            None => Ok(()),
        },
    )
}

/// An evidence file's record and content, for who may see its case (others: 404).
pub fn download(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    evidence_id: &str,
) -> Result<(EvidenceFileView, Vec<u8>), AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, case_id)?;
    let file = facts::evidence_item(&mut conn, evidence_id)?
        .filter(|row| row.case_id == case_id)
        .map(Evidence::from)
        .and_then(|e| e.file)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let content = evidence_files::get(&state.settings.data_dir, &file.sha256)
        .map_err(|e| AppError::Internal(format!("the evidence file could not be read: {e}")))?;
    Ok((file, content))
}

/// `Content-Disposition` for `name`: an ASCII fallback and the UTF-8 name (RFC 6266),
/// so å, ä and ö survive and nothing in the name can break the header.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swedish_name_keeps_its_letters_and_cannot_break_the_header() {
        assert_eq!(
            content_disposition("Protokoll APT ö.pdf"),
            "attachment; filename=\"Protokoll APT o.pdf\"; filename*=UTF-8''Protokoll%20APT%20%C3%B6.pdf"
        );
        let header = content_disposition("a\"b\r\n.pdf");
        assert!(
            !header.contains('\r') && !header.contains("a\"b"),
            "{header}"
        );
    }

    #[test]
    fn a_path_sent_as_a_name_keeps_its_last_part() {
        assert_eq!(safe_name("C:\\Users\\anna\\Protokoll.pdf"), "Protokoll.pdf");
        assert_eq!(safe_name("../../etc/x.pdf"), "x.pdf");
    }
}

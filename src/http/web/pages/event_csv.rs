//! The registrants of an event as a CSV download for staff,
//! `/events/{id}/registrations.csv`: headed in the page's language, organisations and
//! units by name, under a file name every client can save.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::t;
use crate::app::event_views::registrants_csv;
use crate::app::AppState;
use crate::domain::Language;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, WebError};

/// A file name for `title`: ASCII for every client (å, ä, ö and the like as a, a, o),
/// and the title itself, percent-encoded, for those that read `filename*`.
fn content_disposition(lang: Language, title: &str) -> String {
    let name = format!("{} {title}", t(lang, "events.file_name"));
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' | 'ø' | 'ó' => 'o',
            'Ö' | 'Ø' => 'O',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}.csv\"; filename*=UTF-8''{encoded}.csv")
}

/// `GET /events/{id}/registrations.csv`: the registrants, headed in the page's
/// language.
pub async fn download(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor, id) = (state.clone(), viewer.actor.clone(), path.into_inner());
    let (event, body) = blocking(lang, move || registrants_csv(&s, &actor, &id, lang)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(lang, &event.title),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

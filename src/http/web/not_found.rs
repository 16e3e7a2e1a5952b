//! What a path that names nothing answers. A browser (it asks for `text/html`) gets the
//! 404 page in the reader's language; an API client, and anything under `/api`, gets
//! the problem+json the API documents.

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};

use super::chrome::error_page;
use super::language::requested_language;
use super::session::Viewer;
use crate::app::error::AppError;

/// The default service of the app: no route matched `req`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if is_api(req.path()) || !wants_html(&req) {
        return AppError::NotFound.error_response();
    }
    // The signed-in person's language, unless the page was asked for in another.
    let lang = match requested_language(&req) {
        Some(lang) => lang,
        None => Viewer::extract(&req)
            .await
            .map(|viewer| viewer.lang)
            .unwrap_or_default(),
    };
    error_page(&AppError::NotFound, lang)
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// True when the client lists `text/html` among what it accepts, as browsers do.
fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|kind| {
            let kind = kind.split(';').next().unwrap_or("").trim();
            kind.eq_ignore_ascii_case("text/html")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_a_client_asking_for_html_outside_the_api_is_a_browser() {
        let browser = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
        let req = TestRequest::get()
            .uri("/cases/nope")
            .insert_header((header::ACCEPT, browser))
            .to_http_request();
        assert!(wants_html(&req) && !is_api(req.path()));
        let api = TestRequest::get()
            .uri("/cases/nope")
            .insert_header((header::ACCEPT, "application/json"))
            .to_http_request();
        assert!(!wants_html(&api));
        assert!(is_api("/api/v1/nope") && is_api("/api") && !is_api("/apiary"));
    }
}

//! The language a visitor reads the pages in: asked for with `?lang=` or kept in a cookie.

use actix_web::{web, HttpRequest};

use crate::domain::Language;

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "stegvis_lang";

/// The language a request asks for: `?lang=`, then the language cookie.
pub fn requested_language(req: &HttpRequest) -> Option<Language> {
    let from_query = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| {
            q.iter()
                .rev()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| Language::parse(v))
        });
    from_query.or_else(|| {
        req.cookie(LANG_COOKIE)
            .and_then(|c| Language::parse(c.value()))
    })
}

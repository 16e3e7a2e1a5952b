//! The public pages outside the signed-in site (verification, the registry): their
//! templates, compiled into the binary, rendered in strict mode.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use handlebars::Handlebars;
use serde::Serialize;

const TEMPLATES: [(&str, &str); 2] = [
    (
        "verify",
        include_str!("../../templates/certificate/verify.html.hbs"),
    ),
    (
        "registry",
        include_str!("../../templates/certificate/registry.html.hbs"),
    ),
];

#[expect(
    clippy::expect_used,
    reason = "the templates are compiled into the binary; a test renders each"
)]
fn templates() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        for (name, source) in TEMPLATES {
            hb.register_template_string(name, source)
                .expect("a public page's template parses");
        }
        hb
    })
}

/// The page `name` as an HTML answer with `status`; a template that fails to render
/// is logged and answered 500 with no body.
pub fn render(name: &str, status: StatusCode, page: &impl Serialize) -> HttpResponse {
    match templates().render(name, page) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, page = name, "a public page did not render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

//! Handlebars in strict mode, templates compiled into the binary, and the `t` helper
//! that looks words up in the page's language.

use std::sync::OnceLock;

use actix_web::http::header::ContentType;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde::Serialize;

use super::i18n;
use crate::app::error::AppError;
use crate::domain::Language;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "layout",
        include_str!("../../../templates/web/partials/layout.hbs"),
    ),
    (
        "field",
        include_str!("../../../templates/web/partials/field.hbs"),
    ),
    (
        "form_message",
        include_str!("../../../templates/web/partials/form_message.hbs"),
    ),
    (
        "form",
        include_str!("../../../templates/web/partials/form.hbs"),
    ),
    (
        "case_list",
        include_str!("../../../templates/web/partials/case_list.hbs"),
    ),
    (
        "next_steps",
        include_str!("../../../templates/web/partials/next_steps.hbs"),
    ),
    (
        "unit_overview",
        include_str!("../../../templates/web/partials/unit_overview.hbs"),
    ),
    (
        "case_summary",
        include_str!("../../../templates/web/partials/case_summary.hbs"),
    ),
    (
        "csrf",
        include_str!("../../../templates/web/partials/csrf.hbs"),
    ),
    (
        "path",
        include_str!("../../../templates/web/partials/path.hbs"),
    ),
    (
        "requirements",
        include_str!("../../../templates/web/partials/requirements.hbs"),
    ),
    (
        "sessions",
        include_str!("../../../templates/web/partials/sessions.hbs"),
    ),
    (
        "evidence",
        include_str!("../../../templates/web/partials/evidence.hbs"),
    ),
    (
        "findings",
        include_str!("../../../templates/web/partials/findings.hbs"),
    ),
    (
        "history",
        include_str!("../../../templates/web/partials/history.hbs"),
    ),
    (
        "certificate",
        include_str!("../../../templates/web/partials/certificate.hbs"),
    ),
    (
        "case_actions",
        include_str!("../../../templates/web/partials/case_actions.hbs"),
    ),
    (
        "list_controls",
        include_str!("../../../templates/web/partials/list_controls.hbs"),
    ),
    (
        "list_heads",
        include_str!("../../../templates/web/partials/list_heads.hbs"),
    ),
    (
        "list_pager",
        include_str!("../../../templates/web/partials/list_pager.hbs"),
    ),
    (
        "case_table",
        include_str!("../../../templates/web/partials/case_table.hbs"),
    ),
    (
        "case_appeals",
        include_str!("../../../templates/web/partials/case_appeals.hbs"),
    ),
    (
        "programme_editor",
        include_str!("../../../templates/web/partials/programme_editor.hbs"),
    ),
    (
        "programme_path",
        include_str!("../../../templates/web/partials/programme_path.hbs"),
    ),
    (
        "login",
        include_str!("../../../templates/web/pages/login.hbs"),
    ),
    (
        "error",
        include_str!("../../../templates/web/pages/error.hbs"),
    ),
    (
        "complaint",
        include_str!("../../../templates/web/pages/complaint.hbs"),
    ),
    (
        "event_cancel",
        include_str!("../../../templates/web/pages/event_cancel.hbs"),
    ),
    (
        "event_signup",
        include_str!("../../../templates/web/pages/event_signup.hbs"),
    ),
    (
        "events",
        include_str!("../../../templates/web/pages/events.hbs"),
    ),
    (
        "event_manage",
        include_str!("../../../templates/web/pages/event_manage.hbs"),
    ),
    (
        "cases",
        include_str!("../../../templates/web/pages/cases.hbs"),
    ),
    (
        "case",
        include_str!("../../../templates/web/pages/case.hbs"),
    ),
    (
        "audits",
        include_str!("../../../templates/web/pages/audits.hbs"),
    ),
    (
        "audit",
        include_str!("../../../templates/web/pages/audit.hbs"),
    ),
    (
        "dashboard",
        include_str!("../../../templates/web/pages/dashboard.hbs"),
    ),
    (
        "unit",
        include_str!("../../../templates/web/pages/unit.hbs"),
    ),
    (
        "admin",
        include_str!("../../../templates/web/pages/admin.hbs"),
    ),
    (
        "organisations",
        include_str!("../../../templates/web/pages/organisations.hbs"),
    ),
    (
        "organisation",
        include_str!("../../../templates/web/pages/organisation.hbs"),
    ),
    (
        "programme_new",
        include_str!("../../../templates/web/pages/programme_new.hbs"),
    ),
    (
        "programme",
        include_str!("../../../templates/web/pages/programme.hbs"),
    ),
    (
        "programme_migrate",
        include_str!("../../../templates/web/pages/programme_migrate.hbs"),
    ),
    (
        "users",
        include_str!("../../../templates/web/pages/users.hbs"),
    ),
    (
        "units",
        include_str!("../../../templates/web/pages/units.hbs"),
    ),
    (
        "mail",
        include_str!("../../../templates/web/pages/mail.hbs"),
    ),
    (
        "cohorts",
        include_str!("../../../templates/web/pages/cohorts.hbs"),
    ),
    (
        "cohort",
        include_str!("../../../templates/web/pages/cohort.hbs"),
    ),
    (
        "webhooks",
        include_str!("../../../templates/web/pages/webhooks.hbs"),
    ),
    (
        "webhook",
        include_str!("../../../templates/web/pages/webhook.hbs"),
    ),
    (
        "webhook_delete",
        include_str!("../../../templates/web/pages/webhook_delete.hbs"),
    ),
    (
        "programmes",
        include_str!("../../../templates/web/pages/programmes.hbs"),
    ),
    (
        "confirm",
        include_str!("../../../templates/web/pages/confirm.hbs"),
    ),
    (
        "adjudications",
        include_str!("../../../templates/web/pages/adjudications.hbs"),
    ),
    (
        "adjudication",
        include_str!("../../../templates/web/pages/adjudication.hbs"),
    ),
    (
        "plans",
        include_str!("../../../templates/web/pages/plans.hbs"),
    ),
    (
        "plan",
        include_str!("../../../templates/web/pages/plan.hbs"),
    ),
    (
        "plan_action",
        include_str!("../../../templates/web/pages/plan_action.hbs"),
    ),
    (
        "workshop_requests",
        include_str!("../../../templates/web/pages/workshop_requests.hbs"),
    ),
    (
        "workshop_request",
        include_str!("../../../templates/web/pages/workshop_request.hbs"),
    ),
    (
        "password_reset",
        include_str!("../../../templates/web/pages/password_reset.hbs"),
    ),
    (
        "profile",
        include_str!("../../../templates/web/pages/profile.hbs"),
    ),
    (
        "user",
        include_str!("../../../templates/web/pages/user.hbs"),
    ),
    (
        "audit_log",
        include_str!("../../../templates/web/pages/audit_log.hbs"),
    ),
];

/// The stylesheet, served from the binary.
pub const CSS: &str = include_str!("../../../templates/web/static/stegvis.css");

thread_local! {
    /// The language of the page being rendered on this thread; helpers read it, since
    /// partials and loops change the context they see.
    static LANG: std::cell::Cell<Language> = const { std::cell::Cell::new(Language::Sv) };
}

/// `{{t "stage" stage}}`: the parameters joined with dots form the key; hash
/// arguments fill `{name}` placeholders.
fn t_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&words(h, false)?)?;
    Ok(())
}

/// `{{tn "case.heading" unit=unit}}`: as `t`, with each argument a name people typed,
/// marked `translate="no"` so it stays as written. Only in element content, never in
/// an attribute.
fn tn_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&words(h, true)?)?;
    Ok(())
}

/// The escaped words of a `t` or `tn` call.
fn words(h: &Helper<'_>, names: bool) -> Result<String, RenderError> {
    let mut parts = Vec::new();
    for param in h.params() {
        let value = param.value();
        parts.push(match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => {
                return Err(RenderErrorReason::Other(format!(
                    "t: a null key part in {:?}",
                    h.params()
                        .iter()
                        .map(|p| p.relative_path())
                        .collect::<Vec<_>>()
                ))
                .into())
            }
            other => other.to_string(),
        });
    }
    let key = parts.join(".");
    let lang = LANG.with(|l| l.get());
    if i18n::lookup(lang, &key).is_none() {
        return Err(RenderErrorReason::Other(format!("no text for {key:?}")).into());
    }
    let args: Vec<(&str, String)> = h
        .hash()
        .iter()
        .map(|(name, v)| {
            let value = match v.value() {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (*name, value)
        })
        .collect();
    if !names {
        return Ok(handlebars::html_escape(&i18n::text(lang, &key, &args)));
    }
    // Escape the words around the placeholders and each name on its own, so the
    // name's span is markup and the rest stays text.
    let template = handlebars::html_escape(i18n::lookup(lang, &key).unwrap_or(&key));
    let marked: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| {
            let value = handlebars::html_escape(value);
            (*name, format!("<span translate=\"no\">{value}</span>"))
        })
        .collect();
    Ok(i18n::fill(&template, &marked))
}

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_helper("t", Box::new(t_helper));
        hb.register_helper("tn", Box::new(tn_helper));
        for (name, text) in TEMPLATES {
            if let Err(e) = hb.register_template_string(name, *text) {
                tracing::error!(template = name, error = %e, "a web template does not compile");
            }
        }
        hb
    })
}

/// Renders the template `name` with `data`, its words in `lang`.
pub fn render<T: Serialize>(name: &str, lang: Language, data: &T) -> Result<String, AppError> {
    LANG.with(|l| l.set(lang));
    registry()
        .render(name, data)
        .map_err(|e| AppError::Internal(format!("template {name}: {e}")))
}

/// An HTML answer.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(ContentType::html())
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        for (name, text) in TEMPLATES {
            hb.register_template_string(name, *text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

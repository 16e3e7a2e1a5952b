//! Mail rendering: handlebars in strict mode over the typed [`Payload`], with the
//! templates of `templates/email/{sv,en}/` compiled into the binary so it runs from
//! any directory. Subject and text are plain; HTML is escaped.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;

use super::payload::Payload;

/// What a template sees: the payload, and the links made from it.
#[derive(Serialize)]
struct Context<'a> {
    #[serde(flatten)]
    payload: &'a Payload,
    /// The case's page, `{public_url}/cases/{case_id}`: mails link to it rather than
    /// show the case's id.
    case_url: String,
}

/// The page of the case a mail is about.
pub fn case_url(public_url: &str, case_id: &str) -> String {
    format!("{}/cases/{case_id}", public_url.trim_end_matches('/'))
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why a mail could not be rendered; the row it belongs to cannot be sent as it is.
#[derive(Debug, thiserror::Error)]
#[error("template {template}: {message}")]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

macro_rules! mail {
    ($lang:literal, $kind:literal) => {
        (
            $lang,
            $kind,
            include_str!(concat!(
                "../../templates/email/",
                $lang,
                "/",
                $kind,
                ".subject.hbs"
            )),
            include_str!(concat!(
                "../../templates/email/",
                $lang,
                "/",
                $kind,
                ".txt.hbs"
            )),
            include_str!(concat!(
                "../../templates/email/",
                $lang,
                "/",
                $kind,
                ".html.hbs"
            )),
        )
    };
}

macro_rules! language {
    ($lang:literal) => {
        [
            mail!($lang, "enrolled"),
            mail!($lang, "session_scheduled"),
            mail!($lang, "session_changed"),
            mail!($lang, "session_cancelled"),
            mail!($lang, "stage_advanced"),
            mail!($lang, "audit_requested"),
            mail!($lang, "audit_returned"),
            mail!($lang, "approved"),
            mail!($lang, "status_changed"),
            mail!($lang, "deadline_approaching"),
            mail!($lang, "deadline_overdue"),
            mail!($lang, "certificate_expiring"),
            mail!($lang, "session_notes"),
            mail!($lang, "finding_due"),
            mail!($lang, "surveillance_due"),
            mail!($lang, "appeal_decided"),
            mail!($lang, "complaint_decided"),
            mail!($lang, "workshop_requested"),
            mail!($lang, "workshop_accepted"),
            mail!($lang, "workshop_declined"),
            mail!($lang, "event_registration"),
            mail!($lang, "action_due"),
            mail!($lang, "password_reset"),
            mail!($lang, "welcome"),
        ]
    };
}

type Source = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SV: [Source; 24] = language!("sv");
const EN: [Source; 24] = language!("en");

const PARTIALS: [(&str, &str, &str); 2] = [
    (
        "sv",
        include_str!("../../templates/email/sv/layout.html.hbs"),
        include_str!("../../templates/email/sv/footer.txt.hbs"),
    ),
    (
        "en",
        include_str!("../../templates/email/en/layout.html.hbs"),
        include_str!("../../templates/email/en/footer.txt.hbs"),
    ),
];

/// The compiled templates.
pub struct Renderer {
    plain: Handlebars<'static>,
    html: Handlebars<'static>,
}

fn compile_error(name: &str, e: impl std::fmt::Display) -> TemplateError {
    TemplateError {
        template: name.to_string(),
        message: e.to_string(),
    }
}

impl Renderer {
    /// Compiles every template; an error names the template that does not compile.
    pub fn new() -> Result<Renderer, TemplateError> {
        let mut plain = Handlebars::new();
        plain.set_strict_mode(true);
        plain.register_escape_fn(handlebars::no_escape);
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        for (lang, layout, footer) in PARTIALS {
            let name = format!("layout_{lang}");
            html.register_partial(&name, layout)
                .map_err(|e| compile_error(&name, e))?;
            let name = format!("footer_{lang}");
            plain
                .register_partial(&name, footer)
                .map_err(|e| compile_error(&name, e))?;
        }
        for (lang, kind, subject, text, body) in SV.iter().chain(EN.iter()) {
            let name = format!("{lang}/{kind}");
            plain
                .register_template_string(&format!("{name}.subject"), subject)
                .map_err(|e| compile_error(&format!("{name}.subject"), e))?;
            plain
                .register_template_string(&format!("{name}.txt"), text)
                .map_err(|e| compile_error(&format!("{name}.txt"), e))?;
            html.register_template_string(&format!("{name}.html"), body)
                .map_err(|e| compile_error(&format!("{name}.html"), e))?;
        }
        Ok(Renderer { plain, html })
    }

    /// The subject alone, in the payload's language.
    pub fn subject(&self, payload: &Payload) -> Result<String, TemplateError> {
        let name = format!("{}/{}.subject", payload.lang, payload.details.kind());
        let subject = self.run(&self.plain, &name, payload)?;
        // A subject is one line, whatever the data holds.
        Ok(subject.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Subject, text and HTML of a mail.
    pub fn render(&self, payload: &Payload) -> Result<Rendered, TemplateError> {
        let base = format!("{}/{}", payload.lang, payload.details.kind());
        Ok(Rendered {
            subject: self.subject(payload)?,
            text: self.run(&self.plain, &format!("{base}.txt"), payload)?,
            html: self.run(&self.html, &format!("{base}.html"), payload)?,
        })
    }

    fn run(
        &self,
        registry: &Handlebars<'static>,
        name: &str,
        payload: &Payload,
    ) -> Result<String, TemplateError> {
        if !registry.has_template(name) {
            return Err(compile_error(name, "no such template"));
        }
        let context = Context {
            payload,
            case_url: case_url(&payload.public_url, &payload.case_id),
        };
        registry
            .render(name, &context)
            .map_err(|e| compile_error(name, e))
    }
}

/// The templates, compiled once per process.
pub fn renderer() -> Result<&'static Renderer, TemplateError> {
    static RENDERER: OnceLock<Result<Renderer, String>> = OnceLock::new();
    RENDERER
        .get_or_init(|| Renderer::new().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| TemplateError {
            template: "(all)".into(),
            message: message.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::payload::Details;
    use crate::notify::samples;

    #[test]
    fn every_kind_renders_in_both_languages_with_and_without_a_name() {
        let renderer = renderer().unwrap();
        let kinds: Vec<&str> = samples::details().iter().map(Details::kind).collect();
        assert_eq!(kinds, Details::KINDS);
        for lang in ["sv", "en"] {
            for details in samples::details() {
                for name in [Some("Anna"), None] {
                    let payload = samples::payload(lang, name, details.clone());
                    let mail = renderer
                        .render(&payload)
                        .unwrap_or_else(|e| panic!("{lang} {}: {e}", details.kind()));
                    assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'));
                    // A registrant's mail is about an open event and a plan's action
                    // belongs to an organisation, not a unit: their escaping is checked
                    // on the event's and the action's title instead.
                    // A set-password mail is about an account: its welcome checks
                    // the role's name; a reset names nothing anyone typed but the link.
                    let (raw, escaped) = match details.kind() {
                        "event_registration" => ("<normer> &", "&lt;normer&gt; &amp;"),
                        "action_due" => ("<alla förvaltningar>", "&lt;alla förvaltningar&gt;"),
                        "welcome" => ("Konsult <extern>", "Konsult &lt;extern&gt;"),
                        "password_reset" => ("", ""),
                        _ => (
                            "Socialtjänsten Järfälla <enhet 1>",
                            "Socialtjänsten Järfälla &lt;enhet 1&gt;",
                        ),
                    };
                    if !raw.is_empty() {
                        assert!(mail.text.contains(raw), "{}", mail.text);
                        assert!(mail.html.contains(escaped));
                        assert!(!mail.html.contains(raw));
                    }
                    assert!(mail.text.contains("https://stegvis.example.se"));
                    // A mail about a case links to its page and never shows its id bare.
                    if !payload.case_id.is_empty() {
                        let url = case_url(&payload.public_url, &payload.case_id);
                        let text = mail.text.replace(&url, "");
                        assert!(!text.contains(&payload.case_id), "{}", mail.text);
                        let html = mail.html.replace(&url, "");
                        assert!(!html.contains(&payload.case_id), "{}", mail.html);
                    }
                }
            }
        }
    }

    #[test]
    fn a_payload_missing_what_a_template_needs_is_an_error_not_a_panic() {
        let mut payload = samples::payload("sv", None, samples::details().remove(0));
        payload.lang = "fi".into();
        assert!(renderer().unwrap().render(&payload).is_err());
    }
}

//! Forms: the posted fields, the view of a form (its fields, values and errors), and
//! how a refusal from the service becomes words next to the form it came from.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::value::StrDeserializer;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::WebError;
use crate::app::error::AppError;
use crate::domain::{DomainError, FieldCode, FieldError, Language, Requirement};
use crate::glossary::{self, text};

/// The largest form accepted (a CSV import of a few thousand units fits).
pub const FORM_LIMIT: usize = 1024 * 1024;

/// An `application/x-www-form-urlencoded` body as name/value pairs.
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The last value sent for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").trim().to_string()
    }

    /// The value of `name`, trimmed, or `None` when empty.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    /// The whole number in `name`, or the error naming it.
    pub fn number(&self, name: &str) -> Result<i64, FieldError> {
        whole_number(name, &self.text(name))
    }

    /// The whole number in `name`; `None` when it is empty.
    pub fn optional_number(&self, name: &str) -> Result<Option<i64>, FieldError> {
        self.optional(name)
            .map(|text| whole_number(name, &text))
            .transpose()
    }

    /// The value of `name` read as the API reads the word in JSON (a role, a session
    /// kind, an action …), or the error naming it.
    pub fn word<T: DeserializeOwned>(&self, name: &str) -> Result<T, FieldError> {
        read_word(name, &self.text(name))
    }

    /// `word`; `None` when the field is empty.
    pub fn optional_word<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.optional(name)
            .map(|text| read_word(name, &text))
            .transpose()
    }
}

/// `text` as a whole number, or the error naming `field`.
pub fn whole_number(field: &str, text: &str) -> Result<i64, FieldError> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| FieldError::coded(field, FieldCode::WholeNumber, "must be a whole number"))
}

/// `text` as the word of a `T` (serde's own names for it, so the same words as JSON).
fn read_word<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, FieldError> {
    T::deserialize(StrDeserializer::<serde::de::value::Error>::new(text))
        .map_err(|e| FieldError::coded(field, FieldCode::Choice, e.to_string()))
}

/// Form fields read into typed values, keeping every field that could not be read.
#[derive(Debug, Default)]
pub struct Unread(Vec<FieldError>);

impl Unread {
    /// The value read, or `None` with its error kept.
    pub fn keep<T>(&mut self, read: Result<T, FieldError>) -> Option<T> {
        read.map_err(|e| self.0.push(e)).ok()
    }

    /// True when every field could be read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields that could not be read, refused as the API refuses a body (422).
    pub fn refusal(self) -> AppError {
        AppError::Invalid(self.0)
    }
}

impl FromRequest for FormData {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut payload = payload.take();
        let lang = super::language::requested_language(req).unwrap_or_default();
        Box::pin(async move {
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| {
                    WebError::app(AppError::Malformed("unreadable form".into()), lang)
                })?;
                if body.len() + chunk.len() > FORM_LIMIT {
                    return Err(WebError::app(AppError::PayloadTooLarge, lang));
                }
                body.extend_from_slice(&chunk);
            }
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
                .map(FormData)
                .map_err(|_| WebError::app(AppError::Malformed("not a form".into()), lang))
        })
    }
}

/// One choice of a select.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The label is a name people typed (a unit, an organisation, a person), marked
    /// `translate="no"`: it stays as written in either language.
    pub name: bool,
}

/// One field of a form, with its label, value and error.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub label: String,
    /// text, email, password, number, url, datetime-local, textarea, select
    pub kind: &'static str,
    pub is_textarea: bool,
    pub is_select: bool,
    pub value: String,
    pub error: Option<String>,
    pub error_id: String,
    pub hint: Option<String>,
    pub hint_id: String,
    pub described_by: Option<String>,
    pub required: bool,
    pub min: Option<String>,
    pub max: Option<String>,
    pub autocomplete: Option<&'static str>,
    pub choices: Vec<Choice>,
}

/// A group of fields; with a legend it is a fieldset.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub legend: Option<String>,
    pub fields: Vec<Field>,
    /// Submit buttons of their own (add, remove …): the form comes back with what was
    /// typed, changed as the button says, without JavaScript.
    pub buttons: Vec<Button>,
}

/// A submit button that sends `name=value`.
#[derive(Debug, Clone, Serialize)]
pub struct Button {
    pub name: String,
    pub value: String,
    pub label: String,
}

/// A line of the error summary: a refused field's label and words, linked to the
/// field (`#id`); an error about no field of the form has no link.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryLine {
    pub href: Option<String>,
    pub text: String,
}

/// A form as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    pub id: String,
    pub action: String,
    pub submit: String,
    pub message: Option<String>,
    pub message_id: String,
    /// The unmet requirements of a refused transition, in words.
    pub unmet: Vec<String>,
    pub groups: Vec<Group>,
    /// Hidden fields besides the CSRF token: (name, value).
    pub hidden: Vec<(String, String)>,
    pub has_errors: bool,
    /// Every refused field at once, above the form (GOV.UK's error summary), in the
    /// order of the form.
    pub summary: Vec<SummaryLine>,
    /// Sent as `multipart/form-data` (a form with a file field).
    pub multipart: bool,
    /// The submit button starts a step that cannot be undone: it looks destructive.
    pub danger: bool,
}

impl FormView {
    pub fn new(id: impl Into<String>, action: impl Into<String>, submit: String) -> FormView {
        let id = id.into();
        FormView {
            message_id: format!("{id}-message"),
            id,
            action: action.into(),
            submit,
            message: None,
            unmet: Vec::new(),
            groups: vec![Group {
                legend: None,
                fields: Vec::new(),
                buttons: Vec::new(),
            }],
            hidden: Vec::new(),
            has_errors: false,
            summary: Vec::new(),
            multipart: false,
            danger: false,
        }
    }

    /// Marks the submit button as the start of a step that cannot be undone.
    pub fn danger(mut self) -> FormView {
        self.danger = true;
        self
    }

    /// Sends the form as `multipart/form-data`.
    pub fn multipart(mut self) -> FormView {
        self.multipart = true;
        self
    }

    /// Adds a field to the last group.
    pub fn field(mut self, name: &str, kind: &'static str, label: String) -> FormView {
        let id = format!("{}-{}", self.id, name.replace(['[', ']', '.'], "-"));
        let field = Field {
            error_id: format!("{id}-error"),
            hint_id: format!("{id}-hint"),
            id,
            name: name.to_string(),
            label,
            kind,
            is_textarea: kind == "textarea",
            is_select: kind == "select",
            value: String::new(),
            error: None,
            hint: None,
            described_by: None,
            required: false,
            min: None,
            max: None,
            autocomplete: None,
            choices: Vec::new(),
        };
        if let Some(group) = self.groups.last_mut() {
            group.fields.push(field);
        }
        self
    }

    fn last(&mut self) -> Option<&mut Field> {
        self.groups.last_mut().and_then(|g| g.fields.last_mut())
    }

    pub fn required(mut self) -> FormView {
        if let Some(f) = self.last() {
            f.required = true;
        }
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> FormView {
        if let Some(f) = self.last() {
            f.value = value.into();
        }
        self
    }

    pub fn hint(mut self, hint: String) -> FormView {
        if let Some(f) = self.last() {
            f.hint = Some(hint);
        }
        self
    }

    pub fn range(mut self, min: Option<i64>, max: Option<i64>) -> FormView {
        if let Some(f) = self.last() {
            f.min = min.map(|v| v.to_string());
            f.max = max.map(|v| v.to_string());
        }
        self
    }

    pub fn autocomplete(mut self, value: &'static str) -> FormView {
        if let Some(f) = self.last() {
            f.autocomplete = Some(value);
        }
        self
    }

    /// Choices of a select: (value, label); the field's value picks one.
    pub fn choices(mut self, choices: Vec<(String, String)>) -> FormView {
        if let Some(f) = self.last() {
            f.choices = choices
                .into_iter()
                .map(|(value, label)| Choice {
                    value,
                    label,
                    selected: false,
                    name: false,
                })
                .collect();
        }
        self
    }

    /// Choices of a select whose options are names (units, organisations, people,
    /// programmes): every option but the empty one, which is the glossary's words.
    pub fn name_choices(mut self, choices: Vec<(String, String)>) -> FormView {
        self = self.choices(choices);
        if let Some(f) = self.last() {
            for choice in &mut f.choices {
                choice.name = !choice.value.is_empty();
            }
        }
        self
    }

    /// Starts a fieldset with a legend.
    pub fn group(mut self, legend: String) -> FormView {
        self.groups.push(Group {
            legend: Some(legend),
            fields: Vec::new(),
            buttons: Vec::new(),
        });
        self
    }

    /// Adds a submit button sending `name=value` to the last group.
    pub fn button(mut self, name: &str, value: impl Into<String>, label: String) -> FormView {
        if let Some(group) = self.groups.last_mut() {
            group.buttons.push(Button {
                name: name.to_string(),
                value: value.into(),
                label,
            });
        }
        self
    }

    pub fn hidden(mut self, name: &str, value: impl Into<String>) -> FormView {
        self.hidden.push((name.to_string(), value.into()));
        self
    }

    /// Puts what the person typed back, and the refusal next to the fields.
    pub fn apply(&mut self, feedback: &Feedback, describe: &dyn Fn(&Requirement) -> String) {
        if feedback.form != self.id {
            return;
        }
        self.message = feedback.message.clone();
        self.unmet = feedback.unmet.iter().map(describe).collect();
        self.has_errors = true;
        let mut unplaced = Vec::new();
        for error in &feedback.errors {
            let field = self
                .groups
                .iter_mut()
                .flat_map(|g| g.fields.iter_mut())
                .find(|f| f.name == error.field);
            match field {
                // A second error about the same field joins the first one.
                Some(f) => {
                    f.error = Some(match f.error.take() {
                        Some(first) => format!("{first}; {}", error.message),
                        None => error.message.clone(),
                    })
                }
                None => unplaced.push(error.message.clone()),
            }
        }
        self.summary = self
            .groups
            .iter()
            .flat_map(|g| g.fields.iter())
            .filter_map(|f| {
                f.error.as_ref().map(|e| SummaryLine {
                    href: Some(format!("#{}", f.id)),
                    text: format!("{}: {e}", f.label),
                })
            })
            .chain(
                unplaced
                    .into_iter()
                    .map(|text| SummaryLine { href: None, text }),
            )
            .collect();
        for f in self.groups.iter_mut().flat_map(|g| g.fields.iter_mut()) {
            if f.kind != "password" {
                if let Some((_, v)) = feedback.values.iter().rev().find(|(k, _)| *k == f.name) {
                    f.value = v.clone();
                }
            }
        }
    }

    /// Fills the derived attributes; call last.
    pub fn finish(mut self) -> FormView {
        for f in self.groups.iter_mut().flat_map(|g| g.fields.iter_mut()) {
            let mut ids = Vec::new();
            if f.hint.is_some() {
                ids.push(f.hint_id.clone());
            }
            if f.error.is_some() {
                ids.push(f.error_id.clone());
            }
            f.described_by = (!ids.is_empty()).then(|| ids.join(" "));
            for c in &mut f.choices {
                c.selected = c.value == f.value;
            }
        }
        self
    }
}

/// Why a form was refused, in the page's language, and what was typed.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub form: String,
    pub status: StatusCode,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
    pub unmet: Vec<Requirement>,
    pub values: Vec<(String, String)>,
    /// True when the case changed under the person (a stale version).
    pub stale: bool,
}

impl Feedback {
    /// The refusal `error` of the form `form`; errors that are not about the form
    /// (not found, the server failing) become an error page instead.
    pub fn from_error(
        form: &str,
        error: AppError,
        lang: Language,
        form_data: &FormData,
    ) -> Result<Feedback, WebError> {
        let status = actix_web::ResponseError::status_code(&error);
        let mut feedback = Feedback {
            form: form.to_string(),
            status,
            message: None,
            errors: Vec::new(),
            unmet: Vec::new(),
            values: form_data
                .0
                .iter()
                .filter(|(k, _)| k != "csrf" && k != "password")
                .cloned()
                .collect(),
            stale: false,
        };
        let Some(message) = refusal(lang, &error) else {
            return Err(WebError::app(error, lang));
        };
        feedback.message = Some(message);
        match error {
            AppError::Domain(DomainError::Invalid(errors)) | AppError::Invalid(errors) => {
                feedback.errors = errors
                    .into_iter()
                    .map(|e| {
                        let words = glossary::field_error(lang, &e);
                        FieldError {
                            message: words,
                            ..e
                        }
                    })
                    .collect();
            }
            AppError::Domain(DomainError::RequirementsUnmet(unmet)) => feedback.unmet = unmet,
            AppError::PreconditionFailed { .. } | AppError::PreconditionRequired => {
                feedback.status = StatusCode::CONFLICT;
                feedback.stale = true;
                feedback.values.clear();
            }
            _ => {}
        }
        Ok(feedback)
    }

    /// A refusal the page itself finds (e.g. a number that is not a number).
    pub fn invalid(
        form: &str,
        lang: Language,
        errors: Vec<FieldError>,
        form_data: &FormData,
    ) -> Feedback {
        Feedback::from_error(form, AppError::Invalid(errors), lang, form_data)
            .unwrap_or_else(|_| unreachable_feedback(form))
    }
}

/// What a page says next to a form the service refused, in the glossary's words, for
/// every kind of refusal; `None` for errors that are not about the form (not found,
/// the server failing), which become an error page instead.
pub fn refusal(lang: Language, error: &AppError) -> Option<String> {
    let t = |key: &str| text(lang, key, &[]);
    Some(match error {
        AppError::Domain(DomainError::Invalid(_)) | AppError::Invalid(_) => t("form.fix_errors"),
        AppError::Domain(DomainError::RequirementsUnmet(_)) => t("form.requirements_unmet"),
        AppError::Domain(DomainError::NotAllowed { stage, status, .. }) => text(
            lang,
            "form.not_allowed",
            &[
                ("stage", glossary::stage(lang, *stage).to_string()),
                ("status", glossary::status(lang, *status).to_string()),
            ],
        ),
        AppError::Domain(DomainError::Paused) => t("form.paused"),
        AppError::Domain(DomainError::Conflict(code)) | AppError::Conflict(code) => {
            glossary::conflict(lang, *code)
        }
        AppError::Domain(DomainError::NotAssignedAuditor) => t("form.not_assigned_auditor"),
        AppError::Forbidden(_) => t("form.forbidden"),
        AppError::PreconditionFailed { .. } | AppError::PreconditionRequired => t("form.stale"),
        AppError::TooManyRequests { retry_after_secs } => text(
            lang,
            "login.throttled",
            &[("minutes", retry_after_secs.div_ceil(60).to_string())],
        ),
        AppError::Unauthorized(_) => t("login.failed"),
        AppError::NotFound
        | AppError::Malformed(_)
        | AppError::PayloadTooLarge
        | AppError::MethodNotAllowed { .. }
        | AppError::Store(_)
        | AppError::Notify(_)
        | AppError::Certificate(_)
        | AppError::Internal(_) => return None,
    })
}

fn unreachable_feedback(form: &str) -> Feedback {
    Feedback {
        form: form.to_string(),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: None,
        errors: Vec::new(),
        unmet: Vec::new(),
        values: Vec::new(),
        stale: false,
    }
}

/// Where to go after a form: the page it came from, if it is one of ours.
pub fn return_to(form: &FormData, default: String) -> String {
    form.get("return_to")
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .map(String::from)
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FieldCode, Stage, Status};

    fn form_with_attendance() -> FormView {
        FormView::new("attendance", "/x", "Spara".into())
            .field("attended", "number", "Närvaro".into())
            .finish()
    }

    #[test]
    fn a_swedish_page_shows_a_coded_error_in_swedish_with_its_parameter() {
        let error = AppError::Domain(DomainError::field(
            FieldError::coded(
                "attended",
                FieldCode::AboveHeadcount,
                "must be between 0 and the headcount (12)",
            )
            .with("headcount", 12),
        ));
        let sent = FormData(vec![("attended".into(), "13".into())]);
        let feedback = Feedback::from_error("attendance", error, Language::Sv, &sent)
            .expect("a refusal about the form");
        let mut form = form_with_attendance();
        form.apply(&feedback, &|_| String::new());
        let field = &form.groups[0].fields[0];
        assert_eq!(
            field.error.as_deref(),
            Some("måste vara mellan 0 och antalet medarbetare (12)")
        );
        assert_eq!(field.value, "13");
        assert_eq!(
            form.message.as_deref(),
            Some("Rätta det som är markerat nedan.")
        );
        assert_eq!(feedback.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn an_english_page_shows_the_same_error_in_english() {
        let error = AppError::Invalid(vec![FieldError::coded(
            "password",
            FieldCode::TooShort,
            "must be at least 12 characters",
        )
        .with("min", 12)]);
        let feedback = Feedback::from_error("user", error, Language::En, &FormData(Vec::new()))
            .expect("a refusal about the form");
        assert_eq!(feedback.errors[0].message, "must be at least 12 characters");
        assert_eq!(feedback.errors[0].code, FieldCode::TooShort);
    }

    #[test]
    fn each_refusal_reads_in_the_pages_language() {
        let not_allowed = AppError::Domain(DomainError::NotAllowed {
            action: "advance",
            stage: Stage::Audit,
            status: Status::Paused,
        });
        assert_eq!(
            refusal(Language::Sv, &not_allowed).as_deref(),
            Some("Det går inte när ärendet står i steget Granskning med status Pausad.")
        );
        let live = AppError::Conflict(crate::domain::ConflictCode::LiveCase);
        assert_eq!(
            refusal(Language::Sv, &live).as_deref(),
            Some("enheten har redan ett pågående ärende i detta program")
        );
        assert!(refusal(Language::Sv, &AppError::NotFound).is_none());
    }
}

//! The forms read into the app's typed inputs, with no JSON in between: each field is
//! read into its type (a word into its enum, a number, a Stockholm time), a field that
//! cannot be read is refused with the others, and the input is then checked by
//! `validation::checked`, the API's own check, so a page refuses exactly what the API
//! refuses, with the same codes.

use crate::app::email::EmailAddress;
use crate::app::error::AppError;
use crate::app::headcount::Headcount;
use crate::app::inputs::{
    AreaKey, FindingResolution, NewCase, NewEvidence, NewOrganisation, NewProgramme, NewSession,
    NewUnit, NewUser, SessionPatch, Theme, TransitionRequest,
};
use crate::app::validation::checked;
use crate::domain::{FieldCode, FieldError};
use crate::http::web::forms::{whole_number, FormData, Unread};
use crate::http::web::time;

impl TryFrom<&FormData> for NewOrganisation {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        checked(NewOrganisation {
            name: form.text("name").into(),
            org_number: form.optional("org_number"),
        })
    }
}

/// A new unit from its fields as typed (a form, or a row of a CSV import).
pub fn new_unit(
    name: &str,
    department: Option<String>,
    headcount: &str,
    contact_email: Option<String>,
) -> Result<NewUnit, AppError> {
    let headcount = whole_number("headcount", headcount);
    let contact_email = contact_email.as_deref().map(EmailAddress::sent);
    // A headcount that is not a number, or an address the use case would refuse later,
    // does not hide the other fields' errors: every error is reported at once (the
    // rules run with a stand-in number).
    let mut early: Vec<FieldError> = headcount.as_ref().err().cloned().into_iter().collect();
    if let Some(Err(e)) = contact_email.as_ref().map(|a| a.check("contact_email")) {
        early.push(e);
    }
    let unit = checked(NewUnit {
        name: name.into(),
        department: department.map(Into::into),
        headcount: Headcount::sent(*headcount.as_ref().unwrap_or(&1)),
        contact_email,
    });
    match unit {
        Ok(unit) if early.is_empty() => Ok(unit),
        Ok(_) => Err(AppError::Invalid(early)),
        Err(AppError::Invalid(mut errors)) => {
            errors.extend(early);
            errors.sort_by(|a, b| a.field.cmp(&b.field));
            Err(AppError::Invalid(errors))
        }
        Err(other) => Err(other),
    }
}

impl TryFrom<&FormData> for NewUnit {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        new_unit(
            &form.text("name"),
            form.optional("department"),
            &form.text("headcount"),
            form.optional("contact_email"),
        )
    }
}

impl TryFrom<&FormData> for NewCase {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        checked(NewCase {
            unit_id: form.text("unit_id"),
            programme_id: form.text("programme_id"),
            consultant_id: None,
        })
    }
}

impl TryFrom<&FormData> for NewUser {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        let mut unread = Unread::default();
        let role = unread.keep(form.word("role"));
        let language = unread.keep(form.optional_word("language"));
        let (Some(role), Some(language)) = (role, language) else {
            return Err(unread.refusal());
        };
        checked(NewUser {
            email: EmailAddress::sent(&form.text("email")),
            name: form.text("name").into(),
            role,
            organisation_id: form.optional("organisation_id"),
            unit_id: form.optional("unit_id"),
            language,
            password: form
                .get("password")
                .filter(|p| !p.is_empty())
                .map(String::from),
        })
    }
}

impl TryFrom<&FormData> for NewProgramme {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        let mut unread = Unread::default();
        let mut number = |field: &str| unread.keep(form.optional_number(field));
        let workshops = number("workshops_required");
        let attendance = number("attendance_threshold_pct");
        let reflection = number("reflection_threshold_pct");
        let validity = number("validity_months");
        let (Some(workshops), Some(attendance), Some(reflection), Some(validity)) =
            (workshops, attendance, reflection, validity)
        else {
            return Err(unread.refusal());
        };
        let routine_areas = form.optional("routine_areas").map(|areas| {
            areas
                .split(',')
                .map(str::trim)
                .filter(|area| !area.is_empty())
                .map(|area| AreaKey(area.to_string()))
                .collect()
        });
        checked(NewProgramme {
            key: form.text("key"),
            name: form.text("name").into(),
            workshops_required: workshops,
            attendance_threshold_pct: attendance,
            reflection_threshold_pct: reflection,
            routine_areas,
            validity_months: validity,
            stage_deadline_days: None,
            finding_due_days: None,
            surveillance_months: None,
            surveillance_grace_days: None,
            decision_by: None,
            description: None,
            path: None,
        })
    }
}

/// A session to schedule; the times are read as Stockholm time.
impl TryFrom<&FormData> for NewSession {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        let mut unread = Unread::default();
        let when = |field: &str| {
            time::parse_input(&form.text(field)).ok_or_else(|| {
                FieldError::coded(field, FieldCode::DateTime, "must be a date and time")
            })
        };
        let kind = unread.keep(form.word("kind"));
        let starts_at = unread.keep(when("starts_at"));
        let ends_at = unread.keep(when("ends_at"));
        let (Some(kind), Some(starts_at), Some(ends_at)) = (kind, starts_at, ends_at) else {
            return Err(unread.refusal());
        };
        checked(NewSession {
            kind,
            title: form.text("title").into(),
            starts_at,
            ends_at,
            location: form.optional("location").map(Into::into),
            audience: form.optional("audience").map(Into::into),
            // One theme per line of the text area.
            themes: form
                .text("themes")
                .lines()
                .map(str::trim)
                .filter(|theme| !theme.is_empty())
                .map(|theme| Theme(theme.to_string()))
                .collect(),
            notes: form.optional("notes"),
        })
    }
}

/// Notes on a session, written when or after it is held: only the notes change; an
/// empty text clears them.
impl TryFrom<&FormData> for SessionPatch {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        checked(SessionPatch {
            title: None,
            starts_at: None,
            ends_at: None,
            location: None,
            audience: None,
            themes: None,
            notes: Some(form.optional("notes")),
        })
    }
}

impl TryFrom<&FormData> for NewEvidence {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        checked(NewEvidence {
            area: form.text("area"),
            description: form.text("description"),
            link: form.optional("link"),
        })
    }
}

impl TryFrom<&FormData> for FindingResolution {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        checked(FindingResolution {
            resolution: form.text("resolution"),
        })
    }
}

/// A transition of the case page: its action, a comment, and for `request_audit` the
/// auditor.
impl TryFrom<&FormData> for TransitionRequest {
    type Error = AppError;

    fn try_from(form: &FormData) -> Result<Self, AppError> {
        let action = form
            .word("action")
            .map_err(|e| AppError::Invalid(vec![e]))?;
        let auditor_id = if form.text("action") == "request_audit" {
            form.optional("auditor_id")
        } else {
            None
        };
        checked(TransitionRequest {
            action,
            comment: form.optional("comment"),
            auditor_id,
            findings: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::http::api::extract::parse_json;

    fn form(fields: &[(&str, &str)]) -> FormData {
        FormData(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn refused<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<FieldError> {
        match result {
            Err(AppError::Invalid(errors)) => errors,
            other => panic!("not refused as invalid: {other:?}"),
        }
    }

    fn api<T: serde::de::DeserializeOwned + validator::Validate>(
        body: Value,
    ) -> Result<T, AppError> {
        parse_json(body.to_string().as_bytes())
    }

    #[test]
    fn a_unit_form_is_refused_exactly_as_the_api_refuses_the_same_body() {
        let long = "x".repeat(201);
        let cases = [
            (
                vec![
                    ("name", "Enhet 🌈"),
                    ("headcount", "0"),
                    ("department", "Avd\u{202E}"),
                ],
                json!({"name": "Enhet 🌈", "headcount": 0, "department": "Avd\u{202E}"}),
            ),
            (
                vec![
                    ("name", " "),
                    ("headcount", "100001"),
                    ("department", long.as_str()),
                ],
                json!({"name": " ", "headcount": 100001, "department": long}),
            ),
            (
                vec![("name", "Kom\tmun"), ("headcount", "12")],
                json!({"name": "Kom\tmun", "headcount": 12}),
            ),
        ];
        for (fields, body) in cases {
            let page = refused(NewUnit::try_from(&form(&fields)));
            assert!(!page.is_empty());
            assert_eq!(page, refused(api::<NewUnit>(body)), "{fields:?}");
        }
    }

    #[test]
    fn names_read_from_a_form_are_normalised_as_the_api_normalises_them() {
        let fields = [("name", "  A\u{30A}ma\u{30A}l kommun \u{a0}")];
        let page = NewOrganisation::try_from(&form(&fields)).expect("accepted");
        let body = json!({"name": "  A\u{30A}ma\u{30A}l kommun \u{a0}"});
        let sent = api::<NewOrganisation>(body).expect("accepted");
        assert_eq!(page.name.as_str(), "\u{C5}m\u{E5}l kommun");
        assert_eq!(page.name, sent.name);
    }

    #[test]
    fn a_headcount_that_is_not_a_number_is_refused_in_plain_words() {
        for headcount in ["tolv", "", "12.5"] {
            let fields = [("name", "Enhet"), ("headcount", headcount)];
            let errors = refused(NewUnit::try_from(&form(&fields)));
            assert_eq!(
                errors,
                vec![FieldError::coded(
                    "headcount",
                    FieldCode::WholeNumber,
                    "must be a whole number"
                )]
            );
        }
    }

    #[test]
    fn every_field_of_a_form_that_cannot_be_read_is_named() {
        let user = [("name", "Ada"), ("role", "boss"), ("language", "fi")];
        let fields: Vec<String> = refused(NewUser::try_from(&form(&user)))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["role", "language"]);
        let session = [
            ("kind", "party"),
            ("title", "Uppstart"),
            ("ends_at", "2026-05-04T10:00"),
        ];
        let fields: Vec<String> = refused(NewSession::try_from(&form(&session)))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["kind", "starts_at"]);
        let programme = [("key", "p"), ("name", "P"), ("validity_months", "tre")];
        let errors = refused(NewProgramme::try_from(&form(&programme)));
        assert_eq!(errors[0].code, FieldCode::WholeNumber);
    }

    #[test]
    fn a_word_is_read_as_the_api_reads_it() {
        let user = [
            ("name", "Ada"),
            ("email", "Ada@Example.SE"),
            ("role", "unit_contact"),
            ("unit_id", "u1"),
            ("language", "en"),
            ("password", "correct horse battery staple"),
        ];
        let read = NewUser::try_from(&form(&user)).expect("accepted");
        assert_eq!(read.role, crate::domain::Role::UnitContact);
        assert_eq!(read.language, Some(crate::domain::Language::En));
        assert_eq!(read.email.as_str(), "ada@example.se");
        let page = refused(TransitionRequest::try_from(&form(&[("action", "jump")])));
        let body = refused(api::<TransitionRequest>(json!({"action": "jump"})));
        assert_eq!(page, body);
    }
}

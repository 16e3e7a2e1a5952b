//! Every word users see, in Swedish (the default) and English, in one place: pages,
//! mails, the certificate, the verification page, CSV headers and the words of each
//! coded field error. The words are in `src/glossary/{sv,en}.json` (compiled in), one
//! entry per key, in the words users of the field know. Keys are dotted, e.g.
//! `stage.kickoff`; `{name}` placeholders are filled from named arguments.

pub mod dates;
pub mod numbers;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::certificate::CertificateStatus;
use crate::domain::{
    ConflictCode, FieldCode, FieldError, Language, Role, SessionKind, Severity, Stage, Status,
};

type Table = HashMap<String, String>;

fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The files are compiled in and checked by the tests below; an unreadable
        // file shows its keys instead of words rather than stopping the server.
        let parse = |text: &str| serde_json::from_str::<Table>(text).unwrap_or_default();
        (
            parse(include_str!("sv.json")),
            parse(include_str!("en.json")),
        )
    })
}

fn table(lang: Language) -> &'static Table {
    match lang {
        Language::Sv => &tables().0,
        Language::En => &tables().1,
    }
}

/// The words for `key`, if the language has them.
pub fn lookup(lang: Language, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// The words for `key` with `{name}` placeholders filled; the key itself when missing,
/// so a gap shows (and the tests of the tables catch it).
pub fn text(lang: Language, key: &str, args: &[(&str, String)]) -> String {
    fill(lookup(lang, key).unwrap_or(key), args)
}

/// `template` with its `{name}` placeholders filled from `args`.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The words for a fixed key, or the key when the language lacks it.
fn word(lang: Language, prefix: &str, key: &'static str) -> &'static str {
    lookup(lang, &format!("{prefix}.{key}")).unwrap_or(key)
}

/// The name of a stage.
pub fn stage(lang: Language, stage: Stage) -> &'static str {
    word(lang, "stage", stage.as_str())
}

/// The name of a case status.
pub fn status(lang: Language, status: Status) -> &'static str {
    word(lang, "status", status.as_str())
}

/// The name of a role.
pub fn role(lang: Language, role: Role) -> &'static str {
    word(lang, "role", role.as_str())
}

/// The name of a kind of session.
pub fn session_kind(lang: Language, kind: SessionKind) -> &'static str {
    word(lang, "session", kind.as_str())
}

/// The name of a finding's severity.
pub fn severity(lang: Language, severity: Severity) -> &'static str {
    word(lang, "severity", severity.as_str())
}

/// The name of a certificate's status (the certificate is "Giltigt", not "Giltig").
pub fn certificate_status(lang: Language, status: CertificateStatus) -> &'static str {
    word(lang, "certificate", status.as_str())
}

/// The name of a routine area of the default programme; other areas as they are keyed.
pub fn area(lang: Language, key: &str) -> String {
    lookup(lang, &format!("area.{key}"))
        .map(String::from)
        .unwrap_or_else(|| key.to_string())
}

/// A conflict in the user's language.
pub fn conflict(lang: Language, code: ConflictCode) -> String {
    text(lang, &format!("conflict.{}", code.as_str()), &[])
}

/// What is wrong with a field, in the user's language, its parameters filled in. The
/// English `message` is the API's and never reaches a page: an error without a code of
/// its own reads "is invalid" in the user's words.
pub fn field_error(lang: Language, error: &FieldError) -> String {
    let args: Vec<(&str, String)> = error
        .params
        .iter()
        .map(|(name, value)| {
            let value = match *name {
                "stage" => Stage::parse(value)
                    .map(|s| stage(lang, s).to_string())
                    .unwrap_or_else(|| value.clone()),
                "areas" => value
                    .split(',')
                    .map(|a| area(lang, a))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => value.clone(),
            };
            (*name, value)
        })
        .collect();
    text(lang, &field_error_key(error.code), &args)
}

/// The glossary key of a field error code.
pub fn field_error_key(code: FieldCode) -> String {
    format!("field_error.{}", code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut out: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn every_key_is_in_both_languages_and_no_word_is_empty() {
        let (sv, en) = tables();
        assert!(
            sv.len() > 400,
            "the Swedish table loads ({} keys)",
            sv.len()
        );
        let missing_en: Vec<_> = sv.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_sv: Vec<_> = en.keys().filter(|k| !sv.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.json: {missing_en:?}");
        assert!(missing_sv.is_empty(), "missing in sv.json: {missing_sv:?}");
        for (lang, table) in [("sv", sv), ("en", en)] {
            let empty: Vec<_> = table
                .iter()
                .filter(|(_, v)| v.trim().is_empty())
                .map(|(k, _)| k)
                .collect();
            assert!(empty.is_empty(), "empty words in {lang}.json: {empty:?}");
        }
    }

    #[test]
    fn both_languages_name_the_same_placeholders() {
        let (sv, en) = tables();
        for (key, swedish) in sv {
            let english = en.get(key).map(String::as_str).unwrap_or_default();
            assert_eq!(
                placeholders(swedish),
                placeholders(english),
                "{key}: {swedish:?} / {english:?}"
            );
        }
    }

    #[test]
    fn every_workflow_value_has_a_name_in_both_languages() {
        let certificate = [
            CertificateStatus::Valid,
            CertificateStatus::Suspended,
            CertificateStatus::Expired,
            CertificateStatus::Revoked,
        ];
        let kinds = SessionKind::ALL;
        let severities = [Severity::Major, Severity::Minor, Severity::Observation];
        for lang in [Language::Sv, Language::En] {
            let mut keys: Vec<String> = Vec::new();
            keys.extend(Stage::ALL.iter().map(|s| format!("stage.{}", s.as_str())));
            keys.extend(Status::ALL.iter().map(|s| format!("status.{}", s.as_str())));
            keys.extend(Role::ALL.iter().map(|r| format!("role.{}", r.as_str())));
            keys.extend(kinds.iter().map(|k| format!("session.{}", k.as_str())));
            keys.extend(kinds.iter().map(|k| format!("sessions.{}", k.as_str())));
            keys.extend(
                severities
                    .iter()
                    .map(|s| format!("severity.{}", s.as_str())),
            );
            keys.extend(
                certificate
                    .iter()
                    .map(|c| format!("certificate.{}", c.as_str())),
            );
            keys.extend(FieldCode::ALL.iter().map(|c| field_error_key(*c)));
            keys.extend(
                ConflictCode::ALL
                    .iter()
                    .map(|c| format!("conflict.{}", c.as_str())),
            );
            let missing: Vec<_> = keys.iter().filter(|k| lookup(lang, k).is_none()).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }

    #[test]
    fn the_words_are_the_glossarys() {
        assert_eq!(
            stage(Language::Sv, Stage::RoutineIntegration),
            "Integrering i rutiner"
        );
        assert_eq!(
            status(Language::Sv, Status::Suspended),
            "Tillfälligt upphävd"
        );
        assert_eq!(role(Language::En, Role::UnitContact), "Unit contact");
        assert_eq!(
            session_kind(Language::Sv, SessionKind::Kickoff),
            "Uppstartsmöte"
        );
        assert_eq!(
            severity(Language::En, Severity::Major),
            "Major nonconformity"
        );
        assert_eq!(
            certificate_status(Language::Sv, CertificateStatus::Suspended),
            "Tillfälligt upphävt"
        );
        assert_eq!(area(Language::Sv, "apt"), "Arbetsplatsträffar (APT)");
        assert_eq!(area(Language::Sv, "own_area"), "own_area");
    }

    #[test]
    fn placeholders_are_filled() {
        let t = text(
            Language::Sv,
            "progress.workshops_held",
            &[("current", "3".into()), ("required", "4".into())],
        );
        assert_eq!(t, "3 av 4 verkstäder");
    }

    #[test]
    fn a_coded_error_reads_in_swedish_with_its_parameter() {
        let error = FieldError::coded(
            "attended",
            FieldCode::AboveHeadcount,
            "must be between 0 and the headcount (12)",
        )
        .with("headcount", 12);
        assert_eq!(
            field_error(Language::Sv, &error),
            "måste vara mellan 0 och antalet medarbetare (12)"
        );
        assert_eq!(
            field_error(Language::En, &error),
            "must be between 0 and the headcount (12)"
        );
    }

    #[test]
    fn stage_and_area_parameters_are_named_in_the_users_language() {
        let deadline = FieldError::coded("stage_deadline_days", FieldCode::StageDeadline, "x")
            .with("stage", "value_workshops")
            .with("min", 1)
            .with("max", 3650);
        assert_eq!(
            field_error(Language::Sv, &deadline),
            "Värderingsverkstäder behöver ett slutdatum om 1 till 3650 dagar"
        );
        let area =
            FieldError::coded("area", FieldCode::UnknownArea, "x").with("areas", "apt,quality");
        assert_eq!(
            field_error(Language::Sv, &area),
            "måste vara ett av Arbetsplatsträffar (APT), Kvalitetsarbete"
        );
    }

    #[test]
    fn an_error_without_a_code_never_shows_its_english_message_on_a_page() {
        let error = FieldError::new("csv", "is invalid (custom)");
        assert_eq!(field_error(Language::Sv, &error), "är ogiltigt");
        assert_eq!(field_error(Language::En, &error), "is invalid");
    }
}

//! The words mail shows: the glossary's, in the recipient's language, and times on
//! Stockholm's clock as prose (see [`crate::glossary`] and [`crate::clock::stockholm`]).

use crate::domain::{Language, SessionKind, Severity, Stage, Status};
use crate::glossary;

pub use crate::glossary::dates::{date, date_time, day, time};

/// The name of a stage.
pub fn stage(stage: Stage, lang: Language) -> &'static str {
    glossary::stage(lang, stage)
}

/// The name of a case status.
pub fn status(status: Status, lang: Language) -> &'static str {
    glossary::status(lang, status)
}

/// The name of a kind of session.
pub fn session_kind(kind: SessionKind, lang: Language) -> &'static str {
    glossary::session_kind(lang, kind)
}

/// The name of a finding's severity.
pub fn severity(severity: Severity, lang: Language) -> &'static str {
    glossary::severity(lang, severity)
}

/// The name of a routine area of the default programme; other areas as they are keyed.
pub fn area(key: &str, lang: Language) -> String {
    glossary::area(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn mail_uses_the_glossarys_words_and_stockholm_time() {
        assert_eq!(
            stage(Stage::ValueWorkshops, Language::Sv),
            "Värderingsverkstäder"
        );
        assert_eq!(
            severity(Severity::Minor, Language::En),
            "Minor nonconformity"
        );
        let at = DateTime::parse_from_rfc3339("2026-07-15T09:00:00Z")
            .expect("rfc3339")
            .with_timezone(&Utc);
        assert_eq!(date_time(at, Language::Sv), "onsdag 15 juli 2026 kl. 11.00");
    }
}

//! The words enum values are stored as, and the refusal of a word that names none.
//!
//! Every enum kept in a text column converts to its word with `String::from` and back
//! with `TryFrom<String>`; a word that names no value is an [`UnknownValue`], never a
//! default, so a corrupt row can never be read as something it does not say.

use super::certificate::CertificateStatus;
use super::stage::{Stage, Status};
use super::values::{Language, Measure, Role, SessionKind, Severity};

/// A stored word that names no value of its kind: the row is corrupt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! stored_as_word {
    ($($ty:ty => $kind:literal),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = UnknownValue;

            fn try_from(word: String) -> Result<Self, UnknownValue> {
                <$ty>::parse(&word).ok_or(UnknownValue { kind: $kind, value: word })
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_string()
            }
        }
    )*};
}

stored_as_word! {
    Stage => "stage",
    Status => "status",
    Role => "role",
    Language => "language",
    SessionKind => "session kind",
    Measure => "measure",
    Severity => "severity",
    CertificateStatus => "certificate status",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_word_reads_back_as_its_value() {
        for stage in Stage::ALL {
            assert_eq!(Stage::try_from(String::from(stage)), Ok(stage));
        }
        for status in Status::ALL {
            assert_eq!(Status::try_from(String::from(status)), Ok(status));
        }
        for s in [
            CertificateStatus::Valid,
            CertificateStatus::Suspended,
            CertificateStatus::Expired,
            CertificateStatus::Revoked,
        ] {
            assert_eq!(CertificateStatus::try_from(String::from(s)), Ok(s));
        }
    }

    #[test]
    fn an_unknown_word_is_refused_and_named() {
        let refused = CertificateStatus::try_from("valid ".to_string());
        assert_eq!(
            refused,
            Err(UnknownValue {
                kind: "certificate status",
                value: "valid ".into()
            })
        );
        assert!(Role::try_from("superuser".to_string()).is_err());
        assert!(SessionKind::try_from(String::new()).is_err());
    }
}

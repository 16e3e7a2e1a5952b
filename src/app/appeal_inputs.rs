//! The request bodies of appeals, complaints and certification decisions; lengths are checked here, the rest
//! (blank text, what may be appealed, a known certificate code) by the use cases and
//! the domain.

use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::app::email::EmailAddress;
use crate::domain::{AppealOutcome, ComplaintOutcome, DecisionOutcome, Language};

/// An appeal of the return or suspension in force on a case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// Why the unit disagrees.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub text: String,
}

/// An admin's decision on an appeal.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealDecisionRequest {
    pub outcome: AppealOutcome,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// A complaint from anyone: about a certified unit (by its certificate's
/// verification code) or, without `about`, about the certifying body.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintRequest {
    /// The verification code of the unit's certificate; absent for a complaint about
    /// the certifying body.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub about: Option<String>,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub text: String,
    /// Where the outcome is sent; shown to admins only.
    #[schema(
        value_type = Option<String>,
        max_length = 254,
        pattern = "^[^@\\s\\u0000-\\u001f\\u007f]+@[^@\\s.\\u0000-\\u001f\\u007f]+(\\.[^@\\s.\\u0000-\\u001f\\u007f]+)+$"
    )]
    pub email: Option<EmailAddress>,
    /// The language of the mail with the outcome; Swedish unless given.
    pub language: Option<Language>,
}

/// An admin's decision on a complaint.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintDecisionRequest {
    pub outcome: ComplaintOutcome,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// An admin's certification decision on a case the auditor recommended.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub outcome: DecisionOutcome,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

//! An invalid input field, as every layer reports it: a stable code with its
//! parameters (what the pages show, in the user's words) and an English message (what
//! the API answers).

/// What is wrong with a field, stable across wording changes. The glossary has the
/// words for each code in every language (`field_error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldCode {
    /// No code of its own: the message says what is wrong.
    Invalid,
    Required,
    /// `{min}` to `{max}` characters.
    Length,
    /// At least `{min}` characters.
    TooShort,
    /// At most `{max}` characters.
    TooLong,
    /// A number from `{min}` to `{max}`.
    Range,
    NotNegative,
    /// From 0 to the unit's `{headcount}`.
    AboveHeadcount,
    WholeNumber,
    DateTime,
    Email,
    OrgNumber,
    ProgrammeKey,
    AreaKey,
    /// From `{min}` to `{max}` routine areas.
    AreaCount,
    AreasUnique,
    /// One of the programme's routine `{areas}`.
    UnknownArea,
    /// The `{stage}` needs a deadline of `{min}` to `{max}` days.
    StageDeadline,
    CertifiedDeadline,
    WebLink,
    EndsBeforeStart,
    NotStarted,
    NothingToChange,
    /// At most `{max}` findings.
    TooManyFindings,
    FindingNeeded,
    MajorNotApprovable,
    FindingsOnlyOnDecisions,
    AuditorOnlyOnRequest,
    AuditorRequired,
    AuditorIsConsultant,
    UnknownAuditor,
    UnknownConsultant,
    ConsultantIsSelf,
    UnknownUnit,
    UnknownProgramme,
    UnknownOrganisation,
    CoordinatorNeedsOrganisation,
    UnitContactNeedsUnit,
    OnlyCoordinatorOrganisation,
    OnlyUnitContactUnit,
    BlankPassword,
    CommonPassword,
    /// Not the account's current password (changing one's own).
    WrongPassword,
    ControlCharacters,
    BidiOverride,
    Unprintable,
    FormulaCell,
    /// Stages follow the path's fixed order.
    StageOrder,
    StageTwice,
    KickoffFirst,
    AuditInPath,
    /// Only the stages a case works through (never `certified`).
    NotInPath,
    /// A field the requirement `{kind}` does not use.
    NotForKind,
    RequirementTwice,
    AuditRequirements,
    /// A later version of the same programme.
    ProgrammeVersionTarget,
    /// No certificate has the verification code given.
    UnknownCertificate,
    /// One of the webhook event `{kinds}`.
    WebhookEvent,
    /// From 1 to `{max}` event kinds.
    WebhookEventCount,
    WebhookItself,
    WebhookPrivate,
    WebhookSecret,
    WebhookUnresolvable,
    /// A date after today.
    NotInFuture,
    ClosesAfterEnd,
    /// Must belong to the organisation in question (a plan's owners, its case).
    OtherOrganisation,
    /// A PDF, Office document or image whose content is what its name says.
    FileType,
    /// At most `{megabytes}` MB.
    FileTooLarge,
    /// A date `YYYY-MM-DD`.
    Date,
    /// A cohort (round) that is not there.
    UnknownCohort,
    /// Not a live registration of the event.
    NotRegistered,
    /// The event is not open to the organisation named.
    NotOpenToOrganisation,
    /// Not one of the words the field offers (a select, a radio).
    Choice,
    /// Text that is not UTF-8.
    Utf8Text,
    /// A CSV import with bad rows: nothing was imported.
    ImportRefused,
}

impl FieldCode {
    /// Every code, for the glossary's completeness test.
    pub const ALL: [FieldCode; 75] = [
        FieldCode::Invalid,
        FieldCode::Required,
        FieldCode::Length,
        FieldCode::TooShort,
        FieldCode::TooLong,
        FieldCode::Range,
        FieldCode::NotNegative,
        FieldCode::AboveHeadcount,
        FieldCode::WholeNumber,
        FieldCode::DateTime,
        FieldCode::Email,
        FieldCode::OrgNumber,
        FieldCode::ProgrammeKey,
        FieldCode::AreaKey,
        FieldCode::AreaCount,
        FieldCode::AreasUnique,
        FieldCode::UnknownArea,
        FieldCode::StageDeadline,
        FieldCode::CertifiedDeadline,
        FieldCode::WebLink,
        FieldCode::EndsBeforeStart,
        FieldCode::NotStarted,
        FieldCode::NothingToChange,
        FieldCode::TooManyFindings,
        FieldCode::FindingNeeded,
        FieldCode::MajorNotApprovable,
        FieldCode::FindingsOnlyOnDecisions,
        FieldCode::AuditorOnlyOnRequest,
        FieldCode::AuditorRequired,
        FieldCode::AuditorIsConsultant,
        FieldCode::UnknownAuditor,
        FieldCode::UnknownConsultant,
        FieldCode::ConsultantIsSelf,
        FieldCode::UnknownUnit,
        FieldCode::UnknownProgramme,
        FieldCode::UnknownOrganisation,
        FieldCode::CoordinatorNeedsOrganisation,
        FieldCode::UnitContactNeedsUnit,
        FieldCode::OnlyCoordinatorOrganisation,
        FieldCode::OnlyUnitContactUnit,
        FieldCode::BlankPassword,
        FieldCode::CommonPassword,
        FieldCode::WrongPassword,
        FieldCode::ControlCharacters,
        FieldCode::BidiOverride,
        FieldCode::Unprintable,
        FieldCode::FormulaCell,
        FieldCode::StageOrder,
        FieldCode::StageTwice,
        FieldCode::KickoffFirst,
        FieldCode::AuditInPath,
        FieldCode::NotInPath,
        FieldCode::NotForKind,
        FieldCode::RequirementTwice,
        FieldCode::AuditRequirements,
        FieldCode::ProgrammeVersionTarget,
        FieldCode::UnknownCertificate,
        FieldCode::WebhookEvent,
        FieldCode::WebhookEventCount,
        FieldCode::WebhookItself,
        FieldCode::WebhookPrivate,
        FieldCode::WebhookSecret,
        FieldCode::WebhookUnresolvable,
        FieldCode::NotInFuture,
        FieldCode::ClosesAfterEnd,
        FieldCode::OtherOrganisation,
        FieldCode::FileType,
        FieldCode::FileTooLarge,
        FieldCode::Date,
        FieldCode::UnknownCohort,
        FieldCode::NotRegistered,
        FieldCode::NotOpenToOrganisation,
        FieldCode::Choice,
        FieldCode::Utf8Text,
        FieldCode::ImportRefused,
    ];
    /// The code named `word`, if there is one.
    pub fn parse(word: &str) -> Option<FieldCode> {
        FieldCode::ALL
            .into_iter()
            .find(|code| code.as_str() == word)
    }

    /// The code as the API names it (`errors[].code`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Invalid => "invalid",
            FieldCode::Required => "required",
            FieldCode::Length => "length",
            FieldCode::TooShort => "too_short",
            FieldCode::TooLong => "too_long",
            FieldCode::Range => "range",
            FieldCode::NotNegative => "not_negative",
            FieldCode::AboveHeadcount => "above_headcount",
            FieldCode::WholeNumber => "whole_number",
            FieldCode::DateTime => "date_time",
            FieldCode::Email => "email",
            FieldCode::OrgNumber => "org_number",
            FieldCode::ProgrammeKey => "programme_key",
            FieldCode::AreaKey => "area_key",
            FieldCode::AreaCount => "area_count",
            FieldCode::AreasUnique => "areas_unique",
            FieldCode::UnknownArea => "unknown_area",
            FieldCode::StageDeadline => "stage_deadline",
            FieldCode::CertifiedDeadline => "certified_deadline",
            FieldCode::WebLink => "web_link",
            FieldCode::EndsBeforeStart => "ends_before_start",
            FieldCode::NotStarted => "not_started",
            FieldCode::NothingToChange => "nothing_to_change",
            FieldCode::TooManyFindings => "too_many_findings",
            FieldCode::FindingNeeded => "finding_needed",
            FieldCode::MajorNotApprovable => "major_not_approvable",
            FieldCode::FindingsOnlyOnDecisions => "findings_only_on_decisions",
            FieldCode::AuditorOnlyOnRequest => "auditor_only_on_request",
            FieldCode::AuditorRequired => "auditor_required",
            FieldCode::AuditorIsConsultant => "auditor_is_consultant",
            FieldCode::UnknownAuditor => "unknown_auditor",
            FieldCode::UnknownConsultant => "unknown_consultant",
            FieldCode::ConsultantIsSelf => "consultant_is_self",
            FieldCode::UnknownUnit => "unknown_unit",
            FieldCode::UnknownCertificate => "unknown_certificate",
            FieldCode::UnknownProgramme => "unknown_programme",
            FieldCode::UnknownOrganisation => "unknown_organisation",
            FieldCode::CoordinatorNeedsOrganisation => "coordinator_needs_organisation",
            FieldCode::UnitContactNeedsUnit => "unit_contact_needs_unit",
            FieldCode::OnlyCoordinatorOrganisation => "only_coordinator_organisation",
            FieldCode::OnlyUnitContactUnit => "only_unit_contact_unit",
            FieldCode::BlankPassword => "blank_password",
            FieldCode::CommonPassword => "common_password",
            FieldCode::WrongPassword => "wrong_password",
            FieldCode::ControlCharacters => "control_characters",
            FieldCode::BidiOverride => "bidi_override",
            FieldCode::Unprintable => "unprintable",
            FieldCode::FormulaCell => "formula_cell",
            FieldCode::StageOrder => "stage_order",
            FieldCode::StageTwice => "stage_twice",
            FieldCode::KickoffFirst => "kickoff_first",
            FieldCode::AuditInPath => "audit_in_path",
            FieldCode::NotInPath => "not_in_path",
            FieldCode::NotForKind => "not_for_kind",
            FieldCode::RequirementTwice => "requirement_twice",
            FieldCode::AuditRequirements => "audit_requirements",
            FieldCode::ProgrammeVersionTarget => "programme_version_target",
            FieldCode::WebhookEvent => "webhook_event",
            FieldCode::WebhookEventCount => "webhook_event_count",
            FieldCode::WebhookItself => "webhook_itself",
            FieldCode::WebhookPrivate => "webhook_private",
            FieldCode::WebhookSecret => "webhook_secret",
            FieldCode::WebhookUnresolvable => "webhook_unresolvable",
            FieldCode::NotInFuture => "not_in_future",
            FieldCode::ClosesAfterEnd => "closes_after_end",
            FieldCode::OtherOrganisation => "other_organisation",
            FieldCode::FileType => "file_type",
            FieldCode::FileTooLarge => "file_too_large",
            FieldCode::Date => "date",
            FieldCode::UnknownCohort => "unknown_cohort",
            FieldCode::NotRegistered => "not_registered",
            FieldCode::NotOpenToOrganisation => "not_open_to_organisation",
            FieldCode::Choice => "choice",
            FieldCode::Utf8Text => "utf8_text",
            FieldCode::ImportRefused => "import_refused",
        }
    }
}

/// One invalid input field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// What is wrong, for words in the user's language.
    pub code: FieldCode,
    /// The values the words name, e.g. `("max", "200")`.
    pub params: Vec<(&'static str, String)>,
    /// What is wrong in English, for the API.
    pub message: String,
}

impl FieldError {
    /// An error with no code of its own: the API shows its message, pages the
    /// glossary's generic words ("is invalid"); a page-reachable error needs a code.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError::coded(field, FieldCode::Invalid, message)
    }

    /// An error with a stable code.
    pub fn coded(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// Adds a value the words name.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The same error about another field (e.g. a row of a list).
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

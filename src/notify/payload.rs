//! What an outbox row carries: the typed context its templates render, already in
//! the recipient's language, so a row renders the same on every attempt.

use serde::{Deserialize, Serialize};

/// The context of one mail to one recipient; stored as the row's JSON payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// `sv` or `en`, the language the words below are in.
    pub lang: String,
    /// The recipient's name, when a user; `None` for a unit's contact address.
    pub recipient_name: Option<String>,
    pub unit_name: String,
    pub organisation_name: String,
    pub programme_name: String,
    pub case_id: String,
    /// Where people log in to Stegvis.
    pub public_url: String,
    pub details: Details,
}

/// What the mail is about; the tag is the row's `kind` and names its templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    Enrolled {
        stage_name: String,
        due_date: Option<String>,
        consultant_name: Option<String>,
    },
    SessionScheduled {
        session: SessionInfo,
    },
    SessionChanged {
        session: SessionInfo,
    },
    SessionCancelled {
        session: SessionInfo,
    },
    StageAdvanced {
        from_stage: String,
        to_stage: String,
        due_date: Option<String>,
    },
    AuditRequested {
        consultant_name: Option<String>,
        due_date: Option<String>,
        /// What the consultant wrote with the request.
        #[serde(default)]
        comment: Option<String>,
    },
    AuditReturned {
        round: u32,
        findings: Vec<FindingLine>,
        due_date: Option<String>,
    },
    Approved {
        findings: Vec<FindingLine>,
        /// The certificate's public verification page, once certificates exist.
        verify_url: Option<String>,
        /// The certificate's number, e.g. `STV-2026-000001`.
        #[serde(default)]
        number: Option<String>,
        /// The certificate whose stored PDF the mail attaches.
        #[serde(default)]
        certificate_id: Option<String>,
    },
    StatusChanged {
        /// The event, e.g. `paused`; the wording below already says it.
        event: String,
        status_name: String,
        comment: Option<String>,
    },
    DeadlineApproaching {
        stage_name: String,
        due_date: String,
        days_left: i64,
    },
    DeadlineOverdue {
        stage_name: String,
        due_date: String,
        days_overdue: i64,
    },
    CertificateExpiring {
        valid_until: String,
        days_left: i64,
        number: Option<String>,
    },
    /// A finding to correct, due soon or overdue.
    FindingDue {
        severity_name: String,
        text: String,
        due_date: String,
        overdue: bool,
    },
    /// A certified case's surveillance is due soon.
    SurveillanceDue {
        due_date: String,
        days_left: i64,
    },
    /// An appeal decided, for the unit's contacts and its consultant.
    AppealDecided {
        ground_name: String,
        outcome_name: String,
        /// What the outcome did to the case, if anything.
        consequence: Option<String>,
        comment: Option<String>,
    },
    /// A complaint decided, for the complainant who left an address.
    ComplaintDecided {
        /// About a certified unit (`unit_name`), or else about the certifying body.
        about_unit: bool,
        outcome_name: String,
        comment: Option<String>,
    },
    /// A registrant's mail about an open event (no user: the address they signed up
    /// with), in the language of the sign-up page.
    EventRegistration {
        /// `confirmed`, `waitlisted`, `moved_up` or `reminder`.
        notice: String,
        /// The subject and the opening sentence, already in the mail's language.
        headline: String,
        lead: String,
        registrant_name: String,
        event: SessionInfo,
        /// Whether the calendar entry goes with it (not to the waitlisted).
        calendar: bool,
        /// Where the registrant cancels (a page that asks first).
        cancel_url: String,
        cancel_label: String,
    },
    /// An action of a plan due within a week or overdue: to its responsible person,
    /// a copy to its coordinator (`copy`).
    ActionDue {
        plan_title: String,
        action_title: String,
        due_date: String,
        overdue: bool,
        /// The coordinator's copy: names the responsible person.
        copy: bool,
        responsible_name: String,
    },
    /// The notes of a session held: what the group worked on.
    SessionNotes {
        kind_name: String,
        title: String,
        date: String,
        audience: Option<String>,
        themes: Vec<String>,
        notes: String,
    },
    /// A workshop asked for, for the staff who answer it.
    WorkshopRequested {
        requester_name: String,
        audience: String,
        /// The wished dates as prose, in the recipient's language.
        wished_dates: Vec<String>,
        perspectives: Vec<String>,
        message: Option<String>,
        /// The request's page.
        request_url: String,
    },
    /// A workshop request accepted, for the one who asked: as a session on the unit's
    /// case, or as an open event the organisation's staff sign up for.
    WorkshopAccepted {
        audience: String,
        starts: String,
        ends: String,
        location: Option<String>,
        /// Booked as an open event rather than a session.
        #[serde(default)]
        as_event: bool,
    },
    /// A workshop request declined, with the reason, for the one who asked.
    WorkshopDeclined {
        audience: String,
        reason: String,
    },
    /// A link to choose a new password, asked for on the log-in page.
    PasswordReset {
        link: String,
        valid_minutes: i64,
    },
    /// A new account made without a password: a link to choose one.
    Welcome {
        link: String,
        valid_days: i64,
        role_name: String,
    },
}

impl Details {
    /// Every kind, in the order docs list them.
    pub const KINDS: [&'static str; 24] = [
        "enrolled",
        "session_scheduled",
        "session_changed",
        "session_cancelled",
        "stage_advanced",
        "audit_requested",
        "audit_returned",
        "approved",
        "status_changed",
        "deadline_approaching",
        "deadline_overdue",
        "certificate_expiring",
        "session_notes",
        "finding_due",
        "surveillance_due",
        "appeal_decided",
        "complaint_decided",
        "workshop_requested",
        "workshop_accepted",
        "workshop_declined",
        "event_registration",
        "action_due",
        "password_reset",
        "welcome",
    ];

    /// The kind this mail is, e.g. `session_scheduled`.
    pub fn kind(&self) -> &'static str {
        match self {
            Details::Enrolled { .. } => "enrolled",
            Details::SessionScheduled { .. } => "session_scheduled",
            Details::SessionChanged { .. } => "session_changed",
            Details::SessionCancelled { .. } => "session_cancelled",
            Details::StageAdvanced { .. } => "stage_advanced",
            Details::AuditRequested { .. } => "audit_requested",
            Details::AuditReturned { .. } => "audit_returned",
            Details::Approved { .. } => "approved",
            Details::StatusChanged { .. } => "status_changed",
            Details::DeadlineApproaching { .. } => "deadline_approaching",
            Details::DeadlineOverdue { .. } => "deadline_overdue",
            Details::CertificateExpiring { .. } => "certificate_expiring",
            Details::SessionNotes { .. } => "session_notes",
            Details::FindingDue { .. } => "finding_due",
            Details::SurveillanceDue { .. } => "surveillance_due",
            Details::AppealDecided { .. } => "appeal_decided",
            Details::ComplaintDecided { .. } => "complaint_decided",
            Details::WorkshopRequested { .. } => "workshop_requested",
            Details::WorkshopAccepted { .. } => "workshop_accepted",
            Details::WorkshopDeclined { .. } => "workshop_declined",
            Details::EventRegistration { .. } => "event_registration",
            Details::ActionDue { .. } => "action_due",
            Details::PasswordReset { .. } => "password_reset",
            Details::Welcome { .. } => "welcome",
        }
    }

    /// The session a calendar invitation is about, for the kinds that carry one.
    pub fn session(&self) -> Option<&SessionInfo> {
        match self {
            Details::SessionScheduled { session }
            | Details::SessionChanged { session }
            | Details::SessionCancelled { session } => Some(session),
            Details::EventRegistration {
                event,
                calendar: true,
                ..
            } => Some(event),
            _ => None,
        }
    }
}

/// A session as a mail and its calendar invitation show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    /// Bumped on every change, so calendars replace the earlier invitation.
    pub sequence: u32,
    pub cancelled: bool,
    pub kind_name: String,
    pub title: String,
    /// Local (Stockholm) times as prose, for the mail.
    pub starts: String,
    pub ends: String,
    /// RFC 3339 UTC, for the calendar.
    pub starts_at: String,
    pub ends_at: String,
    pub location: Option<String>,
    /// When the change was made (the calendar's DTSTAMP), RFC 3339 UTC.
    pub stamp: String,
    /// Who runs it: a case's consultant, the invitation's ORGANIZER and the mail's
    /// Reply-To. `None` (open events, rows written before): the sender.
    #[serde(default)]
    pub organizer: Option<Organizer>,
}

/// The person who sends a calendar invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organizer {
    pub name: String,
    pub email: String,
}

/// A finding as a mail lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingLine {
    pub severity: String,
    pub area: Option<String>,
    pub text: String,
}

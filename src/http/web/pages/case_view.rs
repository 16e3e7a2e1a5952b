//! Everything a case's page shows, loaded through the same service functions as the
//! API: the path, the checklist, sessions, evidence, findings, history, certificate,
//! and a form for each action the policy lets the person take.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::case_appeal_view::{self, AppealsView};
use super::case_forms_view::{self as fv, CaseForms};
use super::t;
use crate::app::case_page;
use crate::app::case_views::{Case, CaseEvent};
use crate::app::error::AppError;
use crate::app::views::{Evidence, Finding, Session};
use crate::app::{cases, programmes, AppState};
use crate::domain::policy::Target;
use crate::domain::{
    available_actions, session_admits, Actor, CaseAction, CaseState, Language, Path,
    SessionStanding, Severity, Stage, Status,
};
use crate::glossary;
use crate::http::web::forms::{Feedback, FormView};
use crate::http::web::i18n::text;
use crate::http::web::time;
use crate::http::web::words::{self, RequirementLine};

#[derive(Debug, Serialize)]
pub struct PathStep {
    pub label: String,
    pub state: String,
    pub class: &'static str,
}

#[derive(Debug, Serialize)]
pub struct SessionItem {
    pub id: String,
    /// The kind's word; empty when the title says the same.
    pub kind: String,
    pub title: String,
    pub when: String,
    pub datetime: String,
    pub location: Option<String>,
    pub attended: Option<i32>,
    pub cancelled: bool,
    pub upcoming: bool,
    pub ics_href: String,
    pub attendance_form: Option<FormView>,
    pub cancel_form: Option<FormView>,
    pub audience: Option<String>,
    pub themes: Option<String>,
    pub notes: Option<String>,
    pub notes_form: Option<FormView>,
    /// Puts right a recorded attendance (`case_corrections`).
    pub correct_form: Option<FormView>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceItem {
    pub area: String,
    pub description: String,
    pub link: Option<String>,
    pub added_by: String,
    pub added_at: String,
    /// The download link's path and words, when the evidence is a file.
    pub file_href: Option<String>,
    pub file_label: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FindingItem {
    pub severity: String,
    pub area: Option<String>,
    pub text: String,
    pub round: i32,
    pub resolution: Option<String>,
    pub resolved_at: Option<String>,
    pub resolve_form: Option<FormView>,
    /// Puts right a resolution saved against the wrong finding.
    pub correct_form: Option<FormView>,
}

#[derive(Debug, Serialize)]
pub struct HistoryItem {
    pub when: String,
    pub datetime: String,
    pub who: String,
    pub what: String,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CertificateView {
    pub number: String,
    pub status: String,
    pub valid_from: String,
    pub valid_until: String,
    pub pdf_href: String,
    pub verify_href: String,
}

/// The whole page's data.
#[derive(Debug, Serialize)]
pub struct CaseData {
    pub id: String,
    pub unit: String,
    /// The unit's organisation: units of the same name exist in several.
    pub organisation: String,
    pub programme: String,
    pub stage: String,
    pub status: String,
    pub is_active: bool,
    pub overdue: bool,
    pub due: Option<String>,
    pub consultant: String,
    pub auditor: Option<String>,
    pub headcount: i32,
    pub reflections_note: String,
    pub path: Vec<PathStep>,
    pub checklist: Vec<RequirementLine>,
    pub checklist_empty: bool,
    pub sessions: Vec<SessionItem>,
    pub evidence: Vec<EvidenceItem>,
    pub findings: Vec<FindingItem>,
    pub history: Vec<HistoryItem>,
    pub certificate: Option<CertificateView>,
    pub forms: CaseForms,
    /// What the case offers the person now.
    pub offered: Vec<CaseAction>,
    pub audit_href: Option<String>,
    /// Appeals filed on the case, and the appeal and certification decision forms.
    pub appeals: AppealsView,
    /// "Someone else changed the case", or the refusal of a form the page no longer
    /// offers (nothing left to appeal): shown above the fresh page.
    pub stale_message: Option<String>,
    pub return_to: String,
    /// A certified case's "what to do next" (`next_steps`).
    pub next_steps: Option<super::next_steps::NextSteps>,
}

fn name_of(people: &HashMap<String, String>, id: Option<&str>, lang: Language) -> String {
    id.and_then(|id| people.get(id).cloned())
        .unwrap_or_else(|| t(lang, "case.nobody"))
}

/// The case's path as its programme sets it: no stage the programme leaves out.
fn path_steps(lang: Language, case: &Case, path: &Path) -> Vec<PathStep> {
    let stages = path.stages();
    let at = stages.iter().position(|s| *s == case.stage).unwrap_or(0);
    stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let (class, state) = if i < at || (case.stage == Stage::Certified && i == at) {
                ("done", "path.done")
            } else if i == at {
                ("current", "path.current")
            } else {
                ("todo", "path.todo")
            };
            PathStep {
                label: glossary::stage(lang, *stage).to_string(),
                state: t(lang, state),
                class,
            }
        })
        .collect()
}

fn history_item(lang: Language, people: &HashMap<String, String>, e: &CaseEvent) -> HistoryItem {
    let stage = |s: Option<Stage>| {
        s.map(|s| glossary::stage(lang, s).to_string())
            .unwrap_or_default()
    };
    let data = |k: &str| {
        e.data
            .get(k)
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default()
    };
    let key = format!("event.{}", e.kind);
    let what = if crate::http::web::i18n::lookup(lang, &key).is_some() {
        text(
            lang,
            &key,
            &[
                ("from", stage(e.from_stage)),
                ("to", stage(e.to_stage)),
                ("title", data("title")),
                ("attended", data("attended")),
                ("completed", data("completed")),
                ("version", data("version")),
                ("area", words::area(lang, &data("area"))),
                (
                    "auditor",
                    name_of(
                        people,
                        e.data.get("auditor_id").and_then(|v| v.as_str()),
                        lang,
                    ),
                ),
                (
                    "findings",
                    e.data
                        .get("findings")
                        .and_then(|f| f.as_array())
                        .map_or(0, |f| f.len())
                        .to_string(),
                ),
            ],
        )
    } else {
        // A kind the glossary has no words for yet: never its internal key.
        text(lang, "history.other_event", &[])
    };
    HistoryItem {
        when: time::show(e.at),
        datetime: e.at.to_rfc3339(),
        who: name_of(people, e.actor_id.as_deref(), lang),
        what,
        comment: e.comment.clone(),
    }
}

fn session_item(
    lang: Language,
    case: &Case,
    s: &Session,
    now: DateTime<Utc>,
    offered: &[CaseAction],
    feedback: Option<&Feedback>,
) -> SessionItem {
    let standing = SessionStanding {
        starts_at: s.starts_at,
        cancelled: s.cancelled,
        attendance_recorded: s.attended.is_some(),
    };
    let admits =
        |action| offered.contains(&action) && session_admits(action, standing, now).is_ok();
    // Attendance is recorded once; after that it is corrected, with a reason.
    let attendance_form = (admits(CaseAction::RecordAttendance) && s.attended.is_none())
        .then(|| fv::attendance(lang, case, s, feedback));
    let correct_form =
        (offered.contains(&CaseAction::RecordAttendance) && s.attended.is_some() && !s.cancelled)
            .then(|| fv::correct_attendance(lang, case, s, feedback));
    let cancel_form =
        admits(CaseAction::CancelSession).then(|| fv::cancel(lang, case, s, feedback));
    // Notes are about a session that has taken place.
    let notes_form = (admits(CaseAction::DocumentSession) && s.starts_at <= now)
        .then(|| super::session_notes::notes_form(lang, case, s, feedback));
    let kind = glossary::session_kind(lang, s.kind);
    SessionItem {
        id: s.id.clone(),
        // Not "Kickoff meeting: Kickoff meeting" when the title is the kind's word.
        kind: if s.title.trim().eq_ignore_ascii_case(kind) {
            String::new()
        } else {
            kind.to_string()
        },
        title: s.title.clone(),
        when: format!(
            "{} – {}",
            time::show(s.starts_at),
            time::local(s.ends_at).format("%H:%M")
        ),
        datetime: s.starts_at.to_rfc3339(),
        location: s.location.clone(),
        attended: s.attended,
        cancelled: s.cancelled,
        upcoming: !s.cancelled && s.starts_at > now,
        ics_href: format!("/cases/{}/sessions/{}/calendar.ics", case.id, s.id),
        attendance_form,
        cancel_form,
        audience: s.audience.clone(),
        themes: (!s.themes.is_empty()).then(|| s.themes.join(", ")),
        notes: s.notes.clone(),
        notes_form,
        correct_form,
    }
}

fn finding_item(
    lang: Language,
    case: &Case,
    f: &Finding,
    offered: &[CaseAction],
    feedback: Option<&Feedback>,
) -> FindingItem {
    FindingItem {
        severity: glossary::severity(lang, f.severity).to_string(),
        area: f.area.as_deref().map(|a| words::area(lang, a)),
        text: f.text.clone(),
        round: f.round,
        resolution: f.resolution.clone(),
        resolved_at: f.resolved_at.map(time::show),
        resolve_form: (offered.contains(&CaseAction::ResolveFinding) && f.resolution.is_none())
            .then(|| fv::resolve(lang, case, f, feedback)),
        correct_form: (offered.contains(&CaseAction::ResolveFinding) && f.resolution.is_some())
            .then(|| fv::correct_resolution(lang, case, f, feedback)),
    }
}

/// Findings as the page lists them: major first, then minor, then observations;
/// within each, the latest round first.
fn by_severity(findings: &[Finding]) -> Vec<&Finding> {
    let rank = |s: Severity| match s {
        Severity::Major => 0,
        Severity::Minor => 1,
        Severity::Observation => 2,
    };
    let mut sorted: Vec<&Finding> = findings.iter().rev().collect();
    sorted.sort_by_key(|f| rank(f.severity));
    sorted
}

fn evidence_item(lang: Language, people: &HashMap<String, String>, e: &Evidence) -> EvidenceItem {
    EvidenceItem {
        area: words::area(lang, &e.area),
        description: e.description.clone(),
        link: e.link.clone(),
        added_by: name_of(people, Some(&e.added_by), lang),
        added_at: time::show(e.added_at),
        file_href: e
            .file
            .as_ref()
            .map(|_| format!("/cases/{}/evidence/{}/file", e.case_id, e.id)),
        file_label: e.file.as_ref().map(|f| {
            crate::glossary::text(
                lang,
                "case.evidence_file",
                &[
                    ("name", f.name.clone()),
                    ("size", size_in_words(lang, f.size)),
                ],
            )
        }),
    }
}

/// A file's size as people read it: kB below a megabyte, MB above.
fn size_in_words(lang: Language, bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} kB", (bytes + 1023) / 1024)
    } else {
        format!(
            "{} MB",
            glossary::numbers::decimal(lang, bytes as f64 / (1024.0 * 1024.0))
        )
    }
}

/// What the case, as the API shows it, offers `actor` now. Only what the offer reads
/// is filled in: where the case stands and who is assigned to it.
fn offer(actor: &Actor, case: &Case, path: &Path) -> Vec<CaseAction> {
    let state = CaseState {
        stage: case.stage,
        status: case.status,
        version: u64::try_from(case.version).unwrap_or(0),
        consultant_id: case.consultant_id.clone(),
        auditor_id: case.auditor_id.clone(),
        stage_due_at: case.stage_due_at,
        stage_entered_at: case.stage_entered_at,
        ..CaseState::blank()
    };
    let place = Target {
        organisation_id: Some(&case.unit.organisation_id),
        unit_id: Some(&case.unit.id),
        ..Target::DEPLOYMENT
    };
    available_actions(&state, path, actor, &place)
}

/// Loads and shapes a case's page for `actor`; `feedback` marks a refused form.
pub fn build(
    state: &AppState,
    actor: &Actor,
    lang: Language,
    case_id: &str,
    feedback: Option<&Feedback>,
    return_to: &str,
) -> Result<CaseData, AppError> {
    let case = cases::get(state, actor, case_id)?;
    let history = cases::history(state, actor, case_id)?;
    let sessions = cases::sessions(state, actor, case_id)?;
    let evidence = cases::evidence(state, actor, case_id)?;
    let findings = cases::findings(state, actor, case_id)?;
    let programme = programmes::get(state, &case.programme.id)?;
    let mut people = case_page::people(state, actor, case_id)?;
    let organisation = case_page::organisation_name(state, actor, case_id)?;
    for e in &evidence {
        people.entry(e.added_by.clone()).or_default();
    }
    let path = Path::from_plans(programme.path.clone()).map_err(|_| {
        AppError::Internal(format!("programme {} has no readable path", programme.id))
    })?;
    let offered = offer(actor, &case, &path);
    let auditors = if offered.contains(&CaseAction::RequestAudit) {
        case_page::auditor_choices(state, actor, case_id)?
    } else {
        Vec::new()
    };
    let now = state.now();
    let describe = |r: &crate::domain::Requirement| words::requirement(lang, r);
    let forms = fv::case_forms(
        lang, &case, &programme, &offered, &auditors, feedback, &describe, return_to,
    );
    let appeals = case_appeal_view::build(state, actor, lang, case_id, &people, feedback)?;
    let unoffered = |form: &str| match form {
        "appeal" => appeals.appeal_form.is_none(),
        "decision" => appeals.decision_form.is_none(),
        _ => false,
    };
    let stale_message = feedback
        .filter(|f| f.stale || unoffered(&f.form))
        .and_then(|f| f.message.clone());
    let consultant = name_of(&people, case.consultant_id.as_deref(), lang);
    let next_steps = super::next_steps::build(lang, &case, &consultant);
    Ok(CaseData {
        next_steps,
        id: case.id.clone(),
        unit: case.unit.name.clone(),
        organisation,
        programme: format!(
            "{} ({} {})",
            programme.name,
            t(lang, "case.version"),
            programme.version
        ),
        stage: glossary::stage(lang, case.stage).to_string(),
        status: glossary::status(lang, case.status).to_string(),
        is_active: case.status == Status::Active,
        overdue: case.overdue,
        due: case.stage_due_at.map(time::day),
        consultant,
        auditor: case
            .auditor_id
            .as_deref()
            .map(|id| name_of(&people, Some(id), lang)),
        headcount: case.unit.headcount,
        reflections_note: text(
            lang,
            "case.headcount_note",
            &[("headcount", case.unit.headcount.to_string())],
        ),
        path: path_steps(lang, &case, &path),
        checklist_empty: case.requirements.is_empty(),
        checklist: case
            .requirements
            .iter()
            .map(|r| words::line(lang, r))
            .collect(),
        sessions: sessions
            .iter()
            .map(|s| session_item(lang, &case, s, now, &offered, feedback))
            .collect(),
        evidence: evidence
            .iter()
            .map(|e| evidence_item(lang, &people, e))
            .collect(),
        findings: by_severity(&findings)
            .into_iter()
            .map(|f| finding_item(lang, &case, f, &offered, feedback))
            .collect(),
        history: history
            .iter()
            .map(|e| history_item(lang, &people, e))
            .collect(),
        certificate: case.certificate.as_ref().map(|c| CertificateView {
            number: c.number.clone(),
            status: glossary::certificate_status(lang, c.status).to_string(),
            valid_from: c.valid_from.to_string(),
            valid_until: c.valid_until.to_string(),
            pdf_href: format!("/cases/{}/certificate.pdf", case.id),
            verify_href: format!("/verify/{}", c.verification_code),
        }),
        audit_href: offered
            .contains(&CaseAction::Approve)
            .then(|| format!("/audits/{}", case.id)),
        forms,
        offered,
        appeals,
        stale_message,
        return_to: return_to.to_string(),
    })
}

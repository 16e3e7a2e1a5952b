//! The workflow's rules: whether a command may happen, and what events it causes.

use chrono::{DateTime, Utc};

use super::actions::{check_enrolment, check_person, check_standing, session_admits, CaseAction};
use super::appeals;
use super::command::{
    Command, NamedUser, NewFinding, SessionChanges, SessionDocumentation, SessionSnapshot,
    Transition,
};
use super::conflict::ConflictCode;
use super::corrections;
use super::decision;
use super::error::{DomainError, FieldCode, FieldError};
use super::event::{Change, Event};
use super::free_text::check_text;
use super::outcomes::DecisionBy;
use super::programme::ProgrammeRules;
use super::requirements::{evaluate, unmet, CaseFacts};
use super::stage::Stage;
use super::state::CaseState;
use super::values::{Actor, Measure, Role, Severity};

/// What `decide` needs besides the case: its programme's rules and its counts.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub rules: &'a ProgrammeRules,
    pub counts: &'a CaseFacts,
}

pub use super::free_text::{MAX_NOTES, MAX_TEXT};

/// Most themes a session may list.
pub const MAX_THEMES: usize = 20;

/// Judges `command` against the case; the events it causes, or why it is refused.
pub fn decide(
    state: &CaseState,
    actor: &Actor,
    command: &Command,
    facts: Facts<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DomainError> {
    let event = |change: Change, comment: Option<String>| Event {
        at: now,
        actor_id: Some(actor.id.clone()),
        comment,
        change,
    };
    let action = CaseAction::of(command);
    check_enrolment(state, action)?;
    let comment = match command {
        Command::Transition { comment, .. } => check_comment(comment.as_deref())?,
        _ => None,
    };
    check_standing(state, &facts.rules.path, action)?;
    check_person(state, actor, action)?;
    let change = match command {
        Command::Enrol { consultant } => {
            let consultant_id = check_consultant(actor, consultant.as_ref())?;
            let due = due_at(facts.rules, Stage::Kickoff, now);
            Change::Enrolled {
                consultant_id,
                stage_due_at: due,
            }
        }
        Command::Transition { transition, .. } => {
            let change = decide_transition(state, transition, comment.as_deref(), facts, now)?;
            let mut events = vec![event(change, comment)];
            if let Transition::Withdraw { sessions } = transition {
                events.extend(cancellations(sessions, now).map(|c| event(c, None)));
            }
            return Ok(events);
        }
        Command::Expire => Change::Expired,
        Command::LapseSurveillance { as_of } => {
            if !state.surveillance_lapsed(facts.rules.surveillance_grace_days, *as_of) {
                return Err(DomainError::conflict(ConflictCode::SurveillanceNotLapsed));
            }
            Change::SurveillanceLapsed
        }
        Command::RecordSurveillance { findings, comment } => {
            check_findings(findings, facts.rules)?;
            let comment = check_comment(comment.as_deref())?;
            let recorded = Change::SurveillanceRecorded {
                round: state.audit_round + 1,
                findings: findings.clone(),
                next_surveillance_due: facts.rules.next_surveillance(now),
            };
            let mut events = vec![event(recorded, comment)];
            // A passed surveillance lifts a suspension its lapse caused.
            if findings.is_empty() && state.suspended_for_surveillance {
                events.push(event(Change::Reinstated, None));
            }
            return Ok(events);
        }
        Command::FileAppeal { appeal_id, text } => {
            let ground = appeals::appealable(state)?;
            let text = check_statement(text)?;
            let filed = Change::AppealFiled {
                appeal_id: appeal_id.clone(),
                ground,
            };
            return Ok(vec![event(filed, Some(text))]);
        }
        Command::DecideAppeal {
            appeal_id,
            ground,
            outcome,
            comment,
        } => {
            let comment = check_comment(comment.as_deref())?;
            let changes =
                appeals::decide_appeal(state, facts.rules, appeal_id, *ground, *outcome, now)?;
            return Ok(changes
                .into_iter()
                .enumerate()
                .map(|(i, change)| event(change, (i == 0).then(|| comment.clone()).flatten()))
                .collect());
        }
        Command::Decide { outcome, comment } => {
            let comment = check_comment(comment.as_deref())?;
            let change = decision::decide_certification(state, facts.rules, *outcome, now);
            return Ok(vec![event(change, comment)]);
        }
        Command::ReceiveComplaint { complaint_id } => Change::ComplaintReceived {
            complaint_id: complaint_id.clone(),
        },
        Command::DecideComplaint {
            complaint_id,
            outcome,
            comment,
        } => {
            let comment = check_comment(comment.as_deref())?;
            let decided = Change::ComplaintDecided {
                complaint_id: complaint_id.clone(),
                outcome: *outcome,
            };
            return Ok(vec![event(decided, comment)]);
        }
        Command::MigrateProgramme {
            programme_id,
            version,
            rules,
        } => {
            let to = rules.path.landing_stage(state.stage);
            let stage_due_at = if to == state.stage {
                state.stage_due_at
            } else {
                due_at(rules, to, now)
            };
            Change::ProgrammeMigrated {
                programme_id: programme_id.clone(),
                version: *version,
                from: state.stage,
                to,
                stage_due_at,
            }
        }
        Command::CorrectAttendance {
            session,
            attended,
            reason,
        } => {
            let (change, reason) = corrections::correct_attendance(
                session,
                *attended,
                reason,
                facts.counts.headcount,
                now,
            )?;
            return Ok(vec![event(change, Some(reason))]);
        }
        Command::CorrectResolution {
            finding_id,
            current,
            resolution,
            reason,
        } => {
            let (change, reason) = corrections::correct_resolution(
                finding_id,
                current.as_deref(),
                resolution.as_deref(),
                reason,
            )?;
            return Ok(vec![event(change, Some(reason))]);
        }
        data_command => {
            return Ok(decide_data(data_command, facts, now)?
                .into_iter()
                .map(|change| event(change, None))
                .collect())
        }
    };
    Ok(vec![event(change, None)])
}

/// A consultant enrolling assigns themself; an admin may name any consultant or none.
fn check_consultant(
    actor: &Actor,
    named: Option<&NamedUser>,
) -> Result<Option<String>, DomainError> {
    match (actor.role, named) {
        (Role::Consultant, None) => Ok(Some(actor.id.clone())),
        (Role::Consultant, Some(named)) if named.id == actor.id => Ok(Some(actor.id.clone())),
        (Role::Consultant, Some(_)) => Err(DomainError::field(FieldError::coded(
            "consultant_id",
            FieldCode::ConsultantIsSelf,
            "a consultant enrolling a unit is its consultant",
        ))),
        (_, None) => Ok(None),
        (_, Some(named)) if named.role == Some(Role::Consultant) => Ok(Some(named.id.clone())),
        (_, Some(_)) => Err(DomainError::field(FieldError::coded(
            "consultant_id",
            FieldCode::UnknownConsultant,
            "no consultant has this id",
        ))),
    }
}

fn due_at(rules: &ProgrammeRules, stage: Stage, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    rules.due_at(stage, from)
}

/// An appeal's statement, trimmed: not blank, not longer than the domain allows. A
/// page asking to confirm an appeal checks it with the same rule before it asks.
pub fn check_statement(text: &str) -> Result<String, DomainError> {
    check_text("text", text, appeals::MAX_STATEMENT)
}

/// A decision's comment, trimmed; a blank one is none. A page asking to confirm a
/// decision checks it with the same rule before it asks.
pub fn check_comment(comment: Option<&str>) -> Result<Option<String>, DomainError> {
    match comment.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => check_text("comment", text, MAX_TEXT).map(Some),
    }
}

/// Accepts an absolute http(s) URL with a host and no white space.
pub fn is_web_link(link: &str) -> bool {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && link.len() <= MAX_TEXT
                && !link.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn decide_data(
    command: &Command,
    facts: Facts<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Change>, DomainError> {
    let one = |change: Change| Ok(vec![change]);
    match command {
        Command::ScheduleSession {
            session_id,
            kind,
            title,
            starts_at,
            ends_at,
            location,
            documentation,
        } => {
            let title = check_text("title", title, 200)?;
            let location = optional_text("location", location.as_deref(), 200)?;
            if ends_at <= starts_at {
                return Err(DomainError::field(FieldError::coded(
                    "ends_at",
                    FieldCode::EndsBeforeStart,
                    "must be after starts_at",
                )));
            }
            let documentation = check_documentation(documentation)?;
            let mut changes = vec![Change::SessionScheduled {
                session_id: session_id.clone(),
                session_kind: *kind,
                title,
                starts_at: *starts_at,
                ends_at: *ends_at,
                location,
                audience: documentation.audience.clone(),
                themes: documentation.themes.clone(),
            }];
            if documentation.notes.is_some() {
                changes.push(documented(session_id, documentation));
            }
            Ok(changes)
        }
        Command::ChangeSession { session, changes } => change_session(session, changes, now),
        Command::CancelSession { session } => {
            session_admits(CaseAction::CancelSession, session.into(), now)?;
            one(Change::SessionCancelled {
                session_id: session.id.clone(),
                sequence: session.sequence + 1,
            })
        }
        Command::RecordAttendance { session, attended } => {
            session_admits(CaseAction::RecordAttendance, session.into(), now)?;
            if *attended > facts.counts.headcount {
                return Err(DomainError::field(
                    FieldError::coded(
                        "attended",
                        FieldCode::AboveHeadcount,
                        format!(
                            "must be between 0 and the headcount ({})",
                            facts.counts.headcount
                        ),
                    )
                    .with("headcount", facts.counts.headcount),
                ));
            }
            one(Change::AttendanceRecorded {
                session_id: session.id.clone(),
                attended: *attended,
            })
        }
        Command::RecordMeasure { measure, completed } => {
            if *completed > facts.counts.headcount {
                return Err(DomainError::field(
                    FieldError::coded(
                        "completed",
                        FieldCode::AboveHeadcount,
                        format!(
                            "must be between 0 and the headcount ({})",
                            facts.counts.headcount
                        ),
                    )
                    .with("headcount", facts.counts.headcount),
                ));
            }
            one(match measure {
                Measure::Reflections => Change::ReflectionsRecorded {
                    completed: *completed,
                },
                Measure::Trained => Change::TrainedRecorded {
                    completed: *completed,
                },
            })
        }
        Command::AddEvidence {
            evidence_id,
            area,
            description,
            link,
            file,
        } => {
            let areas = facts.rules.evidence_areas();
            if !areas.contains(area) {
                return Err(DomainError::field(
                    FieldError::coded(
                        "area",
                        FieldCode::UnknownArea,
                        format!("must be one of {}", areas.join(", ")),
                    )
                    .with("areas", areas.join(",")),
                ));
            }
            let description = check_text("description", description, MAX_TEXT)?;
            if let Some(link) = link {
                if !is_web_link(link) {
                    return Err(DomainError::field(FieldError::coded(
                        "link",
                        FieldCode::WebLink,
                        "must be an http or https URL",
                    )));
                }
            }
            one(Change::EvidenceAdded {
                evidence_id: evidence_id.clone(),
                area: area.clone(),
                description,
                link: link.clone(),
                file: file.clone(),
            })
        }
        Command::ResolveFinding {
            finding_id,
            resolution,
        } => one(Change::FindingResolved {
            finding_id: finding_id.clone(),
            resolution: check_text("resolution", resolution, MAX_TEXT)?,
        }),
        Command::Enrol { .. }
        | Command::Transition { .. }
        | Command::Expire
        | Command::MigrateProgramme { .. }
        | Command::RecordSurveillance { .. }
        | Command::LapseSurveillance { .. }
        | Command::FileAppeal { .. }
        | Command::Decide { .. }
        | Command::DecideAppeal { .. }
        | Command::ReceiveComplaint { .. }
        | Command::DecideComplaint { .. }
        | Command::CorrectAttendance { .. }
        | Command::CorrectResolution { .. } => {
            // `decide` hands only data commands here.
            Err(DomainError::invalid("command", "is not a data command"))
        }
    }
}

fn optional_text(
    field: &str,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => check_text(field, text, max).map(Some),
    }
}

/// A withdrawn case keeps no appointments: every session not yet started, not
/// cancelled and without attendance is cancelled (its invitation withdrawn).
fn cancellations(
    sessions: &[SessionSnapshot],
    now: DateTime<Utc>,
) -> impl Iterator<Item = Change> + '_ {
    sessions
        .iter()
        .filter(move |s| s.starts_at > now && !s.cancelled && s.attended.is_none())
        .map(|s| Change::SessionCancelled {
            session_id: s.id.clone(),
            sequence: s.sequence + 1,
        })
}

fn change_session(
    session: &SessionSnapshot,
    changes: &SessionChanges,
    now: DateTime<Utc>,
) -> Result<Vec<Change>, DomainError> {
    if !changes.reschedules() && !changes.documents() {
        return Err(DomainError::field(FieldError::coded(
            "title",
            FieldCode::NothingToChange,
            "give at least one field to change",
        )));
    }
    let mut out = Vec::new();
    if changes.reschedules() {
        session_admits(CaseAction::ChangeSession, session.into(), now)?;
        let title = match &changes.title {
            Some(title) => check_text("title", title, 200)?,
            None => session.title.clone(),
        };
        let location = match &changes.location {
            Some(location) => optional_text("location", location.as_deref(), 200)?,
            None => session.location.clone(),
        };
        let starts_at = changes.starts_at.unwrap_or(session.starts_at);
        let ends_at = changes.ends_at.unwrap_or(session.ends_at);
        if ends_at <= starts_at {
            return Err(DomainError::field(FieldError::coded(
                "ends_at",
                FieldCode::EndsBeforeStart,
                "must be after starts_at",
            )));
        }
        out.push(Change::SessionChanged {
            session_id: session.id.clone(),
            title,
            starts_at,
            ends_at,
            location,
            sequence: session.sequence + 1,
        });
    }
    if changes.documents() {
        session_admits(CaseAction::DocumentSession, session.into(), now)?;
        let current = &session.documentation;
        let documentation = check_documentation(&SessionDocumentation {
            audience: changes.audience.clone().unwrap_or(current.audience.clone()),
            themes: changes.themes.clone().unwrap_or(current.themes.clone()),
            notes: changes.notes.clone().unwrap_or(current.notes.clone()),
        })?;
        if &documentation != current {
            out.push(documented(&session.id, documentation));
        } else if out.is_empty() {
            return Err(DomainError::field(FieldError::coded(
                "notes",
                FieldCode::NothingToChange,
                "give at least one field to change",
            )));
        }
    }
    Ok(out)
}

fn documented(session_id: &str, documentation: SessionDocumentation) -> Change {
    Change::SessionDocumented {
        session_id: session_id.to_string(),
        audience: documentation.audience,
        themes: documentation.themes,
        notes: documentation.notes,
    }
}

/// Trims the audience, themes and notes and checks their lengths; blank ones are none.
fn check_documentation(
    documentation: &SessionDocumentation,
) -> Result<SessionDocumentation, DomainError> {
    let audience = optional_text("audience", documentation.audience.as_deref(), 200)?;
    let notes = optional_text("notes", documentation.notes.as_deref(), MAX_NOTES)?;
    if documentation.themes.len() > MAX_THEMES {
        return Err(DomainError::field(
            FieldError::coded(
                "themes",
                FieldCode::Range,
                format!("at most {MAX_THEMES} themes"),
            )
            .with("min", 0)
            .with("max", MAX_THEMES),
        ));
    }
    let mut themes: Vec<String> = Vec::new();
    for (i, theme) in documentation.themes.iter().enumerate() {
        let theme = check_text(&format!("themes[{i}]"), theme, 80)?;
        if !themes.contains(&theme) {
            themes.push(theme);
        }
    }
    Ok(SessionDocumentation {
        audience,
        themes,
        notes,
    })
}

fn check_findings(findings: &[NewFinding], rules: &ProgrammeRules) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    let areas = rules.evidence_areas();
    for (i, finding) in findings.iter().enumerate() {
        let text = finding.text.trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT {
            errors.push(
                FieldError::coded(
                    format!("findings[{i}].text"),
                    FieldCode::Length,
                    format!("must be 1 to {MAX_TEXT} characters"),
                )
                .with("min", 1)
                .with("max", MAX_TEXT),
            );
        }
        if let Some(area) = &finding.area {
            if !areas.contains(area) {
                errors.push(
                    FieldError::coded(
                        format!("findings[{i}].area"),
                        FieldCode::UnknownArea,
                        format!("must be one of {}", areas.join(", ")),
                    )
                    .with("areas", areas.join(",")),
                );
            }
        }
    }
    if findings.len() > 100 {
        errors.push(
            FieldError::coded(
                "findings",
                FieldCode::TooManyFindings,
                "at most 100 findings per audit",
            )
            .with("max", 100),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// The change a transition makes; [`check_standing`] and [`check_person`] have already
/// admitted it where the case stands.
fn decide_transition(
    state: &CaseState,
    transition: &Transition,
    comment: Option<&str>,
    facts: Facts<'_>,
    now: DateTime<Utc>,
) -> Result<Change, DomainError> {
    let requirements_met = || -> Result<(), DomainError> {
        let missing = unmet(evaluate(state.stage, facts.rules, facts.counts));
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DomainError::RequirementsUnmet(missing))
        }
    };
    match transition {
        Transition::Advance => {
            let to =
                facts
                    .rules
                    .path
                    .next_by_advance(state.stage)
                    .ok_or(DomainError::NotAllowed {
                        action: "advance",
                        stage: state.stage,
                        status: state.status,
                    })?;
            requirements_met()?;
            Ok(Change::StageAdvanced {
                from: state.stage,
                to,
                stage_due_at: due_at(facts.rules, to, now),
            })
        }
        Transition::RequestAudit { auditor } => {
            let auditor_id = check_auditor(state, auditor.as_ref())?;
            requirements_met()?;
            Ok(Change::AuditRequested {
                from: state.stage,
                auditor_id,
                stage_due_at: due_at(facts.rules, Stage::Audit, now),
            })
        }
        Transition::Approve { findings } => {
            check_findings(findings, facts.rules)?;
            if let Some(i) = findings.iter().position(|f| f.severity == Severity::Major) {
                return Err(DomainError::field(FieldError::coded(
                    format!("findings[{i}].severity"),
                    FieldCode::MajorNotApprovable,
                    "a major finding cannot be approved; return the case instead",
                )));
            }
            if facts.rules.decision_by == DecisionBy::Admin {
                return Ok(Change::Recommended {
                    round: state.audit_round + 1,
                    findings: findings.clone(),
                });
            }
            Ok(Change::Approved {
                round: state.audit_round + 1,
                findings: findings.clone(),
                next_surveillance_due: Some(facts.rules.next_surveillance(now)),
            })
        }
        Transition::Return { findings } => {
            if findings.is_empty() {
                return Err(DomainError::field(FieldError::coded(
                    "findings",
                    FieldCode::FindingNeeded,
                    "a return needs at least one finding",
                )));
            }
            check_findings(findings, facts.rules)?;
            let to = facts.rules.path.before_audit();
            Ok(Change::Returned {
                to,
                round: state.audit_round + 1,
                findings: findings.clone(),
                stage_due_at: due_at(facts.rules, to, now),
            })
        }
        Transition::Pause => Ok(Change::Paused),
        Transition::Resume => {
            let paused_for = state.paused_at.map(|at| now - at).unwrap_or_default();
            Ok(Change::Resumed {
                stage_due_at: state.stage_due_at.map(|due| due + paused_for),
            })
        }
        Transition::Withdraw { .. } => Ok(Change::Withdrawn),
        Transition::Suspend => require_reason(comment).map(|_| Change::Suspended),
        Transition::Reinstate => Ok(Change::Reinstated),
        Transition::Revoke => require_reason(comment).map(|_| Change::Revoked),
        Transition::Renew => {
            let to = facts.rules.path.renewal_stage();
            Ok(Change::Renewed {
                to,
                cycle: state.cycle + 1,
                stage_due_at: due_at(facts.rules, to, now),
            })
        }
    }
}

/// A transition's comment as `decide` reads it: trimmed, blank is none, and required
/// (the reason the history keeps) for a suspension and a revocation. A page asking to
/// confirm a transition checks it with the same rule before it asks.
pub fn check_transition_comment(
    action: CaseAction,
    comment: Option<&str>,
) -> Result<Option<String>, DomainError> {
    let comment = check_comment(comment)?;
    if matches!(action, CaseAction::Suspend | CaseAction::Revoke) {
        require_reason(comment.as_deref())?;
    }
    Ok(comment)
}

fn require_reason(comment: Option<&str>) -> Result<(), DomainError> {
    match comment {
        Some(_) => Ok(()),
        None => Err(DomainError::field(FieldError::coded(
            "comment",
            FieldCode::Required,
            "the reason is required",
        ))),
    }
}

fn check_auditor(state: &CaseState, auditor: Option<&NamedUser>) -> Result<String, DomainError> {
    let auditor = auditor.ok_or_else(|| {
        DomainError::field(FieldError::coded(
            "auditor_id",
            FieldCode::AuditorRequired,
            "name the auditor of the case",
        ))
    })?;
    if auditor.role != Some(Role::Auditor) {
        return Err(DomainError::field(FieldError::coded(
            "auditor_id",
            FieldCode::UnknownAuditor,
            "no auditor has this id",
        )));
    }
    if state.consultant_id.as_deref() == Some(auditor.id.as_str()) {
        return Err(DomainError::field(FieldError::coded(
            "auditor_id",
            FieldCode::AuditorIsConsultant,
            "the auditor of a case is never its consultant",
        )));
    }
    Ok(auditor.id.clone())
}

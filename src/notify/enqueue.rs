//! From events to outbox rows: who hears about what, in which words. Runs inside the
//! command's transaction, so the rows commit with the events or not at all.

use chrono::{DateTime, Utc};

use super::outbox_rows::insert;
use super::payload::{Details, FindingLine, Organizer, Payload, SessionInfo};
use super::recipients::{self, Recipient};
use super::words;
use super::NotifyError;
use crate::config::Settings;
use crate::domain::{Change, Event, Language, NewFinding};
use crate::store::from_db;
use crate::store::rows::{CaseRow, ProgrammeRow, UnitRow};
use crate::store::{facts, organisations, DbConnection};

/// The case an event happened to, as it is after the command.
#[derive(Clone, Copy)]
pub struct NotifyContext<'a> {
    pub case: &'a CaseRow,
    pub unit: &'a UnitRow,
    pub programme: &'a ProgrammeRow,
    pub settings: &'a Settings,
}

/// Builds the details of one mail in a recipient's language.
pub type DetailsFor<'a> = Box<dyn Fn(Language) -> Details + Send + Sync + 'a>;

/// Writes the outbox rows the events cause; the number written.
pub fn enqueue(
    conn: &mut DbConnection,
    ctx: &NotifyContext<'_>,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let mut written = 0;
    for event in events {
        if let Some((to, details)) = plan(conn, ctx, event)? {
            written += queue(conn, ctx, &to, &details, now)?;
        }
    }
    Ok(written)
}

fn due(case: &CaseRow) -> impl Fn(Language) -> Option<String> + '_ {
    move |lang| case.stage_due_at.map(|d| words::date(from_db(d), lang))
}

fn findings(list: &[NewFinding], lang: Language) -> Vec<FindingLine> {
    list.iter()
        .map(|f| FindingLine {
            severity: words::severity(f.severity, lang).to_string(),
            area: f.area.as_deref().map(|a| words::area(a, lang)),
            text: f.text.trim().to_string(),
        })
        .collect()
}

/// Who hears about `event`, and what they read; `None` when nobody needs to.
fn plan<'a>(
    conn: &mut DbConnection,
    ctx: &NotifyContext<'a>,
    event: &'a Event,
) -> Result<Option<(Vec<Recipient>, DetailsFor<'a>)>, NotifyError> {
    if is_quiet(&event.change) {
        return Ok(None);
    }
    let case = ctx.case;
    let contacts = recipients::unit_contacts(conn, ctx.unit)?;
    let consultant = recipients::user(conn, case.consultant_id.as_deref())?;
    let consultant_name = consultant.as_ref().and_then(|c| c.name.clone());
    let due = due(case);
    let stage = Some(case.stage);
    let with_consultant = |contacts: Vec<Recipient>| {
        recipients::merge([contacts, consultant.clone().into_iter().collect()])
    };
    let planned: (Vec<Recipient>, DetailsFor<'a>) = match &event.change {
        Change::Enrolled { .. } => (
            with_consultant(contacts),
            Box::new(move |lang| Details::Enrolled {
                stage_name: stage.map_or("", |s| words::stage(s, lang)).to_string(),
                due_date: due(lang),
                consultant_name: consultant_name.clone(),
            }),
        ),
        Change::SessionScheduled { session_id, .. }
        | Change::SessionChanged { session_id, .. }
        | Change::SessionCancelled { session_id, .. } => {
            let Some(row) = facts::session(conn, &case.id, session_id)? else {
                return Ok(None);
            };
            // A session recorded after it took place gets no calendar invitation.
            let is_invitation = !matches!(event.change, Change::SessionCancelled { .. });
            if is_invitation && from_db(row.ends_at) <= event.at {
                return Ok(None);
            }
            let kind = event.change.kind();
            let stamp = event.at.to_rfc3339();
            // The consultant runs the case's meetings: she organises them, and gets
            // the invitation to her own meetings too.
            let organizer = consultant.as_ref().map(|c| Organizer {
                name: c.name.clone().unwrap_or_default(),
                email: c.email.clone(),
            });
            let build = move |lang| {
                let starts_at = from_db(row.starts_at);
                let ends_at = from_db(row.ends_at);
                let same_day = words::date(starts_at, lang) == words::date(ends_at, lang);
                let session = SessionInfo {
                    id: row.id.clone(),
                    sequence: row.sequence.max(0) as u32,
                    cancelled: row.cancelled,
                    kind_name: words::session_kind(row.kind, lang).to_string(),
                    title: row.title.clone(),
                    starts: words::date_time(starts_at, lang),
                    ends: if same_day {
                        words::time(ends_at, lang)
                    } else {
                        words::date_time(ends_at, lang)
                    },
                    starts_at: starts_at.to_rfc3339(),
                    ends_at: ends_at.to_rfc3339(),
                    location: row.location.clone(),
                    stamp: stamp.clone(),
                    organizer: organizer.clone(),
                };
                match kind {
                    "session_scheduled" => Details::SessionScheduled { session },
                    "session_changed" => Details::SessionChanged { session },
                    _ => Details::SessionCancelled { session },
                }
            };
            (with_consultant(contacts), Box::new(build))
        }
        Change::SessionDocumented {
            session_id,
            audience,
            themes,
            notes: Some(notes),
        } => {
            let Some(row) = facts::session(conn, &case.id, session_id)? else {
                return Ok(None);
            };
            let (audience, themes, notes) = (audience.clone(), themes.clone(), notes.clone());
            (
                contacts,
                Box::new(move |lang| Details::SessionNotes {
                    kind_name: words::session_kind(row.kind, lang).to_string(),
                    title: row.title.clone(),
                    date: words::date(from_db(row.starts_at), lang),
                    audience: audience.clone(),
                    themes: themes.clone(),
                    notes: notes.clone(),
                }),
            )
        }
        Change::StageAdvanced { from, to, .. } => (
            contacts,
            Box::new(move |lang| Details::StageAdvanced {
                from_stage: words::stage(*from, lang).to_string(),
                to_stage: words::stage(*to, lang).to_string(),
                due_date: due(lang),
            }),
        ),
        Change::AuditRequested { auditor_id, .. } => (
            recipients::user(conn, Some(auditor_id))?
                .into_iter()
                .collect(),
            Box::new(move |lang| Details::AuditRequested {
                consultant_name: consultant_name.clone(),
                due_date: due(lang),
                comment: event.comment.clone(),
            }),
        ),
        Change::Returned {
            round, findings: f, ..
        } => (
            with_consultant(contacts),
            Box::new(move |lang| Details::AuditReturned {
                round: *round,
                findings: findings(f, lang),
                due_date: due(lang),
            }),
        ),
        Change::Approved { findings: f, .. } => {
            // Issued earlier in this same transaction.
            let certificate = crate::store::certificates::current_of_case(conn, &case.id)?;
            let verify_url = certificate.as_ref().map(|c| {
                crate::certificate::verify_url(
                    &ctx.settings.server.public_url,
                    &c.verification_code,
                )
            });
            let number = certificate.as_ref().map(|c| c.number.clone());
            let certificate_id = certificate.map(|c| c.id);
            (
                with_consultant(contacts),
                Box::new(move |lang| Details::Approved {
                    findings: findings(f, lang),
                    verify_url: verify_url.clone(),
                    number: number.clone(),
                    certificate_id: certificate_id.clone(),
                }),
            )
        }
        Change::Paused
        | Change::Resumed { .. }
        | Change::Withdrawn
        | Change::Suspended
        | Change::Reinstated
        | Change::Revoked
        | Change::Renewed { .. }
        | Change::SurveillanceLapsed
        | Change::Expired => {
            // The one who made the change knows; the unit and the consultant may not.
            let actor = event.actor_id.as_deref();
            let consultant = consultant
                .clone()
                .filter(|_| actor.is_none() || actor != case.consultant_id.as_deref());
            let status = Some(case.status);
            (
                recipients::merge([contacts, consultant.into_iter().collect()]),
                Box::new(move |lang| Details::StatusChanged {
                    event: event.change.kind().to_string(),
                    status_name: status.map_or("", |s| words::status(s, lang)).to_string(),
                    comment: match event.change {
                        Change::SurveillanceLapsed => {
                            Some(crate::glossary::text(lang, "mail.surveillance_lapsed", &[]))
                        }
                        _ => event.comment.clone(),
                    },
                }),
            )
        }
        Change::AppealDecided {
            ground, outcome, ..
        } => (
            with_consultant(contacts),
            Box::new(move |lang| {
                super::complaints::appeal_details(*ground, *outcome, event.comment.clone(), lang)
            }),
        ),
        Change::ComplaintDecided {
            complaint_id,
            outcome,
        } => {
            let Some(to) = super::complaints::complainant(conn, complaint_id)? else {
                return Ok(None);
            };
            (
                vec![to],
                Box::new(move |lang| {
                    super::complaints::complaint_details(
                        true,
                        *outcome,
                        event.comment.clone(),
                        lang,
                    )
                }),
            )
        }
        Change::AttendanceRecorded { .. }
        | Change::Recommended { .. }
        | Change::AppealFiled { .. }
        | Change::ComplaintReceived { .. }
        | Change::ReflectionsRecorded { .. }
        | Change::TrainedRecorded { .. }
        | Change::SessionDocumented { notes: None, .. }
        | Change::ProgrammeMigrated { .. }
        | Change::SurveillanceRecorded { .. }
        | Change::EvidenceAdded { .. }
        | Change::AttendanceCorrected { .. }
        | Change::ResolutionCorrected { .. }
        | Change::FindingResolved { .. } => return Ok(None),
    };
    Ok(Some(planned))
}

/// Progress nobody waits for by mail: it shows on the case page.
fn is_quiet(change: &Change) -> bool {
    matches!(
        change,
        Change::AttendanceRecorded { .. }
            | Change::ReflectionsRecorded { .. }
            | Change::TrainedRecorded { .. }
            | Change::ProgrammeMigrated { .. }
            | Change::SurveillanceRecorded { .. }
            | Change::AppealFiled { .. }
            | Change::Recommended { .. }
            | Change::ComplaintReceived { .. }
            | Change::SessionDocumented { notes: None, .. }
            | Change::EvidenceAdded { .. }
            | Change::FindingResolved { .. }
            | Change::AttendanceCorrected { .. }
            | Change::ResolutionCorrected { .. }
    )
}

/// One outbox row per recipient, each in their language; the number written.
pub fn queue(
    conn: &mut DbConnection,
    ctx: &NotifyContext<'_>,
    to: &[Recipient],
    details: &DetailsFor<'_>,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    if to.is_empty() {
        return Ok(0);
    }
    let organisation_name = organisations::by_id(conn, &ctx.unit.organisation_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    for recipient in to {
        let payload = Payload {
            lang: recipient.language.as_str().to_string(),
            recipient_name: recipient.name.clone(),
            unit_name: ctx.unit.name.clone(),
            organisation_name: organisation_name.clone(),
            programme_name: ctx.programme.name.clone(),
            case_id: ctx.case.id.clone(),
            public_url: ctx.settings.server.public_url.clone(),
            details: details(recipient.language),
        };
        insert(
            conn,
            ctx.settings,
            &payload,
            Some(&ctx.case.id),
            &recipient.email,
            now,
        )?;
    }
    Ok(to.len())
}

//! The way the scale fixture takes each case along the certification path: the
//! commands a consultant and an auditor would send, one every 20 simulated hours.

use chrono::{DateTime, Duration, Utc};

use super::case::CaseBuild;
use crate::app::error::AppError;
use crate::domain::command::SessionDocumentation;
use crate::domain::{
    Actor, Command, Measure, NamedUser, ProgrammeRules, Role, SessionKind, SessionSnapshot,
    Transition,
};
use crate::store::ids;

/// Who drives the fixture's cases.
pub struct People {
    pub consultant: Actor,
    pub auditor: Actor,
}

/// How far along the path a case goes (0 = just enrolled … 5 = certified), and how
/// many supervision sessions it holds on the way.
pub struct Route {
    pub stop: u32,
    pub supervision: u32,
}

/// Enrols the case `build` holds and drives it along the path up to `route.stop`.
pub fn drive(
    build: &mut CaseBuild<'_>,
    rules: &ProgrammeRules,
    people: &People,
    route: &Route,
) -> Result<(), AppError> {
    let c = &people.consultant;
    let headcount = build.headcount();
    let me = NamedUser {
        id: c.id.clone(),
        role: Some(Role::Consultant),
    };
    build.apply(
        c,
        &Command::Enrol {
            consultant: Some(me),
        },
    )?;
    let mut sessions = 0;
    let mut held = |build: &mut CaseBuild<'_>, kind, attended| {
        sessions += 1;
        hold_session(build, c, kind, sessions, attended)
    };
    if route.stop == 0 {
        return Ok(());
    }
    held(build, SessionKind::Kickoff, headcount)?;
    advance(build, c, Transition::Advance)?;
    for _ in 0..rules.workshops_required {
        held(build, SessionKind::Workshop, headcount)?;
    }
    if route.stop == 1 {
        return Ok(());
    }
    advance(build, c, Transition::Advance)?;
    build.apply(
        c,
        &Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: headcount,
        },
    )?;
    if route.stop == 2 {
        return Ok(());
    }
    advance(build, c, Transition::Advance)?;
    for _ in 0..route.supervision {
        held(build, SessionKind::Supervision, headcount / 2 + 1)?;
    }
    for area in &rules.routine_areas {
        build.apply(
            c,
            &Command::AddEvidence {
                evidence_id: ids::new_id(),
                area: area.clone(),
                description: "Rutinen är beslutad och finns i ledningssystemet.".into(),
                link: None,
                file: None,
            },
        )?;
    }
    if route.stop == 3 {
        return Ok(());
    }
    let auditor = NamedUser {
        id: people.auditor.id.clone(),
        role: Some(Role::Auditor),
    };
    advance(
        build,
        c,
        Transition::RequestAudit {
            auditor: Some(auditor),
        },
    )?;
    if route.stop == 4 {
        return Ok(());
    }
    advance(
        build,
        &people.auditor,
        Transition::Approve {
            findings: Vec::new(),
        },
    )
}

fn advance(
    build: &mut CaseBuild<'_>,
    actor: &Actor,
    transition: Transition,
) -> Result<(), AppError> {
    build.apply(
        actor,
        &Command::Transition {
            transition,
            comment: None,
        },
    )
}

/// Schedules session number `n`, held two to four hours before the simulated now,
/// and records its attendance.
fn hold_session(
    build: &mut CaseBuild<'_>,
    actor: &Actor,
    kind: SessionKind,
    n: u32,
    attended: u32,
) -> Result<(), AppError> {
    let now: DateTime<Utc> = build.now;
    let session = SessionSnapshot {
        id: ids::new_id(),
        kind,
        title: format!("Träff {n}"),
        starts_at: now - Duration::hours(4),
        ends_at: now - Duration::hours(2),
        location: Some("Stadshuset".into()),
        attended: None,
        cancelled: false,
        sequence: 0,
        documentation: SessionDocumentation::default(),
    };
    build.apply(
        actor,
        &Command::ScheduleSession {
            session_id: session.id.clone(),
            kind,
            title: session.title.clone(),
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            location: session.location.clone(),
            documentation: SessionDocumentation::default(),
        },
    )?;
    build.apply(actor, &Command::RecordAttendance { session, attended })
}

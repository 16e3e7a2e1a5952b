//! The scale fixture (`stegvis demo --scale N`): N organisations' worth of realistic
//! cases in large transactions. Every command goes through the command pipeline
//! ([`execute_in`]) as a request's would, at a simulated time; only HTTP and mail
//! are bypassed.

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};

use super::email::EmailAddress;
use super::error::AppError;
use super::inputs::NewUser;
use super::pipeline::{execute_in, Precondition, Reactors, Subject};
use super::AppState;
use crate::domain::command::SessionDocumentation;
use crate::domain::{
    Actor, Command, Measure, NamedUser, ProgrammeRules, Role, SessionKind, SessionSnapshot,
    Transition,
};
use crate::store::rows::{OrganisationRow, ProgrammeRow, UnitRow};
use crate::store::{ids, organisations, programmes, to_db, users, DbConnection};

/// Units (one case each) per organisation: 290 organisations ≈ 100,000 cases.
pub const UNITS_PER_ORGANISATION: usize = 345;
const ORGANISATIONS_PER_TRANSACTION: usize = 5;

/// What the fixture wrote and how long it took.
#[derive(Debug, Default, serde::Serialize)]
pub struct ScaleReport {
    pub organisations: usize,
    pub cases: usize,
    pub events: usize,
    pub certificates: usize,
    pub seconds: f64,
}

/// One case as the fixture drives it through the command pipeline, at its own
/// simulated time (each command 20 hours after the one before).
struct Driver<'c, 'r> {
    conn: &'c mut DbConnection,
    reactors: &'r Reactors<'r>,
    case_id: String,
    version: i64,
    now: DateTime<Utc>,
    sessions: u32,
}

impl Driver<'_, '_> {
    fn apply(&mut self, actor: &Actor, command: Command) -> Result<(), AppError> {
        let ((case, _, _), _) = execute_in(
            self.conn,
            self.reactors,
            actor,
            Subject::Case(&self.case_id),
            &Precondition::Any,
            self.now,
            &|_, _| Ok(command.clone()),
        )?;
        self.version = case.version;
        self.now += Duration::hours(20);
        Ok(())
    }

    fn held(&mut self, actor: &Actor, kind: SessionKind, attended: u32) -> Result<(), AppError> {
        self.sessions += 1;
        let session = SessionSnapshot {
            id: ids::new_id(),
            kind,
            title: format!("Träff {}", self.sessions),
            starts_at: self.now - Duration::hours(4),
            ends_at: self.now - Duration::hours(2),
            location: Some("Stadshuset".into()),
            attended: None,
            cancelled: false,
            sequence: 0,
            documentation: SessionDocumentation::default(),
        };
        self.apply(
            actor,
            Command::ScheduleSession {
                session_id: session.id.clone(),
                kind,
                title: session.title.clone(),
                starts_at: session.starts_at,
                ends_at: session.ends_at,
                location: session.location.clone(),
                documentation: SessionDocumentation::default(),
            },
        )?;
        self.apply(actor, Command::RecordAttendance { session, attended })
    }

    fn transition(&mut self, actor: &Actor, transition: Transition) -> Result<(), AppError> {
        self.apply(
            actor,
            Command::Transition {
                transition,
                comment: None,
            },
        )
    }
}

struct People {
    consultant: Actor,
    auditor: Actor,
}

/// Enrols `unit` and drives its case up to `stop` steps along the path (0 = just
/// enrolled … 5 = certified); the number of events its history holds.
#[allow(clippy::too_many_arguments)]
fn drive(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    unit: &UnitRow,
    programme: &ProgrammeRow,
    rules: &ProgrammeRules,
    people: &People,
    enrolled_at: DateTime<Utc>,
    stop: u32,
    supervision: u32,
) -> Result<i64, AppError> {
    let c = &people.consultant;
    let me = NamedUser {
        id: c.id.clone(),
        role: Some(Role::Consultant),
    };
    let enrol = Command::Enrol {
        consultant: Some(me),
    };
    let ((case, _, _), _) = execute_in(
        conn,
        reactors,
        c,
        Subject::New(unit, programme),
        &Precondition::Any,
        enrolled_at,
        &|_, _| Ok(enrol.clone()),
    )?;
    let headcount = unit.headcount.max(0) as u32;
    let mut d = Driver {
        conn,
        reactors,
        case_id: case.id,
        version: case.version,
        now: enrolled_at + Duration::hours(20),
        sessions: 0,
    };
    if stop == 0 {
        return Ok(d.version);
    }
    d.held(c, SessionKind::Kickoff, headcount)?;
    d.transition(c, Transition::Advance)?;
    for _ in 0..rules.workshops_required {
        d.held(c, SessionKind::Workshop, headcount)?;
    }
    if stop == 1 {
        return Ok(d.version);
    }
    d.transition(c, Transition::Advance)?;
    d.apply(
        c,
        Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: headcount,
        },
    )?;
    if stop == 2 {
        return Ok(d.version);
    }
    d.transition(c, Transition::Advance)?;
    for _ in 0..supervision {
        d.held(c, SessionKind::Supervision, headcount / 2 + 1)?;
    }
    for area in &rules.routine_areas {
        d.apply(
            c,
            Command::AddEvidence {
                evidence_id: ids::new_id(),
                area: area.clone(),
                description: "Rutinen är beslutad och finns i ledningssystemet.".into(),
                link: None,
                file: None,
            },
        )?;
    }
    if stop == 3 {
        return Ok(d.version);
    }
    let auditor = NamedUser {
        id: people.auditor.id.clone(),
        role: Some(Role::Auditor),
    };
    d.transition(
        c,
        Transition::RequestAudit {
            auditor: Some(auditor),
        },
    )?;
    if stop == 4 {
        return Ok(d.version);
    }
    d.transition(
        &people.auditor,
        Transition::Approve {
            findings: Vec::new(),
        },
    )?;
    Ok(d.version)
}

fn staff(state: &AppState, email: &str, name: &str, role: Role) -> anyhow::Result<Actor> {
    let mut conn = state.store.conn()?;
    let id = match users::by_email(&mut conn, email)? {
        Some(u) => u.id,
        None => {
            drop(conn);
            let input = NewUser {
                email: EmailAddress::sent(email),
                name: name.into(),
                role,
                organisation_id: None,
                unit_id: None,
                language: None,
                password: Some(crate::app::demo::DEMO_PASSWORD.into()),
            };
            super::users::create_unattended(state, input)?.id
        }
    };
    Ok(Actor {
        id,
        role,
        organisation_id: None,
        unit_id: None,
    })
}

/// Fills the database with `organisations` organisations of cases in every stage.
pub fn load(state: &AppState, organisations: usize) -> anyhow::Result<ScaleReport> {
    load_sized(state, organisations, UNITS_PER_ORGANISATION)
}

/// [`load`] with `units` units (one case each) per organisation.
pub fn load_sized(
    state: &AppState,
    organisations: usize,
    units: usize,
) -> anyhow::Result<ScaleReport> {
    let started = Instant::now();
    staff(state, "admin@stegvis.demo", "Alva Andersson", Role::Admin)?;
    let people = People {
        consultant: staff(
            state,
            "scale-consultant@stegvis.demo",
            "Sara Konsult",
            Role::Consultant,
        )?,
        auditor: staff(
            state,
            "scale-auditor@stegvis.demo",
            "Ali Revisor",
            Role::Auditor,
        )?,
    };
    let programme = {
        let mut conn = state.store.conn()?;
        programmes::latest_by_key(&mut conn, crate::domain::programme::DEFAULT_PROGRAMME_KEY)?
            .context("the default programme is missing")?
    };
    let rules = programmes::rules_of(&programme)?;
    let mut rng = StdRng::seed_from_u64(290);
    let mut report = ScaleReport {
        organisations,
        ..ScaleReport::default()
    };
    let real_now = state.now();
    let mut done = 0;
    while done < organisations {
        let batch = ORGANISATIONS_PER_TRANSACTION.min(organisations - done);
        let counts = state.store.write(
            |conn| -> Result<(usize, usize, usize), crate::app::error::AppError> {
                let mut totals = (0, 0, 0);
                for o in done..done + batch {
                    let t = write_organisation(
                        conn, state, &programme, &rules, &people, o, units, real_now, &mut rng,
                    )?;
                    totals = (totals.0 + t.0, totals.1 + t.1, totals.2 + t.2);
                }
                Ok(totals)
            },
        )?;
        report.cases += counts.0;
        report.events += counts.1;
        report.certificates += counts.2;
        done += batch;
        eprint!(
            "\r{done}/{organisations} organisations, {} cases, {} events",
            report.cases, report.events
        );
    }
    eprintln!();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// One organisation with its units and cases; (cases, events, certificates) written.
#[allow(clippy::too_many_arguments)]
fn write_organisation(
    conn: &mut DbConnection,
    state: &AppState,
    programme: &ProgrammeRow,
    rules: &ProgrammeRules,
    people: &People,
    index: usize,
    units: usize,
    real_now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Result<(usize, usize, usize), AppError> {
    let created = to_db(real_now - Duration::days(1100));
    let org = OrganisationRow {
        id: ids::new_id(),
        name: format!("Kommun {:03}", index + 1),
        org_number: None,
        created_at: created,
        public_registry: false,
    };
    organisations::insert(conn, &org)?;
    let (mut cases, mut events_written, mut certificates) = (0, 0, 0);
    for u in 0..units {
        let unit = UnitRow {
            id: ids::new_id(),
            organisation_id: org.id.clone(),
            name: format!("Enhet {:03}-{u:03}", index + 1),
            department: Some(["Skola", "Omsorg", "Kultur", "Teknik"][u % 4].into()),
            headcount: rng.gen_range(5..60),
            contact_email: None,
            created_at: created,
            updated_at: created,
        };
        organisations::insert_unit(conn, &unit)?;
        // Stages: a quarter certified, the rest spread along the path.
        let stop = [0, 1, 1, 2, 3, 3, 4, 5, 5, 5, 5, 2][rng.gen_range(0..12)];
        let enrolled_at = real_now - Duration::days(rng.gen_range(60..900));
        let supervision = rng.gen_range(20..40);
        let reactors = Reactors {
            mail: false,
            webhooks: false,
            ..Reactors::of(state)
        };
        events_written += drive(
            conn,
            &reactors,
            &unit,
            programme,
            rules,
            people,
            enrolled_at,
            stop,
            supervision,
        )? as usize;
        cases += 1;
        certificates += usize::from(stop == 5);
    }
    Ok((cases, events_written, certificates))
}

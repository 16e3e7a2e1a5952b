//! The scale fixture (`stegvis demo --scale N`): N organisations' worth of realistic
//! cases, written straight through the store in large transactions. Every case's
//! history comes from the domain's own `decide` and `evolve`, hash-chained like any
//! other, so the app works on the database afterwards; only HTTP is bypassed.

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::api::inputs::NewUser;
use crate::domain::evolve::evolve_all;
use crate::domain::hash::GENESIS_HASH;
use crate::domain::{
    decide, Actor, CaseFacts, CaseState, Command, Event, Facts, ProgrammeRules, Role, SessionKind,
    Transition,
};
use crate::service::projection::{chain, project_all, row_with_state};
use crate::service::{to_db, AppState};
use crate::store::rows::{CaseRow, OrganisationRow, ProgrammeRow, UnitRow};
use crate::store::{events, ids, organisations, programmes, users, StoreError};

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

/// One case as it is simulated: the state, the counts its requirements read, its events.
struct Sim<'a> {
    state: CaseState,
    counts: CaseFacts,
    events: Vec<Event>,
    now: DateTime<Utc>,
    rules: &'a ProgrammeRules,
    sessions: u32,
}

impl Sim<'_> {
    fn apply(&mut self, actor: &Actor, command: Command) -> anyhow::Result<()> {
        let facts = Facts {
            rules: self.rules,
            counts: &self.counts,
        };
        let new = decide(&self.state, actor, &command, facts, self.now)
            .map_err(|e| anyhow::anyhow!("the fixture's command was refused: {e}"))?;
        self.state = evolve_all(self.state.clone(), &new);
        self.events.extend(new);
        self.now += Duration::hours(20);
        Ok(())
    }

    fn held(&mut self, actor: &Actor, kind: SessionKind, attended: u32) -> anyhow::Result<()> {
        self.sessions += 1;
        let session_id = ids::new_id();
        let starts_at = self.now - Duration::hours(4);
        self.apply(
            actor,
            Command::ScheduleSession {
                session_id: session_id.clone(),
                kind,
                title: format!("Träff {}", self.sessions),
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                location: Some("Stadshuset".into()),
            },
        )?;
        let snapshot = crate::domain::SessionSnapshot {
            id: session_id,
            kind,
            title: format!("Träff {}", self.sessions),
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            location: Some("Stadshuset".into()),
            attended: None,
            cancelled: false,
            sequence: 0,
        };
        self.apply(
            actor,
            Command::RecordAttendance {
                session: snapshot,
                attended,
            },
        )?;
        match kind {
            SessionKind::Kickoff => self.counts.kickoff_sessions_held += 1,
            SessionKind::Workshop => self.counts.workshop_attendance.push(attended),
            SessionKind::Supervision => {}
        }
        Ok(())
    }

    fn transition(&mut self, actor: &Actor, transition: Transition) -> anyhow::Result<()> {
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

/// Simulates one case up to `stop` steps along the path (0 = just enrolled … 6 = certified).
fn simulate<'a>(
    rules: &'a ProgrammeRules,
    people: &People,
    headcount: u32,
    enrolled_at: DateTime<Utc>,
    stop: u32,
    supervision: u32,
) -> anyhow::Result<Sim<'a>> {
    let c = &people.consultant;
    let mut sim = Sim {
        state: CaseState::blank(),
        counts: CaseFacts {
            headcount,
            ..CaseFacts::default()
        },
        events: Vec::new(),
        now: enrolled_at,
        rules,
        sessions: 0,
    };
    let me = crate::domain::NamedUser {
        id: c.id.clone(),
        role: Some(Role::Consultant),
    };
    sim.apply(
        c,
        Command::Enrol {
            consultant: Some(me),
        },
    )?;
    if stop == 0 {
        return Ok(sim);
    }
    sim.held(c, SessionKind::Kickoff, headcount)?;
    sim.transition(c, Transition::Advance)?;
    for _ in 0..rules.workshops_required {
        sim.held(c, SessionKind::Workshop, headcount)?;
    }
    if stop == 1 {
        return Ok(sim);
    }
    sim.transition(c, Transition::Advance)?;
    sim.apply(
        c,
        Command::RecordReflections {
            completed: headcount,
        },
    )?;
    sim.counts.reflections_completed = headcount;
    if stop == 2 {
        return Ok(sim);
    }
    sim.transition(c, Transition::Advance)?;
    for _ in 0..supervision {
        sim.held(c, SessionKind::Supervision, headcount / 2 + 1)?;
    }
    for area in &rules.routine_areas {
        sim.apply(
            c,
            Command::AddEvidence {
                evidence_id: ids::new_id(),
                area: area.clone(),
                description: "Rutinen är beslutad och finns i ledningssystemet.".into(),
                link: None,
            },
        )?;
        *sim.counts.evidence_by_area.entry(area.clone()).or_insert(0) += 1;
    }
    if stop == 3 {
        return Ok(sim);
    }
    let auditor = crate::domain::NamedUser {
        id: people.auditor.id.clone(),
        role: Some(Role::Auditor),
    };
    sim.transition(
        c,
        Transition::RequestAudit {
            auditor: Some(auditor),
        },
    )?;
    if stop == 4 {
        return Ok(sim);
    }
    sim.transition(
        &people.auditor,
        Transition::Approve {
            findings: Vec::new(),
        },
    )
    .map(|()| sim)
}

fn staff(state: &AppState, email: &str, name: &str, role: Role) -> anyhow::Result<Actor> {
    let mut conn = state.store.conn()?;
    let id = match users::by_email(&mut conn, email)? {
        Some(u) => u.id,
        None => {
            drop(conn);
            let input = NewUser {
                email: email.into(),
                name: name.into(),
                role,
                organisation_id: None,
                unit_id: None,
                language: None,
                password: crate::demo::DEMO_PASSWORD.into(),
            };
            crate::bootstrap::create_user(state, input)?.id
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
            |conn| -> Result<(usize, usize, usize), crate::error::AppError> {
                let mut totals = (0, 0, 0);
                for o in done..done + batch {
                    let t = write_organisation(
                        conn, state, &programme, &rules, &people, o, real_now, &mut rng,
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
    conn: &mut crate::store::DbConnection,
    state: &AppState,
    programme: &ProgrammeRow,
    rules: &ProgrammeRules,
    people: &People,
    index: usize,
    real_now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Result<(usize, usize, usize), crate::error::AppError> {
    let created = to_db(real_now - Duration::days(1100));
    let org = OrganisationRow {
        id: ids::new_id(),
        name: format!("Kommun {:03}", index + 1),
        org_number: None,
        created_at: created,
    };
    organisations::insert(conn, &org)?;
    let (mut cases, mut events_written, mut certificates) = (0, 0, 0);
    for u in 0..UNITS_PER_ORGANISATION {
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
        let sim = simulate(
            rules,
            people,
            unit.headcount as u32,
            enrolled_at,
            stop,
            supervision,
        )
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
        let base = CaseRow {
            id: ids::new_id(),
            unit_id: unit.id.clone(),
            organisation_id: org.id.clone(),
            programme_id: programme.id.clone(),
            stage: String::new(),
            status: String::new(),
            version: 0,
            consultant_id: None,
            auditor_id: None,
            cycle: 1,
            stage_entered_at: to_db(enrolled_at),
            stage_due_at: None,
            paused_at: None,
            reflections_completed: 0,
            audit_round: 0,
            last_hash: GENESIS_HASH.to_string(),
            live_key: None,
            created_at: to_db(enrolled_at),
            updated_at: to_db(enrolled_at),
        };
        let rows = chain(&base.id, 0, GENESIS_HASH, &sim.events);
        let last_hash = rows
            .last()
            .map_or(GENESIS_HASH.to_string(), |e| e.hash.clone());
        let last_at = sim.events.last().map_or(enrolled_at, |e| e.at);
        let row = row_with_state(&base, &sim.state, &programme.key, last_hash, last_at);
        crate::store::cases::insert(conn, &row)?;
        events::insert_many(conn, &rows).map_err(StoreError::from)?;
        project_all(conn, &row, &sim.events)?;
        let parts = (row.clone(), unit, programme.clone());
        crate::service::certificates::follow(conn, state, &parts, &row, &sim.events)?;
        cases += 1;
        events_written += rows.len();
        certificates += usize::from(stop == 5);
    }
    Ok((cases, events_written, certificates))
}

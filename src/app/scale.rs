//! The scale fixture (`stegvis demo --scale N`): N organisations' worth of realistic
//! cases. Each case's commands are decided by the domain's `decide` and `evolve`, as
//! the command pipeline decides a request's, at a simulated time, and its history is
//! hash-chained as the pipeline chains it; but the rows are kept in memory and stored
//! in batches, an organisation's thousands of rows in a few statements, in
//! transactions of five organisations. HTTP, mail and webhooks are bypassed, and the
//! certificates' PDFs are rendered on first download.

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};

use self::case::CaseBuild;
use self::path::{drive, People, Route};
use super::email::EmailAddress;
use super::error::AppError;
use super::inputs::NewUser;
use super::pipeline::blank_row;
use super::AppState;
use crate::certificate::issuance;
use crate::domain::event::Event;
use crate::domain::{Actor, ProgrammeRules, Role};
use crate::store::rows::{
    CaseRow, EventRow, EvidenceRow, OrganisationRow, ProgrammeRow, SessionRow, UnitRow,
};
use crate::store::{cases, events, facts, ids, organisations, programmes, to_db, users};

mod case;
mod path;

/// Units (one case each) per organisation: 290 organisations ≈ 100,000 cases.
pub const UNITS_PER_ORGANISATION: usize = 345;
/// Organisations stored in one transaction (about 20,000 rows each).
const ORGANISATIONS_PER_TRANSACTION: usize = 2;

/// What the fixture wrote and how long it took.
#[derive(Debug, Default, serde::Serialize)]
pub struct ScaleReport {
    pub organisations: usize,
    pub cases: usize,
    pub events: usize,
    pub certificates: usize,
    pub seconds: f64,
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
    let plan = Plan {
        programme: &programme,
        rules: &rules,
        people: &people,
        units,
        real_now: state.now(),
    };
    let mut report = ScaleReport {
        organisations,
        ..ScaleReport::default()
    };
    let mut progress = Progress::new(organisations * units);
    // One thread decides the histories while this one stores them; the channel's
    // bound keeps at most a few organisations in memory, whatever the fixture's size.
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (sender, batches) = std::sync::mpsc::sync_channel(1);
        let plan = &plan;
        scope.spawn(move || {
            for index in 0..organisations {
                let batch = plan.organisation(index);
                let failed = batch.is_err();
                if sender.send(batch).is_err() || failed {
                    return;
                }
            }
        });
        let mut pending = Vec::with_capacity(ORGANISATIONS_PER_TRANSACTION);
        for batch in batches {
            pending.push(batch?);
            if pending.len() == ORGANISATIONS_PER_TRANSACTION {
                store(state, plan, std::mem::take(&mut pending), &mut report)?;
                progress.show(&report);
            }
        }
        if !pending.is_empty() {
            store(state, plan, pending, &mut report)?;
            progress.show(&report);
        }
        Ok(())
    })?;
    eprintln!();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// What every organisation of the fixture is made from.
struct Plan<'a> {
    programme: &'a ProgrammeRow,
    rules: &'a ProgrammeRules,
    people: &'a People,
    units: usize,
    real_now: DateTime<Utc>,
}

/// One organisation decided in memory: its rows, ready to be stored.
struct Batch {
    organisation: OrganisationRow,
    units: Vec<UnitRow>,
    cases: Vec<CaseRow>,
    events: Vec<EventRow>,
    sessions: Vec<SessionRow>,
    evidence: Vec<EvidenceRow>,
    /// For each case (by position) that earned a certificate, the events that
    /// issued it, which issuance follows once the case is stored.
    certifying: Vec<(usize, Vec<Event>)>,
}

impl Plan<'_> {
    /// Organisation number `index` with its units, each with one case somewhere along
    /// the path. Seeded by `index`, so its stages do not depend on the others.
    fn organisation(&self, index: usize) -> Result<Batch, AppError> {
        let mut rng = StdRng::seed_from_u64(290 + index as u64);
        let created = to_db(self.real_now - Duration::days(1100));
        let mut batch = Batch {
            organisation: OrganisationRow {
                id: ids::new_id(),
                name: format!("Kommun {:03}", index + 1),
                org_number: None,
                created_at: created,
                public_registry: false,
            },
            units: Vec::with_capacity(self.units),
            cases: Vec::with_capacity(self.units),
            events: Vec::new(),
            sessions: Vec::new(),
            evidence: Vec::new(),
            certifying: Vec::new(),
        };
        for u in 0..self.units {
            let unit = UnitRow {
                id: ids::new_id(),
                organisation_id: batch.organisation.id.clone(),
                name: format!("Enhet {:03}-{u:03}", index + 1),
                department: Some(["Skola", "Omsorg", "Kultur", "Teknik"][u % 4].into()),
                headcount: rng.gen_range(5..60),
                contact_email: None,
                created_at: created,
                updated_at: created,
            };
            // Stages: a quarter certified, the rest spread along the path.
            let route = Route {
                stop: [0, 1, 1, 2, 3, 3, 4, 5, 5, 5, 5, 2][rng.gen_range(0..12)],
                supervision: rng.gen_range(20..40),
            };
            let enrolled_at = self.real_now - Duration::days(rng.gen_range(60..900));
            let mut case = CaseBuild::new(
                blank_row(&unit, self.programme, enrolled_at),
                self.rules,
                &self.programme.key,
                unit.headcount.max(0) as u32,
                enrolled_at,
            );
            drive(&mut case, self.rules, self.people, &route)?;
            if !case.certifying.is_empty() {
                batch
                    .certifying
                    .push((batch.cases.len(), std::mem::take(&mut case.certifying)));
            }
            batch.events.append(&mut case.events);
            batch.sessions.append(&mut case.sessions);
            batch.evidence.append(&mut case.evidence);
            batch.cases.push(case.row);
            batch.units.push(unit);
        }
        Ok(batch)
    }
}

/// Stores `pending` in one transaction, issues the certificates their cases earned,
/// and counts them into `report`.
fn store(
    state: &AppState,
    plan: &Plan<'_>,
    pending: Vec<Batch>,
    report: &mut ScaleReport,
) -> anyhow::Result<()> {
    let counts = state
        .store
        .write(move |conn| -> Result<[usize; 3], AppError> {
            let mut counts = [0; 3];
            for batch in pending {
                organisations::insert(conn, &batch.organisation)?;
                let certified: Vec<_> = batch
                    .certifying
                    .into_iter()
                    .map(|(i, events)| {
                        let parts = (
                            batch.cases[i].clone(),
                            batch.units[i].clone(),
                            plan.programme.clone(),
                        );
                        (parts, events)
                    })
                    .collect();
                organisations::insert_units(conn, batch.units)?;
                counts[0] += cases::insert_many(conn, batch.cases)?;
                counts[1] += events::insert_many(conn, batch.events)?;
                facts::insert_sessions(conn, batch.sessions)?;
                facts::insert_evidence_many(conn, batch.evidence)?;
                for (parts, events) in &certified {
                    counts[2] +=
                        issuance::follow(conn, &state.certificates, parts, &parts.0, events)?.len();
                }
            }
            Ok(counts)
        })?;
    report.cases += counts[0];
    report.events += counts[1];
    report.certificates += counts[2];
    Ok(())
}

/// The progress line on standard error: how far, how fast, how long still.
struct Progress {
    started: Instant,
    total: usize,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            started: Instant::now(),
            total,
        }
    }

    fn show(&mut self, report: &ScaleReport) {
        let seconds = self.started.elapsed().as_secs_f64();
        let share = report.cases as f64 / self.total.max(1) as f64;
        let left = if share > 0.0 {
            seconds / share - seconds
        } else {
            0.0
        };
        eprint!(
            "\r[{bar:<30}] {pct:>3} %  {cases}/{total} cases, {events} events, {rate:.0} cases/s, {left:.0} s left ",
            bar = "#".repeat((share * 30.0) as usize),
            pct = (share * 100.0) as u32,
            cases = report.cases,
            total = self.total,
            events = report.events,
            rate = report.cases as f64 / seconds.max(0.001),
        );
    }
}

//! One case of the scale fixture, decided in memory: the domain's `decide` and
//! `evolve` on each command, as the command pipeline runs them, with the rows the
//! history writes kept here until the organisation's batch is stored.

use chrono::{DateTime, Duration, Utc};

use crate::app::error::AppError;
use crate::app::pipeline::target;
use crate::app::projection::{chain, changes_facts, new_row, row_with_state, NewRow};
use crate::domain::certificate::effect_of;
use crate::domain::event::{Change, Event};
use crate::domain::evolve::evolve_all;
use crate::domain::policy::{action_of, authorize};
use crate::domain::requirements::HeldSession;
use crate::domain::{decide, Actor, CaseFacts, CaseState, Command, Facts, ProgrammeRules};
use crate::store::rows::{CaseRow, EventRow, EvidenceRow, SessionRow};
use crate::store::to_db;

/// A case whose history is decided but not yet stored.
pub struct CaseBuild<'a> {
    rules: &'a ProgrammeRules,
    programme_key: &'a str,
    headcount: u32,
    pub row: CaseRow,
    state: CaseState,
    /// The counts the next command is decided on, kept as the store would load them.
    facts: CaseFacts,
    pub events: Vec<EventRow>,
    pub sessions: Vec<SessionRow>,
    pub evidence: Vec<EvidenceRow>,
    /// The events with an effect on the case's certificate, which issuance follows
    /// once the case is stored.
    pub certifying: Vec<Event>,
    /// The simulated time of the next command.
    pub now: DateTime<Utc>,
}

impl<'a> CaseBuild<'a> {
    /// A case not yet enrolled: `blank` is its row before the first event.
    pub fn new(
        blank: CaseRow,
        rules: &'a ProgrammeRules,
        programme_key: &'a str,
        headcount: u32,
        now: DateTime<Utc>,
    ) -> Self {
        CaseBuild {
            rules,
            programme_key,
            headcount,
            row: blank,
            state: CaseState::blank(),
            facts: CaseFacts::default(),
            events: Vec::new(),
            sessions: Vec::new(),
            evidence: Vec::new(),
            certifying: Vec::new(),
            now,
        }
    }

    /// Those working at the case's unit.
    pub fn headcount(&self) -> u32 {
        self.headcount
    }

    /// Decides `command` as the pipeline would, records what it writes, and moves the
    /// clock on by 20 hours.
    pub fn apply(&mut self, actor: &Actor, command: &Command) -> Result<(), AppError> {
        authorize(actor, action_of(command), &target(&self.row))?;
        let enrolled = self.row.version > 0;
        let blank = CaseFacts::default();
        let counts = if enrolled { &self.facts } else { &blank };
        let decided = decide(
            &self.state,
            actor,
            command,
            Facts {
                rules: self.rules,
                counts,
            },
            self.now,
        )?;
        let after = evolve_all(self.state.clone(), &decided);
        let rows = chain(
            &self.row.id,
            self.row.version,
            &self.row.last_hash,
            &decided,
        );
        let last_hash = rows
            .last()
            .map_or_else(|| self.row.last_hash.clone(), |e| e.hash.clone());
        self.row = row_with_state(&self.row, &after, self.programme_key, last_hash, self.now);
        for event in &decided {
            self.project(event)?;
        }
        self.events.extend(rows);
        self.state = after;
        self.facts.headcount = self.headcount;
        self.facts.reflections_completed = self.state.reflections_completed;
        self.facts.trained_completed = self.state.trained_completed;
        self.certifying.extend(
            decided
                .into_iter()
                .filter(|e| effect_of(&e.change).is_some()),
        );
        self.now += Duration::hours(20);
        Ok(())
    }

    /// What `event` writes beside the history, and the counts it changes, as
    /// `projection::project` and `facts::load` would have them. The fixture's commands
    /// project only sessions, their attendance and evidence; anything else is refused
    /// rather than silently left out.
    fn project(&mut self, event: &Event) -> Result<(), AppError> {
        match (&event.change, new_row(&self.row, event)) {
            (_, Some(NewRow::Session(row))) => self.sessions.push(row),
            (_, Some(NewRow::Evidence(row))) => {
                if row.cycle == self.row.cycle {
                    *self
                        .facts
                        .evidence_by_area
                        .entry(row.area.clone())
                        .or_insert(0) += 1;
                }
                self.evidence.push(row);
            }
            (
                Change::AttendanceRecorded {
                    session_id,
                    attended,
                },
                None,
            ) => {
                let cycle = self.row.cycle;
                let session = self
                    .sessions
                    .iter_mut()
                    .find(|s| &s.id == session_id)
                    .ok_or_else(|| AppError::Internal("attendance of an unknown session".into()))?;
                session.attended = Some(*attended as i32);
                session.updated_at = to_db(event.at);
                if *attended >= 1 && session.cycle == cycle && !session.cancelled {
                    self.facts.sessions.push(HeldSession {
                        kind: session.kind,
                        attended: *attended,
                        documented: session.notes.is_some(),
                    });
                }
            }
            (Change::Approved { findings, .. }, None) if findings.is_empty() => {}
            (change, None) if changes_facts(event) => {
                return Err(AppError::Internal(format!(
                    "the scale fixture does not project {}",
                    change.kind()
                )))
            }
            _ => {}
        }
        Ok(())
    }
}

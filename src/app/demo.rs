//! Demo data: real municipalities' programmes, units in every stage, a log-in per role.
//! Loaded through the same use cases as the API, so every case has a true history.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::app::auth::actor_of;
use crate::app::case_views::Case;
use crate::app::cases::{self, Precondition};
use crate::app::email::EmailAddress;
use crate::app::headcount::Headcount;
use crate::app::inputs::{
    Action, AreaKey, FindingInput, NewCase, NewEvidence, NewOrganisation, NewProgramme, NewSession,
    NewUnit, NewUser, RequirementInput, StageInput, Theme, TransitionRequest,
};
use crate::app::{organisations, users, AppState};
use crate::clock::{Clock, ManualClock};
use crate::domain::path::RequirementKind;
use crate::domain::requirements::threshold;
use crate::domain::{
    Actor, Language, Measure, ProgrammeRules, RequirementSpec, Role, SessionKind, Severity, Stage,
};
use crate::store::{programmes, users as user_rows};

mod city;
mod plan;

pub use plan::PLAN_TITLE;

/// The one password every demo log-in has.
pub const DEMO_PASSWORD: &str = "stegvis-demo-2026";

/// A demo user to sign in as.
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub name: String,
    pub note: String,
}

/// Loads the demo data unless the database already has users.
pub fn load_if_empty(state: &AppState) -> anyhow::Result<Option<Vec<DemoLogin>>> {
    let mut conn = state.store.conn()?;
    if user_rows::count(&mut conn)? > 0 {
        return Ok(None);
    }
    drop(conn);
    load(state).map(Some)
}

/// The log-ins, ready to print.
pub fn describe(logins: &[DemoLogin], public_url: &str) -> String {
    let mut out = format!(
        "\nStegvis demo data loaded. API: {public_url}/api/v1 (OpenAPI: {public_url}/api/v1/openapi.json)\n\
         Every demo user's password: {DEMO_PASSWORD}\n\n"
    );
    for login in logins {
        out.push_str(&format!(
            "  {:<13} {:<34} {} — {}\n",
            login.role.as_str(),
            login.email,
            login.name,
            login.note
        ));
    }
    out.push('\n');
    out
}

struct Demo {
    state: AppState,
    clock: Arc<ManualClock>,
    admin: Actor,
}

/// Loads the demo data into an empty database.
pub fn load(state: &AppState) -> anyhow::Result<Vec<DemoLogin>> {
    {
        let mut conn = state.store.conn()?;
        anyhow::ensure!(
            user_rows::count(&mut conn)? == 0,
            "the database already has users; demo data goes into an empty one"
        );
    }
    let real_now = state.now();
    let clock = Arc::new(ManualClock::new(real_now));
    let demo_state = AppState {
        clock: clock.clone() as Arc<dyn Clock>,
        ..state.clone()
    };
    let admin_user = super::users::create_unattended(
        &demo_state,
        new_user(
            "admin@stegvis.demo",
            "Alva Andersson",
            Role::Admin,
            None,
            None,
        ),
    )?;
    let admin = Actor {
        id: admin_user.id.clone(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    let demo = Demo {
        state: demo_state,
        clock,
        admin,
    };
    demo.populate(real_now)
}

fn new_user(
    email: &str,
    name: &str,
    role: Role,
    organisation_id: Option<String>,
    unit_id: Option<String>,
) -> NewUser {
    NewUser {
        email: EmailAddress::sent(email),
        name: name.into(),
        role,
        organisation_id,
        unit_id,
        language: Some(if email.starts_with("omar") {
            Language::En
        } else {
            Language::Sv
        }),
        password: Some(DEMO_PASSWORD.into()),
    }
}

impl Demo {
    fn user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        org: Option<String>,
        unit: Option<String>,
    ) -> anyhow::Result<Actor> {
        let user = users::create(
            &self.state,
            Some(&self.admin),
            new_user(email, name, role, org, unit),
        )
        .map_err(|e| anyhow::anyhow!("creating {email}: {e}"))?;
        let mut conn = self.state.store.conn()?;
        let row = user_rows::by_id(&mut conn, &user.id)?.context("the demo user vanished")?;
        Ok(actor_of(&row))
    }

    fn organisation(&self, name: &str, number: &str) -> anyhow::Result<String> {
        let org = organisations::create(
            &self.state,
            &self.admin,
            NewOrganisation {
                name: name.into(),
                org_number: Some(number.into()),
            },
        )
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        Ok(org.id)
    }

    fn unit(
        &self,
        org: &str,
        name: &str,
        department: &str,
        headcount: i64,
        contact: &str,
    ) -> anyhow::Result<(String, i64)> {
        let unit = organisations::create_unit(
            &self.state,
            &self.admin,
            org,
            NewUnit {
                name: name.into(),
                department: Some(department.into()),
                headcount: Headcount::parse("headcount", headcount)
                    .map_err(|e| anyhow::anyhow!("{name}: {}", e.message))?,
                contact_email: Some(EmailAddress::sent(contact)),
            },
        )
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        Ok((unit.id, headcount))
    }

    fn populate(&self, real_now: DateTime<Utc>) -> anyhow::Result<Vec<DemoLogin>> {
        let karin = self.user(
            "karin@stegvis.demo",
            "Karin Lindqvist",
            Role::Consultant,
            None,
            None,
        )?;
        let omar = self.user(
            "omar@stegvis.demo",
            "Omar Haddad",
            Role::Consultant,
            None,
            None,
        )?;
        let greta = self.user(
            "greta@stegvis.demo",
            "Greta Nordin",
            Role::Auditor,
            None,
            None,
        )?;
        let jarfalla = self.organisation("Järfälla kommun", "212000-0142")?;
        let molndal = self.organisation("Mölndals stad", "212000-1488")?;
        let goteborg = self.organisation("Göteborgs Stad", "212000-1355")?;
        let helsingborg = self.organisation("Helsingborgs stad", "212000-0969")?;

        let vuxen = self.unit(
            &jarfalla,
            "Vuxenenheten",
            "Socialförvaltningen",
            24,
            "vuxenenheten@jarfalla.example",
        )?;
        let barn = self.unit(
            &jarfalla,
            "Barn och unga",
            "Socialförvaltningen",
            31,
            "barnochunga@jarfalla.example",
        )?;
        let solbacken = self.unit(
            &molndal,
            "Äldreboendet Solbacken",
            "Vård- och omsorgsförvaltningen",
            42,
            "solbacken@molndal.example",
        )?;
        let hemtjanst = self.unit(
            &molndal,
            "Hemtjänst Centrum",
            "Vård- och omsorgsförvaltningen",
            35,
            "hemtjanst@molndal.example",
        )?;
        let fritid = self.unit(
            &goteborg,
            "Fritidsgården Hisingen",
            "Kultur och fritid",
            12,
            "fritid.hisingen@goteborg.example",
        )?;
        let angered = self.unit(
            &goteborg,
            "Socialtjänsten Angered",
            "Socialförvaltning Nordost",
            58,
            "angered@goteborg.example",
        )?;
        let ramlosa = self.unit(
            &helsingborg,
            "Vård och omsorg Ramlösa",
            "Vård- och omsorgsförvaltningen",
            27,
            "ramlosa@helsingborg.example",
        )?;
        let kulturskolan = self.unit(
            &helsingborg,
            "Kulturskolan",
            "Kultur",
            15,
            "kulturskolan@helsingborg.example",
        )?;

        let coordinator = self.user(
            "sara@jarfalla.example",
            "Sara Ek",
            Role::Coordinator,
            Some(jarfalla.clone()),
            None,
        )?;
        let contact = self.user(
            "lena@jarfalla.example",
            "Lena Holm",
            Role::UnitContact,
            None,
            Some(vuxen.0.clone()),
        )?;

        let days_ago = |d: i64| real_now - Duration::days(d);
        let samkrafter = self.programme(samkrafter())?;
        // (unit, consultant, started days ago, stage to reach, then)
        for (unit, consultant, started, reach, then) in [
            (&vuxen, &karin, 420, Stage::Certified, Then::Nothing),
            (&barn, &karin, 200, Stage::RoutineIntegration, Then::Nothing),
            (&solbacken, &omar, 60, Stage::ValueWorkshops, Then::Nothing),
            (&hemtjanst, &omar, 45, Stage::Kickoff, Then::Nothing),
            (
                &fritid,
                &karin,
                150,
                Stage::IndividualReflection,
                Then::Nothing,
            ),
            (&angered, &omar, 300, Stage::Audit, Then::Nothing),
            (&ramlosa, &karin, 330, Stage::Audit, Then::Return),
            (&kulturskolan, &omar, 90, Stage::ValueWorkshops, Then::Pause),
        ] {
            self.case(
                &samkrafter,
                unit,
                consultant,
                &greta,
                days_ago(started),
                reach,
                then,
            )?;
        }

        // Mölndal's FRAMM: each administration's manager group (1 to 50 managers).
        let framm = self.programme(framm())?;
        for (name, managers, started, reach) in [
            (
                "Förskoleförvaltningen, chefsgruppen",
                23,
                40,
                Stage::Kickoff,
            ),
            (
                "Social resursförvaltning, chefsgruppen",
                9,
                150,
                Stage::ValueWorkshops,
            ),
            (
                "Stadsbyggnadsförvaltningen, chefsgruppen",
                4,
                260,
                Stage::Audit,
            ),
            (
                "Vård- och omsorgsförvaltningen, chefsgruppen",
                48,
                400,
                Stage::Certified,
            ),
        ] {
            let unit = self.unit(
                &molndal,
                name,
                "Projekt FRAMM",
                managers,
                "framm@molndal.example",
            )?;
            self.case(
                &framm,
                &unit,
                &omar,
                &greta,
                days_ago(started),
                reach,
                Then::Nothing,
            )?;
        }

        // An RFSL-style HBTQI certification in Göteborg and Helsingborg.
        let rfsl = self.programme(rfsl())?;
        for (org, name, staff, started, reach) in [
            (
                &goteborg,
                "Ungdomsmottagningen Centrum",
                14,
                30,
                Stage::Kickoff,
            ),
            (
                &goteborg,
                "Biblioteket Frölunda",
                19,
                120,
                Stage::ValueWorkshops,
            ),
            (
                &helsingborg,
                "Stadsbiblioteket",
                33,
                220,
                Stage::RoutineIntegration,
            ),
            (
                &helsingborg,
                "Fritidsgården Drottninghög",
                11,
                300,
                Stage::Audit,
            ),
            (
                &goteborg,
                "Familjebehandlingen Väster",
                16,
                500,
                Stage::Certified,
            ),
        ] {
            let unit = self.unit(org, name, "HBTQI-certifiering", staff, "hbtqi@example.org")?;
            self.case(
                &rfsl,
                &unit,
                &karin,
                &greta,
                days_ago(started),
                reach,
                Then::Nothing,
            )?;
        }

        // Göteborg's human-rights workshops, each shaped for its audience.
        let mr = self.programme(mr_verkstader())?;
        let mut mr_units = Vec::new();
        for (name, staff, started, reach) in [
            ("Lokalvården Centrum", 38, 20, Stage::Kickoff),
            (
                "Hvitfeldtska gymnasiet, personalen",
                64,
                90,
                Stage::ValueWorkshops,
            ),
            ("Simhallen Valhalla", 22, 150, Stage::Audit),
            ("Äldreboendet Guldheden", 29, 200, Stage::Certified),
        ] {
            let unit = self.unit(
                &goteborg,
                name,
                "MR-verkstäder",
                staff,
                "mr@goteborg.example",
            )?;
            self.case(
                &mr,
                &unit,
                &karin,
                &greta,
                days_ago(started),
                reach,
                Then::Nothing,
            )?;
            mr_units.push(unit);
        }

        // Emerga's "Från vad till hur": training, workshops to find the processes,
        // coaching that counts.
        let vad = self.programme(fran_vad_till_hur())?;
        for (org, name, staff, started, reach) in [
            (
                &helsingborg,
                "Arbetsmarknadsförvaltningen",
                21,
                30,
                Stage::Kickoff,
            ),
            (
                &jarfalla,
                "Kultur, demokrati och fritid",
                17,
                110,
                Stage::ValueWorkshops,
            ),
            (
                &molndal,
                "Individ- och familjeomsorgen",
                26,
                220,
                Stage::RoutineIntegration,
            ),
            (
                &helsingborg,
                "Skol- och fritidsförvaltningen, ledningen",
                12,
                330,
                Stage::Audit,
            ),
            (
                &jarfalla,
                "Samhällsbyggnadsförvaltningen",
                19,
                420,
                Stage::Certified,
            ),
        ] {
            let unit = self.unit(org, name, "Från vad till hur", staff, "fvth@example.org")?;
            self.case(
                &vad,
                &unit,
                &omar,
                &greta,
                days_ago(started),
                reach,
                Then::Nothing,
            )?;
        }
        let boras_coordinator = self.emerga_round(&vad, &omar, &greta, real_now)?;
        self.clock.set(real_now);
        let manager = self.workshop_requests(&mr_units, &karin, real_now)?;
        super::demo_events::populate(
            &self.state,
            &self.admin,
            &helsingborg,
            &[ramlosa.0.as_str(), kulturskolan.0.as_str()],
            real_now,
        )
        .map_err(|e| anyhow::anyhow!("demo events: {e}"))?;
        let plan_owner = self.helsingborg_plan(&helsingborg, real_now)?;

        let login = |actor: &Actor, email: &str, name: &str, note: &str| DemoLogin {
            role: actor.role,
            email: email.into(),
            name: name.into(),
            note: note.into(),
        };
        Ok(vec![
            login(
                &self.admin,
                "admin@stegvis.demo",
                "Alva Andersson",
                "programme owner, sees everything",
            ),
            login(
                &karin,
                "karin@stegvis.demo",
                "Karin Lindqvist",
                "consultant for Järfälla, Göteborg, Helsingborg units",
            ),
            login(
                &omar,
                "omar@stegvis.demo",
                "Omar Haddad",
                "consultant (English) for Mölndal and others",
            ),
            login(
                &greta,
                "greta@stegvis.demo",
                "Greta Nordin",
                "auditor; two cases await her audit",
            ),
            login(
                &coordinator,
                "sara@jarfalla.example",
                "Sara Ek",
                "coordinator, Järfälla kommun",
            ),
            login(
                &contact,
                "lena@jarfalla.example",
                "Lena Holm",
                "contact of Vuxenenheten (certified)",
            ),
            login(
                &manager,
                "maria@goteborg.example",
                "Maria Berg",
                "manager in Göteborg who books workshops for her staff",
            ),
            login(
                &boras_coordinator,
                "anna@boras.example",
                "Anna Lund",
                "coordinator, Borås Stad, in Emerga's round",
            ),
            login(
                &plan_owner,
                "hanna.ek@helsingborg.example",
                "Hanna Ek",
                "responsible for actions in Helsingborg's plan for equal opportunities",
            ),
        ])
    }

    /// Creates a demo programme through the same use case as the API.
    fn programme(&self, spec: DemoProgramme) -> anyhow::Result<Running> {
        let name = spec.input.name.as_str().to_string();
        let programme = super::programmes::create(&self.state, &self.admin, spec.input)
            .map_err(|e| anyhow::anyhow!("programme {name}: {e}"))?;
        let mut conn = self.state.store.conn()?;
        let row =
            programmes::by_id(&mut conn, &programme.id)?.context("the demo programme vanished")?;
        Ok(Running {
            id: programme.id,
            rules: programmes::rules_of(&row)?,
            audience: spec.audience,
            themes: spec.themes,
        })
    }

    /// Enrols a unit at `start` and meets each stage's requirements on the programme's
    /// path until the case stands in `reach`.
    #[allow(clippy::too_many_arguments)]
    fn case(
        &self,
        programme: &Running,
        (unit_id, headcount): &(String, i64),
        consultant: &Actor,
        auditor: &Actor,
        start: DateTime<Utc>,
        reach: Stage,
        then: Then,
    ) -> anyhow::Result<()> {
        let err =
            |e: crate::app::error::AppError| anyhow::anyhow!("demo case for unit {unit_id}: {e}");
        self.clock.set(start);
        let state = &self.state;
        let mut case = cases::enrol(
            state,
            consultant,
            NewCase {
                unit_id: unit_id.clone(),
                programme_id: programme.id.clone(),
                consultant_id: None,
            },
        )
        .map_err(err)?;
        let path = &programme.rules.path;
        for stage in path.stages() {
            if stage == reach || stage == Stage::Certified {
                break;
            }
            self.clock.advance(Duration::days(14));
            if stage == Stage::Audit {
                case = self.transition(auditor, &case, Action::Approve, None, Some(vec![]))?;
                continue;
            }
            self.meet(programme, stage, consultant, &case.id, *headcount)?;
            case = cases::get(state, consultant, &case.id).map_err(err)?;
            case = if stage == path.before_audit() {
                self.transition(
                    consultant,
                    &case,
                    Action::RequestAudit,
                    Some(auditor.id.clone()),
                    None,
                )?
            } else {
                self.transition(consultant, &case, Action::Advance, None, None)?
            };
        }
        self.clock.advance(Duration::days(7));
        match then {
            Then::Nothing => {}
            Then::Pause => {
                self.transition(consultant, &case, Action::Pause, None, None)?;
            }
            Then::Return => {
                let findings = vec![
                    FindingInput {
                        severity: Severity::Minor,
                        area: Some("apt".into()),
                        text: "Ämnet finns på APT-dagordningen men protokollen saknar uppföljning."
                            .into(),
                    },
                    FindingInput {
                        severity: Severity::Observation,
                        area: Some("equality_plan".into()),
                        text: "Årets aktiva åtgärder är dokumenterade; analysen kan fördjupas."
                            .into(),
                    },
                ];
                self.transition(auditor, &case, Action::Return, None, Some(findings))?;
            }
        }
        Ok(())
    }

    /// Does what `stage` of the programme asks: sessions held (with notes where they
    /// must be documented), counts recorded, evidence added.
    fn meet(
        &self,
        programme: &Running,
        stage: Stage,
        consultant: &Actor,
        case_id: &str,
        headcount: i64,
    ) -> anyhow::Result<()> {
        let enough = |pct: u32| (i64::from(threshold(headcount as u32, pct)) + 1).min(headcount);
        for requirement in programme.rules.path.requirements(stage) {
            match requirement {
                RequirementSpec::SessionsHeld {
                    session_kind,
                    count,
                    attendance_pct,
                    documented,
                } => {
                    for n in 1..=*count {
                        let notes = documented.then(|| notes_for(*session_kind, n));
                        self.held_session(
                            consultant,
                            case_id,
                            DemoSession {
                                kind: *session_kind,
                                title: title_for(*session_kind, n, *count),
                                attended: attendance_pct.map_or(headcount.clamp(1, 3), enough),
                                audience: programme.audience.clone(),
                                themes: programme.themes.clone(),
                                notes,
                            },
                        )?;
                        self.clock.advance(Duration::days(10));
                    }
                }
                RequirementSpec::ShareOfStaff { measure, pct } => {
                    cases::record_measure(&self.state, consultant, case_id, *measure, enough(*pct))
                        .map_err(|e| anyhow::anyhow!("{}: {e}", measure.as_str()))?;
                }
                RequirementSpec::EvidenceInAreas { areas } => {
                    for area in areas {
                        cases::add_evidence(
                            &self.state,
                            consultant,
                            case_id,
                            NewEvidence {
                                area: area.clone(),
                                description: evidence_for(area).into(),
                                link: None,
                            },
                        )
                        .map_err(|e| anyhow::anyhow!("evidence {area}: {e}"))?;
                    }
                }
                // No demo programme asks for an action plan.
                RequirementSpec::ActionPlan => {}
            }
        }
        Ok(())
    }

    fn held_session(
        &self,
        consultant: &Actor,
        case_id: &str,
        session: DemoSession,
    ) -> anyhow::Result<()> {
        let starts = self.clock.now() - Duration::days(2);
        let title = session.title.clone();
        let scheduled = cases::schedule_session(
            &self.state,
            consultant,
            case_id,
            NewSession {
                kind: session.kind,
                title: session.title.into(),
                starts_at: starts.fixed_offset(),
                ends_at: (starts + Duration::hours(3)).fixed_offset(),
                location: Some("Kommunhuset, sal 2".into()),
                audience: session.audience.map(Into::into),
                themes: session.themes.into_iter().map(Theme).collect(),
                notes: session.notes,
            },
        )
        .map_err(|e| anyhow::anyhow!("{title}: {e}"))?;
        cases::record_attendance(
            &self.state,
            consultant,
            case_id,
            &scheduled.id,
            session.attended,
        )
        .map_err(|e| anyhow::anyhow!("{title}: {e}"))?;
        Ok(())
    }

    fn transition(
        &self,
        actor: &Actor,
        case: &Case,
        action: Action,
        auditor_id: Option<String>,
        findings: Option<Vec<FindingInput>>,
    ) -> anyhow::Result<Case> {
        cases::transition(
            &self.state,
            actor,
            &case.id,
            Precondition::Version(case.version),
            TransitionRequest {
                action,
                comment: None,
                auditor_id,
                findings,
            },
        )
        .map_err(|e| anyhow::anyhow!("demo transition {action:?}: {e}"))
    }
}

enum Then {
    Nothing,
    Pause,
    Return,
}

const EVIDENCE: [(&str, &str); 4] = [
    (
        "apt",
        "APT-protokoll där inkludering är en stående punkt sedan i våras.",
    ),
    (
        "work_environment",
        "Årlig uppföljning av SAM med frågor om bemötande och trygghet.",
    ),
    (
        "quality",
        "Rutin för synpunktshantering uppdaterad med normkritiskt perspektiv.",
    ),
    (
        "equality_plan",
        "Dokumenterade aktiva åtgärder: undersökning, analys, åtgärder och uppföljning.",
    ),
];

/// A demo programme as created, with the rules its cases are driven by.
struct Running {
    id: String,
    rules: ProgrammeRules,
    /// Who its sessions are shaped for, and the perspectives they build on.
    audience: Option<String>,
    themes: Vec<String>,
}

/// A demo programme to create: the API's input, and what its sessions are about.
struct DemoProgramme {
    input: NewProgramme,
    audience: Option<String>,
    themes: Vec<String>,
}

struct DemoSession {
    kind: SessionKind,
    title: String,
    attended: i64,
    audience: Option<String>,
    themes: Vec<String>,
    notes: Option<String>,
}

fn programme(
    key: &str,
    name: &str,
    description: &str,
    path: Option<Vec<StageInput>>,
) -> NewProgramme {
    NewProgramme {
        key: key.into(),
        name: name.into(),
        workshops_required: None,
        attendance_threshold_pct: None,
        reflection_threshold_pct: None,
        routine_areas: None,
        validity_months: None,
        stage_deadline_days: None,
        finding_due_days: None,
        surveillance_months: None,
        surveillance_grace_days: None,
        decision_by: None,
        description: Some(description.into()),
        path,
    }
}

fn stage(stage: Stage, deadline_days: i64, requirements: Vec<RequirementInput>) -> StageInput {
    StageInput {
        stage,
        deadline_days,
        requirements,
    }
}

fn requirement(kind: RequirementKind) -> RequirementInput {
    RequirementInput {
        kind,
        session_kind: None,
        count: None,
        attendance_pct: None,
        documented: None,
        measure: None,
        pct: None,
        areas: None,
    }
}

fn sessions(
    kind: SessionKind,
    count: i64,
    attendance_pct: Option<i64>,
    documented: bool,
) -> RequirementInput {
    RequirementInput {
        session_kind: Some(kind),
        count: Some(count),
        attendance_pct,
        documented: Some(documented),
        ..requirement(RequirementKind::SessionsHeld)
    }
}

fn share(measure: Measure, pct: i64) -> RequirementInput {
    RequirementInput {
        measure: Some(measure),
        pct: Some(pct),
        ..requirement(RequirementKind::ShareOfStaff)
    }
}

fn evidence(areas: &[&str]) -> RequirementInput {
    RequirementInput {
        areas: Some(areas.iter().map(|a| AreaKey((*a).into())).collect()),
        ..requirement(RequirementKind::EvidenceInAreas)
    }
}

/// Järfälla's and Samkrafter's certification: the flat fields' path.
fn samkrafter() -> DemoProgramme {
    DemoProgramme {
        input: programme(
            "samkrafter-hbtq",
            "Samkrafter HBTQ-certifiering",
            "Uppstart, fyra värderingsverkstäder, individuell reflektion och HBTQ-perspektivet i verksamhetens rutiner, granskat av en oberoende granskare.",
            None,
        ),
        audience: None,
        themes: vec!["Normer och bemötande".into()],
    }
}

/// Mölndal's FRAMM: a mapping, then four documented supervision sessions.
fn framm() -> DemoProgramme {
    let mut input = programme(
        "framm-handledning",
        "FRAMM handledning",
        "Varje förvaltning kartläggs först (intervju med förvaltningschefen, genomgång av styrdokument) och får sedan fyra dokumenterade handledningar i chefsgrupp på fokusområden som cheferna väljer, med helpdesk mellan tillfällena.",
        Some(vec![
            stage(Stage::Kickoff, 45, vec![sessions(SessionKind::Mapping, 1, None, true)]),
            stage(
                Stage::ValueWorkshops,
                240,
                vec![sessions(SessionKind::Supervision, 4, Some(80), true)],
            ),
            stage(Stage::Audit, 30, vec![]),
        ]),
    );
    input.validity_months = Some(24);
    DemoProgramme {
        input,
        audience: Some("Förvaltningens chefer".into()),
        themes: vec!["Likvärdig service".into(), "Arbetsgivarens ansvar".into()],
    }
}

/// An RFSL-style HBTQI certification: 80 % of the staff trained, a working group and
/// a three-year action plan.
fn rfsl() -> DemoProgramme {
    let mut input = programme(
        "hbtqi-certifiering",
        "HBTQI-certifiering",
        "Fyra utbildningstillfällen där minst 80 % av personalen utbildas, mål och en HBTQI-arbetsgrupp, och en treårig handlingsplan.",
        Some(vec![
            stage(Stage::Kickoff, 30, vec![sessions(SessionKind::Kickoff, 1, None, false)]),
            stage(
                Stage::ValueWorkshops,
                180,
                vec![
                    sessions(SessionKind::Training, 4, None, false),
                    share(Measure::Trained, 80),
                ],
            ),
            stage(
                Stage::RoutineIntegration,
                120,
                vec![evidence(&["working_group", "action_plan"])],
            ),
            stage(Stage::Audit, 30, vec![]),
        ]),
    );
    input.validity_months = Some(36);
    DemoProgramme {
        input,
        audience: None,
        themes: vec!["HBTQI-kunskap".into(), "Bemötande".into()],
    }
}

/// Göteborg's human-rights workshops, each shaped for its audience.
fn mr_verkstader() -> DemoProgramme {
    DemoProgramme {
        input: programme(
            "mr-verkstader",
            "MR-verkstäder",
            "Verkstäder om mänskliga rättigheter, formade för målgruppen och byggda på ett eller flera perspektiv: demokrati, likvärdig service och arbetsgivarens ansvar.",
            Some(vec![
                stage(Stage::Kickoff, 30, vec![sessions(SessionKind::Kickoff, 1, None, false)]),
                stage(
                    Stage::ValueWorkshops,
                    120,
                    vec![sessions(SessionKind::Workshop, 3, Some(70), true)],
                ),
                stage(Stage::Audit, 30, vec![]),
            ]),
        ),
        audience: Some("Verksamhetens medarbetare".into()),
        themes: vec!["Demokrati".into(), "Likvärdig service".into()],
    }
}

/// Emerga's "Från vad till hur": a full-day training, workshops to find the processes
/// that need change, and coaching sessions that count.
fn fran_vad_till_hur() -> DemoProgramme {
    DemoProgramme {
        input: programme(
            "fran-vad-till-hur",
            "Från vad till hur",
            "En heldagsutbildning, verkstäder där verksamheten hittar de processer som behöver ändras, och löpande coachning medan ändringarna görs.",
            Some(vec![
                stage(Stage::Kickoff, 30, vec![sessions(SessionKind::Training, 1, Some(60), false)]),
                stage(
                    Stage::ValueWorkshops,
                    120,
                    vec![sessions(SessionKind::Workshop, 2, None, true)],
                ),
                stage(
                    Stage::RoutineIntegration,
                    180,
                    vec![
                        sessions(SessionKind::Coaching, 3, None, true),
                        evidence(&["process_change"]),
                    ],
                ),
                stage(Stage::Audit, 30, vec![]),
            ]),
        ),
        audience: Some("Ledningsgrupp och processägare".into()),
        themes: vec!["Likabehandling i processerna".into()],
    }
}

fn title_for(kind: SessionKind, n: u32, of: u32) -> String {
    let name = match kind {
        SessionKind::Kickoff => "Uppstartsmöte",
        SessionKind::Workshop => "Verkstad",
        SessionKind::Supervision => "Handledning",
        SessionKind::Coaching => "Coachning",
        SessionKind::Mapping => "Kartläggning",
        SessionKind::Training => "Utbildning",
        SessionKind::LearningMeeting => "Lärträff",
    };
    if of == 1 {
        name.to_string()
    } else {
        format!("{name} {n}")
    }
}

/// Notes that read like real ones: about the group's work, never about a person.
fn notes_for(kind: SessionKind, n: u32) -> String {
    let text = match (kind, n) {
        (SessionKind::Mapping, _) => "Intervju med förvaltningschefen och genomgång av styrdokument och verksamhetsplan. Likabehandling nämns i visionen men saknas i rutinerna för rekrytering och introduktion. Cheferna vill börja med bemötande i mötet med medborgare.",
        (SessionKind::Supervision, 1) => "Gruppen valde fokusområdet bemötande vid första kontakt. Vi gick igenom två situationer från verksamheten och formulerade frågor att ta med till nästa tillfälle. Helpdesk öppen för frågor om formuleringar i brev och e-post.",
        (SessionKind::Supervision, 2) => "Uppföljning av hemuppgiften: fyra enheter har gått igenom sina mallar för brev. Gruppen diskuterade hur frågor om familj ställs och enades om neutrala formuleringar. Avstämning efter halva tiden: gruppen vill lägga mer tid på introduktion av nyanställda.",
        (SessionKind::Supervision, 3) => "Introduktion av nyanställda: gruppen gick igenom checklistan och lade till likabehandling som egen punkt. Diskussion om hur chefen följer upp att punkten tas upp.",
        (SessionKind::Supervision, _) => "Avslutande handledning: gruppen gick igenom vad som ändrats sedan kartläggningen och vad som återstår. Förslag till styrgruppen: gör bemötandefrågorna till en stående punkt på ledningsgruppens möten.",
        (SessionKind::Workshop, _) => "Verkstaden utgick från verksamhetens egna exempel. Gruppen listade tre processer där likabehandling kan stärkas och valde en att arbeta vidare med till nästa gång.",
        (SessionKind::Coaching, _) => "Coachning kring den valda processen: gruppen har ritat upp flödet, hittat två beslutspunkter där bedömningar kan skilja sig åt och tagit fram en gemensam bedömningsmall att pröva under månaden.",
        _ => "Gruppen arbetade med tillfällets tema och kom överens om nästa steg i verksamheten.",
    };
    text.to_string()
}

fn evidence_for(area: &str) -> &'static str {
    EVIDENCE
        .iter()
        .find(|(key, _)| *key == area)
        .map(|(_, text)| *text)
        .unwrap_or(match area {
            "working_group" => "HBTQI-arbetsgruppen har mandat från ledningen och träffas varje månad; minnesanteckningarna är bifogade.",
            "action_plan" => "Treårig handlingsplan med mål, ansvariga och uppföljning, antagen i ledningsgruppen.",
            "process_change" => "Den ändrade processbeskrivningen för handläggning, med den nya bedömningsmallen inlagd.",
            _ => "Dokumentation av hur arbetet förs in i verksamhetens rutiner.",
        })
}

//! Demo data: real municipalities' programmes, units in every stage, a log-in per role.
//! Loaded through the same use cases as the API, so every case has a true history.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::app::auth::actor_of;
use crate::app::case_views::Case;
use crate::app::cases::{self, Precondition};
use crate::app::inputs::{
    Action, FindingInput, NewCase, NewEvidence, NewOrganisation, NewSession, NewUnit, NewUser,
    TransitionRequest,
};
use crate::app::{organisations, users, AppState};
use crate::clock::{Clock, ManualClock};
use crate::domain::requirements::threshold;
use crate::domain::{Actor, Language, Measure, Role, SessionKind, Severity, Stage};
use crate::store::{programmes, users as user_rows};

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
        email: email.into(),
        name: name.into(),
        role,
        organisation_id,
        unit_id,
        language: Some(if email.starts_with("omar") {
            Language::En
        } else {
            Language::Sv
        }),
        password: DEMO_PASSWORD.into(),
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
                headcount,
                contact_email: Some(contact.into()),
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

        let programme_id = {
            let mut conn = self.state.store.conn()?;
            programmes::latest_by_key(&mut conn, crate::domain::programme::DEFAULT_PROGRAMME_KEY)?
                .context("the default programme is missing")?
                .id
        };
        let days_ago = |d: i64| real_now - Duration::days(d);
        // (unit, consultant, started days ago, stage to reach, then)
        self.case(
            &programme_id,
            &vuxen,
            &karin,
            &greta,
            days_ago(420),
            Stage::Certified,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &barn,
            &karin,
            &greta,
            days_ago(200),
            Stage::RoutineIntegration,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &solbacken,
            &omar,
            &greta,
            days_ago(60),
            Stage::ValueWorkshops,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &hemtjanst,
            &omar,
            &greta,
            days_ago(45),
            Stage::Kickoff,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &fritid,
            &karin,
            &greta,
            days_ago(150),
            Stage::IndividualReflection,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &angered,
            &omar,
            &greta,
            days_ago(300),
            Stage::Audit,
            Then::Nothing,
        )?;
        self.case(
            &programme_id,
            &ramlosa,
            &karin,
            &greta,
            days_ago(330),
            Stage::Audit,
            Then::Return,
        )?;
        self.case(
            &programme_id,
            &kulturskolan,
            &omar,
            &greta,
            days_ago(90),
            Stage::ValueWorkshops,
            Then::Pause,
        )?;
        self.clock.set(real_now);

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
        ])
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        &self,
        programme_id: &str,
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
                programme_id: programme_id.to_string(),
                consultant_id: None,
            },
        )
        .map_err(err)?;
        let enough = |pct: u32| i64::from(threshold(*headcount as u32, pct)) + 1;
        let steps = [
            Stage::Kickoff,
            Stage::ValueWorkshops,
            Stage::IndividualReflection,
            Stage::RoutineIntegration,
            Stage::Audit,
        ];
        for stage in steps {
            if stage == reach {
                break;
            }
            self.clock.advance(Duration::days(14));
            match stage {
                Stage::Kickoff => {
                    self.held_session(
                        consultant,
                        &case.id,
                        SessionKind::Kickoff,
                        "Uppstartsmöte",
                        enough(80).min(*headcount),
                    )?;
                }
                Stage::ValueWorkshops => {
                    for n in 1..=4 {
                        self.held_session(
                            consultant,
                            &case.id,
                            SessionKind::Workshop,
                            &format!("Värderingsverkstad {n}"),
                            enough(80).min(*headcount),
                        )?;
                        self.clock.advance(Duration::days(10));
                    }
                }
                Stage::IndividualReflection => {
                    case = cases::record_measure(
                        state,
                        consultant,
                        &case.id,
                        Measure::Reflections,
                        enough(80).min(*headcount),
                    )
                    .map_err(err)?;
                }
                Stage::RoutineIntegration => {
                    for (area, text) in EVIDENCE {
                        cases::add_evidence(
                            state,
                            consultant,
                            &case.id,
                            NewEvidence {
                                area: area.into(),
                                description: text.into(),
                                link: None,
                            },
                        )
                        .map_err(err)?;
                    }
                    case = cases::get(state, consultant, &case.id).map_err(err)?;
                    case = self.transition(
                        consultant,
                        &case,
                        Action::RequestAudit,
                        Some(auditor.id.clone()),
                        None,
                    )?;
                    continue;
                }
                Stage::Audit => {
                    case = self.transition(auditor, &case, Action::Approve, None, Some(vec![]))?;
                    continue;
                }
                Stage::Certified => {}
            }
            case = cases::get(state, consultant, &case.id).map_err(err)?;
            case = self.transition(consultant, &case, Action::Advance, None, None)?;
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

    fn held_session(
        &self,
        consultant: &Actor,
        case_id: &str,
        kind: SessionKind,
        title: &str,
        attended: i64,
    ) -> anyhow::Result<()> {
        let starts = self.clock.now() - Duration::days(2);
        let session = cases::schedule_session(
            &self.state,
            consultant,
            case_id,
            NewSession {
                kind,
                title: title.into(),
                starts_at: starts.fixed_offset(),
                ends_at: (starts + Duration::hours(3)).fixed_offset(),
                location: Some("Kommunhuset, sal 2".into()),
                audience: None,
                themes: Vec::new(),
                notes: None,
            },
        )
        .map_err(|e| anyhow::anyhow!("{title}: {e}"))?;
        cases::record_attendance(&self.state, consultant, case_id, &session.id, attended)
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

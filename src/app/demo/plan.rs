//! Helsingborg's plan for equal opportunities: 17 actions on the city's own themes
//! (reaching the last 20 %, the language of communication, physical and technical
//! barriers, recruitment …), each carried out by someone in an administration and
//! followed up by one of twelve coordinators. Statuses and due dates are spread so
//! that some actions are overdue; a few have follow-ups. Made through the API's use
//! cases, so the plan's history is kept as any other's.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use super::Demo;
use crate::app::plan_inputs::{ActionPatch, NewAction, NewFollowUp, NewPlan};
use crate::app::plans;
use crate::clock::stockholm;
use crate::domain::plan::ActionStatus;
use crate::domain::{Actor, Role};

/// The plan's title.
pub const PLAN_TITLE: &str = "Plan för lika möjligheter 2026–2027";

/// (title, responsible's index, coordinator's index, status, due in days from today,
/// follow-up by the responsible person).
type Line = (
    &'static str,
    usize,
    usize,
    ActionStatus,
    i64,
    Option<&'static str>,
);

const ACTIONS: [Line; 17] = [
    (
        "Kartlägga vilka invånare som inte nås av stadens information – de sista 20 procenten",
        0,
        0,
        ActionStatus::InProgress,
        -20,
        Some("Enkäten är klar; intervjuer med föreningar i Drottninghög och Husensjö återstår."),
    ),
    (
        "Ta fram en plan för uppsökande arbete i de stadsdelar där färst svarar",
        0,
        1,
        ActionStatus::Planned,
        -5,
        None,
    ),
    (
        "Skriva en gemensam språkpolicy: klarspråk och ett inkluderande språk i all kommunikation",
        1,
        2,
        ActionStatus::InProgress,
        30,
        Some("Utkastet är ute på remiss hos förvaltningarnas kommunikatörer."),
    ),
    (
        "Översätta de tio mest lästa sidorna på helsingborg.se till lätt svenska och fem språk",
        1,
        2,
        ActionStatus::Done,
        -40,
        Some("Klart. Sidorna publicerades i augusti."),
    ),
    (
        "Erbjuda tolk och teckenspråkstolk vid alla öppna möten och lärträffar",
        2,
        3,
        ActionStatus::Planned,
        60,
        None,
    ),
    (
        "Inventera de fysiska hindren i stadens publika lokaler",
        3,
        4,
        ActionStatus::InProgress,
        -10,
        Some("Stadshuset och tre bibliotek är inventerade, simhallarna återstår."),
    ),
    (
        "Åtgärda de enkelt avhjälpta hindren i receptioner och mötesrum",
        3,
        4,
        ActionStatus::Planned,
        120,
        None,
    ),
    (
        "Granska stadens e-tjänster mot kraven på tillgänglighet (WCAG 2.1 AA)",
        4,
        5,
        ActionStatus::InProgress,
        14,
        None,
    ),
    (
        "Ge alla som publicerar på webben en utbildning i tillgänglig digital information",
        4,
        5,
        ActionStatus::Done,
        -60,
        None,
    ),
    (
        "Se över rekryteringsprocessen: kompetensbaserad rekrytering i alla förvaltningar",
        5,
        6,
        ActionStatus::InProgress,
        -3,
        Some("Sex av nio förvaltningar använder den nya mallen."),
    ),
    (
        "Anonymisera ansökningar i första urvalet vid chefsrekryteringar",
        5,
        6,
        ActionStatus::Planned,
        90,
        None,
    ),
    (
        "Följa upp lönekartläggningen och rätta osakliga löneskillnader",
        5,
        7,
        ActionStatus::Planned,
        45,
        None,
    ),
    (
        "Utbilda alla chefer i normkritiskt förhållningssätt och diskrimineringslagen",
        2,
        8,
        ActionStatus::InProgress,
        75,
        None,
    ),
    (
        "Införa lika möjligheter som stående punkt på arbetsplatsträffarna",
        6,
        9,
        ActionStatus::Done,
        -15,
        Some("Punkten finns i APT-mallen sedan september."),
    ),
    (
        "Ta fram ett stöd för att bemöta hat och hot mot medarbetare",
        6,
        10,
        ActionStatus::Dropped,
        10,
        None,
    ),
    (
        "Samla in synpunkter från funktionsrättsrådet och pensionärsrådet två gånger om året",
        7,
        11,
        ActionStatus::Planned,
        -30,
        None,
    ),
    (
        "Redovisa planens resultat i en årlig uppföljning till kommunstyrelsen",
        7,
        0,
        ActionStatus::Planned,
        200,
        None,
    ),
];

/// (e-mail, name) of the twelve coordinators, one in each administration.
const COORDINATORS: [(&str, &str); 12] = [
    ("malin.samordnare@helsingborg.example", "Malin Persson"),
    ("ahmed.samordnare@helsingborg.example", "Ahmed Yusuf"),
    ("sofia.samordnare@helsingborg.example", "Sofia Lindgren"),
    ("erik.samordnare@helsingborg.example", "Erik Johansson"),
    ("noor.samordnare@helsingborg.example", "Noor Al-Sayed"),
    ("karl.samordnare@helsingborg.example", "Karl Nyström"),
    ("ida.samordnare@helsingborg.example", "Ida Wallin"),
    ("jonas.samordnare@helsingborg.example", "Jonas Håkansson"),
    ("leila.samordnare@helsingborg.example", "Leila Rahimi"),
    ("oskar.samordnare@helsingborg.example", "Oskar Bengtsson"),
    ("petra.samordnare@helsingborg.example", "Petra Olofsson"),
    ("tove.samordnare@helsingborg.example", "Tove Åberg"),
];

/// (e-mail, name, unit name, administration) of those who carry the actions out.
const RESPONSIBLE: [(&str, &str, &str, &str); 8] = [
    (
        "hanna.ek@helsingborg.example",
        "Hanna Ek",
        "Medborgarservice",
        "Stadsledningsförvaltningen",
    ),
    (
        "mats.lind@helsingborg.example",
        "Mats Lind",
        "Kommunikationsavdelningen",
        "Stadsledningsförvaltningen",
    ),
    (
        "yasmin.ali@helsingborg.example",
        "Yasmin Ali",
        "Kultur och fritid, ledningen",
        "Kulturförvaltningen",
    ),
    (
        "per.sandberg@helsingborg.example",
        "Per Sandberg",
        "Fastighetsförvaltningen, förvaltning",
        "Fastighetsförvaltningen",
    ),
    (
        "linnea.strom@helsingborg.example",
        "Linnéa Ström",
        "Digitalisering",
        "Stadsledningsförvaltningen",
    ),
    (
        "fatima.omar@helsingborg.example",
        "Fatima Omar",
        "HR-avdelningen",
        "Stadsledningsförvaltningen",
    ),
    (
        "anders.berg@helsingborg.example",
        "Anders Berg",
        "Vård och omsorg, ledningen",
        "Vård- och omsorgsförvaltningen",
    ),
    (
        "eva.holm@helsingborg.example",
        "Eva Holm",
        "Socialförvaltningen, ledningen",
        "Socialförvaltningen",
    ),
];

impl Demo {
    /// Helsingborg's plan with its 17 actions; the person responsible for the first
    /// action, to sign in as.
    pub(super) fn helsingborg_plan(
        &self,
        helsingborg: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Actor> {
        let today = stockholm::today(now);
        let coordinators = COORDINATORS
            .iter()
            .map(|(email, name)| {
                self.user(
                    email,
                    name,
                    Role::Coordinator,
                    Some(helsingborg.to_string()),
                    None,
                )
            })
            .collect::<anyhow::Result<Vec<Actor>>>()?;
        let mut responsible = Vec::new();
        for (email, name, unit, administration) in RESPONSIBLE {
            let (unit_id, _) = self.unit(helsingborg, unit, administration, 12, email)?;
            responsible.push(self.user(email, name, Role::UnitContact, None, Some(unit_id))?);
        }
        let fail = |what: &str, e: crate::app::error::AppError| anyhow::anyhow!("{what}: {e}");
        let plan = plans::create(
            &self.state,
            &self.admin,
            helsingborg,
            NewPlan {
                title: PLAN_TITLE.into(),
                period_start: today - Duration::days(120),
                period_end: today + Duration::days(610),
                case_id: None,
            },
        )
        .map_err(|e| fail("Helsingborg's plan", e))?;
        for (title, who, coordinator, status, due, follow_up) in ACTIONS {
            let owner = responsible.get(who).context("a responsible person")?;
            let follower = coordinators.get(coordinator).context("a coordinator")?;
            let action = plans::add_action(
                &self.state,
                follower,
                &plan.id,
                NewAction {
                    title: title.into(),
                    description: None,
                    responsible_id: owner.id.clone(),
                    coordinator_id: Some(follower.id.clone()),
                    due_on: Some(today + Duration::days(due)),
                },
            )
            .map_err(|e| fail(title, e))?;
            if let Some(text) = follow_up {
                plans::follow_up(
                    &self.state,
                    owner,
                    &plan.id,
                    &action.id,
                    NewFollowUp { text: text.into() },
                )
                .map_err(|e| fail(title, e))?;
            }
            if status != ActionStatus::Planned {
                plans::update_action(
                    &self.state,
                    owner,
                    &plan.id,
                    &action.id,
                    ActionPatch {
                        title: None,
                        description: None,
                        status: Some(status),
                        due_on: None,
                        responsible_id: None,
                        coordinator_id: None,
                    },
                )
                .map_err(|e| fail(title, e))?;
            }
        }
        responsible
            .into_iter()
            .next()
            .context("a responsible person")
    }
}

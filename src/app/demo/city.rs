//! The city-wide part of the demo: Göteborg's workshop requests (one trainer runs
//! the workshops that managers book for their own staff) and Emerga's round "Från
//! vad till hur" with four partner organisations at once.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Demo, Running, Then};
use crate::app::cohort_inputs::NewCohort;
use crate::app::inputs::Theme;
use crate::app::workshop_inputs::{
    AcceptWorkshopRequest, DeclineWorkshopRequest, NewWorkshopRequest, ScheduleAs,
};
use crate::app::{cohorts, workshop_requests};
use crate::clock::stockholm;
use crate::domain::{Actor, Role, Stage};

impl Demo {
    /// Göteborg's managers ask for workshops for their own staff: three open, one
    /// accepted as a session by the trainer, one declined. `units` are the
    /// human-rights workshop units, the first one at kickoff.
    pub(super) fn workshop_requests(
        &self,
        units: &[(String, i64)],
        trainer: &Actor,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Actor> {
        let manager = |i: usize, email: &str, name: &str| {
            let unit = units.get(i).context("a workshop unit")?;
            self.user(email, name, Role::UnitContact, None, Some(unit.0.clone()))
        };
        let maria = manager(0, "maria@goteborg.example", "Maria Berg")?;
        let johan = manager(1, "johan@goteborg.example", "Johan Strand")?;
        let aisha = manager(2, "aisha@goteborg.example", "Aisha Karimi")?;
        let today = stockholm::today(now);
        let ask = |who: &Actor, audience: &str, days: &[i64], themes: &[&str], message: &str| {
            workshop_requests::create(
                &self.state,
                who,
                NewWorkshopRequest {
                    unit_id: None,
                    audience: audience.into(),
                    wished_dates: days.iter().map(|d| today + Duration::days(*d)).collect(),
                    perspectives: themes.iter().map(|t| Theme(t.to_string())).collect(),
                    message: Some(message.into()),
                },
            )
            .map_err(|e| anyhow::anyhow!("workshop request for {audience}: {e}"))
        };
        ask(
            &maria,
            "Lokalvårdarna på kvällsskiftet",
            &[12, 19],
            &["Normer", "Bemötande"],
            "Gärna kl. 15 när skiftet börjar.",
        )?;
        ask(
            &johan,
            "Lärarlaget i årskurs 1",
            &[21, 28, 35],
            &["Språk och kommunikation", "Tillgänglighet"],
            "Vi har APT varannan onsdag; då passar det bäst.",
        )?;
        ask(
            &aisha,
            "Badvärdarna",
            &[30],
            &["Bemötande", "Fysiska hinder"],
            "Några i gruppen är nya och har inte gått någon verkstad förut.",
        )?;
        let accepted = ask(
            &maria,
            "Arbetsledarna",
            &[8],
            &["Normer"],
            "Arbetsledarna vill gå före sina grupper.",
        )?;
        let at = |day: NaiveDate, hour: u32| {
            day.and_hms_opt(hour, 0, 0)
                .map(stockholm::from_local)
                .context("a demo time")
        };
        let day = today + Duration::days(8);
        workshop_requests::accept(
            &self.state,
            trainer,
            &accepted.id,
            AcceptWorkshopRequest {
                schedule_as: ScheduleAs::Session,
                unit_id: None,
                title: Some("MR-verkstad för arbetsledarna".into()),
                starts_at: at(day, 9)?,
                ends_at: at(day, 11)?,
                location: Some("Lokalvårdens lokal, Gårda".into()),
            },
        )
        .map_err(|e| anyhow::anyhow!("accepting a workshop request: {e}"))?;
        let declined = ask(
            &aisha,
            "Hela personalgruppen",
            &[3],
            &["Bemötande"],
            "Helst nästa vecka.",
        )?;
        workshop_requests::decline(
            &self.state,
            &self.admin,
            &declined.id,
            DeclineWorkshopRequest {
                reason: "Simhallen är stängd för renovering de veckorna; välj gärna datum efter sommaren."
                    .into(),
            },
        )
        .map_err(|e| anyhow::anyhow!("declining a workshop request: {e}"))?;
        Ok(maria)
    }

    /// Emerga's round: Borås, Vänersborg, Herrljunga and Finsam Göteborg, one unit
    /// and case each, in different stages, as one cohort; Borås's coordinator.
    pub(super) fn emerga_round(
        &self,
        programme: &Running,
        consultant: &Actor,
        auditor: &Actor,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Actor> {
        let mut members = Vec::new();
        for (name, number, unit, staff, started, reach) in [
            (
                "Borås Stad",
                "212000-1561",
                "Arbetslivsförvaltningen",
                23,
                300,
                Stage::RoutineIntegration,
            ),
            (
                "Vänersborgs kommun",
                "212000-1520",
                "Socialtjänsten",
                31,
                200,
                Stage::ValueWorkshops,
            ),
            (
                "Herrljunga kommun",
                "212000-1462",
                "Kommunledningsförvaltningen",
                9,
                40,
                Stage::Kickoff,
            ),
            (
                "Finsam Göteborg",
                "222000-1842",
                "Kansliet",
                7,
                330,
                Stage::Audit,
            ),
        ] {
            let organisation = self.organisation(name, number)?;
            let unit = self.unit(
                &organisation,
                unit,
                "Från vad till hur",
                staff,
                "fvth@example.org",
            )?;
            self.case(
                programme,
                &unit,
                consultant,
                auditor,
                now - Duration::days(started),
                reach,
                Then::Nothing,
            )?;
            members.push(organisation);
        }
        self.clock.set(now);
        let start = stockholm::today(now) - Duration::days(320);
        cohorts::create(
            &self.state,
            &self.admin,
            NewCohort {
                name: "Från vad till hur 2026".into(),
                programme_id: programme.id.clone(),
                period_start: start,
                period_end: start + Duration::days(365),
                organisation_ids: members.clone(),
            },
        )
        .map_err(|e| anyhow::anyhow!("Emerga's cohort: {e}"))?;
        let boras = members.first().context("Borås")?;
        self.user(
            "anna@boras.example",
            "Anna Lund",
            Role::Coordinator,
            Some(boras.clone()),
            None,
        )
    }
}

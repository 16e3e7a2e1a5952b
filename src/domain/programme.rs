//! The rules a programme version sets for its cases.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use super::field::{FieldCode, FieldError};
use super::path::Path;
use super::stage::Stage;
use super::values::Severity;

/// The key of the programme every deployment has from the start.
pub const DEFAULT_PROGRAMME_KEY: &str = "inclusion-standard";

/// The thresholds and deadlines of one programme version; a case is pinned to these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRules {
    pub workshops_required: u32,
    pub attendance_threshold_pct: u32,
    pub reflection_threshold_pct: u32,
    pub routine_areas: Vec<String>,
    pub validity_months: u32,
    pub stage_deadline_days: BTreeMap<Stage, u32>,
    /// The stages and requirements its cases work through; built from the fields
    /// above unless the programme sets its own.
    pub path: Path,
    /// Days a finding may stay open, by severity, from the audit that found it.
    pub finding_due_days: FindingDueDays,
    /// Months between surveillances of a certified case.
    pub surveillance_months: u32,
    /// Days a surveillance may be late before the certificate is suspended.
    pub surveillance_grace_days: u32,
    /// Whether the auditor's approval certifies or only recommends.
    pub decision_by: super::outcomes::DecisionBy,
}

/// Days a finding of each severity may stay open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FindingDueDays {
    pub major: u32,
    pub minor: u32,
    pub observation: u32,
}

impl Default for FindingDueDays {
    fn default() -> Self {
        FindingDueDays {
            major: 30,
            minor: 60,
            observation: 90,
        }
    }
}

impl FindingDueDays {
    pub fn of(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Major => self.major,
            Severity::Minor => self.minor,
            Severity::Observation => self.observation,
        }
    }
}

/// Months between surveillances when a programme does not say.
pub const DEFAULT_SURVEILLANCE_MONTHS: u32 = 12;
/// Days of grace for a late surveillance when a programme does not say.
pub const DEFAULT_SURVEILLANCE_GRACE_DAYS: u32 = 60;

/// The stages that have a deadline: every one a case works through.
pub const STAGES_WITH_DEADLINE: [Stage; 5] = [
    Stage::Kickoff,
    Stage::ValueWorkshops,
    Stage::IndividualReflection,
    Stage::RoutineIntegration,
    Stage::Audit,
];

impl ProgrammeRules {
    /// `inclusion-standard` version 1.
    pub fn inclusion_standard() -> Self {
        let mut rules = ProgrammeRules {
            workshops_required: 4,
            attendance_threshold_pct: 80,
            reflection_threshold_pct: 80,
            routine_areas: ["apt", "work_environment", "quality", "equality_plan"]
                .into_iter()
                .map(String::from)
                .collect(),
            validity_months: 36,
            stage_deadline_days: BTreeMap::from([
                (Stage::Kickoff, 30),
                (Stage::ValueWorkshops, 120),
                (Stage::IndividualReflection, 60),
                (Stage::RoutineIntegration, 120),
                (Stage::Audit, 30),
            ]),
            path: Path::from_flat(4, 80, 80, &[], |_| 30),
            finding_due_days: FindingDueDays::default(),
            surveillance_months: DEFAULT_SURVEILLANCE_MONTHS,
            surveillance_grace_days: DEFAULT_SURVEILLANCE_GRACE_DAYS,
            decision_by: super::outcomes::DecisionBy::Auditor,
        };
        rules.path = rules.flat_path();
        rules
    }

    /// The path the flat fields describe (today's six-stage certification).
    pub fn flat_path(&self) -> Path {
        Path::from_flat(
            self.workshops_required,
            self.attendance_threshold_pct,
            self.reflection_threshold_pct,
            &self.routine_areas,
            |stage| self.stage_deadline_days.get(&stage).copied().unwrap_or(0),
        )
    }

    /// These rules with the path their flat fields build (after changing a flat field).
    pub fn with_flat_path(mut self) -> Self {
        self.path = self.flat_path();
        self
    }

    /// True when the programme sets a path of its own rather than the flat one.
    pub fn has_own_path(&self) -> bool {
        self.path != self.flat_path()
    }

    /// Days a case may spend in `stage` before it is overdue; none for `certified`
    /// or a stage the path leaves out.
    pub fn deadline_days(&self, stage: Stage) -> Option<u32> {
        self.path.deadline_days(stage)
    }

    /// When a case entering `stage` at `from` is due to leave it; `None` where the
    /// stage has no deadline.
    pub fn due_at(&self, stage: Stage, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.deadline_days(stage)
            .map(|days| from + Duration::days(i64::from(days)))
    }

    /// The day a finding of `severity` found at `at` must be resolved by.
    pub fn finding_due_on(&self, severity: Severity, at: DateTime<Utc>) -> NaiveDate {
        (at + Duration::days(i64::from(self.finding_due_days.of(severity)))).date_naive()
    }

    /// When a surveillance is next due, counted from `from` (a certification or the
    /// last surveillance).
    pub fn next_surveillance(&self, from: DateTime<Utc>) -> DateTime<Utc> {
        from.checked_add_months(Months::new(self.surveillance_months))
            .unwrap_or(from)
    }

    /// The areas evidence may be filed under: the routine areas, and any area the
    /// path's requirements name.
    pub fn evidence_areas(&self) -> Vec<String> {
        let mut areas = self.routine_areas.clone();
        for area in self.path.evidence_areas() {
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        areas
    }

    /// Checks the whole rule set, naming each field that is out of range.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=50).contains(&self.workshops_required) {
            errors.push(
                FieldError::coded(
                    "workshops_required",
                    FieldCode::Range,
                    "must be between 1 and 50",
                )
                .with("min", 1)
                .with("max", 50),
            );
        }
        if !(1..=100).contains(&self.attendance_threshold_pct) {
            errors.push(
                FieldError::coded(
                    "attendance_threshold_pct",
                    FieldCode::Range,
                    "must be between 1 and 100",
                )
                .with("min", 1)
                .with("max", 100),
            );
        }
        if !(1..=100).contains(&self.reflection_threshold_pct) {
            errors.push(
                FieldError::coded(
                    "reflection_threshold_pct",
                    FieldCode::Range,
                    "must be between 1 and 100",
                )
                .with("min", 1)
                .with("max", 100),
            );
        }
        if !(1..=120).contains(&self.validity_months) {
            errors.push(
                FieldError::coded(
                    "validity_months",
                    FieldCode::Range,
                    "must be between 1 and 120",
                )
                .with("min", 1)
                .with("max", 120),
            );
        }
        for (field, days) in [
            ("finding_due_days.major", self.finding_due_days.major),
            ("finding_due_days.minor", self.finding_due_days.minor),
            (
                "finding_due_days.observation",
                self.finding_due_days.observation,
            ),
        ] {
            if !(1..=3650).contains(&days) {
                errors.push(
                    FieldError::coded(field, FieldCode::Range, "must be between 1 and 3650")
                        .with("min", 1)
                        .with("max", 3650),
                );
            }
        }
        if !(1..=60).contains(&self.surveillance_months) {
            errors.push(
                FieldError::coded(
                    "surveillance_months",
                    FieldCode::Range,
                    "must be between 1 and 60",
                )
                .with("min", 1)
                .with("max", 60),
            );
        }
        if !(1..=365).contains(&self.surveillance_grace_days) {
            errors.push(
                FieldError::coded(
                    "surveillance_grace_days",
                    FieldCode::Range,
                    "must be between 1 and 365",
                )
                .with("min", 1)
                .with("max", 365),
            );
        }
        if self.routine_areas.is_empty() || self.routine_areas.len() > 20 {
            errors.push(
                FieldError::coded(
                    "routine_areas",
                    FieldCode::AreaCount,
                    "must list between 1 and 20 areas",
                )
                .with("min", 1)
                .with("max", 20),
            );
        }
        for area in &self.routine_areas {
            if !is_key(area, 40) {
                errors.push(FieldError::coded(
                    "routine_areas",
                    FieldCode::AreaKey,
                    "each area is 1 to 40 characters of a-z, 0-9 and _",
                ));
                break;
            }
        }
        let mut sorted = self.routine_areas.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != self.routine_areas.len() {
            errors.push(FieldError::coded(
                "routine_areas",
                FieldCode::AreasUnique,
                "areas must be unique",
            ));
        }
        for stage in STAGES_WITH_DEADLINE {
            match self.stage_deadline_days.get(&stage) {
                Some(days) if (1..=3650).contains(days) => {}
                _ => errors.push(
                    FieldError::coded(
                        "stage_deadline_days",
                        FieldCode::StageDeadline,
                        format!(
                            "{} needs a deadline between 1 and 3650 days",
                            stage.as_str()
                        ),
                    )
                    .with("stage", stage.as_str())
                    .with("min", 1)
                    .with("max", 3650),
                ),
            }
        }
        if self.stage_deadline_days.contains_key(&Stage::Certified) {
            errors.push(FieldError::coded(
                "stage_deadline_days",
                FieldCode::CertifiedDeadline,
                "certified has no deadline",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A programme key: 1 to `max` characters of lowercase letters, digits, `-` and `_`.
pub fn is_key(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_programme_is_valid() {
        assert_eq!(ProgrammeRules::inclusion_standard().validate(), Ok(()));
    }

    #[test]
    fn a_programme_without_areas_names_the_field() {
        let mut rules = ProgrammeRules::inclusion_standard();
        rules.routine_areas.clear();
        let errors = rules.validate().unwrap_err();
        assert_eq!(errors[0].field, "routine_areas");
    }
}

//! The programme editor's form as typed: every stage (used or not) with its
//! requirements, the buttons that add and remove one, and the programme the API takes
//! from it. The form's fields are named by stage
//! (`value_workshops.requirements[0].count`); the API's errors, which name the path's
//! index (`path[1].requirements[0].count`), are put back on those fields.

use crate::app::error::AppError;
use crate::app::inputs::{AreaKey, NewProgramme, RequirementInput, StageInput};
use crate::app::programmes::Programme;
use crate::app::validation::checked;
use crate::domain::path::RequirementKind;
use crate::domain::{
    FieldCode, FieldError, Measure, ProgrammeRules, RequirementSpec, SessionKind, Stage, StagePlan,
};
use crate::http::web::forms::{whole_number, FormData, Unread};

/// The stages a path may have, in their fixed order.
const STAGES: [Stage; 5] = [
    Stage::Kickoff,
    Stage::ValueWorkshops,
    Stage::IndividualReflection,
    Stage::RoutineIntegration,
    Stage::Audit,
];

/// One requirement as typed.
#[derive(Debug, Clone)]
pub struct RequirementRow {
    pub kind: RequirementKind,
    pub session_kind: String,
    pub count: String,
    pub attendance_pct: String,
    pub documented: bool,
    pub measure: String,
    pub pct: String,
    pub areas: String,
}

/// One stage as typed; every stage is in the form, used or not.
#[derive(Debug, Clone)]
pub struct StageRow {
    pub stage: Stage,
    pub used: bool,
    pub deadline_days: String,
    pub requirements: Vec<RequirementRow>,
}

/// The whole form as typed.
#[derive(Debug, Clone)]
pub struct Draft {
    pub key: String,
    pub name: String,
    pub description: String,
    pub validity_months: String,
    pub stages: Vec<StageRow>,
}

/// What a button of the form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Save,
    Preview,
    Add(Stage, RequirementKind),
    Remove(Stage, usize),
}

impl Op {
    pub fn of(form: &FormData) -> Op {
        let op = form.text("op");
        let mut parts = op.split(':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("preview"), _, _) => Op::Preview,
            (Some("add"), Some(stage), Some(kind)) => {
                match (Stage::parse(stage), RequirementKind::parse(kind)) {
                    (Some(stage), Some(kind)) => Op::Add(stage, kind),
                    _ => Op::Preview,
                }
            }
            (Some("remove"), Some(stage), Some(index)) => {
                match (Stage::parse(stage), index.parse()) {
                    (Some(stage), Ok(index)) => Op::Remove(stage, index),
                    _ => Op::Preview,
                }
            }
            _ => Op::Save,
        }
    }
}

pub(super) fn optional_stage(stage: Stage) -> bool {
    !matches!(stage, Stage::Kickoff | Stage::Audit)
}

pub(super) fn field(stage: Stage, rest: &str) -> String {
    format!("{}.{rest}", stage.as_str())
}

pub(super) fn req_field(stage: Stage, j: usize, name: &str) -> String {
    format!("{}.requirements[{j}].{name}", stage.as_str())
}

impl RequirementRow {
    fn empty(kind: RequirementKind) -> RequirementRow {
        RequirementRow {
            kind,
            session_kind: SessionKind::Workshop.as_str().into(),
            count: String::new(),
            attendance_pct: String::new(),
            documented: false,
            measure: Measure::Reflections.as_str().into(),
            pct: String::new(),
            areas: String::new(),
        }
    }

    fn of(spec: &RequirementSpec) -> RequirementRow {
        match spec {
            RequirementSpec::SessionsHeld {
                session_kind,
                count,
                attendance_pct,
                documented,
            } => RequirementRow {
                session_kind: session_kind.as_str().into(),
                count: count.to_string(),
                attendance_pct: attendance_pct.map(|p| p.to_string()).unwrap_or_default(),
                documented: *documented,
                ..RequirementRow::empty(RequirementKind::SessionsHeld)
            },
            RequirementSpec::ShareOfStaff { measure, pct } => RequirementRow {
                measure: measure.as_str().into(),
                pct: pct.to_string(),
                ..RequirementRow::empty(RequirementKind::ShareOfStaff)
            },
            RequirementSpec::EvidenceInAreas { areas } => RequirementRow {
                areas: areas.join(", "),
                ..RequirementRow::empty(RequirementKind::EvidenceInAreas)
            },
            RequirementSpec::ActionPlan => RequirementRow::empty(RequirementKind::ActionPlan),
        }
    }
}

impl Draft {
    /// A form filled from `programme` (for its next version) or, for a new programme,
    /// from the default programme's path.
    pub fn of(programme: Option<&Programme>) -> Draft {
        let defaults = ProgrammeRules::inclusion_standard();
        let plans: &[StagePlan] = match programme {
            Some(p) => &p.path,
            None => defaults.path.plans(),
        };
        let stages = STAGES
            .iter()
            .map(|&stage| match plans.iter().find(|p| p.stage == stage) {
                Some(plan) => StageRow {
                    stage,
                    used: true,
                    deadline_days: plan.deadline_days.to_string(),
                    requirements: plan.requirements.iter().map(RequirementRow::of).collect(),
                },
                None => StageRow {
                    stage,
                    used: false,
                    deadline_days: defaults
                        .stage_deadline_days
                        .get(&stage)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    requirements: Vec::new(),
                },
            })
            .collect();
        Draft {
            key: programme.map(|p| p.key.clone()).unwrap_or_default(),
            name: programme.map(|p| p.name.clone()).unwrap_or_default(),
            description: programme
                .and_then(|p| p.description.clone())
                .unwrap_or_default(),
            validity_months: programme
                .map_or(defaults.validity_months, |p| p.validity_months)
                .to_string(),
            stages,
        }
    }

    /// The form as posted.
    pub fn read(form: &FormData) -> Draft {
        let stages = STAGES
            .iter()
            .map(|&stage| {
                let requirements = (0..=crate::domain::path::MAX_REQUIREMENTS)
                    .map_while(|j| {
                        let kind =
                            RequirementKind::parse(&form.text(&req_field(stage, j, "kind")))?;
                        let get = |name: &str| form.text(&req_field(stage, j, name));
                        Some(RequirementRow {
                            kind,
                            session_kind: get("session_kind"),
                            count: get("count"),
                            attendance_pct: get("attendance_pct"),
                            documented: get("documented") == "yes",
                            measure: get("measure"),
                            pct: get("pct"),
                            areas: get("areas"),
                        })
                    })
                    .collect();
                StageRow {
                    stage,
                    used: !optional_stage(stage) || form.text(&field(stage, "used")) == "yes",
                    deadline_days: form.text(&field(stage, "deadline_days")),
                    requirements,
                }
            })
            .collect();
        Draft {
            key: form.text("key"),
            name: form.text("name"),
            description: form.text("description"),
            validity_months: form.text("validity_months"),
            stages,
        }
    }

    /// Adds or removes a requirement as the button asked.
    pub fn apply(&mut self, op: &Op) {
        match op {
            Op::Add(stage, kind) if *stage != Stage::Audit => {
                if let Some(reqs) = self.requirements_of(*stage) {
                    if reqs.len() < crate::domain::path::MAX_REQUIREMENTS {
                        reqs.push(RequirementRow::empty(*kind));
                    }
                }
            }
            Op::Remove(stage, j) => {
                if let Some(reqs) = self.requirements_of(*stage) {
                    if *j < reqs.len() {
                        reqs.remove(*j);
                    }
                }
            }
            _ => {}
        }
    }

    fn requirements_of(&mut self, stage: Stage) -> Option<&mut Vec<RequirementRow>> {
        self.stages
            .iter_mut()
            .find(|s| s.stage == stage)
            .map(|s| &mut s.requirements)
    }

    /// The stages the programme uses, in order.
    pub(super) fn used(&self) -> impl Iterator<Item = &StageRow> {
        self.stages.iter().filter(|s| s.used)
    }

    /// The path as the API takes it; the fields that are not numbers are named.
    pub(super) fn path(&self, unread: &mut Unread) -> Vec<StageInput> {
        self.used()
            .map(|row| {
                let stage = row.stage;
                let deadline = unread.keep(whole_number(
                    &field(stage, "deadline_days"),
                    &row.deadline_days,
                ));
                let requirements = row
                    .requirements
                    .iter()
                    .enumerate()
                    .map(|(j, r)| requirement_input(stage, j, r, unread))
                    .collect();
                StageInput {
                    stage,
                    deadline_days: deadline.unwrap_or(0),
                    requirements,
                }
            })
            .collect()
    }

    /// The programme as the API takes it, checked as the API checks it. `key` is the
    /// key of the programme whose next version this is.
    pub fn input(&self, key: Option<&str>) -> Result<NewProgramme, AppError> {
        let mut unread = Unread::default();
        let validity = unread.keep(
            Some(self.validity_months.as_str())
                .filter(|v| !v.is_empty())
                .map(|v| whole_number("validity_months", v))
                .transpose(),
        );
        let path = self.path(&mut unread);
        let Some(validity_months) = validity else {
            return Err(unread.refusal());
        };
        if !unread.is_empty() {
            return Err(unread.refusal());
        }
        checked(NewProgramme {
            key: key.unwrap_or(&self.key).to_string(),
            name: self.name.clone().into(),
            workshops_required: None,
            attendance_threshold_pct: None,
            reflection_threshold_pct: None,
            routine_areas: None,
            validity_months,
            stage_deadline_days: None,
            finding_due_days: None,
            surveillance_months: None,
            surveillance_grace_days: None,
            decision_by: None,
            description: Some(self.description.clone()).filter(|d| !d.is_empty()),
            path: Some(path),
        })
    }

    /// An error of the API put on the form's field: `path[i]…` becomes the field of
    /// the i-th stage the programme uses; one area of a list names the list.
    pub fn field_of(&self, api_field: &str) -> String {
        let Some(rest) = api_field.strip_prefix("path[") else {
            return api_field.to_string();
        };
        let Some((index, rest)) = rest.split_once(']') else {
            return api_field.to_string();
        };
        let stage = index.parse::<usize>().ok().and_then(|i| self.used().nth(i));
        let Some(stage) = stage else {
            return api_field.to_string();
        };
        let rest = rest.trim_start_matches('.');
        let rest = match rest.find(".areas[") {
            Some(at) => format!("{}.areas", &rest[..at]),
            None if rest.is_empty() || rest == "stage" => "deadline_days".into(),
            None => rest.to_string(),
        };
        field(stage.stage, &rest)
    }
}

/// One requirement of the form as the API takes it; numbers that are not numbers
/// are kept in `unread`, an empty number is left out (the path's check names it).
fn requirement_input(
    stage: Stage,
    j: usize,
    r: &RequirementRow,
    unread: &mut Unread,
) -> RequirementInput {
    let mut number = |name: &str, value: &str| {
        if value.is_empty() {
            return None;
        }
        unread.keep(whole_number(&req_field(stage, j, name), value))
    };
    let mut input = RequirementInput {
        kind: r.kind,
        session_kind: None,
        count: None,
        attendance_pct: None,
        documented: None,
        measure: None,
        pct: None,
        areas: None,
    };
    match r.kind {
        RequirementKind::SessionsHeld => {
            input.count = number("count", &r.count);
            input.attendance_pct = number("attendance_pct", &r.attendance_pct);
            input.documented = Some(r.documented);
            input.session_kind = SessionKind::parse(&r.session_kind);
            if input.session_kind.is_none() {
                unread.keep::<()>(Err(required(stage, j, "session_kind")));
            }
        }
        RequirementKind::ShareOfStaff => {
            input.pct = number("pct", &r.pct);
            input.measure = Measure::parse(&r.measure);
            if input.measure.is_none() {
                unread.keep::<()>(Err(required(stage, j, "measure")));
            }
        }
        RequirementKind::EvidenceInAreas => {
            input.areas = Some(
                r.areas
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(|a| AreaKey(a.to_string()))
                    .collect(),
            );
        }
        RequirementKind::ActionPlan => {}
    }
    input
}

fn required(stage: Stage, j: usize, name: &str) -> FieldError {
    FieldError::coded(
        req_field(stage, j, name),
        FieldCode::Required,
        "must not be empty",
    )
}

//! A programme's path: which stages its cases work through, each stage's deadline, and
//! what each stage asks of a case before it may leave it, built from a small library
//! of requirement kinds. A programme made from the flat fields (workshops,
//! thresholds, routine areas) gets [`Path::from_flat`], the path every programme had
//! before paths existed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::field::{FieldCode, FieldError};
use super::stage::Stage;
use super::values::{Measure, SessionKind};

/// The most requirements one stage may ask for.
pub const MAX_REQUIREMENTS: usize = 10;

/// One stage of a path: its deadline and its requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StagePlan {
    pub stage: Stage,
    /// Days a case may spend in this stage before it is overdue (1 to 3650).
    pub deadline_days: u32,
    /// What the stage asks before a case leaves it; `audit` asks only the auditor's
    /// decision.
    pub requirements: Vec<RequirementSpec>,
}

/// A requirement from the library, as a programme sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequirementSpec {
    /// `count` sessions of `session_kind` in this cycle with attendance recorded, each
    /// attended by at least `attendance_pct` % of the headcount (when set) and with
    /// notes (when `documented`).
    SessionsHeld {
        session_kind: SessionKind,
        count: u32,
        attendance_pct: Option<u32>,
        documented: bool,
    },
    /// The measure's count is at least `pct` % of the headcount (rounded up).
    ShareOfStaff { measure: Measure, pct: u32 },
    /// Evidence in every one of `areas`.
    EvidenceInAreas { areas: Vec<String> },
    /// An action plan linked to the case with at least one action (any status).
    ActionPlan,
}

/// A checked path: stages in the fixed order, starting with `kickoff`, ending with
/// `audit` (`certified` follows it implicitly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(Vec<StagePlan>);

/// A requirement as a client wrote it, before it is checked: every field of every kind,
/// each optional, so that a misplaced field is named rather than ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequirementDraft {
    pub kind: Option<RequirementKind>,
    pub session_kind: Option<SessionKind>,
    pub count: Option<i64>,
    pub attendance_pct: Option<i64>,
    pub documented: Option<bool>,
    pub measure: Option<Measure>,
    pub pct: Option<i64>,
    pub areas: Option<Vec<String>>,
}

/// The names of the requirement kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    SessionsHeld,
    ShareOfStaff,
    EvidenceInAreas,
    ActionPlan,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 4] = [
        RequirementKind::SessionsHeld,
        RequirementKind::ShareOfStaff,
        RequirementKind::EvidenceInAreas,
        RequirementKind::ActionPlan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequirementKind::SessionsHeld => "sessions_held",
            RequirementKind::ShareOfStaff => "share_of_staff",
            RequirementKind::EvidenceInAreas => "evidence_in_areas",
            RequirementKind::ActionPlan => "action_plan",
        }
    }

    pub fn parse(s: &str) -> Option<RequirementKind> {
        RequirementKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A stage as a client wrote it, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageDraft {
    pub stage: Option<Stage>,
    pub deadline_days: Option<i64>,
    pub requirements: Vec<RequirementDraft>,
}

impl Path {
    /// The path of a programme made from flat fields: a kickoff held, the workshops at
    /// their attendance threshold, reflections at theirs, evidence in every routine
    /// area, audit. `deadline` gives each stage's days.
    pub fn from_flat(
        workshops_required: u32,
        attendance_threshold_pct: u32,
        reflection_threshold_pct: u32,
        routine_areas: &[String],
        deadline: impl Fn(Stage) -> u32,
    ) -> Path {
        let plan = |stage: Stage, requirements: Vec<RequirementSpec>| StagePlan {
            stage,
            deadline_days: deadline(stage),
            requirements,
        };
        Path(vec![
            plan(
                Stage::Kickoff,
                vec![RequirementSpec::SessionsHeld {
                    session_kind: SessionKind::Kickoff,
                    count: 1,
                    attendance_pct: None,
                    documented: false,
                }],
            ),
            plan(
                Stage::ValueWorkshops,
                vec![RequirementSpec::SessionsHeld {
                    session_kind: SessionKind::Workshop,
                    count: workshops_required,
                    attendance_pct: Some(attendance_threshold_pct),
                    documented: false,
                }],
            ),
            plan(
                Stage::IndividualReflection,
                vec![RequirementSpec::ShareOfStaff {
                    measure: Measure::Reflections,
                    pct: reflection_threshold_pct,
                }],
            ),
            plan(
                Stage::RoutineIntegration,
                vec![RequirementSpec::EvidenceInAreas {
                    areas: routine_areas.to_vec(),
                }],
            ),
            plan(Stage::Audit, Vec::new()),
        ])
    }

    /// A path read back from storage, checked as strictly as a new one.
    pub fn from_plans(plans: Vec<StagePlan>) -> Result<Path, Vec<FieldError>> {
        let drafts = plans.iter().map(StageDraft::from).collect::<Vec<_>>();
        Path::check(&drafts)
    }

    /// Checks a path as a client wrote it; every problem names its field, e.g.
    /// `path[1].requirements[0].count`.
    pub fn check(drafts: &[StageDraft]) -> Result<Path, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut plans = Vec::new();
        let mut previous: Option<Stage> = None;
        if drafts.is_empty() {
            errors.push(FieldError::coded(
                "path",
                FieldCode::KickoffFirst,
                "the path starts with kickoff",
            ));
        }
        for (i, draft) in drafts.iter().enumerate() {
            let at = format!("path[{i}]");
            let Some(stage) = draft.stage else {
                errors.push(FieldError::coded(
                    format!("{at}.stage"),
                    FieldCode::Required,
                    "must not be empty",
                ));
                continue;
            };
            if stage == Stage::Certified {
                errors.push(FieldError::coded(
                    format!("{at}.stage"),
                    FieldCode::NotInPath,
                    "certified follows audit by itself; leave it out of the path",
                ));
                continue;
            }
            if i == 0 && stage != Stage::Kickoff {
                errors.push(FieldError::coded(
                    format!("{at}.stage"),
                    FieldCode::KickoffFirst,
                    "the path starts with kickoff",
                ));
            }
            match previous {
                Some(p) if p == stage => errors.push(
                    FieldError::coded(
                        format!("{at}.stage"),
                        FieldCode::StageTwice,
                        format!("{} is already in the path", stage.as_str()),
                    )
                    .with("stage", stage.as_str()),
                ),
                Some(p) if p > stage => errors.push(
                    FieldError::coded(
                        format!("{at}.stage"),
                        FieldCode::StageOrder,
                        format!("{} cannot come after {}", stage.as_str(), p.as_str()),
                    )
                    .with("stage", stage.as_str())
                    .with("after", p.as_str()),
                ),
                _ => {}
            }
            previous = Some(previous.map_or(stage, |p| p.max(stage)));
            let deadline_days = match draft.deadline_days {
                Some(days) if (1..=3650).contains(&days) => days as u32,
                _ => {
                    errors.push(
                        FieldError::coded(
                            format!("{at}.deadline_days"),
                            FieldCode::Range,
                            "must be between 1 and 3650",
                        )
                        .with("min", 1)
                        .with("max", 3650),
                    );
                    0
                }
            };
            if stage == Stage::Audit && !draft.requirements.is_empty() {
                errors.push(FieldError::coded(
                    format!("{at}.requirements"),
                    FieldCode::AuditRequirements,
                    "the audit stage asks only for the auditor's decision",
                ));
            }
            if draft.requirements.len() > MAX_REQUIREMENTS {
                errors.push(
                    FieldError::coded(
                        format!("{at}.requirements"),
                        FieldCode::Range,
                        format!("at most {MAX_REQUIREMENTS} requirements per stage"),
                    )
                    .with("min", 0)
                    .with("max", MAX_REQUIREMENTS),
                );
            }
            let mut requirements: Vec<RequirementSpec> = Vec::new();
            for (j, req) in draft.requirements.iter().enumerate() {
                let field = format!("{at}.requirements[{j}]");
                match check_requirement(&field, req) {
                    Ok(spec) => {
                        if requirements.iter().any(|r| r.same_slot(&spec)) {
                            errors.push(FieldError::coded(
                                format!("{field}.kind"),
                                FieldCode::RequirementTwice,
                                "the stage already has this requirement",
                            ));
                        }
                        requirements.push(spec);
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
            plans.push(StagePlan {
                stage,
                deadline_days,
                requirements,
            });
        }
        if !drafts.is_empty() && !plans.iter().any(|p| p.stage == Stage::Audit) {
            errors.push(FieldError::coded(
                "path",
                FieldCode::AuditInPath,
                "the path ends with audit",
            ));
        }
        if errors.is_empty() {
            Ok(Path(plans))
        } else {
            Err(errors)
        }
    }

    /// The stages of the path in order, `certified` last.
    pub fn stages(&self) -> Vec<Stage> {
        self.0
            .iter()
            .map(|p| p.stage)
            .chain([Stage::Certified])
            .collect()
    }

    pub fn plans(&self) -> &[StagePlan] {
        &self.0
    }

    pub fn contains(&self, stage: Stage) -> bool {
        stage == Stage::Certified || self.0.iter().any(|p| p.stage == stage)
    }

    fn plan(&self, stage: Stage) -> Option<&StagePlan> {
        self.0.iter().find(|p| p.stage == stage)
    }

    /// Days a case may spend in `stage`; none for `certified` or a stage not on the path.
    pub fn deadline_days(&self, stage: Stage) -> Option<u32> {
        self.plan(stage).map(|p| p.deadline_days)
    }

    /// What `stage` asks of a case; nothing for a stage not on the path.
    pub fn requirements(&self, stage: Stage) -> &[RequirementSpec] {
        self.plan(stage).map_or(&[], |p| p.requirements.as_slice())
    }

    /// The stage `advance` leads to from `stage`: the next one on the path, unless that
    /// is `audit` (which `request_audit` enters) or `stage` is not on the path.
    pub fn next_by_advance(&self, stage: Stage) -> Option<Stage> {
        let i = self.0.iter().position(|p| p.stage == stage)?;
        match self.0.get(i + 1) {
            Some(next) if next.stage != Stage::Audit => Some(next.stage),
            _ => None,
        }
    }

    /// The stage `request_audit` is taken from, and `return` sends a case back to: the
    /// last one before `audit`.
    pub fn before_audit(&self) -> Stage {
        self.0
            .iter()
            .rev()
            .map(|p| p.stage)
            .find(|s| *s < Stage::Audit)
            .unwrap_or(Stage::Kickoff)
    }

    /// Where a renewal starts: the first stage after `kickoff`, or `kickoff` when the
    /// path goes straight to `audit`.
    pub fn renewal_stage(&self) -> Stage {
        self.0
            .iter()
            .map(|p| p.stage)
            .find(|s| *s > Stage::Kickoff && *s < Stage::Audit)
            .unwrap_or(Stage::Kickoff)
    }

    /// Where a case standing in `stage` lands on this path: the same stage, or the
    /// next one on the path when this path leaves it out.
    pub fn landing_stage(&self, stage: Stage) -> Stage {
        if self.contains(stage) {
            return stage;
        }
        self.0
            .iter()
            .map(|p| p.stage)
            .find(|s| *s > stage)
            .unwrap_or(Stage::Audit)
    }

    /// Every routine area a requirement of the path names, in order, without repeats.
    pub fn evidence_areas(&self) -> Vec<String> {
        let mut areas: Vec<String> = Vec::new();
        for plan in &self.0 {
            for req in &plan.requirements {
                if let RequirementSpec::EvidenceInAreas { areas: a } = req {
                    for area in a {
                        if !areas.contains(area) {
                            areas.push(area.clone());
                        }
                    }
                }
            }
        }
        areas
    }

    /// The path in English, for the criteria a credential states.
    pub fn criteria(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for plan in &self.0 {
            for req in &plan.requirements {
                parts.push(req.in_english());
            }
        }
        parts.push("approved by an independent auditor".into());
        let mut text = parts.join("; ");
        text.push('.');
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }
}

impl RequirementSpec {
    /// Two requirements that would measure the same thing (and share a key).
    fn same_slot(&self, other: &RequirementSpec) -> bool {
        use RequirementSpec::*;
        match (self, other) {
            (
                SessionsHeld {
                    session_kind: a, ..
                },
                SessionsHeld {
                    session_kind: b, ..
                },
            ) => a == b,
            (ShareOfStaff { measure: a, .. }, ShareOfStaff { measure: b, .. }) => a == b,
            (EvidenceInAreas { .. }, EvidenceInAreas { .. }) => true,
            (ActionPlan, ActionPlan) => true,
            _ => false,
        }
    }

    fn in_english(&self) -> String {
        match self {
            RequirementSpec::SessionsHeld {
                session_kind,
                count,
                attendance_pct,
                documented,
            } => {
                let mut s = format!(
                    "{count} {} session{} held",
                    session_kind.as_str().replace('_', " "),
                    if *count == 1 { "" } else { "s" }
                );
                if let Some(pct) = attendance_pct {
                    s.push_str(&format!(", each attended by at least {pct} % of the unit"));
                }
                if *documented {
                    s.push_str(", documented");
                }
                s
            }
            RequirementSpec::ShareOfStaff { measure, pct } => match measure {
                Measure::Reflections => {
                    format!("individual reflection completed by at least {pct} %")
                }
                Measure::Trained => format!("at least {pct} % of the staff trained"),
            },
            RequirementSpec::EvidenceInAreas { areas } => {
                format!("evidence in the routine areas {}", areas.join(", "))
            }
            RequirementSpec::ActionPlan => "an action plan with at least one action".into(),
        }
    }
}

impl From<&StagePlan> for StageDraft {
    fn from(plan: &StagePlan) -> StageDraft {
        StageDraft {
            stage: Some(plan.stage),
            deadline_days: Some(i64::from(plan.deadline_days)),
            requirements: plan
                .requirements
                .iter()
                .map(RequirementDraft::from)
                .collect(),
        }
    }
}

impl From<&RequirementSpec> for RequirementDraft {
    fn from(spec: &RequirementSpec) -> RequirementDraft {
        match spec {
            RequirementSpec::SessionsHeld {
                session_kind,
                count,
                attendance_pct,
                documented,
            } => RequirementDraft {
                kind: Some(RequirementKind::SessionsHeld),
                session_kind: Some(*session_kind),
                count: Some(i64::from(*count)),
                attendance_pct: attendance_pct.map(i64::from),
                documented: Some(*documented),
                ..RequirementDraft::default()
            },
            RequirementSpec::ShareOfStaff { measure, pct } => RequirementDraft {
                kind: Some(RequirementKind::ShareOfStaff),
                measure: Some(*measure),
                pct: Some(i64::from(*pct)),
                ..RequirementDraft::default()
            },
            RequirementSpec::EvidenceInAreas { areas } => RequirementDraft {
                kind: Some(RequirementKind::EvidenceInAreas),
                areas: Some(areas.clone()),
                ..RequirementDraft::default()
            },
            RequirementSpec::ActionPlan => RequirementDraft {
                kind: Some(RequirementKind::ActionPlan),
                ..RequirementDraft::default()
            },
        }
    }
}

fn range(field: String, value: Option<i64>, min: i64, max: i64) -> Result<u32, FieldError> {
    match value {
        Some(v) if (min..=max).contains(&v) => Ok(v as u32),
        Some(_) => Err(FieldError::coded(
            field,
            FieldCode::Range,
            format!("must be between {min} and {max}"),
        )
        .with("min", min)
        .with("max", max)),
        None => Err(FieldError::coded(
            field,
            FieldCode::Required,
            "must not be empty",
        )),
    }
}

fn required<T: Copy>(field: String, value: Option<T>) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::coded(field, FieldCode::Required, "must not be empty"))
}

/// Checks one requirement; `field` is its place, e.g. `path[1].requirements[0]`.
fn check_requirement(
    field: &str,
    req: &RequirementDraft,
) -> Result<RequirementSpec, Vec<FieldError>> {
    let Some(kind) = req.kind else {
        return Err(vec![FieldError::coded(
            format!("{field}.kind"),
            FieldCode::Required,
            "must not be empty",
        )]);
    };
    let mut errors = Vec::new();
    let used: &[&str] = match kind {
        RequirementKind::SessionsHeld => &["session_kind", "count", "attendance_pct", "documented"],
        RequirementKind::ShareOfStaff => &["measure", "pct"],
        RequirementKind::EvidenceInAreas => &["areas"],
        RequirementKind::ActionPlan => &[],
    };
    let given = [
        ("session_kind", req.session_kind.is_some()),
        ("count", req.count.is_some()),
        ("attendance_pct", req.attendance_pct.is_some()),
        ("documented", req.documented.is_some()),
        ("measure", req.measure.is_some()),
        ("pct", req.pct.is_some()),
        ("areas", req.areas.is_some()),
    ];
    for (name, present) in given {
        if present && !used.contains(&name) {
            errors.push(
                FieldError::coded(
                    format!("{field}.{name}"),
                    FieldCode::NotForKind,
                    format!("{} does not use {name}", kind.as_str()),
                )
                .with("kind", kind.as_str()),
            );
        }
    }
    let spec = match kind {
        RequirementKind::SessionsHeld => {
            let session_kind = required(format!("{field}.session_kind"), req.session_kind);
            let count = range(format!("{field}.count"), req.count, 1, 50);
            let pct = match req.attendance_pct {
                None => Ok(None),
                given => range(format!("{field}.attendance_pct"), given, 1, 100).map(Some),
            };
            match (session_kind, count, pct) {
                (Ok(session_kind), Ok(count), Ok(attendance_pct)) => {
                    Some(RequirementSpec::SessionsHeld {
                        session_kind,
                        count,
                        attendance_pct,
                        documented: req.documented.unwrap_or(false),
                    })
                }
                (a, b, c) => {
                    errors.extend(a.err());
                    errors.extend(b.err());
                    errors.extend(c.err());
                    None
                }
            }
        }
        RequirementKind::ShareOfStaff => {
            let measure = required(format!("{field}.measure"), req.measure);
            let pct = range(format!("{field}.pct"), req.pct, 1, 100);
            match (measure, pct) {
                (Ok(measure), Ok(pct)) => Some(RequirementSpec::ShareOfStaff { measure, pct }),
                (a, b) => {
                    errors.extend(a.err());
                    errors.extend(b.err());
                    None
                }
            }
        }
        RequirementKind::EvidenceInAreas => {
            let at = format!("{field}.areas");
            match &req.areas {
                None => {
                    errors.push(FieldError::coded(
                        at,
                        FieldCode::Required,
                        "must not be empty",
                    ));
                    None
                }
                Some(areas) => match check_areas(&at, areas) {
                    Ok(()) => Some(RequirementSpec::EvidenceInAreas {
                        areas: areas.clone(),
                    }),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                },
            }
        }
        RequirementKind::ActionPlan => Some(RequirementSpec::ActionPlan),
    };
    match spec {
        Some(spec) if errors.is_empty() => Ok(spec),
        _ => Err(errors),
    }
}

/// 1 to 20 distinct area keys of a-z, 0-9 and _.
pub fn check_areas(field: &str, areas: &[String]) -> Result<(), FieldError> {
    if areas.is_empty() || areas.len() > 20 {
        return Err(FieldError::coded(
            field,
            FieldCode::AreaCount,
            "must list between 1 and 20 areas",
        )
        .with("min", 1)
        .with("max", 20));
    }
    if !areas.iter().all(|a| is_area_key(a)) {
        return Err(FieldError::coded(
            field,
            FieldCode::AreaKey,
            "each area is 1 to 40 characters of a-z, 0-9 and _",
        ));
    }
    let mut sorted = areas.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != areas.len() {
        return Err(FieldError::coded(
            field,
            FieldCode::AreasUnique,
            "areas must be unique",
        ));
    }
    Ok(())
}

fn is_area_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(kind: SessionKind, count: i64) -> RequirementDraft {
        RequirementDraft {
            kind: Some(RequirementKind::SessionsHeld),
            session_kind: Some(kind),
            count: Some(count),
            ..RequirementDraft::default()
        }
    }

    fn stage(stage: Stage, requirements: Vec<RequirementDraft>) -> StageDraft {
        StageDraft {
            stage: Some(stage),
            deadline_days: Some(30),
            requirements,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_framm_path_is_valid_and_skips_the_stages_it_leaves_out() {
        let path = Path::check(&[
            stage(Stage::Kickoff, vec![sessions(SessionKind::Mapping, 1)]),
            stage(
                Stage::ValueWorkshops,
                vec![sessions(SessionKind::Supervision, 4)],
            ),
            stage(Stage::Audit, vec![]),
        ])
        .unwrap();
        assert_eq!(
            path.next_by_advance(Stage::Kickoff),
            Some(Stage::ValueWorkshops)
        );
        assert_eq!(path.next_by_advance(Stage::ValueWorkshops), None);
        assert_eq!(path.before_audit(), Stage::ValueWorkshops);
        assert_eq!(path.renewal_stage(), Stage::ValueWorkshops);
        assert_eq!(path.landing_stage(Stage::RoutineIntegration), Stage::Audit);
        assert_eq!(
            path.landing_stage(Stage::IndividualReflection),
            Stage::Audit
        );
        assert_eq!(
            path.stages(),
            vec![
                Stage::Kickoff,
                Stage::ValueWorkshops,
                Stage::Audit,
                Stage::Certified
            ]
        );
    }

    #[test]
    fn bad_paths_name_the_field() {
        let out_of_order = Path::check(&[
            stage(Stage::Kickoff, vec![]),
            stage(Stage::RoutineIntegration, vec![]),
            stage(Stage::ValueWorkshops, vec![]),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(fields(out_of_order.unwrap_err()), ["path[2].stage"]);
        let twice = Path::check(&[
            stage(Stage::Kickoff, vec![]),
            stage(Stage::Kickoff, vec![]),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(fields(twice.unwrap_err()), ["path[1].stage"]);
        let count = Path::check(&[
            stage(Stage::Kickoff, vec![]),
            stage(
                Stage::ValueWorkshops,
                vec![sessions(SessionKind::Workshop, 0)],
            ),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(
            fields(count.unwrap_err()),
            ["path[1].requirements[0].count"]
        );
        let over = Path::check(&[
            stage(Stage::Kickoff, vec![sessions(SessionKind::Kickoff, 51)]),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(fields(over.unwrap_err()), ["path[0].requirements[0].count"]);
        let pct = Path::check(&[
            stage(
                Stage::Kickoff,
                vec![RequirementDraft {
                    kind: Some(RequirementKind::ShareOfStaff),
                    measure: Some(Measure::Trained),
                    pct: Some(101),
                    ..RequirementDraft::default()
                }],
            ),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(fields(pct.unwrap_err()), ["path[0].requirements[0].pct"]);
        let dup_areas = Path::check(&[
            stage(
                Stage::Kickoff,
                vec![RequirementDraft {
                    kind: Some(RequirementKind::EvidenceInAreas),
                    areas: Some(vec!["apt".into(), "apt".into()]),
                    ..RequirementDraft::default()
                }],
            ),
            stage(Stage::Audit, vec![]),
        ]);
        let errors = dup_areas.unwrap_err();
        assert_eq!(errors[0].field, "path[0].requirements[0].areas");
        assert_eq!(errors[0].code, FieldCode::AreasUnique);
        let no_audit = Path::check(&[stage(Stage::Kickoff, vec![])]);
        assert_eq!(fields(no_audit.unwrap_err()), ["path"]);
        let misplaced = Path::check(&[
            stage(
                Stage::Kickoff,
                vec![RequirementDraft {
                    pct: Some(80),
                    ..sessions(SessionKind::Kickoff, 1)
                }],
            ),
            stage(Stage::Audit, vec![]),
        ]);
        assert_eq!(
            fields(misplaced.unwrap_err()),
            ["path[0].requirements[0].pct"]
        );
    }

    #[test]
    fn the_flat_path_reads_back_from_its_plans() {
        let areas = vec!["apt".to_string(), "quality".to_string()];
        let path = Path::from_flat(4, 80, 80, &areas, |_| 30);
        assert_eq!(Path::from_plans(path.plans().to_vec()), Ok(path.clone()));
        assert_eq!(path.before_audit(), Stage::RoutineIntegration);
        assert_eq!(path.renewal_stage(), Stage::ValueWorkshops);
        assert_eq!(path.evidence_areas(), areas);
    }
}

//! The programme editor as a page shows it: a programme's name and its path, one
//! fieldset per stage and one per requirement. Adding and removing a requirement are
//! submit buttons that bring the form back with what was typed (no JavaScript); beside
//! it, the checklist the path gives, in the words of the case page.

use super::programme_draft::{field, optional_stage, req_field, Draft, RequirementRow};
use super::t;
use crate::domain::path::RequirementKind;
use crate::domain::requirements::evaluate;
use crate::domain::{CaseFacts, Language, Measure, Path, ProgrammeRules, SessionKind, Stage};
use crate::glossary;
use crate::http::web::forms::{FormView, Unread};
use crate::http::web::i18n::text;
use crate::http::web::words::line;

impl Draft {
    /// The checklist the path would give, stage by stage, when it checks out.
    pub fn preview(&self, lang: Language) -> Option<Vec<PreviewStage>> {
        let mut unread = Unread::default();
        let drafts: Vec<_> = self
            .path(&mut unread)
            .iter()
            .map(crate::domain::path::StageDraft::from)
            .collect();
        let path = Path::check(&drafts).ok().filter(|_| unread.is_empty())?;
        let rules = ProgrammeRules {
            path,
            ..ProgrammeRules::inclusion_standard()
        };
        Some(preview_of(&rules, lang))
    }

    /// The form, with the programme's fields (the key only for a new programme), a
    /// fieldset per stage and one per requirement.
    pub fn view(&self, lang: Language, id: &str, action: String, new: bool) -> FormView {
        let submit = t(
            lang,
            if new {
                "action.save_programme"
            } else {
                "action.save_version"
            },
        );
        // No key field: a new programme's key is made from its name (`new_key`).
        let mut form = FormView::new(id, action, submit);
        form = form
            .field("name", "text", t(lang, "field.name"))
            .required()
            .value(&self.name)
            .field("description", "textarea", t(lang, "field.description"))
            .value(&self.description)
            .field(
                "validity_months",
                "number",
                t(lang, "field.validity_months"),
            )
            .range(Some(1), Some(120))
            .value(&self.validity_months)
            // The first submit button is the one Enter presses: showing the checklist
            // changes nothing.
            .button("op", "preview", t(lang, "action.preview"));
        let yes_no = || {
            vec![
                ("yes".to_string(), t(lang, "choice.yes")),
                ("no".to_string(), t(lang, "choice.no")),
            ]
        };
        let flag = |on: bool| if on { "yes" } else { "no" };
        for row in &self.stages {
            let stage = row.stage;
            let stage_name = glossary::stage(lang, stage).to_string();
            form = form.group(stage_name.clone());
            if optional_stage(stage) {
                form = form
                    .field(&field(stage, "used"), "select", t(lang, "field.uses_stage"))
                    .choices(yes_no())
                    .value(flag(row.used));
            }
            form = form
                .field(
                    &field(stage, "deadline_days"),
                    "number",
                    t(lang, "field.deadline_days"),
                )
                .range(Some(1), Some(3650))
                .value(&row.deadline_days);
            if stage == Stage::Audit {
                continue;
            }
            for kind in RequirementKind::ALL {
                let words = t(lang, &format!("requirement_kind.{}", kind.as_str()));
                form = form.button(
                    "op",
                    format!("add:{}:{}", stage.as_str(), kind.as_str()),
                    text(
                        lang,
                        "action.add_requirement",
                        &[("kind", format!("{words} ({stage_name})"))],
                    ),
                );
            }
            for (j, r) in row.requirements.iter().enumerate() {
                form = requirement_fields(form, lang, stage, &stage_name, j, r, &yes_no, flag);
            }
        }
        form
    }
}

#[allow(clippy::too_many_arguments, reason = "the pieces of one fieldset")]
fn requirement_fields(
    mut form: FormView,
    lang: Language,
    stage: Stage,
    stage_name: &str,
    j: usize,
    r: &RequirementRow,
    yes_no: &dyn Fn() -> Vec<(String, String)>,
    flag: fn(bool) -> &'static str,
) -> FormView {
    let name = |n: &str| req_field(stage, j, n);
    let number = (j + 1).to_string();
    let kind_words = t(lang, &format!("requirement_kind.{}", r.kind.as_str()));
    form = form
        .group(text(
            lang,
            "programme.requirement",
            &[
                ("stage", stage_name.to_string()),
                ("number", number.clone()),
                ("kind", kind_words),
            ],
        ))
        .hidden(&name("kind"), r.kind.as_str());
    form = match r.kind {
        RequirementKind::SessionsHeld => form
            .field(
                &name("session_kind"),
                "select",
                t(lang, "field.session_kind"),
            )
            .choices(
                SessionKind::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.as_str().to_string(),
                            glossary::session_kind(lang, *k).to_string(),
                        )
                    })
                    .collect(),
            )
            .value(&r.session_kind)
            .field(&name("count"), "number", t(lang, "field.count"))
            .range(Some(1), Some(50))
            .value(&r.count)
            .field(
                &name("attendance_pct"),
                "number",
                t(lang, "field.attendance_pct"),
            )
            .range(Some(1), Some(100))
            .hint(t(lang, "hint.attendance_pct"))
            .value(&r.attendance_pct)
            .field(&name("documented"), "select", t(lang, "field.documented"))
            .choices(yes_no())
            .value(flag(r.documented)),
        RequirementKind::ShareOfStaff => form
            .field(&name("measure"), "select", t(lang, "field.measure"))
            .choices(
                Measure::ALL
                    .iter()
                    .map(|m| {
                        (
                            m.as_str().to_string(),
                            t(lang, &format!("measure.{}", m.as_str())),
                        )
                    })
                    .collect(),
            )
            .value(&r.measure)
            .field(&name("pct"), "number", t(lang, "field.pct"))
            .range(Some(1), Some(100))
            .value(&r.pct),
        RequirementKind::EvidenceInAreas => form
            .field(&name("areas"), "text", t(lang, "field.areas"))
            .hint(t(lang, "hint.areas"))
            .value(&r.areas),
        // Nothing to set: a linked plan with at least one action meets it.
        RequirementKind::ActionPlan => form,
    };
    form.button(
        "op",
        format!("remove:{}:{j}", stage.as_str()),
        text(
            lang,
            "action.remove_requirement",
            &[("number", number), ("stage", stage_name.to_string())],
        ),
    )
}

/// One stage of a path's checklist in words.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviewStage {
    pub stage: String,
    pub deadline: String,
    pub requirements: Vec<String>,
}

/// A path's checklist in the words of the case page, stage by stage.
pub fn preview_of(rules: &ProgrammeRules, lang: Language) -> Vec<PreviewStage> {
    let facts = CaseFacts::default();
    rules
        .path
        .plans()
        .iter()
        .map(|plan| PreviewStage {
            stage: glossary::stage(lang, plan.stage).to_string(),
            deadline: text(
                lang,
                "programme.days",
                &[("days", plan.deadline_days.to_string())],
            ),
            requirements: if plan.stage == Stage::Audit {
                vec![t(lang, "programme.audit_only")]
            } else {
                evaluate(plan.stage, rules, &facts)
                    .iter()
                    .map(|r| line(lang, r).label)
                    .collect()
            },
        })
        .collect()
}

//! The forms of a case's page, one per action the case offers the person now
//! (`domain::available_actions`: the policy and the rules `decide` applies).

use serde::Serialize;

use super::t;
use crate::app::case_views::Case;
use crate::app::programmes::Programme;
use crate::app::views::{Finding, Session, User};
use crate::domain::{
    CaseAction, Language, Measure, Requirement, RequirementSpec, SessionKind, Severity, Stage,
};
use crate::glossary;
use crate::http::web::forms::{Feedback, FormView};
use crate::http::web::i18n::text;
use crate::http::web::words;

/// Every form of the case page that applies; `None` where it does not.
#[derive(Debug, Serialize, Default)]
pub struct CaseForms {
    pub schedule: Option<FormView>,
    pub reflections: Option<FormView>,
    pub trained: Option<FormView>,
    pub evidence: Option<FormView>,
    pub advance: Option<FormView>,
    pub request_audit: Option<FormView>,
    pub pause: Option<FormView>,
    pub resume: Option<FormView>,
    pub withdraw: Option<FormView>,
    pub renew: Option<FormView>,
    pub suspend: Option<FormView>,
    pub reinstate: Option<FormView>,
    pub revoke: Option<FormView>,
    pub any_steering: bool,
}

fn finish(
    mut form: FormView,
    feedback: Option<&Feedback>,
    describe: &dyn Fn(&Requirement) -> String,
) -> FormView {
    if let Some(f) = feedback {
        form.apply(f, describe);
    }
    form.finish()
}

fn no_words(r: &Requirement) -> String {
    r.key.clone()
}

/// The form of one transition: action and version hidden, a comment (required where
/// the rules ask for a reason).
fn transition(
    lang: Language,
    case: &Case,
    action: &str,
    comment_required: bool,
    return_to: &str,
) -> FormView {
    let mut form = FormView::new(
        action,
        format!("/cases/{}/transitions", case.id),
        t(lang, &format!("action.{action}")),
    )
    .hidden("action", action)
    .hidden("version", case.version.to_string())
    .hidden("return_to", return_to)
    .field(
        "comment",
        "textarea",
        t(
            lang,
            if comment_required {
                "field.reason"
            } else if action == "withdraw" {
                // The history keeps the reason a case was withdrawn, if one is given.
                "field.reason_optional"
            } else {
                "field.comment"
            },
        ),
    );
    if comment_required {
        form = form.required();
    }
    if ["withdraw", "suspend", "revoke"].contains(&action) {
        form = form.danger();
    }
    form
}

/// True when the programme's path asks for `measure` in `stage`.
fn asks_for(programme: &Programme, stage: Stage, measure: Measure) -> bool {
    programme
        .path
        .iter()
        .filter(|plan| plan.stage == stage)
        .flat_map(|plan| &plan.requirements)
        .any(|r| matches!(r, RequirementSpec::ShareOfStaff { measure: m, .. } if *m == measure))
}

/// The kind of session the stage counts (its first `sessions_held`), so the schedule
/// form starts with it; supervision where the stage counts none.
fn counted_kind(programme: &Programme, stage: Stage) -> SessionKind {
    programme
        .path
        .iter()
        .filter(|plan| plan.stage == stage)
        .flat_map(|plan| &plan.requirements)
        .find_map(|r| match r {
            RequirementSpec::SessionsHeld { session_kind, .. } => Some(*session_kind),
            _ => None,
        })
        .unwrap_or(SessionKind::Supervision)
}

fn area_choices(lang: Language, programme: &Programme) -> Vec<(String, String)> {
    programme
        .routine_areas
        .iter()
        .map(|a| (a.clone(), words::area(lang, a)))
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub fn case_forms(
    lang: Language,
    case: &Case,
    programme: &Programme,
    offered: &[CaseAction],
    auditors: &[User],
    feedback: Option<&Feedback>,
    describe: &dyn Fn(&Requirement) -> String,
    return_to: &str,
) -> CaseForms {
    let has = |action| offered.contains(&action);
    let fin = |form: FormView| Some(finish(form, feedback, describe));
    let mut forms = CaseForms::default();
    if has(CaseAction::ScheduleSession) {
        let kinds = SessionKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    glossary::session_kind(lang, *k).to_string(),
                )
            })
            .collect();
        let default_kind = counted_kind(programme, case.stage).as_str();
        forms.schedule = fin(FormView::new(
            "schedule",
            format!("/cases/{}/sessions", case.id),
            t(lang, "action.schedule"),
        )
        .hidden("return_to", return_to)
        .field("kind", "select", t(lang, "field.session_kind"))
        .required()
        .choices(kinds)
        .value(default_kind)
        .field("title", "text", t(lang, "field.title"))
        .required()
        .field("starts_at", "datetime-local", t(lang, "field.starts_at"))
        .required()
        .hint(t(lang, "hint.local_time"))
        .field("ends_at", "datetime-local", t(lang, "field.ends_at"))
        .required()
        .field("location", "text", t(lang, "field.location"))
        .field("audience", "text", t(lang, "field.audience"))
        .hint(t(lang, "hint.audience"))
        .field("themes", "textarea", t(lang, "field.themes"))
        .hint(t(lang, "hint.themes"))
        .field("notes", "textarea", t(lang, "field.notes"))
        .hint(t(lang, "hint.notes")));
    }
    // A count is the work of the stage that asks for it; the form sits there.
    let measure_form = |measure: Measure, action: String, hint: &str| {
        let (id, label) = match measure {
            Measure::Reflections => ("reflections", "completed"),
            Measure::Trained => ("trained", "trained"),
        };
        (has(CaseAction::RecordMeasure) && asks_for(programme, case.stage, measure))
            .then(|| {
                fin(FormView::new(id, action, t(lang, &format!("action.{id}")))
                    .hidden("return_to", return_to)
                    .field("completed", "number", t(lang, &format!("field.{label}")))
                    .required()
                    .range(Some(0), Some(i64::from(case.unit.headcount)))
                    .hint(text(
                        lang,
                        hint,
                        &[("headcount", case.unit.headcount.to_string())],
                    )))
            })
            .flatten()
    };
    forms.reflections = measure_form(
        Measure::Reflections,
        format!("/cases/{}/reflections", case.id),
        "hint.completed",
    );
    forms.trained = measure_form(
        Measure::Trained,
        format!("/cases/{}/measures/trained", case.id),
        "hint.trained",
    );
    if has(CaseAction::AddEvidence) {
        forms.evidence = fin(FormView::new(
            "evidence",
            format!("/cases/{}/evidence", case.id),
            t(lang, "action.evidence"),
        )
        .hidden("return_to", return_to)
        .field("area", "select", t(lang, "field.area"))
        .required()
        .choices(area_choices(lang, programme))
        .field("description", "textarea", t(lang, "field.description"))
        .required()
        .hint(t(lang, "hint.evidence"))
        .field("link", "url", t(lang, "field.link"))
        .hint(t(lang, "hint.link"))
        .field("file", "file", t(lang, "field.file"))
        .hint(t(lang, "hint.evidence_file"))
        .multipart());
    }
    if has(CaseAction::Advance) {
        forms.advance = fin(transition(lang, case, "advance", false, return_to));
    }
    if has(CaseAction::RequestAudit) {
        let choices = auditors
            .iter()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect();
        forms.request_audit = fin(transition(lang, case, "request_audit", false, return_to)
            .field("auditor_id", "select", t(lang, "field.auditor"))
            .required()
            .choices(choices));
    }
    let plain = |action, name: &str, reason_required| {
        has(action)
            .then(|| fin(transition(lang, case, name, reason_required, return_to)))
            .flatten()
    };
    forms.pause = plain(CaseAction::Pause, "pause", false);
    forms.resume = plain(CaseAction::Resume, "resume", false);
    forms.withdraw = plain(CaseAction::Withdraw, "withdraw", false);
    forms.renew = plain(CaseAction::Renew, "renew", false);
    forms.suspend = plain(CaseAction::Suspend, "suspend", true);
    forms.reinstate = plain(CaseAction::Reinstate, "reinstate", false);
    forms.revoke = plain(CaseAction::Revoke, "revoke", true);
    forms.any_steering = [
        &forms.advance,
        &forms.request_audit,
        &forms.pause,
        &forms.resume,
        &forms.withdraw,
        &forms.renew,
        &forms.suspend,
        &forms.reinstate,
        &forms.revoke,
    ]
    .iter()
    .any(|f| f.is_some());
    forms
}

pub fn attendance(
    lang: Language,
    case: &Case,
    s: &Session,
    feedback: Option<&Feedback>,
) -> FormView {
    let form = FormView::new(
        format!("attendance-{}", s.id),
        format!("/cases/{}/sessions/{}/attendance", case.id, s.id),
        t(lang, "action.attendance"),
    )
    .field(
        "attended",
        "number",
        text(lang, "field.attended_of", &[("title", s.title.clone())]),
    )
    .required()
    .range(Some(0), Some(i64::from(case.unit.headcount)))
    .hint(text(
        lang,
        "hint.attended",
        &[("headcount", case.unit.headcount.to_string())],
    ));
    finish(form, feedback, &no_words)
}

pub fn cancel(lang: Language, case: &Case, s: &Session, feedback: Option<&Feedback>) -> FormView {
    let form = FormView::new(
        format!("cancel-{}", s.id),
        format!("/cases/{}/sessions/{}/cancel", case.id, s.id),
        text(lang, "action.cancel_session", &[("title", s.title.clone())]),
    )
    .danger();
    let mut form = finish(form, feedback, &no_words);
    form.groups.clear();
    form
}

/// At most `max` characters of `text`, cut between words (with "…"), so a label
/// never ends mid-word.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let cut = head
        .rfind(char::is_whitespace)
        .map_or(head.as_str(), |at| &head[..at]);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// Corrects a recorded attendance: the right figure, or blank to clear it, and why.
pub fn correct_attendance(
    lang: Language,
    case: &Case,
    s: &Session,
    feedback: Option<&Feedback>,
) -> FormView {
    let form = FormView::new(
        format!("correct-attendance-{}", s.id),
        format!("/cases/{}/sessions/{}/attendance/correction", case.id, s.id),
        t(lang, "action.correct_attendance"),
    )
    .field(
        "attended",
        "number",
        text(lang, "field.attended_of", &[("title", s.title.clone())]),
    )
    .range(Some(0), Some(i64::from(case.unit.headcount)))
    .hint(t(lang, "hint.correct_attendance"))
    .field("reason", "textarea", t(lang, "field.correction_reason"))
    .required();
    finish(form, feedback, &no_words)
}

/// Corrects a finding's resolution: the right text, or blank to open it again, and why.
pub fn correct_resolution(
    lang: Language,
    case: &Case,
    f: &Finding,
    feedback: Option<&Feedback>,
) -> FormView {
    let form = FormView::new(
        format!("correct-resolution-{}", f.id),
        format!("/cases/{}/findings/{}/correction", case.id, f.id),
        t(lang, "action.correct_resolution"),
    )
    .field(
        "resolution",
        "textarea",
        text(
            lang,
            "field.resolution_of",
            &[("text", shorten(&f.text, 60))],
        ),
    )
    .hint(t(lang, "hint.correct_resolution"))
    .field("reason", "textarea", t(lang, "field.correction_reason"))
    .required();
    finish(form, feedback, &no_words)
}

pub fn resolve(lang: Language, case: &Case, f: &Finding, feedback: Option<&Feedback>) -> FormView {
    let form = FormView::new(
        format!("resolve-{}", f.id),
        format!("/cases/{}/findings/{}", case.id, f.id),
        t(lang, "action.resolve"),
    )
    .field(
        "resolution",
        "textarea",
        text(
            lang,
            "field.resolution_of",
            &[("text", shorten(&f.text, 60))],
        ),
    )
    .required();
    finish(form, feedback, &no_words)
}

/// The auditor's two forms: approve, and return with findings (`rows` empty rows of
/// severity, area and text; empty rows are ignored).
pub fn sign_off(
    lang: Language,
    case: &Case,
    programme: &Programme,
    rows: usize,
    feedback: Option<&Feedback>,
) -> (FormView, FormView) {
    let approve = FormView::new(
        "approve",
        format!("/audits/{}", case.id),
        t(lang, "action.approve"),
    )
    .hidden("action", "approve")
    .hidden("version", case.version.to_string())
    .field("comment", "textarea", t(lang, "field.comment"));
    let mut ret = FormView::new(
        "return",
        format!("/audits/{}", case.id),
        t(lang, "action.return"),
    )
    .hidden("action", "return")
    .hidden("version", case.version.to_string());
    let severities: Vec<(String, String)> =
        [Severity::Major, Severity::Minor, Severity::Observation]
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    glossary::severity(lang, *s).to_string(),
                )
            })
            .collect();
    let mut areas = vec![(String::new(), t(lang, "field.no_area"))];
    areas.extend(area_choices(lang, programme));
    for i in 0..rows {
        ret = ret
            .group(text(lang, "audit.finding_n", &[("n", (i + 1).to_string())]))
            .field(
                &format!("findings[{i}].severity"),
                "select",
                t(lang, "field.severity"),
            )
            .choices(severities.clone())
            .value("minor")
            .field(
                &format!("findings[{i}].area"),
                "select",
                t(lang, "field.area"),
            )
            .choices(areas.clone())
            .field(
                &format!("findings[{i}].text"),
                "textarea",
                t(lang, "field.finding_text"),
            );
    }
    ret = ret.group(t(lang, "audit.about_return")).field(
        "comment",
        "textarea",
        t(lang, "field.comment"),
    );
    (
        finish(approve, feedback, &no_words),
        finish(ret, feedback, &no_words),
    )
}

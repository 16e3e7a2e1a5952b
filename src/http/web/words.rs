//! The workflow's values in words: requirements with their progress ("3 av 4
//! verkstäder"), routine areas, people's names.

use serde::Serialize;

use crate::domain::requirements::RequirementWords;
use crate::domain::{Language, Measure, Requirement, SessionKind};
use crate::glossary::{self, text};

/// A routine area's name, or its key for an area the glossary does not know.
pub fn area(lang: Language, key: &str) -> String {
    glossary::area(lang, key)
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementLine {
    pub key: String,
    pub label: String,
    pub progress: String,
    pub met: bool,
    pub current: u32,
    pub required: u32,
}

/// The glossary keys (`req.…`, `progress.…`) of a requirement and the values they name.
fn keys_of(lang: Language, r: &Requirement) -> (String, Vec<(&'static str, String)>) {
    let mut args = vec![
        ("current", r.current.to_string()),
        ("required", r.required.to_string()),
    ];
    let kind = match &r.words {
        RequirementWords::Sessions {
            session_kind,
            attendance_pct,
            documented,
        } => {
            args.push((
                "kind",
                glossary::session_kind(lang, *session_kind).to_string(),
            ));
            args.push((
                "kinds",
                glossary::text(lang, &format!("sessions.{}", session_kind.as_str()), &[]),
            ));
            match (session_kind, attendance_pct, documented) {
                (SessionKind::Kickoff, None, false) if r.required == 1 => "kickoff_held".into(),
                (SessionKind::Workshop, Some(pct), false) => {
                    args.push(("attendance_pct", pct.to_string()));
                    "workshops_held".into()
                }
                (_, Some(pct), true) => {
                    args.push(("attendance_pct", pct.to_string()));
                    "sessions_attended_documented".into()
                }
                (_, Some(pct), false) => {
                    args.push(("attendance_pct", pct.to_string()));
                    "sessions_attended".into()
                }
                (_, None, true) => "sessions_documented".into(),
                (_, None, false) => "sessions_held".into(),
            }
        }
        RequirementWords::Share { measure, pct } => {
            args.push(("pct", pct.to_string()));
            // The flat programme's words name the threshold `reflection_pct`.
            args.push(("reflection_pct", pct.to_string()));
            match measure {
                Measure::Reflections => "reflections_completed".into(),
                Measure::Trained => "staff_trained".into(),
            }
        }
        RequirementWords::Evidence { area: key } => {
            args.push(("area", area(lang, key)));
            "evidence".into()
        }
        RequirementWords::FindingsResolved => "findings_resolved".into(),
        RequirementWords::AuditApproved => "audit_approved".into(),
        RequirementWords::ActionPlan => "action_plan".into(),
    };
    (kind, args)
}

/// A requirement as a checklist line.
pub fn line(lang: Language, r: &Requirement) -> RequirementLine {
    let (kind, args) = keys_of(lang, r);
    RequirementLine {
        key: r.key.clone(),
        label: text(lang, &format!("req.{kind}"), &args),
        progress: text(lang, &format!("progress.{kind}"), &args),
        met: r.met,
        current: r.current,
        required: r.required,
    }
}

/// An unmet requirement in one sentence, for the message next to a refused form.
pub fn requirement(lang: Language, r: &Requirement) -> String {
    let l = line(lang, r);
    format!("{}: {}", l.label, l.progress)
}

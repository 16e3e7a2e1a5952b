//! The workflow's values in words: requirements with their progress ("3 av 4
//! verkstäder"), routine areas, people's names.

use serde::Serialize;

use crate::domain::{Language, Requirement};
use crate::glossary::{self, lookup, text};

/// What the words of a requirement need from the programme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Thresholds {
    pub attendance_pct: u32,
    pub reflection_pct: u32,
}

/// A routine area's name, or its key for an area the glossary does not know.
pub fn area(lang: Language, key: &str) -> String {
    glossary::area(lang, key)
}

fn kind_of(key: &str) -> (&str, Option<&str>) {
    match key.strip_prefix("evidence_") {
        Some(area) => ("evidence", Some(area)),
        None => (key, None),
    }
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

/// A requirement as a checklist line.
pub fn line(lang: Language, r: &Requirement, th: Thresholds) -> RequirementLine {
    let (kind, area_key) = kind_of(&r.key);
    let args = [
        ("current", r.current.to_string()),
        ("required", r.required.to_string()),
        ("attendance_pct", th.attendance_pct.to_string()),
        ("reflection_pct", th.reflection_pct.to_string()),
        ("area", area_key.map(|a| area(lang, a)).unwrap_or_default()),
    ];
    let known = lookup(lang, &format!("req.{kind}")).is_some();
    RequirementLine {
        key: r.key.clone(),
        label: if known {
            text(lang, &format!("req.{kind}"), &args)
        } else {
            r.description.clone()
        },
        progress: if known {
            text(lang, &format!("progress.{kind}"), &args)
        } else {
            format!("{} / {}", r.current, r.required)
        },
        met: r.met,
        current: r.current,
        required: r.required,
    }
}

/// An unmet requirement in one sentence, for the message next to a refused form.
pub fn requirement(lang: Language, r: &Requirement, th: Thresholds) -> String {
    let l = line(lang, r, th);
    format!("{}: {}", l.label, l.progress)
}

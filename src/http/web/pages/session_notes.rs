//! Notes on a held session: what the group worked on, never anything about an
//! individual (the form says so beside the field). Written when or after the session
//! is held; saving mails them to the unit's contacts (`case_forms::notes`).

use super::t;
use crate::app::case_views::Case;
use crate::app::views::Session;
use crate::domain::Language;
use crate::http::web::forms::{Feedback, FormView};
use crate::http::web::i18n::text;

/// The notes form of session `s`, holding its notes so far.
pub fn notes_form(
    lang: Language,
    case: &Case,
    s: &Session,
    feedback: Option<&Feedback>,
) -> FormView {
    let mut form = FormView::new(
        format!("notes-{}", s.id),
        format!("/cases/{}/sessions/{}/notes", case.id, s.id),
        t(lang, "action.notes"),
    )
    .field(
        "notes",
        "textarea",
        text(lang, "field.notes_of", &[("title", s.title.clone())]),
    )
    .value(s.notes.clone().unwrap_or_default())
    .hint(t(lang, "hint.notes"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

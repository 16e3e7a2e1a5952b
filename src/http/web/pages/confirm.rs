//! The page that asks before a step that cannot be undone: what is about to happen,
//! what was typed, and one button that sends it all again with `step=confirm`. The
//! first send of such a form (`step=review`) is checked by the same rules as the use
//! case and answered with this page; only the confirmation runs the use case.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;

use crate::app::AppState;
use crate::http::web::forms::FormData;
use crate::http::web::session::Viewer;
use crate::http::web::{page, WebError};

/// One confirmation: the question, the facts it is about, and the form that confirms.
#[derive(Debug, Serialize)]
pub struct Confirmation {
    /// The confirming form's id.
    pub id: String,
    /// Where the confirmation is sent.
    pub action: String,
    pub title: String,
    pub question: String,
    /// What is about to be sent, as (label, value).
    pub facts: Vec<(String, String)>,
    /// The fields sent again, as typed.
    pub hidden: Vec<(String, String)>,
    pub confirm: String,
    /// The confirm button looks destructive.
    pub destructive: bool,
    /// Where "go back" leads.
    pub back: String,
}

/// True for the confirmation's send (`step=confirm`); false for the first send.
pub fn confirmed(form: &FormData) -> bool {
    form.text("step") == "confirm"
}

/// Shows the confirmation page.
pub fn ask(
    state: &AppState,
    viewer: &Viewer,
    confirmation: &Confirmation,
) -> Result<HttpResponse, WebError> {
    let view = ConfirmView {
        title_parts: parts(&confirmation.title, &confirmation.facts),
        question_parts: parts(&confirmation.question, &confirmation.facts),
        confirmation,
    };
    page(
        state,
        viewer,
        "confirm",
        confirmation.title.clone(),
        StatusCode::OK,
        &view,
    )
}

/// The confirmation with its title and question split around the names in them.
#[derive(Serialize)]
struct ConfirmView<'a> {
    #[serde(flatten)]
    confirmation: &'a Confirmation,
    title_parts: Vec<Part>,
    question_parts: Vec<Part>,
}

/// A piece of a sentence; `name` when it is one of the facts' values (a unit, a
/// meeting, a person), which the page marks `translate="no"`.
#[derive(Debug, PartialEq, Serialize)]
struct Part {
    text: String,
    name: bool,
}

/// `sentence` cut at the first place each fact's value appears in it.
fn parts(sentence: &str, facts: &[(String, String)]) -> Vec<Part> {
    let mut out = vec![Part {
        text: sentence.to_string(),
        name: false,
    }];
    for (_, value) in facts.iter().filter(|(_, v)| v.chars().count() > 1) {
        let Some(i) = out
            .iter()
            .position(|p| !p.name && p.text.contains(value.as_str()))
        else {
            continue;
        };
        let piece = out.remove(i);
        let (before, after) = piece.text.split_once(value.as_str()).unwrap_or_default();
        let pieces = [(before, false), (value.as_str(), true), (after, false)];
        for (offset, (text, name)) in pieces
            .into_iter()
            .filter(|(t, _)| !t.is_empty())
            .enumerate()
        {
            out.insert(
                i + offset,
                Part {
                    text: text.to_string(),
                    name,
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_in_a_question_is_a_name_and_the_rest_is_words() {
        let facts = vec![
            ("Enhet".to_string(), "Barn och unga".to_string()),
            ("Skäl".to_string(), "–".to_string()),
        ];
        let split = parts("Ärendet för Barn och unga avbryts.", &facts);
        let shown: Vec<(&str, bool)> = split.iter().map(|p| (p.text.as_str(), p.name)).collect();
        assert_eq!(
            shown,
            [
                ("Ärendet för ", false),
                ("Barn och unga", true),
                (" avbryts.", false)
            ]
        );
        assert_eq!(parts("Ingen här.", &facts).len(), 1);
    }
}

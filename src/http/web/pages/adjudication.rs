//! What the admins' appeal and complaint pages share: the list (awaiting a decision
//! or decided, chosen in the URL, paged), the page of one with its decide form, and
//! the two sends of that form (checked and asked to confirm, then decided by the
//! API's own use case).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::confirm::{ask, confirmed, Confirmation};
use super::t;
use crate::app::appeals::Standing;
use crate::app::error::AppError;
use crate::app::{AppState, PageRequest};
use crate::domain::decide::check_comment;
use crate::domain::policy::Denied;
use crate::domain::{Actor, ConflictCode, FieldCode, FieldError, Language};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, page, see_other, urlencode, WebError};

/// How many a list page shows.
const PAGE_SIZE: i64 = 25;

/// Which kind of item the pages are about: their paths and words.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// `/admin/appeals` or `/admin/complaints`.
    pub base: &'static str,
    /// The words' prefix: `appeals` or `complaints`.
    pub words: &'static str,
}

/// What a list's URL asks for: awaiting a decision (the default) or decided, and
/// where the page starts.
pub struct ListQuery {
    pub decided: bool,
    pub page: PageRequest,
}

/// Reads `?status=decided&cursor=...`; anything else lists those awaiting a decision.
pub fn list_query(req: &HttpRequest) -> ListQuery {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    ListQuery {
        decided: get("status").as_deref() == Some("decided"),
        page: PageRequest {
            limit: PAGE_SIZE,
            cursor: get("cursor").filter(|c| !c.is_empty()),
        },
    }
}

impl ListQuery {
    /// The list the store reads.
    pub fn standing(&self) -> Standing {
        if self.decided {
            Standing::Decided
        } else {
            Standing::Open
        }
    }
}

/// One line of a list.
#[derive(Debug, Serialize)]
pub struct Line {
    pub href: String,
    pub received: String,
    pub about: String,
    pub summary: String,
    pub outcome: String,
}

#[derive(Debug, Serialize)]
struct ListPage {
    title: String,
    intro: String,
    open_href: String,
    decided_href: String,
    decided: bool,
    lines: Vec<Line>,
    empty: String,
    next_href: Option<String>,
}

/// Renders a list page.
pub fn list_page(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    query: &ListQuery,
    lines: Vec<Line>,
    next_cursor: Option<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let status = if query.decided { "decided" } else { "open" };
    let words = |key: &str| t(lang, &format!("{}.{key}", kind.words));
    let data = ListPage {
        title: words("title"),
        intro: words("intro"),
        open_href: kind.base.to_string(),
        decided_href: format!("{}?status=decided", kind.base),
        decided: query.decided,
        lines,
        empty: words(&format!("none_{status}")),
        next_href: next_cursor
            .map(|c| format!("{}?status={status}&cursor={}", kind.base, urlencode(&c))),
    };
    page(
        state,
        viewer,
        "adjudications",
        data.title.clone(),
        StatusCode::OK,
        &data,
    )
}

/// The page of one appeal or complaint.
#[derive(Debug, Serialize)]
pub struct Detail {
    pub title: String,
    pub back_href: String,
    pub back: String,
    pub facts: Vec<(String, String)>,
    pub case_href: Option<String>,
    pub case_label: Option<String>,
    pub statement_label: String,
    pub statement: String,
    pub outcome: Option<String>,
    pub decided: Option<String>,
    pub comment: Option<String>,
    /// Only for an admin who may decide it and only while it awaits a decision.
    pub form: Option<FormView>,
    /// Why an admin who may not decide it sees no form.
    pub not_yours: Option<String>,
    /// A refusal with no form to show it next to (it was decided meanwhile).
    pub message: Option<String>,
}

/// Renders the page of one, with `feedback` next to its form.
pub fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    mut detail: Detail,
    feedback: Option<&Feedback>,
) -> Result<HttpResponse, WebError> {
    let status = feedback.map_or(StatusCode::OK, |f| f.status);
    match (detail.form.as_mut(), feedback) {
        (Some(form), Some(f)) => form.apply(f, &|r| r.key.clone()),
        (None, Some(f)) => detail.message = f.message.clone(),
        _ => {}
    }
    detail.form = detail.form.map(FormView::finish);
    page(
        state,
        viewer,
        "adjudication",
        detail.title.clone(),
        status,
        &detail,
    )
}

/// The decide form: an outcome among `outcomes` (value, words) and a comment.
pub fn decide_form(
    lang: Language,
    kind: Kind,
    id: &str,
    outcomes: Vec<(String, String)>,
) -> FormView {
    FormView::new(
        "decide",
        format!("{}/{id}", kind.base),
        t(lang, &format!("{}.review", kind.words)),
    )
    .hidden("step", "review")
    .field("outcome", "select", t(lang, "adjudication.outcome"))
    .required()
    .choices(outcomes)
    .field("comment", "textarea", t(lang, "field.comment"))
    .hint(t(lang, "adjudication.comment_hint"))
}

/// The outcome the form names; another word is the field's error, in the glossary's
/// words.
pub fn outcome<O: DeserializeOwned>(form: &FormData) -> Result<O, AppError> {
    form.word::<O>("outcome").map_err(|_| {
        AppError::Invalid(vec![FieldError::coded(
            "outcome",
            FieldCode::Choice,
            "must be one of the outcomes",
        )])
    })
}

/// The outcome and comment the form names, the comment checked by the domain's rule.
pub fn decision<O: DeserializeOwned>(form: &FormData) -> Result<(O, Option<String>), AppError> {
    let outcome = outcome(form)?;
    let comment = form.optional("comment");
    check_comment(comment.as_deref())?;
    Ok((outcome, comment))
}

/// Asks to confirm deciding with `outcome` (its value and words).
pub fn confirm_decision(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    id: &str,
    outcome: (&str, String),
    comment: Option<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let mut facts = vec![(t(lang, "adjudication.outcome"), outcome.1)];
    if let Some(c) = comment.as_deref() {
        facts.push((t(lang, "field.comment"), c.trim().to_string()));
    }
    ask(
        state,
        viewer,
        &Confirmation {
            id: "decide-confirm".into(),
            action: format!("{}/{id}", kind.base),
            title: t(lang, &format!("{}.confirm_title", kind.words)),
            question: t(lang, &format!("{}.confirm_question", kind.words)),
            facts,
            hidden: vec![
                ("outcome".into(), outcome.0.to_string()),
                ("comment".into(), comment.unwrap_or_default()),
            ],
            confirm: t(lang, "adjudication.confirm"),
            destructive: false,
            back: format!("{}/{id}", kind.base),
        },
    )
}

/// A refused decision: the policy's refusal as its error page (403 or 404), anything
/// else next to the form.
pub fn refusal(error: AppError, lang: Language, form: &FormData) -> Result<Feedback, WebError> {
    match error {
        AppError::Forbidden(_) => Err(WebError::app(error, lang)),
        other => Feedback::from_error("decide", other, lang, form),
    }
}

/// What deciding one kind of item needs: its pages, its words, and the API's own use
/// cases (an appeal's or a complaint's).
pub struct Deciding<O> {
    pub kind: Kind,
    /// The flash message after a decision.
    pub flash: &'static str,
    /// The outcome's form value and its words.
    pub outcome: fn(Language, O) -> (&'static str, String),
    /// Whether the actor may decide the item, and whether it is decided already.
    pub standing: MayDecide,
    /// Decides it, as the API's `PATCH` does.
    pub decide: DecideWith<O>,
}

/// Whether an actor may decide an item (by id), and whether it is decided already.
pub type MayDecide = fn(&AppState, &Actor, &str) -> Result<(bool, bool), AppError>;

/// Decides an item (by id) with an outcome and an optional comment.
pub type DecideWith<O> = fn(&AppState, &Actor, &str, O, Option<String>) -> Result<(), AppError>;

/// The decide form's two sends: checked and asked to confirm, then decided. `Err`
/// carries what to show next to the form, on the item's own page.
pub async fn decide<O>(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    form: &FormData,
    deciding: &'static Deciding<O>,
) -> Result<Result<HttpResponse, Feedback>, WebError>
where
    O: DeserializeOwned + Copy + Send + 'static,
{
    viewer.check(form)?;
    let lang = viewer.lang;
    let input = decision::<O>(form);
    let (s, actor, item) = (state.clone(), viewer.actor.clone(), id.to_string());
    if confirmed(form) {
        let decided = attempt(lang, move || {
            let (outcome, comment) = input?;
            (deciding.decide)(&s, &actor, &item, outcome, comment)
        })
        .await?;
        return match decided {
            Ok(()) => Ok(Ok(see_other(
                state,
                &format!("{}/{id}", deciding.kind.base),
                Some(deciding.flash),
            ))),
            Err(error) => Ok(Err(refusal(error, lang, form)?)),
        };
    }
    let reviewed = attempt(lang, move || {
        let input = input?;
        let (may_decide, decided) = (deciding.standing)(&s, &actor, &item)?;
        if !may_decide {
            return Err(AppError::from(Denied::Forbidden));
        }
        if decided {
            return Err(AppError::Conflict(ConflictCode::AlreadyDecided));
        }
        Ok(input)
    })
    .await?;
    match reviewed {
        Ok((outcome, comment)) => Ok(Ok(confirm_decision(
            state,
            viewer,
            deciding.kind,
            id,
            (deciding.outcome)(lang, outcome),
            comment,
        )?)),
        Err(error) => Ok(Err(refusal(error, lang, form)?)),
    }
}

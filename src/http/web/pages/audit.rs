//! The auditor's pages: cases awaiting my audit, and the audit page with all evidence,
//! past findings and their resolutions, where the audit is approved or returned.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::case_forms::precondition;
use super::case_forms_view::sign_off;
use super::case_lists::{self, CaseListView};
use super::case_view::{self, CaseData};
use super::confirm::{ask, confirmed, Confirmation};
use super::t;
use crate::app::case_list::{self, AuditTab, CaseScope};
use crate::app::cases;
use crate::app::error::AppError;
use crate::app::inputs::{Action as Move, FindingInput, TransitionRequest};
use crate::app::validation::checked;
use crate::app::{case_page, programmes, AppState};
use crate::domain::decide::check_comment;
use crate::domain::{CaseAction, FieldCode, FieldError};
use crate::http::web::forms::{Feedback, FormData, FormView, Unread};
use crate::http::web::i18n::text;
use crate::http::web::list_query::{ListQuery, ListSpec};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

/// How many rows of finding fields the return form offers.
const FINDING_ROWS: usize = 3;

/// `/audits`: the cases awaiting my audit, or (`view=decided`) the ones I have
/// audited since, searched, filtered, sorted and paged like `/cases`.
pub const AUDITS: ListSpec = ListSpec {
    path: "/audits",
    sorts: case_lists::SORTS,
    ascending: true,
    filters: &["view", "organisation", "programme", "status"],
    sticky: &["view"],
};

/// A tab of the audits page.
#[derive(Serialize)]
struct Tab {
    label: String,
    href: &'static str,
    current: bool,
}

#[derive(Serialize)]
struct AuditsPage {
    heading: String,
    tabs: Vec<Tab>,
    decided: bool,
    #[serde(flatten)]
    list: CaseListView,
}

/// `/audits`: the cases in audit assigned to me, and those I have decided.
pub async fn awaiting(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let mut query = ListQuery::parse(&AUDITS, req.query_string());
    query.keep_only_known("view", |v| v == "decided");
    let decided = query.filter("view").is_some();
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let options = blocking(lang, move || case_lists::filter_options(&s, &actor)).await?;
    let search = case_lists::case_search(&mut query, &options);
    let tab = if decided {
        AuditTab::Decided
    } else {
        AuditTab::Awaiting
    };
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let found = blocking(lang, move || {
        case_list::search(&s, &actor, CaseScope::Audits(tab), search)
    })
    .await?;
    // Awaiting, every case is active in audit: only the decided ones differ in status.
    let names: &[&'static str] = if decided {
        &["status", "organisation", "programme"]
    } else {
        &["organisation", "programme"]
    };
    let selects = case_lists::selects(lang, &query, &options, names);
    let (link, key) = if decided {
        ("/cases/", "audits.title_decided")
    } else {
        ("/audits/", "audits.title")
    };
    let heading = text(lang, key, &[]);
    let tabs = vec![
        Tab {
            label: text(lang, "audits.tab_awaiting", &[]),
            href: "/audits",
            current: !decided,
        },
        Tab {
            label: text(lang, "audits.tab_decided", &[]),
            href: "/audits?view=decided",
            current: decided,
        },
    ];
    let data = AuditsPage {
        heading: heading.clone(),
        tabs,
        decided,
        list: case_lists::view(lang, link, &query, selects, &found),
    };
    page(&state, &viewer, "audits", heading, StatusCode::OK, &data)
}

#[derive(Serialize)]
struct AuditPage {
    case: CaseData,
    approve: Option<FormView>,
    ret: Option<FormView>,
}

async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    case_id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let data = blocking(lang, move || {
        let back = format!("/audits/{case_id}");
        let case = case_view::build(&s, &actor, lang, &case_id, feedback.as_ref(), &back)?;
        let full = cases::get(&s, &actor, &case_id)?;
        let programme = programmes::get(&s, &full.programme.id)?;
        let (approve, ret) = if case.offered.contains(&CaseAction::Approve) {
            let (a, r) = sign_off(lang, &full, &programme, FINDING_ROWS, feedback.as_ref());
            (Some(a), Some(r))
        } else {
            (None, None)
        };
        Ok(AuditPage { case, approve, ret })
    })
    .await?;
    let title = text(lang, "audit.title", &[("unit", data.case.unit.clone())]);
    page(state, viewer, "audit", title, status, &data)
}

/// `GET /audits/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render(&state, &viewer, id.into_inner(), None).await
}

/// The finding rows that have text, with the row each came from; a row whose
/// severity cannot be read is refused as `findings[<position>].severity`.
fn finding_rows(form: &FormData) -> (Result<Vec<FindingInput>, AppError>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut origin = Vec::new();
    let mut unread = Unread::default();
    for i in 0..FINDING_ROWS {
        let text = form.text(&format!("findings[{i}].text"));
        if text.is_empty() {
            continue;
        }
        let severity = form
            .word(&format!("findings[{i}].severity"))
            .map_err(|e| e.at(format!("findings[{}].severity", origin.len())));
        if let Some(severity) = unread.keep(severity) {
            rows.push(FindingInput {
                severity,
                area: form.optional(&format!("findings[{i}].area")),
                text,
            });
        }
        origin.push(i);
    }
    let rows = if origin.len() == rows.len() {
        Ok(rows)
    } else {
        Err(unread.refusal())
    };
    (rows, origin)
}

/// Names the row a field error is about as the person saw it (empty rows are skipped).
fn to_row(error: FieldError, origin: &[usize]) -> FieldError {
    let field = error.field.clone();
    let Some(rest) = field.strip_prefix("findings[") else {
        return error;
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return error;
    };
    match index.parse::<usize>().ok().and_then(|i| origin.get(i)) {
        Some(row) => error.at(format!("findings[{row}]{tail}")),
        None => error,
    }
}

/// The first send of an approval: checked by the rules the approval applies (the
/// policy, where the case stands, the comment), then asked about; nothing is stored.
async fn review_approval(
    state: web::Data<AppState>,
    viewer: Viewer,
    case_id: String,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let comment = form.optional("comment");
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let checked = attempt(lang, move || {
        let comment = check_comment(comment.as_deref())?;
        case_page::allowed(&s, &actor, &cid, CaseAction::Approve)?;
        let organisation = case_page::organisation_name(&s, &actor, &cid)?;
        let unit = cases::get(&s, &actor, &cid)?.unit.name;
        Ok((comment, unit, organisation))
    })
    .await?;
    let (comment, unit, organisation) = match checked {
        Ok(found) => found,
        Err(error) => {
            let feedback = Feedback::from_error("approve", error, lang, &form)?;
            return render(&state, &viewer, case_id, Some(feedback)).await;
        }
    };
    let mut facts = vec![
        (t(lang, "field.organisation"), organisation),
        (t(lang, "col.unit"), unit.clone()),
    ];
    if let Some(c) = &comment {
        facts.push((t(lang, "field.comment"), c.clone()));
    }
    ask(
        &state,
        &viewer,
        &Confirmation {
            id: "approve-confirm".into(),
            action: format!("/audits/{case_id}"),
            title: t(lang, "confirm.approve.title"),
            question: text(lang, "confirm.approve.question", &[("unit", unit)]),
            facts,
            hidden: vec![
                ("action".into(), "approve".into()),
                ("version".into(), form.text("version")),
                ("comment".into(), comment.unwrap_or_default()),
            ],
            confirm: t(lang, "confirm.approve.button"),
            destructive: false,
            back: format!("/audits/{case_id}"),
        },
    )
}

/// `POST /audits/{id}`: approve (once confirmed), or return with findings.
pub async fn decide(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let case_id = id.into_inner();
    let (action, word) = if form.text("action") == "return" {
        (Move::Return, "return")
    } else {
        (Move::Approve, "approve")
    };
    if action == Move::Approve && !confirmed(&form) {
        return review_approval(state, viewer, case_id, form).await;
    }
    let (rows, origin) = finding_rows(&form);
    if action == Move::Return && origin.is_empty() {
        let error = FieldError::coded(
            "findings[0].text",
            FieldCode::FindingNeeded,
            "a return needs at least one finding",
        );
        let feedback = Feedback::invalid("return", viewer.lang, vec![error], &form);
        return render(&state, &viewer, case_id, Some(feedback)).await;
    }
    let findings = match action {
        Move::Return => rows.map(Some),
        _ => Ok(None),
    };
    let input = findings.and_then(|findings| {
        checked(TransitionRequest {
            action,
            comment: form.optional("comment"),
            auditor_id: None,
            findings,
        })
    });
    let pre = precondition(&form);
    let (s, actor, cid) = (state.clone(), viewer.actor.clone(), case_id.clone());
    let outcome = attempt(viewer.lang, move || {
        cases::transition(&s, &actor, &cid, pre, input?)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/cases/{case_id}"),
            Some(&format!("done_{word}")),
        )),
        Err(error) => {
            let error = match error {
                AppError::Invalid(errors) => {
                    AppError::Invalid(errors.into_iter().map(|e| to_row(e, &origin)).collect())
                }
                other => other,
            };
            let feedback = Feedback::from_error(word, error, viewer.lang, &form)?;
            render(&state, &viewer, case_id, Some(feedback)).await
        }
    }
}

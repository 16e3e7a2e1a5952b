//! An action of a plan on its own page: what it is, who carries it out and follows it
//! up, its follow-ups, and for those the policy lets change it (staff, the
//! organisation's coordinators, its responsible person) a form to change its status,
//! due date and responsible person, and one to write a follow-up. Dropping an action
//! asks first. The changes are `app::plans`'s, the API's use cases.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::confirm::{ask, confirmed, Confirmation};
use super::plans::{
    due_words, follow_up_lines, may_update, optional_date, people_choices, refused, status_choices,
    status_word, FollowUpLine,
};
use super::t;
use crate::app::error::AppError;
use crate::app::plan_inputs::{ActionPatch, NewFollowUp};
use crate::app::plan_page::{self, PlanView};
use crate::app::plans::{self, PlanAction};
use crate::app::validation::checked;
use crate::app::AppState;
use crate::domain::plan::ActionStatus;
use crate::domain::FieldError;
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct ActionPage {
    plan_title: String,
    plan_href: String,
    title: String,
    description: Option<String>,
    responsible: String,
    coordinator: String,
    status: String,
    overdue: bool,
    due: String,
    follow_ups: Vec<FollowUpLine>,
    update: Option<FormView>,
    follow_up: Option<FormView>,
}

fn the_action(view: &PlanView, action_id: &str) -> Result<PlanAction, AppError> {
    view.plan
        .actions
        .iter()
        .find(|a| a.id == action_id)
        .cloned()
        .ok_or(AppError::NotFound)
}

async fn load(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    plan_id: String,
    action_id: String,
) -> Result<(PlanView, PlanAction), WebError> {
    let (s, actor) = (state.clone(), viewer.actor.clone());
    blocking(viewer.lang, move || {
        let view = plan_page::view(&s, &actor, &plan_id)?;
        let action = the_action(&view, &action_id)?;
        Ok((view, action))
    })
    .await
}

/// The action's page, with `feedback` next to the form it came from.
async fn render(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    plan_id: String,
    action_id: String,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (view, action) = load(state, viewer, plan_id, action_id).await?;
    let href = format!("/plans/{}/actions/{}", view.plan.id, action.id);
    let allowed = may_update(viewer, &view.plan, &action);
    let update = allowed.then(|| {
        let mut form = FormView::new("action-update", href.clone(), t(lang, "plans.save"))
            .field("status", "select", t(lang, "plans.status"))
            .required()
            .choices(status_choices(lang))
            .value(action.status.as_str())
            .field("due_on", "date", t(lang, "plans.due_on"))
            .value(action.due_on.map(|d| d.to_string()).unwrap_or_default())
            .field("responsible_id", "select", t(lang, "plans.responsible"))
            .required()
            .name_choices(people_choices(&view.people))
            .value(action.responsible.id.clone());
        if let Some(f) = feedback.as_ref() {
            form.apply(f, &|r| r.key.clone());
        }
        form.finish()
    });
    // A refused follow-up keeps its form, so the refusal shows where it was written.
    let refused_here = feedback
        .as_ref()
        .is_some_and(|f| f.form == "action-follow-up");
    let follow_up =
        (allowed && (action.status != ActionStatus::Dropped || refused_here)).then(|| {
            let mut form = FormView::new(
                "action-follow-up",
                format!("{href}/follow-ups"),
                t(lang, "plans.save_follow_up"),
            )
            .field("text", "textarea", t(lang, "plans.follow_up"))
            .required()
            .hint(t(lang, "plans.follow_up_hint"));
            if let Some(f) = feedback.as_ref() {
                form.apply(f, &|r| r.key.clone());
            }
            form.finish()
        });
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = ActionPage {
        plan_title: view.plan.title.clone(),
        plan_href: format!("/plans/{}", view.plan.id),
        title: action.title.clone(),
        description: action.description.clone(),
        responsible: action.responsible.name.clone(),
        coordinator: action
            .coordinator
            .as_ref()
            .map_or_else(|| "–".to_string(), |c| c.name.clone()),
        status: status_word(lang, action.status),
        overdue: action.overdue,
        due: due_words(lang, action.due_on),
        follow_ups: follow_up_lines(lang, &action.follow_ups),
        update,
        follow_up,
    };
    let title = data.title.clone();
    page(state, viewer, "plan_action", title, status, &data)
}

/// `GET /plans/{pid}/actions/{aid}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (plan_id, action_id) = path.into_inner();
    render(&state, &viewer, plan_id, action_id, None).await
}

/// The change the update form asks for: status, due date and responsible person, or
/// every field that cannot be read.
fn patch_of(form: &FormData) -> Result<ActionPatch, AppError> {
    let mut unread: Vec<FieldError> = Vec::new();
    let status = form
        .word::<ActionStatus>("status")
        .map_err(|e| unread.push(e))
        .ok();
    let due = optional_date(form, "due_on")
        .map_err(|e| unread.push(e))
        .ok();
    let patch = ActionPatch {
        title: None,
        description: None,
        status,
        due_on: due,
        responsible_id: Some(form.text("responsible_id")),
        coordinator_id: None,
    };
    refused(unread, checked(patch))
}

/// `POST /plans/{pid}/actions/{aid}`: changes the action's status, due date and
/// responsible person; dropping it asks first.
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let lang = viewer.lang;
    let (plan_id, action_id) = path.into_inner();
    let href = format!("/plans/{plan_id}/actions/{action_id}");
    let patch = patch_of(&form);
    let drops = matches!(&patch, Ok(p) if p.status == Some(ActionStatus::Dropped));
    if drops && !confirmed(&form) {
        let (view, action) = load(&state, &viewer, plan_id.clone(), action_id.clone()).await?;
        if action.status != ActionStatus::Dropped && may_update(&viewer, &view.plan, &action) {
            return ask(
                &state,
                &viewer,
                &Confirmation {
                    id: "action-drop-confirm".into(),
                    action: href.clone(),
                    title: t(lang, "plans.drop_title"),
                    question: t(lang, "plans.drop_question"),
                    facts: vec![
                        (t(lang, "plans.action"), action.title.clone()),
                        (
                            t(lang, "plans.responsible"),
                            action.responsible.name.clone(),
                        ),
                    ],
                    hidden: ["status", "due_on", "responsible_id"]
                        .into_iter()
                        .map(|k| (k.to_string(), form.text(k)))
                        .collect(),
                    confirm: t(lang, "plans.drop"),
                    destructive: true,
                    back: href,
                },
            );
        }
    }
    let (s, actor, pid, aid) = (
        state.clone(),
        viewer.actor.clone(),
        plan_id.clone(),
        action_id.clone(),
    );
    let outcome = attempt(lang, move || {
        plans::update_action(&s, &actor, &pid, &aid, patch?)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(&state, &href, Some("plan_action_updated"))),
        Err(e) => {
            let feedback = Feedback::from_error("action-update", e, lang, &form)?;
            render(&state, &viewer, plan_id, action_id, Some(feedback)).await
        }
    }
}

/// `POST /plans/{pid}/actions/{aid}/follow-ups`: writes a follow-up.
pub async fn follow_up(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let lang = viewer.lang;
    let (plan_id, action_id) = path.into_inner();
    let text = form.text("text");
    let (s, actor, pid, aid) = (
        state.clone(),
        viewer.actor.clone(),
        plan_id.clone(),
        action_id.clone(),
    );
    let outcome = attempt(lang, move || {
        let input = checked(NewFollowUp { text })?;
        plans::follow_up(&s, &actor, &pid, &aid, input)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/plans/{plan_id}/actions/{action_id}"),
            Some("plan_follow_up_added"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("action-follow-up", e, lang, &form)?;
            render(&state, &viewer, plan_id, action_id, Some(feedback)).await
        }
    }
}

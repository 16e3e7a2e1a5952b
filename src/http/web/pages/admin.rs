//! Organisations and their units (staff): list, create, import units from CSV, enrol
//! a unit in a programme.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{all, t};
use crate::app::error::AppError;
use crate::app::headcount::Headcount;
use crate::app::inputs::{NewCase, NewOrganisation, NewUnit};
use crate::app::views::{Organisation, Unit};
use crate::app::{cases, organisations, programmes, AppState};
use crate::domain::policy::{authorize, may, Action, Target};
use crate::domain::{FieldCode, FieldError, Language};
use crate::http::web::forms::{Feedback, FormData, FormView};
use crate::http::web::session::Viewer;
use crate::http::web::{attempt, blocking, page, see_other, WebError};

#[derive(Serialize)]
struct AdminHome {
    links: Vec<(String, String)>,
}

/// `/admin`: the admin's start page.
pub async fn home(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    authorize(&viewer.actor, Action::Administer, &Target::DEPLOYMENT)
        .map_err(|denied| WebError::app(AppError::from(denied), lang))?;
    let links = [
        ("/cases", "nav.cases"),
        ("/admin/organisations", "nav.organisations"),
        ("/admin/units", "nav.units"),
        ("/admin/users", "nav.users"),
        ("/admin/programmes", "nav.programmes"),
        ("/admin/mail", "nav.mail"),
        ("/admin/webhooks", "nav.webhooks"),
    ]
    .iter()
    .map(|(href, key)| (href.to_string(), t(lang, key)))
    .collect();
    page(
        &state,
        &viewer,
        "admin",
        t(lang, "admin.title"),
        StatusCode::OK,
        &AdminHome { links },
    )
}

#[derive(Serialize)]
struct OrganisationsPage {
    organisations: Vec<Organisation>,
    form: Option<FormView>,
}

fn organisation_form(lang: Language, feedback: Option<&Feedback>) -> FormView {
    let mut form = FormView::new(
        "organisation",
        "/admin/organisations",
        t(lang, "action.create_organisation"),
    )
    .field("name", "text", t(lang, "field.name"))
    .required()
    .field("org_number", "text", t(lang, "field.org_number"))
    .hint(t(lang, "hint.org_number"));
    if let Some(f) = feedback {
        form.apply(f, &|r| r.key.clone());
    }
    form.finish()
}

async fn render_organisations(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    feedback: Option<Feedback>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let list = blocking(lang, move || organisations::list(&s, &actor, all())).await?;
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let form = may(
        &viewer.actor,
        Action::CreateOrganisation,
        &Target::DEPLOYMENT,
    )
    .then(|| organisation_form(lang, feedback.as_ref()));
    page(
        state,
        viewer,
        "organisations",
        t(lang, "organisations.title"),
        status,
        &OrganisationsPage {
            organisations: list.items,
            form,
        },
    )
}

/// `GET /admin/organisations`.
pub async fn organisations(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, WebError> {
    render_organisations(&state, &viewer, None).await
}

/// `POST /admin/organisations`.
pub async fn create_organisation(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let input = NewOrganisation::try_from(&form);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || {
        organisations::create(&s, &actor, input?)
    })
    .await?;
    match outcome {
        Ok(org) => Ok(see_other(
            &state,
            &format!("/admin/organisations/{}", org.id),
            Some("organisation_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("organisation", e, viewer.lang, &form)?;
            render_organisations(&state, &viewer, Some(feedback)).await
        }
    }
}

#[derive(Serialize)]
struct OrganisationPage {
    organisation: Organisation,
    units: Vec<Unit>,
    dashboard_href: Option<String>,
    unit_form: Option<FormView>,
    import_form: Option<FormView>,
    enrol_form: Option<FormView>,
    import_errors: Vec<String>,
}

async fn render_organisation(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: String,
    feedback: Option<Feedback>,
    import_errors: Vec<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let org_id = id.clone();
    let place = Target {
        organisation_id: Some(&id),
        ..Target::DEPLOYMENT
    };
    let may_enrol = may(&viewer.actor, Action::Enrol, &place);
    let (organisation, units, programmes, enrolled) = blocking(lang, move || {
        let org = organisations::get(&s, &actor, &org_id)?;
        let units = organisations::list_units(&s, &actor, Some(&org_id), all())?.items;
        let programmes = programmes::list(&s, all())?.items;
        let enrolled = if may_enrol {
            organisations::units_with_live_case(&s, &actor, &org_id)?
        } else {
            Vec::new()
        };
        Ok((org, units, programmes, enrolled))
    })
    .await?;
    let may_here = |action| may(&viewer.actor, action, &place);
    // A unit with a live case is not offered again; each is named with its
    // organisation, since units of the same name exist in several.
    let enrollable: Vec<(String, String)> = units
        .iter()
        .filter(|u| !enrolled.contains(&u.id))
        .map(|u| (u.id.clone(), format!("{} – {}", organisation.name, u.name)))
        .collect();
    let fb = feedback.as_ref();
    let apply = |mut f: FormView| {
        if let Some(fb) = fb {
            f.apply(fb, &|r| r.key.clone());
        }
        f.finish()
    };
    let unit_form = may_here(Action::CreateUnit).then(|| {
        apply(
            FormView::new(
                "unit",
                format!("/admin/organisations/{id}/units"),
                t(lang, "action.create_unit"),
            )
            .field("name", "text", t(lang, "field.unit_name"))
            .required()
            .field("department", "text", t(lang, "field.department"))
            .field("headcount", "number", t(lang, "field.headcount"))
            .required()
            .range(Some(Headcount::MIN), Some(Headcount::MAX))
            .field("contact_email", "email", t(lang, "field.contact_email")),
        )
    });
    let import_form = may_here(Action::CreateUnit).then(|| {
        apply(
            FormView::new(
                "import",
                format!("/admin/organisations/{id}/import"),
                t(lang, "action.import"),
            )
            .field("csv", "textarea", t(lang, "field.csv"))
            .required()
            .hint(t(lang, "hint.csv")),
        )
    });
    let enrol_form = (may_here(Action::Enrol) && !enrollable.is_empty()).then(|| {
        apply(
            FormView::new(
                "enrol",
                format!("/admin/organisations/{id}/enrol"),
                t(lang, "action.enrol"),
            )
            .field("unit_id", "select", t(lang, "field.organisation_unit"))
            .required()
            .name_choices(enrollable.clone())
            .field("programme_id", "select", t(lang, "field.programme"))
            .required()
            .choices(
                programmes
                    .iter()
                    .map(|p| {
                        (
                            p.id.clone(),
                            format!("{} ({} {})", p.name, t(lang, "case.version"), p.version),
                        )
                    })
                    .collect(),
            ),
        )
    });
    let status = feedback.as_ref().map_or(StatusCode::OK, |f| f.status);
    let data = OrganisationPage {
        dashboard_href: may_here(Action::ReadReports)
            .then(|| format!("/organisations/{}/dashboard", organisation.id)),
        organisation,
        units,
        unit_form,
        import_form,
        enrol_form,
        import_errors,
    };
    let title = data.organisation.name.clone();
    page(state, viewer, "organisation", title, status, &data)
}

/// `GET /admin/organisations/{id}`.
pub async fn organisation(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render_organisation(&state, &viewer, id.into_inner(), None, Vec::new()).await
}

/// `POST /admin/organisations/{id}/units`.
pub async fn create_unit(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let org_id = id.into_inner();
    let input = NewUnit::try_from(&form);
    let (s, actor, oid) = (state.clone(), viewer.actor.clone(), org_id.clone());
    let outcome = attempt(viewer.lang, move || {
        organisations::create_unit(&s, &actor, &oid, input?)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/admin/organisations/{org_id}"),
            Some("unit_created"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("unit", e, viewer.lang, &form)?;
            render_organisation(&state, &viewer, org_id, Some(feedback), Vec::new()).await
        }
    }
}

/// `POST /admin/organisations/{id}/import`: `name;department;headcount;contact_email`
/// per line (a header line is recognised and skipped; `,` works as separator too).
pub async fn import_units(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let org_id = id.into_inner();
    let lang = viewer.lang;
    let parsed = super::import::parse(lang, form.get("csv").unwrap_or(""));
    let (inputs, mut errors) = match parsed {
        Ok(v) => v,
        Err(message) => (Vec::new(), vec![message]),
    };
    if errors.is_empty() && inputs.is_empty() {
        errors.push(t(lang, "import.empty"));
    }
    if errors.is_empty() {
        let (s, actor, oid) = (state.clone(), viewer.actor.clone(), org_id.clone());
        let lines: Vec<usize> = inputs.iter().map(|(line, _)| *line).collect();
        let units = inputs.into_iter().map(|(_, u)| u).collect();
        match attempt(lang, move || {
            Ok(organisations::import_units(&s, &actor, &oid, units))
        })
        .await?
        {
            Ok(Ok(created)) => {
                let _ = created;
                return Ok(see_other(
                    &state,
                    &format!("/admin/organisations/{org_id}"),
                    Some("units_imported"),
                ));
            }
            Ok(Err(organisations::ImportError::Rows(rows))) => {
                errors = rows
                    .into_iter()
                    .map(|(i, e)| {
                        super::import::row_error(lang, lines.get(i).copied().unwrap_or(0), &e)
                    })
                    .collect();
            }
            Ok(Err(organisations::ImportError::Other(e))) | Err(e) => {
                return Err(WebError::app(e, lang))
            }
        }
    }
    let feedback = Feedback::invalid(
        "import",
        lang,
        vec![FieldError::coded(
            "csv",
            FieldCode::ImportRefused,
            "nothing was imported",
        )],
        &form,
    );
    render_organisation(&state, &viewer, org_id, Some(feedback), errors).await
}

/// `POST /admin/organisations/{id}/enrol`.
pub async fn enrol(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    viewer.check(&form)?;
    let org_id = id.into_inner();
    let input = NewCase::try_from(&form);
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let outcome = attempt(viewer.lang, move || cases::enrol(&s, &actor, input?)).await?;
    match outcome {
        Ok(case) => Ok(see_other(
            &state,
            &format!("/cases/{}", case.id),
            Some("enrolled"),
        )),
        Err(e) => {
            let feedback = Feedback::from_error("enrol", e, viewer.lang, &form)?;
            render_organisation(&state, &viewer, org_id, Some(feedback), Vec::new()).await
        }
    }
}

//! CSRF: every web POST route, in one table, refuses a form without this session's
//! token (none, or a wrong one) with 403 and changes nothing; the same form with the
//! right token is accepted, so the refusal is the token's and not the role's. A test
//! reads the routes from src/http/web/mod.rs, so a new POST route without a row fails.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp, World, PASSWORD};
use crate::web_session::{assert_unchanged, csrf_of, snapshot, Web};

/// Who sends a row's form.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Admin,
    Auditor,
    /// The consultant of `Given::world`.
    Consultant,
}

/// One web POST route: its pattern (as registered), the path with ids, the fields of
/// a form that succeeds, and whether that success changes something stored.
struct Row {
    pattern: &'static str,
    path: String,
    fields: Vec<(&'static str, String)>,
    who: Who,
    changes: bool,
}

/// What the rows act on: a case with an open finding, a past session without
/// attendance, another to cancel, a unit with no case, and a case awaiting audit.
pub(crate) struct Given {
    world: World,
    finding: String,
    session_to_record: String,
    session_to_cancel: String,
    free_unit: String,
    programme: String,
    audited: World,
    webhook: String,
    cohort: String,
    appeal: String,
    complaint: String,
    /// An open event that has started, with two registrations.
    event: String,
    registrations: [String; 2],
    /// The plan pages' and workshop-request pages' own: see `plan_pages::csrf_given`.
    pub(crate) world_organisation: String,
    pub(crate) plans: [String; 3],
    pub(crate) workshop_requests: [String; 3],
}

async fn given(app: &TestApp) -> Given {
    let world = app.given_a_case_in("audit").await;
    app.return_with(
        &world,
        json!([{ "severity": "minor", "text": "Punkten saknas" }]),
    )
    .await
    .should_be(200);
    let (token, case) = (&world.consultant.token, &world.case_id);
    let finding = app.get_findings(token, case).await.should_be(200).ids()[0].clone();
    let session_to_record = app.schedule_session(token, case, "supervision", -3).await;
    let session_to_cancel = app.schedule_session(token, case, "supervision", 5).await;
    let free_unit = app.create_unit(&world.organisation_id, 7).await;
    let programme = app.default_programme_id().await;
    let audited = app.given_a_case_in("audit").await;
    let webhook = app
        .post(
            &app.admin.token,
            "/webhooks",
            &json!({ "url": "http://127.0.0.1:9/hook", "events": ["case.enrolled"] }),
        )
        .await
        .should_be(201)
        .id();
    let cohort = app
        .post(
            &app.admin.token,
            "/cohorts",
            &json!({ "name": "Omgång", "programme_id": programme, "period_start": "2026-01-01",
                     "period_end": "2026-12-31", "organisation_ids": [] }),
        )
        .await
        .should_be(201)
        .id();
    let appealed = crate::appeals::returned_case(app).await;
    let appeal = app
        .post(
            &appealed.consultant.token,
            &format!("/cases/{}/appeals", appealed.case_id),
            &json!({ "text": "Rutinen finns." }),
        )
        .await
        .should_be(201)
        .id();
    let complaint = app
        .call(
            awc::http::Method::POST,
            "/api/v1/complaints",
            None,
            &[],
            Some(&json!({ "text": "Ett klagomål på oss." })),
        )
        .await
        .should_be(201)
        .id();
    let (event, registrations) = crate::event_pages::started_event(app).await;
    let (plans, workshop_requests) = crate::plan_pages::csrf_given(app, &world).await;
    Given {
        event,
        registrations,
        world_organisation: world.organisation_id.clone(),
        plans,
        workshop_requests,
        cohort,
        world,
        finding,
        session_to_record,
        session_to_cancel,
        free_unit,
        programme,
        audited,
        webhook,
        appeal,
        complaint,
    }
}

/// Stands for the case's version at the time the row is sent.
const CURRENT_VERSION: &str = "current-version";

fn table(g: &Given) -> Vec<Row> {
    let org = &g.world.organisation_id;
    let case = &g.world.case_id;
    let row = |pattern, path: String, fields: &[(&'static str, &str)], who, changes| Row {
        pattern,
        path,
        fields: fields.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        who,
        changes,
    };
    vec![
        row(
            "/admin/organisations",
            "/admin/organisations".into(),
            &[("name", "Förfalskad kommun")],
            Who::Admin,
            true,
        ),
        row(
            "/admin/organisations/{id}/units",
            format!("/admin/organisations/{org}/units"),
            &[("name", "Förfalskad enhet"), ("headcount", "5")],
            Who::Admin,
            true,
        ),
        row(
            "/admin/organisations/{id}/import",
            format!("/admin/organisations/{org}/import"),
            &[("csv", "Importerad enhet;Vård;12;\n")],
            Who::Admin,
            true,
        ),
        row(
            "/admin/organisations/{id}/enrol",
            format!("/admin/organisations/{org}/enrol"),
            &[("unit_id", &g.free_unit), ("programme_id", &g.programme)],
            Who::Admin,
            true,
        ),
        // Answers 201 with the page that shows the new endpoint's secret once.
        row(
            "/admin/webhooks",
            "/admin/webhooks".into(),
            &[
                ("url", "http://127.0.0.1:9/csrf"),
                ("events", "case.stage_changed"),
            ],
            Who::Admin,
            false,
        ),
        // No delivery exists: the right token reaches the lookup (404), not 403.
        row(
            "/admin/webhooks/{id}/deliveries/{delivery_id}/retry",
            format!(
                "/admin/webhooks/{}/deliveries/no-such-delivery/retry",
                g.webhook
            ),
            &[],
            Who::Admin,
            false,
        ),
        row(
            "/admin/webhooks/{id}/delete",
            format!("/admin/webhooks/{}/delete", g.webhook),
            &[],
            Who::Admin,
            true,
        ),
        row(
            "/cohorts",
            "/cohorts".into(),
            &[
                ("name", "Förfalskad omgång"),
                ("programme_id", &g.programme),
                ("period_start", "2026-02-01"),
                ("period_end", "2026-11-30"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/cohorts/{id}/organisations",
            format!("/cohorts/{}/organisations", g.cohort),
            &[("organisation_id", org)],
            Who::Admin,
            true,
        ),
        // No dead mail exists: the right token reaches the lookup (404), not 403.
        row(
            "/admin/mail/{id}/retry",
            "/admin/mail/no-such-mail/retry".into(),
            &[],
            Who::Admin,
            false,
        ),
        row(
            "/admin/users",
            "/admin/users".into(),
            &[
                ("name", "Falsk Person"),
                ("email", "falsk@example.se"),
                ("role", "auditor"),
                ("password", PASSWORD),
                ("language", "sv"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/admin/programmes",
            "/admin/programmes".into(),
            &[
                ("key", "csrf-programme"),
                ("name", "Förfalskat program"),
                ("workshops_required", "2"),
                ("attendance_threshold_pct", "80"),
                ("reflection_threshold_pct", "80"),
                ("routine_areas", "apt,quality"),
                ("validity_months", "24"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/admin/programmes/new",
            "/admin/programmes/new".into(),
            &[
                ("key", "csrf-path"),
                ("name", "Förfalskad handledning"),
                ("validity_months", "36"),
                ("kickoff.deadline_days", "30"),
                ("kickoff.requirements[0].kind", "sessions_held"),
                ("kickoff.requirements[0].session_kind", "mapping"),
                ("kickoff.requirements[0].count", "1"),
                ("kickoff.requirements[0].documented", "yes"),
                ("value_workshops.used", "no"),
                ("individual_reflection.used", "no"),
                ("routine_integration.used", "no"),
                ("audit.deadline_days", "30"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/admin/programmes/{id}",
            format!("/admin/programmes/{}", g.programme),
            &[
                ("name", "Förfalskad handledning"),
                ("validity_months", "36"),
                ("kickoff.deadline_days", "30"),
                ("kickoff.requirements[0].kind", "sessions_held"),
                ("kickoff.requirements[0].session_kind", "mapping"),
                ("kickoff.requirements[0].count", "1"),
                ("kickoff.requirements[0].documented", "yes"),
                ("value_workshops.used", "no"),
                ("individual_reflection.used", "no"),
                ("routine_integration.used", "no"),
                ("audit.deadline_days", "30"),
            ],
            Who::Admin,
            true,
        ),
        // Version 2 of the default programme exists now (the row above): a dry run.
        row(
            "/admin/programmes/{id}/migrate",
            format!("/admin/programmes/{}/migrate", g.programme),
            &[("step", "dry_run"), ("to_version", "2")],
            Who::Admin,
            false,
        ),
        row(
            "/cases/{id}/sessions",
            format!("/cases/{case}/sessions"),
            &[
                ("kind", "supervision"),
                ("title", "Förfalskad handledning"),
                ("starts_at", "2026-04-01T10:00"),
                ("ends_at", "2026-04-01T12:00"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/sessions/{sid}/attendance",
            format!("/cases/{case}/sessions/{}/attendance", g.session_to_record),
            &[("attended", "7")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/sessions/{sid}/attendance/correction",
            format!(
                "/cases/{case}/sessions/{}/attendance/correction",
                g.session_to_record
            ),
            &[("attended", "6"), ("reason", "Förfalskad rättelse")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/sessions/{sid}/notes",
            format!("/cases/{case}/sessions/{}/notes", g.session_to_record),
            &[("notes", "Förfalskade anteckningar om gruppens arbete")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/sessions/{sid}/cancel",
            format!("/cases/{case}/sessions/{}/cancel", g.session_to_cancel),
            &[("step", "confirm")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/reflections",
            format!("/cases/{case}/reflections"),
            &[("completed", "9")],
            Who::Admin,
            false,
        ),
        row(
            "/cases/{id}/measures/trained",
            format!("/cases/{case}/measures/trained"),
            &[("completed", "9")],
            Who::Admin,
            false,
        ),
        row(
            "/cases/{id}/evidence",
            format!("/cases/{case}/evidence"),
            &[("area", "apt"), ("description", "Förfalskat protokoll")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/findings/{fid}",
            format!("/cases/{case}/findings/{}", g.finding),
            &[("resolution", "Förfalskad åtgärd")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/findings/{fid}/correction",
            format!("/cases/{case}/findings/{}/correction", g.finding),
            &[("resolution", ""), ("reason", "Förfalskad rättelse")],
            Who::Admin,
            true,
        ),
        row(
            "/cases/{id}/transitions",
            format!("/cases/{case}/transitions"),
            &[("action", "pause"), ("version", CURRENT_VERSION)],
            Who::Admin,
            true,
        ),
        row(
            "/audits/{id}",
            format!("/audits/{}", g.audited.case_id),
            &[
                ("action", "approve"),
                ("comment", "Förfalskat godkännande"),
                ("version", CURRENT_VERSION),
                ("step", "confirm"),
            ],
            Who::Auditor,
            true,
        ),
        // The world's case was returned: its consultant may appeal it.
        row(
            "/cases/{id}/appeal",
            format!("/cases/{case}/appeal"),
            &[("step", "confirm"), ("text", "Förfalskat överklagande")],
            Who::Consultant,
            true,
        ),
        // Nothing is recommended: the right token reaches the use case (409), not 403.
        row(
            "/cases/{id}/decision",
            format!("/cases/{case}/decision"),
            &[("step", "confirm"), ("outcome", "certify")],
            Who::Admin,
            false,
        ),
        row(
            "/admin/appeals/{id}",
            format!("/admin/appeals/{}", g.appeal),
            &[("step", "confirm"), ("outcome", "rejected")],
            Who::Admin,
            true,
        ),
        row(
            "/admin/complaints/{id}",
            format!("/admin/complaints/{}", g.complaint),
            &[("step", "confirm"), ("outcome", "noted")],
            Who::Admin,
            true,
        ),
        row(
            "/events",
            "/events".into(),
            &[
                ("title", "Förfalskad träff"),
                ("kind", "learning_meeting"),
                ("starts_at", "2026-09-09T09:00"),
                ("ends_at", "2026-09-09T12:00"),
                ("open_to", "all"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/events/{id}/registrations/{rid}/cancel",
            format!(
                "/events/{}/registrations/{}/cancel",
                g.event, g.registrations[0]
            ),
            &[("step", "confirm")],
            Who::Admin,
            true,
        ),
        row(
            "/events/{id}/capacity",
            format!("/events/{}/capacity", g.event),
            &[("capacity", "7")],
            Who::Admin,
            true,
        ),
        row(
            "/events/{id}/attendance",
            format!("/events/{}/attendance", g.event),
            &[("attended", &g.registrations[1])],
            Who::Admin,
            true,
        ),
        // People: the world's auditor is renamed, closed, then erased.
        row(
            "/admin/users/{id}",
            format!("/admin/users/{}", g.world.auditor.id),
            &[
                ("name", "Omdöpt Granskare"),
                ("role", "auditor"),
                ("organisation_id", ""),
                ("unit_id", ""),
                ("language", "en"),
            ],
            Who::Admin,
            true,
        ),
        row(
            "/admin/users/{id}/active",
            format!("/admin/users/{}/active", g.world.auditor.id),
            &[("active", "false")],
            Who::Admin,
            true,
        ),
        row(
            "/admin/users/{id}/erase",
            format!("/admin/users/{}/erase", g.world.auditor.id),
            &[("step", "confirm")],
            Who::Admin,
            true,
        ),
        row(
            "/profile",
            "/profile".into(),
            &[("name", "Ny Konsultsson"), ("language", "sv")],
            Who::Consultant,
            true,
        ),
        // Last: a new password ends the consultant's other sessions.
        row(
            "/profile/password",
            "/profile/password".into(),
            &[
                ("current_password", PASSWORD),
                ("password", "a brand new and long passphrase"),
            ],
            Who::Consultant,
            false,
        ),
    ]
    .into_iter()
    .chain(
        crate::plan_pages::csrf_rows(g)
            .into_iter()
            .map(|(pattern, path, fields, changes)| Row {
                pattern,
                path,
                fields,
                who: Who::Admin,
                changes,
            }),
    )
    .collect()
}

/// The web POST routes registered in src/http/web/mod.rs.
fn registered_post_routes() -> Vec<String> {
    let source = include_str!("../../src/http/web/mod.rs");
    let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .split(".route(\"")
        .skip(1)
        .filter_map(|chunk| {
            let (path, rest) = chunk.split_once('"')?;
            rest.starts_with(",web::post()").then(|| path.to_string())
        })
        .collect()
}

#[test]
fn the_csrf_table_has_a_row_for_every_web_post_route() {
    let mut registered = registered_post_routes();
    registered.sort();
    assert!(
        registered.len() >= 17,
        "the route reader finds the POST routes: {registered:?}"
    );
    let dummy = Given {
        cohort: "h".into(),
        world: World {
            organisation_id: "o".into(),
            unit_id: "u".into(),
            case_id: "c".into(),
            consultant: dummy_user(),
            auditor: dummy_user(),
        },
        finding: "f".into(),
        session_to_record: "s".into(),
        session_to_cancel: "s".into(),
        free_unit: "u".into(),
        programme: "p".into(),
        audited: World {
            organisation_id: "o".into(),
            unit_id: "u".into(),
            case_id: "c".into(),
            consultant: dummy_user(),
            auditor: dummy_user(),
        },
        webhook: "w".into(),
        appeal: "a".into(),
        complaint: "c".into(),
        event: "e".into(),
        registrations: ["r".into(), "r".into()],
        world_organisation: "o".into(),
        plans: ["p".into(), "a".into(), "u".into()],
        workshop_requests: ["w".into(), "w".into(), "w".into()],
    };
    let mut covered: Vec<String> = table(&dummy)
        .iter()
        .map(|r| r.pattern.to_string())
        .chain(
            [
                "/login",
                "/logout",
                "/complaints/new",
                "/events/{id}/cancel/{rid}",
                "/events/{id}",
                "/password-reset",
                "/password-reset/{token}",
            ]
            .map(String::from),
        )
        .collect();
    covered.sort();
    assert_eq!(
        covered, registered,
        "every web POST route has a CSRF row (login, logout, the public complaint form, the event cancel page, the event sign-up page and the password reset pages have their own tests)"
    );
}

fn dummy_user() -> crate::helpers::TestUser {
    crate::helpers::TestUser {
        id: String::new(),
        email: String::new(),
        role: String::new(),
        token: String::new(),
    }
}

#[actix_rt::test]
async fn every_web_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let g = given(&app).await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    let mut auditor = Web::login(&app, &g.audited.auditor.email).await;
    let mut consultant = Web::login(&app, &g.world.consultant.email).await;
    // Another signed-in person's token: valid, but not this session's.
    let other = Web::login(&app, &g.world.consultant.email).await;
    assert_ne!(other.csrf, admin.csrf, "tokens are per session");
    for row in table(&g) {
        let web = match row.who {
            Who::Admin => &mut admin,
            Who::Auditor => &mut auditor,
            Who::Consultant => &mut consultant,
        };
        let case_id = row.path.split('/').nth(2).unwrap_or_default().to_string();
        let mut owned = Vec::new();
        for (name, value) in &row.fields {
            let value = if value == CURRENT_VERSION {
                app.version(&case_id).await.to_string()
            } else {
                value.clone()
            };
            owned.push((*name, value));
        }
        let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let wrong_hex = "0".repeat(web.csrf.len());
        let attempts: Vec<(&str, Option<&str>)> = vec![
            ("no token", None),
            ("an empty token", Some("")),
            ("another session's token", Some(other.csrf.as_str())),
            ("a token of zeros", Some(wrong_hex.as_str())),
            ("a truncated token", Some(&web.csrf[..web.csrf.len() - 2])),
        ];
        let attempts: Vec<(String, Option<String>)> = attempts
            .into_iter()
            .map(|(what, token)| (what.to_string(), token.map(String::from)))
            .collect();
        let before = snapshot(&app).await;
        for (what, token) in &attempts {
            let mut sent = fields.clone();
            if let Some(token) = token {
                sent.push(("csrf", token));
            }
            let page = web.post_raw(&row.path, &sent).await;
            assert_eq!(
                page.status, 403,
                "POST {} with {what} is refused: {}",
                row.path, page.text
            );
            assert!(
                page.header("location").is_none(),
                "POST {} with {what} redirects nowhere",
                row.path
            );
            let after = snapshot(&app).await;
            assert_unchanged(&before, &after, &format!("POST {} with {what}", row.path));
        }

        // The same form with the session's token is not refused for its token.
        let page = web.post(&row.path, &fields).await;
        assert_ne!(
            page.status, 403,
            "POST {} with the session's token is accepted: {}",
            row.path, page.text
        );
        let after = snapshot(&app).await;
        if row.changes {
            assert_eq!(
                page.status, 303,
                "POST {} with the session's token succeeds: {}",
                row.path, page.text
            );
            assert_ne!(
                before, after,
                "POST {} with the session's token changes something",
                row.path
            );
        }
    }
}

#[actix_rt::test]
async fn a_log_out_without_the_sessions_csrf_token_keeps_the_session() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let other = Web::login(&app, &app.admin.email).await;
    for token in [None, Some(""), Some(other.csrf.as_str())] {
        let mut fields = vec![];
        if let Some(token) = token {
            fields.push(("csrf", token));
        }
        let page = web.post_raw("/logout", &fields).await;
        assert_eq!(page.status, 403, "log-out with {token:?}: {}", page.text);
        let still = web.get("/admin").await;
        assert_eq!(
            still.status, 200,
            "the session survives a log-out with {token:?}"
        );
    }
    let page = web.post("/logout", &[]).await;
    assert_eq!(page.status, 303, "log-out with the token: {}", page.text);
    let gone = web.get("/admin").await;
    assert_eq!(gone.status, 303, "the session has ended");
    assert!(
        gone.header("location")
            .is_some_and(|l| l.starts_with("/login")),
        "an ended session is sent to the log-in: {:?}",
        gone.headers
    );
}

#[actix_rt::test]
async fn a_log_in_without_the_forms_csrf_token_starts_no_session() {
    let app = spawn_app().await;
    let email = app.admin.email.clone();
    // Without the pre-session cookie the form's token cannot be right.
    let mut stranger = Web::anonymous(&app);
    let page = stranger
        .post_raw(
            "/login",
            &[("email", &email), ("password", PASSWORD), ("csrf", "00")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.text);
    assert!(!stranger.cookies.contains_key("stegvis_session"));

    let mut web = Web::anonymous(&app);
    let form = web.get("/login").await;
    let right = csrf_of(&form.text);
    let wrong = "0".repeat(right.len());
    for token in [None, Some(""), Some(wrong.as_str())] {
        let mut fields = vec![("email", email.as_str()), ("password", PASSWORD)];
        if let Some(token) = token {
            fields.push(("csrf", token));
        }
        let page = web.post_raw("/login", &fields).await;
        assert_eq!(page.status, 403, "log-in with {token:?}: {}", page.text);
        assert!(
            !web.cookies.contains_key("stegvis_session"),
            "a refused log-in sets no session cookie"
        );
    }
    let page = web
        .post_raw(
            "/login",
            &[("email", &email), ("password", PASSWORD), ("csrf", &right)],
        )
        .await;
    assert_eq!(
        page.status, 303,
        "the form's own token signs in: {}",
        page.text
    );
    assert!(web.cookies.contains_key("stegvis_session"));
}

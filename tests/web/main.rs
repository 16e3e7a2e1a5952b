//! Browser tests of the pages: headless Chromium through chromedriver, axe-core on
//! every page (zero serious or critical violations), screenshots in
//! target/web-screenshots/. SQLite by default, PostgreSQL with
//! `STEGVIS_TEST_BACKEND=postgres`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot go on should stop loudly"
)]

mod app;
mod browser;
mod complaints;
mod events;
mod flow;
mod language;
mod lists;
mod oidc;
mod people;
mod phone;
mod plans;
mod programmes;
mod role_pages;
mod workshop_requests;

use std::sync::atomic::AtomicUsize;

use app::{spawn_app, PASSWORD};
use browser::{words, Browser};

/// How many pages axe-core checked in this run.
pub static AXE_PAGES: AtomicUsize = AtomicUsize::new(0);

struct Words {
    refused: &'static str,
    stale: &'static str,
    certified: &'static str,
    not_found: &'static str,
    unmet_kickoff: &'static str,
    workshops_progress: &'static str,
    above_headcount: &'static str,
}

const SV: Words = Words {
    refused: "Stegets krav är inte uppfyllda än",
    stale: "Någon annan har ändrat ärendet",
    certified: "Certifierad",
    not_found: "Sidan finns inte",
    unmet_kickoff: "0 av 1 uppstartsmöte",
    workshops_progress: "2 av 4 verkstäder",
    above_headcount: "måste vara mellan 0 och antalet medarbetare (10)",
};

const EN: Words = Words {
    refused: "The stage's requirements are not met yet",
    stale: "Someone else changed the case",
    certified: "Certified",
    not_found: "Page not found",
    unmet_kickoff: "0 of 1 kickoff meeting",
    workshops_progress: "2 of 4 workshops",
    above_headcount: "must be between 0 and the headcount (10)",
};

async fn create_user(b: &Browser, name: &str, email: &str, role: &str, org: &str, unit: &str) {
    b.goto("/admin/users").await;
    let mut fields = vec![
        ("name", name),
        ("email", email),
        ("role", role),
        ("password", PASSWORD),
        ("language", b.lang),
    ];
    if !org.is_empty() {
        fields.push(("organisation_id", org));
    }
    if !unit.is_empty() {
        fields.push(("unit_id", unit));
    }
    b.submit("user", &fields).await;
    b.expect_flash("user_created").await;
    assert!(
        b.text().await.contains(email),
        "the user {email} is listed: {}",
        b.text().await
    );
}

async fn schedule(b: &Browser, kind: &str, title: &str, day: &str) {
    b.submit(
        "schedule",
        &[
            ("kind", kind),
            ("title", title),
            ("starts_at", &format!("{day}T10:00")),
            ("ends_at", &format!("{day}T12:00")),
            ("location", "Rum 1"),
        ],
    )
    .await;
    b.expect_flash("session_scheduled").await;
    assert!(b.text().await.contains(title), "{title} is listed");
}

async fn attend(b: &Browser, count: &str) {
    let id = b.form_id("attendance-").await;
    b.submit(&id, &[("attended", count)]).await;
    b.expect_flash("attendance_recorded").await;
    assert!(
        b.form_ids("attendance-").await.iter().all(|f| *f != id),
        "the recorded session asks for attendance no more"
    );
}

/// Leaves the stage with the advance form; the page says so and names the new stage.
async fn advance(b: &Browser, to: &str) {
    b.submit("advance", &[]).await;
    b.expect_flash("done_advance").await;
    let stage = words(b.lang, &format!("stage.{to}"));
    assert_eq!(
        b.current_step().await,
        Some(stage.clone()),
        "the path marks {stage} as the current step"
    );
}

/// A unit from kickoff to an approved certification, through the pages alone, by an
/// admin, a consultant, a unit contact, an auditor and a coordinator.
/// The admin registers a webhook endpoint (refused first without events), sees its
/// secret once, and deletes it after the page asks.
async fn webhooks(b: &Browser) {
    b.goto("/admin/webhooks").await;
    b.check("webhooks").await;
    b.submit("webhook", &[("url", "http://127.0.0.1:9/hook")])
        .await;
    let refused = b.text().await;
    assert!(
        refused.contains(&words(b.lang, "webhooks.create")),
        "the form is shown again: {refused}"
    );
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#webhook-events-error"))
            .await
            .is_ok(),
        "the events are named as missing: {refused}"
    );
    b.check("webhooks-refused").await;
    b.client
        .find(fantoccini::Locator::Id("webhook-event-1"))
        .await
        .expect("the stage-change box")
        .click()
        .await
        .expect("ticked");
    b.submit("webhook", &[("url", "http://127.0.0.1:9/hook")])
        .await;
    let secret = b
        .client
        .find(fantoccini::Locator::Id("webhook-secret"))
        .await
        .expect("the secret is shown")
        .text()
        .await
        .expect("its text");
    assert!(secret.starts_with("whsec_"), "{secret}");
    b.check("webhook").await;
    let endpoint = b.path().await;
    assert_eq!(endpoint, "/admin/webhooks", "the form posts to the list");
    let delete = b
        .client
        .find(fantoccini::Locator::Css("a[href$='/delete']"))
        .await
        .expect("a link to delete")
        .attr("href")
        .await
        .expect("its href")
        .expect("an href");
    b.goto(&delete).await;
    b.check("webhook-delete").await;
    b.submit("webhook-delete", &[]).await;
    b.expect_flash("webhook_deleted").await;
}

async fn walk(lang: &'static str, w: Words) {
    let app = spawn_app().await;
    let b = Browser::start(&app.address, lang).await;
    let tag = app::random_hex();
    let email = |who: &str| format!("{who}-{tag}@example.se");

    b.goto(&format!("/login?lang={lang}")).await;
    b.check("login").await;
    b.login(&app.admin_email, PASSWORD).await;
    assert_eq!(
        b.path().await,
        "/admin",
        "the admin lands on the admin page"
    );
    b.check("admin").await;
    b.goto("/admin/organisations").await;
    b.submit("organisation", &[("name", "Annan kommun")]).await;
    b.expect_flash("organisation_created").await;
    let other_org = b.path().await.rsplit('/').next().expect("id").to_string();
    b.goto("/admin/organisations").await;
    b.submit(
        "organisation",
        &[("name", "Järfälla kommun"), ("org_number", "212000-0142")],
    )
    .await;
    b.expect_flash("organisation_created").await;
    let org_path = b.path().await;
    assert!(
        org_path.starts_with("/admin/organisations/")
            && org_path != format!("/admin/organisations/{other_org}"),
        "the new organisation's page: {org_path}"
    );
    let org = org_path.rsplit('/').next().expect("id").to_string();
    b.submit(
        "unit",
        &[
            ("name", "Socialtjänst Väst"),
            ("department", "Socialförvaltningen"),
            ("headcount", "10"),
        ],
    )
    .await;
    b.expect_flash("unit_created").await;
    assert!(b.text().await.contains("Socialtjänst Väst"));
    b.submit(
        "import",
        &[(
            "csv",
            "namn;förvaltning;antal;e-post\nHemtjänst Öst;Vård;abc;\n;;5;\n",
        )],
    )
    .await;
    let refused = b.text().await;
    assert!(
        refused.contains("2") && refused.contains("3"),
        "the import names lines and columns: {refused}"
    );
    b.check("organisation-import-refused").await;
    b.submit(
        "import",
        &[("csv", "Hemtjänst Öst;Vård;12;\nSkola Syd;;30;\n")],
    )
    .await;
    b.expect_flash("units_imported").await;
    let imported = b.text().await;
    assert!(imported.contains("Skola Syd") && imported.contains("Hemtjänst Öst"));
    b.check("organisation").await;
    b.goto("/admin/organisations").await;
    b.check("organisations").await;
    b.goto("/admin/programmes").await;
    b.check("programmes").await;
    b.goto("/admin/mail").await;
    let mail_page = b.text().await;
    assert!(
        mail_page.contains("Alla brev har levererats")
            || mail_page.contains("Every mail has been delivered"),
        "the dead-mail page says nothing is stuck: {mail_page}"
    );
    b.check("mail").await;
    webhooks(&b).await;
    let unit_id = app_unit(&app, &org, "Socialtjänst Väst");
    create_user(
        &b,
        "Karin Processledare",
        &email("consultant"),
        "consultant",
        "",
        "",
    )
    .await;
    create_user(&b, "Gustav Granskare", &email("auditor"), "auditor", "", "").await;
    create_user(
        &b,
        "Ulla Kontakt",
        &email("contact"),
        "unit_contact",
        "",
        &unit_id,
    )
    .await;
    create_user(
        &b,
        "Sara Samordnare",
        &email("coordinator"),
        "coordinator",
        &org,
        "",
    )
    .await;
    b.check("users").await;
    b.logout().await;

    // The consultant enrols the unit and takes it through the first three stages.
    b.login(&email("consultant"), PASSWORD).await;
    b.check("my-cases-empty").await;
    b.goto(&org_path).await;
    b.select_label("#enrol-unit_id", "Järfälla kommun – Socialtjänst Väst")
        .await;
    b.submit("enrol", &[]).await;
    b.expect_flash("enrolled").await;
    let case_path = b.path().await;
    assert!(
        case_path.starts_with("/cases/"),
        "enrolment leads to the case page: {case_path}"
    );
    b.submit("advance", &[]).await;
    let page = b.text().await;
    assert!(
        page.contains(w.refused) && page.contains(w.unmet_kickoff),
        "a refused advance names the unmet requirement: {page}"
    );
    b.check("case-refused").await;
    schedule(&b, "kickoff", "Uppstart", "2026-02-20").await;
    let refused = b.form_id("attendance-").await;
    b.submit(&refused, &[("attended", "11")]).await;
    let page = b.text().await;
    assert!(
        page.contains(w.above_headcount),
        "a coded field error reads in the page's language with its parameter: {page}"
    );
    attend(&b, "9").await;
    b.check("case-kickoff").await;
    advance(&b, "value_workshops").await;
    for (i, day) in ["2026-02-21", "2026-02-22", "2026-02-23", "2026-02-24"]
        .iter()
        .enumerate()
    {
        schedule(&b, "workshop", &format!("Verkstad {}", i + 1), day).await;
        attend(&b, "8").await;
        if i == 1 {
            assert!(
                b.text().await.contains(w.workshops_progress),
                "progress in words"
            );
            b.check("case-workshops").await;
        }
    }
    schedule(&b, "supervision", "Handledning", "2026-04-15").await;
    advance(&b, "individual_reflection").await;
    b.submit("reflections", &[("completed", "8")]).await;
    b.expect_flash("reflections_recorded").await;
    advance(&b, "routine_integration").await;
    b.goto("/cases").await;
    b.check("my-cases").await;
    b.logout().await;

    // The unit contact adds evidence in every routine area and downloads a session.
    b.login(&email("contact"), PASSWORD).await;
    assert_eq!(b.path().await, "/unit");
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        b.submit(
            "evidence",
            &[
                ("area", area),
                ("description", "Protokoll där frågan är en stående punkt"),
                ("link", "https://intranet.example.se/apt"),
            ],
        )
        .await;
        b.expect_flash("evidence_added").await;
        let area_name = words(b.lang, &format!("area.{area}"));
        assert!(
            b.text().await.contains(&area_name),
            "the evidence in {area_name} is listed"
        );
    }
    b.check("unit").await;
    let ics_href = b
        .client
        .find(fantoccini::Locator::Css("a[href$='calendar.ics']"))
        .await
        .expect("an .ics link")
        .attr("href")
        .await
        .expect("href")
        .expect("href");
    let (status, content_type, ics) = b.fetch(&ics_href).await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("text/calendar")
            && ics.contains("BEGIN:VEVENT")
            && ics.contains("DTSTART:20260415T080000Z"),
        "{ics}"
    );
    b.logout().await;

    // The consultant asks for the audit; a stale version is refused with the fresh page.
    b.login(&email("consultant"), PASSWORD).await;
    b.goto(&case_path).await;
    b.client
        .execute(
            "document.querySelector('#request_audit input[name=version]').value = '1';",
            vec![],
        )
        .await
        .expect("js");
    b.select_label("#request_audit-auditor_id", "Gustav Granskare")
        .await;
    b.submit("request_audit", &[]).await;
    assert!(
        b.text().await.contains(w.stale),
        "a stale version is reported"
    );
    b.check("case-stale").await;
    b.select_label("#request_audit-auditor_id", "Gustav Granskare")
        .await;
    b.submit("request_audit", &[]).await;
    b.expect_flash("done_request_audit").await;
    b.logout().await;
    assert_eq!(b.path().await, "/login", "the log-out leads to the log-in");

    // The auditor returns it with findings (an empty row in between is ignored).
    b.login(&email("auditor"), PASSWORD).await;
    assert_eq!(b.path().await, "/audits");
    b.check("audits").await;
    b.goto(&case_path.replace("/cases/", "/audits/")).await;
    b.check("audit").await;
    b.submit(
        "return",
        &[
            ("findings[0].severity", "minor"),
            ("findings[0].area", "apt"),
            ("findings[0].text", "Punkten saknas i två protokoll"),
            ("findings[2].severity", "observation"),
            ("findings[2].text", "Bra exempel från SAM"),
        ],
    )
    .await;
    b.expect_flash("done_return").await;
    assert!(
        b.text().await.contains("Punkten saknas"),
        "the findings are listed"
    );
    b.logout().await;

    // The consultant resolves both findings and asks again.
    b.login(&email("consultant"), PASSWORD).await;
    b.goto(&case_path).await;
    for _ in 0..2 {
        let id = b.form_id("resolve-").await;
        b.submit(&id, &[("resolution", "Åtgärdat i protokollmallen")])
            .await;
        b.expect_flash("finding_resolved").await;
    }
    assert!(
        b.form_ids("resolve-").await.is_empty(),
        "no finding is left to resolve"
    );
    b.select_label("#request_audit-auditor_id", "Gustav Granskare")
        .await;
    b.submit("request_audit", &[]).await;
    b.expect_flash("done_request_audit").await;
    b.logout().await;

    // The auditor approves: the unit is certified.
    b.login(&email("auditor"), PASSWORD).await;
    b.goto(&case_path.replace("/cases/", "/audits/")).await;
    b.submit("approve", &[("comment", "Väl genomfört")]).await;
    // Approval cannot be undone: the page asks first.
    assert!(
        b.text()
            .await
            .contains(&words(lang, "confirm.approve.title")),
        "the approval asks first: {}",
        b.text().await
    );
    b.submit("approve-confirm", &[]).await;
    // "Certifierad" is a stage of the path, on every case page: the approval shows in
    // the flash, the certificate's links, and a PDF that downloads.
    b.expect_flash("done_approve").await;
    let steps = b.path_steps().await;
    assert_eq!(steps.len(), 6, "the path has six steps: {steps:?}");
    assert!(
        steps.iter().all(|(_, class)| class == "done") && steps[5].0 == w.certified,
        "every step of the path is done, the last {}: {steps:?}",
        w.certified
    );
    assert_eq!(b.current_step().await, None, "no step is left to take");
    let pdf = b
        .client
        .find(fantoccini::Locator::Css("a[href$='certificate.pdf']"))
        .await
        .expect("a certified case links its certificate")
        .attr("href")
        .await
        .expect("href")
        .expect("href");
    let (status, content_type, body) = b.fetch(&pdf).await;
    assert_eq!(status, 200, "{pdf}");
    assert!(
        content_type.starts_with("application/pdf") && body.starts_with("%PDF-"),
        "{pdf} is a PDF: {content_type}"
    );
    let verify = b
        .client
        .find(fantoccini::Locator::Css("a[href*='/verify/']"))
        .await
        .expect("a certified case links its verification page")
        .attr("href")
        .await
        .expect("href")
        .expect("href");
    // A link on the site may be relative; an absolute one is under the public URL.
    let verify_path = verify
        .strip_prefix(app::PUBLIC_URL)
        .unwrap_or(&verify)
        .to_string();
    assert!(
        verify_path.starts_with("/verify/"),
        "the verification link is the site's own: {verify}"
    );
    b.check("case-certified").await;
    b.logout().await;

    // The public verification page, for a valid and an unknown code, signed out.
    b.goto(&format!("{verify_path}?lang={lang}")).await;
    let valid = words_valid(lang);
    assert!(
        b.source().await.contains(valid),
        "the verification page says {valid}"
    );
    b.check("verify").await;
    b.goto(&format!("/verify/ABCDEFGHJKMN?lang={lang}")).await;
    assert!(
        !b.source().await.contains(valid),
        "an unknown code is not valid"
    );
    b.check("verify-unknown").await;

    // The coordinator sees their organisation, with the chart and the CSV, and no other.
    b.login(&email("coordinator"), PASSWORD).await;
    assert_eq!(b.path().await, format!("/organisations/{org}/dashboard"));
    b.client
        .find(fantoccini::Locator::Css("svg.chart[role=img] title"))
        .await
        .expect("the chart");
    b.check("dashboard").await;
    let (status, content_type, csv) = b.fetch(&format!("/organisations/{org}/cases.csv")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/csv"));
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Socialtjänst Väst;Socialförvaltningen;10;"),
        "{csv}"
    );
    b.goto(&format!("/organisations/{other_org}/dashboard"))
        .await;
    assert!(b.text().await.contains(w.not_found));
    b.check("not-found").await;
    b.goto("/admin/users").await;
    let forbidden = words(lang, "error.forbidden.title");
    assert!(
        b.text().await.contains(&forbidden),
        "a coordinator may not list users: {}",
        b.text().await
    );
    b.check("forbidden").await;
    b.goto(&case_path).await;
    b.check("case-coordinator").await;
    b.logout().await;
    let checked = b.checked.lock().expect("checked pages").clone();
    assert_eq!(
        checked, CHECKED_PAGES,
        "axe-core checked every page of the walk, in order"
    );
    b.client.clone().close().await.ok();
}

/// The pages the walk runs axe-core on, in order.
const CHECKED_PAGES: [&str; 28] = [
    "login",
    "admin",
    "organisation-import-refused",
    "organisation",
    "organisations",
    "programmes",
    "mail",
    "webhooks",
    "webhooks-refused",
    "webhook",
    "webhook-delete",
    "users",
    "my-cases-empty",
    "case-refused",
    "case-kickoff",
    "case-workshops",
    "my-cases",
    "unit",
    "case-stale",
    "audits",
    "audit",
    "case-certified",
    "verify",
    "verify-unknown",
    "dashboard",
    "not-found",
    "forbidden",
    "case-coordinator",
];

/// The verification page's word for a valid certificate (GLOSSARY.md).
fn words_valid(lang: &str) -> &'static str {
    if lang == "sv" {
        "Giltigt"
    } else {
        "Valid"
    }
}

fn app_unit(app: &app::TestApp, org: &str, name: &str) -> String {
    use stegvis::domain::{Actor, Role};
    let admin = Actor {
        id: "test".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    stegvis::app::organisations::list_units(
        &app.state,
        &admin,
        Some(org),
        stegvis::app::PageRequest {
            limit: 200,
            cursor: None,
        },
    )
    .expect("units")
    .items
    .into_iter()
    .find(|u| u.name == name)
    .map(|u| u.id)
    .expect("the unit exists")
}

#[actix_rt::test]
async fn a_unit_is_certified_through_the_pages_in_swedish() {
    walk("sv", SV).await;
}

#[actix_rt::test]
async fn a_unit_is_certified_through_the_pages_in_english() {
    walk("en", EN).await;
}

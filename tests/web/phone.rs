//! The public pages a phone opens from a QR code or a link: the verification page and
//! the registry, at 360 px wide (the verification page also at 390 px and 1280 px),
//! with axe-core, in Swedish and English.

use stegvis::app::inputs::OrganisationPatch;
use stegvis::app::PageRequest;
use stegvis::domain::{Actor, Role};

use crate::app::spawn_empty_app;
use crate::browser::Browser;

fn admin() -> Actor {
    Actor {
        id: "test".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    }
}

/// Loads the demo data and lists every organisation in the registry.
pub(crate) fn demo_in_the_registry(app: &crate::app::TestApp) {
    stegvis::app::demo::load(&app.state).expect("the demo loads");
    let organisations = stegvis::app::organisations::list(
        &app.state,
        &admin(),
        PageRequest {
            limit: 200,
            cursor: None,
        },
    )
    .expect("the organisations");
    for org in organisations.items {
        stegvis::app::organisations::patch(
            &app.state,
            &admin(),
            &org.id,
            OrganisationPatch {
                name: None,
                org_number: None,
                public_registry: Some(true),
            },
        )
        .expect("opted in");
    }
}

async fn phone(lang: &'static str, registry_title: &str) {
    let app = spawn_empty_app().await;
    demo_in_the_registry(&app);
    let b = Browser::start(&app.address, lang).await;

    b.goto(&format!("/registry?lang={lang}")).await;
    assert!(
        b.text().await.contains(registry_title),
        "{}",
        b.text().await
    );
    b.check_at_360("registry", &app.dir).await;

    let verify = b
        .client
        .find(fantoccini::Locator::Css("ul.entries a[href^='/verify/']"))
        .await
        .expect("the registry lists a certified demo unit")
        .attr("href")
        .await
        .expect("href")
        .expect("href");
    b.goto(&verify).await;
    assert!(
        b.source().await.contains("id=\"embed\""),
        "a valid certificate offers its badge snippet: {verify}"
    );
    b.check_at_360("verify", &app.dir).await;
    // Where a QR code lands: at 390 px too, nothing (programme, end date) past the edge.
    crate::role_pages::check_widths(&b, "verify", &app.dir).await;
    crate::role_pages::assert_nothing_past_the_edge();
    let shown = b.text().await;
    assert!(
        shown.contains(" – "),
        "the validity's end date is shown: {shown}"
    );
    b.goto(&format!("/verify?lang={lang}")).await;
    b.check_at_360("verify-form", &app.dir).await;
    for name in ["registry", "verify", "verify-form"] {
        let shot = app.dir.join(format!("{lang}-{name}-360.png"));
        assert!(
            std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
            "{} is a screenshot",
            shot.display()
        );
    }
    b.client.clone().close().await.ok();
}

#[actix_rt::test]
async fn the_verification_and_registry_pages_fit_a_360_px_phone_in_swedish() {
    phone("sv", "Register över certifierade enheter").await;
}

#[actix_rt::test]
async fn the_verification_and_registry_pages_fit_a_360_px_phone_in_english() {
    phone("en", "Register of certified units").await;
}

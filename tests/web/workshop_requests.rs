//! Workshop requests in the browser, axe-core clean on every page: a unit's contact
//! asks (a past date is named next to its field first), staff open the queue, book the
//! request as an open event, and decline another after the confirmation page.

use fantoccini::Locator;
use stegvis::app::email::EmailAddress;
use stegvis::app::inputs::NewUser;
use stegvis::app::users;
use stegvis::domain::{Language, Role};

use crate::app::{random_hex, spawn_app, PASSWORD};
use crate::browser::{words, Browser};

#[actix_rt::test]
async fn a_contact_asks_and_staff_book_one_request_and_decline_another() {
    // Given a unit, its contact and a consultant
    let app = spawn_app().await;
    let admin = crate::plans::admin_of(&app);
    let (_, unit) =
        crate::plans::organisation_with_unit(&app, &admin, "Göteborgs Stad", "Lokalvården Centrum");
    let person = |name: &str, role: Role, unit: Option<&str>| {
        let email = format!("{}-{}@example.se", role.as_str(), random_hex());
        users::create(
            &app.state,
            Some(&admin),
            NewUser {
                email: EmailAddress::sent(&email),
                name: name.into(),
                role,
                organisation_id: None,
                unit_id: unit.map(String::from),
                language: Some(Language::Sv),
                password: Some(PASSWORD.into()),
            },
        )
        .expect("a user");
        email
    };
    let contact = person("Maria Berg", Role::UnitContact, Some(&unit));
    let consultant = person("Karin Processledare", Role::Consultant, None);
    let b = Browser::start(&app.address, "sv").await;

    // The contact asks twice; a past date is named next to its field first
    b.login(&contact, PASSWORD).await;
    b.goto("/workshop-requests").await;
    b.check("workshop-requests-ask").await;
    let ask = |audience: &'static str, date: &'static str| {
        vec![
            ("audience", audience),
            ("wished_dates[0]", date),
            ("perspectives", "Normer, Bemötande"),
        ]
    };
    b.submit("workshop-request", &ask("Kvällsskiftet", "2026-01-15"))
        .await;
    let refused = b.source().await;
    assert!(refused.contains("id=\"workshop-request-wished_dates-0--error\""));
    b.check("workshop-requests-refused").await;
    b.submit("workshop-request", &ask("Kvällsskiftet", "2026-03-20"))
        .await;
    b.expect_flash("workshop_requested").await;
    b.check("workshop-request").await;
    b.goto("/workshop-requests").await;
    b.submit("workshop-request", &ask("Nattskiftet", "2026-03-27"))
        .await;
    b.expect_flash("workshop_requested").await;
    b.logout().await;

    // Staff open the queue and book the first as an open event
    b.login(&consultant, PASSWORD).await;
    b.goto("/workshop-requests").await;
    b.check("workshop-queue").await;
    let first = b
        .client
        .find(Locator::LinkText("Kvällsskiftet"))
        .await
        .expect("the first request")
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    b.goto(&first).await;
    b.check("workshop-request-staff").await;
    b.submit(
        "workshop-accept",
        &[
            ("schedule_as", "event"),
            ("starts_at", "2026-03-20T09:00"),
            ("ends_at", "2026-03-20T11:00"),
            ("location", "Stadshuset"),
        ],
    )
    .await;
    b.expect_flash("workshop_accepted").await;
    assert!(b
        .text()
        .await
        .contains(&words("sv", "workshops.booked_as_event")));

    // And decline the second after the confirmation page
    b.goto("/workshop-requests").await;
    let second = b
        .client
        .find(Locator::LinkText("Nattskiftet"))
        .await
        .expect("the second request")
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    b.goto(&second).await;
    b.submit(
        "workshop-decline",
        &[("reason", "Inga lediga datum i mars.")],
    )
    .await;
    assert!(b
        .text()
        .await
        .contains(&words("sv", "workshops.decline_question")));
    b.check("workshop-decline-confirm").await;
    b.submit("workshop-decline-confirm", &[]).await;
    b.expect_flash("workshop_declined").await;
    assert!(b.text().await.contains("Inga lediga datum i mars."));
    b.check("workshop-request-declined").await;
}

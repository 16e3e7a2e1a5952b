//! Every event that causes mail reaches exactly the right people, in their language.

use serde_json::json;

use crate::helpers::{sorted, spawn_app, PUBLIC_URL};

#[actix_rt::test]
async fn enrolment_mails_the_unit_contacts_and_the_consultant_each_in_their_language() {
    // Given a unit with a contact address, a Swedish and an English contact
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;

    // When the worker delivers the enrolment's mail
    app.dispatch().await;

    // Then each contact and the consultant got one mail, in their language
    let enrolled = app.mail_of_kind("enrolled").await;
    let to: Vec<String> = enrolled.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(to, unit.contacts_and_consultant());
    let sv = &app.smtp.mails_to(&unit.contact_sv.email)[0];
    assert!(
        sv.subject.contains("har påbörjat certifieringen"),
        "{}",
        sv.subject
    );
    assert!(sv.text.starts_with("Hej Sara Chef!"), "{}", sv.text);
    assert!(sv.text.contains("steget Uppstart"), "{}", sv.text);
    assert!(sv.html.contains("<html lang=\"sv\">"));
    let en = &app.smtp.mails_to(&unit.contact_en.email)[0];
    assert!(
        en.subject.contains("has started certification"),
        "{}",
        en.subject
    );
    assert!(en.text.starts_with("Hello Sam Manager,"), "{}", en.text);
    assert!(en.text.contains("the stage Kickoff"), "{}", en.text);
    assert!(en.html.contains("<html lang=\"en\">"));
    // The unit's own address belongs to no user: Swedish, without a name.
    let address = &app.smtp.mails_to(&unit.contact_email)[0];
    assert!(address.text.starts_with("Hej!"), "{}", address.text);
    let consultant = &app.smtp.mails_to(&unit.world.consultant.email)[0];
    assert!(consultant.text.contains("Processledare: Karin Lind"));
    // Every row was sent, with its own Message-ID.
    let rows = app.mail(Some("sent")).await;
    assert_eq!(rows.len(), 4);
    let mut ids: Vec<String> = app.smtp.mails().into_iter().map(|m| m.message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

#[actix_rt::test]
async fn each_step_of_the_path_mails_the_people_it_concerns() {
    // Given a case with contacts, driven along the whole path
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "routine_integration").await;

    // Stage advanced: the unit's contacts, three times (kickoff → … → routine integration)
    let advanced = app.mail_of_kind("stage_advanced").await;
    assert_eq!(advanced.len(), 9, "{advanced:?}");
    let mut to: Vec<String> = advanced.iter().map(|(r, _)| r.clone()).collect();
    to.dedup();
    assert_eq!(to, unit.contacts());
    assert!(advanced
        .iter()
        .any(|(r, s)| *r == unit.contact_sv.email && s.contains("Värderingsverkstäder")));
    assert!(advanced
        .iter()
        .any(|(r, s)| *r == unit.contact_en.email && s.contains("Value workshops")));

    // Audit requested: the assigned auditor alone, in English
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    app.transition(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(422); // evidence is still missing
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        app.add_evidence(&world.consultant.token, &world.case_id, area)
            .await
            .should_be(201);
    }
    app.transition(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(200);
    let requested = app.mail_of_kind("audit_requested").await;
    assert_eq!(requested.len(), 1);
    assert_eq!(requested[0].0, world.auditor.email);
    assert!(
        requested[0].1.starts_with("Audit requested"),
        "{requested:?}"
    );

    // Returned with findings: the consultant and the contacts, the findings listed
    let findings = json!([
        { "severity": "major", "area": "apt", "text": "Not a standing item at APT" },
        { "severity": "observation", "text": "Good follow-up in SAM" },
    ]);
    app.return_with(world, findings).await.should_be(200);
    let returned = app.mail_of_kind("audit_returned").await;
    let to: Vec<String> = returned.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(to, unit.contacts_and_consultant());
    app.dispatch().await;
    let sv = app.smtp.mails_to(&world.consultant.email);
    let sv = sv
        .iter()
        .find(|m| m.subject.contains("tillbakaskickat"))
        .unwrap();
    assert!(
        sv.text
            .contains("- Större avvikelse (Arbetsplatsträffar (APT)): Not a standing item at APT"),
        "{}",
        sv.text
    );
    assert!(
        sv.text.contains("- Iakttagelse: Good follow-up in SAM"),
        "{}",
        sv.text
    );
    let en = app.smtp.mails_to(&unit.contact_en.email);
    let en = en.iter().find(|m| m.subject.contains("returned")).unwrap();
    assert!(en.html.contains("Major nonconformity"), "{}", en.html);

    // Approved: the contacts and the consultant
    app.drive_to(world, "certified").await;
    let approved = app.mail_of_kind("approved").await;
    let to: Vec<String> = approved.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(to, unit.contacts_and_consultant());
    assert!(approved.iter().any(|(_, s)| s.ends_with("är certifierad")));
    assert!(approved.iter().any(|(_, s)| s.ends_with("is certified")));
    let code = app.case(&world.case_id).await["certificate"]["verification_code"]
        .as_str()
        .expect("the approval issued a certificate")
        .to_string();
    app.dispatch().await;
    let certified_mail = app.smtp.mails_to(&unit.contact_en.email);
    let certified_mail = certified_mail
        .iter()
        .find(|m| m.subject.contains("is certified"))
        .expect("the English contact got the approval");
    assert!(
        certified_mail
            .text
            .contains(&format!("{PUBLIC_URL}/verify/{code}")),
        "the approval mail links to the verification page: {}",
        certified_mail.text
    );

    // Nobody else ever got mail: the auditor only the audit request.
    let auditor_kinds: Vec<String> = app
        .mail(None)
        .await
        .into_iter()
        .filter(|m| m["recipient"] == world.auditor.email.as_str())
        .map(|m| m["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(auditor_kinds, ["audit_requested", "audit_requested"]);
}

#[actix_rt::test]
async fn pausing_resuming_and_withdrawing_tell_the_unit_but_not_the_consultant_who_did_it() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;

    for (action, comment) in [
        ("pause", Some("Omorganisation")),
        ("resume", None),
        ("withdraw", None),
    ] {
        let mut body = json!({ "action": action });
        if let Some(c) = comment {
            body["comment"] = json!(c);
        }
        app.transition(&world.consultant.token, &world.case_id, &body)
            .await
            .should_be(200);
    }

    let changed = app.mail_of_kind("status_changed").await;
    assert_eq!(changed.len(), 9, "{changed:?}");
    let to = sorted(changed.iter().map(|(r, _)| r.clone()).collect());
    let mut expected: Vec<String> = unit
        .contacts()
        .into_iter()
        .flat_map(|c| [c.clone(), c.clone(), c])
        .collect();
    expected.sort();
    assert_eq!(to, expected);
    assert!(changed.iter().any(|(_, s)| s.ends_with("Pausad")));
    assert!(changed.iter().any(|(_, s)| s.ends_with("Withdrawn")));
    app.dispatch().await;
    let paused = app
        .smtp
        .mails_to(&unit.contact_sv.email)
        .into_iter()
        .find(|m| m.subject.ends_with("Pausad"))
        .expect("the pause was mailed");
    assert!(
        paused.text.contains("Kommentar: Omorganisation"),
        "{}",
        paused.text
    );
}

#[actix_rt::test]
async fn commands_that_change_nothing_people_wait_for_send_no_mail() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let before = app.mail(None).await.len();
    let world = &unit.world;
    app.put_reflections(&world.consultant.token, &world.case_id, 3)
        .await
        .should_be(200);
    app.add_evidence(&world.consultant.token, &world.case_id, "apt")
        .await
        .should_be(201);
    assert_eq!(app.mail(None).await.len(), before);
}
